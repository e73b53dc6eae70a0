import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{F as r,_ as i,a,c as o,d as s,f as c,h as l,i as u,m as d,o as f,r as p,s as m,w as h,y as g}from"./console-DiEqahXQ.js";import{n as _,t as v}from"./Facts-Ixw6RFUu.js";var y=e(t(),1),b=n(),x=c(`
  mutation UpdateShop($input: UpdateShopInput!) {
    updateShop(input: $input) {
      shop {
        id
        name
        mcc
        status
        version
        closedAt
        address {
          line1
          line2
          postalCode
          city
          country
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),S=[`name`,`mcc`,`address.line1`,`address.line2`,`address.postalCode`,`address.city`,`address.country`];function C(e){return(e.field??[]).slice(1).join(`.`)}function w({shop:e,onDone:t}){let{t:n}=r(),i=(0,y.useId)(),[a,s]=(0,y.useState)({name:e.name,mcc:e.mcc,"address.line1":e.address.line1,"address.line2":e.address.line2??``,"address.postalCode":e.address.postalCode,"address.city":e.address.city,"address.country":e.address.country}),[c,l]=(0,y.useState)(!1),[u,f]=(0,y.useState)(``),[p,m]=(0,y.useState)([]),[,h]=d(x),g=async r=>{let i=await h({input:{id:e.id,expectedVersion:e.version,...r}}),a=i.error?[{message:o(i.error,n)}]:i.data?.updateShop?.userErrors??[];m(a),a.length||t(!0)},_=e=>{e.preventDefault(),g({name:a.name,mcc:a.mcc,address:{line1:a[`address.line1`],line2:a[`address.line2`]||null,postalCode:a[`address.postalCode`],city:a[`address.city`],country:a[`address.country`]||`FR`}})},v=e=>p.filter(t=>C(t)===e),w=p.filter(e=>!S.includes(C(e))&&C(e)!==`reason`),T=(e,t)=>{let n=v(e);return(0,b.jsxs)(`div`,{className:`field`,children:[(0,b.jsx)(`label`,{htmlFor:`${i}-${e}`,children:t}),(0,b.jsx)(`input`,{id:`${i}-${e}`,value:a[e],onChange:t=>s({...a,[e]:t.target.value}),"aria-invalid":n.length?!0:void 0,"aria-describedby":n.length?`${i}-${e}-error`:void 0}),n.length>0&&(0,b.jsx)(`span`,{id:`${i}-${e}-error`,className:`field-error`,children:n.map(e=>e.message).join(` `)})]},e)};return(0,b.jsxs)(`form`,{className:`shop-edit`,onSubmit:_,"aria-label":n(`shopEdit.title`),children:[(0,b.jsx)(`h2`,{className:`form-title`,children:n(`shopEdit.title`)}),T(`name`,n(`shopEdit.name`)),T(`mcc`,n(`columns.mcc`)),T(`address.line1`,n(`shopEdit.line1`)),T(`address.line2`,n(`shopEdit.line2`)),T(`address.postalCode`,n(`shopEdit.postalCode`)),T(`address.city`,n(`shopEdit.city`)),T(`address.country`,n(`shopEdit.country`)),w.length>0&&(0,b.jsx)(`div`,{role:`alert`,className:`field-error`,children:w.map(e=>(0,b.jsx)(`p`,{children:e.message},e.message))}),(0,b.jsxs)(`div`,{className:`form-end`,children:[(0,b.jsx)(`button`,{type:`submit`,className:`primary`,children:n(`shopEdit.save`)}),(0,b.jsx)(`button`,{type:`button`,onClick:()=>t(!1),children:n(`terminal.cancel`)}),!c&&(0,b.jsx)(`button`,{type:`button`,onClick:()=>l(!0),children:n(`shopEdit.close`)})]}),c&&(0,b.jsxs)(`div`,{role:`group`,"aria-label":n(`shopEdit.close`),className:`register-terminal`,children:[(0,b.jsx)(`p`,{children:n(`shopEdit.closeHint`)}),(0,b.jsxs)(`div`,{className:`field`,children:[(0,b.jsx)(`label`,{htmlFor:`${i}-reason`,children:n(`terminal.reason`)}),(0,b.jsx)(`input`,{id:`${i}-reason`,value:u,onChange:e=>f(e.target.value),"aria-required":`true`,"aria-invalid":v(`reason`).length?!0:void 0}),v(`reason`).length>0&&(0,b.jsx)(`span`,{className:`field-error`,children:v(`reason`).map(e=>e.message).join(` `)})]}),(0,b.jsx)(`button`,{type:`button`,className:`danger`,onClick:()=>void g({status:`CLOSED`,reason:u}),children:n(`shopEdit.closeConfirm`)}),(0,b.jsx)(`button`,{type:`button`,onClick:()=>l(!1),children:n(`terminal.cancel`)})]})]})}var T=c(`
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
`),E=c(`
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
`),D=c(`
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
`),O=c(`
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
`),k=c(`
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
`);function A({problems:e}){return e.length?(0,b.jsx)(`div`,{role:`alert`,className:`field-error`,children:e.map(e=>(0,b.jsx)(`p`,{children:e.message},e.message))}):null}function j({issued:e,onDone:t}){let{t:n,i18n:i}=r();return(0,b.jsxs)(`div`,{className:`one-time-code`,role:`status`,"data-testid":`activation-code`,children:[(0,b.jsx)(`p`,{children:n(`services.codeFor`)}),(0,b.jsx)(`p`,{children:(0,b.jsx)(`code`,{children:e.code})}),(0,b.jsx)(`p`,{children:n(`services.codeOnce`,{at:h(e.expiresAt,i.language)})}),(0,b.jsx)(`button`,{type:`button`,onClick:t,children:n(`services.codeGiven`)})]})}function M({shopId:e,shopOpen:t,services:n,totalCount:i,contracts:c,terminals:l,onChanged:f}){let{t:p,i18n:m}=r(),{can:g}=s(),[v,x]=(0,y.useState)(!1),[S,C]=(0,y.useState)(null),[w,T]=(0,y.useState)(null),[E,D]=(0,y.useState)([]),[,k]=d(O),M=e=>h(e,m.language),F=c.filter(e=>e.status===`SIGNED`||e.status===`ACTIVE`),I=g(`activateService`)&&t&&F.length>0,L=async e=>{D([]);let t=await k({input:{serviceId:e.id,expectedVersion:e.version}}),n=t.data?.regenerateActivationCode;t.error?D([{message:o(t.error,p)}]):n?.userErrors.length?D(n.userErrors):n?.activationCode&&C({code:n.activationCode,expiresAt:n.service?.activationCodeExpiresAt??null})},R=[{id:`kind`,header:p(`columns.kind`),cell:({row:e})=>p(`serviceKind.${e.original.kind}`)},{id:`status`,header:p(`columns.status`),cell:({row:e})=>(0,b.jsx)(u,{status:e.original.status})},{id:`contract`,header:p(`columns.contract`),cell:({row:e})=>e.original.contract?.number??`—`},{id:`terminal`,header:p(`columns.terminal`),cell:({row:e})=>e.original.terminal?.tid??`—`},{id:`activatedAt`,header:p(`columns.activatedAt`),cell:({row:e})=>e.original.activatedAt?M(e.original.activatedAt):e.original.activationCodeExpiresAt?p(`services.waitingPhone`,{at:M(e.original.activationCodeExpiresAt)}):`—`},{id:`actions`,header:p(`terminal.actions`),cell:({row:e})=>{let t=e.original,n=t.kind===`PAYWISH_SOFTPOS`&&t.status===`PENDING`;return(0,b.jsxs)(`span`,{className:`row-actions`,children:[n&&g(`regenerateActivationCode`)&&(0,b.jsx)(`button`,{type:`button`,onClick:()=>void L(t),children:p(`services.newCode`)}),t.status!==`DEACTIVATED`&&g(`deactivateService`)&&(0,b.jsx)(`button`,{type:`button`,onClick:()=>T(t),children:p(`services.deactivate`)})]})}}];return(0,b.jsxs)(_,{title:p(`shop.services`),count:i,children:[S&&(0,b.jsx)(j,{issued:S,onDone:()=>C(null)}),(0,b.jsx)(A,{problems:E}),w&&(0,b.jsx)(N,{service:w,onDone:e=>{T(null),e&&f()}}),(0,b.jsx)(a,{columns:R,data:[...n],caption:p(`shop.services`),empty:p(`company.none`),testId:`services`}),I&&(v?(0,b.jsx)(P,{shopId:e,contracts:F,assigned:l.filter(e=>e.kind===`PAX`&&e.status===`ASSIGNED`),onCancel:()=>x(!1),onActivated:e=>{x(!1),e&&C(e),f()}}):(0,b.jsx)(`button`,{type:`button`,className:`primary`,onClick:()=>x(!0),children:p(`services.activate`)})),g(`activateService`)&&t&&F.length===0&&(0,b.jsx)(`p`,{className:`muted`,children:p(`services.noSignedContract`)})]})}function N({service:e,onDone:t}){let{t:n}=r(),[i,a]=(0,y.useState)(``),[s,c]=(0,y.useState)([]),[,l]=d(k),u=n(`services.deactivateWhich`,{kind:n(`serviceKind.${e.kind}`)});return(0,b.jsxs)(`form`,{className:`block-form`,onSubmit:async r=>{r.preventDefault();let a=await l({input:{id:e.id,reason:i,expectedVersion:e.version}}),s=a.error?[{message:o(a.error,n)}]:a.data?.deactivateService?.userErrors??[];c(s),s.length||t(!0)},"aria-label":u,children:[(0,b.jsxs)(`label`,{children:[n(`terminal.reason`),(0,b.jsx)(`input`,{value:i,onChange:e=>a(e.target.value),required:!0,"aria-required":`true`})]}),(0,b.jsx)(`button`,{type:`submit`,className:`primary`,children:n(`services.deactivate`)}),(0,b.jsx)(`button`,{type:`button`,onClick:()=>t(!1),children:n(`terminal.cancel`)}),(0,b.jsx)(A,{problems:s})]})}function P({shopId:e,contracts:t,assigned:n,onCancel:i,onActivated:a}){let{t:c}=r(),{can:u}=s(),f=(0,y.useId)(),[p,m]=(0,y.useState)(t[0]?.id??``),h=t.find(e=>e.id===p)?.serviceKinds??[],[g,_]=(0,y.useState)(h[0]??`PAYWISH_SOFTPOS`),v=h.includes(g)?g:h[0]??g,[x,S]=(0,y.useState)(n[0]?.id??``),[C,w]=(0,y.useState)(``),[D,O]=(0,y.useState)(!1),[k,j]=(0,y.useState)([]),[M,N]=(0,y.useState)([]),[P,I]=(0,y.useState)(!1),[{data:L,fetching:R}]=l({query:T,variables:{text:C.trim()||null},pause:v!==`PAY_ON_SITE`||!u(`terminals`)}),[,z]=d(E),B=[...n,...k,...(L?.terminals?.edges??[]).map(e=>({...e.node,kind:`PAX`,status:`IN_STOCK`}))].filter((e,t,n)=>n.findIndex(t=>t.id===e.id)===t);return(0,b.jsxs)(`form`,{className:`block-form activate-form`,onSubmit:async t=>{t.preventDefault(),I(!0);let n=await z({input:{contractId:p,shopId:e,kind:v,terminalId:v===`PAY_ON_SITE`&&x||null}});I(!1);let r=n.data?.activateService,i=n.error?[{message:o(n.error,c)}]:r?.userErrors??[];N(i),i.length||a(r?.activationCode?{code:r.activationCode,expiresAt:r.service?.activationCodeExpiresAt??null}:null)},"aria-label":c(`services.activate`),children:[(0,b.jsx)(`h3`,{className:`form-title`,children:c(`services.activate`)}),(0,b.jsxs)(`label`,{children:[c(`columns.contract`),(0,b.jsx)(`select`,{value:p,onChange:e=>m(e.target.value),children:t.map(e=>(0,b.jsx)(`option`,{value:e.id,children:e.number},e.id))})]}),(0,b.jsxs)(`fieldset`,{className:`choice`,children:[(0,b.jsx)(`legend`,{children:c(`services.kind`)}),h.map(e=>(0,b.jsxs)(`label`,{children:[(0,b.jsx)(`input`,{type:`radio`,name:`${f}-kind`,value:e,checked:v===e,onChange:()=>_(e)}),` `,c(`serviceKind.${e}`)]},e))]}),v===`PAY_ON_SITE`&&(0,b.jsxs)(b.Fragment,{children:[(0,b.jsxs)(`label`,{children:[c(`services.findStock`),(0,b.jsx)(`input`,{type:`search`,value:C,onChange:e=>w(e.target.value)})]}),(0,b.jsxs)(`label`,{children:[c(`services.terminal`),(0,b.jsxs)(`select`,{value:x,onChange:e=>S(e.target.value),"aria-busy":R||void 0,children:[(0,b.jsx)(`option`,{value:``,children:c(`services.chooseTerminal`)}),B.map(e=>(0,b.jsx)(`option`,{value:e.id,children:[e.tid,e.model,e.serialNumber,e.status===`ASSIGNED`?c(`services.inThisShop`):c(`services.inStock`)].filter(Boolean).join(` · `)},e.id))]})]}),u(`registerTerminal`)&&!D&&(0,b.jsx)(`button`,{type:`button`,onClick:()=>O(!0),children:c(`services.register`)})]}),(0,b.jsx)(`button`,{type:`submit`,className:`primary`,disabled:P,children:c(v===`PAY_ON_SITE`?`services.activatePax`:`services.activateSoftpos`)}),(0,b.jsx)(`button`,{type:`button`,onClick:i,children:c(`terminal.cancel`)}),(0,b.jsx)(A,{problems:M}),v===`PAY_ON_SITE`&&D&&(0,b.jsx)(F,{onCancel:()=>O(!1),onRegistered:e=>{j(t=>[e,...t]),S(e.id),O(!1)}})]})}function F({onCancel:e,onRegistered:t}){let{t:n}=r(),[i,a]=(0,y.useState)({tid:``,serialNumber:``,model:``}),[s,c]=(0,y.useState)([]),[,l]=d(D),u=e=>t=>a({...i,[e]:t.target.value}),f=async()=>{let e=await l({input:{kind:`PAX`,tid:i.tid,serialNumber:i.serialNumber||null,model:i.model||null}}),r=e.data?.registerTerminal,a=e.error?[{message:o(e.error,n)}]:r?.userErrors??[];c(a),!a.length&&r?.terminal&&t({...r.terminal,kind:`PAX`,status:`IN_STOCK`})};return(0,b.jsxs)(`div`,{role:`group`,"aria-label":n(`services.register`),className:`register-terminal`,children:[(0,b.jsxs)(`label`,{children:[n(`columns.tid`),(0,b.jsx)(`input`,{value:i.tid,onChange:u(`tid`),"aria-required":`true`})]}),(0,b.jsxs)(`label`,{children:[n(`columns.serial`),(0,b.jsx)(`input`,{value:i.serialNumber,onChange:u(`serialNumber`),"aria-required":`true`})]}),(0,b.jsxs)(`label`,{children:[n(`columns.model`),(0,b.jsx)(`input`,{value:i.model,onChange:u(`model`),placeholder:`A920`})]}),(0,b.jsx)(`button`,{type:`button`,onClick:()=>void f(),children:n(`services.registerSend`)}),(0,b.jsx)(`button`,{type:`button`,onClick:e,children:n(`terminal.cancel`)}),(0,b.jsx)(A,{problems:s})]})}var I=c(`
  query ShopDetail($id: ID!, $withJournal: Boolean!) {
    node(id: $id) {
      __typename
      ... on Shop {
        id
        name
        siret
        mcc
        status
        version
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
`);function L(){let{id:e=``}=g(),{t,i18n:n}=r(),{can:o}=s(),[c,d]=(0,y.useState)(!1),[{data:x,error:S,fetching:C},T]=l({query:I,variables:{id:e,withJournal:o(`auditEvents`)}});if(S&&!x)return(0,b.jsx)(f,{error:S,retry:()=>T({requestPolicy:`network-only`})});if(C&&!x)return(0,b.jsx)(m,{});let E=x?.node;if(!E||E.__typename!==`Shop`)return(0,b.jsx)(`p`,{role:`alert`,children:t(`shop.notFound`)});let D=E,O=e=>h(e,n.language),k=[{id:`tid`,header:t(`columns.tid`),cell:({row:e})=>o(`terminals`)?(0,b.jsx)(i,{to:p.terminal(e.original.id),children:e.original.tid}):e.original.tid},{id:`kind`,header:t(`columns.kind`),cell:({row:e})=>t(`terminalKind.${e.original.kind}`)},{id:`model`,header:t(`columns.model`),cell:({row:e})=>e.original.model??`—`},{id:`serial`,header:t(`columns.serial`),cell:({row:e})=>e.original.serialNumber??`—`},{id:`status`,header:t(`columns.status`),cell:({row:e})=>(0,b.jsx)(u,{status:e.original.status})},{id:`connectivity`,header:t(`columns.connectivity`),cell:({row:e})=>(0,b.jsx)(u,{status:e.original.connectivity})},{id:`lastSeen`,header:t(`columns.lastSeen`),cell:({row:e})=>O(e.original.lastSeenAt)}],A=[{id:`number`,header:t(`columns.number`),cell:({row:e})=>e.original.number},{id:`status`,header:t(`columns.status`),cell:({row:e})=>(0,b.jsx)(u,{status:e.original.status})},{id:`signedAt`,header:t(`columns.signedAt`),cell:({row:e})=>O(e.original.signedAt)}],j=[{id:`at`,header:t(`columns.at`),cell:({row:e})=>O(e.original.occurredAt)},{id:`action`,header:t(`columns.action`),cell:({row:e})=>e.original.action},{id:`actor`,header:t(`columns.actor`),cell:({row:e})=>e.original.actorLabel}],N=(D.company?.contracts.edges??[]).map(e=>e.node).filter(e=>e.shops.some(e=>e.id===D.id)),P=D.address;return(0,b.jsxs)(`article`,{className:`company`,children:[(0,b.jsxs)(`header`,{className:`company-header`,children:[(0,b.jsx)(`h1`,{children:D.name}),(0,b.jsx)(u,{status:D.status}),o(`transactions`)&&(0,b.jsx)(i,{className:`follow`,to:`${p.transactions}?shop=${encodeURIComponent(D.id)}`,children:t(`transactions.title`)}),o(`transactionRecorded`)&&(0,b.jsx)(i,{className:`follow`,to:`${p.supervision}?shop=${encodeURIComponent(D.id)}`,children:t(`wall.follow`)}),o(`updateShop`)&&D.status===`OPEN`&&!c&&(0,b.jsx)(`button`,{type:`button`,onClick:()=>d(!0),children:t(`shopEdit.title`)}),o(`createRequest`)&&D.company&&(0,b.jsx)(i,{className:`follow`,to:p.newRequest(D.company.id),children:t(`newRequest.fromShop`)})]}),c&&(0,b.jsx)(w,{shop:D,onDone:e=>{d(!1),e&&T({requestPolicy:`network-only`})}}),(0,b.jsxs)(`dl`,{className:`facts`,children:[(0,b.jsx)(v,{label:t(`columns.company`),children:D.company?(0,b.jsx)(i,{to:p.company(D.company.id),children:D.company.legalName}):`—`}),(0,b.jsx)(v,{label:t(`columns.siret`),children:D.siret}),(0,b.jsx)(v,{label:t(`columns.mcc`),children:D.mcc}),(0,b.jsx)(v,{label:t(`company.address`),children:[P.line1,P.line2,`${P.postalCode} ${P.city}`,P.country].filter(Boolean).join(`, `)}),(0,b.jsx)(v,{label:t(`columns.createdAt`),children:O(D.createdAt)}),D.closedAt&&(0,b.jsx)(v,{label:t(`shop.closedAt`),children:O(D.closedAt)})]}),(0,b.jsx)(_,{title:t(`shop.terminals`),count:D.terminals.totalCount,children:(0,b.jsx)(a,{columns:k,data:D.terminals.edges.map(e=>e.node),caption:t(`shop.terminals`),empty:t(`company.none`)})}),(0,b.jsx)(M,{shopId:D.id,shopOpen:D.status===`OPEN`,services:D.services.edges.map(e=>e.node),totalCount:D.services.totalCount,contracts:N,terminals:D.terminals.edges.map(e=>e.node),onChanged:()=>T({requestPolicy:`network-only`})}),(0,b.jsx)(_,{title:t(`shop.contracts`),count:N.length,children:(0,b.jsx)(a,{columns:A,data:N,caption:t(`shop.contracts`),empty:t(`company.none`)})}),D.auditEvents&&(0,b.jsx)(_,{title:t(`company.journal`),children:(0,b.jsx)(a,{columns:j,data:D.auditEvents.edges.map(e=>e.node),caption:t(`company.journal`),empty:t(`company.none`)})})]})}export{L as ShopDetail};