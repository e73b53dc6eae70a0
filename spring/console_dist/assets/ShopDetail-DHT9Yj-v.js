import{_ as e,a as t,b as n,c as r,d as i,f as a,h as o,i as s,j as c,m as l,o as u,r as d,s as f,v as p}from"./console-B98LZMO5.js";import{n as m,t as h}from"./Facts-Ixw6RFUu.js";import{bt as g,gt as _,pt as v}from"./preload-helper-Cxp912mq.js";var y=g(_(),1),b=v(),x=a(`
  query StockTerminals($text: String) {
    terminals(filter: { kind: PAX, status: [IN_STOCK], text: $text }, first: 20) {
      totalCount
      edges {
        node {
          id
          tid
          model
          serialNumber
        }
      }
    }
  }
`),S=a(`
  mutation ActivateService($input: ActivateServiceInput!) {
    activateService(input: $input) {
      service {
        id
        kind
        status
        version
        activatedAt
        activationCodeExpiresAt
        terminal {
          id
          tid
        }
      }
      activationCode
      userErrors {
        field
        code
        message
      }
    }
  }
`),C=a(`
  mutation RegisterTerminal($input: RegisterTerminalInput!) {
    registerTerminal(input: $input) {
      terminal {
        id
        tid
        model
        serialNumber
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),w=a(`
  mutation RegenerateActivationCode($input: RegenerateActivationCodeInput!) {
    regenerateActivationCode(input: $input) {
      service {
        id
        version
        activationCodeExpiresAt
      }
      activationCode
      userErrors {
        field
        code
        message
      }
    }
  }
`),T=a(`
  mutation DeactivateService($input: DeactivateServiceInput!) {
    deactivateService(input: $input) {
      service {
        id
        status
        version
        deactivatedAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);function E({problems:e}){return e.length?(0,b.jsx)(`div`,{role:`alert`,className:`field-error`,children:e.map(e=>(0,b.jsx)(`p`,{children:e.message},e.message))}):null}function D({issued:e,onDone:t}){let{t:r,i18n:i}=c();return(0,b.jsxs)(`div`,{className:`one-time-code`,role:`status`,"data-testid":`activation-code`,children:[(0,b.jsx)(`p`,{children:r(`services.codeFor`)}),(0,b.jsx)(`p`,{children:(0,b.jsx)(`code`,{children:e.code})}),(0,b.jsx)(`p`,{children:r(`services.codeOnce`,{at:n(e.expiresAt,i.language)})}),(0,b.jsx)(`button`,{type:`button`,onClick:t,children:r(`services.codeGiven`)})]})}function O({shopId:e,shopOpen:a,services:o,totalCount:u,contracts:d,terminals:f,onChanged:p}){let{t:h,i18n:g}=c(),{can:_}=i(),[v,x]=(0,y.useState)(!1),[S,C]=(0,y.useState)(null),[T,O]=(0,y.useState)(null),[j,M]=(0,y.useState)([]),[,N]=l(w),P=e=>n(e,g.language),F=d.filter(e=>e.status===`SIGNED`||e.status===`ACTIVE`),I=_(`activateService`)&&a&&F.length>0,L=async e=>{M([]);let t=await N({input:{serviceId:e.id,expectedVersion:e.version}}),n=t.data?.regenerateActivationCode;t.error?M([{message:r(t.error,h)}]):n?.userErrors.length?M(n.userErrors):n?.activationCode&&C({code:n.activationCode,expiresAt:n.service?.activationCodeExpiresAt??null})},R=[{id:`kind`,header:h(`columns.kind`),cell:({row:e})=>h(`serviceKind.${e.original.kind}`)},{id:`status`,header:h(`columns.status`),cell:({row:e})=>(0,b.jsx)(s,{status:e.original.status})},{id:`contract`,header:h(`columns.contract`),cell:({row:e})=>e.original.contract?.number??`—`},{id:`terminal`,header:h(`columns.terminal`),cell:({row:e})=>e.original.terminal?.tid??`—`},{id:`activatedAt`,header:h(`columns.activatedAt`),cell:({row:e})=>e.original.activatedAt?P(e.original.activatedAt):e.original.activationCodeExpiresAt?h(`services.waitingPhone`,{at:P(e.original.activationCodeExpiresAt)}):`—`},{id:`actions`,header:h(`terminal.actions`),cell:({row:e})=>{let t=e.original,n=t.kind===`PAYWISH_SOFTPOS`&&t.status===`PENDING`;return(0,b.jsxs)(`span`,{className:`row-actions`,children:[n&&_(`regenerateActivationCode`)&&(0,b.jsx)(`button`,{type:`button`,onClick:()=>void L(t),children:h(`services.newCode`)}),t.status!==`DEACTIVATED`&&_(`deactivateService`)&&(0,b.jsx)(`button`,{type:`button`,onClick:()=>O(t),children:h(`services.deactivate`)})]})}}];return(0,b.jsxs)(m,{title:h(`shop.services`),count:u,children:[S&&(0,b.jsx)(D,{issued:S,onDone:()=>C(null)}),(0,b.jsx)(E,{problems:j}),T&&(0,b.jsx)(k,{service:T,onDone:e=>{O(null),e&&p()}}),(0,b.jsx)(t,{columns:R,data:[...o],caption:h(`shop.services`),empty:h(`company.none`),testId:`services`}),I&&(v?(0,b.jsx)(A,{shopId:e,contracts:F,assigned:f.filter(e=>e.kind===`PAX`&&e.status===`ASSIGNED`),onCancel:()=>x(!1),onActivated:e=>{x(!1),e&&C(e),p()}}):(0,b.jsx)(`button`,{type:`button`,className:`primary`,onClick:()=>x(!0),children:h(`services.activate`)})),_(`activateService`)&&a&&F.length===0&&(0,b.jsx)(`p`,{className:`muted`,children:h(`services.noSignedContract`)})]})}function k({service:e,onDone:t}){let{t:n}=c(),[i,a]=(0,y.useState)(``),[o,s]=(0,y.useState)([]),[,u]=l(T),d=n(`services.deactivateWhich`,{kind:n(`serviceKind.${e.kind}`)});return(0,b.jsxs)(`form`,{className:`block-form`,onSubmit:async a=>{a.preventDefault();let o=await u({input:{id:e.id,reason:i,expectedVersion:e.version}}),c=o.error?[{message:r(o.error,n)}]:o.data?.deactivateService?.userErrors??[];s(c),c.length||t(!0)},"aria-label":d,children:[(0,b.jsxs)(`label`,{children:[n(`terminal.reason`),(0,b.jsx)(`input`,{value:i,onChange:e=>a(e.target.value),required:!0,"aria-required":`true`})]}),(0,b.jsx)(`button`,{type:`submit`,className:`primary`,children:n(`services.deactivate`)}),(0,b.jsx)(`button`,{type:`button`,onClick:()=>t(!1),children:n(`terminal.cancel`)}),(0,b.jsx)(E,{problems:o})]})}function A({shopId:e,contracts:t,assigned:n,onCancel:a,onActivated:s}){let{t:u}=c(),{can:d}=i(),f=(0,y.useId)(),[p,m]=(0,y.useState)(t[0]?.id??``),h=t.find(e=>e.id===p)?.serviceKinds??[],[g,_]=(0,y.useState)(h[0]??`PAYWISH_SOFTPOS`),v=h.includes(g)?g:h[0]??g,[C,w]=(0,y.useState)(n[0]?.id??``),[T,D]=(0,y.useState)(``),[O,k]=(0,y.useState)(!1),[A,M]=(0,y.useState)([]),[N,P]=(0,y.useState)([]),[F,I]=(0,y.useState)(!1),[{data:L,fetching:R}]=o({query:x,variables:{text:T.trim()||null},pause:v!==`PAY_ON_SITE`||!d(`terminals`)}),[,z]=l(S),B=[...n,...A,...(L?.terminals?.edges??[]).map(e=>({...e.node,kind:`PAX`,status:`IN_STOCK`}))].filter((e,t,n)=>n.findIndex(t=>t.id===e.id)===t);return(0,b.jsxs)(`form`,{className:`block-form activate-form`,onSubmit:async t=>{t.preventDefault(),I(!0);let n=await z({input:{contractId:p,shopId:e,kind:v,terminalId:v===`PAY_ON_SITE`&&C||null}});I(!1);let i=n.data?.activateService,a=n.error?[{message:r(n.error,u)}]:i?.userErrors??[];P(a),a.length||s(i?.activationCode?{code:i.activationCode,expiresAt:i.service?.activationCodeExpiresAt??null}:null)},"aria-label":u(`services.activate`),children:[(0,b.jsx)(`h3`,{className:`form-title`,children:u(`services.activate`)}),(0,b.jsxs)(`label`,{children:[u(`columns.contract`),(0,b.jsx)(`select`,{value:p,onChange:e=>m(e.target.value),children:t.map(e=>(0,b.jsx)(`option`,{value:e.id,children:e.number},e.id))})]}),(0,b.jsxs)(`fieldset`,{className:`choice`,children:[(0,b.jsx)(`legend`,{children:u(`services.kind`)}),h.map(e=>(0,b.jsxs)(`label`,{children:[(0,b.jsx)(`input`,{type:`radio`,name:`${f}-kind`,value:e,checked:v===e,onChange:()=>_(e)}),` `,u(`serviceKind.${e}`)]},e))]}),v===`PAY_ON_SITE`&&(0,b.jsxs)(b.Fragment,{children:[(0,b.jsxs)(`label`,{children:[u(`services.findStock`),(0,b.jsx)(`input`,{type:`search`,value:T,onChange:e=>D(e.target.value)})]}),(0,b.jsxs)(`label`,{children:[u(`services.terminal`),(0,b.jsxs)(`select`,{value:C,onChange:e=>w(e.target.value),"aria-busy":R||void 0,children:[(0,b.jsx)(`option`,{value:``,children:u(`services.chooseTerminal`)}),B.map(e=>(0,b.jsx)(`option`,{value:e.id,children:[e.tid,e.model,e.serialNumber,e.status===`ASSIGNED`?u(`services.inThisShop`):u(`services.inStock`)].filter(Boolean).join(` · `)},e.id))]})]}),d(`registerTerminal`)&&!O&&(0,b.jsx)(`button`,{type:`button`,onClick:()=>k(!0),children:u(`services.register`)})]}),(0,b.jsx)(`button`,{type:`submit`,className:`primary`,disabled:F,children:u(v===`PAY_ON_SITE`?`services.activatePax`:`services.activateSoftpos`)}),(0,b.jsx)(`button`,{type:`button`,onClick:a,children:u(`terminal.cancel`)}),(0,b.jsx)(E,{problems:N}),v===`PAY_ON_SITE`&&O&&(0,b.jsx)(j,{onCancel:()=>k(!1),onRegistered:e=>{M(t=>[e,...t]),w(e.id),k(!1)}})]})}function j({onCancel:e,onRegistered:t}){let{t:n}=c(),[i,a]=(0,y.useState)({tid:``,serialNumber:``,model:``}),[o,s]=(0,y.useState)([]),[,u]=l(C),d=e=>t=>a({...i,[e]:t.target.value}),f=async()=>{let e=await u({input:{kind:`PAX`,tid:i.tid,serialNumber:i.serialNumber||null,model:i.model||null}}),a=e.data?.registerTerminal,o=e.error?[{message:r(e.error,n)}]:a?.userErrors??[];s(o),!o.length&&a?.terminal&&t({...a.terminal,kind:`PAX`,status:`IN_STOCK`})};return(0,b.jsxs)(`div`,{role:`group`,"aria-label":n(`services.register`),className:`register-terminal`,children:[(0,b.jsxs)(`label`,{children:[n(`columns.tid`),(0,b.jsx)(`input`,{value:i.tid,onChange:d(`tid`),"aria-required":`true`})]}),(0,b.jsxs)(`label`,{children:[n(`columns.serial`),(0,b.jsx)(`input`,{value:i.serialNumber,onChange:d(`serialNumber`),"aria-required":`true`})]}),(0,b.jsxs)(`label`,{children:[n(`columns.model`),(0,b.jsx)(`input`,{value:i.model,onChange:d(`model`),placeholder:`A920`})]}),(0,b.jsx)(`button`,{type:`button`,onClick:()=>void f(),children:n(`services.registerSend`)}),(0,b.jsx)(`button`,{type:`button`,onClick:e,children:n(`terminal.cancel`)}),(0,b.jsx)(E,{problems:o})]})}var M=a(`
  query ShopDetail($id: ID!, $withJournal: Boolean!) {
    node(id: $id) {
      __typename
      ... on Shop {
        id
        name
        siret
        mcc
        status
        createdAt
        closedAt
        address {
          line1
          line2
          postalCode
          city
          country
        }
        company {
          id
          legalName
          siren
          status
          contracts(first: 25) {
            edges {
              node {
                id
                number
                status
                signedAt
                serviceKinds
                shops {
                  id
                }
              }
            }
          }
        }
        terminals(first: 50) {
          totalCount
          edges {
            node {
              id
              tid
              kind
              model
              serialNumber
              status
              connectivity
              lastSeenAt
            }
          }
        }
        services(first: 50) {
          totalCount
          edges {
            node {
              id
              kind
              status
              version
              activatedAt
              activationCodeExpiresAt
              contract {
                id
                number
              }
              terminal {
                id
                tid
              }
            }
          }
        }
        auditEvents(first: 20) @include(if: $withJournal) {
          edges {
            node {
              id
              action
              actorLabel
              occurredAt
            }
          }
        }
      }
    }
  }
`);function N(){let{id:r=``}=p(),{t:a,i18n:l}=c(),{can:g}=i(),[{data:_,error:v,fetching:y},x]=o({query:M,variables:{id:r,withJournal:g(`auditEvents`)}});if(v&&!_)return(0,b.jsx)(u,{error:v,retry:()=>x({requestPolicy:`network-only`})});if(y&&!_)return(0,b.jsx)(f,{});let S=_?.node;if(!S||S.__typename!==`Shop`)return(0,b.jsx)(`p`,{role:`alert`,children:a(`shop.notFound`)});let C=S,w=e=>n(e,l.language),T=[{id:`tid`,header:a(`columns.tid`),cell:({row:t})=>g(`terminals`)?(0,b.jsx)(e,{to:d.terminal(t.original.id),children:t.original.tid}):t.original.tid},{id:`kind`,header:a(`columns.kind`),cell:({row:e})=>a(`terminalKind.${e.original.kind}`)},{id:`model`,header:a(`columns.model`),cell:({row:e})=>e.original.model??`—`},{id:`serial`,header:a(`columns.serial`),cell:({row:e})=>e.original.serialNumber??`—`},{id:`status`,header:a(`columns.status`),cell:({row:e})=>(0,b.jsx)(s,{status:e.original.status})},{id:`connectivity`,header:a(`columns.connectivity`),cell:({row:e})=>(0,b.jsx)(s,{status:e.original.connectivity})},{id:`lastSeen`,header:a(`columns.lastSeen`),cell:({row:e})=>w(e.original.lastSeenAt)}],E=[{id:`number`,header:a(`columns.number`),cell:({row:e})=>e.original.number},{id:`status`,header:a(`columns.status`),cell:({row:e})=>(0,b.jsx)(s,{status:e.original.status})},{id:`signedAt`,header:a(`columns.signedAt`),cell:({row:e})=>w(e.original.signedAt)}],D=[{id:`at`,header:a(`columns.at`),cell:({row:e})=>w(e.original.occurredAt)},{id:`action`,header:a(`columns.action`),cell:({row:e})=>e.original.action},{id:`actor`,header:a(`columns.actor`),cell:({row:e})=>e.original.actorLabel}],k=(C.company?.contracts.edges??[]).map(e=>e.node).filter(e=>e.shops.some(e=>e.id===C.id)),A=C.address;return(0,b.jsxs)(`article`,{className:`company`,children:[(0,b.jsxs)(`header`,{className:`company-header`,children:[(0,b.jsx)(`h1`,{children:C.name}),(0,b.jsx)(s,{status:C.status}),g(`transactions`)&&(0,b.jsx)(e,{className:`follow`,to:`${d.transactions}?shop=${encodeURIComponent(C.id)}`,children:a(`transactions.title`)}),g(`transactionRecorded`)&&(0,b.jsx)(e,{className:`follow`,to:`${d.supervision}?shop=${encodeURIComponent(C.id)}`,children:a(`wall.follow`)})]}),(0,b.jsxs)(`dl`,{className:`facts`,children:[(0,b.jsx)(h,{label:a(`columns.company`),children:C.company?(0,b.jsx)(e,{to:d.company(C.company.id),children:C.company.legalName}):`—`}),(0,b.jsx)(h,{label:a(`columns.siret`),children:C.siret}),(0,b.jsx)(h,{label:a(`columns.mcc`),children:C.mcc}),(0,b.jsx)(h,{label:a(`company.address`),children:[A.line1,A.line2,`${A.postalCode} ${A.city}`,A.country].filter(Boolean).join(`, `)}),(0,b.jsx)(h,{label:a(`columns.createdAt`),children:w(C.createdAt)}),C.closedAt&&(0,b.jsx)(h,{label:a(`shop.closedAt`),children:w(C.closedAt)})]}),(0,b.jsx)(m,{title:a(`shop.terminals`),count:C.terminals.totalCount,children:(0,b.jsx)(t,{columns:T,data:C.terminals.edges.map(e=>e.node),caption:a(`shop.terminals`),empty:a(`company.none`)})}),(0,b.jsx)(O,{shopId:C.id,shopOpen:C.status===`OPEN`,services:C.services.edges.map(e=>e.node),totalCount:C.services.totalCount,contracts:k,terminals:C.terminals.edges.map(e=>e.node),onChanged:()=>x({requestPolicy:`network-only`})}),(0,b.jsx)(m,{title:a(`shop.contracts`),count:k.length,children:(0,b.jsx)(t,{columns:E,data:k,caption:a(`shop.contracts`),empty:a(`company.none`)})}),C.auditEvents&&(0,b.jsx)(m,{title:a(`company.journal`),children:(0,b.jsx)(t,{columns:D,data:C.auditEvents.edges.map(e=>e.node),caption:a(`company.journal`),empty:a(`company.none`)})})]})}export{N as ShopDetail};