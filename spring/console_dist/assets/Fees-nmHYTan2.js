import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{C as r,E as i,M as a,O as o,S as s,_ as c,b as l,c as u,d,f,h as p,i as m,m as h,o as g,r as _,s as v,w as y}from"./console-Dpo1cU1U.js";import{n as b,t as x}from"./Facts-Ixw6RFUu.js";var S=e(t(),1),C=n(),w=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],T=[`DOMESTIC`,`EEA`,`INTERNATIONAL`],E=f(`
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
`),D=f(`
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
`),O=f(`
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
`),ee=f(`
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
`),te=f(`
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
`),k=e=>`${e.scheme}-${e.region}`;function A(e,t){return{lines:(e?.lines??[]).map(e=>({scheme:e.scheme,region:e.region,rate:i(e.rateBps,t),fixed:i(Number(e.fixedFee),t)})),rental:i(Number(e?.terminalRentalMonthly??0),t),softpos:i(Number(e?.softposFeeMonthly??0),t),effectiveFrom:``}}function ne(e,t){let n={};for(let r of e.lines)o(r.rate)===null&&(n[`fee-${k(r)}-rate`]=t),o(r.fixed)===null&&(n[`fee-${k(r)}-fixed`]=t);return o(e.rental)===null&&(n[`fee-rental`]=t),o(e.softpos)===null&&(n[`fee-softpos`]=t),n}function re(e,t){let n=new Map((e?.lines??[]).map(e=>[k(e),e])),r=[],i=[];for(let e of t.lines){let t=o(e.rate)??0,a=o(e.fixed)??0,s=n.get(k(e));s&&s.rateBps===t&&Number(s.fixedFee)===a||(r.push({scheme:e.scheme,region:e.region,rateBps:t,fixedFee:a}),i.push(k(e)))}let a=new Set(t.lines.map(k)),s=(e?.lines??[]).filter(e=>!a.has(k(e))).map(e=>({scheme:e.scheme,region:e.region})),c=o(t.rental)??0,l=o(t.softpos)??0,u={lines:r,removeLines:s};return c!==Number(e?.terminalRentalMonthly??0)&&(u.terminalRentalMonthly=c),l!==Number(e?.softposFeeMonthly??0)&&(u.softposFeeMonthly=l),t.effectiveFrom&&(u.effectiveFrom=t.effectiveFrom),{input:u,keys:i}}function ie(e,t){return{currency:t,lines:e.lines.map(e=>({scheme:e.scheme,region:e.region,rateBps:o(e.rate)??0,fixedFee:o(e.fixed)??0})),terminalRentalMonthly:o(e.rental)??0,softposFeeMonthly:o(e.softpos)??0}}function j(e,t){let n={},r=(e,t)=>n[e]=n[e]?`${n[e]} ${t}`:t;for(let n of e){let[e,...i]=(n.field??[]).filter(e=>e!==`input`),a=``;if(e===`reason`||e===`description`||e===`subject`)a=`fee-reason`;else if(e===`fees`||e===`proposedFees`){let[e,n,r]=i;e===`lines`&&n!==void 0&&t[Number(n)]?a=`fee-${t[Number(n)]}-${r===`fixedFee`?`fixed`:`rate`}`:e===`terminalRentalMonthly`?a=`fee-rental`:e===`softposFeeMonthly`?a=`fee-softpos`:e===`effectiveFrom`&&(a=`fee-effective`)}r(a,n.message)}return n}function M(){let[e]=l(),t=e.get(`contract`),{t:n}=a();return(0,C.jsxs)(`section`,{className:`fees`,children:[(0,C.jsx)(`h1`,{children:n(`fees.title`)}),t?(0,C.jsx)(P,{id:t}):(0,C.jsx)(N,{})]})}function N(){let{t:e}=a(),[t,n]=(0,S.useState)(``),r=t.trim(),[{data:i,error:o,fetching:s}]=p({query:E,variables:{text:r},pause:r.length<2}),l=(0,S.useMemo)(()=>{let e=new Map;for(let t of i?.contracts?.edges??[])e.set(t.node.id,{id:t.node.id,number:t.node.number,status:t.node.status,company:t.node.company?.legalName??``});for(let t of i?.companies?.edges??[])for(let n of t.node.contracts.edges)e.set(n.node.id,{id:n.node.id,number:n.node.number,status:n.node.status,company:t.node.legalName});return[...e.values()]},[i]);return(0,C.jsxs)(`div`,{children:[(0,C.jsx)(`form`,{role:`search`,className:`filters`,onSubmit:e=>e.preventDefault(),children:(0,C.jsxs)(`label`,{children:[e(`fees.find`),(0,C.jsx)(`input`,{type:`search`,value:t,onChange:e=>n(e.target.value),placeholder:e(`fees.findPlaceholder`)})]})}),o&&(0,C.jsx)(g,{error:o}),r.length>=2&&!s&&i&&l.length===0&&(0,C.jsx)(`p`,{children:e(`home.noResults`)}),l.length>0&&(0,C.jsx)(`ul`,{className:`fee-results`,"aria-label":e(`fees.results`),children:l.map(e=>(0,C.jsxs)(`li`,{children:[(0,C.jsxs)(c,{to:`${_.fees}?contract=${encodeURIComponent(e.id)}`,children:[e.number,` — `,e.company]}),` `,(0,C.jsx)(m,{status:e.status})]},e.id))})]})}function P({id:e}){let{t,i18n:n}=a(),{reads:r}=d(),i=r(`Contract.currentFees`),[o,s]=(0,S.useState)(null),[{data:l,error:u,fetching:f},h]=p({query:D,variables:{id:e,withFees:i}});if(u&&!l)return(0,C.jsx)(g,{error:u,retry:()=>h({requestPolicy:`network-only`})});if(f&&!l)return(0,C.jsx)(v,{});let y=l?.node;if(!y||y.__typename!==`Contract`)return(0,C.jsx)(`p`,{role:`alert`,children:t(`fees.notFound`)});let b=y;return(0,C.jsxs)(C.Fragment,{children:[(0,C.jsxs)(`dl`,{className:`facts`,children:[(0,C.jsx)(x,{label:t(`columns.contract`),children:b.number}),(0,C.jsx)(x,{label:t(`columns.company`),children:b.company?(0,C.jsx)(c,{to:_.company(b.company.id),children:b.company.legalName}):`—`}),(0,C.jsx)(x,{label:t(`columns.status`),children:(0,C.jsx)(m,{status:b.status})})]}),(0,C.jsx)(`p`,{children:(0,C.jsx)(c,{to:_.fees,children:t(`fees.another`)})}),i?(0,C.jsx)(F,{contract:b,refresh:()=>h({requestPolicy:`network-only`}),onDone:s},`${b.id}-${b.currentFees?.versionNumber??0}-${n.language}`):(0,C.jsx)(`p`,{role:`note`,className:`notice`,children:t(`fees.notReadable`)}),o&&(0,C.jsx)(`p`,{role:`status`,className:`done`,children:o})]})}function F({contract:e,refresh:t,onDone:n}){let{t:c,i18n:l}=a(),{can:f,me:m}=d(),_=l.language,v=e.currentFees,E=v?.currency??e.currency,D=e=>r(e,E,_),[M,N]=(0,S.useState)(()=>A(v,_)),[P,F]=(0,S.useState)(()=>[{scheme:`CB`,region:`DOMESTIC`,amount:i(2500,_)},{scheme:`VISA`,region:`EEA`,amount:i(8e3,_)},{scheme:`MASTERCARD`,region:`INTERNATIONAL`,amount:i(12e3,_)}]),[L,ae]=(0,S.useState)(``),[oe,R]=(0,S.useState)({}),[z,se]=(0,S.useState)({scheme:`CB`,region:`DOMESTIC`}),[,ce]=h(ee),[,le]=h(te),B=f(`changeContractFees`),V=(m.permissions?.requestTypes??[]).includes(`FEE_CHANGE`)&&f(`createRequest`),H=f(`simulateFees`),U=c(`fees.invalidNumber`),W=ne(M,U),G=P.map(e=>o(e.amount)),K=P.length>0&&G.every(e=>e!==null),ue=P.map((e,t)=>({scheme:e.scheme,region:e.region,amount:G[t]??0})),[q]=p({query:O,variables:{input:{contractId:e.id,transactions:ue}},pause:!H||!K||!v}),[J]=p({query:O,variables:{input:{fees:ie(M,E),transactions:ue}},pause:!H||!K||Object.keys(W).length>0||M.lines.length===0}),Y={...W,...oe},de=(e,t)=>N(n=>({...n,lines:n.lines.map((n,r)=>r===e?{...n,...t}:n)})),fe=new Set(M.lines.map(k));async function pe(r,i){if(i?.preventDefault(),n(null),Object.keys(W).length)return;let{input:a,keys:o}=re(v,M);if(r===`apply`){let r=await ce({input:{id:e.id,fees:a,reason:L,expectedVersion:e.version}}),i=r.data?.changeContractFees;r.error?R({"":u(r.error,c)}):i?.userErrors.length?R(j(i.userErrors,o)):(R({}),n(c(`fees.applied`,{version:i?.contract?.currentFees?.versionNumber??``})),t())}else{let t=await le({input:{type:`FEE_CHANGE`,companyId:e.company?.id??``,contractId:e.id,subject:c(`fees.subject`,{number:e.number}),description:L||null,proposedFees:a}}),r=t.data?.createRequest;t.error?R({"":u(t.error,c)}):r?.userErrors.length?R(j(r.userErrors,o)):(R({}),n(c(`fees.asked`,{reference:r?.request?.reference??``})))}}let X=e=>c(`scheme.${e}`,{defaultValue:e}),Z=e=>c(`region.${e}`),me=B||V||H,he=q.data?.simulateFees?.lines,ge=J.data?.simulateFees?.lines,Q=q.data?.simulateFees?.totals,$=J.data?.simulateFees?.totals;return(0,C.jsxs)(C.Fragment,{children:[(0,C.jsx)(b,{title:c(`fees.current`),children:v?(0,C.jsxs)(C.Fragment,{children:[(0,C.jsx)(`p`,{children:c(`fees.version`,{version:v.versionNumber,date:s(v.effectiveFrom,_)})}),(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":c(`fees.current`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.rate`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.fixed`)})]})}),(0,C.jsx)(`tbody`,{children:v.lines.map(e=>(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:X(e.scheme)}),(0,C.jsx)(`td`,{children:Z(e.region)}),(0,C.jsx)(`td`,{children:y(e.rateBps,_)}),(0,C.jsx)(`td`,{children:D(e.fixedFee)})]},k(e)))})]}),(0,C.jsxs)(`dl`,{className:`facts`,children:[(0,C.jsx)(x,{label:c(`fees.rental`),children:D(v.terminalRentalMonthly)}),(0,C.jsx)(x,{label:c(`fees.softpos`),children:D(v.softposFeeMonthly)}),(0,C.jsx)(x,{label:c(`fees.effectiveFrom`),children:s(v.effectiveFrom,_)})]})]}):(0,C.jsx)(`p`,{children:c(`fees.noSchedule`)})}),(0,C.jsx)(b,{title:c(`fees.history`),count:e.feeHistory?.length??0,children:(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":c(`fees.history`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.versionColumn`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.effectiveFrom`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.lines`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.rental`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.softpos`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.reason`)})]})}),(0,C.jsx)(`tbody`,{children:(e.feeHistory??[]).map(e=>(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:e.versionNumber}),(0,C.jsx)(`td`,{children:s(e.effectiveFrom,_)}),(0,C.jsx)(`td`,{children:e.lines.map(t=>`${X(t.scheme)} ${Z(t.region)} ${y(t.rateBps,_)} + ${r(t.fixedFee,e.currency,_)}`).join(` ; `)}),(0,C.jsx)(`td`,{children:r(e.terminalRentalMonthly,e.currency,_)}),(0,C.jsx)(`td`,{children:r(e.softposFeeMonthly,e.currency,_)}),(0,C.jsx)(`td`,{children:e.reason??`—`})]},e.id))})]})}),me&&(0,C.jsxs)(`form`,{className:`fee-proposal`,onSubmit:e=>void pe(B?`apply`:`ask`,e),noValidate:!0,children:[(0,C.jsxs)(b,{title:c(`fees.proposed`),children:[(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":c(`fees.proposed`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.rateInput`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.fixedInput`)}),(0,C.jsx)(`th`,{scope:`col`,children:(0,C.jsx)(`span`,{className:`visually-hidden`,children:c(`fees.actions`)})})]})}),(0,C.jsx)(`tbody`,{children:M.lines.map((e,t)=>{let n=`${X(e.scheme)} ${Z(e.region)}`;return(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:X(e.scheme)}),(0,C.jsx)(`td`,{children:Z(e.region)}),(0,C.jsx)(`td`,{children:(0,C.jsx)(I,{id:`fee-${k(e)}-rate`,label:c(`fees.rateOf`,{line:n}),value:e.rate,error:Y[`fee-${k(e)}-rate`],onChange:e=>de(t,{rate:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(I,{id:`fee-${k(e)}-fixed`,label:c(`fees.fixedOf`,{line:n}),value:e.fixed,error:Y[`fee-${k(e)}-fixed`],onChange:e=>de(t,{fixed:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`button`,{type:`button`,onClick:()=>N(e=>({...e,lines:e.lines.filter((e,n)=>n!==t)})),children:c(`fees.removeLine`,{line:n})})})]},k(e))})})]}),(0,C.jsxs)(`fieldset`,{className:`filters`,children:[(0,C.jsx)(`legend`,{children:c(`fees.addLine`)}),(0,C.jsx)(`label`,{htmlFor:`fee-new-scheme`,children:c(`fees.scheme`)}),(0,C.jsx)(`select`,{id:`fee-new-scheme`,value:z.scheme,onChange:e=>se(t=>({...t,scheme:e.target.value})),children:w.map(e=>(0,C.jsx)(`option`,{value:e,children:X(e)},e))}),(0,C.jsx)(`label`,{htmlFor:`fee-new-region`,children:c(`fees.region`)}),(0,C.jsx)(`select`,{id:`fee-new-region`,value:z.region,onChange:e=>se(t=>({...t,region:e.target.value})),children:T.map(e=>(0,C.jsx)(`option`,{value:e,children:Z(e)},e))}),(0,C.jsx)(`button`,{type:`button`,disabled:fe.has(k(z)),onClick:()=>N(e=>({...e,lines:[...e.lines,{...z,rate:i(0,_),fixed:i(0,_)}]})),children:c(`fees.add`)})]}),(0,C.jsxs)(`div`,{className:`filters`,children:[(0,C.jsx)(I,{id:`fee-rental`,label:c(`fees.rentalInput`),value:M.rental,error:Y[`fee-rental`],onChange:e=>N(t=>({...t,rental:e}))}),(0,C.jsx)(I,{id:`fee-softpos`,label:c(`fees.softposInput`),value:M.softpos,error:Y[`fee-softpos`],onChange:e=>N(t=>({...t,softpos:e}))}),(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:`fee-effective`,children:c(`fees.effectiveInput`)}),(0,C.jsx)(`input`,{id:`fee-effective`,type:`date`,value:M.effectiveFrom,"aria-invalid":Y[`fee-effective`]?!0:void 0,"aria-describedby":Y[`fee-effective`]?`fee-effective-error`:void 0,onChange:e=>N(t=>({...t,effectiveFrom:e.target.value}))}),Y[`fee-effective`]&&(0,C.jsx)(`p`,{id:`fee-effective-error`,className:`field-error`,children:Y[`fee-effective`]})]})]})]}),H&&(0,C.jsxs)(b,{title:c(`fees.simulation`),children:[(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":c(`fees.simulation`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.amount`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.currentFee`)}),(0,C.jsx)(`th`,{scope:`col`,children:c(`fees.proposedFee`)}),(0,C.jsx)(`th`,{scope:`col`,children:(0,C.jsx)(`span`,{className:`visually-hidden`,children:c(`fees.actions`)})})]})}),(0,C.jsx)(`tbody`,{children:P.map((e,t)=>{let n=he?.[t],r=ge?.[t],i=e=>F(n=>n.map((n,r)=>r===t?{...n,...e}:n));return(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:(0,C.jsx)(`select`,{"aria-label":c(`fees.basketScheme`,{n:t+1}),value:e.scheme,onChange:e=>i({scheme:e.target.value}),children:w.map(e=>(0,C.jsx)(`option`,{value:e,children:X(e)},e))})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`select`,{"aria-label":c(`fees.basketRegion`,{n:t+1}),value:e.region,onChange:e=>i({region:e.target.value}),children:T.map(e=>(0,C.jsx)(`option`,{value:e,children:Z(e)},e))})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(I,{id:`basket-${t}-amount`,label:c(`fees.basketAmount`,{n:t+1}),value:e.amount,error:G[t]===null?U:void 0,onChange:e=>i({amount:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{"data-testid":`sim-current-${t}`,children:n?n.missing?c(`fees.missing`):D(n.fee):`…`}),(0,C.jsx)(`td`,{"data-testid":`sim-proposed-${t}`,children:r?r.missing?c(`fees.missing`):D(r.fee):`…`}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`button`,{type:`button`,onClick:()=>F(e=>e.filter((e,n)=>n!==t)),children:c(`fees.removeRow`,{n:t+1})})})]},t)})}),(0,C.jsx)(`tfoot`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`row`,colSpan:3,children:c(`fees.total`)}),(0,C.jsx)(`td`,{"data-testid":`sim-current-total`,children:Q?`${D(Q.fees)} (${y(Q.effectiveRateBps,_)})`:`…`}),(0,C.jsx)(`td`,{"data-testid":`sim-proposed-total`,children:$?`${D($.fees)} (${y($.effectiveRateBps,_)})`:`…`}),(0,C.jsx)(`td`,{})]})})]}),(0,C.jsx)(`button`,{type:`button`,onClick:()=>F(e=>[...e,{scheme:`CB`,region:`DOMESTIC`,amount:i(1e3,_)}]),children:c(`fees.addRow`)}),(q.error||J.error)&&(0,C.jsx)(g,{error:q.error??J.error})]}),(B||V)&&(0,C.jsxs)(`div`,{className:`fee-submit`,children:[(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:`fee-reason`,children:c(`fees.reasonInput`)}),(0,C.jsx)(`textarea`,{id:`fee-reason`,value:L,"aria-invalid":Y[`fee-reason`]?!0:void 0,"aria-describedby":Y[`fee-reason`]?`fee-reason-error`:void 0,onChange:e=>ae(e.target.value)}),Y[`fee-reason`]&&(0,C.jsx)(`p`,{id:`fee-reason-error`,className:`field-error`,children:Y[`fee-reason`]})]}),Y[``]&&(0,C.jsx)(`p`,{role:`alert`,className:`field-error`,children:Y[``]}),B&&(0,C.jsx)(`button`,{type:`submit`,children:c(`fees.apply`)}),V&&(0,C.jsx)(`button`,{type:B?`button`:`submit`,onClick:B?()=>void pe(`ask`):void 0,children:c(`fees.ask`)})]})]})]})}function I({id:e,label:t,value:n,error:r,onChange:i,hideLabel:a=!1}){return(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:e,className:a?`visually-hidden`:void 0,children:t}),(0,C.jsx)(`input`,{id:e,inputMode:`decimal`,value:n,"aria-invalid":r?!0:void 0,"aria-describedby":r?`${e}-error`:void 0,onChange:e=>i(e.target.value)}),r&&(0,C.jsx)(`p`,{id:`${e}-error`,className:`field-error`,children:r})]})}export{M as Fees,T as REGIONS,w as SCHEMES,re as changeOf,ne as draftErrors,A as draftOf,j as serverErrors};