import{C as e,D as t,M as n,_ as r,a as i,b as a,d as o,f as s,h as c,i as l,o as ee,r as u,x as d}from"./console-Dpo1cU1U.js";import{bt as f,gt as p,pt as m}from"./preload-helper-Cxp912mq.js";import{t as h}from"./download-CIbyoiVp.js";var g=f(p(),1),_=m(),v=25;function te(e){return h(`/exports/transactions.csv?${new URLSearchParams({filter:JSON.stringify(e)})}`,`transactions.csv`)}var y=864e5,ne=s(`
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
`),b=s(`
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
`),x=[`APPROVED`,`DECLINED`,`ERROR`,`REVERSED`],S=[`PURCHASE`,`REFUND`,`PRE_AUTHORIZATION`,`COMPLETION`,`REVERSAL`],re=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],C=[`CONTACTLESS`,`CHIP`,`MAGSTRIPE`,`MANUAL`,`TAP_TO_PAY`],w={occurredAt:`OCCURRED_AT`,amount:`AMOUNT`};function T(e){return e?new Date(`${e}T00:00:00`).toISOString():null}function E(e,t,n){let r=t?new Date(new Date(`${t}T00:00:00`).getTime()+y):new Date(n),i=e?new Date(`${e}T00:00:00`):new Date(r.getTime()-y);return{interval:r.getTime()-i.getTime()<=2*y?`HOUR`:`DAY`,occurredFrom:i.toISOString(),occurredTo:r.toISOString()}}function D({buckets:t,interval:r,language:i}){let{t:a}=n(),o=Math.max(1,...t.map(e=>e.count)),s=e=>new Intl.DateTimeFormat(i===`en`?`en-GB`:`fr-FR`,r===`HOUR`?{hour:`2-digit`,minute:`2-digit`}:{day:`2-digit`,month:`2-digit`}).format(new Date(e.start)),c=100/Math.max(1,t.length);return(0,_.jsxs)(`figure`,{className:`chart`,children:[(0,_.jsx)(`svg`,{viewBox:`0 0 100 40`,preserveAspectRatio:`none`,role:`img`,"aria-label":a(`transactions.chartLabel`),children:t.map((e,t)=>{let n=e.approvedCount/o*38,r=(e.declinedCount+e.errorCount)/o*38;return(0,_.jsxs)(`g`,{children:[(0,_.jsx)(`rect`,{x:t*c+c*.1,width:c*.8,y:40-n,height:n,className:`bar-approved`}),(0,_.jsx)(`rect`,{x:t*c+c*.1,width:c*.8,y:40-n-r,height:r,className:`bar-refused`})]},e.start)})}),(0,_.jsxs)(`figcaption`,{children:[(0,_.jsx)(`span`,{className:`key key-approved`}),` `,a(`transactions.approved`),` `,(0,_.jsx)(`span`,{className:`key key-refused`}),` `,a(`transactions.refused`)]}),(0,_.jsxs)(`details`,{children:[(0,_.jsx)(`summary`,{children:a(`transactions.asTable`)}),(0,_.jsxs)(`table`,{className:`table`,children:[(0,_.jsx)(`caption`,{className:`visually-hidden`,children:a(`transactions.chartLabel`)}),(0,_.jsx)(`thead`,{children:(0,_.jsxs)(`tr`,{children:[(0,_.jsx)(`th`,{scope:`col`,children:a(r===`HOUR`?`transactions.hour`:`transactions.day`)}),(0,_.jsx)(`th`,{scope:`col`,children:a(`transactions.count`)}),(0,_.jsx)(`th`,{scope:`col`,children:a(`transactions.approved`)}),(0,_.jsx)(`th`,{scope:`col`,children:a(`transactions.refused`)}),(0,_.jsx)(`th`,{scope:`col`,children:a(`transactions.rate`)}),(0,_.jsx)(`th`,{scope:`col`,children:a(`transactions.net`)})]})}),(0,_.jsx)(`tbody`,{children:t.map(t=>(0,_.jsxs)(`tr`,{children:[(0,_.jsx)(`td`,{children:s(t)}),(0,_.jsx)(`td`,{children:t.count}),(0,_.jsx)(`td`,{children:t.approvedCount}),(0,_.jsx)(`td`,{children:t.declinedCount+t.errorCount}),(0,_.jsx)(`td`,{children:t.approvalRate===null||t.approvalRate===void 0?`—`:`${Math.round(t.approvalRate*100)} %`}),(0,_.jsx)(`td`,{children:t.currency?e(t.amountApproved,t.currency,i):`—`})]},t.start))})]})]})]})}function O(){let{t:s,i18n:f}=n(),{can:p,reads:m}=o(),[h,O]=a(),k=f.language,A=e=>h.get(e),j=A(`from`),M=A(`to`),N=A(`sort`)??`occurredAt`,P=A(`dir`)!==`asc`,F=A(`after`),I=A(`before`),L=e=>{let n=A(e),r=n?t(n):null;return r===null?null:Math.round(r*100)},R=(e,t=!1)=>{let n=new URLSearchParams(h);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),O(n,{replace:!t})},z={company:A(`company`),shop:A(`shop`),terminal:A(`terminal`),status:A(`status`)?[A(`status`)]:null,type:A(`type`)?[A(`type`)]:null,scheme:A(`scheme`)?[A(`scheme`)]:null,entryMode:A(`mode`)?[A(`mode`)]:null,responseCode:A(`code`)?[A(`code`)]:null,occurredFrom:T(j),occurredTo:M?new Date(new Date(`${M}T00:00:00`).getTime()+y).toISOString():null,amountMin:L(`min`),amountMax:L(`max`)},B=P?`DESC`:`ASC`,[{data:V,error:H,fetching:U},W]=c({query:ne,variables:{filter:z,orderBy:{field:w[N]??`OCCURRED_AT`,direction:B},...I?{last:v,before:I}:{first:v,after:F},withCard:m(`Transaction.responseCode`)}}),G=E(j,M,Math.ceil((Date.now()+1)/6e4)*6e4),[K]=c({query:b,variables:{filter:{...z,occurredFrom:G.occurredFrom,occurredTo:G.occurredTo},interval:G.interval,withCodes:m(`TransactionStatsBucket.topResponseCodes`)},pause:!p(`transactionStats`)}),q=[{id:`occurredAt`,header:s(`columns.at`),cell:({row:e})=>d(e.original.occurredAt,k)},{id:`shop`,header:s(`fleet.shop`),enableSorting:!1,cell:({row:e})=>e.original.shop?(0,_.jsx)(r,{to:u.shop(e.original.shop.id),children:e.original.shop.name}):`—`},{id:`tid`,header:s(`columns.tid`),enableSorting:!1,cell:({row:e})=>e.original.terminal?(0,_.jsx)(r,{to:u.terminal(e.original.terminal.id),children:e.original.terminal.tid}):`—`},{id:`type`,header:s(`wall.type`),enableSorting:!1,cell:({row:e})=>s(`txType.${e.original.type}`)},{id:`amount`,header:s(`wall.amountColumn`),cell:({row:t})=>e(t.original.amount,t.original.currency,k)},{id:`card`,header:s(`wall.card`),enableSorting:!1,cell:({row:e})=>`${e.original.scheme}${e.original.maskedPan?` · ${e.original.maskedPan}`:``} · ${s(`entryMode.${e.original.entryMode}`)}`},{id:`status`,header:s(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,_.jsx)(l,{status:e.original.status})},{id:`response`,header:s(`wall.response`),enableSorting:!1,cell:({row:e})=>{let t=e.original.responseMessage;return[e.original.responseCode,e.original.status!==`APPROVED`&&t?k===`en`?t.labelEn:t.labelFr:null].filter(Boolean).join(` `)||`—`}}],J=[{id:N,desc:P}],Y=V?.transactions,[X,ie]=(0,g.useState)(null),[ae,Z]=(0,g.useState)(!1),Q=K.data?.transactionStats,$=(e,t,n,r)=>(0,_.jsxs)(`label`,{children:[e,(0,_.jsxs)(`select`,{value:A(t)??``,onChange:e=>R({[t]:e.target.value}),children:[(0,_.jsx)(`option`,{value:``,children:s(`companies.all`)}),n.map(e=>(0,_.jsx)(`option`,{value:e,children:r(e)},e))]})]});return(0,_.jsxs)(`section`,{children:[(0,_.jsx)(`h1`,{children:s(`transactions.title`)}),(A(`company`)||A(`shop`)||A(`terminal`))&&(0,_.jsxs)(`p`,{children:[s(`transactions.scoped`),` `,(0,_.jsx)(r,{to:u.transactions,children:s(`transactions.all`)})]}),(0,_.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,_.jsxs)(`label`,{children:[s(`transactions.from`),(0,_.jsx)(`input`,{type:`date`,value:j??``,onChange:e=>R({from:e.target.value})})]}),(0,_.jsxs)(`label`,{children:[s(`transactions.to`),(0,_.jsx)(`input`,{type:`date`,value:M??``,onChange:e=>R({to:e.target.value})})]}),$(s(`columns.status`),`status`,x,e=>s(`status.${e}`)),$(s(`wall.type`),`type`,S,e=>s(`txType.${e}`)),$(s(`transactions.scheme`),`scheme`,re,e=>e),$(s(`transactions.mode`),`mode`,C,e=>s(`entryMode.${e}`)),(0,_.jsxs)(`label`,{children:[s(`transactions.code`),(0,_.jsx)(`input`,{value:A(`code`)??``,onChange:e=>R({code:e.target.value.trim()}),size:4,inputMode:`numeric`})]}),(0,_.jsxs)(`label`,{children:[s(`transactions.min`),(0,_.jsx)(`input`,{value:A(`min`)??``,onChange:e=>R({min:e.target.value}),size:8,inputMode:`decimal`})]}),(0,_.jsxs)(`label`,{children:[s(`transactions.max`),(0,_.jsx)(`input`,{value:A(`max`)??``,onChange:e=>R({max:e.target.value}),size:8,inputMode:`decimal`})]})]}),Q&&(0,_.jsxs)(`section`,{className:`stats`,"aria-label":s(`transactions.stats`),"data-testid":`stats`,children:[(0,_.jsxs)(`dl`,{className:`wall-figures`,children:[(0,_.jsxs)(`div`,{children:[(0,_.jsx)(`dt`,{children:s(`transactions.count`)}),(0,_.jsx)(`dd`,{"data-testid":`stats-count`,children:Q.totals.count})]}),(0,_.jsxs)(`div`,{children:[(0,_.jsx)(`dt`,{children:s(`transactions.rate`)}),(0,_.jsx)(`dd`,{children:Q.totals.approvalRate===null||Q.totals.approvalRate===void 0?`—`:`${Math.round(Q.totals.approvalRate*100)} %`})]}),(0,_.jsxs)(`div`,{children:[(0,_.jsx)(`dt`,{children:s(`transactions.net`)}),(0,_.jsx)(`dd`,{children:Q.totals.currency?e(Q.totals.amountApproved,Q.totals.currency,k):`—`})]})]}),(0,_.jsx)(D,{buckets:Q.buckets,interval:Q.interval,language:k}),Q.totals.topResponseCodes&&Q.totals.topResponseCodes.length>0&&(0,_.jsxs)(_.Fragment,{children:[(0,_.jsx)(`h2`,{children:s(`transactions.topCodes`)}),(0,_.jsx)(`ol`,{className:`top-codes`,"data-testid":`top-codes`,children:Q.totals.topResponseCodes.map(e=>(0,_.jsxs)(`li`,{children:[(0,_.jsx)(`button`,{type:`button`,className:`link`,onClick:()=>R({code:e.code}),children:e.code}),` `,e.responseMessage?k===`en`?e.responseMessage.labelEn:e.responseMessage.labelFr:``,` — `,e.count]},e.code))})]})]}),H&&!V?(0,_.jsx)(ee,{error:H,retry:()=>W({requestPolicy:`network-only`})}):(0,_.jsxs)(_.Fragment,{children:[(0,_.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:Y?s(`transactions.listCount`,{count:Y.totalCount}):U?`…`:``}),(0,_.jsx)(`p`,{children:(0,_.jsx)(`button`,{type:`button`,disabled:ae||!Y?.totalCount,onClick:async()=>{Z(!0),ie(await te(z).catch(()=>s(`errors.network`))),Z(!1)},children:s(`transactions.export`)})}),X&&(0,_.jsx)(`p`,{role:`alert`,className:`field-error`,children:X}),(0,_.jsx)(i,{columns:q,data:Y?.edges.map(e=>e.node)??[],caption:s(`transactions.title`),empty:s(U?`app.loading`:`company.none`),sorting:J,busy:U,onSortingChange:e=>{let t=e[0];R({sort:t?.id??null,dir:t&&!t.desc?`asc`:null})},testId:`transactions`}),(0,_.jsxs)(`nav`,{className:`pager`,"aria-label":s(`transactions.paging`),children:[(0,_.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasPreviousPage||F),onClick:()=>R({before:Y?.pageInfo.startCursor??null,after:null},!0),children:s(`companies.previous`)}),(0,_.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasNextPage||I),onClick:()=>R({after:Y?.pageInfo.endCursor??null,before:null},!0),children:s(`companies.next`)})]})]})]})}export{O as Transactions,E as statsPeriod};