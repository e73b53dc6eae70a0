import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{A as r,C as i,S as a,T as o,b as s,d as c,f as l,g as u,h as d,m as f,p,r as m,w as h,x as g,y as _}from"./console-Co9Z1F2v.js";import{n as v,t as y}from"./Facts-Ixw6RFUu.js";import{TerminalChangesDocument as b}from"./Fleet-BbRXSC5Y.js";var x=e(t(),1),S=n(),C=s(`
  query TerminalDetail($id: ID!, $withEvents: Boolean!) {
    node(id: $id) {
      __typename
      ... on Terminal {
        id
        tid
        kind
        model
        serialNumber
        osVersion
        firmwareVersion
        appVersion
        status
        blockedReason
        blockedUntil
        connectivity
        lastSeenAt
        lastHeartbeatAt
        optionsStatus
        appliedOptionsVersion
        optionsAppliedAt
        version
        options {
          versionNumber
          contactless
          tipping
          cashback
          preAuthorization
          manualEntry
          receiptMode
          language
          settlementTime
          createdAt
          acknowledgedAt
        }
        shop {
          id
          name
          company {
            id
            legalName
          }
        }
        services {
          id
          kind
          status
          blockedReason
          blockedUntil
          version
          contract {
            id
            number
          }
        }
        events(first: 25) @include(if: $withEvents) {
          edges {
            node {
              id
              kind
              code
              message
              occurredAt
            }
          }
        }
      }
    }
  }
`),w=s(`
  query DiagnoseTerminal($id: ID!) {
    diagnoseTerminal(id: $id) {
      verdict
      diagnosedAt
      checks {
        code
        verdict
        title
        hint
      }
    }
  }
`),T=s(`
  mutation UpdateTerminalOptions($input: UpdateTerminalOptionsInput!) {
    updateTerminalOptions(input: $input) {
      terminal {
        id
        optionsStatus
        version
        options {
          versionNumber
          contactless
          tipping
          cashback
          preAuthorization
          manualEntry
          receiptMode
          language
          settlementTime
          createdAt
          acknowledgedAt
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),E=s(`
  mutation BlockTerminal($input: BlockTerminalInput!) {
    blockTerminal(input: $input) {
      terminal {
        id
        status
        blockedReason
        blockedUntil
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),D=s(`
  mutation UnblockTerminal($input: UnblockTerminalInput!) {
    unblockTerminal(input: $input) {
      terminal {
        id
        status
        blockedReason
        blockedUntil
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),O=s(`
  mutation BlockService($input: BlockServiceInput!) {
    blockService(input: $input) {
      service {
        id
        status
        blockedReason
        blockedUntil
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),ee=s(`
  mutation UnblockService($input: UnblockServiceInput!) {
    unblockService(input: $input) {
      service {
        id
        status
        blockedReason
        blockedUntil
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),k=[`PRINT`,`EMAIL`,`SMS`,`NONE`],A=[`contactless`,`tipping`,`cashback`,`preAuthorization`,`manualEntry`];function j(e){return e?new Date(e).toISOString():null}function M({errors:e}){return e.length?(0,S.jsx)(`div`,{role:`alert`,className:`field-error`,children:e.map(e=>(0,S.jsx)(`p`,{children:e.message},e.message))}):null}function N({label:e,onBlock:t,onClose:n}){let{t:i}=r(),[a,o]=(0,x.useState)(``),[s,c]=(0,x.useState)(``),[l,u]=(0,x.useState)([]);return(0,S.jsxs)(`form`,{className:`block-form`,onSubmit:async e=>{e.preventDefault();let r=await t(a,j(s));u(r),r.length||n()},"aria-label":e,children:[(0,S.jsxs)(`label`,{children:[i(`terminal.reason`),(0,S.jsx)(`input`,{value:a,onChange:e=>o(e.target.value),required:!0,"aria-required":`true`})]}),(0,S.jsxs)(`label`,{children:[i(`terminal.until`),(0,S.jsx)(`input`,{type:`datetime-local`,step:1,value:s,onChange:e=>c(e.target.value)})]}),(0,S.jsx)(`button`,{type:`submit`,className:`primary`,children:e}),(0,S.jsx)(`button`,{type:`button`,onClick:n,children:i(`terminal.cancel`)}),(0,S.jsx)(M,{errors:l})]})}function P({terminal:e,options:t}){let{t:n}=r(),[i,a]=(0,x.useState)(t),[o,s]=(0,x.useState)([]),[c,l]=(0,x.useState)(!1),[,d]=g(T);return(0,S.jsxs)(`form`,{className:`options-form`,onSubmit:async t=>{t.preventDefault(),l(!1);let r=await d({input:{id:e.id,expectedVersion:e.version,contactless:i.contactless,tipping:i.tipping,cashback:i.cashback,preAuthorization:i.preAuthorization,manualEntry:i.manualEntry,receiptMode:i.receiptMode,language:i.language,settlementTime:i.settlementTime}}),a=r.data?.updateTerminalOptions?.userErrors??[];s(r.error?[{message:u(r.error,n)}]:a),l(!r.error&&!a.length)},"aria-label":n(`terminal.editOptions`),children:[A.map(e=>(0,S.jsxs)(`label`,{className:`check`,children:[(0,S.jsx)(`input`,{type:`checkbox`,checked:i[e],onChange:t=>a({...i,[e]:t.target.checked})}),n(`options.${e}`)]},e)),(0,S.jsxs)(`label`,{children:[n(`options.receiptMode`),(0,S.jsx)(`select`,{value:i.receiptMode,onChange:e=>a({...i,receiptMode:e.target.value}),children:k.map(e=>(0,S.jsx)(`option`,{value:e,children:n(`receipt.${e}`)},e))})]}),(0,S.jsxs)(`label`,{children:[n(`options.language`),(0,S.jsx)(`input`,{value:i.language,onChange:e=>a({...i,language:e.target.value}),maxLength:2})]}),(0,S.jsxs)(`label`,{children:[n(`options.settlementTime`),(0,S.jsx)(`input`,{type:`time`,value:i.settlementTime,onChange:e=>a({...i,settlementTime:e.target.value})})]}),(0,S.jsx)(`button`,{type:`submit`,className:`primary`,children:n(`terminal.saveOptions`)}),c&&(0,S.jsx)(`p`,{role:`status`,children:n(`terminal.optionsSaved`)}),(0,S.jsx)(M,{errors:o})]})}function F({id:e}){let{t}=r(),[n,i]=(0,x.useState)(!1),[{data:o,error:s,fetching:c},l]=a({query:w,variables:{id:e},pause:!n,requestPolicy:`network-only`}),u=o?.diagnoseTerminal;return(0,S.jsxs)(v,{title:t(`terminal.diagnosis`),children:[(0,S.jsx)(`button`,{type:`button`,onClick:()=>{n?l({requestPolicy:`network-only`}):i(!0)},disabled:c,children:t(`terminal.diagnose`)}),c&&(0,S.jsx)(d,{}),s&&(0,S.jsx)(f,{error:s}),u&&(0,S.jsxs)(`div`,{"data-testid":`diagnosis`,children:[(0,S.jsxs)(`p`,{children:[t(`terminal.verdict`),` `,(0,S.jsx)(`span`,{className:`badge verdict-${u.verdict.toLowerCase()}`,children:t(`verdict.${u.verdict}`)})]}),(0,S.jsx)(`ul`,{className:`checks`,children:u.checks.map(e=>(0,S.jsxs)(`li`,{className:`check-${e.verdict.toLowerCase()}`,children:[(0,S.jsxs)(`strong`,{children:[t(`verdict.${e.verdict}`),` — `,e.title]}),(0,S.jsx)(`p`,{children:e.hint})]},e.code))})]})]})}function I(){let{id:e=``}=o(),{t,i18n:n}=r(),{can:s}=_(),w=s(`terminalEvents`),[{data:T,error:k,fetching:j},I]=a({query:C,variables:{id:e,withEvents:w}}),L=T?.node,R=L?.__typename===`Terminal`?L.tid:null;i({query:b,variables:{filter:{text:R}},pause:!R},(t,n)=>(n.terminalStatusChanged.terminal.id===e&&I({requestPolicy:`network-only`}),n));let[,z]=g(E),[,B]=g(D),[,V]=g(O),[,H]=g(ee),U=(L?.__typename===`Terminal`?[L.blockedUntil,...L.services.map(e=>e.blockedUntil)]:[]).filter(e=>!!e).map(e=>Date.parse(e)).filter(e=>e>Date.now()-6e4).sort((e,t)=>e-t)[0];(0,x.useEffect)(()=>{if(U===void 0)return;let e=window.setTimeout(()=>I({requestPolicy:`network-only`}),Math.max(U-Date.now(),0)+2e3);return()=>window.clearTimeout(e)},[U,T,I]);let[W,G]=(0,x.useState)([]),[K,q]=(0,x.useState)(null);if(k&&!T)return(0,S.jsx)(f,{error:k,retry:()=>I({requestPolicy:`network-only`})});if(j&&!T)return(0,S.jsx)(d,{});if(!L||L.__typename!==`Terminal`)return(0,S.jsx)(`p`,{role:`alert`,children:t(`terminal.notFound`)});let J=L,Y=e=>m(e,n.language),X=e=>[{message:e,code:`INVALID`,field:null}],Z=[{id:`at`,header:t(`columns.at`),cell:({row:e})=>Y(e.original.occurredAt)},{id:`kind`,header:t(`columns.kind`),cell:({row:e})=>e.original.kind},{id:`code`,header:t(`terminal.code`),cell:({row:e})=>e.original.code??`—`},{id:`message`,header:t(`terminal.message`),cell:({row:e})=>e.original.message??`—`}],Q=[{id:`kind`,header:t(`columns.kind`),cell:({row:e})=>t(`serviceKind.${e.original.kind}`)},{id:`status`,header:t(`columns.status`),cell:({row:e})=>(0,S.jsx)(l,{status:e.original.status})},{id:`contract`,header:t(`columns.contract`),cell:({row:e})=>e.original.contract?.number??`—`},{id:`blocked`,header:t(`terminal.blocked`),cell:({row:e})=>e.original.blockedReason?`${e.original.blockedReason}${e.original.blockedUntil?` — ${t(`terminal.untilShort`,{at:Y(e.original.blockedUntil)})}`:``}`:`—`},{id:`actions`,header:t(`terminal.actions`),cell:({row:e})=>{let n=e.original;return n.status===`BLOCKED`&&s(`unblockService`)?(0,S.jsx)(`button`,{type:`button`,onClick:async()=>{let e=await H({input:{id:n.id,expectedVersion:n.version}});G(e.error?X(u(e.error,t)):e.data?.unblockService?.userErrors??[])},children:t(`terminal.unblockService`)}):n.status===`ACTIVE`&&s(`blockService`)?(0,S.jsx)(`button`,{type:`button`,"aria-expanded":K===n.id,onClick:()=>q(n.id),children:t(`terminal.blockService`)}):null}}],$=J.options;return(0,S.jsxs)(`article`,{className:`company`,children:[(0,S.jsxs)(`header`,{className:`company-header`,children:[(0,S.jsxs)(`h1`,{children:[t(`terminal.title`),` `,J.tid]}),(0,S.jsx)(l,{status:J.status}),(0,S.jsx)(`span`,{"data-testid":`terminal-connectivity`,children:(0,S.jsx)(l,{status:J.connectivity})})]}),(0,S.jsxs)(`dl`,{className:`facts`,children:[(0,S.jsx)(y,{label:t(`fleet.shop`),children:J.shop?(0,S.jsx)(h,{to:c.shop(J.shop.id),children:J.shop.name}):`—`}),(0,S.jsx)(y,{label:t(`columns.company`),children:J.shop?.company?(0,S.jsx)(h,{to:c.company(J.shop.company.id),children:J.shop.company.legalName}):`—`}),(0,S.jsx)(y,{label:t(`columns.kind`),children:t(`terminalKind.${J.kind}`)}),(0,S.jsx)(y,{label:t(`columns.model`),children:J.model??`—`}),(0,S.jsx)(y,{label:t(`columns.serial`),children:J.serialNumber??`—`}),(0,S.jsx)(y,{label:t(`terminal.versions`),children:[J.osVersion&&`OS ${J.osVersion}`,J.firmwareVersion&&`FW ${J.firmwareVersion}`,J.appVersion&&`app ${J.appVersion}`].filter(Boolean).join(` · `)||`—`}),(0,S.jsx)(y,{label:t(`columns.lastSeen`),children:Y(J.lastSeenAt)}),J.blockedReason&&(0,S.jsxs)(y,{label:t(`terminal.blocked`),children:[J.blockedReason,J.blockedUntil&&` — ${t(`terminal.untilShort`,{at:Y(J.blockedUntil)})}`]})]}),(0,S.jsxs)(`div`,{className:`actions`,children:[J.status===`BLOCKED`&&s(`unblockTerminal`)&&(0,S.jsx)(`button`,{type:`button`,onClick:async()=>{let e=await B({input:{id:J.id,expectedVersion:J.version}});G(e.error?X(u(e.error,t)):e.data?.unblockTerminal?.userErrors??[])},children:t(`terminal.unblock`)}),(J.status===`ACTIVE`||J.status===`ASSIGNED`)&&s(`blockTerminal`)&&K!==J.id&&(0,S.jsx)(`button`,{type:`button`,onClick:()=>q(J.id),children:t(`terminal.block`)}),K===J.id&&(0,S.jsx)(N,{label:t(`terminal.block`),onClose:()=>q(null),onBlock:async(e,n)=>{let r=await z({input:{id:J.id,reason:e,until:n,expectedVersion:J.version}});return r.error?X(u(r.error,t)):r.data?.blockTerminal?.userErrors??[]}}),(0,S.jsx)(M,{errors:W})]}),(0,S.jsx)(v,{title:t(`terminal.options`),children:$?(0,S.jsxs)(S.Fragment,{children:[(0,S.jsx)(`p`,{"data-testid":`options-status`,children:J.optionsStatus===`PENDING`?t(`terminal.optionsPending`,{version:$.versionNumber,since:Y($.createdAt)}):t(`terminal.optionsApplied`,{version:$.versionNumber,at:Y($.acknowledgedAt??J.optionsAppliedAt)})}),s(`updateTerminalOptions`)?(0,S.jsx)(P,{terminal:J,options:$},`${$.versionNumber}`):(0,S.jsxs)(`dl`,{className:`facts`,children:[A.map(e=>(0,S.jsx)(y,{label:t(`options.${e}`),children:$[e]?t(`terminal.yes`):t(`terminal.no`)},e)),(0,S.jsx)(y,{label:t(`options.receiptMode`),children:t(`receipt.${$.receiptMode}`)}),(0,S.jsx)(y,{label:t(`options.settlementTime`),children:$.settlementTime})]})]}):(0,S.jsx)(`p`,{children:t(`terminal.noOptions`)})}),(0,S.jsxs)(v,{title:t(`shop.services`),count:J.services.length,children:[(0,S.jsx)(p,{columns:Q,data:J.services,caption:t(`shop.services`),empty:t(`company.none`)}),J.services.filter(e=>e.id===K).map(e=>(0,S.jsx)(N,{label:t(`terminal.blockService`),onClose:()=>q(null),onBlock:async(n,r)=>{let i=await V({input:{id:e.id,reason:n,until:r,expectedVersion:e.version}});return i.error?X(u(i.error,t)):i.data?.blockService?.userErrors??[]}},e.id))]}),s(`diagnoseTerminal`)&&(0,S.jsx)(F,{id:J.id}),J.events&&(0,S.jsx)(v,{title:t(`terminal.journal`),children:(0,S.jsx)(p,{columns:Z,data:J.events.edges.map(e=>e.node),caption:t(`terminal.journal`),empty:t(`company.none`),testId:`terminal-events`})})]})}export{I as TerminalDetail};