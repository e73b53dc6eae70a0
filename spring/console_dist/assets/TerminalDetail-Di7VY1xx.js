import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{F as r,_ as i,a,c as o,d as s,f as c,g as l,h as u,i as d,m as f,o as p,r as m,s as h,w as ee,y as g}from"./console-uZ8KLF_X.js";import{n as _,t as v}from"./Facts-Ixw6RFUu.js";import{TerminalChangesDocument as y}from"./Fleet-C9XF6Iee.js";var b=e(t(),1),x=n(),te=c(`
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
`),S=c(`
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
`),ne=c(`
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
`),C=c(`
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
`),w=c(`
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
`),T=c(`
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
`),E=c(`
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
`),D=c(`
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
`),re=[`DOWNLOAD_PARAMETERS`,`REBOOT`,`UPDATE_APP`],O=[`PRINT`,`EMAIL`,`SMS`,`NONE`],k=[`contactless`,`tipping`,`cashback`,`preAuthorization`,`manualEntry`];function A(e){return e?new Date(e).toISOString():null}function j({errors:e}){return e.length?(0,x.jsx)(`div`,{role:`alert`,className:`field-error`,children:e.map(e=>(0,x.jsx)(`p`,{children:e.message},e.message))}):null}function M({label:e,onBlock:t,onClose:n}){let{t:i}=r(),[a,o]=(0,b.useState)(``),[s,c]=(0,b.useState)(``),[l,u]=(0,b.useState)([]);return(0,x.jsxs)(`form`,{className:`block-form`,onSubmit:async e=>{e.preventDefault();let r=await t(a,A(s));u(r),r.length||n()},"aria-label":e,children:[(0,x.jsxs)(`label`,{children:[i(`terminal.reason`),(0,x.jsx)(`input`,{value:a,onChange:e=>o(e.target.value),required:!0,"aria-required":`true`})]}),(0,x.jsxs)(`label`,{children:[i(`terminal.until`),(0,x.jsx)(`input`,{type:`datetime-local`,step:1,value:s,onChange:e=>c(e.target.value)})]}),(0,x.jsx)(`button`,{type:`submit`,className:`primary`,children:e}),(0,x.jsx)(`button`,{type:`button`,onClick:n,children:i(`terminal.cancel`)}),(0,x.jsx)(j,{errors:l})]})}function N({terminal:e,options:t}){let{t:n}=r(),[i,a]=(0,b.useState)(t),[s,c]=(0,b.useState)([]),[l,u]=(0,b.useState)(!1),[,d]=f(C);return(0,x.jsxs)(`form`,{className:`options-form`,onSubmit:async t=>{t.preventDefault(),u(!1);let r=await d({input:{id:e.id,expectedVersion:e.version,contactless:i.contactless,tipping:i.tipping,cashback:i.cashback,preAuthorization:i.preAuthorization,manualEntry:i.manualEntry,receiptMode:i.receiptMode,language:i.language,settlementTime:i.settlementTime}}),a=r.data?.updateTerminalOptions?.userErrors??[];c(r.error?[{message:o(r.error,n)}]:a),u(!r.error&&!a.length)},"aria-label":n(`terminal.editOptions`),children:[k.map(e=>(0,x.jsxs)(`label`,{className:`check`,children:[(0,x.jsx)(`input`,{type:`checkbox`,checked:i[e],onChange:t=>a({...i,[e]:t.target.checked})}),n(`options.${e}`)]},e)),(0,x.jsxs)(`label`,{children:[n(`options.receiptMode`),(0,x.jsx)(`select`,{value:i.receiptMode,onChange:e=>a({...i,receiptMode:e.target.value}),children:O.map(e=>(0,x.jsx)(`option`,{value:e,children:n(`receipt.${e}`)},e))})]}),(0,x.jsxs)(`label`,{children:[n(`options.language`),(0,x.jsx)(`input`,{value:i.language,onChange:e=>a({...i,language:e.target.value}),maxLength:2})]}),(0,x.jsxs)(`label`,{children:[n(`options.settlementTime`),(0,x.jsx)(`input`,{type:`time`,value:i.settlementTime,onChange:e=>a({...i,settlementTime:e.target.value})})]}),(0,x.jsx)(`button`,{type:`submit`,className:`primary`,children:n(`terminal.saveOptions`)}),l&&(0,x.jsx)(`p`,{role:`status`,children:n(`terminal.optionsSaved`)}),(0,x.jsx)(j,{errors:s})]})}function P({id:e}){let{t}=r(),[n,i]=(0,b.useState)(!1),[{data:a,error:o,fetching:s},c]=u({query:S,variables:{id:e},pause:!n,requestPolicy:`network-only`}),l=a?.diagnoseTerminal;return(0,x.jsxs)(_,{title:t(`terminal.diagnosis`),children:[(0,x.jsx)(`button`,{type:`button`,onClick:()=>{n?c({requestPolicy:`network-only`}):i(!0)},disabled:s,children:t(`terminal.diagnose`)}),s&&(0,x.jsx)(h,{}),o&&(0,x.jsx)(p,{error:o}),l&&(0,x.jsxs)(`div`,{"data-testid":`diagnosis`,children:[(0,x.jsxs)(`p`,{children:[t(`terminal.verdict`),` `,(0,x.jsx)(`span`,{className:`badge verdict-${l.verdict.toLowerCase()}`,children:t(`verdict.${l.verdict}`)})]}),(0,x.jsx)(`ul`,{className:`checks`,children:l.checks.map(e=>(0,x.jsxs)(`li`,{className:`check-${e.verdict.toLowerCase()}`,children:[(0,x.jsxs)(`strong`,{children:[t(`verdict.${e.verdict}`),` — `,e.title]}),(0,x.jsx)(`p`,{children:e.hint})]},e.code))})]})]})}function F(){let{id:e=``}=g(),{t,i18n:n}=r(),{can:c,reads:S}=s(),C=c(`terminalEvents`),O=S(`Terminal.commands`),[{data:A,error:F,fetching:I},L]=u({query:te,variables:{id:e,withEvents:C,withCommands:O}}),[,R]=f(ne),z=A?.node,B=z?.__typename===`Terminal`?z.tid:null;l({query:y,variables:{filter:{text:B}},pause:!B},(t,n)=>(n.terminalStatusChanged.terminal.id===e&&L({requestPolicy:`network-only`}),n));let[,V]=f(w),[,H]=f(T),[,U]=f(E),[,W]=f(D),G=(z?.__typename===`Terminal`?[z.blockedUntil,...z.services.map(e=>e.blockedUntil)]:[]).filter(e=>!!e).map(e=>Date.parse(e)).filter(e=>e>Date.now()-6e4).sort((e,t)=>e-t)[0];(0,b.useEffect)(()=>{if(G===void 0)return;let e=window.setTimeout(()=>L({requestPolicy:`network-only`}),Math.max(G-Date.now(),0)+2e3);return()=>window.clearTimeout(e)},[G,A,L]);let[K,q]=(0,b.useState)([]),[J,Y]=(0,b.useState)(null);if(F&&!A)return(0,x.jsx)(p,{error:F,retry:()=>L({requestPolicy:`network-only`})});if(I&&!A)return(0,x.jsx)(h,{});if(!z||z.__typename!==`Terminal`)return(0,x.jsx)(`p`,{role:`alert`,children:t(`terminal.notFound`)});let X=z,Z=e=>ee(e,n.language),Q=e=>[{message:e,code:`INVALID`,field:null}],ie=[{id:`at`,header:t(`columns.at`),cell:({row:e})=>Z(e.original.occurredAt)},{id:`kind`,header:t(`columns.kind`),cell:({row:e})=>e.original.kind},{id:`code`,header:t(`terminal.code`),cell:({row:e})=>e.original.code??`—`},{id:`message`,header:t(`terminal.message`),cell:({row:e})=>e.original.message??`—`}],ae=[{id:`at`,header:t(`columns.at`),cell:({row:e})=>Z(e.original.createdAt)},{id:`kind`,header:t(`columns.kind`),cell:({row:e})=>t(`command.kind.${e.original.kind}`)},{id:`status`,header:t(`columns.status`),cell:({row:e})=>t(`command.status.${e.original.status}`)},{id:`by`,header:t(`columns.actor`),cell:({row:e})=>e.original.requestedByLabel??`—`},{id:`end`,header:t(`command.finished`),cell:({row:e})=>[Z(e.original.finishedAt),e.original.failureReason].filter(e=>e&&e!==`—`).join(` — `)||`—`}],oe=[{id:`kind`,header:t(`columns.kind`),cell:({row:e})=>t(`serviceKind.${e.original.kind}`)},{id:`status`,header:t(`columns.status`),cell:({row:e})=>(0,x.jsx)(d,{status:e.original.status})},{id:`contract`,header:t(`columns.contract`),cell:({row:e})=>e.original.contract?.number??`—`},{id:`blocked`,header:t(`terminal.blocked`),cell:({row:e})=>e.original.blockedReason?`${e.original.blockedReason}${e.original.blockedUntil?` — ${t(`terminal.untilShort`,{at:Z(e.original.blockedUntil)})}`:``}`:`—`},{id:`actions`,header:t(`terminal.actions`),cell:({row:e})=>{let n=e.original;return n.status===`BLOCKED`&&c(`unblockService`)?(0,x.jsx)(`button`,{type:`button`,onClick:async()=>{let e=await W({input:{id:n.id,expectedVersion:n.version}});q(e.error?Q(o(e.error,t)):e.data?.unblockService?.userErrors??[])},children:t(`terminal.unblockService`)}):n.status===`ACTIVE`&&c(`blockService`)?(0,x.jsx)(`button`,{type:`button`,"aria-expanded":J===n.id,onClick:()=>Y(n.id),children:t(`terminal.blockService`)}):null}}],$=X.options;return(0,x.jsxs)(`article`,{className:`company`,children:[(0,x.jsxs)(`header`,{className:`company-header`,children:[(0,x.jsxs)(`h1`,{children:[t(`terminal.title`),` `,X.tid]}),(0,x.jsx)(d,{status:X.status}),(0,x.jsx)(`span`,{"data-testid":`terminal-connectivity`,children:(0,x.jsx)(d,{status:X.connectivity})})]}),(0,x.jsxs)(`dl`,{className:`facts`,children:[(0,x.jsx)(v,{label:t(`fleet.shop`),children:X.shop?(0,x.jsx)(i,{to:m.shop(X.shop.id),children:X.shop.name}):`—`}),(0,x.jsx)(v,{label:t(`columns.company`),children:X.shop?.company?(0,x.jsx)(i,{to:m.company(X.shop.company.id),children:X.shop.company.legalName}):`—`}),(0,x.jsx)(v,{label:t(`columns.kind`),children:t(`terminalKind.${X.kind}`)}),(0,x.jsx)(v,{label:t(`columns.model`),children:X.model??`—`}),(0,x.jsx)(v,{label:t(`columns.serial`),children:X.serialNumber??`—`}),(0,x.jsx)(v,{label:t(`terminal.versions`),children:[X.osVersion&&`OS ${X.osVersion}`,X.firmwareVersion&&`FW ${X.firmwareVersion}`,X.appVersion&&`app ${X.appVersion}`].filter(Boolean).join(` · `)||`—`}),(0,x.jsx)(v,{label:t(`columns.lastSeen`),children:Z(X.lastSeenAt)}),X.blockedReason&&(0,x.jsxs)(v,{label:t(`terminal.blocked`),children:[X.blockedReason,X.blockedUntil&&` — ${t(`terminal.untilShort`,{at:Z(X.blockedUntil)})}`]})]}),(0,x.jsxs)(`div`,{className:`actions`,children:[X.status===`BLOCKED`&&c(`unblockTerminal`)&&(0,x.jsx)(`button`,{type:`button`,onClick:async()=>{let e=await H({input:{id:X.id,expectedVersion:X.version}});q(e.error?Q(o(e.error,t)):e.data?.unblockTerminal?.userErrors??[])},children:t(`terminal.unblock`)}),(X.status===`ACTIVE`||X.status===`ASSIGNED`)&&c(`blockTerminal`)&&J!==X.id&&(0,x.jsx)(`button`,{type:`button`,onClick:()=>Y(X.id),children:t(`terminal.block`)}),J===X.id&&(0,x.jsx)(M,{label:t(`terminal.block`),onClose:()=>Y(null),onBlock:async(e,n)=>{let r=await V({input:{id:X.id,reason:e,until:n,expectedVersion:X.version}});return r.error?Q(o(r.error,t)):r.data?.blockTerminal?.userErrors??[]}}),(0,x.jsx)(j,{errors:K})]}),(0,x.jsx)(_,{title:t(`terminal.options`),children:$?(0,x.jsxs)(x.Fragment,{children:[(0,x.jsx)(`p`,{"data-testid":`options-status`,children:X.optionsStatus===`PENDING`?t(`terminal.optionsPending`,{version:$.versionNumber,since:Z($.createdAt)}):t(`terminal.optionsApplied`,{version:$.versionNumber,at:Z($.acknowledgedAt??X.optionsAppliedAt)})}),c(`updateTerminalOptions`)?(0,x.jsx)(N,{terminal:X,options:$},`${$.versionNumber}`):(0,x.jsxs)(`dl`,{className:`facts`,children:[k.map(e=>(0,x.jsx)(v,{label:t(`options.${e}`),children:$[e]?t(`terminal.yes`):t(`terminal.no`)},e)),(0,x.jsx)(v,{label:t(`options.receiptMode`),children:t(`receipt.${$.receiptMode}`)}),(0,x.jsx)(v,{label:t(`options.settlementTime`),children:$.settlementTime})]})]}):(0,x.jsx)(`p`,{children:t(`terminal.noOptions`)})}),(0,x.jsxs)(_,{title:t(`shop.services`),count:X.services.length,children:[(0,x.jsx)(a,{columns:oe,data:X.services,caption:t(`shop.services`),empty:t(`company.none`)}),X.services.filter(e=>e.id===J).map(e=>(0,x.jsx)(M,{label:t(`terminal.blockService`),onClose:()=>Y(null),onBlock:async(n,r)=>{let i=await U({input:{id:e.id,reason:n,until:r,expectedVersion:e.version}});return i.error?Q(o(i.error,t)):i.data?.blockService?.userErrors??[]}},e.id))]}),X.commands&&(0,x.jsxs)(_,{title:t(`command.title`),children:[c(`sendTerminalCommand`)&&(0,x.jsx)(`div`,{className:`actions`,role:`group`,"aria-label":t(`command.send`),children:re.filter(e=>e!==`DOWNLOAD_PARAMETERS`||X.kind===`PAX`).map(e=>(0,x.jsx)(`button`,{type:`button`,onClick:async()=>{let n=await R({input:{terminalId:X.id,command:e}});q(n.error?Q(o(n.error,t)):n.data?.sendTerminalCommand?.userErrors??[]),L({requestPolicy:`network-only`})},children:t(`command.kind.${e}`)},e))}),(0,x.jsx)(a,{columns:ae,data:X.commands.edges.map(e=>e.node),caption:t(`command.title`),empty:t(`company.none`),testId:`terminal-commands`})]}),c(`diagnoseTerminal`)&&(0,x.jsx)(P,{id:X.id}),X.events&&(0,x.jsx)(_,{title:t(`terminal.journal`),children:(0,x.jsx)(a,{columns:ie,data:X.events.edges.map(e=>e.node),caption:t(`terminal.journal`),empty:t(`company.none`),testId:`terminal-events`})})]})}export{F as TerminalDetail};