import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{A as r,C as i,S as a,T as o,b as s,d as c,f as l,g as u,h as d,m as f,p,r as ee,w as m,x as h,y as g}from"./console-CAyTdcv_.js";import{n as _,t as v}from"./Facts-Ixw6RFUu.js";import{TerminalChangesDocument as te}from"./Fleet-CmB3_5Z6.js";var y=e(t(),1),b=n(),ne=s(`
  query TerminalDetail($id: ID!, $withEvents: Boolean!, $withCommands: Boolean!) {
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
        commands(first: 10) @include(if: $withCommands) {
          edges {
            node {
              id
              kind
              status
              requestedByLabel
              createdAt
              finishedAt
              failureReason
            }
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
`),x=s(`
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
`),re=s(`
  mutation SendTerminalCommand($input: SendTerminalCommandInput!) {
    sendTerminalCommand(input: $input) {
      command {
        id
        kind
        status
        createdAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),S=s(`
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
`),C=s(`
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
`),w=s(`
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
`),T=s(`
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
`),E=s(`
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
`),D=[`DOWNLOAD_PARAMETERS`,`REBOOT`,`UPDATE_APP`],O=[`PRINT`,`EMAIL`,`SMS`,`NONE`],k=[`contactless`,`tipping`,`cashback`,`preAuthorization`,`manualEntry`];function A(e){return e?new Date(e).toISOString():null}function j({errors:e}){return e.length?(0,b.jsx)(`div`,{role:`alert`,className:`field-error`,children:e.map(e=>(0,b.jsx)(`p`,{children:e.message},e.message))}):null}function M({label:e,onBlock:t,onClose:n}){let{t:i}=r(),[a,o]=(0,y.useState)(``),[s,c]=(0,y.useState)(``),[l,u]=(0,y.useState)([]);return(0,b.jsxs)(`form`,{className:`block-form`,onSubmit:async e=>{e.preventDefault();let r=await t(a,A(s));u(r),r.length||n()},"aria-label":e,children:[(0,b.jsxs)(`label`,{children:[i(`terminal.reason`),(0,b.jsx)(`input`,{value:a,onChange:e=>o(e.target.value),required:!0,"aria-required":`true`})]}),(0,b.jsxs)(`label`,{children:[i(`terminal.until`),(0,b.jsx)(`input`,{type:`datetime-local`,step:1,value:s,onChange:e=>c(e.target.value)})]}),(0,b.jsx)(`button`,{type:`submit`,className:`primary`,children:e}),(0,b.jsx)(`button`,{type:`button`,onClick:n,children:i(`terminal.cancel`)}),(0,b.jsx)(j,{errors:l})]})}function N({terminal:e,options:t}){let{t:n}=r(),[i,a]=(0,y.useState)(t),[o,s]=(0,y.useState)([]),[c,l]=(0,y.useState)(!1),[,d]=h(S);return(0,b.jsxs)(`form`,{className:`options-form`,onSubmit:async t=>{t.preventDefault(),l(!1);let r=await d({input:{id:e.id,expectedVersion:e.version,contactless:i.contactless,tipping:i.tipping,cashback:i.cashback,preAuthorization:i.preAuthorization,manualEntry:i.manualEntry,receiptMode:i.receiptMode,language:i.language,settlementTime:i.settlementTime}}),a=r.data?.updateTerminalOptions?.userErrors??[];s(r.error?[{message:u(r.error,n)}]:a),l(!r.error&&!a.length)},"aria-label":n(`terminal.editOptions`),children:[k.map(e=>(0,b.jsxs)(`label`,{className:`check`,children:[(0,b.jsx)(`input`,{type:`checkbox`,checked:i[e],onChange:t=>a({...i,[e]:t.target.checked})}),n(`options.${e}`)]},e)),(0,b.jsxs)(`label`,{children:[n(`options.receiptMode`),(0,b.jsx)(`select`,{value:i.receiptMode,onChange:e=>a({...i,receiptMode:e.target.value}),children:O.map(e=>(0,b.jsx)(`option`,{value:e,children:n(`receipt.${e}`)},e))})]}),(0,b.jsxs)(`label`,{children:[n(`options.language`),(0,b.jsx)(`input`,{value:i.language,onChange:e=>a({...i,language:e.target.value}),maxLength:2})]}),(0,b.jsxs)(`label`,{children:[n(`options.settlementTime`),(0,b.jsx)(`input`,{type:`time`,value:i.settlementTime,onChange:e=>a({...i,settlementTime:e.target.value})})]}),(0,b.jsx)(`button`,{type:`submit`,className:`primary`,children:n(`terminal.saveOptions`)}),c&&(0,b.jsx)(`p`,{role:`status`,children:n(`terminal.optionsSaved`)}),(0,b.jsx)(j,{errors:o})]})}function P({id:e}){let{t}=r(),[n,i]=(0,y.useState)(!1),[{data:o,error:s,fetching:c},l]=a({query:x,variables:{id:e},pause:!n,requestPolicy:`network-only`}),u=o?.diagnoseTerminal;return(0,b.jsxs)(_,{title:t(`terminal.diagnosis`),children:[(0,b.jsx)(`button`,{type:`button`,onClick:()=>{n?l({requestPolicy:`network-only`}):i(!0)},disabled:c,children:t(`terminal.diagnose`)}),c&&(0,b.jsx)(d,{}),s&&(0,b.jsx)(f,{error:s}),u&&(0,b.jsxs)(`div`,{"data-testid":`diagnosis`,children:[(0,b.jsxs)(`p`,{children:[t(`terminal.verdict`),` `,(0,b.jsx)(`span`,{className:`badge verdict-${u.verdict.toLowerCase()}`,children:t(`verdict.${u.verdict}`)})]}),(0,b.jsx)(`ul`,{className:`checks`,children:u.checks.map(e=>(0,b.jsxs)(`li`,{className:`check-${e.verdict.toLowerCase()}`,children:[(0,b.jsxs)(`strong`,{children:[t(`verdict.${e.verdict}`),` — `,e.title]}),(0,b.jsx)(`p`,{children:e.hint})]},e.code))})]})]})}function F(){let{id:e=``}=o(),{t,i18n:n}=r(),{can:s,reads:x}=g(),S=s(`terminalEvents`),O=x(`Terminal.commands`),[{data:A,error:F,fetching:I},L]=a({query:ne,variables:{id:e,withEvents:S,withCommands:O}}),[,R]=h(re),z=A?.node,B=z?.__typename===`Terminal`?z.tid:null;i({query:te,variables:{filter:{text:B}},pause:!B},(t,n)=>(n.terminalStatusChanged.terminal.id===e&&L({requestPolicy:`network-only`}),n));let[,V]=h(C),[,H]=h(w),[,U]=h(T),[,W]=h(E),G=(z?.__typename===`Terminal`?[z.blockedUntil,...z.services.map(e=>e.blockedUntil)]:[]).filter(e=>!!e).map(e=>Date.parse(e)).filter(e=>e>Date.now()-6e4).sort((e,t)=>e-t)[0];(0,y.useEffect)(()=>{if(G===void 0)return;let e=window.setTimeout(()=>L({requestPolicy:`network-only`}),Math.max(G-Date.now(),0)+2e3);return()=>window.clearTimeout(e)},[G,A,L]);let[K,q]=(0,y.useState)([]),[J,Y]=(0,y.useState)(null);if(F&&!A)return(0,b.jsx)(f,{error:F,retry:()=>L({requestPolicy:`network-only`})});if(I&&!A)return(0,b.jsx)(d,{});if(!z||z.__typename!==`Terminal`)return(0,b.jsx)(`p`,{role:`alert`,children:t(`terminal.notFound`)});let X=z,Z=e=>ee(e,n.language),Q=e=>[{message:e,code:`INVALID`,field:null}],ie=[{id:`at`,header:t(`columns.at`),cell:({row:e})=>Z(e.original.occurredAt)},{id:`kind`,header:t(`columns.kind`),cell:({row:e})=>e.original.kind},{id:`code`,header:t(`terminal.code`),cell:({row:e})=>e.original.code??`—`},{id:`message`,header:t(`terminal.message`),cell:({row:e})=>e.original.message??`—`}],ae=[{id:`at`,header:t(`columns.at`),cell:({row:e})=>Z(e.original.createdAt)},{id:`kind`,header:t(`columns.kind`),cell:({row:e})=>t(`command.kind.${e.original.kind}`)},{id:`status`,header:t(`columns.status`),cell:({row:e})=>t(`command.status.${e.original.status}`)},{id:`by`,header:t(`columns.actor`),cell:({row:e})=>e.original.requestedByLabel??`—`},{id:`end`,header:t(`command.finished`),cell:({row:e})=>[Z(e.original.finishedAt),e.original.failureReason].filter(e=>e&&e!==`—`).join(` — `)||`—`}],oe=[{id:`kind`,header:t(`columns.kind`),cell:({row:e})=>t(`serviceKind.${e.original.kind}`)},{id:`status`,header:t(`columns.status`),cell:({row:e})=>(0,b.jsx)(l,{status:e.original.status})},{id:`contract`,header:t(`columns.contract`),cell:({row:e})=>e.original.contract?.number??`—`},{id:`blocked`,header:t(`terminal.blocked`),cell:({row:e})=>e.original.blockedReason?`${e.original.blockedReason}${e.original.blockedUntil?` — ${t(`terminal.untilShort`,{at:Z(e.original.blockedUntil)})}`:``}`:`—`},{id:`actions`,header:t(`terminal.actions`),cell:({row:e})=>{let n=e.original;return n.status===`BLOCKED`&&s(`unblockService`)?(0,b.jsx)(`button`,{type:`button`,onClick:async()=>{let e=await W({input:{id:n.id,expectedVersion:n.version}});q(e.error?Q(u(e.error,t)):e.data?.unblockService?.userErrors??[])},children:t(`terminal.unblockService`)}):n.status===`ACTIVE`&&s(`blockService`)?(0,b.jsx)(`button`,{type:`button`,"aria-expanded":J===n.id,onClick:()=>Y(n.id),children:t(`terminal.blockService`)}):null}}],$=X.options;return(0,b.jsxs)(`article`,{className:`company`,children:[(0,b.jsxs)(`header`,{className:`company-header`,children:[(0,b.jsxs)(`h1`,{children:[t(`terminal.title`),` `,X.tid]}),(0,b.jsx)(l,{status:X.status}),(0,b.jsx)(`span`,{"data-testid":`terminal-connectivity`,children:(0,b.jsx)(l,{status:X.connectivity})})]}),(0,b.jsxs)(`dl`,{className:`facts`,children:[(0,b.jsx)(v,{label:t(`fleet.shop`),children:X.shop?(0,b.jsx)(m,{to:c.shop(X.shop.id),children:X.shop.name}):`—`}),(0,b.jsx)(v,{label:t(`columns.company`),children:X.shop?.company?(0,b.jsx)(m,{to:c.company(X.shop.company.id),children:X.shop.company.legalName}):`—`}),(0,b.jsx)(v,{label:t(`columns.kind`),children:t(`terminalKind.${X.kind}`)}),(0,b.jsx)(v,{label:t(`columns.model`),children:X.model??`—`}),(0,b.jsx)(v,{label:t(`columns.serial`),children:X.serialNumber??`—`}),(0,b.jsx)(v,{label:t(`terminal.versions`),children:[X.osVersion&&`OS ${X.osVersion}`,X.firmwareVersion&&`FW ${X.firmwareVersion}`,X.appVersion&&`app ${X.appVersion}`].filter(Boolean).join(` · `)||`—`}),(0,b.jsx)(v,{label:t(`columns.lastSeen`),children:Z(X.lastSeenAt)}),X.blockedReason&&(0,b.jsxs)(v,{label:t(`terminal.blocked`),children:[X.blockedReason,X.blockedUntil&&` — ${t(`terminal.untilShort`,{at:Z(X.blockedUntil)})}`]})]}),(0,b.jsxs)(`div`,{className:`actions`,children:[X.status===`BLOCKED`&&s(`unblockTerminal`)&&(0,b.jsx)(`button`,{type:`button`,onClick:async()=>{let e=await H({input:{id:X.id,expectedVersion:X.version}});q(e.error?Q(u(e.error,t)):e.data?.unblockTerminal?.userErrors??[])},children:t(`terminal.unblock`)}),(X.status===`ACTIVE`||X.status===`ASSIGNED`)&&s(`blockTerminal`)&&J!==X.id&&(0,b.jsx)(`button`,{type:`button`,onClick:()=>Y(X.id),children:t(`terminal.block`)}),J===X.id&&(0,b.jsx)(M,{label:t(`terminal.block`),onClose:()=>Y(null),onBlock:async(e,n)=>{let r=await V({input:{id:X.id,reason:e,until:n,expectedVersion:X.version}});return r.error?Q(u(r.error,t)):r.data?.blockTerminal?.userErrors??[]}}),(0,b.jsx)(j,{errors:K})]}),(0,b.jsx)(_,{title:t(`terminal.options`),children:$?(0,b.jsxs)(b.Fragment,{children:[(0,b.jsx)(`p`,{"data-testid":`options-status`,children:X.optionsStatus===`PENDING`?t(`terminal.optionsPending`,{version:$.versionNumber,since:Z($.createdAt)}):t(`terminal.optionsApplied`,{version:$.versionNumber,at:Z($.acknowledgedAt??X.optionsAppliedAt)})}),s(`updateTerminalOptions`)?(0,b.jsx)(N,{terminal:X,options:$},`${$.versionNumber}`):(0,b.jsxs)(`dl`,{className:`facts`,children:[k.map(e=>(0,b.jsx)(v,{label:t(`options.${e}`),children:$[e]?t(`terminal.yes`):t(`terminal.no`)},e)),(0,b.jsx)(v,{label:t(`options.receiptMode`),children:t(`receipt.${$.receiptMode}`)}),(0,b.jsx)(v,{label:t(`options.settlementTime`),children:$.settlementTime})]})]}):(0,b.jsx)(`p`,{children:t(`terminal.noOptions`)})}),(0,b.jsxs)(_,{title:t(`shop.services`),count:X.services.length,children:[(0,b.jsx)(p,{columns:oe,data:X.services,caption:t(`shop.services`),empty:t(`company.none`)}),X.services.filter(e=>e.id===J).map(e=>(0,b.jsx)(M,{label:t(`terminal.blockService`),onClose:()=>Y(null),onBlock:async(n,r)=>{let i=await U({input:{id:e.id,reason:n,until:r,expectedVersion:e.version}});return i.error?Q(u(i.error,t)):i.data?.blockService?.userErrors??[]}},e.id))]}),X.commands&&(0,b.jsxs)(_,{title:t(`command.title`),children:[s(`sendTerminalCommand`)&&(0,b.jsx)(`div`,{className:`actions`,role:`group`,"aria-label":t(`command.send`),children:D.filter(e=>e!==`DOWNLOAD_PARAMETERS`||X.kind===`PAX`).map(e=>(0,b.jsx)(`button`,{type:`button`,onClick:async()=>{let n=await R({input:{terminalId:X.id,command:e}});q(n.error?Q(u(n.error,t)):n.data?.sendTerminalCommand?.userErrors??[]),L({requestPolicy:`network-only`})},children:t(`command.kind.${e}`)},e))}),(0,b.jsx)(p,{columns:ae,data:X.commands.edges.map(e=>e.node),caption:t(`command.title`),empty:t(`company.none`),testId:`terminal-commands`})]}),s(`diagnoseTerminal`)&&(0,b.jsx)(P,{id:X.id}),X.events&&(0,b.jsx)(_,{title:t(`terminal.journal`),children:(0,b.jsx)(p,{columns:ie,data:X.events.edges.map(e=>e.node),caption:t(`terminal.journal`),empty:t(`company.none`),testId:`terminal-events`})})]})}export{F as TerminalDetail};