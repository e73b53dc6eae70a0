import{F as e,_ as t,b as n,d as r,f as i,h as a,o,r as s,s as c,w as l}from"./console-DiEqahXQ.js";import{pt as u}from"./preload-helper-Cxp912mq.js";var d=u(),f=25,p=864e5,m=i(`
  query Journal($filter: AuditEventFilter, $first: Int, $after: String, $last: Int, $before: String, $withValues: Boolean!) {
    auditEvents(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
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
          occurredAt
          actorKind
          actorLabel
          action
          entityType
          entityId
          reason
          before @include(if: $withValues)
          after @include(if: $withValues)
        }
      }
    }
  }
`);function h(e){return e===void 0?``:e===null?`—`:typeof e==`object`?JSON.stringify(e):String(e)}function g(e,t,n=``){let r=e&&typeof e==`object`&&!Array.isArray(e)?e:null,i=t&&typeof t==`object`&&!Array.isArray(t)?t:null;if(!r&&!i)return h(e)===h(t)?[]:[{key:n||`value`,before:h(e),after:h(t)}];let a=[...new Set([...Object.keys(r??{}),...Object.keys(i??{})])].sort(),o=[];for(let e of a){let t=r?.[e],a=i?.[e],s=n?`${n}.${e}`:e,c=e=>e&&typeof e==`object`&&!Array.isArray(e);c(t)||c(a)?o.push(...g(t,a,s)):h(t)!==h(a)&&o.push({key:s,before:h(t),after:h(a)})}return o}function _(e){return e.entityId?e.entityType===`Company`?s.company(e.entityId):e.entityType===`Shop`?s.shop(e.entityId):e.entityType===`Terminal`?s.terminal(e.entityId):null:null}function v(){let{t:i,i18n:u}=e(),{reads:h}=r(),[v,y]=n(),b=e=>v.get(e),x=b(`from`),S=b(`to`),C=b(`after`),w=b(`before`),T=(b(`action`)??``).split(`,`).map(e=>e.trim()).filter(Boolean),E=h(`AuditEvent.before`),D=(e,t=!1)=>{let n=new URLSearchParams(v);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),y(n,{replace:!t})},[{data:O,error:k,fetching:A},j]=a({query:m,variables:{filter:{entity:b(`entity`),action:T.length?T:null,occurredFrom:x?new Date(`${x}T00:00:00`).toISOString():null,occurredTo:S?new Date(new Date(`${S}T00:00:00`).getTime()+p).toISOString():null},withValues:E,...w?{last:f,before:w}:{first:f,after:C}}}),M=O?.auditEvents,N=u.language;return(0,d.jsxs)(`section`,{children:[(0,d.jsx)(`h1`,{children:i(`journal.title`)}),b(`entity`)&&(0,d.jsxs)(`p`,{children:[i(`journal.scoped`),` `,(0,d.jsx)(t,{to:s.journal,children:i(`journal.all`)})]}),(0,d.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,d.jsxs)(`label`,{children:[i(`journal.actions`),(0,d.jsx)(`input`,{value:b(`action`)??``,onChange:e=>D({action:e.target.value}),placeholder:`service.blocked, contract.signed`})]}),(0,d.jsxs)(`label`,{children:[i(`transactions.from`),(0,d.jsx)(`input`,{type:`date`,value:x??``,onChange:e=>D({from:e.target.value})})]}),(0,d.jsxs)(`label`,{children:[i(`transactions.to`),(0,d.jsx)(`input`,{type:`date`,value:S??``,onChange:e=>D({to:e.target.value})})]})]}),k&&!O?(0,d.jsx)(o,{error:k,retry:()=>j({requestPolicy:`network-only`})}):M?(0,d.jsxs)(d.Fragment,{children:[(0,d.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:i(`journal.count`,{count:M.totalCount})}),(0,d.jsx)(`ol`,{className:`journal`,"data-testid":`journal`,"aria-busy":A?!0:void 0,children:M.edges.map(({node:e})=>{let n=E?g(e.before,e.after):[],r=_(e);return(0,d.jsxs)(`li`,{children:[(0,d.jsxs)(`p`,{className:`journal-line`,children:[(0,d.jsx)(`time`,{dateTime:e.occurredAt,children:l(e.occurredAt,N)}),` `,(0,d.jsx)(`strong`,{children:e.actorLabel}),` `,(0,d.jsx)(`code`,{children:e.action}),` `,r?(0,d.jsx)(t,{to:r,children:i(`journal.entity.${e.entityType}`,{defaultValue:e.entityType})}):i(`journal.entity.${e.entityType}`,{defaultValue:e.entityType}),e.reason&&(0,d.jsxs)(`span`,{className:`journal-reason`,children:[` — `,i(`journal.reason`,{reason:e.reason})]})]}),n.length>0&&(0,d.jsxs)(`details`,{children:[(0,d.jsx)(`summary`,{children:i(`journal.changes`,{count:n.length})}),(0,d.jsxs)(`table`,{className:`table diff`,children:[(0,d.jsx)(`caption`,{className:`visually-hidden`,children:i(`journal.changesOf`,{action:e.action})}),(0,d.jsx)(`thead`,{children:(0,d.jsxs)(`tr`,{children:[(0,d.jsx)(`th`,{scope:`col`,children:i(`journal.value`)}),(0,d.jsx)(`th`,{scope:`col`,children:i(`journal.before`)}),(0,d.jsx)(`th`,{scope:`col`,children:i(`journal.after`)})]})}),(0,d.jsx)(`tbody`,{children:n.map(e=>(0,d.jsxs)(`tr`,{children:[(0,d.jsx)(`th`,{scope:`row`,children:e.key}),(0,d.jsx)(`td`,{className:`diff-before`,children:e.before||`—`}),(0,d.jsx)(`td`,{className:`diff-after`,children:e.after||`—`})]},e.key))})]})]})]},e.id)})}),(0,d.jsxs)(`nav`,{className:`pager`,"aria-label":i(`journal.paging`),children:[(0,d.jsx)(`button`,{type:`button`,disabled:!(M.pageInfo.hasPreviousPage||C),onClick:()=>D({before:M.pageInfo.startCursor??null,after:null},!0),children:i(`companies.previous`)}),(0,d.jsx)(`button`,{type:`button`,disabled:!(M.pageInfo.hasNextPage||w),onClick:()=>D({after:M.pageInfo.endCursor??null,before:null},!0),children:i(`companies.next`)})]})]}):(0,d.jsx)(c,{})]})}export{v as Journal,g as differences};