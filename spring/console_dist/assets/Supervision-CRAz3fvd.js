import{bt as e,ct as t,d as n,gt as r,l as i,pt as a}from"./preload-helper-Cxp912mq.js";import{E as o,F as s,O as c,_ as l,b as u,f as d,h as f,i as p,r as m,u as h}from"./console-uZ8KLF_X.js";var g=e(r(),1);n();var _=[500,1e3,2e3,5e3,1e4];function v(e,t){let n=`${location.protocol===`https:`?`wss:`:`ws:`}//${location.host}/graphql`,r=e.quietMs??1e3,a=e.variables.after??null,o=!1,s=0,c=null,l=null,u=null,d=()=>{l!==null&&window.clearTimeout(l),l=window.setTimeout(()=>{l=null,o||e.onState(`live`)},r)},f=r=>{e.onState(r?`catching-up`:`connecting`),c=i({url:n,lazy:!0,retryAttempts:0,connectionParams:()=>h(),on:{connected:()=>{!o&&!r&&e.onState(`live`)}}}),c.subscribe({query:e.query,variables:{...e.variables,after:a}},{next(n){s=0;let i=n.data?.[t];i&&(a=e.cursorOf(i),e.onEvent(i),r&&d())},error(){p()},complete(){o||p()}}),r&&d()},p=()=>{if(o||u!==null)return;c?.dispose(),c=null,e.onState(`reconnecting`);let t=_[Math.min(s,_.length-1)];s+=1,u=window.setTimeout(()=>{u=null,o||f(a!==null)},t)};return f(!1),()=>{o=!0,l!==null&&window.clearTimeout(l),u!==null&&window.clearTimeout(u),c?.dispose()}}var y=a(),b=200,x=6e4,S=d(`
  subscription Wall($filter: TransactionFilter, $after: String) {
    transactionRecorded(filter: $filter, after: $after) {
      cursor
      transaction {
        id
        type
        amount
        currency
        scheme
        entryMode
        status
        occurredAt
        maskedPan
        responseCode
        responseMessage {
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
`),C=d(`
  query WallScope($id: ID!) {
    node(id: $id) {
      __typename
      ... on Company {
        id
        legalName
      }
      ... on Shop {
        id
        name
      }
    }
  }
`);function w(e,t){let n={count:0,approved:0,decided:0,amount:0,currency:null};for(let{at:r,tx:i}of e)if(!(t-r>x)&&(n.count+=1,(i.status===`APPROVED`||i.status===`DECLINED`)&&(n.decided+=1),i.status===`APPROVED`)){n.approved+=1;let e=i.type===`REFUND`?-1:+(i.type===`PURCHASE`||i.type===`COMPLETION`);n.amount+=e*Number(i.amount),n.currency=n.currency===null||n.currency===i.currency?i.currency:`*`}return n}function T(){let{t:e,i18n:n}=s(),[r]=u(),i=r.get(`company`),a=r.get(`shop`),d=a??i,[{data:h}]=f({query:C,variables:{id:d??``},pause:!d}),[_,b]=(0,g.useState)([]),[T,E]=(0,g.useState)(`connecting`),[D,O]=(0,g.useState)(!1),[k,A]=(0,g.useState)(0),[j,M]=(0,g.useState)(0),[N,P]=(0,g.useState)(()=>Date.now()),F=(0,g.useRef)(!1),I=(0,g.useRef)([]),L=(0,g.useRef)(new Set),R=(0,g.useRef)([]);(0,g.useEffect)(()=>{b([]),M(0),L.current=new Set,R.current=[],I.current=[];let e=a?{shop:a}:i?{company:i}:null;return v({query:t(S),variables:{filter:e,after:null},cursorOf:e=>e.cursor,onState:E,onEvent:e=>{let t=e.transaction;L.current.has(t.id)||(L.current.add(t.id),L.current.size>800&&(L.current=new Set([...L.current].slice(-400))),R.current.push({at:Date.now(),tx:t}),M(e=>e+1),F.current?(I.current=[t,...I.current].slice(0,200),A(e=>e+1)):b(e=>[t,...e].slice(0,200)))}},`transactionRecorded`)},[i,a]),(0,g.useEffect)(()=>{let e=window.setInterval(()=>{let e=Date.now();R.current=R.current.filter(t=>e-t.at<=x),P(e)},1e3);return()=>window.clearInterval(e)},[]);let z=(0,g.useMemo)(()=>w(R.current,N),[N,j]),B=z.decided?z.approved/z.decided:null,V=n.language,H=()=>{if(F.current){F.current=!1,O(!1);let e=I.current;I.current=[],A(0),b(t=>[...e,...t].slice(0,200))}else F.current=!0,O(!0)},U=h?.node,W=U?.__typename===`Company`?U.legalName:U?.__typename===`Shop`?U.name:null;return(0,y.jsxs)(`section`,{className:`wall`,children:[(0,y.jsxs)(`header`,{className:`wall-header`,children:[(0,y.jsx)(`h1`,{children:e(`wall.title`)}),(0,y.jsxs)(`p`,{children:[d?e(`wall.scoped`,{name:W??`…`}):e(`wall.tenant`),` `,d&&(0,y.jsx)(l,{to:m.supervision,children:e(`wall.whole`)})]}),(0,y.jsx)(`p`,{className:`feed-state feed-${T}`,role:`status`,"data-testid":`feed-state`,children:e(`wall.state.${T}`)}),(0,y.jsx)(`button`,{type:`button`,"aria-pressed":D,onClick:H,children:D?e(`wall.resume`,{count:k}):e(`wall.pause`)})]}),(0,y.jsxs)(`dl`,{className:`wall-figures`,"aria-label":e(`wall.minute`),children:[(0,y.jsxs)(`div`,{children:[(0,y.jsx)(`dt`,{children:e(`wall.perMinute`)}),(0,y.jsx)(`dd`,{"data-testid":`minute-count`,children:z.count})]}),(0,y.jsxs)(`div`,{children:[(0,y.jsx)(`dt`,{children:e(`wall.amount`)}),(0,y.jsx)(`dd`,{children:z.currency&&z.currency!==`*`?o(z.amount,z.currency,V):`—`})]}),(0,y.jsxs)(`div`,{children:[(0,y.jsx)(`dt`,{children:e(`wall.approvalRate`)}),(0,y.jsx)(`dd`,{children:B===null?`—`:new Intl.NumberFormat(V===`en`?`en-GB`:`fr-FR`,{style:`percent`}).format(B)})]}),(0,y.jsxs)(`div`,{children:[(0,y.jsx)(`dt`,{children:e(`wall.sinceOpened`)}),(0,y.jsx)(`dd`,{"data-testid":`wall-total`,children:j})]})]}),(0,y.jsxs)(`table`,{className:`table wall-table`,"data-testid":`wall`,children:[(0,y.jsx)(`caption`,{className:`visually-hidden`,children:e(`wall.title`)}),(0,y.jsx)(`thead`,{children:(0,y.jsxs)(`tr`,{children:[(0,y.jsx)(`th`,{scope:`col`,children:e(`wall.time`)}),(0,y.jsx)(`th`,{scope:`col`,children:e(`fleet.shop`)}),(0,y.jsx)(`th`,{scope:`col`,children:e(`columns.tid`)}),(0,y.jsx)(`th`,{scope:`col`,children:e(`wall.type`)}),(0,y.jsx)(`th`,{scope:`col`,children:e(`wall.amountColumn`)}),(0,y.jsx)(`th`,{scope:`col`,children:e(`wall.card`)}),(0,y.jsx)(`th`,{scope:`col`,children:e(`columns.status`)}),(0,y.jsx)(`th`,{scope:`col`,children:e(`wall.response`)})]})}),(0,y.jsxs)(`tbody`,{children:[_.length===0&&(0,y.jsx)(`tr`,{children:(0,y.jsx)(`td`,{colSpan:8,children:e(`wall.waiting`)})}),_.map(t=>{let n=t.status===`DECLINED`||t.status===`ERROR`,r=t.responseMessage?V===`en`?t.responseMessage.labelEn:t.responseMessage.labelFr:null;return(0,y.jsxs)(`tr`,{className:n?`refused`:void 0,"data-testid":`wall-row`,children:[(0,y.jsx)(`td`,{children:c(t.occurredAt,V)}),(0,y.jsx)(`td`,{children:t.shop?(0,y.jsx)(l,{to:m.shop(t.shop.id),children:t.shop.name}):`—`}),(0,y.jsx)(`td`,{children:t.terminal?(0,y.jsx)(l,{to:m.terminal(t.terminal.id),children:t.terminal.tid}):`—`}),(0,y.jsx)(`td`,{children:e(`txType.${t.type}`,{defaultValue:t.type})}),(0,y.jsx)(`td`,{className:`num`,children:o(t.amount,t.currency,V)}),(0,y.jsxs)(`td`,{children:[t.scheme,` `,t.maskedPan?`· ${t.maskedPan.slice(-4)}`:``]}),(0,y.jsx)(`td`,{children:(0,y.jsx)(p,{status:t.status})}),(0,y.jsx)(`td`,{children:n?`${t.responseCode??``} ${r??``}`.trim()||`—`:t.responseCode??`—`})]},t.id)})]})]}),(0,y.jsx)(`p`,{className:`notice`,children:e(`wall.window`,{count:200})})]})}export{T as Supervision,b as WINDOW,w as lastMinute};