import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{F as r,_ as i,a,b as o,f as s,g as c,h as l,i as u,o as d,r as f,w as p}from"./console-DiEqahXQ.js";var m=e(t(),1),h=n(),g=25,_=s(`
  query FleetCounts {
    all: terminals(first: 1) {
      totalCount
    }
    offline: terminals(filter: { connectivity: OFFLINE, status: [ASSIGNED, ACTIVE, BLOCKED] }, first: 1) {
      totalCount
    }
    pending: terminals(filter: { optionsStatus: PENDING }, first: 1) {
      totalCount
    }
    blocked: terminals(filter: { status: [BLOCKED] }, first: 1) {
      totalCount
    }
  }
`),v=s(`
  query Fleet($filter: TerminalFilter, $orderBy: TerminalOrder, $first: Int, $after: String, $last: Int, $before: String) {
    terminals(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
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
          tid
          kind
          model
          appVersion
          firmwareVersion
          status
          connectivity
          optionsStatus
          lastSeenAt
          shop {
            id
            name
          }
        }
      }
    }
  }
`),y=s(`
  subscription TerminalChanges($filter: TerminalFilter) {
    terminalStatusChanged(filter: $filter) {
      connectivity
      optionsStatus
      observedAt
      terminal {
        id
        tid
        status
        connectivity
        optionsStatus
        lastSeenAt
        appliedOptionsVersion
        optionsAppliedAt
      }
    }
  }
`),b=[`ONLINE`,`OFFLINE`],x=[`PENDING`,`APPLIED`],S=[`IN_STOCK`,`ASSIGNED`,`ACTIVE`,`BLOCKED`,`RETURNED`],C=[`PAX`,`SOFTPOS`],w={tid:`TID`,createdAt:`CREATED_AT`};function T(){let{t:e,i18n:t}=r(),[n,s]=o(),T=n.get(`q`)??``,E=n.get(`connectivity`),D=n.get(`options`),O=n.get(`status`),k=n.get(`kind`),A=n.get(`sort`)??`tid`,j=n.get(`dir`)===`desc`,M=n.get(`after`),N=n.get(`before`),P=(e,t=!1)=>{let r=new URLSearchParams(n);for(let[t,n]of Object.entries(e))n?r.set(t,n):r.delete(t);t||(r.delete(`after`),r.delete(`before`)),s(r,{replace:!t})},F=j?`DESC`:`ASC`,[{data:I,error:L,fetching:R},z]=l({query:v,variables:{filter:{text:T.trim()||null,connectivity:E,optionsStatus:D,status:O?[O]:null,kind:k},orderBy:{field:w[A]??`TID`,direction:F},...N?{last:g,before:N}:{first:g,after:M}}}),[B,V]=l({query:_}),[H,U]=(0,m.useState)(``),W=(0,m.useRef)(null),[G]=c({query:y,variables:{filter:null}},(t,n)=>{let r=n.terminalStatusChanged.terminal;return U(e(`fleet.changed`,{tid:r.tid,state:e(`status.${n.terminalStatusChanged.connectivity}`)})),W.current===null&&(W.current=window.setTimeout(()=>{W.current=null,V({requestPolicy:`network-only`})},1e3)),n});(0,m.useEffect)(()=>()=>{W.current!==null&&window.clearTimeout(W.current)},[]);let K=[{id:`tid`,header:e(`columns.tid`),cell:({row:e})=>(0,h.jsx)(i,{to:f.terminal(e.original.id),children:e.original.tid})},{id:`kind`,header:e(`columns.kind`),enableSorting:!1,cell:({row:t})=>e(`terminalKind.${t.original.kind}`)},{id:`shop`,header:e(`fleet.shop`),enableSorting:!1,cell:({row:e})=>e.original.shop?(0,h.jsx)(i,{to:f.shop(e.original.shop.id),children:e.original.shop.name}):`—`},{id:`connectivity`,header:e(`columns.connectivity`),enableSorting:!1,cell:({row:e})=>(0,h.jsx)(u,{status:e.original.connectivity})},{id:`options`,header:e(`fleet.options`),enableSorting:!1,cell:({row:t})=>t.original.optionsStatus?e(`optionsStatus.${t.original.optionsStatus}`):`—`},{id:`status`,header:e(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,h.jsx)(u,{status:e.original.status})},{id:`model`,header:e(`columns.model`),enableSorting:!1,cell:({row:e})=>[e.original.model,e.original.appVersion&&`app ${e.original.appVersion}`].filter(Boolean).join(` · `)||`—`},{id:`lastSeen`,header:e(`columns.lastSeen`),enableSorting:!1,cell:({row:e})=>p(e.original.lastSeenAt,t.language)}],q=[{id:A,desc:j}],J=I?.terminals,Y=B.data,X=(t,n,r,i,a)=>(0,h.jsxs)(`label`,{children:[t,(0,h.jsxs)(`select`,{value:r??``,onChange:e=>P({[n]:e.target.value}),children:[(0,h.jsx)(`option`,{value:``,children:e(`companies.all`)}),i.map(e=>(0,h.jsx)(`option`,{value:e,children:a(e)},e))]})]});return(0,h.jsxs)(`section`,{children:[(0,h.jsx)(`h1`,{children:e(`fleet.title`)}),(0,h.jsxs)(`ul`,{className:`tiles`,"aria-label":e(`fleet.glance`),children:[(0,h.jsx)(`li`,{children:(0,h.jsxs)(`button`,{type:`button`,className:`tile`,"aria-pressed":!E&&!D&&!O,onClick:()=>P({connectivity:null,options:null,status:null}),children:[(0,h.jsx)(`span`,{className:`tile-count`,children:Y?.all?.totalCount??`…`}),` `,e(`fleet.all`)]})}),(0,h.jsx)(`li`,{children:(0,h.jsxs)(`button`,{type:`button`,className:`tile tile-offline`,"aria-pressed":E===`OFFLINE`,onClick:()=>P({connectivity:`OFFLINE`,options:null,status:null}),children:[(0,h.jsx)(`span`,{className:`tile-count`,"data-testid":`count-offline`,children:Y?.offline?.totalCount??`…`}),` `,e(`fleet.offline`)]})}),(0,h.jsx)(`li`,{children:(0,h.jsxs)(`button`,{type:`button`,className:`tile tile-pending`,"aria-pressed":D===`PENDING`,onClick:()=>P({options:`PENDING`,connectivity:null,status:null}),children:[(0,h.jsx)(`span`,{className:`tile-count`,"data-testid":`count-pending`,children:Y?.pending?.totalCount??`…`}),` `,e(`fleet.pending`)]})}),(0,h.jsx)(`li`,{children:(0,h.jsxs)(`button`,{type:`button`,className:`tile tile-blocked`,"aria-pressed":O===`BLOCKED`,onClick:()=>P({status:`BLOCKED`,connectivity:null,options:null}),children:[(0,h.jsx)(`span`,{className:`tile-count`,"data-testid":`count-blocked`,children:Y?.blocked?.totalCount??`…`}),` `,e(`fleet.blocked`)]})})]}),(0,h.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,h.jsxs)(`label`,{children:[e(`fleet.filterText`),(0,h.jsx)(`input`,{type:`search`,value:T,onChange:e=>P({q:e.target.value})})]}),X(e(`columns.connectivity`),`connectivity`,E,b,t=>e(`status.${t}`)),X(e(`fleet.options`),`options`,D,x,t=>e(`optionsStatus.${t}`)),X(e(`columns.status`),`status`,O,S,t=>e(`status.${t}`)),X(e(`columns.kind`),`kind`,k,C,t=>e(`terminalKind.${t}`))]}),(0,h.jsx)(`p`,{className:`live-state`,role:`status`,"aria-live":`polite`,"data-testid":`fleet-live`,children:G.error?e(`fleet.liveLost`):H}),L&&!I?(0,h.jsx)(d,{error:L,retry:()=>z({requestPolicy:`network-only`})}):(0,h.jsxs)(h.Fragment,{children:[(0,h.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:J?e(`fleet.count`,{count:J.totalCount}):R?`…`:``}),(0,h.jsx)(a,{columns:K,data:J?.edges.map(e=>e.node)??[],caption:e(`fleet.title`),empty:e(R?`app.loading`:`company.none`),sorting:q,busy:R,onSortingChange:e=>{let t=e[0];P({sort:t?.id??null,dir:t?.desc?`desc`:null})},testId:`fleet`}),(0,h.jsxs)(`nav`,{className:`pager`,"aria-label":e(`fleet.paging`),children:[(0,h.jsx)(`button`,{type:`button`,disabled:!(J?.pageInfo.hasPreviousPage||M),onClick:()=>P({before:J?.pageInfo.startCursor??null,after:null},!0),children:e(`companies.previous`)}),(0,h.jsx)(`button`,{type:`button`,disabled:!(J?.pageInfo.hasNextPage||N),onClick:()=>P({after:J?.pageInfo.endCursor??null,before:null},!0),children:e(`companies.next`)})]})]})]})}export{T as Fleet,y as TerminalChangesDocument};