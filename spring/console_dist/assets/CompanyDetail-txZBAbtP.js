import{S as e,_ as t,a as n,d as r,f as i,g as a,i as o,m as s,o as c,r as l,s as u}from"./console-s6BSWnBD.js";import{n as d,t as f}from"./Facts-Ixw6RFUu.js";import{t as p}from"./format-CyWbjtLe.js";import{pt as m}from"./preload-helper-Cxp912mq.js";var h=m(),g=i(`
  query CompanyDetail($id: ID!, $withIban: Boolean!, $withJournal: Boolean!) {
    node(id: $id) {
      __typename
      ... on Company {
        id
        legalName
        tradeName
        siren
        legalForm
        mcc
        status
        contactName
        contactEmail
        contactPhone
        iban @include(if: $withIban)
        address {
          line1
          line2
          postalCode
          city
          country
        }
        shops(first: 50) {
          totalCount
          edges {
            node {
              id
              name
              siret
              status
              address {
                city
              }
            }
          }
        }
        contracts(first: 50) {
          totalCount
          edges {
            node {
              id
              number
              status
              signedAt
            }
          }
        }
        requests(first: 20) {
          totalCount
          edges {
            node {
              id
              reference
              type
              status
              subject
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
`);function _(){let{id:i=``}=t(),{t:m,i18n:_}=e(),{reads:v,can:y}=r(),[{data:b,error:x,fetching:S},C]=s({query:g,variables:{id:i,withIban:v(`Company.iban`),withJournal:y(`auditEvents`)}});if(x&&!b)return(0,h.jsx)(c,{error:x,retry:()=>C({requestPolicy:`network-only`})});if(S&&!b)return(0,h.jsx)(u,{});let w=b?.node;if(!w||w.__typename!==`Company`)return(0,h.jsx)(`p`,{role:`alert`,children:m(`company.notFound`)});let T=w,E=[{id:`name`,header:m(`columns.name`),cell:({row:e})=>(0,h.jsx)(a,{to:l.shop(e.original.id),children:e.original.name})},{id:`siret`,header:m(`columns.siret`),cell:({row:e})=>e.original.siret},{id:`city`,header:m(`columns.city`),cell:({row:e})=>e.original.address.city},{id:`status`,header:m(`columns.status`),cell:({row:e})=>(0,h.jsx)(o,{status:e.original.status})}],D=[{id:`number`,header:m(`columns.number`),cell:({row:e})=>e.original.number},{id:`status`,header:m(`columns.status`),cell:({row:e})=>(0,h.jsx)(o,{status:e.original.status})},{id:`signedAt`,header:m(`columns.signedAt`),cell:({row:e})=>p(e.original.signedAt,_.language)}],O=[{id:`reference`,header:m(`columns.id`),cell:({row:e})=>e.original.reference},{id:`status`,header:m(`columns.status`),cell:({row:e})=>(0,h.jsx)(o,{status:e.original.status})},{id:`type`,header:m(`columns.requestType`),cell:({row:e})=>m(`requestType.${e.original.type}`)},{id:`subject`,header:m(`columns.subject`),cell:({row:e})=>e.original.subject}],k=[{id:`at`,header:m(`columns.at`),cell:({row:e})=>p(e.original.occurredAt,_.language)},{id:`action`,header:m(`columns.action`),cell:({row:e})=>e.original.action},{id:`actor`,header:m(`columns.actor`),cell:({row:e})=>e.original.actorLabel}],A=T.address;return(0,h.jsxs)(`article`,{className:`company`,children:[(0,h.jsxs)(`header`,{className:`company-header`,children:[(0,h.jsx)(`h1`,{children:T.legalName}),(0,h.jsx)(o,{status:T.status}),y(`transactions`)&&(0,h.jsx)(a,{className:`follow`,to:`${l.transactions}?company=${encodeURIComponent(T.id)}`,children:m(`transactions.title`)}),y(`transactionRecorded`)&&(0,h.jsx)(a,{className:`follow`,to:`${l.supervision}?company=${encodeURIComponent(T.id)}`,children:m(`wall.follow`)})]}),(0,h.jsxs)(`dl`,{className:`facts`,children:[(0,h.jsx)(f,{label:m(`columns.siren`),children:T.siren}),(0,h.jsx)(f,{label:m(`columns.tradeName`),children:T.tradeName??`—`}),(0,h.jsx)(f,{label:m(`columns.mcc`),children:T.mcc}),(0,h.jsxs)(f,{label:m(`company.contact`),children:[T.contactName,` · `,T.contactEmail,` · `,T.contactPhone]}),(0,h.jsx)(f,{label:m(`company.address`),children:[A.line1,A.line2,`${A.postalCode} ${A.city}`,A.country].filter(Boolean).join(`, `)}),T.iban!==void 0&&(0,h.jsx)(f,{label:m(`company.iban`),children:T.iban??`—`})]}),(0,h.jsx)(d,{title:m(`company.shops`),count:T.shops.totalCount,children:(0,h.jsx)(n,{columns:E,data:T.shops.edges.map(e=>e.node),caption:m(`company.shops`),empty:m(`company.none`)})}),(0,h.jsx)(d,{title:m(`company.contracts`),count:T.contracts.totalCount,children:(0,h.jsx)(n,{columns:D,data:T.contracts.edges.map(e=>e.node),caption:m(`company.contracts`),empty:m(`company.none`)})}),(0,h.jsx)(d,{title:m(`company.requests`),count:T.requests.totalCount,children:(0,h.jsx)(n,{columns:O,data:T.requests.edges.map(e=>e.node),caption:m(`company.requests`),empty:m(`company.none`)})}),T.auditEvents&&(0,h.jsx)(d,{title:m(`company.journal`),children:(0,h.jsx)(n,{columns:k,data:T.auditEvents.edges.map(e=>e.node),caption:m(`company.journal`),empty:m(`company.none`)})})]})}export{_ as CompanyDetail};