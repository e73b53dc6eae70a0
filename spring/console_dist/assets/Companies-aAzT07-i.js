import{F as e,_ as t,a as n,b as r,f as i,h as a,i as o,o as s,r as c,w as l}from"./console-DiEqahXQ.js";import{pt as u}from"./preload-helper-Cxp912mq.js";var d=u(),f=25,p=i(`
  query Companies($filter: CompanyFilter, $orderBy: CompanyOrder, $first: Int, $after: String, $last: Int, $before: String) {
    companies(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          legalName
          tradeName
          siren
          mcc
          status
          createdAt
          address {
            city
          }
        }
      }
    }
  }
`),m=[`PROSPECT`,`EVALUATION`,`APPROVED`,`REJECTED`,`ACTIVE`,`SUSPENDED`,`CLOSED`],h={legalName:`LEGAL_NAME`,siren:`SIREN`,createdAt:`CREATED_AT`};function g(){let{t:i,i18n:u}=e(),[g,_]=r(),v=g.get(`q`)??``,y=g.get(`status`),b=g.get(`sort`)??`legalName`,x=g.get(`dir`)===`desc`,S=g.get(`after`),C=g.get(`before`),w=(e,t=!1)=>{let n=new URLSearchParams(g);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),_(n,{replace:!t})},T=x?`DESC`:`ASC`,[{data:E,error:D,fetching:O},k]=a({query:p,variables:{filter:{text:v.trim()||null,status:y?[y]:null},orderBy:{field:h[b]??`LEGAL_NAME`,direction:T},...C?{last:f,before:C}:{first:f,after:S}}}),A=[{id:`legalName`,header:i(`columns.legalName`),cell:({row:e})=>(0,d.jsx)(t,{to:c.company(e.original.id),children:e.original.legalName})},{id:`tradeName`,header:i(`columns.tradeName`),enableSorting:!1,cell:({row:e})=>e.original.tradeName??`—`},{id:`siren`,header:i(`columns.siren`),cell:({row:e})=>e.original.siren},{id:`city`,header:i(`columns.city`),enableSorting:!1,cell:({row:e})=>e.original.address.city},{id:`status`,header:i(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,d.jsx)(o,{status:e.original.status})},{id:`createdAt`,header:i(`columns.createdAt`),cell:({row:e})=>l(e.original.createdAt,u.language)}],j=[{id:b,desc:x}],M=E?.companies;return(0,d.jsxs)(`section`,{children:[(0,d.jsx)(`h1`,{children:i(`companies.title`)}),(0,d.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,d.jsxs)(`label`,{children:[i(`companies.filterText`),(0,d.jsx)(`input`,{type:`search`,value:v,onChange:e=>w({q:e.target.value})})]}),(0,d.jsxs)(`label`,{children:[i(`companies.filterStatus`),(0,d.jsxs)(`select`,{value:y??``,onChange:e=>w({status:e.target.value}),children:[(0,d.jsx)(`option`,{value:``,children:i(`companies.all`)}),m.map(e=>(0,d.jsx)(`option`,{value:e,children:i(`status.${e}`)},e))]})]})]}),D&&!E?(0,d.jsx)(s,{error:D,retry:()=>k({requestPolicy:`network-only`})}):(0,d.jsxs)(d.Fragment,{children:[(0,d.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:M?i(`companies.count`,{count:M.totalCount}):O?`…`:``}),(0,d.jsx)(n,{columns:A,data:M?.edges.map(e=>e.node)??[],caption:i(`companies.title`),empty:i(O?`app.loading`:`company.none`),sorting:j,busy:O,onSortingChange:e=>{let t=e[0];w({sort:t?.id??null,dir:t?.desc?`desc`:null})},testId:`companies`}),(0,d.jsxs)(`nav`,{className:`pager`,"aria-label":`pagination`,children:[(0,d.jsx)(`button`,{type:`button`,disabled:!(M?.pageInfo.hasPreviousPage||S),onClick:()=>w({before:M?.pageInfo.startCursor??null,after:null},!0),children:i(`companies.previous`)}),(0,d.jsx)(`button`,{type:`button`,disabled:!(M?.pageInfo.hasNextPage||C),onClick:()=>w({after:M?.pageInfo.endCursor??null,before:null},!0),children:i(`companies.next`)})]})]})]})}export{m as COMPANY_STATUSES,g as Companies};