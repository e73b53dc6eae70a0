import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{D as r,E as i,F as a,T as o,_ as s,b as c,c as l,d as ee,f as u,h as d,i as f,j as p,k as m,m as h,o as g,r as _,s as v}from"./console-DiEqahXQ.js";import{n as y}from"./Documents-B7aMqc1m.js";import{n as b,t as x}from"./Facts-Ixw6RFUu.js";var S=e(t(),1),C=n(),w=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],T=[`DOMESTIC`,`EEA`,`INTERNATIONAL`],E=u(`
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
`),te=u(`
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
`),ne=u(`
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
`),k=e=>`${e.scheme}-${e.region}`;function A(e,t){return{lines:(e?.lines??[]).map(e=>({scheme:e.scheme,region:e.region,rate:m(e.rateBps,t),fixed:m(Number(e.fixedFee),t)})),rental:m(Number(e?.terminalRentalMonthly??0),t),softpos:m(Number(e?.softposFeeMonthly??0),t),effectiveFrom:``}}function re(e,t){let n={};for(let r of e.lines)p(r.rate)===null&&(n[`fee-${k(r)}-rate`]=t),p(r.fixed)===null&&(n[`fee-${k(r)}-fixed`]=t);return p(e.rental)===null&&(n[`fee-rental`]=t),p(e.softpos)===null&&(n[`fee-softpos`]=t),n}function ie(e,t){let n=new Map((e?.lines??[]).map(e=>[k(e),e])),r=[],i=[];for(let e of t.lines){let t=p(e.rate)??0,a=p(e.fixed)??0,o=n.get(k(e));o&&o.rateBps===t&&Number(o.fixedFee)===a||(r.push({scheme:e.scheme,region:e.region,rateBps:t,fixedFee:a}),i.push(k(e)))}let a=new Set(t.lines.map(k)),o=(e?.lines??[]).filter(e=>!a.has(k(e))).map(e=>({scheme:e.scheme,region:e.region})),s=p(t.rental)??0,c=p(t.softpos)??0,l={lines:r,removeLines:o};return s!==Number(e?.terminalRentalMonthly??0)&&(l.terminalRentalMonthly=s),c!==Number(e?.softposFeeMonthly??0)&&(l.softposFeeMonthly=c),t.effectiveFrom&&(l.effectiveFrom=t.effectiveFrom),{input:l,keys:i}}function ae(e,t){return{currency:t,lines:e.lines.map(e=>({scheme:e.scheme,region:e.region,rateBps:p(e.rate)??0,fixedFee:p(e.fixed)??0})),terminalRentalMonthly:p(e.rental)??0,softposFeeMonthly:p(e.softpos)??0}}function j(e,t){let n={},r=(e,t)=>n[e]=n[e]?`${n[e]} ${t}`:t;for(let n of e){let[e,...i]=(n.field??[]).filter(e=>e!==`input`),a=``;if(e===`reason`||e===`description`||e===`subject`)a=`fee-reason`;else if(e===`fees`||e===`proposedFees`){let[e,n,r]=i;e===`lines`&&n!==void 0&&t[Number(n)]?a=`fee-${t[Number(n)]}-${r===`fixedFee`?`fixed`:`rate`}`:e===`terminalRentalMonthly`?a=`fee-rental`:e===`softposFeeMonthly`?a=`fee-softpos`:e===`effectiveFrom`&&(a=`fee-effective`)}r(a,n.message)}return n}function M(){let[e]=c(),t=e.get(`contract`),{t:n}=a();return(0,C.jsxs)(`section`,{className:`fees`,children:[(0,C.jsx)(`h1`,{children:n(`fees.title`)}),t?(0,C.jsx)(P,{id:t}):(0,C.jsx)(N,{})]})}function N(){let{t:e}=a(),[t,n]=(0,S.useState)(``),r=t.trim(),[{data:i,error:o,fetching:c}]=d({query:E,variables:{text:r},pause:r.length<2}),l=(0,S.useMemo)(()=>{let e=new Map;for(let t of i?.contracts?.edges??[])e.set(t.node.id,{id:t.node.id,number:t.node.number,status:t.node.status,company:t.node.company?.legalName??``});for(let t of i?.companies?.edges??[])for(let n of t.node.contracts.edges)e.set(n.node.id,{id:n.node.id,number:n.node.number,status:n.node.status,company:t.node.legalName});return[...e.values()]},[i]);return(0,C.jsxs)(`div`,{children:[(0,C.jsx)(`form`,{role:`search`,className:`filters`,onSubmit:e=>e.preventDefault(),children:(0,C.jsxs)(`label`,{children:[e(`fees.find`),(0,C.jsx)(`input`,{type:`search`,value:t,onChange:e=>n(e.target.value),placeholder:e(`fees.findPlaceholder`)})]})}),o&&(0,C.jsx)(g,{error:o}),r.length>=2&&!c&&i&&l.length===0&&(0,C.jsx)(`p`,{children:e(`home.noResults`)}),l.length>0&&(0,C.jsx)(`ul`,{className:`fee-results`,"aria-label":e(`fees.results`),children:l.map(e=>(0,C.jsxs)(`li`,{children:[(0,C.jsxs)(s,{to:`${_.fees}?contract=${encodeURIComponent(e.id)}`,children:[e.number,` — `,e.company]}),` `,(0,C.jsx)(f,{status:e.status})]},e.id))})]})}function P({id:e}){let{t,i18n:n}=a(),{reads:r}=ee(),i=r(`Contract.currentFees`),[o,c]=(0,S.useState)(null),[{data:l,error:u,fetching:p},m]=d({query:D,variables:{id:e,withFees:i}});if(u&&!l)return(0,C.jsx)(g,{error:u,retry:()=>m({requestPolicy:`network-only`})});if(p&&!l)return(0,C.jsx)(v,{});let h=l?.node;if(!h||h.__typename!==`Contract`)return(0,C.jsx)(`p`,{role:`alert`,children:t(`fees.notFound`)});let b=h;return(0,C.jsxs)(C.Fragment,{children:[(0,C.jsxs)(`dl`,{className:`facts`,children:[(0,C.jsx)(x,{label:t(`columns.contract`),children:b.number}),(0,C.jsx)(x,{label:t(`columns.company`),children:b.company?(0,C.jsx)(s,{to:_.company(b.company.id),children:b.company.legalName}):`—`}),(0,C.jsx)(x,{label:t(`columns.status`),children:(0,C.jsx)(f,{status:b.status})})]}),(0,C.jsx)(`p`,{children:(0,C.jsx)(s,{to:_.fees,children:t(`fees.another`)})}),b.status!==`DRAFT`&&(0,C.jsx)(y,{contractId:b.id,number:b.number},b.currentFees?.versionNumber??0),i?(0,C.jsx)(F,{contract:b,refresh:()=>m({requestPolicy:`network-only`}),onDone:c},`${b.id}-${b.currentFees?.versionNumber??0}-${n.language}`):(0,C.jsx)(`p`,{role:`note`,className:`notice`,children:t(`fees.notReadable`)}),o&&(0,C.jsx)(`p`,{role:`status`,className:`done`,children:o})]})}function F({contract:e,refresh:t,onDone:n}){let{t:s,i18n:c}=a(),{can:u,me:f}=ee(),_=c.language,v=e.currentFees,y=v?.currency??e.currency,E=e=>i(e,y,_),[D,M]=(0,S.useState)(()=>A(v,_)),[N,P]=(0,S.useState)(()=>[{scheme:`CB`,region:`DOMESTIC`,amount:m(2500,_)},{scheme:`VISA`,region:`EEA`,amount:m(8e3,_)},{scheme:`MASTERCARD`,region:`INTERNATIONAL`,amount:m(12e3,_)}]),[F,oe]=(0,S.useState)(``),[se,L]=(0,S.useState)({}),[R,ce]=(0,S.useState)({scheme:`CB`,region:`DOMESTIC`}),[,le]=h(te),[,ue]=h(ne),z=u(`changeContractFees`),B=(f.permissions?.requestTypes??[]).includes(`FEE_CHANGE`)&&u(`createRequest`),V=u(`simulateFees`),H=s(`fees.invalidNumber`),U=re(D,H),W=N.map(e=>p(e.amount)),G=N.length>0&&W.every(e=>e!==null),K=N.map((e,t)=>({scheme:e.scheme,region:e.region,amount:W[t]??0})),[q]=d({query:O,variables:{input:{contractId:e.id,transactions:K}},pause:!V||!G||!v}),[J]=d({query:O,variables:{input:{fees:ae(D,y),transactions:K}},pause:!V||!G||Object.keys(U).length>0||D.lines.length===0}),Y={...U,...se},de=(e,t)=>M(n=>({...n,lines:n.lines.map((n,r)=>r===e?{...n,...t}:n)})),fe=new Set(D.lines.map(k));async function pe(r,i){if(i?.preventDefault(),n(null),Object.keys(U).length)return;let{input:a,keys:o}=ie(v,D);if(r===`apply`){let r=await le({input:{id:e.id,fees:a,reason:F,expectedVersion:e.version}}),i=r.data?.changeContractFees;r.error?L({"":l(r.error,s)}):i?.userErrors.length?L(j(i.userErrors,o)):(L({}),n(s(`fees.applied`,{version:i?.contract?.currentFees?.versionNumber??``})),t())}else{let t=await ue({input:{type:`FEE_CHANGE`,companyId:e.company?.id??``,contractId:e.id,subject:s(`fees.subject`,{number:e.number}),description:F||null,proposedFees:a}}),r=t.data?.createRequest;t.error?L({"":l(t.error,s)}):r?.userErrors.length?L(j(r.userErrors,o)):(L({}),n(s(`fees.asked`,{reference:r?.request?.reference??``})))}}let X=e=>s(`scheme.${e}`,{defaultValue:e}),Z=e=>s(`region.${e}`),me=z||B||V,he=q.data?.simulateFees?.lines,ge=J.data?.simulateFees?.lines,Q=q.data?.simulateFees?.totals,$=J.data?.simulateFees?.totals;return(0,C.jsxs)(C.Fragment,{children:[(0,C.jsx)(b,{title:s(`fees.current`),children:v?(0,C.jsxs)(C.Fragment,{children:[(0,C.jsx)(`p`,{children:s(`fees.version`,{version:v.versionNumber,date:o(v.effectiveFrom,_)})}),(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":s(`fees.current`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.rate`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.fixed`)})]})}),(0,C.jsx)(`tbody`,{children:v.lines.map(e=>(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:X(e.scheme)}),(0,C.jsx)(`td`,{children:Z(e.region)}),(0,C.jsx)(`td`,{children:r(e.rateBps,_)}),(0,C.jsx)(`td`,{children:E(e.fixedFee)})]},k(e)))})]}),(0,C.jsxs)(`dl`,{className:`facts`,children:[(0,C.jsx)(x,{label:s(`fees.rental`),children:E(v.terminalRentalMonthly)}),(0,C.jsx)(x,{label:s(`fees.softpos`),children:E(v.softposFeeMonthly)}),(0,C.jsx)(x,{label:s(`fees.effectiveFrom`),children:o(v.effectiveFrom,_)})]})]}):(0,C.jsx)(`p`,{children:s(`fees.noSchedule`)})}),(0,C.jsx)(b,{title:s(`fees.history`),count:e.feeHistory?.length??0,children:(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":s(`fees.history`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.versionColumn`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.effectiveFrom`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.lines`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.rental`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.softpos`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.reason`)})]})}),(0,C.jsx)(`tbody`,{children:(e.feeHistory??[]).map(e=>(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:e.versionNumber}),(0,C.jsx)(`td`,{children:o(e.effectiveFrom,_)}),(0,C.jsx)(`td`,{children:e.lines.map(t=>`${X(t.scheme)} ${Z(t.region)} ${r(t.rateBps,_)} + ${i(t.fixedFee,e.currency,_)}`).join(` ; `)}),(0,C.jsx)(`td`,{children:i(e.terminalRentalMonthly,e.currency,_)}),(0,C.jsx)(`td`,{children:i(e.softposFeeMonthly,e.currency,_)}),(0,C.jsx)(`td`,{children:e.reason??`—`})]},e.id))})]})}),me&&(0,C.jsxs)(`form`,{className:`fee-proposal`,onSubmit:e=>void pe(z?`apply`:`ask`,e),noValidate:!0,children:[(0,C.jsxs)(b,{title:s(`fees.proposed`),children:[(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":s(`fees.proposed`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.rateInput`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.fixedInput`)}),(0,C.jsx)(`th`,{scope:`col`,children:(0,C.jsx)(`span`,{className:`visually-hidden`,children:s(`fees.actions`)})})]})}),(0,C.jsx)(`tbody`,{children:D.lines.map((e,t)=>{let n=`${X(e.scheme)} ${Z(e.region)}`;return(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:X(e.scheme)}),(0,C.jsx)(`td`,{children:Z(e.region)}),(0,C.jsx)(`td`,{children:(0,C.jsx)(I,{id:`fee-${k(e)}-rate`,label:s(`fees.rateOf`,{line:n}),value:e.rate,error:Y[`fee-${k(e)}-rate`],onChange:e=>de(t,{rate:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(I,{id:`fee-${k(e)}-fixed`,label:s(`fees.fixedOf`,{line:n}),value:e.fixed,error:Y[`fee-${k(e)}-fixed`],onChange:e=>de(t,{fixed:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`button`,{type:`button`,onClick:()=>M(e=>({...e,lines:e.lines.filter((e,n)=>n!==t)})),children:s(`fees.removeLine`,{line:n})})})]},k(e))})})]}),(0,C.jsxs)(`fieldset`,{className:`filters`,children:[(0,C.jsx)(`legend`,{children:s(`fees.addLine`)}),(0,C.jsx)(`label`,{htmlFor:`fee-new-scheme`,children:s(`fees.scheme`)}),(0,C.jsx)(`select`,{id:`fee-new-scheme`,value:R.scheme,onChange:e=>ce(t=>({...t,scheme:e.target.value})),children:w.map(e=>(0,C.jsx)(`option`,{value:e,children:X(e)},e))}),(0,C.jsx)(`label`,{htmlFor:`fee-new-region`,children:s(`fees.region`)}),(0,C.jsx)(`select`,{id:`fee-new-region`,value:R.region,onChange:e=>ce(t=>({...t,region:e.target.value})),children:T.map(e=>(0,C.jsx)(`option`,{value:e,children:Z(e)},e))}),(0,C.jsx)(`button`,{type:`button`,disabled:fe.has(k(R)),onClick:()=>M(e=>({...e,lines:[...e.lines,{...R,rate:m(0,_),fixed:m(0,_)}]})),children:s(`fees.add`)})]}),(0,C.jsxs)(`div`,{className:`filters`,children:[(0,C.jsx)(I,{id:`fee-rental`,label:s(`fees.rentalInput`),value:D.rental,error:Y[`fee-rental`],onChange:e=>M(t=>({...t,rental:e}))}),(0,C.jsx)(I,{id:`fee-softpos`,label:s(`fees.softposInput`),value:D.softpos,error:Y[`fee-softpos`],onChange:e=>M(t=>({...t,softpos:e}))}),(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:`fee-effective`,children:s(`fees.effectiveInput`)}),(0,C.jsx)(`input`,{id:`fee-effective`,type:`date`,value:D.effectiveFrom,"aria-invalid":Y[`fee-effective`]?!0:void 0,"aria-describedby":Y[`fee-effective`]?`fee-effective-error`:void 0,onChange:e=>M(t=>({...t,effectiveFrom:e.target.value}))}),Y[`fee-effective`]&&(0,C.jsx)(`p`,{id:`fee-effective-error`,className:`field-error`,children:Y[`fee-effective`]})]})]})]}),V&&(0,C.jsxs)(b,{title:s(`fees.simulation`),children:[(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":s(`fees.simulation`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.amount`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.currentFee`)}),(0,C.jsx)(`th`,{scope:`col`,children:s(`fees.proposedFee`)}),(0,C.jsx)(`th`,{scope:`col`,children:(0,C.jsx)(`span`,{className:`visually-hidden`,children:s(`fees.actions`)})})]})}),(0,C.jsx)(`tbody`,{children:N.map((e,t)=>{let n=he?.[t],r=ge?.[t],i=e=>P(n=>n.map((n,r)=>r===t?{...n,...e}:n));return(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:(0,C.jsx)(`select`,{"aria-label":s(`fees.basketScheme`,{n:t+1}),value:e.scheme,onChange:e=>i({scheme:e.target.value}),children:w.map(e=>(0,C.jsx)(`option`,{value:e,children:X(e)},e))})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`select`,{"aria-label":s(`fees.basketRegion`,{n:t+1}),value:e.region,onChange:e=>i({region:e.target.value}),children:T.map(e=>(0,C.jsx)(`option`,{value:e,children:Z(e)},e))})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(I,{id:`basket-${t}-amount`,label:s(`fees.basketAmount`,{n:t+1}),value:e.amount,error:W[t]===null?H:void 0,onChange:e=>i({amount:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{"data-testid":`sim-current-${t}`,children:n?n.missing?s(`fees.missing`):E(n.fee):`…`}),(0,C.jsx)(`td`,{"data-testid":`sim-proposed-${t}`,children:r?r.missing?s(`fees.missing`):E(r.fee):`…`}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`button`,{type:`button`,onClick:()=>P(e=>e.filter((e,n)=>n!==t)),children:s(`fees.removeRow`,{n:t+1})})})]},t)})}),(0,C.jsx)(`tfoot`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`row`,colSpan:3,children:s(`fees.total`)}),(0,C.jsx)(`td`,{"data-testid":`sim-current-total`,children:Q?`${E(Q.fees)} (${r(Q.effectiveRateBps,_)})`:`…`}),(0,C.jsx)(`td`,{"data-testid":`sim-proposed-total`,children:$?`${E($.fees)} (${r($.effectiveRateBps,_)})`:`…`}),(0,C.jsx)(`td`,{})]})})]}),(0,C.jsx)(`button`,{type:`button`,onClick:()=>P(e=>[...e,{scheme:`CB`,region:`DOMESTIC`,amount:m(1e3,_)}]),children:s(`fees.addRow`)}),(q.error||J.error)&&(0,C.jsx)(g,{error:q.error??J.error})]}),(z||B)&&(0,C.jsxs)(`div`,{className:`fee-submit`,children:[(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:`fee-reason`,children:s(`fees.reasonInput`)}),(0,C.jsx)(`textarea`,{id:`fee-reason`,value:F,"aria-invalid":Y[`fee-reason`]?!0:void 0,"aria-describedby":Y[`fee-reason`]?`fee-reason-error`:void 0,onChange:e=>oe(e.target.value)}),Y[`fee-reason`]&&(0,C.jsx)(`p`,{id:`fee-reason-error`,className:`field-error`,children:Y[`fee-reason`]})]}),Y[``]&&(0,C.jsx)(`p`,{role:`alert`,className:`field-error`,children:Y[``]}),z&&(0,C.jsx)(`button`,{type:`submit`,children:s(`fees.apply`)}),B&&(0,C.jsx)(`button`,{type:z?`button`:`submit`,onClick:z?()=>void pe(`ask`):void 0,children:s(`fees.ask`)})]})]})]})}function I({id:e,label:t,value:n,error:r,onChange:i,hideLabel:a=!1}){return(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:e,className:a?`visually-hidden`:void 0,children:t}),(0,C.jsx)(`input`,{id:e,inputMode:`decimal`,value:n,"aria-invalid":r?!0:void 0,"aria-describedby":r?`${e}-error`:void 0,onChange:e=>i(e.target.value)}),r&&(0,C.jsx)(`p`,{id:`${e}-error`,className:`field-error`,children:r})]})}export{M as Fees,T as REGIONS,w as SCHEMES,ie as changeOf,re as draftErrors,A as draftOf,j as serverErrors};