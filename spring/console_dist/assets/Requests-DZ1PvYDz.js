import{_ as e,a as t,b as n,d as r,f as i,h as a,i as o,j as s,o as c,r as l,y as u}from"./console-BhUGwCLm.js";import{pt as d}from"./preload-helper-Cxp912mq.js";var f=d(),p=25,m=i(`
  query Requests($filter: RequestFilter, $orderBy: RequestOrder, $first: Int, $after: String, $last: Int, $before: String) {
    requests(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
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
          reference
          type
          status
          subject
          overdue
          dueAt
          createdAt
          updatedAt
          company {
            id
            legalName
          }
          assignee {
            id
            fullName
          }
        }
      }
    }
  }
`),h=[`OPEN`,`IN_REVIEW`,`APPROVED`,`REJECTED`,`DONE`,`CANCELLED`],g=[`EVALUATION`,`FEE_CHANGE`,`SUPPORT`,`TERMINATION`],_=[`ANY`,`AUTHORED`,`ASSIGNED`],v={reference:`REFERENCE`,createdAt:`CREATED_AT`,updatedAt:`UPDATED_AT`};function y(e,t){let n=e.get(`status`),r=e.get(`type`),i=e.get(`mine`),a=e.get(`overdue`);return{text:e.get(`q`)?.trim()||null,status:n?[n]:null,type:r?[r]:null,author:i===`AUTHORED`?t:null,assignee:i===`ASSIGNED`?t:null,overdue:a===`1`||null}}function b(){let{t:i,i18n:d}=s(),{me:b}=r(),[x,S]=u(),C=x.get(`sort`)??`updatedAt`,w=x.get(`dir`)!==`asc`,T=x.get(`after`),E=x.get(`before`),D=(e,t=!1)=>{let n=new URLSearchParams(x);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),S(n,{replace:!t})},O=w?`DESC`:`ASC`,[{data:k,error:A,fetching:j},M]=a({query:m,variables:{filter:y(x,b.id),orderBy:{field:v[C]??`UPDATED_AT`,direction:O},...E?{last:p,before:E}:{first:p,after:T}}}),N=[{id:`reference`,header:i(`columns.id`),cell:({row:t})=>(0,f.jsx)(e,{to:l.request(t.original.id),children:t.original.reference})},{id:`status`,header:i(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,f.jsx)(o,{status:e.original.status})},{id:`type`,header:i(`columns.requestType`),enableSorting:!1,cell:({row:e})=>i(`requestType.${e.original.type}`)},{id:`company`,header:i(`columns.company`),enableSorting:!1,cell:({row:e})=>e.original.company?.legalName??`—`},{id:`subject`,header:i(`columns.subject`),enableSorting:!1,cell:({row:e})=>e.original.subject},{id:`assignee`,header:i(`requests.assignee`),enableSorting:!1,cell:({row:e})=>e.original.assignee?.fullName??`—`},{id:`due`,header:i(`requests.due`),enableSorting:!1,cell:({row:e})=>(0,f.jsxs)(f.Fragment,{children:[n(e.original.dueAt,d.language),e.original.overdue&&(0,f.jsxs)(`span`,{className:`badge badge-overdue`,children:[` `,i(`requests.overdue`)]})]})},{id:`updatedAt`,header:i(`requests.updatedAt`),cell:({row:e})=>n(e.original.updatedAt,d.language)}],P=[{id:C,desc:w}],F=k?.requests;return(0,f.jsxs)(`section`,{children:[(0,f.jsx)(`h1`,{children:i(`requests.title`)}),(0,f.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,f.jsxs)(`label`,{children:[i(`requests.filterText`),(0,f.jsx)(`input`,{type:`search`,value:x.get(`q`)??``,onChange:e=>D({q:e.target.value})})]}),(0,f.jsxs)(`label`,{children:[i(`columns.status`),(0,f.jsxs)(`select`,{value:x.get(`status`)??``,onChange:e=>D({status:e.target.value}),children:[(0,f.jsx)(`option`,{value:``,children:i(`companies.all`)}),h.map(e=>(0,f.jsx)(`option`,{value:e,children:i(`status.${e}`)},e))]})]}),(0,f.jsxs)(`label`,{children:[i(`columns.requestType`),(0,f.jsxs)(`select`,{value:x.get(`type`)??``,onChange:e=>D({type:e.target.value}),children:[(0,f.jsx)(`option`,{value:``,children:i(`companies.all`)}),g.map(e=>(0,f.jsx)(`option`,{value:e,children:i(`requestType.${e}`)},e))]})]}),(0,f.jsxs)(`label`,{children:[i(`requests.relation`),(0,f.jsx)(`select`,{value:x.get(`mine`)??`ANY`,onChange:e=>D({mine:e.target.value===`ANY`?null:e.target.value}),children:_.map(e=>(0,f.jsx)(`option`,{value:e,children:i(`requests.relations.${e}`)},e))})]}),(0,f.jsxs)(`label`,{className:`check`,children:[(0,f.jsx)(`input`,{type:`checkbox`,checked:x.get(`overdue`)===`1`,onChange:e=>D({overdue:e.target.checked?`1`:null})}),i(`requests.overdueOnly`)]})]}),A&&!k?(0,f.jsx)(c,{error:A,retry:()=>M({requestPolicy:`network-only`})}):(0,f.jsxs)(f.Fragment,{children:[(0,f.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:F?i(`requests.count`,{count:F.totalCount}):j?`…`:``}),(0,f.jsx)(t,{columns:N,data:F?.edges.map(e=>e.node)??[],caption:i(`requests.title`),empty:i(j?`app.loading`:`company.none`),sorting:P,busy:j,onSortingChange:e=>{let t=e[0];D({sort:t?.id??null,dir:t?.desc?null:`asc`})},testId:`requests`}),(0,f.jsxs)(`nav`,{className:`pager`,"aria-label":`pagination`,children:[(0,f.jsx)(`button`,{type:`button`,disabled:!(F?.pageInfo.hasPreviousPage||T),onClick:()=>D({before:F?.pageInfo.startCursor??null,after:null},!0),children:i(`companies.previous`)}),(0,f.jsx)(`button`,{type:`button`,disabled:!(F?.pageInfo.hasNextPage||E),onClick:()=>D({after:F?.pageInfo.endCursor??null,before:null},!0),children:i(`companies.next`)})]})]})]})}export{h as REQUEST_STATUSES,g as REQUEST_TYPES,b as Requests,y as requestFilter};