import{E as e,S as t,_ as n,a as r,b as i,d as a,f as o,h as s,i as ee,j as c,o as l,r as u,y as d}from"./console-BhUGwCLm.js";import{bt as f,gt as p,pt as m}from"./preload-helper-Cxp912mq.js";import{t as h}from"./download-CKRcwXnh.js";var g=f(p(),1),_=m(),v=25;function y(e){return h(`/exports/transactions.csv?${new URLSearchParams({filter:JSON.stringify(e)})}`,`transactions.csv`)}var b=864e5,x=o(`
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
`),S=o(`
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
`),te=[`APPROVED`,`DECLINED`,`ERROR`,`REVERSED`],ne=[`PURCHASE`,`REFUND`,`PRE_AUTHORIZATION`,`COMPLETION`,`REVERSAL`],C=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],w=[`CONTACTLESS`,`CHIP`,`MAGSTRIPE`,`MANUAL`,`TAP_TO_PAY`],T={occurredAt:`OCCURRED_AT`,amount:`AMOUNT`};function E(e){return e?new Date(`${e}T00:00:00`).toISOString():null}function D(e,t,n){let r=t?new Date(new Date(`${t}T00:00:00`).getTime()+b):new Date(n),i=e?new Date(`${e}T00:00:00`):new Date(r.getTime()-b);return{interval:r.getTime()-i.getTime()<=2*b?`HOUR`:`DAY`,occurredFrom:i.toISOString(),occurredTo:r.toISOString()}}function re({buckets:e,interval:n,language:r}){let{t:i}=c(),a=Math.max(1,...e.map(e=>e.count)),o=e=>new Intl.DateTimeFormat(r===`en`?`en-GB`:`fr-FR`,n===`HOUR`?{hour:`2-digit`,minute:`2-digit`}:{day:`2-digit`,month:`2-digit`}).format(new Date(e.start)),s=100/Math.max(1,e.length);return(0,_.jsxs)(`figure`,{className:`chart`,children:[(0,_.jsx)(`svg`,{viewBox:`0 0 100 40`,preserveAspectRatio:`none`,role:`img`,"aria-label":i(`transactions.chartLabel`),children:e.map((e,t)=>{let n=e.approvedCount/a*38,r=(e.declinedCount+e.errorCount)/a*38;return(0,_.jsxs)(`g`,{children:[(0,_.jsx)(`rect`,{x:t*s+s*.1,width:s*.8,y:40-n,height:n,className:`bar-approved`}),(0,_.jsx)(`rect`,{x:t*s+s*.1,width:s*.8,y:40-n-r,height:r,className:`bar-refused`})]},e.start)})}),(0,_.jsxs)(`figcaption`,{children:[(0,_.jsx)(`span`,{className:`key key-approved`}),` `,i(`transactions.approved`),` `,(0,_.jsx)(`span`,{className:`key key-refused`}),` `,i(`transactions.refused`)]}),(0,_.jsxs)(`details`,{children:[(0,_.jsx)(`summary`,{children:i(`transactions.asTable`)}),(0,_.jsxs)(`table`,{className:`table`,children:[(0,_.jsx)(`caption`,{className:`visually-hidden`,children:i(`transactions.chartLabel`)}),(0,_.jsx)(`thead`,{children:(0,_.jsxs)(`tr`,{children:[(0,_.jsx)(`th`,{scope:`col`,children:i(n===`HOUR`?`transactions.hour`:`transactions.day`)}),(0,_.jsx)(`th`,{scope:`col`,children:i(`transactions.count`)}),(0,_.jsx)(`th`,{scope:`col`,children:i(`transactions.approved`)}),(0,_.jsx)(`th`,{scope:`col`,children:i(`transactions.refused`)}),(0,_.jsx)(`th`,{scope:`col`,children:i(`transactions.rate`)}),(0,_.jsx)(`th`,{scope:`col`,children:i(`transactions.net`)})]})}),(0,_.jsx)(`tbody`,{children:e.map(e=>(0,_.jsxs)(`tr`,{children:[(0,_.jsx)(`td`,{children:o(e)}),(0,_.jsx)(`td`,{children:e.count}),(0,_.jsx)(`td`,{children:e.approvedCount}),(0,_.jsx)(`td`,{children:e.declinedCount+e.errorCount}),(0,_.jsx)(`td`,{children:e.approvalRate===null||e.approvalRate===void 0?`—`:`${Math.round(e.approvalRate*100)} %`}),(0,_.jsx)(`td`,{children:e.currency?t(e.amountApproved,e.currency,r):`—`})]},e.start))})]})]})]})}function O(){let{t:o,i18n:f}=c(),{can:p,reads:m}=a(),[h,O]=d(),k=f.language,A=e=>h.get(e),j=A(`from`),M=A(`to`),N=A(`sort`)??`occurredAt`,P=A(`dir`)!==`asc`,F=A(`after`),I=A(`before`),L=t=>{let n=A(t),r=n?e(n):null;return r===null?null:Math.round(r*100)},R=(e,t=!1)=>{let n=new URLSearchParams(h);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),O(n,{replace:!t})},z={company:A(`company`),shop:A(`shop`),terminal:A(`terminal`),status:A(`status`)?[A(`status`)]:null,type:A(`type`)?[A(`type`)]:null,scheme:A(`scheme`)?[A(`scheme`)]:null,entryMode:A(`mode`)?[A(`mode`)]:null,responseCode:A(`code`)?[A(`code`)]:null,occurredFrom:E(j),occurredTo:M?new Date(new Date(`${M}T00:00:00`).getTime()+b).toISOString():null,amountMin:L(`min`),amountMax:L(`max`)},B=P?`DESC`:`ASC`,[{data:V,error:H,fetching:U},W]=s({query:x,variables:{filter:z,orderBy:{field:T[N]??`OCCURRED_AT`,direction:B},...I?{last:v,before:I}:{first:v,after:F},withCard:m(`Transaction.responseCode`)}}),G=D(j,M,Math.ceil((Date.now()+1)/6e4)*6e4),[K]=s({query:S,variables:{filter:{...z,occurredFrom:G.occurredFrom,occurredTo:G.occurredTo},interval:G.interval,withCodes:m(`TransactionStatsBucket.topResponseCodes`)},pause:!p(`transactionStats`)}),q=[{id:`occurredAt`,header:o(`columns.at`),cell:({row:e})=>i(e.original.occurredAt,k)},{id:`shop`,header:o(`fleet.shop`),enableSorting:!1,cell:({row:e})=>e.original.shop?(0,_.jsx)(n,{to:u.shop(e.original.shop.id),children:e.original.shop.name}):`—`},{id:`tid`,header:o(`columns.tid`),enableSorting:!1,cell:({row:e})=>e.original.terminal?(0,_.jsx)(n,{to:u.terminal(e.original.terminal.id),children:e.original.terminal.tid}):`—`},{id:`type`,header:o(`wall.type`),enableSorting:!1,cell:({row:e})=>o(`txType.${e.original.type}`)},{id:`amount`,header:o(`wall.amountColumn`),cell:({row:e})=>t(e.original.amount,e.original.currency,k)},{id:`card`,header:o(`wall.card`),enableSorting:!1,cell:({row:e})=>`${e.original.scheme}${e.original.maskedPan?` · ${e.original.maskedPan}`:``} · ${o(`entryMode.${e.original.entryMode}`)}`},{id:`status`,header:o(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,_.jsx)(ee,{status:e.original.status})},{id:`response`,header:o(`wall.response`),enableSorting:!1,cell:({row:e})=>{let t=e.original.responseMessage;return[e.original.responseCode,e.original.status!==`APPROVED`&&t?k===`en`?t.labelEn:t.labelFr:null].filter(Boolean).join(` `)||`—`}}],J=[{id:N,desc:P}],Y=V?.transactions,[X,ie]=(0,g.useState)(null),[ae,Z]=(0,g.useState)(!1),Q=K.data?.transactionStats,$=(e,t,n,r)=>(0,_.jsxs)(`label`,{children:[e,(0,_.jsxs)(`select`,{value:A(t)??``,onChange:e=>R({[t]:e.target.value}),children:[(0,_.jsx)(`option`,{value:``,children:o(`companies.all`)}),n.map(e=>(0,_.jsx)(`option`,{value:e,children:r(e)},e))]})]});return(0,_.jsxs)(`section`,{children:[(0,_.jsx)(`h1`,{children:o(`transactions.title`)}),(A(`company`)||A(`shop`)||A(`terminal`))&&(0,_.jsxs)(`p`,{children:[o(`transactions.scoped`),` `,(0,_.jsx)(n,{to:u.transactions,children:o(`transactions.all`)})]}),(0,_.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,_.jsxs)(`label`,{children:[o(`transactions.from`),(0,_.jsx)(`input`,{type:`date`,value:j??``,onChange:e=>R({from:e.target.value})})]}),(0,_.jsxs)(`label`,{children:[o(`transactions.to`),(0,_.jsx)(`input`,{type:`date`,value:M??``,onChange:e=>R({to:e.target.value})})]}),$(o(`columns.status`),`status`,te,e=>o(`status.${e}`)),$(o(`wall.type`),`type`,ne,e=>o(`txType.${e}`)),$(o(`transactions.scheme`),`scheme`,C,e=>e),$(o(`transactions.mode`),`mode`,w,e=>o(`entryMode.${e}`)),(0,_.jsxs)(`label`,{children:[o(`transactions.code`),(0,_.jsx)(`input`,{value:A(`code`)??``,onChange:e=>R({code:e.target.value.trim()}),size:4,inputMode:`numeric`})]}),(0,_.jsxs)(`label`,{children:[o(`transactions.min`),(0,_.jsx)(`input`,{value:A(`min`)??``,onChange:e=>R({min:e.target.value}),size:8,inputMode:`decimal`})]}),(0,_.jsxs)(`label`,{children:[o(`transactions.max`),(0,_.jsx)(`input`,{value:A(`max`)??``,onChange:e=>R({max:e.target.value}),size:8,inputMode:`decimal`})]})]}),Q&&(0,_.jsxs)(`section`,{className:`stats`,"aria-label":o(`transactions.stats`),"data-testid":`stats`,children:[(0,_.jsxs)(`dl`,{className:`wall-figures`,children:[(0,_.jsxs)(`div`,{children:[(0,_.jsx)(`dt`,{children:o(`transactions.count`)}),(0,_.jsx)(`dd`,{"data-testid":`stats-count`,children:Q.totals.count})]}),(0,_.jsxs)(`div`,{children:[(0,_.jsx)(`dt`,{children:o(`transactions.rate`)}),(0,_.jsx)(`dd`,{children:Q.totals.approvalRate===null||Q.totals.approvalRate===void 0?`—`:`${Math.round(Q.totals.approvalRate*100)} %`})]}),(0,_.jsxs)(`div`,{children:[(0,_.jsx)(`dt`,{children:o(`transactions.net`)}),(0,_.jsx)(`dd`,{children:Q.totals.currency?t(Q.totals.amountApproved,Q.totals.currency,k):`—`})]})]}),(0,_.jsx)(re,{buckets:Q.buckets,interval:Q.interval,language:k}),Q.totals.topResponseCodes&&Q.totals.topResponseCodes.length>0&&(0,_.jsxs)(_.Fragment,{children:[(0,_.jsx)(`h2`,{children:o(`transactions.topCodes`)}),(0,_.jsx)(`ol`,{className:`top-codes`,"data-testid":`top-codes`,children:Q.totals.topResponseCodes.map(e=>(0,_.jsxs)(`li`,{children:[(0,_.jsx)(`button`,{type:`button`,className:`link`,onClick:()=>R({code:e.code}),children:e.code}),` `,e.responseMessage?k===`en`?e.responseMessage.labelEn:e.responseMessage.labelFr:``,` — `,e.count]},e.code))})]})]}),H&&!V?(0,_.jsx)(l,{error:H,retry:()=>W({requestPolicy:`network-only`})}):(0,_.jsxs)(_.Fragment,{children:[(0,_.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:Y?o(`transactions.listCount`,{count:Y.totalCount}):U?`…`:``}),(0,_.jsx)(`p`,{children:(0,_.jsx)(`button`,{type:`button`,disabled:ae||!Y?.totalCount,onClick:async()=>{Z(!0),ie(await y(z).catch(()=>o(`errors.network`))),Z(!1)},children:o(`transactions.export`)})}),X&&(0,_.jsx)(`p`,{role:`alert`,className:`field-error`,children:X}),(0,_.jsx)(r,{columns:q,data:Y?.edges.map(e=>e.node)??[],caption:o(`transactions.title`),empty:o(U?`app.loading`:`company.none`),sorting:J,busy:U,onSortingChange:e=>{let t=e[0];R({sort:t?.id??null,dir:t&&!t.desc?`asc`:null})},testId:`transactions`}),(0,_.jsxs)(`nav`,{className:`pager`,"aria-label":o(`transactions.paging`),children:[(0,_.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasPreviousPage||F),onClick:()=>R({before:Y?.pageInfo.startCursor??null,after:null},!0),children:o(`companies.previous`)}),(0,_.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasNextPage||I),onClick:()=>R({after:Y?.pageInfo.endCursor??null,before:null},!0),children:o(`companies.next`)})]})]})]})}export{O as Transactions,D as statsPeriod};