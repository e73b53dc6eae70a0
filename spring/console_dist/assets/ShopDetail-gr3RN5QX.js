import{N as e,S as t,_ as n,a as r,d as i,f as a,g as o,i as s,m as c,o as l,r as u,s as d}from"./console-DNfNiZnx.js";import{n as f,t as p}from"./Facts-Ixw6RFUu.js";import{pt as m}from"./preload-helper-Cxp912mq.js";var h=m(),g=a(`
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
              activatedAt
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
`);function _(){let{id:a=``}=n(),{t:m,i18n:_}=e(),{can:v}=i(),[{data:y,error:b,fetching:x},S]=c({query:g,variables:{id:a,withJournal:v(`auditEvents`)}});if(b&&!y)return(0,h.jsx)(l,{error:b,retry:()=>S({requestPolicy:`network-only`})});if(x&&!y)return(0,h.jsx)(d,{});let C=y?.node;if(!C||C.__typename!==`Shop`)return(0,h.jsx)(`p`,{role:`alert`,children:m(`shop.notFound`)});let w=C,T=e=>t(e,_.language),E=[{id:`tid`,header:m(`columns.tid`),cell:({row:e})=>v(`terminals`)?(0,h.jsx)(o,{to:u.terminal(e.original.id),children:e.original.tid}):e.original.tid},{id:`kind`,header:m(`columns.kind`),cell:({row:e})=>m(`terminalKind.${e.original.kind}`)},{id:`model`,header:m(`columns.model`),cell:({row:e})=>e.original.model??`—`},{id:`serial`,header:m(`columns.serial`),cell:({row:e})=>e.original.serialNumber??`—`},{id:`status`,header:m(`columns.status`),cell:({row:e})=>(0,h.jsx)(s,{status:e.original.status})},{id:`connectivity`,header:m(`columns.connectivity`),cell:({row:e})=>(0,h.jsx)(s,{status:e.original.connectivity})},{id:`lastSeen`,header:m(`columns.lastSeen`),cell:({row:e})=>T(e.original.lastSeenAt)}],D=[{id:`kind`,header:m(`columns.kind`),cell:({row:e})=>m(`serviceKind.${e.original.kind}`)},{id:`status`,header:m(`columns.status`),cell:({row:e})=>(0,h.jsx)(s,{status:e.original.status})},{id:`contract`,header:m(`columns.contract`),cell:({row:e})=>e.original.contract?.number??`—`},{id:`terminal`,header:m(`columns.terminal`),cell:({row:e})=>e.original.terminal?.tid??`—`},{id:`activatedAt`,header:m(`columns.activatedAt`),cell:({row:e})=>T(e.original.activatedAt)}],O=[{id:`number`,header:m(`columns.number`),cell:({row:e})=>e.original.number},{id:`status`,header:m(`columns.status`),cell:({row:e})=>(0,h.jsx)(s,{status:e.original.status})},{id:`signedAt`,header:m(`columns.signedAt`),cell:({row:e})=>T(e.original.signedAt)}],k=[{id:`at`,header:m(`columns.at`),cell:({row:e})=>T(e.original.occurredAt)},{id:`action`,header:m(`columns.action`),cell:({row:e})=>e.original.action},{id:`actor`,header:m(`columns.actor`),cell:({row:e})=>e.original.actorLabel}],A=(w.company?.contracts.edges??[]).map(e=>e.node).filter(e=>e.shops.some(e=>e.id===w.id)),j=w.address;return(0,h.jsxs)(`article`,{className:`company`,children:[(0,h.jsxs)(`header`,{className:`company-header`,children:[(0,h.jsx)(`h1`,{children:w.name}),(0,h.jsx)(s,{status:w.status}),v(`transactions`)&&(0,h.jsx)(o,{className:`follow`,to:`${u.transactions}?shop=${encodeURIComponent(w.id)}`,children:m(`transactions.title`)}),v(`transactionRecorded`)&&(0,h.jsx)(o,{className:`follow`,to:`${u.supervision}?shop=${encodeURIComponent(w.id)}`,children:m(`wall.follow`)})]}),(0,h.jsxs)(`dl`,{className:`facts`,children:[(0,h.jsx)(p,{label:m(`columns.company`),children:w.company?(0,h.jsx)(o,{to:u.company(w.company.id),children:w.company.legalName}):`—`}),(0,h.jsx)(p,{label:m(`columns.siret`),children:w.siret}),(0,h.jsx)(p,{label:m(`columns.mcc`),children:w.mcc}),(0,h.jsx)(p,{label:m(`company.address`),children:[j.line1,j.line2,`${j.postalCode} ${j.city}`,j.country].filter(Boolean).join(`, `)}),(0,h.jsx)(p,{label:m(`columns.createdAt`),children:T(w.createdAt)}),w.closedAt&&(0,h.jsx)(p,{label:m(`shop.closedAt`),children:T(w.closedAt)})]}),(0,h.jsx)(f,{title:m(`shop.terminals`),count:w.terminals.totalCount,children:(0,h.jsx)(r,{columns:E,data:w.terminals.edges.map(e=>e.node),caption:m(`shop.terminals`),empty:m(`company.none`)})}),(0,h.jsx)(f,{title:m(`shop.services`),count:w.services.totalCount,children:(0,h.jsx)(r,{columns:D,data:w.services.edges.map(e=>e.node),caption:m(`shop.services`),empty:m(`company.none`)})}),(0,h.jsx)(f,{title:m(`shop.contracts`),count:A.length,children:(0,h.jsx)(r,{columns:O,data:A,caption:m(`shop.contracts`),empty:m(`company.none`)})}),w.auditEvents&&(0,h.jsx)(f,{title:m(`company.journal`),children:(0,h.jsx)(r,{columns:k,data:w.auditEvents.edges.map(e=>e.node),caption:m(`company.journal`),empty:m(`company.none`)})})]})}export{_ as ShopDetail};