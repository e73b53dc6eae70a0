import{_ as e,a as t,b as n,d as r,f as i,h as a,i as o,j as s,o as c,r as l,s as u,v as d}from"./console-BhUGwCLm.js";import{n as f,t as p}from"./Facts-Ixw6RFUu.js";import{pt as m}from"./preload-helper-Cxp912mq.js";var h=m(),g=i(`
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
`);function _(){let{id:i=``}=d(),{t:m,i18n:_}=s(),{can:v}=r(),[{data:y,error:b,fetching:x},S]=a({query:g,variables:{id:i,withJournal:v(`auditEvents`)}});if(b&&!y)return(0,h.jsx)(c,{error:b,retry:()=>S({requestPolicy:`network-only`})});if(x&&!y)return(0,h.jsx)(u,{});let C=y?.node;if(!C||C.__typename!==`Shop`)return(0,h.jsx)(`p`,{role:`alert`,children:m(`shop.notFound`)});let w=C,T=e=>n(e,_.language),E=[{id:`tid`,header:m(`columns.tid`),cell:({row:t})=>v(`terminals`)?(0,h.jsx)(e,{to:l.terminal(t.original.id),children:t.original.tid}):t.original.tid},{id:`kind`,header:m(`columns.kind`),cell:({row:e})=>m(`terminalKind.${e.original.kind}`)},{id:`model`,header:m(`columns.model`),cell:({row:e})=>e.original.model??`—`},{id:`serial`,header:m(`columns.serial`),cell:({row:e})=>e.original.serialNumber??`—`},{id:`status`,header:m(`columns.status`),cell:({row:e})=>(0,h.jsx)(o,{status:e.original.status})},{id:`connectivity`,header:m(`columns.connectivity`),cell:({row:e})=>(0,h.jsx)(o,{status:e.original.connectivity})},{id:`lastSeen`,header:m(`columns.lastSeen`),cell:({row:e})=>T(e.original.lastSeenAt)}],D=[{id:`kind`,header:m(`columns.kind`),cell:({row:e})=>m(`serviceKind.${e.original.kind}`)},{id:`status`,header:m(`columns.status`),cell:({row:e})=>(0,h.jsx)(o,{status:e.original.status})},{id:`contract`,header:m(`columns.contract`),cell:({row:e})=>e.original.contract?.number??`—`},{id:`terminal`,header:m(`columns.terminal`),cell:({row:e})=>e.original.terminal?.tid??`—`},{id:`activatedAt`,header:m(`columns.activatedAt`),cell:({row:e})=>T(e.original.activatedAt)}],O=[{id:`number`,header:m(`columns.number`),cell:({row:e})=>e.original.number},{id:`status`,header:m(`columns.status`),cell:({row:e})=>(0,h.jsx)(o,{status:e.original.status})},{id:`signedAt`,header:m(`columns.signedAt`),cell:({row:e})=>T(e.original.signedAt)}],k=[{id:`at`,header:m(`columns.at`),cell:({row:e})=>T(e.original.occurredAt)},{id:`action`,header:m(`columns.action`),cell:({row:e})=>e.original.action},{id:`actor`,header:m(`columns.actor`),cell:({row:e})=>e.original.actorLabel}],A=(w.company?.contracts.edges??[]).map(e=>e.node).filter(e=>e.shops.some(e=>e.id===w.id)),j=w.address;return(0,h.jsxs)(`article`,{className:`company`,children:[(0,h.jsxs)(`header`,{className:`company-header`,children:[(0,h.jsx)(`h1`,{children:w.name}),(0,h.jsx)(o,{status:w.status}),v(`transactions`)&&(0,h.jsx)(e,{className:`follow`,to:`${l.transactions}?shop=${encodeURIComponent(w.id)}`,children:m(`transactions.title`)}),v(`transactionRecorded`)&&(0,h.jsx)(e,{className:`follow`,to:`${l.supervision}?shop=${encodeURIComponent(w.id)}`,children:m(`wall.follow`)})]}),(0,h.jsxs)(`dl`,{className:`facts`,children:[(0,h.jsx)(p,{label:m(`columns.company`),children:w.company?(0,h.jsx)(e,{to:l.company(w.company.id),children:w.company.legalName}):`—`}),(0,h.jsx)(p,{label:m(`columns.siret`),children:w.siret}),(0,h.jsx)(p,{label:m(`columns.mcc`),children:w.mcc}),(0,h.jsx)(p,{label:m(`company.address`),children:[j.line1,j.line2,`${j.postalCode} ${j.city}`,j.country].filter(Boolean).join(`, `)}),(0,h.jsx)(p,{label:m(`columns.createdAt`),children:T(w.createdAt)}),w.closedAt&&(0,h.jsx)(p,{label:m(`shop.closedAt`),children:T(w.closedAt)})]}),(0,h.jsx)(f,{title:m(`shop.terminals`),count:w.terminals.totalCount,children:(0,h.jsx)(t,{columns:E,data:w.terminals.edges.map(e=>e.node),caption:m(`shop.terminals`),empty:m(`company.none`)})}),(0,h.jsx)(f,{title:m(`shop.services`),count:w.services.totalCount,children:(0,h.jsx)(t,{columns:D,data:w.services.edges.map(e=>e.node),caption:m(`shop.services`),empty:m(`company.none`)})}),(0,h.jsx)(f,{title:m(`shop.contracts`),count:A.length,children:(0,h.jsx)(t,{columns:O,data:A,caption:m(`shop.contracts`),empty:m(`company.none`)})}),w.auditEvents&&(0,h.jsx)(f,{title:m(`company.journal`),children:(0,h.jsx)(t,{columns:k,data:w.auditEvents.edges.map(e=>e.node),caption:m(`company.journal`),empty:m(`company.none`)})})]})}export{_ as ShopDetail};