import{A as e,T as t,a as n,d as r,f as i,g as a,i as o,m as s,o as ee,r as c,u as l,v as u,x as d,y as f}from"./console-DM5dUyl4.js";import{bt as p,gt as m,pt as h}from"./preload-helper-Cxp912mq.js";var g=p(m(),1),_=h(),v=25;async function y(e){let t=new URLSearchParams({filter:JSON.stringify(e)}),n=await fetch(`/exports/transactions.csv?${t}`,{headers:l(),credentials:`omit`});if(!n.ok)return(await n.json().catch(()=>null))?.errors?.[0]?.message??String(n.status);let r=URL.createObjectURL(await n.blob()),i=document.createElement(`a`);return i.href=r,i.download=`transactions.csv`,i.click(),setTimeout(()=>URL.revokeObjectURL(r),1e4),null}var b=864e5,x=i(`
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
`),S=i(`
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
`),C=[`APPROVED`,`DECLINED`,`ERROR`,`REVERSED`],te=[`PURCHASE`,`REFUND`,`PRE_AUTHORIZATION`,`COMPLETION`,`REVERSAL`],ne=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],w=[`CONTACTLESS`,`CHIP`,`MAGSTRIPE`,`MANUAL`,`TAP_TO_PAY`],T={occurredAt:`OCCURRED_AT`,amount:`AMOUNT`};function E(e){return e?new Date(`${e}T00:00:00`).toISOString():null}function D(e,t,n){let r=t?new Date(new Date(`${t}T00:00:00`).getTime()+b):new Date(n),i=e?new Date(`${e}T00:00:00`):new Date(r.getTime()-b);return{interval:r.getTime()-i.getTime()<=2*b?`HOUR`:`DAY`,occurredFrom:i.toISOString(),occurredTo:r.toISOString()}}function re({buckets:t,interval:n,language:r}){let{t:i}=e(),a=Math.max(1,...t.map(e=>e.count)),o=e=>new Intl.DateTimeFormat(r===`en`?`en-GB`:`fr-FR`,n===`HOUR`?{hour:`2-digit`,minute:`2-digit`}:{day:`2-digit`,month:`2-digit`}).format(new Date(e.start)),s=100/Math.max(1,t.length);return(0,_.jsxs)(`figure`,{className:`chart`,children:[(0,_.jsx)(`svg`,{viewBox:`0 0 100 40`,preserveAspectRatio:`none`,role:`img`,"aria-label":i(`transactions.chartLabel`),children:t.map((e,t)=>{let n=e.approvedCount/a*38,r=(e.declinedCount+e.errorCount)/a*38;return(0,_.jsxs)(`g`,{children:[(0,_.jsx)(`rect`,{x:t*s+s*.1,width:s*.8,y:40-n,height:n,className:`bar-approved`}),(0,_.jsx)(`rect`,{x:t*s+s*.1,width:s*.8,y:40-n-r,height:r,className:`bar-refused`})]},e.start)})}),(0,_.jsxs)(`figcaption`,{children:[(0,_.jsx)(`span`,{className:`key key-approved`}),` `,i(`transactions.approved`),` `,(0,_.jsx)(`span`,{className:`key key-refused`}),` `,i(`transactions.refused`)]}),(0,_.jsxs)(`details`,{children:[(0,_.jsx)(`summary`,{children:i(`transactions.asTable`)}),(0,_.jsxs)(`table`,{className:`table`,children:[(0,_.jsx)(`caption`,{className:`visually-hidden`,children:i(`transactions.chartLabel`)}),(0,_.jsx)(`thead`,{children:(0,_.jsxs)(`tr`,{children:[(0,_.jsx)(`th`,{scope:`col`,children:i(n===`HOUR`?`transactions.hour`:`transactions.day`)}),(0,_.jsx)(`th`,{scope:`col`,children:i(`transactions.count`)}),(0,_.jsx)(`th`,{scope:`col`,children:i(`transactions.approved`)}),(0,_.jsx)(`th`,{scope:`col`,children:i(`transactions.refused`)}),(0,_.jsx)(`th`,{scope:`col`,children:i(`transactions.rate`)}),(0,_.jsx)(`th`,{scope:`col`,children:i(`transactions.net`)})]})}),(0,_.jsx)(`tbody`,{children:t.map(e=>(0,_.jsxs)(`tr`,{children:[(0,_.jsx)(`td`,{children:o(e)}),(0,_.jsx)(`td`,{children:e.count}),(0,_.jsx)(`td`,{children:e.approvedCount}),(0,_.jsx)(`td`,{children:e.declinedCount+e.errorCount}),(0,_.jsx)(`td`,{children:e.approvalRate===null||e.approvalRate===void 0?`—`:`${Math.round(e.approvalRate*100)} %`}),(0,_.jsx)(`td`,{children:e.currency?d(e.amountApproved,e.currency,r):`—`})]},e.start))})]})]})]})}function O(){let{t:i,i18n:l}=e(),{can:p,reads:m}=r(),[h,O]=u(),k=l.language,A=e=>h.get(e),j=A(`from`),M=A(`to`),N=A(`sort`)??`occurredAt`,P=A(`dir`)!==`asc`,F=A(`after`),I=A(`before`),L=e=>{let n=A(e),r=n?t(n):null;return r===null?null:Math.round(r*100)},R=(e,t=!1)=>{let n=new URLSearchParams(h);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),O(n,{replace:!t})},z={company:A(`company`),shop:A(`shop`),terminal:A(`terminal`),status:A(`status`)?[A(`status`)]:null,type:A(`type`)?[A(`type`)]:null,scheme:A(`scheme`)?[A(`scheme`)]:null,entryMode:A(`mode`)?[A(`mode`)]:null,responseCode:A(`code`)?[A(`code`)]:null,occurredFrom:E(j),occurredTo:M?new Date(new Date(`${M}T00:00:00`).getTime()+b).toISOString():null,amountMin:L(`min`),amountMax:L(`max`)},B=P?`DESC`:`ASC`,[{data:V,error:H,fetching:U},W]=s({query:x,variables:{filter:z,orderBy:{field:T[N]??`OCCURRED_AT`,direction:B},...I?{last:v,before:I}:{first:v,after:F},withCard:m(`Transaction.responseCode`)}}),G=D(j,M,Math.ceil((Date.now()+1)/6e4)*6e4),[K]=s({query:S,variables:{filter:{...z,occurredFrom:G.occurredFrom,occurredTo:G.occurredTo},interval:G.interval,withCodes:m(`TransactionStatsBucket.topResponseCodes`)},pause:!p(`transactionStats`)}),q=[{id:`occurredAt`,header:i(`columns.at`),cell:({row:e})=>f(e.original.occurredAt,k)},{id:`shop`,header:i(`fleet.shop`),enableSorting:!1,cell:({row:e})=>e.original.shop?(0,_.jsx)(a,{to:c.shop(e.original.shop.id),children:e.original.shop.name}):`—`},{id:`tid`,header:i(`columns.tid`),enableSorting:!1,cell:({row:e})=>e.original.terminal?(0,_.jsx)(a,{to:c.terminal(e.original.terminal.id),children:e.original.terminal.tid}):`—`},{id:`type`,header:i(`wall.type`),enableSorting:!1,cell:({row:e})=>i(`txType.${e.original.type}`)},{id:`amount`,header:i(`wall.amountColumn`),cell:({row:e})=>d(e.original.amount,e.original.currency,k)},{id:`card`,header:i(`wall.card`),enableSorting:!1,cell:({row:e})=>`${e.original.scheme}${e.original.maskedPan?` · ${e.original.maskedPan}`:``} · ${i(`entryMode.${e.original.entryMode}`)}`},{id:`status`,header:i(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,_.jsx)(o,{status:e.original.status})},{id:`response`,header:i(`wall.response`),enableSorting:!1,cell:({row:e})=>{let t=e.original.responseMessage;return[e.original.responseCode,e.original.status!==`APPROVED`&&t?k===`en`?t.labelEn:t.labelFr:null].filter(Boolean).join(` `)||`—`}}],J=[{id:N,desc:P}],Y=V?.transactions,[X,ie]=(0,g.useState)(null),[ae,Z]=(0,g.useState)(!1),Q=K.data?.transactionStats,$=(e,t,n,r)=>(0,_.jsxs)(`label`,{children:[e,(0,_.jsxs)(`select`,{value:A(t)??``,onChange:e=>R({[t]:e.target.value}),children:[(0,_.jsx)(`option`,{value:``,children:i(`companies.all`)}),n.map(e=>(0,_.jsx)(`option`,{value:e,children:r(e)},e))]})]});return(0,_.jsxs)(`section`,{children:[(0,_.jsx)(`h1`,{children:i(`transactions.title`)}),(A(`company`)||A(`shop`)||A(`terminal`))&&(0,_.jsxs)(`p`,{children:[i(`transactions.scoped`),` `,(0,_.jsx)(a,{to:c.transactions,children:i(`transactions.all`)})]}),(0,_.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,_.jsxs)(`label`,{children:[i(`transactions.from`),(0,_.jsx)(`input`,{type:`date`,value:j??``,onChange:e=>R({from:e.target.value})})]}),(0,_.jsxs)(`label`,{children:[i(`transactions.to`),(0,_.jsx)(`input`,{type:`date`,value:M??``,onChange:e=>R({to:e.target.value})})]}),$(i(`columns.status`),`status`,C,e=>i(`status.${e}`)),$(i(`wall.type`),`type`,te,e=>i(`txType.${e}`)),$(i(`transactions.scheme`),`scheme`,ne,e=>e),$(i(`transactions.mode`),`mode`,w,e=>i(`entryMode.${e}`)),(0,_.jsxs)(`label`,{children:[i(`transactions.code`),(0,_.jsx)(`input`,{value:A(`code`)??``,onChange:e=>R({code:e.target.value.trim()}),size:4,inputMode:`numeric`})]}),(0,_.jsxs)(`label`,{children:[i(`transactions.min`),(0,_.jsx)(`input`,{value:A(`min`)??``,onChange:e=>R({min:e.target.value}),size:8,inputMode:`decimal`})]}),(0,_.jsxs)(`label`,{children:[i(`transactions.max`),(0,_.jsx)(`input`,{value:A(`max`)??``,onChange:e=>R({max:e.target.value}),size:8,inputMode:`decimal`})]})]}),Q&&(0,_.jsxs)(`section`,{className:`stats`,"aria-label":i(`transactions.stats`),"data-testid":`stats`,children:[(0,_.jsxs)(`dl`,{className:`wall-figures`,children:[(0,_.jsxs)(`div`,{children:[(0,_.jsx)(`dt`,{children:i(`transactions.count`)}),(0,_.jsx)(`dd`,{"data-testid":`stats-count`,children:Q.totals.count})]}),(0,_.jsxs)(`div`,{children:[(0,_.jsx)(`dt`,{children:i(`transactions.rate`)}),(0,_.jsx)(`dd`,{children:Q.totals.approvalRate===null||Q.totals.approvalRate===void 0?`—`:`${Math.round(Q.totals.approvalRate*100)} %`})]}),(0,_.jsxs)(`div`,{children:[(0,_.jsx)(`dt`,{children:i(`transactions.net`)}),(0,_.jsx)(`dd`,{children:Q.totals.currency?d(Q.totals.amountApproved,Q.totals.currency,k):`—`})]})]}),(0,_.jsx)(re,{buckets:Q.buckets,interval:Q.interval,language:k}),Q.totals.topResponseCodes&&Q.totals.topResponseCodes.length>0&&(0,_.jsxs)(_.Fragment,{children:[(0,_.jsx)(`h2`,{children:i(`transactions.topCodes`)}),(0,_.jsx)(`ol`,{className:`top-codes`,"data-testid":`top-codes`,children:Q.totals.topResponseCodes.map(e=>(0,_.jsxs)(`li`,{children:[(0,_.jsx)(`button`,{type:`button`,className:`link`,onClick:()=>R({code:e.code}),children:e.code}),` `,e.responseMessage?k===`en`?e.responseMessage.labelEn:e.responseMessage.labelFr:``,` — `,e.count]},e.code))})]})]}),H&&!V?(0,_.jsx)(ee,{error:H,retry:()=>W({requestPolicy:`network-only`})}):(0,_.jsxs)(_.Fragment,{children:[(0,_.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:Y?i(`transactions.listCount`,{count:Y.totalCount}):U?`…`:``}),(0,_.jsx)(`p`,{children:(0,_.jsx)(`button`,{type:`button`,disabled:ae||!Y?.totalCount,onClick:async()=>{Z(!0),ie(await y(z).catch(()=>i(`errors.network`))),Z(!1)},children:i(`transactions.export`)})}),X&&(0,_.jsx)(`p`,{role:`alert`,className:`field-error`,children:X}),(0,_.jsx)(n,{columns:q,data:Y?.edges.map(e=>e.node)??[],caption:i(`transactions.title`),empty:i(U?`app.loading`:`company.none`),sorting:J,busy:U,onSortingChange:e=>{let t=e[0];R({sort:t?.id??null,dir:t&&!t.desc?`asc`:null})},testId:`transactions`}),(0,_.jsxs)(`nav`,{className:`pager`,"aria-label":i(`transactions.paging`),children:[(0,_.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasPreviousPage||F),onClick:()=>R({before:Y?.pageInfo.startCursor??null,after:null},!0),children:i(`companies.previous`)}),(0,_.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasNextPage||I),onClick:()=>R({after:Y?.pageInfo.endCursor??null,before:null},!0),children:i(`companies.next`)})]})]})]})}export{O as Transactions,D as statsPeriod};