import{_ as e,a as t,b as n,f as r,h as i,i as a,j as o,o as s,r as c,y as l}from"./console-BhUGwCLm.js";import{pt as u}from"./preload-helper-Cxp912mq.js";var d=u(),f=25,p=r(`
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
`),m=[`PROSPECT`,`EVALUATION`,`APPROVED`,`REJECTED`,`ACTIVE`,`SUSPENDED`,`CLOSED`],h={legalName:`LEGAL_NAME`,siren:`SIREN`,createdAt:`CREATED_AT`};function g(){let{t:r,i18n:u}=o(),[g,_]=l(),v=g.get(`q`)??``,y=g.get(`status`),b=g.get(`sort`)??`legalName`,x=g.get(`dir`)===`desc`,S=g.get(`after`),C=g.get(`before`),w=(e,t=!1)=>{let n=new URLSearchParams(g);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),_(n,{replace:!t})},T=x?`DESC`:`ASC`,[{data:E,error:D,fetching:O},k]=i({query:p,variables:{filter:{text:v.trim()||null,status:y?[y]:null},orderBy:{field:h[b]??`LEGAL_NAME`,direction:T},...C?{last:f,before:C}:{first:f,after:S}}}),A=[{id:`legalName`,header:r(`columns.legalName`),cell:({row:t})=>(0,d.jsx)(e,{to:c.company(t.original.id),children:t.original.legalName})},{id:`tradeName`,header:r(`columns.tradeName`),enableSorting:!1,cell:({row:e})=>e.original.tradeName??`—`},{id:`siren`,header:r(`columns.siren`),cell:({row:e})=>e.original.siren},{id:`city`,header:r(`columns.city`),enableSorting:!1,cell:({row:e})=>e.original.address.city},{id:`status`,header:r(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,d.jsx)(a,{status:e.original.status})},{id:`createdAt`,header:r(`columns.createdAt`),cell:({row:e})=>n(e.original.createdAt,u.language)}],j=[{id:b,desc:x}],M=E?.companies;return(0,d.jsxs)(`section`,{children:[(0,d.jsx)(`h1`,{children:r(`companies.title`)}),(0,d.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,d.jsxs)(`label`,{children:[r(`companies.filterText`),(0,d.jsx)(`input`,{type:`search`,value:v,onChange:e=>w({q:e.target.value})})]}),(0,d.jsxs)(`label`,{children:[r(`companies.filterStatus`),(0,d.jsxs)(`select`,{value:y??``,onChange:e=>w({status:e.target.value}),children:[(0,d.jsx)(`option`,{value:``,children:r(`companies.all`)}),m.map(e=>(0,d.jsx)(`option`,{value:e,children:r(`status.${e}`)},e))]})]})]}),D&&!E?(0,d.jsx)(s,{error:D,retry:()=>k({requestPolicy:`network-only`})}):(0,d.jsxs)(d.Fragment,{children:[(0,d.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:M?r(`companies.count`,{count:M.totalCount}):O?`…`:``}),(0,d.jsx)(t,{columns:A,data:M?.edges.map(e=>e.node)??[],caption:r(`companies.title`),empty:r(O?`app.loading`:`company.none`),sorting:j,busy:O,onSortingChange:e=>{let t=e[0];w({sort:t?.id??null,dir:t?.desc?`desc`:null})},testId:`companies`}),(0,d.jsxs)(`nav`,{className:`pager`,"aria-label":`pagination`,children:[(0,d.jsx)(`button`,{type:`button`,disabled:!(M?.pageInfo.hasPreviousPage||S),onClick:()=>w({before:M?.pageInfo.startCursor??null,after:null},!0),children:r(`companies.previous`)}),(0,d.jsx)(`button`,{type:`button`,disabled:!(M?.pageInfo.hasNextPage||C),onClick:()=>w({after:M?.pageInfo.endCursor??null,before:null},!0),children:r(`companies.next`)})]})]})]})}export{m as COMPANY_STATUSES,g as Companies};