import{A as e,T as t,a as n,d as r,f as i,g as a,i as o,m as s,o as c,r as l,v as u,x as d,y as f}from"./console-L91wW-1P.js";import{bt as p,gt as m,pt as h}from"./preload-helper-Cxp912mq.js";import{t as g}from"./download-Bo0DR4th.js";var _=p(m(),1),v=h(),y=25;function b(e){return g(`/exports/transactions.csv?${new URLSearchParams({filter:JSON.stringify(e)})}`,`transactions.csv`)}var x=864e5,ee=i(`
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
`),C=[`APPROVED`,`DECLINED`,`ERROR`,`REVERSED`],te=[`PURCHASE`,`REFUND`,`PRE_AUTHORIZATION`,`COMPLETION`,`REVERSAL`],ne=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],w=[`CONTACTLESS`,`CHIP`,`MAGSTRIPE`,`MANUAL`,`TAP_TO_PAY`],re={occurredAt:`OCCURRED_AT`,amount:`AMOUNT`};function T(e){return e?new Date(`${e}T00:00:00`).toISOString():null}function E(e,t,n){let r=t?new Date(new Date(`${t}T00:00:00`).getTime()+x):new Date(n),i=e?new Date(`${e}T00:00:00`):new Date(r.getTime()-x);return{interval:r.getTime()-i.getTime()<=2*x?`HOUR`:`DAY`,occurredFrom:i.toISOString(),occurredTo:r.toISOString()}}function D({buckets:t,interval:n,language:r}){let{t:i}=e(),a=Math.max(1,...t.map(e=>e.count)),o=e=>new Intl.DateTimeFormat(r===`en`?`en-GB`:`fr-FR`,n===`HOUR`?{hour:`2-digit`,minute:`2-digit`}:{day:`2-digit`,month:`2-digit`}).format(new Date(e.start)),s=100/Math.max(1,t.length);return(0,v.jsxs)(`figure`,{className:`chart`,children:[(0,v.jsx)(`svg`,{viewBox:`0 0 100 40`,preserveAspectRatio:`none`,role:`img`,"aria-label":i(`transactions.chartLabel`),children:t.map((e,t)=>{let n=e.approvedCount/a*38,r=(e.declinedCount+e.errorCount)/a*38;return(0,v.jsxs)(`g`,{children:[(0,v.jsx)(`rect`,{x:t*s+s*.1,width:s*.8,y:40-n,height:n,className:`bar-approved`}),(0,v.jsx)(`rect`,{x:t*s+s*.1,width:s*.8,y:40-n-r,height:r,className:`bar-refused`})]},e.start)})}),(0,v.jsxs)(`figcaption`,{children:[(0,v.jsx)(`span`,{className:`key key-approved`}),` `,i(`transactions.approved`),` `,(0,v.jsx)(`span`,{className:`key key-refused`}),` `,i(`transactions.refused`)]}),(0,v.jsxs)(`details`,{children:[(0,v.jsx)(`summary`,{children:i(`transactions.asTable`)}),(0,v.jsxs)(`table`,{className:`table`,children:[(0,v.jsx)(`caption`,{className:`visually-hidden`,children:i(`transactions.chartLabel`)}),(0,v.jsx)(`thead`,{children:(0,v.jsxs)(`tr`,{children:[(0,v.jsx)(`th`,{scope:`col`,children:i(n===`HOUR`?`transactions.hour`:`transactions.day`)}),(0,v.jsx)(`th`,{scope:`col`,children:i(`transactions.count`)}),(0,v.jsx)(`th`,{scope:`col`,children:i(`transactions.approved`)}),(0,v.jsx)(`th`,{scope:`col`,children:i(`transactions.refused`)}),(0,v.jsx)(`th`,{scope:`col`,children:i(`transactions.rate`)}),(0,v.jsx)(`th`,{scope:`col`,children:i(`transactions.net`)})]})}),(0,v.jsx)(`tbody`,{children:t.map(e=>(0,v.jsxs)(`tr`,{children:[(0,v.jsx)(`td`,{children:o(e)}),(0,v.jsx)(`td`,{children:e.count}),(0,v.jsx)(`td`,{children:e.approvedCount}),(0,v.jsx)(`td`,{children:e.declinedCount+e.errorCount}),(0,v.jsx)(`td`,{children:e.approvalRate===null||e.approvalRate===void 0?`—`:`${Math.round(e.approvalRate*100)} %`}),(0,v.jsx)(`td`,{children:e.currency?d(e.amountApproved,e.currency,r):`—`})]},e.start))})]})]})]})}function O(){let{t:i,i18n:p}=e(),{can:m,reads:h}=r(),[g,O]=u(),k=p.language,A=e=>g.get(e),j=A(`from`),M=A(`to`),N=A(`sort`)??`occurredAt`,P=A(`dir`)!==`asc`,F=A(`after`),I=A(`before`),L=e=>{let n=A(e),r=n?t(n):null;return r===null?null:Math.round(r*100)},R=(e,t=!1)=>{let n=new URLSearchParams(g);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),O(n,{replace:!t})},z={company:A(`company`),shop:A(`shop`),terminal:A(`terminal`),status:A(`status`)?[A(`status`)]:null,type:A(`type`)?[A(`type`)]:null,scheme:A(`scheme`)?[A(`scheme`)]:null,entryMode:A(`mode`)?[A(`mode`)]:null,responseCode:A(`code`)?[A(`code`)]:null,occurredFrom:T(j),occurredTo:M?new Date(new Date(`${M}T00:00:00`).getTime()+x).toISOString():null,amountMin:L(`min`),amountMax:L(`max`)},B=P?`DESC`:`ASC`,[{data:V,error:H,fetching:U},W]=s({query:ee,variables:{filter:z,orderBy:{field:re[N]??`OCCURRED_AT`,direction:B},...I?{last:y,before:I}:{first:y,after:F},withCard:h(`Transaction.responseCode`)}}),G=E(j,M,Math.ceil((Date.now()+1)/6e4)*6e4),[K]=s({query:S,variables:{filter:{...z,occurredFrom:G.occurredFrom,occurredTo:G.occurredTo},interval:G.interval,withCodes:h(`TransactionStatsBucket.topResponseCodes`)},pause:!m(`transactionStats`)}),q=[{id:`occurredAt`,header:i(`columns.at`),cell:({row:e})=>f(e.original.occurredAt,k)},{id:`shop`,header:i(`fleet.shop`),enableSorting:!1,cell:({row:e})=>e.original.shop?(0,v.jsx)(a,{to:l.shop(e.original.shop.id),children:e.original.shop.name}):`—`},{id:`tid`,header:i(`columns.tid`),enableSorting:!1,cell:({row:e})=>e.original.terminal?(0,v.jsx)(a,{to:l.terminal(e.original.terminal.id),children:e.original.terminal.tid}):`—`},{id:`type`,header:i(`wall.type`),enableSorting:!1,cell:({row:e})=>i(`txType.${e.original.type}`)},{id:`amount`,header:i(`wall.amountColumn`),cell:({row:e})=>d(e.original.amount,e.original.currency,k)},{id:`card`,header:i(`wall.card`),enableSorting:!1,cell:({row:e})=>`${e.original.scheme}${e.original.maskedPan?` · ${e.original.maskedPan}`:``} · ${i(`entryMode.${e.original.entryMode}`)}`},{id:`status`,header:i(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,v.jsx)(o,{status:e.original.status})},{id:`response`,header:i(`wall.response`),enableSorting:!1,cell:({row:e})=>{let t=e.original.responseMessage;return[e.original.responseCode,e.original.status!==`APPROVED`&&t?k===`en`?t.labelEn:t.labelFr:null].filter(Boolean).join(` `)||`—`}}],J=[{id:N,desc:P}],Y=V?.transactions,[X,ie]=(0,_.useState)(null),[ae,Z]=(0,_.useState)(!1),Q=K.data?.transactionStats,$=(e,t,n,r)=>(0,v.jsxs)(`label`,{children:[e,(0,v.jsxs)(`select`,{value:A(t)??``,onChange:e=>R({[t]:e.target.value}),children:[(0,v.jsx)(`option`,{value:``,children:i(`companies.all`)}),n.map(e=>(0,v.jsx)(`option`,{value:e,children:r(e)},e))]})]});return(0,v.jsxs)(`section`,{children:[(0,v.jsx)(`h1`,{children:i(`transactions.title`)}),(A(`company`)||A(`shop`)||A(`terminal`))&&(0,v.jsxs)(`p`,{children:[i(`transactions.scoped`),` `,(0,v.jsx)(a,{to:l.transactions,children:i(`transactions.all`)})]}),(0,v.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,v.jsxs)(`label`,{children:[i(`transactions.from`),(0,v.jsx)(`input`,{type:`date`,value:j??``,onChange:e=>R({from:e.target.value})})]}),(0,v.jsxs)(`label`,{children:[i(`transactions.to`),(0,v.jsx)(`input`,{type:`date`,value:M??``,onChange:e=>R({to:e.target.value})})]}),$(i(`columns.status`),`status`,C,e=>i(`status.${e}`)),$(i(`wall.type`),`type`,te,e=>i(`txType.${e}`)),$(i(`transactions.scheme`),`scheme`,ne,e=>e),$(i(`transactions.mode`),`mode`,w,e=>i(`entryMode.${e}`)),(0,v.jsxs)(`label`,{children:[i(`transactions.code`),(0,v.jsx)(`input`,{value:A(`code`)??``,onChange:e=>R({code:e.target.value.trim()}),size:4,inputMode:`numeric`})]}),(0,v.jsxs)(`label`,{children:[i(`transactions.min`),(0,v.jsx)(`input`,{value:A(`min`)??``,onChange:e=>R({min:e.target.value}),size:8,inputMode:`decimal`})]}),(0,v.jsxs)(`label`,{children:[i(`transactions.max`),(0,v.jsx)(`input`,{value:A(`max`)??``,onChange:e=>R({max:e.target.value}),size:8,inputMode:`decimal`})]})]}),Q&&(0,v.jsxs)(`section`,{className:`stats`,"aria-label":i(`transactions.stats`),"data-testid":`stats`,children:[(0,v.jsxs)(`dl`,{className:`wall-figures`,children:[(0,v.jsxs)(`div`,{children:[(0,v.jsx)(`dt`,{children:i(`transactions.count`)}),(0,v.jsx)(`dd`,{"data-testid":`stats-count`,children:Q.totals.count})]}),(0,v.jsxs)(`div`,{children:[(0,v.jsx)(`dt`,{children:i(`transactions.rate`)}),(0,v.jsx)(`dd`,{children:Q.totals.approvalRate===null||Q.totals.approvalRate===void 0?`—`:`${Math.round(Q.totals.approvalRate*100)} %`})]}),(0,v.jsxs)(`div`,{children:[(0,v.jsx)(`dt`,{children:i(`transactions.net`)}),(0,v.jsx)(`dd`,{children:Q.totals.currency?d(Q.totals.amountApproved,Q.totals.currency,k):`—`})]})]}),(0,v.jsx)(D,{buckets:Q.buckets,interval:Q.interval,language:k}),Q.totals.topResponseCodes&&Q.totals.topResponseCodes.length>0&&(0,v.jsxs)(v.Fragment,{children:[(0,v.jsx)(`h2`,{children:i(`transactions.topCodes`)}),(0,v.jsx)(`ol`,{className:`top-codes`,"data-testid":`top-codes`,children:Q.totals.topResponseCodes.map(e=>(0,v.jsxs)(`li`,{children:[(0,v.jsx)(`button`,{type:`button`,className:`link`,onClick:()=>R({code:e.code}),children:e.code}),` `,e.responseMessage?k===`en`?e.responseMessage.labelEn:e.responseMessage.labelFr:``,` — `,e.count]},e.code))})]})]}),H&&!V?(0,v.jsx)(c,{error:H,retry:()=>W({requestPolicy:`network-only`})}):(0,v.jsxs)(v.Fragment,{children:[(0,v.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:Y?i(`transactions.listCount`,{count:Y.totalCount}):U?`…`:``}),(0,v.jsx)(`p`,{children:(0,v.jsx)(`button`,{type:`button`,disabled:ae||!Y?.totalCount,onClick:async()=>{Z(!0),ie(await b(z).catch(()=>i(`errors.network`))),Z(!1)},children:i(`transactions.export`)})}),X&&(0,v.jsx)(`p`,{role:`alert`,className:`field-error`,children:X}),(0,v.jsx)(n,{columns:q,data:Y?.edges.map(e=>e.node)??[],caption:i(`transactions.title`),empty:i(U?`app.loading`:`company.none`),sorting:J,busy:U,onSortingChange:e=>{let t=e[0];R({sort:t?.id??null,dir:t&&!t.desc?`asc`:null})},testId:`transactions`}),(0,v.jsxs)(`nav`,{className:`pager`,"aria-label":i(`transactions.paging`),children:[(0,v.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasPreviousPage||F),onClick:()=>R({before:Y?.pageInfo.startCursor??null,after:null},!0),children:i(`companies.previous`)}),(0,v.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasNextPage||I),onClick:()=>R({after:Y?.pageInfo.endCursor??null,before:null},!0),children:i(`companies.next`)})]})]})]})}export{O as Transactions,E as statsPeriod};