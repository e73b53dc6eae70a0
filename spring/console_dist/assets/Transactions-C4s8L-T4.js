import{A as e,E as t,S as n,a as r,b as i,d as a,f as o,l as s,m as c,p as ee,r as te,v as l,w as u,y as d}from"./console-CAyTdcv_.js";import{bt as f,gt as p,pt as m}from"./preload-helper-Cxp912mq.js";var h=f(p(),1),g=m(),_=25;async function v(e){let t=new URLSearchParams({filter:JSON.stringify(e)}),n=await fetch(`/exports/transactions.csv?${t}`,{headers:l(),credentials:`omit`});if(!n.ok)return(await n.json().catch(()=>null))?.errors?.[0]?.message??String(n.status);let r=URL.createObjectURL(await n.blob()),i=document.createElement(`a`);return i.href=r,i.download=`transactions.csv`,i.click(),setTimeout(()=>URL.revokeObjectURL(r),1e4),null}var y=864e5,b=i(`
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
`),x=i(`
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
`),S=[`APPROVED`,`DECLINED`,`ERROR`,`REVERSED`],ne=[`PURCHASE`,`REFUND`,`PRE_AUTHORIZATION`,`COMPLETION`,`REVERSAL`],re=[`CB`,`VISA`,`MASTERCARD`,`AMEX`,`MAESTRO`,`VPAY`],C=[`CONTACTLESS`,`CHIP`,`MAGSTRIPE`,`MANUAL`,`TAP_TO_PAY`],w={occurredAt:`OCCURRED_AT`,amount:`AMOUNT`};function T(e){return e?new Date(`${e}T00:00:00`).toISOString():null}function E(e,t,n){let r=t?new Date(new Date(`${t}T00:00:00`).getTime()+y):new Date(n),i=e?new Date(`${e}T00:00:00`):new Date(r.getTime()-y);return{interval:r.getTime()-i.getTime()<=2*y?`HOUR`:`DAY`,occurredFrom:i.toISOString(),occurredTo:r.toISOString()}}function D({buckets:t,interval:n,language:i}){let{t:a}=e(),o=Math.max(1,...t.map(e=>e.count)),s=e=>new Intl.DateTimeFormat(i===`en`?`en-GB`:`fr-FR`,n===`HOUR`?{hour:`2-digit`,minute:`2-digit`}:{day:`2-digit`,month:`2-digit`}).format(new Date(e.start)),c=100/Math.max(1,t.length);return(0,g.jsxs)(`figure`,{className:`chart`,children:[(0,g.jsx)(`svg`,{viewBox:`0 0 100 40`,preserveAspectRatio:`none`,role:`img`,"aria-label":a(`transactions.chartLabel`),children:t.map((e,t)=>{let n=e.approvedCount/o*38,r=(e.declinedCount+e.errorCount)/o*38;return(0,g.jsxs)(`g`,{children:[(0,g.jsx)(`rect`,{x:t*c+c*.1,width:c*.8,y:40-n,height:n,className:`bar-approved`}),(0,g.jsx)(`rect`,{x:t*c+c*.1,width:c*.8,y:40-n-r,height:r,className:`bar-refused`})]},e.start)})}),(0,g.jsxs)(`figcaption`,{children:[(0,g.jsx)(`span`,{className:`key key-approved`}),` `,a(`transactions.approved`),` `,(0,g.jsx)(`span`,{className:`key key-refused`}),` `,a(`transactions.refused`)]}),(0,g.jsxs)(`details`,{children:[(0,g.jsx)(`summary`,{children:a(`transactions.asTable`)}),(0,g.jsxs)(`table`,{className:`table`,children:[(0,g.jsx)(`caption`,{className:`visually-hidden`,children:a(`transactions.chartLabel`)}),(0,g.jsx)(`thead`,{children:(0,g.jsxs)(`tr`,{children:[(0,g.jsx)(`th`,{scope:`col`,children:a(n===`HOUR`?`transactions.hour`:`transactions.day`)}),(0,g.jsx)(`th`,{scope:`col`,children:a(`transactions.count`)}),(0,g.jsx)(`th`,{scope:`col`,children:a(`transactions.approved`)}),(0,g.jsx)(`th`,{scope:`col`,children:a(`transactions.refused`)}),(0,g.jsx)(`th`,{scope:`col`,children:a(`transactions.rate`)}),(0,g.jsx)(`th`,{scope:`col`,children:a(`transactions.net`)})]})}),(0,g.jsx)(`tbody`,{children:t.map(e=>(0,g.jsxs)(`tr`,{children:[(0,g.jsx)(`td`,{children:s(e)}),(0,g.jsx)(`td`,{children:e.count}),(0,g.jsx)(`td`,{children:e.approvedCount}),(0,g.jsx)(`td`,{children:e.declinedCount+e.errorCount}),(0,g.jsx)(`td`,{children:e.approvalRate===null||e.approvalRate===void 0?`—`:`${Math.round(e.approvalRate*100)} %`}),(0,g.jsx)(`td`,{children:e.currency?r(e.amountApproved,e.currency,i):`—`})]},e.start))})]})]})]})}function O(){let{t:i,i18n:l}=e(),{can:f,reads:p}=d(),[m,O]=t(),k=l.language,A=e=>m.get(e),j=A(`from`),M=A(`to`),N=A(`sort`)??`occurredAt`,P=A(`dir`)!==`asc`,F=A(`after`),I=A(`before`),L=e=>{let t=A(e),n=t?s(t):null;return n===null?null:Math.round(n*100)},R=(e,t=!1)=>{let n=new URLSearchParams(m);for(let[t,r]of Object.entries(e))r?n.set(t,r):n.delete(t);t||(n.delete(`after`),n.delete(`before`)),O(n,{replace:!t})},z={company:A(`company`),shop:A(`shop`),terminal:A(`terminal`),status:A(`status`)?[A(`status`)]:null,type:A(`type`)?[A(`type`)]:null,scheme:A(`scheme`)?[A(`scheme`)]:null,entryMode:A(`mode`)?[A(`mode`)]:null,responseCode:A(`code`)?[A(`code`)]:null,occurredFrom:T(j),occurredTo:M?new Date(new Date(`${M}T00:00:00`).getTime()+y).toISOString():null,amountMin:L(`min`),amountMax:L(`max`)},B=P?`DESC`:`ASC`,[{data:V,error:H,fetching:U},W]=n({query:b,variables:{filter:z,orderBy:{field:w[N]??`OCCURRED_AT`,direction:B},...I?{last:_,before:I}:{first:_,after:F},withCard:p(`Transaction.responseCode`)}}),G=E(j,M,Math.ceil((Date.now()+1)/6e4)*6e4),[K]=n({query:x,variables:{filter:{...z,occurredFrom:G.occurredFrom,occurredTo:G.occurredTo},interval:G.interval,withCodes:p(`TransactionStatsBucket.topResponseCodes`)},pause:!f(`transactionStats`)}),q=[{id:`occurredAt`,header:i(`columns.at`),cell:({row:e})=>te(e.original.occurredAt,k)},{id:`shop`,header:i(`fleet.shop`),enableSorting:!1,cell:({row:e})=>e.original.shop?(0,g.jsx)(u,{to:a.shop(e.original.shop.id),children:e.original.shop.name}):`—`},{id:`tid`,header:i(`columns.tid`),enableSorting:!1,cell:({row:e})=>e.original.terminal?(0,g.jsx)(u,{to:a.terminal(e.original.terminal.id),children:e.original.terminal.tid}):`—`},{id:`type`,header:i(`wall.type`),enableSorting:!1,cell:({row:e})=>i(`txType.${e.original.type}`)},{id:`amount`,header:i(`wall.amountColumn`),cell:({row:e})=>r(e.original.amount,e.original.currency,k)},{id:`card`,header:i(`wall.card`),enableSorting:!1,cell:({row:e})=>`${e.original.scheme}${e.original.maskedPan?` · ${e.original.maskedPan}`:``} · ${i(`entryMode.${e.original.entryMode}`)}`},{id:`status`,header:i(`columns.status`),enableSorting:!1,cell:({row:e})=>(0,g.jsx)(o,{status:e.original.status})},{id:`response`,header:i(`wall.response`),enableSorting:!1,cell:({row:e})=>{let t=e.original.responseMessage;return[e.original.responseCode,e.original.status!==`APPROVED`&&t?k===`en`?t.labelEn:t.labelFr:null].filter(Boolean).join(` `)||`—`}}],J=[{id:N,desc:P}],Y=V?.transactions,[X,ie]=(0,h.useState)(null),[ae,Z]=(0,h.useState)(!1),Q=K.data?.transactionStats,$=(e,t,n,r)=>(0,g.jsxs)(`label`,{children:[e,(0,g.jsxs)(`select`,{value:A(t)??``,onChange:e=>R({[t]:e.target.value}),children:[(0,g.jsx)(`option`,{value:``,children:i(`companies.all`)}),n.map(e=>(0,g.jsx)(`option`,{value:e,children:r(e)},e))]})]});return(0,g.jsxs)(`section`,{children:[(0,g.jsx)(`h1`,{children:i(`transactions.title`)}),(A(`company`)||A(`shop`)||A(`terminal`))&&(0,g.jsxs)(`p`,{children:[i(`transactions.scoped`),` `,(0,g.jsx)(u,{to:a.transactions,children:i(`transactions.all`)})]}),(0,g.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,g.jsxs)(`label`,{children:[i(`transactions.from`),(0,g.jsx)(`input`,{type:`date`,value:j??``,onChange:e=>R({from:e.target.value})})]}),(0,g.jsxs)(`label`,{children:[i(`transactions.to`),(0,g.jsx)(`input`,{type:`date`,value:M??``,onChange:e=>R({to:e.target.value})})]}),$(i(`columns.status`),`status`,S,e=>i(`status.${e}`)),$(i(`wall.type`),`type`,ne,e=>i(`txType.${e}`)),$(i(`transactions.scheme`),`scheme`,re,e=>e),$(i(`transactions.mode`),`mode`,C,e=>i(`entryMode.${e}`)),(0,g.jsxs)(`label`,{children:[i(`transactions.code`),(0,g.jsx)(`input`,{value:A(`code`)??``,onChange:e=>R({code:e.target.value.trim()}),size:4,inputMode:`numeric`})]}),(0,g.jsxs)(`label`,{children:[i(`transactions.min`),(0,g.jsx)(`input`,{value:A(`min`)??``,onChange:e=>R({min:e.target.value}),size:8,inputMode:`decimal`})]}),(0,g.jsxs)(`label`,{children:[i(`transactions.max`),(0,g.jsx)(`input`,{value:A(`max`)??``,onChange:e=>R({max:e.target.value}),size:8,inputMode:`decimal`})]})]}),Q&&(0,g.jsxs)(`section`,{className:`stats`,"aria-label":i(`transactions.stats`),"data-testid":`stats`,children:[(0,g.jsxs)(`dl`,{className:`wall-figures`,children:[(0,g.jsxs)(`div`,{children:[(0,g.jsx)(`dt`,{children:i(`transactions.count`)}),(0,g.jsx)(`dd`,{"data-testid":`stats-count`,children:Q.totals.count})]}),(0,g.jsxs)(`div`,{children:[(0,g.jsx)(`dt`,{children:i(`transactions.rate`)}),(0,g.jsx)(`dd`,{children:Q.totals.approvalRate===null||Q.totals.approvalRate===void 0?`—`:`${Math.round(Q.totals.approvalRate*100)} %`})]}),(0,g.jsxs)(`div`,{children:[(0,g.jsx)(`dt`,{children:i(`transactions.net`)}),(0,g.jsx)(`dd`,{children:Q.totals.currency?r(Q.totals.amountApproved,Q.totals.currency,k):`—`})]})]}),(0,g.jsx)(D,{buckets:Q.buckets,interval:Q.interval,language:k}),Q.totals.topResponseCodes&&Q.totals.topResponseCodes.length>0&&(0,g.jsxs)(g.Fragment,{children:[(0,g.jsx)(`h2`,{children:i(`transactions.topCodes`)}),(0,g.jsx)(`ol`,{className:`top-codes`,"data-testid":`top-codes`,children:Q.totals.topResponseCodes.map(e=>(0,g.jsxs)(`li`,{children:[(0,g.jsx)(`button`,{type:`button`,className:`link`,onClick:()=>R({code:e.code}),children:e.code}),` `,e.responseMessage?k===`en`?e.responseMessage.labelEn:e.responseMessage.labelFr:``,` — `,e.count]},e.code))})]})]}),H&&!V?(0,g.jsx)(c,{error:H,retry:()=>W({requestPolicy:`network-only`})}):(0,g.jsxs)(g.Fragment,{children:[(0,g.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:Y?i(`transactions.listCount`,{count:Y.totalCount}):U?`…`:``}),(0,g.jsx)(`p`,{children:(0,g.jsx)(`button`,{type:`button`,disabled:ae||!Y?.totalCount,onClick:async()=>{Z(!0),ie(await v(z).catch(()=>i(`errors.network`))),Z(!1)},children:i(`transactions.export`)})}),X&&(0,g.jsx)(`p`,{role:`alert`,className:`field-error`,children:X}),(0,g.jsx)(ee,{columns:q,data:Y?.edges.map(e=>e.node)??[],caption:i(`transactions.title`),empty:i(U?`app.loading`:`company.none`),sorting:J,busy:U,onSortingChange:e=>{let t=e[0];R({sort:t?.id??null,dir:t&&!t.desc?`asc`:null})},testId:`transactions`}),(0,g.jsxs)(`nav`,{className:`pager`,"aria-label":i(`transactions.paging`),children:[(0,g.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasPreviousPage||F),onClick:()=>R({before:Y?.pageInfo.startCursor??null,after:null},!0),children:i(`companies.previous`)}),(0,g.jsx)(`button`,{type:`button`,disabled:!(Y?.pageInfo.hasNextPage||I),onClick:()=>R({after:Y?.pageInfo.endCursor??null,before:null},!0),children:i(`companies.next`)})]})]})]})}export{O as Transactions,E as statsPeriod};