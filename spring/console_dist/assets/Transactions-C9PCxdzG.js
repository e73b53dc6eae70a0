import{A as e,E as t,S as n,a as r,b as i,d as a,f as o,l as s,m as c,p as l,r as u,w as d,y as f}from"./console-BwJV4PL8.js";import{pt as p}from"./preload-helper-Cxp912mq.js";var m=p(),h=25,g=864e5,_=i(`
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
`),v=i(`
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
`),y=[`APPROVED`,`DECLINED`,`ERROR`,`REVERSED`],b=[`PURCHASE`,`REFUND`,`PRE_AUTHORIZATION`,`COMPLETION`,`REVERSAL`],x=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],S=[`CONTACTLESS`,`CHIP`,`MAGSTRIPE`,`MANUAL`,`TAP_TO_PAY`],C={occurredAt:`OCCURRED_AT`,amount:`AMOUNT`};function w(e){return e?new Date(`${e}T00:00:00`).toISOString():null}function T(e,t,n){let r=t?new Date(new Date(`${t}T00:00:00`).getTime()+g):new Date(n),i=e?new Date(`${e}T00:00:00`):new Date(r.getTime()-g);return{interval:r.getTime()-i.getTime()<=2*g?`HOUR`:`DAY`,occurredFrom:i.toISOString(),occurredTo:r.toISOString()}}function E({buckets:t,interval:n,language:i}){let{t:a}=e(),o=Math.max(1,...t.map(e=>e.count)),s=e=>new Intl.DateTimeFormat(i===`en`?`en-GB`:`fr-FR`,n===`HOUR`?{hour:`2-digit`,minute:`2-digit`}:{day:`2-digit`,month:`2-digit`}).format(new Date(e.start)),c=100/Math.max(1,t.length);return(0,m.jsxs)(`figure`,{className:`chart`,children:[(0,m.jsx)(`svg`,{viewBox:`0 0 100 40`,preserveAspectRatio:`none`,role:`img`,"aria-label":a(`transactions.chartLabel`),children:t.map((e,t)=>{let n=e.approvedCount/o*38,r=(e.declinedCount+e.errorCount)/o*38;return(0,m.jsxs)(`g`,{children:[(0,m.jsx)(`rect`,{x:t*c+c*.1,width:c*.8,y:40-n,height:n,className:`bar-approved`}),(0,m.jsx)(`rect`,{x:t*c+c*.1,width:c*.8,y:40-n-r,height:r,className:`bar-refused`})]},e.start)})}),(0,m.jsxs)(`figcaption`,{children:[(0,m.jsx)(`span`,{className:`key key-approved`}),` `,a(`transactions.approved`),` `,(0,m.jsx)(`span`,{className:`key key-refused`}),` `,a(`transactions.refused`)]}),(0,m.jsxs)(`details`,{children:[(0,m.jsx)(`summary`,{children:a(`transactions.asTable`)}),(0,m.jsxs)(`table`,{className:`table`,children:[(0,m.jsx)(`caption`,{className:`visually-hidden`,children:a(`transactions.chartLabel`)}),(0,m.jsx)(`thead`,{children:(0,m.jsxs)(`tr`,{children:[(0,m.jsx)(`th`,{scope:`col`,children:a(n===`HOUR`?`transactions.hour`:`transactions.day`)}),(0,m.jsx)(`th`,{scope:`col`,children:a(`transactions.count`)}),(0,m.jsx)(`th`,{scope:`col`,children:a(`transactions.approved`)}),(0,m.jsx)(`th`,{scope:`col`,children:a(`transactions.refused`)}),(0,m.jsx)(`th`,{scope:`col`,children:a(`transactions.rate`)}),(0,m.jsx)(`th`,{scope:`col`,children:a(`transactions.net`)})]})}),(0,m.jsx)(`tbody`,{children:t.map(e=>(0,m.jsxs)(`tr`,{children:[(0,m.jsx)(`td`,{children:s(e)}),(0,m.jsx)(`td`,{children:e.count}),(0,m.jsx)(`td`,{children:e.approvedCount}),(0,m.jsx)(`td`,{children:e.declinedCount+e.errorCount}),(0,m.jsx)(`td`,{children:e.approvalRate===null||e.approvalRate===void 0?`—`:`${Math.round(e.approvalRate*100)} %`}),(0,m.jsx)(`td`,{children:e.currency?r(e.amountApproved,e.currency,i):`—`})]},e.start))})]})]})]})}function D(){let{t:i,i18n:p}=e(),{can:D,reads:O}=f(),[k,A]=t(),j=p.language,M=e=>k.get(e),N=M(`from`),P=M(`to`),F=M(`sort`)??`occurredAt`,I=M(`dir`)!==`asc`,L=M(`after`),R=M(`before`),z=e=>{let t=M(e),n=t?s(t):null;return n===null?null:Math.round(n*100)},B=(e,t=!1)=>{let n=new URLSearchParams(k);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),A(n,{replace:!t})},V={company:M(`company`),shop:M(`shop`),terminal:M(`terminal`),status:M(`status`)?[M(`status`)]:null,type:M(`type`)?[M(`type`)]:null,scheme:M(`scheme`)?[M(`scheme`)]:null,entryMode:M(`mode`)?[M(`mode`)]:null,responseCode:M(`code`)?[M(`code`)]:null,occurredFrom:w(N),occurredTo:P?new Date(new Date(`${P}T00:00:00`).getTime()+g).toISOString():null,amountMin:z(`min`),amountMax:z(`max`)},H=I?`DESC`:`ASC`,[{data:U,error:W,fetching:G},K]=n({query:_,variables:{filter:V,orderBy:{field:C[F]??`OCCURRED_AT`,direction:H},...R?{last:h,before:R}:{first:h,after:L},withCard:O(`Transaction.responseCode`)}}),q=T(N,P,Math.ceil((Date.now()+1)/6e4)*6e4),[J]=n({query:v,variables:{filter:{...V,occurredFrom:q.occurredFrom,occurredTo:q.occurredTo},interval:q.interval,withCodes:O(`TransactionStatsBucket.topResponseCodes`)},pause:!D(`transactionStats`)}),Y=[{id:`occurredAt`,header:i(`columns.at`),cell:({row:e})=>u(e.original.occurredAt,j)},{id:`shop`,header:i(`fleet.shop`),enableSorting:!1,cell:({row:e})=>e.original.shop?(0,m.jsx)(d,{to:a.shop(e.original.shop.id),children:e.original.shop.name}):`—`},{id:`tid`,header:i(`columns.tid`),enableSorting:!1,cell:({row:e})=>e.original.terminal?(0,m.jsx)(d,{to:a.terminal(e.original.terminal.id),children:e.original.terminal.tid}):`—`},{id:`type`,header:i(`wall.type`),enableSorting:!1,cell:({row:e})=>i(`txType.${e.original.type}`)},{id:`amount`,header:i(`wall.amountColumn`),cell:({row:e})=>r(e.original.amount,e.original.currency,j)},{id:`card`,header:i(`wall.card`),enableSorting:!1,cell:({row:e})=>`${e.original.scheme}${e.original.maskedPan?` · ${e.original.maskedPan}`:``} · ${i(`entryMode.${e.original.entryMode}`)}`},{id:`status`,header:i(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,m.jsx)(o,{status:e.original.status})},{id:`response`,header:i(`wall.response`),enableSorting:!1,cell:({row:e})=>{let t=e.original.responseMessage;return[e.original.responseCode,e.original.status!==`APPROVED`&&t?j===`en`?t.labelEn:t.labelFr:null].filter(Boolean).join(` `)||`—`}}],X=[{id:F,desc:I}],Z=U?.transactions,Q=J.data?.transactionStats,$=(e,t,n,r)=>(0,m.jsxs)(`label`,{children:[e,(0,m.jsxs)(`select`,{value:M(t)??``,onChange:e=>B({[t]:e.target.value}),children:[(0,m.jsx)(`option`,{value:``,children:i(`companies.all`)}),n.map(e=>(0,m.jsx)(`option`,{value:e,children:r(e)},e))]})]});return(0,m.jsxs)(`section`,{children:[(0,m.jsx)(`h1`,{children:i(`transactions.title`)}),(M(`company`)||M(`shop`)||M(`terminal`))&&(0,m.jsxs)(`p`,{children:[i(`transactions.scoped`),` `,(0,m.jsx)(d,{to:a.transactions,children:i(`transactions.all`)})]}),(0,m.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,m.jsxs)(`label`,{children:[i(`transactions.from`),(0,m.jsx)(`input`,{type:`date`,value:N??``,onChange:e=>B({from:e.target.value})})]}),(0,m.jsxs)(`label`,{children:[i(`transactions.to`),(0,m.jsx)(`input`,{type:`date`,value:P??``,onChange:e=>B({to:e.target.value})})]}),$(i(`columns.status`),`status`,y,e=>i(`status.${e}`)),$(i(`wall.type`),`type`,b,e=>i(`txType.${e}`)),$(i(`transactions.scheme`),`scheme`,x,e=>e),$(i(`transactions.mode`),`mode`,S,e=>i(`entryMode.${e}`)),(0,m.jsxs)(`label`,{children:[i(`transactions.code`),(0,m.jsx)(`input`,{value:M(`code`)??``,onChange:e=>B({code:e.target.value.trim()}),size:4,inputMode:`numeric`})]}),(0,m.jsxs)(`label`,{children:[i(`transactions.min`),(0,m.jsx)(`input`,{value:M(`min`)??``,onChange:e=>B({min:e.target.value}),size:8,inputMode:`decimal`})]}),(0,m.jsxs)(`label`,{children:[i(`transactions.max`),(0,m.jsx)(`input`,{value:M(`max`)??``,onChange:e=>B({max:e.target.value}),size:8,inputMode:`decimal`})]})]}),Q&&(0,m.jsxs)(`section`,{className:`stats`,"aria-label":i(`transactions.stats`),"data-testid":`stats`,children:[(0,m.jsxs)(`dl`,{className:`wall-figures`,children:[(0,m.jsxs)(`div`,{children:[(0,m.jsx)(`dt`,{children:i(`transactions.count`)}),(0,m.jsx)(`dd`,{"data-testid":`stats-count`,children:Q.totals.count})]}),(0,m.jsxs)(`div`,{children:[(0,m.jsx)(`dt`,{children:i(`transactions.rate`)}),(0,m.jsx)(`dd`,{children:Q.totals.approvalRate===null||Q.totals.approvalRate===void 0?`—`:`${Math.round(Q.totals.approvalRate*100)} %`})]}),(0,m.jsxs)(`div`,{children:[(0,m.jsx)(`dt`,{children:i(`transactions.net`)}),(0,m.jsx)(`dd`,{children:Q.totals.currency?r(Q.totals.amountApproved,Q.totals.currency,j):`—`})]})]}),(0,m.jsx)(E,{buckets:Q.buckets,interval:Q.interval,language:j}),Q.totals.topResponseCodes&&Q.totals.topResponseCodes.length>0&&(0,m.jsxs)(m.Fragment,{children:[(0,m.jsx)(`h2`,{children:i(`transactions.topCodes`)}),(0,m.jsx)(`ol`,{className:`top-codes`,"data-testid":`top-codes`,children:Q.totals.topResponseCodes.map(e=>(0,m.jsxs)(`li`,{children:[(0,m.jsx)(`button`,{type:`button`,className:`link`,onClick:()=>B({code:e.code}),children:e.code}),` `,e.responseMessage?j===`en`?e.responseMessage.labelEn:e.responseMessage.labelFr:``,` — `,e.count]},e.code))})]})]}),W&&!U?(0,m.jsx)(c,{error:W,retry:()=>K({requestPolicy:`network-only`})}):(0,m.jsxs)(m.Fragment,{children:[(0,m.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:Z?i(`transactions.listCount`,{count:Z.totalCount}):G?`…`:``}),(0,m.jsx)(l,{columns:Y,data:Z?.edges.map(e=>e.node)??[],caption:i(`transactions.title`),empty:i(G?`app.loading`:`company.none`),sorting:X,busy:G,onSortingChange:e=>{let t=e[0];B({sort:t?.id??null,dir:t&&!t.desc?`asc`:null})},testId:`transactions`}),(0,m.jsxs)(`nav`,{className:`pager`,"aria-label":i(`transactions.paging`),children:[(0,m.jsx)(`button`,{type:`button`,disabled:!(Z?.pageInfo.hasPreviousPage||L),onClick:()=>B({before:Z?.pageInfo.startCursor??null,after:null},!0),children:i(`companies.previous`)}),(0,m.jsx)(`button`,{type:`button`,disabled:!(Z?.pageInfo.hasNextPage||R),onClick:()=>B({after:Z?.pageInfo.endCursor??null,before:null},!0),children:i(`companies.next`)})]})]})]})}export{D as Transactions,T as statsPeriod};