import{A as e,C as t,E as n,F as r,S as i,_ as a,a as o,b as s,d as c,f as l,h as u,i as ee,o as d,r as f,w as p,x as m}from"./console-DiEqahXQ.js";import{bt as h,gt as g,pt as _}from"./preload-helper-Cxp912mq.js";import{t as v}from"./download-HJXJEkop.js";var y=h(g(),1),b=_(),x=25;function S(e){return v(`/exports/transactions.csv?${new URLSearchParams({filter:JSON.stringify(e)})}`,`transactions.csv`)}var C=864e5,w=l(`
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
`),te=l(`
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
`),T=[`APPROVED`,`DECLINED`,`ERROR`,`REVERSED`],E=[`PURCHASE`,`REFUND`,`PRE_AUTHORIZATION`,`COMPLETION`,`REVERSAL`],ne=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],D=[`CONTACTLESS`,`CHIP`,`MAGSTRIPE`,`MANUAL`,`TAP_TO_PAY`],O={occurredAt:`OCCURRED_AT`,amount:`AMOUNT`};function k(e){return e?i(m(e,1)):null}function A(e,t,n){let r=k(t)??new Date(n).toISOString(),a=i(e)??new Date(new Date(r).getTime()-C).toISOString(),o=e&&t?Math.round((Date.parse(`${t}T00:00:00Z`)-Date.parse(`${e}T00:00:00Z`))/C)+1:null;return{interval:(o===null?new Date(r).getTime()-new Date(a).getTime()<=2*C:o<=2)?`HOUR`:`DAY`,occurredFrom:a,occurredTo:r}}function re({buckets:e,interval:i,language:a}){let{t:o}=r(),s=Math.max(1,...e.map(e=>e.count)),c=e=>t(e.start,i===`HOUR`,a),l=100/Math.max(1,e.length);return(0,b.jsxs)(`figure`,{className:`chart`,children:[(0,b.jsx)(`svg`,{viewBox:`0 0 100 40`,preserveAspectRatio:`none`,role:`img`,"aria-label":o(`transactions.chartLabel`),children:e.map((e,t)=>{let n=e.approvedCount/s*38,r=(e.declinedCount+e.errorCount)/s*38;return(0,b.jsxs)(`g`,{children:[(0,b.jsx)(`rect`,{x:t*l+l*.1,width:l*.8,y:40-n,height:n,className:`bar-approved`}),(0,b.jsx)(`rect`,{x:t*l+l*.1,width:l*.8,y:40-n-r,height:r,className:`bar-refused`})]},e.start)})}),(0,b.jsxs)(`figcaption`,{children:[(0,b.jsx)(`span`,{className:`key key-approved`}),` `,o(`transactions.approved`),` `,(0,b.jsx)(`span`,{className:`key key-refused`}),` `,o(`transactions.refused`)]}),(0,b.jsxs)(`details`,{children:[(0,b.jsx)(`summary`,{children:o(`transactions.asTable`)}),(0,b.jsxs)(`table`,{className:`table`,children:[(0,b.jsx)(`caption`,{className:`visually-hidden`,children:o(`transactions.chartLabel`)}),(0,b.jsx)(`thead`,{children:(0,b.jsxs)(`tr`,{children:[(0,b.jsx)(`th`,{scope:`col`,children:o(i===`HOUR`?`transactions.hour`:`transactions.day`)}),(0,b.jsx)(`th`,{scope:`col`,children:o(`transactions.count`)}),(0,b.jsx)(`th`,{scope:`col`,children:o(`transactions.approved`)}),(0,b.jsx)(`th`,{scope:`col`,children:o(`transactions.refused`)}),(0,b.jsx)(`th`,{scope:`col`,children:o(`transactions.rate`)}),(0,b.jsx)(`th`,{scope:`col`,children:o(`transactions.net`)})]})}),(0,b.jsx)(`tbody`,{children:e.map(e=>(0,b.jsxs)(`tr`,{children:[(0,b.jsx)(`td`,{children:c(e)}),(0,b.jsx)(`td`,{children:e.count}),(0,b.jsx)(`td`,{children:e.approvedCount}),(0,b.jsx)(`td`,{children:e.declinedCount+e.errorCount}),(0,b.jsx)(`td`,{children:e.approvalRate===null||e.approvalRate===void 0?`—`:`${Math.round(e.approvalRate*100)} %`}),(0,b.jsx)(`td`,{children:e.currency?n(e.amountApproved,e.currency,a):`—`})]},e.start))})]})]})]})}function j(){let{t,i18n:l}=r(),{can:m,reads:h}=c(),[g,_]=s(),v=l.language,C=e=>g.get(e),j=C(`from`),M=C(`to`),N=C(`sort`)??`occurredAt`,P=C(`dir`)!==`asc`,F=C(`after`),I=C(`before`),L=t=>{let n=C(t),r=n?e(n):null;return r===null?null:Math.round(r*100)},R=(e,t=!1)=>{let n=new URLSearchParams(g);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),_(n,{replace:!t})},z={company:C(`company`),shop:C(`shop`),terminal:C(`terminal`),status:C(`status`)?[C(`status`)]:null,type:C(`type`)?[C(`type`)]:null,scheme:C(`scheme`)?[C(`scheme`)]:null,entryMode:C(`mode`)?[C(`mode`)]:null,responseCode:C(`code`)?[C(`code`)]:null,occurredFrom:i(j),occurredTo:k(M),amountMin:L(`min`),amountMax:L(`max`)},B=P?`DESC`:`ASC`,[{data:V,error:H,fetching:U},W]=u({query:w,variables:{filter:z,orderBy:{field:O[N]??`OCCURRED_AT`,direction:B},...I?{last:x,before:I}:{first:x,after:F},withCard:h(`Transaction.responseCode`)}}),G=A(j,M,Math.ceil((Date.now()+1)/6e4)*6e4),[K]=u({query:te,variables:{filter:{...z,occurredFrom:G.occurredFrom,occurredTo:G.occurredTo},interval:G.interval,withCodes:h(`TransactionStatsBucket.topResponseCodes`)},pause:!m(`transactionStats`)}),q=[{id:`occurredAt`,header:t(`columns.at`),cell:({row:e})=>p(e.original.occurredAt,v)},{id:`shop`,header:t(`fleet.shop`),enableSorting:!1,cell:({row:e})=>e.original.shop?(0,b.jsx)(a,{to:f.shop(e.original.shop.id),children:e.original.shop.name}):`—`},{id:`tid`,header:t(`columns.tid`),enableSorting:!1,cell:({row:e})=>e.original.terminal?(0,b.jsx)(a,{to:f.terminal(e.original.terminal.id),children:e.original.terminal.tid}):`—`},{id:`type`,header:t(`wall.type`),enableSorting:!1,cell:({row:e})=>t(`txType.${e.original.type}`)},{id:`amount`,header:t(`wall.amountColumn`),cell:({row:e})=>n(e.original.amount,e.original.currency,v)},{id:`card`,header:t(`wall.card`),enableSorting:!1,cell:({row:e})=>`${e.original.scheme}${e.original.maskedPan?` · ${e.original.maskedPan}`:``} · ${t(`entryMode.${e.original.entryMode}`)}`},{id:`status`,header:t(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,b.jsx)(ee,{status:e.original.status})},{id:`response`,header:t(`wall.response`),enableSorting:!1,cell:({row:e})=>{let t=e.original.responseMessage;return[e.original.responseCode,e.original.status!==`APPROVED`&&t?v===`en`?t.labelEn:t.labelFr:null].filter(Boolean).join(` `)||`—`}}],J=[{id:N,desc:P}],Y=V?.transactions,[X,ie]=(0,y.useState)(null),[ae,Z]=(0,y.useState)(!1),Q=K.data?.transactionStats,$=(e,n,r,i)=>(0,b.jsxs)(`label`,{children:[e,(0,b.jsxs)(`select`,{value:C(n)??``,onChange:e=>R({[n]:e.target.value}),children:[(0,b.jsx)(`option`,{value:``,children:t(`companies.all`)}),r.map(e=>(0,b.jsx)(`option`,{value:e,children:i(e)},e))]})]});return(0,b.jsxs)(`section`,{children:[(0,b.jsx)(`h1`,{children:t(`transactions.title`)}),(C(`company`)||C(`shop`)||C(`terminal`))&&(0,b.jsxs)(`p`,{children:[t(`transactions.scoped`),` `,(0,b.jsx)(a,{to:f.transactions,children:t(`transactions.all`)})]}),(0,b.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,b.jsxs)(`label`,{children:[t(`transactions.from`),(0,b.jsx)(`input`,{type:`date`,value:j??``,onChange:e=>R({from:e.target.value})})]}),(0,b.jsxs)(`label`,{children:[t(`transactions.to`),(0,b.jsx)(`input`,{type:`date`,value:M??``,onChange:e=>R({to:e.target.value})})]}),$(t(`columns.status`),`status`,T,e=>t(`status.${e}`)),$(t(`wall.type`),`type`,E,e=>t(`txType.${e}`)),$(t(`transactions.scheme`),`scheme`,ne,e=>e),$(t(`transactions.mode`),`mode`,D,e=>t(`entryMode.${e}`)),(0,b.jsxs)(`label`,{children:[t(`transactions.code`),(0,b.jsx)(`input`,{value:C(`code`)??``,onChange:e=>R({code:e.target.value.trim()}),size:4,inputMode:`numeric`})]}),(0,b.jsxs)(`label`,{children:[t(`transactions.min`),(0,b.jsx)(`input`,{value:C(`min`)??``,onChange:e=>R({min:e.target.value}),size:8,inputMode:`decimal`})]}),(0,b.jsxs)(`label`,{children:[t(`transactions.max`),(0,b.jsx)(`input`,{value:C(`max`)??``,onChange:e=>R({max:e.target.value}),size:8,inputMode:`decimal`})]})]}),Q&&(0,b.jsxs)(`section`,{className:`stats`,"aria-label":t(`transactions.stats`),"data-testid":`stats`,children:[(0,b.jsxs)(`dl`,{className:`wall-figures`,children:[(0,b.jsxs)(`div`,{children:[(0,b.jsx)(`dt`,{children:t(`transactions.count`)}),(0,b.jsx)(`dd`,{"data-testid":`stats-count`,children:Q.totals.count})]}),(0,b.jsxs)(`div`,{children:[(0,b.jsx)(`dt`,{children:t(`transactions.rate`)}),(0,b.jsx)(`dd`,{children:Q.totals.approvalRate===null||Q.totals.approvalRate===void 0?`—`:`${Math.round(Q.totals.approvalRate*100)} %`})]}),(0,b.jsxs)(`div`,{children:[(0,b.jsx)(`dt`,{children:t(`transactions.net`)}),(0,b.jsx)(`dd`,{children:Q.totals.currency?n(Q.totals.amountApproved,Q.totals.currency,v):`—`})]})]}),(0,b.jsx)(re,{buckets:Q.buckets,interval:Q.interval,language:v}),Q.totals.topResponseCodes&&Q.totals.topResponseCodes.length>0&&(0,b.jsxs)(b.Fragment,{children:[(0,b.jsx)(`h2`,{children:t(`transactions.topCodes`)}),(0,b.jsx)(`ol`,{className:`top-codes`,"data-testid":`top-codes`,children:Q.totals.topResponseCodes.map(e=>(0,b.jsxs)(`li`,{children:[(0,b.jsx)(`button`,{type:`button`,className:`link`,onClick:()=>R({code:e.code}),children:e.code}),` `,e.responseMessage?v===`en`?e.responseMessage.labelEn:e.responseMessage.labelFr:``,` — `,e.count]},e.code))})]})]}),H&&!V?(0,b.jsx)(d,{error:H,retry:()=>W({requestPolicy:`network-only`})}):(0,b.jsxs)(b.Fragment,{children:[(0,b.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:Y?t(`transactions.listCount`,{count:Y.totalCount}):U?`…`:``}),(0,b.jsx)(`p`,{children:(0,b.jsx)(`button`,{type:`button`,disabled:ae||!Y?.totalCount,onClick:async()=>{Z(!0),ie(await S(z).catch(()=>t(`errors.network`))),Z(!1)},children:t(`transactions.export`)})}),X&&(0,b.jsx)(`p`,{role:`alert`,className:`field-error`,children:X}),(0,b.jsx)(o,{columns:q,data:Y?.edges.map(e=>e.node)??[],caption:t(`transactions.title`),empty:t(U?`app.loading`:`company.none`),sorting:J,busy:U,onSortingChange:e=>{let t=e[0];R({sort:t?.id??null,dir:t&&!t.desc?`asc`:null})},testId:`transactions`}),(0,b.jsxs)(`nav`,{className:`pager`,"aria-label":t(`transactions.paging`),children:[(0,b.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasPreviousPage||F),onClick:()=>R({before:Y?.pageInfo.startCursor??null,after:null},!0),children:t(`companies.previous`)}),(0,b.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasNextPage||I),onClick:()=>R({after:Y?.pageInfo.endCursor??null,before:null},!0),children:t(`companies.next`)})]})]})]})}export{j as Transactions,A as statsPeriod};