import{F as e,_ as t,a as n,b as r,d as i,f as a,h as o,i as s,o as c,r as l,w as u}from"./console-DiEqahXQ.js";import{pt as d}from"./preload-helper-Cxp912mq.js";var f=d(),p=25,m=a(`
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
`),h=[`OPEN`,`IN_REVIEW`,`APPROVED`,`REJECTED`,`DONE`,`CANCELLED`],g=[`EVALUATION`,`FEE_CHANGE`,`SUPPORT`,`TERMINATION`],_=[`ANY`,`AUTHORED`,`ASSIGNED`],v={reference:`REFERENCE`,createdAt:`CREATED_AT`,updatedAt:`UPDATED_AT`};function y(e,t){let n=e.get(`status`),r=e.get(`type`),i=e.get(`mine`),a=e.get(`overdue`);return{text:e.get(`q`)?.trim()||null,status:n?[n]:null,type:r?[r]:null,author:i===`AUTHORED`?t:null,assignee:i===`ASSIGNED`?t:null,overdue:a===`1`||null}}function b(){let{t:a,i18n:d}=e(),{me:b,can:x}=i(),[S,C]=r(),w=S.get(`sort`)??`updatedAt`,T=S.get(`dir`)!==`asc`,E=S.get(`after`),D=S.get(`before`),O=(e,t=!1)=>{let n=new URLSearchParams(S);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),C(n,{replace:!t})},k=T?`DESC`:`ASC`,[{data:A,error:j,fetching:M},N]=o({query:m,variables:{filter:y(S,b.id),orderBy:{field:v[w]??`UPDATED_AT`,direction:k},...D?{last:p,before:D}:{first:p,after:E}}}),P=[{id:`reference`,header:a(`columns.id`),cell:({row:e})=>(0,f.jsx)(t,{to:l.request(e.original.id),children:e.original.reference})},{id:`status`,header:a(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,f.jsx)(s,{status:e.original.status})},{id:`type`,header:a(`columns.requestType`),enableSorting:!1,cell:({row:e})=>a(`requestType.${e.original.type}`)},{id:`company`,header:a(`columns.company`),enableSorting:!1,cell:({row:e})=>e.original.company?.legalName??`—`},{id:`subject`,header:a(`columns.subject`),enableSorting:!1,cell:({row:e})=>e.original.subject},{id:`assignee`,header:a(`requests.assignee`),enableSorting:!1,cell:({row:e})=>e.original.assignee?.fullName??`—`},{id:`due`,header:a(`requests.due`),enableSorting:!1,cell:({row:e})=>(0,f.jsxs)(f.Fragment,{children:[u(e.original.dueAt,d.language),e.original.overdue&&(0,f.jsxs)(`span`,{className:`badge badge-overdue`,children:[` `,a(`requests.overdue`)]})]})},{id:`updatedAt`,header:a(`requests.updatedAt`),cell:({row:e})=>u(e.original.updatedAt,d.language)}],F=[{id:w,desc:T}],I=A?.requests;return(0,f.jsxs)(`section`,{children:[(0,f.jsx)(`h1`,{children:a(`requests.title`)}),x(`createRequest`)&&(0,f.jsx)(`p`,{children:(0,f.jsx)(t,{className:`button primary`,to:l.newRequest(),children:a(`newRequest.title`)})}),(0,f.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,f.jsxs)(`label`,{children:[a(`requests.filterText`),(0,f.jsx)(`input`,{type:`search`,value:S.get(`q`)??``,onChange:e=>O({q:e.target.value})})]}),(0,f.jsxs)(`label`,{children:[a(`columns.status`),(0,f.jsxs)(`select`,{value:S.get(`status`)??``,onChange:e=>O({status:e.target.value}),children:[(0,f.jsx)(`option`,{value:``,children:a(`companies.all`)}),h.map(e=>(0,f.jsx)(`option`,{value:e,children:a(`status.${e}`)},e))]})]}),(0,f.jsxs)(`label`,{children:[a(`columns.requestType`),(0,f.jsxs)(`select`,{value:S.get(`type`)??``,onChange:e=>O({type:e.target.value}),children:[(0,f.jsx)(`option`,{value:``,children:a(`companies.all`)}),g.map(e=>(0,f.jsx)(`option`,{value:e,children:a(`requestType.${e}`)},e))]})]}),(0,f.jsxs)(`label`,{children:[a(`requests.relation`),(0,f.jsx)(`select`,{value:S.get(`mine`)??`ANY`,onChange:e=>O({mine:e.target.value===`ANY`?null:e.target.value}),children:_.map(e=>(0,f.jsx)(`option`,{value:e,children:a(`requests.relations.${e}`)},e))})]}),(0,f.jsxs)(`label`,{className:`check`,children:[(0,f.jsx)(`input`,{type:`checkbox`,checked:S.get(`overdue`)===`1`,onChange:e=>O({overdue:e.target.checked?`1`:null})}),a(`requests.overdueOnly`)]})]}),j&&!A?(0,f.jsx)(c,{error:j,retry:()=>N({requestPolicy:`network-only`})}):(0,f.jsxs)(f.Fragment,{children:[(0,f.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:I?a(`requests.count`,{count:I.totalCount}):M?`…`:``}),(0,f.jsx)(n,{columns:P,data:I?.edges.map(e=>e.node)??[],caption:a(`requests.title`),empty:a(M?`app.loading`:`company.none`),sorting:F,busy:M,onSortingChange:e=>{let t=e[0];O({sort:t?.id??null,dir:t?.desc?null:`asc`})},testId:`requests`}),(0,f.jsxs)(`nav`,{className:`pager`,"aria-label":`pagination`,children:[(0,f.jsx)(`button`,{type:`button`,disabled:!(I?.pageInfo.hasPreviousPage||E),onClick:()=>O({before:I?.pageInfo.startCursor??null,after:null},!0),children:a(`companies.previous`)}),(0,f.jsx)(`button`,{type:`button`,disabled:!(I?.pageInfo.hasNextPage||D),onClick:()=>O({after:I?.pageInfo.endCursor??null,before:null},!0),children:a(`companies.next`)})]})]})]})}export{h as REQUEST_STATUSES,g as REQUEST_TYPES,b as Requests,y as requestFilter};