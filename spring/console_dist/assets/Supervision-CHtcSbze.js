import{bt as e,ct as t,d as n,gt as r,pt as i}from"./preload-helper-Cxp912mq.js";import{E as a,F as o,O as s,_ as c,b as l,f as u,h as d,i as f,r as p}from"./console-DiEqahXQ.js";import{t as m}from"./resumable-CnCgUukS.js";n();var h=e(r(),1),g=i(),_=200,v=6e4,y=u(`
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
`),b=u(`
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
`);function x(e,t){let n={count:0,approved:0,decided:0,amount:0,currency:null};for(let{at:r,tx:i}of e)if(!(t-r>v)&&(n.count+=1,(i.status===`APPROVED`||i.status===`DECLINED`)&&(n.decided+=1),i.status===`APPROVED`)){n.approved+=1;let e=i.type===`REFUND`?-1:+(i.type===`PURCHASE`||i.type===`COMPLETION`);n.amount+=e*Number(i.amount),n.currency=n.currency===null||n.currency===i.currency?i.currency:`*`}return n}var S=(0,h.memo)(function({tx:e,language:t}){let{t:n}=o(),r=e.status===`DECLINED`||e.status===`ERROR`,i=e.responseMessage?t===`en`?e.responseMessage.labelEn:e.responseMessage.labelFr:null;return(0,g.jsxs)(`tr`,{className:r?`refused`:void 0,"data-testid":`wall-row`,"data-id":e.id,children:[(0,g.jsx)(`td`,{children:s(e.occurredAt,t)}),(0,g.jsx)(`td`,{children:e.shop?(0,g.jsx)(c,{to:p.shop(e.shop.id),children:e.shop.name}):`—`}),(0,g.jsx)(`td`,{children:e.terminal?(0,g.jsx)(c,{to:p.terminal(e.terminal.id),children:e.terminal.tid}):`—`}),(0,g.jsx)(`td`,{children:n(`txType.${e.type}`,{defaultValue:e.type})}),(0,g.jsx)(`td`,{className:`num`,children:a(e.amount,e.currency,t)}),(0,g.jsxs)(`td`,{children:[e.scheme,` `,e.maskedPan?`· ${e.maskedPan.slice(-4)}`:``]}),(0,g.jsx)(`td`,{children:(0,g.jsx)(f,{status:e.status})}),(0,g.jsx)(`td`,{children:r?`${e.responseCode??``} ${i??``}`.trim()||`—`:e.responseCode??`—`})]})});function C(){let{t:e,i18n:n}=o(),[r]=l(),i=r.get(`company`),s=r.get(`shop`),u=s??i,[{data:f}]=d({query:b,variables:{id:u??``},pause:!u}),[_,C]=(0,h.useState)([]),[w,T]=(0,h.useState)(`connecting`),[E,D]=(0,h.useState)(!1),[O,k]=(0,h.useState)(0),[A,j]=(0,h.useState)(0),[M,N]=(0,h.useState)(()=>Date.now()),P=(0,h.useRef)(!1),F=(0,h.useRef)([]),I=(0,h.useRef)(new Set),L=(0,h.useRef)([]);(0,h.useEffect)(()=>{C([]),j(0),I.current=new Set,L.current=[],F.current=[];let e=s?{shop:s}:i?{company:i}:null;return m({query:t(y),variables:{filter:e,after:null},cursorOf:e=>e.cursor,onState:T,onEvent:e=>{let t=e.transaction;I.current.has(t.id)||(I.current.add(t.id),I.current.size>800&&(I.current=new Set([...I.current].slice(-400))),L.current.push({at:Date.now(),tx:t}),j(e=>e+1),P.current?(F.current=[t,...F.current].slice(0,200),k(e=>e+1)):C(e=>[t,...e].slice(0,200)))}},`transactionRecorded`)},[i,s]),(0,h.useEffect)(()=>{let e=window.setInterval(()=>{let e=Date.now();L.current=L.current.filter(t=>e-t.at<=v),N(e)},1e3);return()=>window.clearInterval(e)},[]);let R=(0,h.useMemo)(()=>x(L.current,M),[M,A]),z=R.decided?R.approved/R.decided:null,B=n.language,V=()=>{if(P.current){P.current=!1,D(!1);let e=F.current;F.current=[],k(0),C(t=>[...e,...t].slice(0,200))}else P.current=!0,D(!0)},H=f?.node,U=H?.__typename===`Company`?H.legalName:H?.__typename===`Shop`?H.name:null;return(0,g.jsxs)(`section`,{className:`wall`,children:[(0,g.jsxs)(`header`,{className:`wall-header`,children:[(0,g.jsx)(`h1`,{children:e(`wall.title`)}),(0,g.jsxs)(`p`,{children:[u?e(`wall.scoped`,{name:U??`…`}):e(`wall.tenant`),` `,u&&(0,g.jsx)(c,{to:p.supervision,children:e(`wall.whole`)})]}),(0,g.jsx)(`p`,{className:`feed-state feed-${w}`,role:`status`,"data-testid":`feed-state`,children:e(`wall.state.${w}`)}),(0,g.jsx)(`button`,{type:`button`,"aria-pressed":E,onClick:V,children:E?e(`wall.resume`,{count:O}):e(`wall.pause`)})]}),(0,g.jsxs)(`dl`,{className:`wall-figures`,"aria-label":e(`wall.minute`),children:[(0,g.jsxs)(`div`,{children:[(0,g.jsx)(`dt`,{children:e(`wall.perMinute`)}),(0,g.jsx)(`dd`,{"data-testid":`minute-count`,children:R.count})]}),(0,g.jsxs)(`div`,{children:[(0,g.jsx)(`dt`,{children:e(`wall.amount`)}),(0,g.jsx)(`dd`,{children:R.currency&&R.currency!==`*`?a(R.amount,R.currency,B):`—`})]}),(0,g.jsxs)(`div`,{children:[(0,g.jsx)(`dt`,{children:e(`wall.approvalRate`)}),(0,g.jsx)(`dd`,{children:z===null?`—`:new Intl.NumberFormat(B===`en`?`en-GB`:`fr-FR`,{style:`percent`}).format(z)})]}),(0,g.jsxs)(`div`,{children:[(0,g.jsx)(`dt`,{children:e(`wall.sinceOpened`)}),(0,g.jsx)(`dd`,{"data-testid":`wall-total`,children:A})]})]}),(0,g.jsxs)(`table`,{className:`table wall-table`,"data-testid":`wall`,children:[(0,g.jsx)(`caption`,{className:`visually-hidden`,children:e(`wall.title`)}),(0,g.jsx)(`thead`,{children:(0,g.jsxs)(`tr`,{children:[(0,g.jsx)(`th`,{scope:`col`,children:e(`wall.time`)}),(0,g.jsx)(`th`,{scope:`col`,children:e(`fleet.shop`)}),(0,g.jsx)(`th`,{scope:`col`,children:e(`columns.tid`)}),(0,g.jsx)(`th`,{scope:`col`,children:e(`wall.type`)}),(0,g.jsx)(`th`,{scope:`col`,children:e(`wall.amountColumn`)}),(0,g.jsx)(`th`,{scope:`col`,children:e(`wall.card`)}),(0,g.jsx)(`th`,{scope:`col`,children:e(`columns.status`)}),(0,g.jsx)(`th`,{scope:`col`,children:e(`wall.response`)})]})}),(0,g.jsxs)(`tbody`,{children:[_.length===0&&(0,g.jsx)(`tr`,{children:(0,g.jsx)(`td`,{colSpan:8,children:e(`wall.waiting`)})}),_.map(e=>(0,g.jsx)(S,{tx:e,language:B},e.id))]})]}),(0,g.jsx)(`p`,{className:`notice`,children:e(`wall.window`,{count:200})})]})}export{C as Supervision,_ as WINDOW,x as lastMinute};