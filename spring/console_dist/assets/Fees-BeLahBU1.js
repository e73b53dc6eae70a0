import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{A as r,E as i,S as a,a as o,b as s,c,d as l,f as u,g as d,h as f,i as p,m,o as h,u as g,w as _,x as v,y}from"./console-CAyTdcv_.js";import{n as b,t as x}from"./Facts-Ixw6RFUu.js";var S=e(t(),1),C=n(),w=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],T=[`DOMESTIC`,`EEA`,`INTERNATIONAL`],E=s(`
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
`),D=s(`
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
`),O=s(`
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
`),ee=s(`
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
`),te=s(`
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
`),k=e=>`${e.scheme}-${e.region}`;function A(e,t){return{lines:(e?.lines??[]).map(e=>({scheme:e.scheme,region:e.region,rate:c(e.rateBps,t),fixed:c(Number(e.fixedFee),t)})),rental:c(Number(e?.terminalRentalMonthly??0),t),softpos:c(Number(e?.softposFeeMonthly??0),t),effectiveFrom:``}}function ne(e,t){let n={};for(let r of e.lines)g(r.rate)===null&&(n[`fee-${k(r)}-rate`]=t),g(r.fixed)===null&&(n[`fee-${k(r)}-fixed`]=t);return g(e.rental)===null&&(n[`fee-rental`]=t),g(e.softpos)===null&&(n[`fee-softpos`]=t),n}function re(e,t){let n=new Map((e?.lines??[]).map(e=>[k(e),e])),r=[],i=[];for(let e of t.lines){let t=g(e.rate)??0,a=g(e.fixed)??0,o=n.get(k(e));o&&o.rateBps===t&&Number(o.fixedFee)===a||(r.push({scheme:e.scheme,region:e.region,rateBps:t,fixedFee:a}),i.push(k(e)))}let a=new Set(t.lines.map(k)),o=(e?.lines??[]).filter(e=>!a.has(k(e))).map(e=>({scheme:e.scheme,region:e.region})),s=g(t.rental)??0,c=g(t.softpos)??0,l={lines:r,removeLines:o};return s!==Number(e?.terminalRentalMonthly??0)&&(l.terminalRentalMonthly=s),c!==Number(e?.softposFeeMonthly??0)&&(l.softposFeeMonthly=c),t.effectiveFrom&&(l.effectiveFrom=t.effectiveFrom),{input:l,keys:i}}function ie(e,t){return{currency:t,lines:e.lines.map(e=>({scheme:e.scheme,region:e.region,rateBps:g(e.rate)??0,fixedFee:g(e.fixed)??0})),terminalRentalMonthly:g(e.rental)??0,softposFeeMonthly:g(e.softpos)??0}}function j(e,t){let n={},r=(e,t)=>n[e]=n[e]?`${n[e]} ${t}`:t;for(let n of e){let[e,...i]=(n.field??[]).filter(e=>e!==`input`),a=``;if(e===`reason`||e===`description`||e===`subject`)a=`fee-reason`;else if(e===`fees`||e===`proposedFees`){let[e,n,r]=i;e===`lines`&&n!==void 0&&t[Number(n)]?a=`fee-${t[Number(n)]}-${r===`fixedFee`?`fixed`:`rate`}`:e===`terminalRentalMonthly`?a=`fee-rental`:e===`softposFeeMonthly`?a=`fee-softpos`:e===`effectiveFrom`&&(a=`fee-effective`)}r(a,n.message)}return n}function M(){let[e]=i(),t=e.get(`contract`),{t:n}=r();return(0,C.jsxs)(`section`,{className:`fees`,children:[(0,C.jsx)(`h1`,{children:n(`fees.title`)}),t?(0,C.jsx)(P,{id:t}):(0,C.jsx)(N,{})]})}function N(){let{t:e}=r(),[t,n]=(0,S.useState)(``),i=t.trim(),[{data:o,error:s,fetching:c}]=a({query:E,variables:{text:i},pause:i.length<2}),d=(0,S.useMemo)(()=>{let e=new Map;for(let t of o?.contracts?.edges??[])e.set(t.node.id,{id:t.node.id,number:t.node.number,status:t.node.status,company:t.node.company?.legalName??``});for(let t of o?.companies?.edges??[])for(let n of t.node.contracts.edges)e.set(n.node.id,{id:n.node.id,number:n.node.number,status:n.node.status,company:t.node.legalName});return[...e.values()]},[o]);return(0,C.jsxs)(`div`,{children:[(0,C.jsx)(`form`,{role:`search`,className:`filters`,onSubmit:e=>e.preventDefault(),children:(0,C.jsxs)(`label`,{children:[e(`fees.find`),(0,C.jsx)(`input`,{type:`search`,value:t,onChange:e=>n(e.target.value),placeholder:e(`fees.findPlaceholder`)})]})}),s&&(0,C.jsx)(m,{error:s}),i.length>=2&&!c&&o&&d.length===0&&(0,C.jsx)(`p`,{children:e(`home.noResults`)}),d.length>0&&(0,C.jsx)(`ul`,{className:`fee-results`,"aria-label":e(`fees.results`),children:d.map(e=>(0,C.jsxs)(`li`,{children:[(0,C.jsxs)(_,{to:`${l.fees}?contract=${encodeURIComponent(e.id)}`,children:[e.number,` — `,e.company]}),` `,(0,C.jsx)(u,{status:e.status})]},e.id))})]})}function P({id:e}){let{t,i18n:n}=r(),{reads:i}=y(),o=i(`Contract.currentFees`),[s,c]=(0,S.useState)(null),[{data:d,error:p,fetching:h},g]=a({query:D,variables:{id:e,withFees:o}});if(p&&!d)return(0,C.jsx)(m,{error:p,retry:()=>g({requestPolicy:`network-only`})});if(h&&!d)return(0,C.jsx)(f,{});let v=d?.node;if(!v||v.__typename!==`Contract`)return(0,C.jsx)(`p`,{role:`alert`,children:t(`fees.notFound`)});let b=v;return(0,C.jsxs)(C.Fragment,{children:[(0,C.jsxs)(`dl`,{className:`facts`,children:[(0,C.jsx)(x,{label:t(`columns.contract`),children:b.number}),(0,C.jsx)(x,{label:t(`columns.company`),children:b.company?(0,C.jsx)(_,{to:l.company(b.company.id),children:b.company.legalName}):`—`}),(0,C.jsx)(x,{label:t(`columns.status`),children:(0,C.jsx)(u,{status:b.status})})]}),(0,C.jsx)(`p`,{children:(0,C.jsx)(_,{to:l.fees,children:t(`fees.another`)})}),o?(0,C.jsx)(F,{contract:b,refresh:()=>g({requestPolicy:`network-only`}),onDone:c},`${b.id}-${b.currentFees?.versionNumber??0}-${n.language}`):(0,C.jsx)(`p`,{role:`note`,className:`notice`,children:t(`fees.notReadable`)}),s&&(0,C.jsx)(`p`,{role:`status`,className:`done`,children:s})]})}function F({contract:e,refresh:t,onDone:n}){let{t:i,i18n:s}=r(),{can:l,me:u}=y(),f=s.language,_=e.currentFees,E=_?.currency??e.currency,D=e=>o(e,E,f),[M,N]=(0,S.useState)(()=>A(_,f)),[P,F]=(0,S.useState)(()=>[{scheme:`CB`,region:`DOMESTIC`,amount:c(2500,f)},{scheme:`VISA`,region:`EEA`,amount:c(8e3,f)},{scheme:`MASTERCARD`,region:`INTERNATIONAL`,amount:c(12e3,f)}]),[L,ae]=(0,S.useState)(``),[oe,R]=(0,S.useState)({}),[z,se]=(0,S.useState)({scheme:`CB`,region:`DOMESTIC`}),[,ce]=v(ee),[,le]=v(te),B=l(`changeContractFees`),V=(u.permissions?.requestTypes??[]).includes(`FEE_CHANGE`)&&l(`createRequest`),H=l(`simulateFees`),U=i(`fees.invalidNumber`),W=ne(M,U),G=P.map(e=>g(e.amount)),K=P.length>0&&G.every(e=>e!==null),ue=P.map((e,t)=>({scheme:e.scheme,region:e.region,amount:G[t]??0})),[q]=a({query:O,variables:{input:{contractId:e.id,transactions:ue}},pause:!H||!K||!_}),[J]=a({query:O,variables:{input:{fees:ie(M,E),transactions:ue}},pause:!H||!K||Object.keys(W).length>0||M.lines.length===0}),Y={...W,...oe},de=(e,t)=>N(n=>({...n,lines:n.lines.map((n,r)=>r===e?{...n,...t}:n)})),fe=new Set(M.lines.map(k));async function pe(r,a){if(a?.preventDefault(),n(null),Object.keys(W).length)return;let{input:o,keys:s}=re(_,M);if(r===`apply`){let r=await ce({input:{id:e.id,fees:o,reason:L,expectedVersion:e.version}}),a=r.data?.changeContractFees;r.error?R({"":d(r.error,i)}):a?.userErrors.length?R(j(a.userErrors,s)):(R({}),n(i(`fees.applied`,{version:a?.contract?.currentFees?.versionNumber??``})),t())}else{let t=await le({input:{type:`FEE_CHANGE`,companyId:e.company?.id??``,contractId:e.id,subject:i(`fees.subject`,{number:e.number}),description:L||null,proposedFees:o}}),r=t.data?.createRequest;t.error?R({"":d(t.error,i)}):r?.userErrors.length?R(j(r.userErrors,s)):(R({}),n(i(`fees.asked`,{reference:r?.request?.reference??``})))}}let X=e=>i(`scheme.${e}`,{defaultValue:e}),Z=e=>i(`region.${e}`),me=B||V||H,he=q.data?.simulateFees?.lines,ge=J.data?.simulateFees?.lines,Q=q.data?.simulateFees?.totals,$=J.data?.simulateFees?.totals;return(0,C.jsxs)(C.Fragment,{children:[(0,C.jsx)(b,{title:i(`fees.current`),children:_?(0,C.jsxs)(C.Fragment,{children:[(0,C.jsx)(`p`,{children:i(`fees.version`,{version:_.versionNumber,date:p(_.effectiveFrom,f)})}),(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":i(`fees.current`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.rate`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.fixed`)})]})}),(0,C.jsx)(`tbody`,{children:_.lines.map(e=>(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:X(e.scheme)}),(0,C.jsx)(`td`,{children:Z(e.region)}),(0,C.jsx)(`td`,{children:h(e.rateBps,f)}),(0,C.jsx)(`td`,{children:D(e.fixedFee)})]},k(e)))})]}),(0,C.jsxs)(`dl`,{className:`facts`,children:[(0,C.jsx)(x,{label:i(`fees.rental`),children:D(_.terminalRentalMonthly)}),(0,C.jsx)(x,{label:i(`fees.softpos`),children:D(_.softposFeeMonthly)}),(0,C.jsx)(x,{label:i(`fees.effectiveFrom`),children:p(_.effectiveFrom,f)})]})]}):(0,C.jsx)(`p`,{children:i(`fees.noSchedule`)})}),(0,C.jsx)(b,{title:i(`fees.history`),count:e.feeHistory?.length??0,children:(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":i(`fees.history`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.versionColumn`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.effectiveFrom`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.lines`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.rental`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.softpos`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.reason`)})]})}),(0,C.jsx)(`tbody`,{children:(e.feeHistory??[]).map(e=>(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:e.versionNumber}),(0,C.jsx)(`td`,{children:p(e.effectiveFrom,f)}),(0,C.jsx)(`td`,{children:e.lines.map(t=>`${X(t.scheme)} ${Z(t.region)} ${h(t.rateBps,f)} + ${o(t.fixedFee,e.currency,f)}`).join(` ; `)}),(0,C.jsx)(`td`,{children:o(e.terminalRentalMonthly,e.currency,f)}),(0,C.jsx)(`td`,{children:o(e.softposFeeMonthly,e.currency,f)}),(0,C.jsx)(`td`,{children:e.reason??`—`})]},e.id))})]})}),me&&(0,C.jsxs)(`form`,{className:`fee-proposal`,onSubmit:e=>void pe(B?`apply`:`ask`,e),noValidate:!0,children:[(0,C.jsxs)(b,{title:i(`fees.proposed`),children:[(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":i(`fees.proposed`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.rateInput`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.fixedInput`)}),(0,C.jsx)(`th`,{scope:`col`,children:(0,C.jsx)(`span`,{className:`visually-hidden`,children:i(`fees.actions`)})})]})}),(0,C.jsx)(`tbody`,{children:M.lines.map((e,t)=>{let n=`${X(e.scheme)} ${Z(e.region)}`;return(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:X(e.scheme)}),(0,C.jsx)(`td`,{children:Z(e.region)}),(0,C.jsx)(`td`,{children:(0,C.jsx)(I,{id:`fee-${k(e)}-rate`,label:i(`fees.rateOf`,{line:n}),value:e.rate,error:Y[`fee-${k(e)}-rate`],onChange:e=>de(t,{rate:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(I,{id:`fee-${k(e)}-fixed`,label:i(`fees.fixedOf`,{line:n}),value:e.fixed,error:Y[`fee-${k(e)}-fixed`],onChange:e=>de(t,{fixed:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`button`,{type:`button`,onClick:()=>N(e=>({...e,lines:e.lines.filter((e,n)=>n!==t)})),children:i(`fees.removeLine`,{line:n})})})]},k(e))})})]}),(0,C.jsxs)(`fieldset`,{className:`filters`,children:[(0,C.jsx)(`legend`,{children:i(`fees.addLine`)}),(0,C.jsx)(`label`,{htmlFor:`fee-new-scheme`,children:i(`fees.scheme`)}),(0,C.jsx)(`select`,{id:`fee-new-scheme`,value:z.scheme,onChange:e=>se(t=>({...t,scheme:e.target.value})),children:w.map(e=>(0,C.jsx)(`option`,{value:e,children:X(e)},e))}),(0,C.jsx)(`label`,{htmlFor:`fee-new-region`,children:i(`fees.region`)}),(0,C.jsx)(`select`,{id:`fee-new-region`,value:z.region,onChange:e=>se(t=>({...t,region:e.target.value})),children:T.map(e=>(0,C.jsx)(`option`,{value:e,children:Z(e)},e))}),(0,C.jsx)(`button`,{type:`button`,disabled:fe.has(k(z)),onClick:()=>N(e=>({...e,lines:[...e.lines,{...z,rate:c(0,f),fixed:c(0,f)}]})),children:i(`fees.add`)})]}),(0,C.jsxs)(`div`,{className:`filters`,children:[(0,C.jsx)(I,{id:`fee-rental`,label:i(`fees.rentalInput`),value:M.rental,error:Y[`fee-rental`],onChange:e=>N(t=>({...t,rental:e}))}),(0,C.jsx)(I,{id:`fee-softpos`,label:i(`fees.softposInput`),value:M.softpos,error:Y[`fee-softpos`],onChange:e=>N(t=>({...t,softpos:e}))}),(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:`fee-effective`,children:i(`fees.effectiveInput`)}),(0,C.jsx)(`input`,{id:`fee-effective`,type:`date`,value:M.effectiveFrom,"aria-invalid":Y[`fee-effective`]?!0:void 0,"aria-describedby":Y[`fee-effective`]?`fee-effective-error`:void 0,onChange:e=>N(t=>({...t,effectiveFrom:e.target.value}))}),Y[`fee-effective`]&&(0,C.jsx)(`p`,{id:`fee-effective-error`,className:`field-error`,children:Y[`fee-effective`]})]})]})]}),H&&(0,C.jsxs)(b,{title:i(`fees.simulation`),children:[(0,C.jsxs)(`table`,{className:`data-table`,"aria-label":i(`fees.simulation`),children:[(0,C.jsx)(`thead`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.scheme`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.region`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.amount`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.currentFee`)}),(0,C.jsx)(`th`,{scope:`col`,children:i(`fees.proposedFee`)}),(0,C.jsx)(`th`,{scope:`col`,children:(0,C.jsx)(`span`,{className:`visually-hidden`,children:i(`fees.actions`)})})]})}),(0,C.jsx)(`tbody`,{children:P.map((e,t)=>{let n=he?.[t],r=ge?.[t],a=e=>F(n=>n.map((n,r)=>r===t?{...n,...e}:n));return(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`td`,{children:(0,C.jsx)(`select`,{"aria-label":i(`fees.basketScheme`,{n:t+1}),value:e.scheme,onChange:e=>a({scheme:e.target.value}),children:w.map(e=>(0,C.jsx)(`option`,{value:e,children:X(e)},e))})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`select`,{"aria-label":i(`fees.basketRegion`,{n:t+1}),value:e.region,onChange:e=>a({region:e.target.value}),children:T.map(e=>(0,C.jsx)(`option`,{value:e,children:Z(e)},e))})}),(0,C.jsx)(`td`,{children:(0,C.jsx)(I,{id:`basket-${t}-amount`,label:i(`fees.basketAmount`,{n:t+1}),value:e.amount,error:G[t]===null?U:void 0,onChange:e=>a({amount:e}),hideLabel:!0})}),(0,C.jsx)(`td`,{"data-testid":`sim-current-${t}`,children:n?n.missing?i(`fees.missing`):D(n.fee):`…`}),(0,C.jsx)(`td`,{"data-testid":`sim-proposed-${t}`,children:r?r.missing?i(`fees.missing`):D(r.fee):`…`}),(0,C.jsx)(`td`,{children:(0,C.jsx)(`button`,{type:`button`,onClick:()=>F(e=>e.filter((e,n)=>n!==t)),children:i(`fees.removeRow`,{n:t+1})})})]},t)})}),(0,C.jsx)(`tfoot`,{children:(0,C.jsxs)(`tr`,{children:[(0,C.jsx)(`th`,{scope:`row`,colSpan:3,children:i(`fees.total`)}),(0,C.jsx)(`td`,{"data-testid":`sim-current-total`,children:Q?`${D(Q.fees)} (${h(Q.effectiveRateBps,f)})`:`…`}),(0,C.jsx)(`td`,{"data-testid":`sim-proposed-total`,children:$?`${D($.fees)} (${h($.effectiveRateBps,f)})`:`…`}),(0,C.jsx)(`td`,{})]})})]}),(0,C.jsx)(`button`,{type:`button`,onClick:()=>F(e=>[...e,{scheme:`CB`,region:`DOMESTIC`,amount:c(1e3,f)}]),children:i(`fees.addRow`)}),(q.error||J.error)&&(0,C.jsx)(m,{error:q.error??J.error})]}),(B||V)&&(0,C.jsxs)(`div`,{className:`fee-submit`,children:[(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:`fee-reason`,children:i(`fees.reasonInput`)}),(0,C.jsx)(`textarea`,{id:`fee-reason`,value:L,"aria-invalid":Y[`fee-reason`]?!0:void 0,"aria-describedby":Y[`fee-reason`]?`fee-reason-error`:void 0,onChange:e=>ae(e.target.value)}),Y[`fee-reason`]&&(0,C.jsx)(`p`,{id:`fee-reason-error`,className:`field-error`,children:Y[`fee-reason`]})]}),Y[``]&&(0,C.jsx)(`p`,{role:`alert`,className:`field-error`,children:Y[``]}),B&&(0,C.jsx)(`button`,{type:`submit`,children:i(`fees.apply`)}),V&&(0,C.jsx)(`button`,{type:B?`button`:`submit`,onClick:B?()=>void pe(`ask`):void 0,children:i(`fees.ask`)})]})]})]})}function I({id:e,label:t,value:n,error:r,onChange:i,hideLabel:a=!1}){return(0,C.jsxs)(`div`,{className:`field`,children:[(0,C.jsx)(`label`,{htmlFor:e,className:a?`visually-hidden`:void 0,children:t}),(0,C.jsx)(`input`,{id:e,inputMode:`decimal`,value:n,"aria-invalid":r?!0:void 0,"aria-describedby":r?`${e}-error`:void 0,onChange:e=>i(e.target.value)}),r&&(0,C.jsx)(`p`,{id:`${e}-error`,className:`field-error`,children:r})]})}export{M as Fees,T as REGIONS,w as SCHEMES,re as changeOf,ne as draftErrors,A as draftOf,j as serverErrors};