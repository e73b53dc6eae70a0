import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{C as r,D as i,S as a,T as o,_ as s,c,d as l,f as u,h as d,i as f,j as p,m,o as h,r as g,s as _,x as v,y}from"./console-BhUGwCLm.js";import{n as b,t as x}from"./Facts-Ixw6RFUu.js";var S=e(t(),1),C=n(),w=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],T=[`DOMESTIC`,`EEA`,`INTERNATIONAL`],E=u(`
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
`),D=u(`
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
`),O=u(`
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
`),ee=u(`
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
`),te=u(`
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
`),k=e=>`${e.scheme}-${e.region}`;function A(e,t){return{lines:(e?.lines??[]).map(e=>({scheme:e.scheme,region:e.region,rate:o(e.rateBps,t),fixed:o(Number(e.fixedFee),t)})),rental:o(Number(e?.terminalRentalMonthly??0),t),softpos:o(Number(e?.softposFeeMonthly??0),t),effectiveFrom:``}}function j(e,t){let n={};for(let r of e.lines)i(r.rate)===null&&(n[`fee-${k(r)}-rate`]=t),i(r.fixed)===null&&(n[`fee-${k(r)}-fixed`]=t);return i(e.rental)===null&&(n[`fee-rental`]=t),i(e.softpos)===null&&(n[`fee-softpos`]=t),n}function ne(e,t){let n=new Map((e?.lines??[]).map(e=>[k(e),e])),r=[],a=[];for(let e of t.lines){let t=i(e.rate)??0,o=i(e.fixed)??0,s=n.get(k(e));s&&s.rateBps===t&&Number(s.fixedFee)===o||(r.push({scheme:e.scheme,region:e.region,rateBps:t,fixedFee:o}),a.push(k(e)))}let o=new Set(t.lines.map(k)),s=(e?.lines??[]).filter(e=>!o.has(k(e))).map(e=>({scheme:e.scheme,region:e.region})),c=i(t.rental)??0,l=i(t.softpos)??0,u={lines:r,removeLines:s};return c!==Number(e?.terminalRentalMonthly??0)&&(u.terminalRentalMonthly=c),l!==Number(e?.softposFeeMonthly??0)&&(u.softposFeeMonthly=l),t.effectiveFrom&&(u.effectiveFrom=t.effectiveFrom),{input:u,keys:a}}function re(e,t){return{currency:t,lines:e.lines.map(e=>({scheme:e.scheme,region:e.region,rateBps:i(e.rate)??0,fixedFee:i(e.fixed)??0})),terminalRentalMonthly:i(e.rental)??0,softposFeeMonthly:i(e.softpos)??0}}function M(e,t){let n={},r=(e,t)=>n[e]=n[e]?`${n[e]} ${t}`:t;for(let n of e){let[e,...i]=(n.field??[]).filter(e=>e!==`input`),a=``;if(e===`reason`||e===`description`||e===`subject`)a=`fee-reason`;else if(e===`fees`||e===`proposedFees`){let[e,n,r]=i;e===`lines`&&n!==void 0&&t[Number(n)]?a=`fee-${t[Number(n)]}-${r===`fixedFee`?`fixed`:`rate`}`:e===`terminalRentalMonthly`?a=`fee-rental`:e===`softposFeeMonthly`?a=`fee-softpos`:e===`effectiveFrom`&&(a=`fee-effective`)}r(a,n.message)}return n}function N(){let[e]=y(),t=e.get(`contract`),{t:n}=p();return(0,C.jsxs)(`section`,{className:`fees`,children:[(0,C.jsx)(`h1`,{children:n(`fees.title`)}),t?(0,C.jsx)(F,{id:t}):(0,C.jsx)(P,{})]})}function P(){let{t:e}=p(),[t,n]=(0,S.useState)(``),r=t.trim(),[{data:i,error:a,fetching:o}]=d({query:E,variables:{text:r},pause:r.length<2}),c=(0,S.useMemo)(()=>{let e=new Map;for(let t of i?.contracts?.edges??[])e.set(t.node.id,{id:t.node.id,number:t.node.number,status:t.node.status,company:t.node.company?.legalName??``});for(let t of i?.companies?.edges??[])for(let n of t.node.contracts.edges)e.set(n.node.id,{id:n.node.id,number:n.node.number,status:n.node.status,company:t.node.legalName});return[...e.values()]},[i]);return(0,C.jsxs)(`div`,{children:[(0,C.jsx)(`form`,{role:`search`,className:`filters`,onSubmit:e=>e.preventDefault(),children:(0,C.jsxs)(`label`,{children:[e(`fees.find`),(0,C.jsx)(`input`,{type:`search`,value:t,onChange:e=>n(e.target.value),placeholder:e(`fees.findPlaceholder`)})]})}),a&&(0,C.jsx)(h,{error:a}),r.length>=2&&!o&&i&&c.length===0&&(0,C.jsx)(`p`,{children:e(`home.noResults`)}),c.length>0&&(0,C.jsx)(`ul`,{className:`fee-results`,"aria-label":e(`fees.results`),children:c.map(e=>(0,C.jsxs)(`li`,{children:[(0,C.jsxs)(s,{to:`${g.fees}?contract=${encodeURIComponent(e.id)}`,children:[e.number,` — `,e.company]}),` `,(0,C.jsx)(f,{status:e.status})]},e.id))})]})}function F({id:e}){let{t,i18n:n}=p(),{reads:r}=l(),i=r(`Contract.currentFees`),[a,o]=(0,S.useState)(null),[{data:c,error:u,fetching:m},v]=d({query:D,variables:{id:e,withFees:i}});if(u&&!c)return(0,C.jsx)(h,{error:u,retry:()=>v({requestPolicy:`network-only`})});if(m&&!c)return(0,C.jsx)(_,{});let y=c?.node;if(!y||y.__typename!==`Contract`)return(0,C.jsx)(`p`,{role:`alert`,children:t(`fees.notFound`)});let b=y;return(0,C.jsxs)(C.Fragment,{children:[(0,C.jsxs)(`dl`,{className:`facts`,children:[(0,C.jsx)(x,{label:t(`columns.contract`),children:b.number}),(0,C.jsx)(x,{label:t(`columns.company`),children:b.company?(0,C.jsx)(s,{to:g.company(b.company.id),children:b.company.legalName}):`—`}),(0,C.jsx)(x,{label:t(`columns.status`),children:(0,C.jsx)(f,{status:b.status})})]}),(0,C.jsx)(`p`,{children:(0,C.jsx)(s,{to:g.fees,children:t(`fees.another`)})}),i?(0,C.jsx)(I,{contract:b,refresh:()=>v({requestPolicy:`network-only`}),onDone:o},`${b.id}-${b.currentFees?.versionNumber??0}-${n.language}`):(0,C.jsx)(`p`,{role:`note`,className:`notice`,children:t(`fees.notReadable`)}),a&&(0,C.jsx)(`p`,{role:`status`,className:`done`,children:a})]})}function I({contract:e,refresh:t,onDone:n}){let{t:s,i18n:u}=p(),{can:f,me:g}=l(),_=u.language,y=e.currentFees,E=y?.currency??e.currency,D=e=>a(e,E,_),[N,P]=(0,S.useState)(()=>A(y,_)),[F,I]=(0,S.useState)(()=>[{scheme:`CB`,region:`DOMESTIC`,amount:o(2500,_)},{scheme:`VISA`,region:`EEA`,amount:o(8e3,_)},{scheme:`MASTERCARD`,region:`INTERNATIONAL`,amount:o(12e3,_)}]),[R,ie]=(0,S.useState)(``),[ae,z]=(0,S.useState)({}),[B,V]=(0,S.useState)({scheme:`CB`,region:`DOMESTIC`}),[,oe]=m(ee),[,se]=m(te),H=f(`changeContractFees`),U=(g.permissions?.requestTypes??[]).includes(`FEE_CHANGE`)&&f(`createRequest`),W=f(`simulateFees`),ce=s(`fees.invalidNumber`),G=j(N,ce),K=F.map(e=>i(e.amount)),le=F.length>0&&K.every(e=>e!==null),ue=F.map((e,t)=>({scheme:e.scheme,region:e.region,amount:K[t]??0})),[q]=d({query:O,variables:{input:{contractId:e.id,transactions:ue}},pause:!W||!le||!y}),[J]=d({query:O,variables:{input:{fees:re(N,E),transactions:ue}},pause:!W||!le||Object.keys(G).length>0||N.lines.length===0}),Y={...G,...ae},de=(e,t)=>P(n=>({...n,lines:n.lines.map((n,r)=>r===e?{...n,...t}:n)})),fe=new Set(N.lines.map(k));async function pe(r,i){if(i?.preventDefault(),n(null),Object.keys(G).length)return;let{input:a,keys:o}=ne(y,N);if(r===`apply`){let r=await oe({input:{id:e.id,fees:a,reason:R,expectedVersion:e.version}}),i=r.data?.changeContractFees;r.error?z({"":c(r.error,s)}):i?.userErrors.length?z(M(i.userErrors,o)):(z({}),n(s(`fees.applied`,{version:i?.contract?.currentFees?.versionNumber??``})),t())}else{let t=await se({input:{type:`FEE_CHANGE`,companyId:e.company?.id??``,contractId:e.id,subject:s(`fees.subject`,{number:e.number}),description:R||null,proposedFees:a}}),r=t.data?.createRequest;t.error?z({"":c(t.error,s)}):r?.userErrors.length?z(M(r.userErrors,o)):(z({}),n(s(`fees.asked`,{reference:r?.request?.reference??``})))}}let X=e=>s(`scheme.${e}`,{defaultValue:e}),Z=e=>s(`region.${e}`),me=H||U||W,he=q.data?.simulateFees?.lines,ge=J.data?.simulateFees?.lines,Q=q.data?.simulateFees?.totals,$=J.data?.simulateFees?.totals;return(0,C.jsxs)(C.Fragment,{children:[(0,C.jsx)(b,{title:s(`fees.current`),children:y?(0,C.jsxs)(C.Fragment,{children:[(0,C.jsx)(`p`,{children:s(`fees.version`,{version:y.versionNumber,date:v(y.effectiveFrom,_)})}),(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":s(`fees.current`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.rate`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.fixed`)})]})}),(0,C.jsx)(`tbody`,{children:y.lines.map(e=>(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:X(e.scheme)}),(0,C.jsx)(`td`,{children:Z(e.region)}),(0,C.jsx)(`td`,{children:r(e.rateBps,_)}),(0,C.jsx)(`td`,{children:D(e.fixedFee)})]},k(e)))})]}),(0,C.jsxs)(`dl`,{className:`facts`,children:[(0,C.jsx)(x,{label:s(`fees.rental`),children:D(y.terminalRentalMonthly)}),(0,C.jsx)(x,{label:s(`fees.softpos`),children:D(y.softposFeeMonthly)}),(0,C.jsx)(x,{label:s(`fees.effectiveFrom`),children:v(y.effectiveFrom,_)})]})]}):(0,C.jsx)(`p`,{children:s(`fees.noSchedule`)})}),(0,C.jsx)(b,{title:s(`fees.history`),count:e.feeHistory?.length??0,children:(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":s(`fees.history`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.versionColumn`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.effectiveFrom`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.lines`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.rental`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.softpos`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.reason`)})]})}),(0,C.jsx)(`tbody`,{children:(e.feeHistory??[]).map(e=>(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:e.versionNumber}),(0,C.jsx)(`td`,{children:v(e.effectiveFrom,_)}),(0,C.jsx)(`td`,{children:e.lines.map(t=>`${X(t.scheme)} ${Z(t.region)} ${r(t.rateBps,_)} + ${a(t.fixedFee,e.currency,_)}`).join(` ; `)}),(0,C.jsx)(`td`,{children:a(e.terminalRentalMonthly,e.currency,_)}),(0,C.jsx)(`td`,{children:a(e.softposFeeMonthly,e.currency,_)}),(0,C.jsx)(`td`,{children:e.reason??`—`})]},e.id))})]})}),me&&(0,C.jsxs)(`form`,{className:`fee-proposal`,onSubmit:e=>void pe(H?`apply`:`ask`,e),noValidate:!0,children:[(0,C.jsxs)(b,{title:s(`fees.proposed`),children:[(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":s(`fees.proposed`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.rateInput`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.fixedInput`)}),(0,C.jsx)(`th`,{scope:`col`,children:(0,C.jsx)(`span`,{className:`visually-hidden`,children:s(`fees.actions`)})})]})}),(0,C.jsx)(`tbody`,{children:N.lines.map((e,t)=>{let n=`${X(e.scheme)} ${Z(e.region)}`;return(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:X(e.scheme)}),(0,C.jsx)(`td`,{children:Z(e.region)}),(0,C.jsx)(`td`,{children:(0,C.jsx)(L,{id:`fee-${k(e)}-rate`,label:s(`fees.rateOf`,{line:n}),value:e.rate,error:Y[`fee-${k(e)}-rate`],onChange:e=>de(t,{rate:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(L,{id:`fee-${k(e)}-fixed`,label:s(`fees.fixedOf`,{line:n}),value:e.fixed,error:Y[`fee-${k(e)}-fixed`],onChange:e=>de(t,{fixed:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`button`,{type:`button`,onClick:()=>P(e=>({...e,lines:e.lines.filter((e,n)=>n!==t)})),children:s(`fees.removeLine`,{line:n})})})]},k(e))})})]}),(0,C.jsxs)(`fieldset`,{className:`filters`,children:[(0,C.jsx)(`legend`,{children:s(`fees.addLine`)}),(0,C.jsx)(`label`,{htmlFor:`fee-new-scheme`,children:s(`fees.scheme`)}),(0,C.jsx)(`select`,{id:`fee-new-scheme`,value:B.scheme,onChange:e=>V(t=>({...t,scheme:e.target.value})),children:w.map(e=>(0,C.jsx)(`option`,{value:e,children:X(e)},e))}),(0,C.jsx)(`label`,{htmlFor:`fee-new-region`,children:s(`fees.region`)}),(0,C.jsx)(`select`,{id:`fee-new-region`,value:B.region,onChange:e=>V(t=>({...t,region:e.target.value})),children:T.map(e=>(0,C.jsx)(`option`,{value:e,children:Z(e)},e))}),(0,C.jsx)(`button`,{type:`button`,disabled:fe.has(k(B)),onClick:()=>P(e=>({...e,lines:[...e.lines,{...B,rate:o(0,_),fixed:o(0,_)}]})),children:s(`fees.add`)})]}),(0,C.jsxs)(`div`,{className:`filters`,children:[(0,C.jsx)(L,{id:`fee-rental`,label:s(`fees.rentalInput`),value:N.rental,error:Y[`fee-rental`],onChange:e=>P(t=>({...t,rental:e}))}),(0,C.jsx)(L,{id:`fee-softpos`,label:s(`fees.softposInput`),value:N.softpos,error:Y[`fee-softpos`],onChange:e=>P(t=>({...t,softpos:e}))}),(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:`fee-effective`,children:s(`fees.effectiveInput`)}),(0,C.jsx)(`input`,{id:`fee-effective`,type:`date`,value:N.effectiveFrom,"aria-invalid":Y[`fee-effective`]?!0:void 0,"aria-describedby":Y[`fee-effective`]?`fee-effective-error`:void 0,onChange:e=>P(t=>({...t,effectiveFrom:e.target.value}))}),Y[`fee-effective`]&&(0,C.jsx)(`p`,{id:`fee-effective-error`,className:`field-error`,children:Y[`fee-effective`]})]})]})]}),W&&(0,C.jsxs)(b,{title:s(`fees.simulation`),children:[(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":s(`fees.simulation`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.amount`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.currentFee`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.proposedFee`)}),(0,C.jsx)(`th`,{scope:`col`,children:(0,C.jsx)(`span`,{className:`visually-hidden`,children:s(`fees.actions`)})})]})}),(0,C.jsx)(`tbody`,{children:F.map((e,t)=>{let n=he?.[t],r=ge?.[t],i=e=>I(n=>n.map((n,r)=>r===t?{...n,...e}:n));return(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:(0,C.jsx)(`select`,{"aria-label":s(`fees.basketScheme`,{n:t+1}),value:e.scheme,onChange:e=>i({scheme:e.target.value}),children:w.map(e=>(0,C.jsx)(`option`,{value:e,children:X(e)},e))})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`select`,{"aria-label":s(`fees.basketRegion`,{n:t+1}),value:e.region,onChange:e=>i({region:e.target.value}),children:T.map(e=>(0,C.jsx)(`option`,{value:e,children:Z(e)},e))})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(L,{id:`basket-${t}-amount`,label:s(`fees.basketAmount`,{n:t+1}),value:e.amount,error:K[t]===null?ce:void 0,onChange:e=>i({amount:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{"data-testid":`sim-current-${t}`,children:n?n.missing?s(`fees.missing`):D(n.fee):`…`}),(0,C.jsx)(`td`,{"data-testid":`sim-proposed-${t}`,children:r?r.missing?s(`fees.missing`):D(r.fee):`…`}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`button`,{type:`button`,onClick:()=>I(e=>e.filter((e,n)=>n!==t)),children:s(`fees.removeRow`,{n:t+1})})})]},t)})}),(0,C.jsx)(`tfoot`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`row`,colSpan:3,children:s(`fees.total`)}),(0,C.jsx)(`td`,{"data-testid":`sim-current-total`,children:Q?`${D(Q.fees)} (${r(Q.effectiveRateBps,_)})`:`…`}),(0,C.jsx)(`td`,{"data-testid":`sim-proposed-total`,children:$?`${D($.fees)} (${r($.effectiveRateBps,_)})`:`…`}),(0,C.jsx)(`td`,{})]})})]}),(0,C.jsx)(`button`,{type:`button`,onClick:()=>I(e=>[...e,{scheme:`CB`,region:`DOMESTIC`,amount:o(1e3,_)}]),children:s(`fees.addRow`)}),(q.error||J.error)&&(0,C.jsx)(h,{error:q.error??J.error})]}),(H||U)&&(0,C.jsxs)(`div`,{className:`fee-submit`,children:[(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:`fee-reason`,children:s(`fees.reasonInput`)}),(0,C.jsx)(`textarea`,{id:`fee-reason`,value:R,"aria-invalid":Y[`fee-reason`]?!0:void 0,"aria-describedby":Y[`fee-reason`]?`fee-reason-error`:void 0,onChange:e=>ie(e.target.value)}),Y[`fee-reason`]&&(0,C.jsx)(`p`,{id:`fee-reason-error`,className:`field-error`,children:Y[`fee-reason`]})]}),Y[``]&&(0,C.jsx)(`p`,{role:`alert`,className:`field-error`,children:Y[``]}),H&&(0,C.jsx)(`button`,{type:`submit`,children:s(`fees.apply`)}),U&&(0,C.jsx)(`button`,{type:H?`button`:`submit`,onClick:H?()=>void pe(`ask`):void 0,children:s(`fees.ask`)})]})]})]})}function L({id:e,label:t,value:n,error:r,onChange:i,hideLabel:a=!1}){return(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:e,className:a?`visually-hidden`:void 0,children:t}),(0,C.jsx)(`input`,{id:e,inputMode:`decimal`,value:n,"aria-invalid":r?!0:void 0,"aria-describedby":r?`${e}-error`:void 0,onChange:e=>i(e.target.value)}),r&&(0,C.jsx)(`p`,{id:`${e}-error`,className:`field-error`,children:r})]})}export{N as Fees,T as REGIONS,w as SCHEMES,ne as changeOf,j as draftErrors,A as draftOf,M as serverErrors};