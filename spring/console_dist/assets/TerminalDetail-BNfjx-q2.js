import{bt as e,ct as t,d as n,gt as r,pt as i}from"./preload-helper-Cxp912mq.js";import{F as a,_ as o,a as s,c,d as l,f as u,g as d,h as f,i as p,m,o as h,p as g,r as _,s as v,w as y,y as ee}from"./console-DiEqahXQ.js";import{n as b,t as x}from"./Facts-Ixw6RFUu.js";import{TerminalChangesDocument as te}from"./Fleet-DmqS_OBd.js";import{t as S}from"./resumable-CnCgUukS.js";n();var C=e(r(),1),w=i(),T=25,E=u(`
  query TerminalJournal($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    node(id: $id) {
      __typename
      ... on Terminal {
        id
        events(first: $first, after: $after, last: $last, before: $before) {
          edges {
            node {
              id
              kind
              code
              message
              occurredAt
            }
          }
          pageInfo {
            hasNextPage
            hasPreviousPage
            startCursor
            endCursor
          }
        }
      }
    }
  }
`),D=u(`
  subscription TerminalJournalLive($filter: TerminalEventSubscriptionFilter, $after: String) {
    terminalEventRecorded(filter: $filter, after: $after) {
      cursor
      event {
        id
        kind
        code
        message
        occurredAt
      }
    }
  }
`);function O(e,t,n=50){let r=new Map;for(let t of e)r.set(t.id,t);for(let e of t)r.set(e.id,e);return[...r.values()].sort((e,t)=>Date.parse(t.occurredAt)-Date.parse(e.occurredAt)||(e.id<t.id?1:e.id>t.id?-1:0)).slice(0,n)}function k({events:e,language:t}){return(0,w.jsx)(w.Fragment,{children:e.map(e=>(0,w.jsxs)(`tr`,{"data-testid":`journal-event`,"data-id":e.id,children:[(0,w.jsx)(`td`,{children:y(e.occurredAt,t)}),(0,w.jsx)(`td`,{children:e.kind}),(0,w.jsx)(`td`,{children:e.code??`—`}),(0,w.jsx)(`td`,{children:e.message??`—`})]},e.id))})}function A({events:e,caption:t,testId:n}){let{t:r,i18n:i}=a();return(0,w.jsxs)(`table`,{className:`table`,"data-testid":n,children:[(0,w.jsx)(`caption`,{className:`visually-hidden`,children:t}),(0,w.jsx)(`thead`,{children:(0,w.jsxs)(`tr`,{children:[(0,w.jsx)(`th`,{scope:`col`,children:r(`columns.at`)}),(0,w.jsx)(`th`,{scope:`col`,children:r(`columns.kind`)}),(0,w.jsx)(`th`,{scope:`col`,children:r(`terminal.code`)}),(0,w.jsx)(`th`,{scope:`col`,children:r(`terminal.message`)})]})}),(0,w.jsx)(`tbody`,{children:e.length===0?(0,w.jsx)(`tr`,{children:(0,w.jsx)(`td`,{colSpan:4,className:`empty`,children:r(`company.none`)})}):(0,w.jsx)(k,{events:e,language:i.language})})]})}function j({id:e}){let{t}=a(),[n,r]=(0,C.useState)({after:null,before:null}),[{data:i,error:o,fetching:s}]=f({query:E,variables:n.before?{id:e,last:T,before:n.before}:{id:e,first:T,after:n.after},requestPolicy:`network-only`}),c=i?.node,l=c?.__typename===`Terminal`?c.events:null;return o&&!i?(0,w.jsx)(h,{error:o}):l?(0,w.jsxs)(w.Fragment,{children:[(0,w.jsx)(A,{events:l.edges.map(e=>e.node),caption:t(`terminal.olderEvents`),testId:`terminal-older-events`}),(0,w.jsxs)(`nav`,{className:`pager`,"aria-label":t(`terminal.journalPages`),"aria-busy":s||void 0,children:[(0,w.jsx)(`button`,{type:`button`,disabled:!(l.pageInfo.hasPreviousPage||n.after),onClick:()=>r({before:l.pageInfo.startCursor??null,after:null}),children:t(`companies.previous`)}),(0,w.jsx)(`button`,{type:`button`,disabled:!(l.pageInfo.hasNextPage||n.before),onClick:()=>r({after:l.pageInfo.endCursor??null,before:null}),children:t(`companies.next`)})]})]}):(0,w.jsx)(v,{})}function ne({id:e,live:n}){let{t:r}=a(),i=g(),[o,s]=(0,C.useState)([]),[c,l]=(0,C.useState)(!1),[u,d]=(0,C.useState)(null),[f,p]=(0,C.useState)(`connecting`),[m,_]=(0,C.useState)(!1),y=(0,C.useCallback)(async()=>{let t=await i.query(E,{id:e,first:T},{requestPolicy:`network-only`}).toPromise(),n=t.data?.node;if(t.error&&!t.data)d(t.error);else if(d(null),l(!0),n?.__typename===`Terminal`&&n.events){let e=n.events.edges.map(e=>e.node);s(t=>O(t,e))}},[i,e]);return(0,C.useEffect)(()=>{if(s([]),l(!1),y(),!n)return;let r=null,i=S({query:t(D),variables:{filter:{terminal:e},after:null},cursorOf:e=>e.cursor,onState:p,onEvent:e=>s(t=>O(t,[e.event])),onFresh:()=>{y(),r!==null&&window.clearTimeout(r),r=window.setTimeout(()=>void y(),1e3)}},`terminalEventRecorded`);return()=>{r!==null&&window.clearTimeout(r),i()}},[e,n,y]),(0,w.jsxs)(w.Fragment,{children:[n&&(0,w.jsx)(`p`,{className:`feed-state feed-${f}`,role:`status`,"data-testid":`journal-state`,children:r(`terminal.live.${f}`)}),u&&!c?(0,w.jsx)(h,{error:u,retry:()=>void y()}):c?(0,w.jsx)(A,{events:o,caption:r(`terminal.journal`),testId:`terminal-events`}):(0,w.jsx)(v,{}),(0,w.jsx)(`p`,{className:`notice`,children:r(`terminal.journalWindow`,{count:50})}),(0,w.jsx)(`button`,{type:`button`,"aria-expanded":m,onClick:()=>_(!m),children:r(m?`terminal.hideOlder`:`terminal.showOlder`)}),m&&(0,w.jsx)(j,{id:e})]})}var M=u(`
  query TerminalDetail($id: ID!, $withCommands: Boolean!) {
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
      }
    }
  }
`),N=u(`
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
`),P=u(`
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
`),F=u(`
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
`),I=u(`
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
`),L=u(`
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
`),R=u(`
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
`),z=u(`
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
`),B=[`DOWNLOAD_PARAMETERS`,`REBOOT`,`UPDATE_APP`],V=[`PRINT`,`EMAIL`,`SMS`,`NONE`],H=[`contactless`,`tipping`,`cashback`,`preAuthorization`,`manualEntry`];function U(e){return e?new Date(e).toISOString():null}function W({errors:e}){return e.length?(0,w.jsx)(`div`,{role:`alert`,className:`field-error`,children:e.map(e=>(0,w.jsx)(`p`,{children:e.message},e.message))}):null}function G({label:e,onBlock:t,onClose:n}){let{t:r}=a(),[i,o]=(0,C.useState)(``),[s,c]=(0,C.useState)(``),[l,u]=(0,C.useState)([]);return(0,w.jsxs)(`form`,{className:`block-form`,onSubmit:async e=>{e.preventDefault();let r=await t(i,U(s));u(r),r.length||n()},"aria-label":e,children:[(0,w.jsxs)(`label`,{children:[r(`terminal.reason`),(0,w.jsx)(`input`,{value:i,onChange:e=>o(e.target.value),required:!0,"aria-required":`true`})]}),(0,w.jsxs)(`label`,{children:[r(`terminal.until`),(0,w.jsx)(`input`,{type:`datetime-local`,step:1,value:s,onChange:e=>c(e.target.value)})]}),(0,w.jsx)(`button`,{type:`submit`,className:`primary`,children:e}),(0,w.jsx)(`button`,{type:`button`,onClick:n,children:r(`terminal.cancel`)}),(0,w.jsx)(W,{errors:l})]})}function re({terminal:e,options:t}){let{t:n}=a(),[r,i]=(0,C.useState)(t),[o,s]=(0,C.useState)([]),[l,u]=(0,C.useState)(!1),[,d]=m(F);return(0,w.jsxs)(`form`,{className:`options-form`,onSubmit:async t=>{t.preventDefault(),u(!1);let i=await d({input:{id:e.id,expectedVersion:e.version,contactless:r.contactless,tipping:r.tipping,cashback:r.cashback,preAuthorization:r.preAuthorization,manualEntry:r.manualEntry,receiptMode:r.receiptMode,language:r.language,settlementTime:r.settlementTime}}),a=i.data?.updateTerminalOptions?.userErrors??[];s(i.error?[{message:c(i.error,n)}]:a),u(!i.error&&!a.length)},"aria-label":n(`terminal.editOptions`),children:[H.map(e=>(0,w.jsxs)(`label`,{className:`check`,children:[(0,w.jsx)(`input`,{type:`checkbox`,checked:r[e],onChange:t=>i({...r,[e]:t.target.checked})}),n(`options.${e}`)]},e)),(0,w.jsxs)(`label`,{children:[n(`options.receiptMode`),(0,w.jsx)(`select`,{value:r.receiptMode,onChange:e=>i({...r,receiptMode:e.target.value}),children:V.map(e=>(0,w.jsx)(`option`,{value:e,children:n(`receipt.${e}`)},e))})]}),(0,w.jsxs)(`label`,{children:[n(`options.language`),(0,w.jsx)(`input`,{value:r.language,onChange:e=>i({...r,language:e.target.value}),maxLength:2})]}),(0,w.jsxs)(`label`,{children:[n(`options.settlementTime`),(0,w.jsx)(`input`,{type:`time`,value:r.settlementTime,onChange:e=>i({...r,settlementTime:e.target.value})})]}),(0,w.jsx)(`button`,{type:`submit`,className:`primary`,children:n(`terminal.saveOptions`)}),l&&(0,w.jsx)(`p`,{role:`status`,children:n(`terminal.optionsSaved`)}),(0,w.jsx)(W,{errors:o})]})}function ie({id:e}){let{t}=a(),[n,r]=(0,C.useState)(!1),[{data:i,error:o,fetching:s},c]=f({query:N,variables:{id:e},pause:!n,requestPolicy:`network-only`}),l=i?.diagnoseTerminal;return(0,w.jsxs)(b,{title:t(`terminal.diagnosis`),children:[(0,w.jsx)(`button`,{type:`button`,onClick:()=>{n?c({requestPolicy:`network-only`}):r(!0)},disabled:s,children:t(`terminal.diagnose`)}),s&&(0,w.jsx)(v,{}),o&&(0,w.jsx)(h,{error:o}),l&&(0,w.jsxs)(`div`,{"data-testid":`diagnosis`,children:[(0,w.jsxs)(`p`,{children:[t(`terminal.verdict`),` `,(0,w.jsx)(`span`,{className:`badge verdict-${l.verdict.toLowerCase()}`,children:t(`verdict.${l.verdict}`)})]}),(0,w.jsx)(`ul`,{className:`checks`,children:l.checks.map(e=>(0,w.jsxs)(`li`,{className:`check-${e.verdict.toLowerCase()}`,children:[(0,w.jsxs)(`strong`,{children:[t(`verdict.${e.verdict}`),` — `,e.title]}),(0,w.jsx)(`p`,{children:e.hint})]},e.code))})]})]})}function K(){let{id:e=``}=ee(),{t,i18n:n}=a(),{can:r,reads:i}=l(),u=r(`terminalEvents`),g=i(`Terminal.commands`),[{data:S,error:T,fetching:E},D]=f({query:M,variables:{id:e,withCommands:g}}),[,O]=m(P),k=S?.node,A=k?.__typename===`Terminal`?k.tid:null;d({query:te,variables:{filter:{text:A}},pause:!A},(t,n)=>(n.terminalStatusChanged.terminal.id===e&&D({requestPolicy:`network-only`}),n));let[,j]=m(I),[,N]=m(L),[,F]=m(R),[,V]=m(z),U=(k?.__typename===`Terminal`?[k.blockedUntil,...k.services.map(e=>e.blockedUntil)]:[]).filter(e=>!!e).map(e=>Date.parse(e)).filter(e=>e>Date.now()-6e4).sort((e,t)=>e-t)[0];(0,C.useEffect)(()=>{if(U===void 0)return;let e=window.setTimeout(()=>D({requestPolicy:`network-only`}),Math.max(U-Date.now(),0)+2e3);return()=>window.clearTimeout(e)},[U,S,D]);let[K,q]=(0,C.useState)([]),[J,Y]=(0,C.useState)(null);if(T&&!S)return(0,w.jsx)(h,{error:T,retry:()=>D({requestPolicy:`network-only`})});if(E&&!S)return(0,w.jsx)(v,{});if(!k||k.__typename!==`Terminal`)return(0,w.jsx)(`p`,{role:`alert`,children:t(`terminal.notFound`)});let X=k,Z=e=>y(e,n.language),Q=e=>[{message:e,code:`INVALID`,field:null}],ae=[{id:`at`,header:t(`columns.at`),cell:({row:e})=>Z(e.original.createdAt)},{id:`kind`,header:t(`columns.kind`),cell:({row:e})=>t(`command.kind.${e.original.kind}`)},{id:`status`,header:t(`columns.status`),cell:({row:e})=>t(`command.status.${e.original.status}`)},{id:`by`,header:t(`columns.actor`),cell:({row:e})=>e.original.requestedByLabel??`—`},{id:`end`,header:t(`command.finished`),cell:({row:e})=>[Z(e.original.finishedAt),e.original.failureReason].filter(e=>e&&e!==`—`).join(` — `)||`—`}],oe=[{id:`kind`,header:t(`columns.kind`),cell:({row:e})=>t(`serviceKind.${e.original.kind}`)},{id:`status`,header:t(`columns.status`),cell:({row:e})=>(0,w.jsx)(p,{status:e.original.status})},{id:`contract`,header:t(`columns.contract`),cell:({row:e})=>e.original.contract?.number??`—`},{id:`blocked`,header:t(`terminal.blocked`),cell:({row:e})=>e.original.blockedReason?`${e.original.blockedReason}${e.original.blockedUntil?` — ${t(`terminal.untilShort`,{at:Z(e.original.blockedUntil)})}`:``}`:`—`},{id:`actions`,header:t(`terminal.actions`),cell:({row:e})=>{let n=e.original;return n.status===`BLOCKED`&&r(`unblockService`)?(0,w.jsx)(`button`,{type:`button`,onClick:async()=>{let e=await V({input:{id:n.id,expectedVersion:n.version}});q(e.error?Q(c(e.error,t)):e.data?.unblockService?.userErrors??[])},children:t(`terminal.unblockService`)}):n.status===`ACTIVE`&&r(`blockService`)?(0,w.jsx)(`button`,{type:`button`,"aria-expanded":J===n.id,onClick:()=>Y(n.id),children:t(`terminal.blockService`)}):null}}],$=X.options;return(0,w.jsxs)(`article`,{className:`company`,children:[(0,w.jsxs)(`header`,{className:`company-header`,children:[(0,w.jsxs)(`h1`,{children:[t(`terminal.title`),` `,X.tid]}),(0,w.jsx)(p,{status:X.status}),(0,w.jsx)(`span`,{"data-testid":`terminal-connectivity`,children:(0,w.jsx)(p,{status:X.connectivity})})]}),(0,w.jsxs)(`dl`,{className:`facts`,children:[(0,w.jsx)(x,{label:t(`fleet.shop`),children:X.shop?(0,w.jsx)(o,{to:_.shop(X.shop.id),children:X.shop.name}):`—`}),(0,w.jsx)(x,{label:t(`columns.company`),children:X.shop?.company?(0,w.jsx)(o,{to:_.company(X.shop.company.id),children:X.shop.company.legalName}):`—`}),(0,w.jsx)(x,{label:t(`columns.kind`),children:t(`terminalKind.${X.kind}`)}),(0,w.jsx)(x,{label:t(`columns.model`),children:X.model??`—`}),(0,w.jsx)(x,{label:t(`columns.serial`),children:X.serialNumber??`—`}),(0,w.jsx)(x,{label:t(`terminal.versions`),children:[X.osVersion&&`OS ${X.osVersion}`,X.firmwareVersion&&`FW ${X.firmwareVersion}`,X.appVersion&&`app ${X.appVersion}`].filter(Boolean).join(` · `)||`—`}),(0,w.jsx)(x,{label:t(`columns.lastSeen`),children:Z(X.lastSeenAt)}),X.blockedReason&&(0,w.jsxs)(x,{label:t(`terminal.blocked`),children:[X.blockedReason,X.blockedUntil&&` — ${t(`terminal.untilShort`,{at:Z(X.blockedUntil)})}`]})]}),(0,w.jsxs)(`div`,{className:`actions`,children:[X.status===`BLOCKED`&&r(`unblockTerminal`)&&(0,w.jsx)(`button`,{type:`button`,onClick:async()=>{let e=await N({input:{id:X.id,expectedVersion:X.version}});q(e.error?Q(c(e.error,t)):e.data?.unblockTerminal?.userErrors??[])},children:t(`terminal.unblock`)}),(X.status===`ACTIVE`||X.status===`ASSIGNED`)&&r(`blockTerminal`)&&J!==X.id&&(0,w.jsx)(`button`,{type:`button`,onClick:()=>Y(X.id),children:t(`terminal.block`)}),J===X.id&&(0,w.jsx)(G,{label:t(`terminal.block`),onClose:()=>Y(null),onBlock:async(e,n)=>{let r=await j({input:{id:X.id,reason:e,until:n,expectedVersion:X.version}});return r.error?Q(c(r.error,t)):r.data?.blockTerminal?.userErrors??[]}}),(0,w.jsx)(W,{errors:K})]}),(0,w.jsx)(b,{title:t(`terminal.options`),children:$?(0,w.jsxs)(w.Fragment,{children:[(0,w.jsx)(`p`,{"data-testid":`options-status`,children:X.optionsStatus===`PENDING`?t(`terminal.optionsPending`,{version:$.versionNumber,since:Z($.createdAt)}):t(`terminal.optionsApplied`,{version:$.versionNumber,at:Z($.acknowledgedAt??X.optionsAppliedAt)})}),r(`updateTerminalOptions`)?(0,w.jsx)(re,{terminal:X,options:$},`${$.versionNumber}`):(0,w.jsxs)(`dl`,{className:`facts`,children:[H.map(e=>(0,w.jsx)(x,{label:t(`options.${e}`),children:$[e]?t(`terminal.yes`):t(`terminal.no`)},e)),(0,w.jsx)(x,{label:t(`options.receiptMode`),children:t(`receipt.${$.receiptMode}`)}),(0,w.jsx)(x,{label:t(`options.settlementTime`),children:$.settlementTime})]})]}):(0,w.jsx)(`p`,{children:t(`terminal.noOptions`)})}),(0,w.jsxs)(b,{title:t(`shop.services`),count:X.services.length,children:[(0,w.jsx)(s,{columns:oe,data:X.services,caption:t(`shop.services`),empty:t(`company.none`)}),X.services.filter(e=>e.id===J).map(e=>(0,w.jsx)(G,{label:t(`terminal.blockService`),onClose:()=>Y(null),onBlock:async(n,r)=>{let i=await F({input:{id:e.id,reason:n,until:r,expectedVersion:e.version}});return i.error?Q(c(i.error,t)):i.data?.blockService?.userErrors??[]}},e.id))]}),X.commands&&(0,w.jsxs)(b,{title:t(`command.title`),children:[r(`sendTerminalCommand`)&&(0,w.jsx)(`div`,{className:`actions`,role:`group`,"aria-label":t(`command.send`),children:B.filter(e=>e!==`DOWNLOAD_PARAMETERS`||X.kind===`PAX`).map(e=>(0,w.jsx)(`button`,{type:`button`,onClick:async()=>{let n=await O({input:{terminalId:X.id,command:e}});q(n.error?Q(c(n.error,t)):n.data?.sendTerminalCommand?.userErrors??[]),D({requestPolicy:`network-only`})},children:t(`command.kind.${e}`)},e))}),(0,w.jsx)(s,{columns:ae,data:X.commands.edges.map(e=>e.node),caption:t(`command.title`),empty:t(`company.none`),testId:`terminal-commands`})]}),r(`diagnoseTerminal`)&&(0,w.jsx)(ie,{id:X.id}),u&&(0,w.jsx)(b,{title:t(`terminal.journal`),children:(0,w.jsx)(ne,{id:X.id,live:r(`terminalEventRecorded`)})})]})}export{K as TerminalDetail};