import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{S as r,c as i,d as a,f as o,g as s,i as c,m as l,o as u,p as d,r as f,s as p,v as m}from"./console-s6BSWnBD.js";import{n as h,t as g}from"./Facts-Ixw6RFUu.js";import{c as _,i as v,n as y,o as b,r as x}from"./format-CyWbjtLe.js";var S=e(t(),1),C=n(),w=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],T=[`DOMESTIC`,`EEA`,`INTERNATIONAL`],E=o(`
  query FindFeeContracts($text: String!) {
    contracts(filter: { number: $text }, first: 10) {
      edges {
        node {
          id
          number
          status
          company {
            id
            legalName
          }
        }
      }
    }
    companies(filter: { text: $text }, first: 10) {
      edges {
        node {
          id
          legalName
          siren
          contracts(first: 10) {
            edges {
              node {
                id
                number
                status
              }
            }
          }
        }
      }
    }
  }
`),D=o(`
  query FeeContract($id: ID!, $withFees: Boolean!) {
    node(id: $id) {
      __typename
      ... on Contract {
        id
        number
        status
        version
        currency
        company {
          id
          legalName
        }
        currentFees @include(if: $withFees) {
          ...FeeScheduleFields
        }
        feeHistory @include(if: $withFees) {
          ...FeeScheduleFields
          reason
          createdAt
        }
      }
    }
  }
  fragment FeeScheduleFields on FeeSchedule {
    id
    versionNumber
    effectiveFrom
    currency
    terminalRentalMonthly
    softposFeeMonthly
    lines {
      scheme
      region
      rateBps
      fixedFee
    }
  }
`),ee=o(`
  query SimulateFees($input: SimulateFeesInput!) {
    simulateFees(input: $input) {
      currency
      lines {
        scheme
        region
        amount
        fee
        missing
      }
      totals {
        fees
        amount
        missingCount
        effectiveRateBps
      }
      terminalRentalMonthly
      softposFeeMonthly
    }
  }
`),te=o(`
  mutation ChangeContractFees($input: ChangeContractFeesInput!) {
    changeContractFees(input: $input) {
      contract {
        id
        version
        currentFees {
          id
          versionNumber
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),ne=o(`
  mutation AskFeeChange($input: CreateRequestInput!) {
    createRequest(input: $input) {
      request {
        id
        reference
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),O=e=>`${e.scheme}-${e.region}`;function k(e,t){return{lines:(e?.lines??[]).map(e=>({scheme:e.scheme,region:e.region,rate:b(e.rateBps,t),fixed:b(Number(e.fixedFee),t)})),rental:b(Number(e?.terminalRentalMonthly??0),t),softpos:b(Number(e?.softposFeeMonthly??0),t),effectiveFrom:``}}function A(e,t){let n={};for(let r of e.lines)_(r.rate)===null&&(n[`fee-${O(r)}-rate`]=t),_(r.fixed)===null&&(n[`fee-${O(r)}-fixed`]=t);return _(e.rental)===null&&(n[`fee-rental`]=t),_(e.softpos)===null&&(n[`fee-softpos`]=t),n}function j(e,t){let n=new Map((e?.lines??[]).map(e=>[O(e),e])),r=[],i=[];for(let e of t.lines){let t=_(e.rate)??0,a=_(e.fixed)??0,o=n.get(O(e));o&&o.rateBps===t&&Number(o.fixedFee)===a||(r.push({scheme:e.scheme,region:e.region,rateBps:t,fixedFee:a}),i.push(O(e)))}let a=new Set(t.lines.map(O)),o=(e?.lines??[]).filter(e=>!a.has(O(e))).map(e=>({scheme:e.scheme,region:e.region})),s=_(t.rental)??0,c=_(t.softpos)??0,l={lines:r,removeLines:o};return s!==Number(e?.terminalRentalMonthly??0)&&(l.terminalRentalMonthly=s),c!==Number(e?.softposFeeMonthly??0)&&(l.softposFeeMonthly=c),t.effectiveFrom&&(l.effectiveFrom=t.effectiveFrom),{input:l,keys:i}}function re(e,t){return{currency:t,lines:e.lines.map(e=>({scheme:e.scheme,region:e.region,rateBps:_(e.rate)??0,fixedFee:_(e.fixed)??0})),terminalRentalMonthly:_(e.rental)??0,softposFeeMonthly:_(e.softpos)??0}}function M(e,t){let n={},r=(e,t)=>n[e]=n[e]?`${n[e]} ${t}`:t;for(let n of e){let[e,...i]=(n.field??[]).filter(e=>e!==`input`),a=``;if(e===`reason`||e===`description`||e===`subject`)a=`fee-reason`;else if(e===`fees`||e===`proposedFees`){let[e,n,r]=i;e===`lines`&&n!==void 0&&t[Number(n)]?a=`fee-${t[Number(n)]}-${r===`fixedFee`?`fixed`:`rate`}`:e===`terminalRentalMonthly`?a=`fee-rental`:e===`softposFeeMonthly`?a=`fee-softpos`:e===`effectiveFrom`&&(a=`fee-effective`)}r(a,n.message)}return n}function N(){let[e]=m(),t=e.get(`contract`),{t:n}=r();return(0,C.jsxs)(`section`,{className:`fees`,children:[(0,C.jsx)(`h1`,{children:n(`fees.title`)}),t?(0,C.jsx)(F,{id:t}):(0,C.jsx)(P,{})]})}function P(){let{t:e}=r(),[t,n]=(0,S.useState)(``),i=t.trim(),[{data:a,error:o,fetching:d}]=l({query:E,variables:{text:i},pause:i.length<2}),p=(0,S.useMemo)(()=>{let e=new Map;for(let t of a?.contracts?.edges??[])e.set(t.node.id,{id:t.node.id,number:t.node.number,status:t.node.status,company:t.node.company?.legalName??``});for(let t of a?.companies?.edges??[])for(let n of t.node.contracts.edges)e.set(n.node.id,{id:n.node.id,number:n.node.number,status:n.node.status,company:t.node.legalName});return[...e.values()]},[a]);return(0,C.jsxs)(`div`,{children:[(0,C.jsx)(`form`,{role:`search`,className:`filters`,onSubmit:e=>e.preventDefault(),children:(0,C.jsxs)(`label`,{children:[e(`fees.find`),(0,C.jsx)(`input`,{type:`search`,value:t,onChange:e=>n(e.target.value),placeholder:e(`fees.findPlaceholder`)})]})}),o&&(0,C.jsx)(u,{error:o}),i.length>=2&&!d&&a&&p.length===0&&(0,C.jsx)(`p`,{children:e(`home.noResults`)}),p.length>0&&(0,C.jsx)(`ul`,{className:`fee-results`,"aria-label":e(`fees.results`),children:p.map(e=>(0,C.jsxs)(`li`,{children:[(0,C.jsxs)(s,{to:`${f.fees}?contract=${encodeURIComponent(e.id)}`,children:[e.number,` — `,e.company]}),` `,(0,C.jsx)(c,{status:e.status})]},e.id))})]})}function F({id:e}){let{t,i18n:n}=r(),{reads:i}=a(),o=i(`Contract.currentFees`),[d,m]=(0,S.useState)(null),[{data:h,error:_,fetching:v},y]=l({query:D,variables:{id:e,withFees:o}});if(_&&!h)return(0,C.jsx)(u,{error:_,retry:()=>y({requestPolicy:`network-only`})});if(v&&!h)return(0,C.jsx)(p,{});let b=h?.node;if(!b||b.__typename!==`Contract`)return(0,C.jsx)(`p`,{role:`alert`,children:t(`fees.notFound`)});let x=b;return(0,C.jsxs)(C.Fragment,{children:[(0,C.jsxs)(`dl`,{className:`facts`,children:[(0,C.jsx)(g,{label:t(`columns.contract`),children:x.number}),(0,C.jsx)(g,{label:t(`columns.company`),children:x.company?(0,C.jsx)(s,{to:f.company(x.company.id),children:x.company.legalName}):`—`}),(0,C.jsx)(g,{label:t(`columns.status`),children:(0,C.jsx)(c,{status:x.status})})]}),(0,C.jsx)(`p`,{children:(0,C.jsx)(s,{to:f.fees,children:t(`fees.another`)})}),o?(0,C.jsx)(I,{contract:x,refresh:()=>y({requestPolicy:`network-only`}),onDone:m},`${x.id}-${x.currentFees?.versionNumber??0}-${n.language}`):(0,C.jsx)(`p`,{role:`note`,className:`notice`,children:t(`fees.notReadable`)}),d&&(0,C.jsx)(`p`,{role:`status`,className:`done`,children:d})]})}function I({contract:e,refresh:t,onDone:n}){let{t:o,i18n:s}=r(),{can:c,me:f}=a(),p=s.language,m=e.currentFees,E=m?.currency??e.currency,D=e=>x(e,E,p),[N,P]=(0,S.useState)(()=>k(m,p)),[F,I]=(0,S.useState)(()=>[{scheme:`CB`,region:`DOMESTIC`,amount:b(2500,p)},{scheme:`VISA`,region:`EEA`,amount:b(8e3,p)},{scheme:`MASTERCARD`,region:`INTERNATIONAL`,amount:b(12e3,p)}]),[R,ie]=(0,S.useState)(``),[ae,z]=(0,S.useState)({}),[B,V]=(0,S.useState)({scheme:`CB`,region:`DOMESTIC`}),[,oe]=d(te),[,se]=d(ne),H=c(`changeContractFees`),U=(f.permissions?.requestTypes??[]).includes(`FEE_CHANGE`)&&c(`createRequest`),W=c(`simulateFees`),ce=o(`fees.invalidNumber`),G=A(N,ce),K=F.map(e=>_(e.amount)),le=F.length>0&&K.every(e=>e!==null),ue=F.map((e,t)=>({scheme:e.scheme,region:e.region,amount:K[t]??0})),[q]=l({query:ee,variables:{input:{contractId:e.id,transactions:ue}},pause:!W||!le||!m}),[J]=l({query:ee,variables:{input:{fees:re(N,E),transactions:ue}},pause:!W||!le||Object.keys(G).length>0||N.lines.length===0}),Y={...G,...ae},de=(e,t)=>P(n=>({...n,lines:n.lines.map((n,r)=>r===e?{...n,...t}:n)})),fe=new Set(N.lines.map(O));async function pe(r,a){if(a?.preventDefault(),n(null),Object.keys(G).length)return;let{input:s,keys:c}=j(m,N);if(r===`apply`){let r=await oe({input:{id:e.id,fees:s,reason:R,expectedVersion:e.version}}),a=r.data?.changeContractFees;r.error?z({"":i(r.error,o)}):a?.userErrors.length?z(M(a.userErrors,c)):(z({}),n(o(`fees.applied`,{version:a?.contract?.currentFees?.versionNumber??``})),t())}else{let t=await se({input:{type:`FEE_CHANGE`,companyId:e.company?.id??``,contractId:e.id,subject:o(`fees.subject`,{number:e.number}),description:R||null,proposedFees:s}}),r=t.data?.createRequest;t.error?z({"":i(t.error,o)}):r?.userErrors.length?z(M(r.userErrors,c)):(z({}),n(o(`fees.asked`,{reference:r?.request?.reference??``})))}}let X=e=>o(`scheme.${e}`,{defaultValue:e}),Z=e=>o(`region.${e}`),me=H||U||W,he=q.data?.simulateFees?.lines,ge=J.data?.simulateFees?.lines,Q=q.data?.simulateFees?.totals,$=J.data?.simulateFees?.totals;return(0,C.jsxs)(C.Fragment,{children:[(0,C.jsx)(h,{title:o(`fees.current`),children:m?(0,C.jsxs)(C.Fragment,{children:[(0,C.jsx)(`p`,{children:o(`fees.version`,{version:m.versionNumber,date:y(m.effectiveFrom,p)})}),(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":o(`fees.current`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.rate`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.fixed`)})]})}),(0,C.jsx)(`tbody`,{children:m.lines.map(e=>(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:X(e.scheme)}),(0,C.jsx)(`td`,{children:Z(e.region)}),(0,C.jsx)(`td`,{children:v(e.rateBps,p)}),(0,C.jsx)(`td`,{children:D(e.fixedFee)})]},O(e)))})]}),(0,C.jsxs)(`dl`,{className:`facts`,children:[(0,C.jsx)(g,{label:o(`fees.rental`),children:D(m.terminalRentalMonthly)}),(0,C.jsx)(g,{label:o(`fees.softpos`),children:D(m.softposFeeMonthly)}),(0,C.jsx)(g,{label:o(`fees.effectiveFrom`),children:y(m.effectiveFrom,p)})]})]}):(0,C.jsx)(`p`,{children:o(`fees.noSchedule`)})}),(0,C.jsx)(h,{title:o(`fees.history`),count:e.feeHistory?.length??0,children:(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":o(`fees.history`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.versionColumn`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.effectiveFrom`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.lines`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.rental`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.softpos`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.reason`)})]})}),(0,C.jsx)(`tbody`,{children:(e.feeHistory??[]).map(e=>(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:e.versionNumber}),(0,C.jsx)(`td`,{children:y(e.effectiveFrom,p)}),(0,C.jsx)(`td`,{children:e.lines.map(t=>`${X(t.scheme)} ${Z(t.region)} ${v(t.rateBps,p)} + ${x(t.fixedFee,e.currency,p)}`).join(` ; `)}),(0,C.jsx)(`td`,{children:x(e.terminalRentalMonthly,e.currency,p)}),(0,C.jsx)(`td`,{children:x(e.softposFeeMonthly,e.currency,p)}),(0,C.jsx)(`td`,{children:e.reason??`—`})]},e.id))})]})}),me&&(0,C.jsxs)(`form`,{className:`fee-proposal`,onSubmit:e=>void pe(H?`apply`:`ask`,e),noValidate:!0,children:[(0,C.jsxs)(h,{title:o(`fees.proposed`),children:[(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":o(`fees.proposed`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.rateInput`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.fixedInput`)}),(0,C.jsx)(`th`,{scope:`col`,children:(0,C.jsx)(`span`,{className:`visually-hidden`,children:o(`fees.actions`)})})]})}),(0,C.jsx)(`tbody`,{children:N.lines.map((e,t)=>{let n=`${X(e.scheme)} ${Z(e.region)}`;return(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:X(e.scheme)}),(0,C.jsx)(`td`,{children:Z(e.region)}),(0,C.jsx)(`td`,{children:(0,C.jsx)(L,{id:`fee-${O(e)}-rate`,label:o(`fees.rateOf`,{line:n}),value:e.rate,error:Y[`fee-${O(e)}-rate`],onChange:e=>de(t,{rate:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(L,{id:`fee-${O(e)}-fixed`,label:o(`fees.fixedOf`,{line:n}),value:e.fixed,error:Y[`fee-${O(e)}-fixed`],onChange:e=>de(t,{fixed:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`button`,{type:`button`,onClick:()=>P(e=>({...e,lines:e.lines.filter((e,n)=>n!==t)})),children:o(`fees.removeLine`,{line:n})})})]},O(e))})})]}),(0,C.jsxs)(`fieldset`,{className:`filters`,children:[(0,C.jsx)(`legend`,{children:o(`fees.addLine`)}),(0,C.jsx)(`label`,{htmlFor:`fee-new-scheme`,children:o(`fees.scheme`)}),(0,C.jsx)(`select`,{id:`fee-new-scheme`,value:B.scheme,onChange:e=>V(t=>({...t,scheme:e.target.value})),children:w.map(e=>(0,C.jsx)(`option`,{value:e,children:X(e)},e))}),(0,C.jsx)(`label`,{htmlFor:`fee-new-region`,children:o(`fees.region`)}),(0,C.jsx)(`select`,{id:`fee-new-region`,value:B.region,onChange:e=>V(t=>({...t,region:e.target.value})),children:T.map(e=>(0,C.jsx)(`option`,{value:e,children:Z(e)},e))}),(0,C.jsx)(`button`,{type:`button`,disabled:fe.has(O(B)),onClick:()=>P(e=>({...e,lines:[...e.lines,{...B,rate:b(0,p),fixed:b(0,p)}]})),children:o(`fees.add`)})]}),(0,C.jsxs)(`div`,{className:`filters`,children:[(0,C.jsx)(L,{id:`fee-rental`,label:o(`fees.rentalInput`),value:N.rental,error:Y[`fee-rental`],onChange:e=>P(t=>({...t,rental:e}))}),(0,C.jsx)(L,{id:`fee-softpos`,label:o(`fees.softposInput`),value:N.softpos,error:Y[`fee-softpos`],onChange:e=>P(t=>({...t,softpos:e}))}),(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:`fee-effective`,children:o(`fees.effectiveInput`)}),(0,C.jsx)(`input`,{id:`fee-effective`,type:`date`,value:N.effectiveFrom,"aria-invalid":Y[`fee-effective`]?!0:void 0,"aria-describedby":Y[`fee-effective`]?`fee-effective-error`:void 0,onChange:e=>P(t=>({...t,effectiveFrom:e.target.value}))}),Y[`fee-effective`]&&(0,C.jsx)(`p`,{id:`fee-effective-error`,className:`field-error`,children:Y[`fee-effective`]})]})]})]}),W&&(0,C.jsxs)(h,{title:o(`fees.simulation`),children:[(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":o(`fees.simulation`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.amount`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.currentFee`)}),(0,C.jsx)(`th`,{scope:`col`,children:o(`fees.proposedFee`)}),(0,C.jsx)(`th`,{scope:`col`,children:(0,C.jsx)(`span`,{className:`visually-hidden`,children:o(`fees.actions`)})})]})}),(0,C.jsx)(`tbody`,{children:F.map((e,t)=>{let n=he?.[t],r=ge?.[t],i=e=>I(n=>n.map((n,r)=>r===t?{...n,...e}:n));return(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:(0,C.jsx)(`select`,{"aria-label":o(`fees.basketScheme`,{n:t+1}),value:e.scheme,onChange:e=>i({scheme:e.target.value}),children:w.map(e=>(0,C.jsx)(`option`,{value:e,children:X(e)},e))})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`select`,{"aria-label":o(`fees.basketRegion`,{n:t+1}),value:e.region,onChange:e=>i({region:e.target.value}),children:T.map(e=>(0,C.jsx)(`option`,{value:e,children:Z(e)},e))})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(L,{id:`basket-${t}-amount`,label:o(`fees.basketAmount`,{n:t+1}),value:e.amount,error:K[t]===null?ce:void 0,onChange:e=>i({amount:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{"data-testid":`sim-current-${t}`,children:n?n.missing?o(`fees.missing`):D(n.fee):`…`}),(0,C.jsx)(`td`,{"data-testid":`sim-proposed-${t}`,children:r?r.missing?o(`fees.missing`):D(r.fee):`…`}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`button`,{type:`button`,onClick:()=>I(e=>e.filter((e,n)=>n!==t)),children:o(`fees.removeRow`,{n:t+1})})})]},t)})}),(0,C.jsx)(`tfoot`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`row`,colSpan:3,children:o(`fees.total`)}),(0,C.jsx)(`td`,{"data-testid":`sim-current-total`,children:Q?`${D(Q.fees)} (${v(Q.effectiveRateBps,p)})`:`…`}),(0,C.jsx)(`td`,{"data-testid":`sim-proposed-total`,children:$?`${D($.fees)} (${v($.effectiveRateBps,p)})`:`…`}),(0,C.jsx)(`td`,{})]})})]}),(0,C.jsx)(`button`,{type:`button`,onClick:()=>I(e=>[...e,{scheme:`CB`,region:`DOMESTIC`,amount:b(1e3,p)}]),children:o(`fees.addRow`)}),(q.error||J.error)&&(0,C.jsx)(u,{error:q.error??J.error})]}),(H||U)&&(0,C.jsxs)(`div`,{className:`fee-submit`,children:[(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:`fee-reason`,children:o(`fees.reasonInput`)}),(0,C.jsx)(`textarea`,{id:`fee-reason`,value:R,"aria-invalid":Y[`fee-reason`]?!0:void 0,"aria-describedby":Y[`fee-reason`]?`fee-reason-error`:void 0,onChange:e=>ie(e.target.value)}),Y[`fee-reason`]&&(0,C.jsx)(`p`,{id:`fee-reason-error`,className:`field-error`,children:Y[`fee-reason`]})]}),Y[``]&&(0,C.jsx)(`p`,{role:`alert`,className:`field-error`,children:Y[``]}),H&&(0,C.jsx)(`button`,{type:`submit`,children:o(`fees.apply`)}),U&&(0,C.jsx)(`button`,{type:H?`button`:`submit`,onClick:H?()=>void pe(`ask`):void 0,children:o(`fees.ask`)})]})]})]})}function L({id:e,label:t,value:n,error:r,onChange:i,hideLabel:a=!1}){return(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:e,className:a?`visually-hidden`:void 0,children:t}),(0,C.jsx)(`input`,{id:e,inputMode:`decimal`,value:n,"aria-invalid":r?!0:void 0,"aria-describedby":r?`${e}-error`:void 0,onChange:e=>i(e.target.value)}),r&&(0,C.jsx)(`p`,{id:`${e}-error`,className:`field-error`,children:r})]})}export{N as Fees,T as REGIONS,w as SCHEMES,j as changeOf,A as draftErrors,k as draftOf,M as serverErrors};