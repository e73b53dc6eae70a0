import{C as e,P as t,S as n,T as r,a as i,b as a,d as o,f as s,g as c,i as l,k as u,m as d,o as f,r as p,x as m,y as h}from"./console-SxvCVtgl.js";import{bt as g,gt as _,pt as v}from"./preload-helper-Cxp912mq.js";import{t as y}from"./download-BpDwo7T4.js";var b=g(_(),1),x=v(),S=25;function C(e){return y(`/exports/transactions.csv?${new URLSearchParams({filter:JSON.stringify(e)})}`,`transactions.csv`)}var w=864e5,T=s(`
  query Transactions(
    $filter: TransactionFilter
    $orderBy: TransactionOrder
    $first: Int
    $after: String
    $last: Int
    $before: String
    $withCard: Boolean!
  ) {
    transactions(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
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
          type
          amount
          currency
          scheme
          entryMode
          status
          occurredAt
          maskedPan @include(if: $withCard)
          responseCode @include(if: $withCard)
          responseMessage @include(if: $withCard) {
            labelFr
            labelEn
          }
          terminal {
            id
            tid
          }
          shop {
            id
            name
          }
        }
      }
    }
  }
`),E=s(`
  query TransactionStats($filter: TransactionFilter, $interval: StatsInterval!, $withCodes: Boolean!) {
    transactionStats(filter: $filter, interval: $interval) {
      interval
      occurredFrom
      occurredTo
      buckets {
        start
        count
        approvedCount
        declinedCount
        errorCount
        approvalRate
        amountApproved
        currency
      }
      totals {
        count
        approvedCount
        declinedCount
        errorCount
        approvalRate
        amountApproved
        currency
        topResponseCodes @include(if: $withCodes) {
          code
          count
          responseMessage {
            labelFr
            labelEn
          }
        }
      }
    }
  }
`),ee=[`APPROVED`,`DECLINED`,`ERROR`,`REVERSED`],te=[`PURCHASE`,`REFUND`,`PRE_AUTHORIZATION`,`COMPLETION`,`REVERSAL`],D=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],O=[`CONTACTLESS`,`CHIP`,`MAGSTRIPE`,`MANUAL`,`TAP_TO_PAY`],k={occurredAt:`OCCURRED_AT`,amount:`AMOUNT`};function A(e){return e?m(a(e,1)):null}function j(e,t,n){let r=A(t)??new Date(n).toISOString(),i=m(e)??new Date(new Date(r).getTime()-w).toISOString(),a=e&&t?Math.round((Date.parse(`${t}T00:00:00Z`)-Date.parse(`${e}T00:00:00Z`))/w)+1:null;return{interval:(a===null?new Date(r).getTime()-new Date(i).getTime()<=2*w:a<=2)?`HOUR`:`DAY`,occurredFrom:i,occurredTo:r}}function M({buckets:e,interval:i,language:a}){let{t:o}=t(),s=Math.max(1,...e.map(e=>e.count)),c=e=>n(e.start,i===`HOUR`,a),l=100/Math.max(1,e.length);return(0,x.jsxs)(`figure`,{className:`chart`,children:[(0,x.jsx)(`svg`,{viewBox:`0 0 100 40`,preserveAspectRatio:`none`,role:`img`,"aria-label":o(`transactions.chartLabel`),children:e.map((e,t)=>{let n=e.approvedCount/s*38,r=(e.declinedCount+e.errorCount)/s*38;return(0,x.jsxs)(`g`,{children:[(0,x.jsx)(`rect`,{x:t*l+l*.1,width:l*.8,y:40-n,height:n,className:`bar-approved`}),(0,x.jsx)(`rect`,{x:t*l+l*.1,width:l*.8,y:40-n-r,height:r,className:`bar-refused`})]},e.start)})}),(0,x.jsxs)(`figcaption`,{children:[(0,x.jsx)(`span`,{className:`key key-approved`}),` `,o(`transactions.approved`),` `,(0,x.jsx)(`span`,{className:`key key-refused`}),` `,o(`transactions.refused`)]}),(0,x.jsxs)(`details`,{children:[(0,x.jsx)(`summary`,{children:o(`transactions.asTable`)}),(0,x.jsxs)(`table`,{className:`table`,children:[(0,x.jsx)(`caption`,{className:`visually-hidden`,children:o(`transactions.chartLabel`)}),(0,x.jsx)(`thead`,{children:(0,x.jsxs)(`tr`,{children:[(0,x.jsx)(`th`,{scope:`col`,children:o(i===`HOUR`?`transactions.hour`:`transactions.day`)}),(0,x.jsx)(`th`,{scope:`col`,children:o(`transactions.count`)}),(0,x.jsx)(`th`,{scope:`col`,children:o(`transactions.approved`)}),(0,x.jsx)(`th`,{scope:`col`,children:o(`transactions.refused`)}),(0,x.jsx)(`th`,{scope:`col`,children:o(`transactions.rate`)}),(0,x.jsx)(`th`,{scope:`col`,children:o(`transactions.net`)})]})}),(0,x.jsx)(`tbody`,{children:e.map(e=>(0,x.jsxs)(`tr`,{children:[(0,x.jsx)(`td`,{children:c(e)}),(0,x.jsx)(`td`,{children:e.count}),(0,x.jsx)(`td`,{children:e.approvedCount}),(0,x.jsx)(`td`,{children:e.declinedCount+e.errorCount}),(0,x.jsx)(`td`,{children:e.approvalRate===null||e.approvalRate===void 0?`—`:`${Math.round(e.approvalRate*100)} %`}),(0,x.jsx)(`td`,{children:e.currency?r(e.amountApproved,e.currency,a):`—`})]},e.start))})]})]})]})}function N(){let{t:n,i18n:a}=t(),{can:s,reads:g}=o(),[_,v]=h(),y=a.language,w=e=>_.get(e),N=w(`from`),P=w(`to`),F=w(`sort`)??`occurredAt`,I=w(`dir`)!==`asc`,L=w(`after`),R=w(`before`),z=e=>{let t=w(e),n=t?u(t):null;return n===null?null:Math.round(n*100)},B=(e,t=!1)=>{let n=new URLSearchParams(_);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),v(n,{replace:!t})},V={company:w(`company`),shop:w(`shop`),terminal:w(`terminal`),status:w(`status`)?[w(`status`)]:null,type:w(`type`)?[w(`type`)]:null,scheme:w(`scheme`)?[w(`scheme`)]:null,entryMode:w(`mode`)?[w(`mode`)]:null,responseCode:w(`code`)?[w(`code`)]:null,occurredFrom:m(N),occurredTo:A(P),amountMin:z(`min`),amountMax:z(`max`)},H=I?`DESC`:`ASC`,[{data:U,error:W,fetching:G},K]=d({query:T,variables:{filter:V,orderBy:{field:k[F]??`OCCURRED_AT`,direction:H},...R?{last:S,before:R}:{first:S,after:L},withCard:g(`Transaction.responseCode`)}}),q=j(N,P,Math.ceil((Date.now()+1)/6e4)*6e4),[J]=d({query:E,variables:{filter:{...V,occurredFrom:q.occurredFrom,occurredTo:q.occurredTo},interval:q.interval,withCodes:g(`TransactionStatsBucket.topResponseCodes`)},pause:!s(`transactionStats`)}),ne=[{id:`occurredAt`,header:n(`columns.at`),cell:({row:t})=>e(t.original.occurredAt,y)},{id:`shop`,header:n(`fleet.shop`),enableSorting:!1,cell:({row:e})=>e.original.shop?(0,x.jsx)(c,{to:p.shop(e.original.shop.id),children:e.original.shop.name}):`—`},{id:`tid`,header:n(`columns.tid`),enableSorting:!1,cell:({row:e})=>e.original.terminal?(0,x.jsx)(c,{to:p.terminal(e.original.terminal.id),children:e.original.terminal.tid}):`—`},{id:`type`,header:n(`wall.type`),enableSorting:!1,cell:({row:e})=>n(`txType.${e.original.type}`)},{id:`amount`,header:n(`wall.amountColumn`),cell:({row:e})=>r(e.original.amount,e.original.currency,y)},{id:`card`,header:n(`wall.card`),enableSorting:!1,cell:({row:e})=>`${e.original.scheme}${e.original.maskedPan?` · ${e.original.maskedPan}`:``} · ${n(`entryMode.${e.original.entryMode}`)}`},{id:`status`,header:n(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,x.jsx)(l,{status:e.original.status})},{id:`response`,header:n(`wall.response`),enableSorting:!1,cell:({row:e})=>{let t=e.original.responseMessage;return[e.original.responseCode,e.original.status!==`APPROVED`&&t?y===`en`?t.labelEn:t.labelFr:null].filter(Boolean).join(` `)||`—`}}],re=[{id:F,desc:I}],Y=U?.transactions,[X,ie]=(0,b.useState)(null),[ae,Z]=(0,b.useState)(!1),Q=J.data?.transactionStats,$=(e,t,r,i)=>(0,x.jsxs)(`label`,{children:[e,(0,x.jsxs)(`select`,{value:w(t)??``,onChange:e=>B({[t]:e.target.value}),children:[(0,x.jsx)(`option`,{value:``,children:n(`companies.all`)}),r.map(e=>(0,x.jsx)(`option`,{value:e,children:i(e)},e))]})]});return(0,x.jsxs)(`section`,{children:[(0,x.jsx)(`h1`,{children:n(`transactions.title`)}),(w(`company`)||w(`shop`)||w(`terminal`))&&(0,x.jsxs)(`p`,{children:[n(`transactions.scoped`),` `,(0,x.jsx)(c,{to:p.transactions,children:n(`transactions.all`)})]}),(0,x.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,x.jsxs)(`label`,{children:[n(`transactions.from`),(0,x.jsx)(`input`,{type:`date`,value:N??``,onChange:e=>B({from:e.target.value})})]}),(0,x.jsxs)(`label`,{children:[n(`transactions.to`),(0,x.jsx)(`input`,{type:`date`,value:P??``,onChange:e=>B({to:e.target.value})})]}),$(n(`columns.status`),`status`,ee,e=>n(`status.${e}`)),$(n(`wall.type`),`type`,te,e=>n(`txType.${e}`)),$(n(`transactions.scheme`),`scheme`,D,e=>e),$(n(`transactions.mode`),`mode`,O,e=>n(`entryMode.${e}`)),(0,x.jsxs)(`label`,{children:[n(`transactions.code`),(0,x.jsx)(`input`,{value:w(`code`)??``,onChange:e=>B({code:e.target.value.trim()}),size:4,inputMode:`numeric`})]}),(0,x.jsxs)(`label`,{children:[n(`transactions.min`),(0,x.jsx)(`input`,{value:w(`min`)??``,onChange:e=>B({min:e.target.value}),size:8,inputMode:`decimal`})]}),(0,x.jsxs)(`label`,{children:[n(`transactions.max`),(0,x.jsx)(`input`,{value:w(`max`)??``,onChange:e=>B({max:e.target.value}),size:8,inputMode:`decimal`})]})]}),Q&&(0,x.jsxs)(`section`,{className:`stats`,"aria-label":n(`transactions.stats`),"data-testid":`stats`,children:[(0,x.jsxs)(`dl`,{className:`wall-figures`,children:[(0,x.jsxs)(`div`,{children:[(0,x.jsx)(`dt`,{children:n(`transactions.count`)}),(0,x.jsx)(`dd`,{"data-testid":`stats-count`,children:Q.totals.count})]}),(0,x.jsxs)(`div`,{children:[(0,x.jsx)(`dt`,{children:n(`transactions.rate`)}),(0,x.jsx)(`dd`,{children:Q.totals.approvalRate===null||Q.totals.approvalRate===void 0?`—`:`${Math.round(Q.totals.approvalRate*100)} %`})]}),(0,x.jsxs)(`div`,{children:[(0,x.jsx)(`dt`,{children:n(`transactions.net`)}),(0,x.jsx)(`dd`,{children:Q.totals.currency?r(Q.totals.amountApproved,Q.totals.currency,y):`—`})]})]}),(0,x.jsx)(M,{buckets:Q.buckets,interval:Q.interval,language:y}),Q.totals.topResponseCodes&&Q.totals.topResponseCodes.length>0&&(0,x.jsxs)(x.Fragment,{children:[(0,x.jsx)(`h2`,{children:n(`transactions.topCodes`)}),(0,x.jsx)(`ol`,{className:`top-codes`,"data-testid":`top-codes`,children:Q.totals.topResponseCodes.map(e=>(0,x.jsxs)(`li`,{children:[(0,x.jsx)(`button`,{type:`button`,className:`link`,onClick:()=>B({code:e.code}),children:e.code}),` `,e.responseMessage?y===`en`?e.responseMessage.labelEn:e.responseMessage.labelFr:``,` — `,e.count]},e.code))})]})]}),W&&!U?(0,x.jsx)(f,{error:W,retry:()=>K({requestPolicy:`network-only`})}):(0,x.jsxs)(x.Fragment,{children:[(0,x.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:Y?n(`transactions.listCount`,{count:Y.totalCount}):G?`…`:``}),(0,x.jsx)(`p`,{children:(0,x.jsx)(`button`,{type:`button`,disabled:ae||!Y?.totalCount,onClick:async()=>{Z(!0),ie(await C(V).catch(()=>n(`errors.network`))),Z(!1)},children:n(`transactions.export`)})}),X&&(0,x.jsx)(`p`,{role:`alert`,className:`field-error`,children:X}),(0,x.jsx)(i,{columns:ne,data:Y?.edges.map(e=>e.node)??[],caption:n(`transactions.title`),empty:n(G?`app.loading`:`company.none`),sorting:re,busy:G,onSortingChange:e=>{let t=e[0];B({sort:t?.id??null,dir:t&&!t.desc?`asc`:null})},testId:`transactions`}),(0,x.jsxs)(`nav`,{className:`pager`,"aria-label":n(`transactions.paging`),children:[(0,x.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasPreviousPage||L),onClick:()=>B({before:Y?.pageInfo.startCursor??null,after:null},!0),children:n(`companies.previous`)}),(0,x.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasNextPage||R),onClick:()=>B({after:Y?.pageInfo.endCursor??null,before:null},!0),children:n(`companies.next`)})]})]})]})}export{N as Transactions,j as statsPeriod};