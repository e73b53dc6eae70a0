import{F as e,_ as t,a as n,d as r,f as i,h as a,i as o,j as s,m as c,o as l,r as u,s as d,w as f,y as p}from"./console-DiEqahXQ.js";import{n as m,t as h}from"./Documents-B7aMqc1m.js";import{n as g,t as _}from"./Facts-Ixw6RFUu.js";import{bt as v,gt as y,pt as b}from"./preload-helper-Cxp912mq.js";import{t as x}from"./download-HJXJEkop.js";import{t as S}from"./liveCheck-BKEmA0yi.js";var C=v(y(),1),w=b(),T=i(`
  mutation CreateContract($input: CreateContractInput!) {
    createContract(input: $input) {
      contract {
        id
        number
        status
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),E=i(`
  mutation SignContract($input: SignContractInput!) {
    signContract(input: $input) {
      contract {
        id
        number
        status
        signedAt
        signatoryName
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),D=i(`
  query ContractDocument($id: ID!) {
    node(id: $id) {
      __typename
      ... on Contract {
        id
        document {
          id
          filename
          sha256
          sizeBytes
          url
        }
      }
    }
  }
`),O=[`PAY_ON_SITE`,`PAYWISH_SOFTPOS`];function k(e,t=`CB`,n=`DOMESTIC`){let r=s(e.rate),i=s(e.fixed),a=s(e.rental||`0`),o=s(e.softpos||`0`),c=Object.entries({rate:r,fixed:i,rental:a,softpos:o}).filter(([,e])=>e===null).map(([e])=>e);return c.length?{invalid:c}:{invalid:[],fees:{currency:`EUR`,lines:[{scheme:t,region:n,rateBps:r,fixedFee:i}],terminalRentalMonthly:a,softposFeeMonthly:o}}}function A({companyId:t,shops:n,onDone:r}){let{t:i}=e(),a=(0,C.useId)(),[o,s]=(0,C.useState)(!1),[l,u]=(0,C.useState)([`PAY_ON_SITE`]),[d,f]=(0,C.useState)(n.map(e=>e.id)),[p,m]=(0,C.useState)({rate:``,fixed:``,rental:``,softpos:``}),[h,g]=(0,C.useState)({}),[_,v]=c(T),[y,b]=(0,C.useState)(null),x=async e=>{e.preventDefault();let n=k(p);if(!n.fees){g(Object.fromEntries(n.invalid.map(e=>[e,i(`fees.invalidNumber`)])));return}let a=await v({input:{companyId:t,serviceKinds:l,shopIds:d,fees:n.fees}});if(a.error){g({"":i(`errors.generic`,{message:a.error.graphQLErrors[0]?.message??a.error.message})});return}let o=a.data?.createContract,c=S(o?.userErrors??[]),u={};for(let[e,t]of Object.entries(c)){let n=e.endsWith(`rateBps`)?`rate`:e.endsWith(`fixedFee`)?`fixed`:e.endsWith(`terminalRentalMonthly`)?`rental`:e.endsWith(`softposFeeMonthly`)?`softpos`:e.startsWith(`serviceKinds`)?`serviceKinds`:e.startsWith(`shopIds`)?`shopIds`:``;u[n]=u[n]?`${u[n]} ${t}`:t}g(u),o?.contract&&Object.keys(u).length===0&&(b(i(`contract.created`,{number:o.contract.number})),s(!1),r())},E=(e,t)=>(0,w.jsxs)(`div`,{className:`field`,children:[(0,w.jsx)(`label`,{htmlFor:`${a}-${e}`,children:t}),(0,w.jsx)(`input`,{id:`${a}-${e}`,inputMode:`decimal`,value:p[e],"aria-invalid":h[e]?!0:void 0,"aria-describedby":h[e]?`${a}-${e}-error`:void 0,onChange:t=>m({...p,[e]:t.target.value})}),h[e]&&(0,w.jsx)(`p`,{className:`field-error`,id:`${a}-${e}-error`,children:h[e]})]});return(0,w.jsxs)(`div`,{className:`new-contract`,children:[y&&(0,w.jsx)(`p`,{role:`status`,children:y}),(0,w.jsx)(`button`,{type:`button`,"aria-expanded":o,"aria-controls":`${a}-form`,onClick:()=>s(!o),children:i(`contract.new`)}),o&&(0,w.jsxs)(`form`,{id:`${a}-form`,className:`contract-form`,onSubmit:e=>void x(e),"aria-label":i(`contract.new`),children:[(0,w.jsxs)(`fieldset`,{"aria-describedby":h.serviceKinds?`${a}-kinds-error`:void 0,children:[(0,w.jsx)(`legend`,{children:i(`contract.services`)}),O.map(e=>(0,w.jsxs)(`label`,{className:`check`,children:[(0,w.jsx)(`input`,{type:`checkbox`,checked:l.includes(e),onChange:t=>u(t.target.checked?[...l,e]:l.filter(t=>t!==e))}),i(`serviceKind.${e}`)]},e)),h.serviceKinds&&(0,w.jsx)(`p`,{className:`field-error`,id:`${a}-kinds-error`,children:h.serviceKinds})]}),(0,w.jsxs)(`fieldset`,{"aria-describedby":h.shopIds?`${a}-shops-error`:void 0,children:[(0,w.jsx)(`legend`,{children:i(`contract.shops`)}),n.length===0&&(0,w.jsx)(`p`,{className:`count`,children:i(`company.none`)}),n.map(e=>(0,w.jsxs)(`label`,{className:`check`,children:[(0,w.jsx)(`input`,{type:`checkbox`,checked:d.includes(e.id),onChange:t=>f(t.target.checked?[...d,e.id]:d.filter(t=>t!==e.id))}),e.name]},e.id)),h.shopIds&&(0,w.jsx)(`p`,{className:`field-error`,id:`${a}-shops-error`,children:h.shopIds})]}),(0,w.jsxs)(`fieldset`,{children:[(0,w.jsx)(`legend`,{children:i(`contract.grid`)}),E(`rate`,i(`contract.rate`)),E(`fixed`,i(`contract.fixed`)),E(`rental`,i(`fees.rentalInput`)),E(`softpos`,i(`fees.softposInput`))]}),h[``]&&(0,w.jsx)(`p`,{className:`field-error`,role:`alert`,children:h[``]}),(0,w.jsx)(`button`,{type:`submit`,className:`primary`,disabled:_.fetching,children:i(`contract.create`)})]})]})}function j({contract:t,onDone:n}){let{t:r}=e(),i=(0,C.useId)(),[o,s]=(0,C.useState)(``),[l,u]=(0,C.useState)(null),[d,f]=c(E),[{data:p},m]=a({query:D,variables:{id:t.id},requestPolicy:`network-only`}),h=p?.node?.__typename===`Contract`?p.node.document:null,g=async e=>{if(e.preventDefault(),!h)return;let i=await f({input:{id:t.id,signatoryName:o,documentSha256:h.sha256}});if(i.error){u(r(`errors.generic`,{message:i.error.graphQLErrors[0]?.message??i.error.message}));return}let a=i.data?.signContract?.userErrors??[];u(a.length?a.map(e=>e.message).join(` `):null),a.some(e=>e.code===`CONFLICT`)&&m({requestPolicy:`network-only`}),a.length||n()};return(0,w.jsxs)(`form`,{className:`sign-contract`,onSubmit:e=>void g(e),"aria-label":r(`contract.signTitle`,{number:t.number}),children:[(0,w.jsxs)(`div`,{className:`field`,children:[(0,w.jsx)(`label`,{htmlFor:`${i}-name`,children:r(`contract.signatory`,{number:t.number})}),(0,w.jsx)(`input`,{id:`${i}-name`,value:o,"aria-invalid":l?!0:void 0,"aria-describedby":l?`${i}-error`:void 0,onChange:e=>s(e.target.value)}),l&&(0,w.jsx)(`p`,{className:`field-error`,id:`${i}-error`,role:`alert`,children:l})]}),h&&(0,w.jsx)(`button`,{type:`button`,onClick:()=>void x(h.url,h.filename).then(e=>e&&u(e)).catch(()=>u(r(`errors.network`))),children:r(`contract.read`,{size:Math.ceil(h.sizeBytes/1024)})}),(0,w.jsx)(`button`,{type:`submit`,className:`primary`,disabled:d.fetching||!h,children:r(`contract.sign`,{number:t.number})})]})}var M=i(`
  query CompanyDetail($id: ID!, $withIban: Boolean!, $withJournal: Boolean!) {
    node(id: $id) {
      __typename
      ... on Company {
        id
        legalName
        tradeName
        siren
        legalForm
        mcc
        status
        contactName
        contactEmail
        contactPhone
        iban @include(if: $withIban)
        address {
          line1
          line2
          postalCode
          city
          country
        }
        shops(first: 50) {
          totalCount
          edges {
            node {
              id
              name
              siret
              status
              address {
                city
              }
            }
          }
        }
        contracts(first: 50) {
          totalCount
          edges {
            node {
              id
              number
              status
              signedAt
            }
          }
        }
        requests(first: 20) {
          totalCount
          edges {
            node {
              id
              reference
              type
              status
              subject
            }
          }
        }
        auditEvents(first: 20) @include(if: $withJournal) {
          edges {
            node {
              id
              action
              actorLabel
              occurredAt
            }
          }
        }
      }
    }
  }
`),N=[`APPROVED`,`ACTIVE`];function P(){let{id:i=``}=p(),{t:s,i18n:c}=e(),{reads:v,can:y}=r(),[{data:b,error:x,fetching:S},C]=a({query:M,variables:{id:i,withIban:v(`Company.iban`),withJournal:y(`auditEvents`)}});if(x&&!b)return(0,w.jsx)(l,{error:x,retry:()=>C({requestPolicy:`network-only`})});if(S&&!b)return(0,w.jsx)(d,{});let T=b?.node;if(!T||T.__typename!==`Company`)return(0,w.jsx)(`p`,{role:`alert`,children:s(`company.notFound`)});let E=T,D=[{id:`name`,header:s(`columns.name`),cell:({row:e})=>(0,w.jsx)(t,{to:u.shop(e.original.id),children:e.original.name})},{id:`siret`,header:s(`columns.siret`),cell:({row:e})=>e.original.siret},{id:`city`,header:s(`columns.city`),cell:({row:e})=>e.original.address.city},{id:`status`,header:s(`columns.status`),cell:({row:e})=>(0,w.jsx)(o,{status:e.original.status})}],O=[{id:`number`,header:s(`columns.number`),cell:({row:e})=>e.original.number},{id:`status`,header:s(`columns.status`),cell:({row:e})=>(0,w.jsx)(o,{status:e.original.status})},{id:`signedAt`,header:s(`columns.signedAt`),cell:({row:e})=>f(e.original.signedAt,c.language)}],k=[{id:`reference`,header:s(`columns.id`),cell:({row:e})=>(0,w.jsx)(t,{to:u.request(e.original.id),children:e.original.reference})},{id:`status`,header:s(`columns.status`),cell:({row:e})=>(0,w.jsx)(o,{status:e.original.status})},{id:`type`,header:s(`columns.requestType`),cell:({row:e})=>s(`requestType.${e.original.type}`)},{id:`subject`,header:s(`columns.subject`),cell:({row:e})=>e.original.subject}],P=[{id:`at`,header:s(`columns.at`),cell:({row:e})=>f(e.original.occurredAt,c.language)},{id:`action`,header:s(`columns.action`),cell:({row:e})=>e.original.action},{id:`actor`,header:s(`columns.actor`),cell:({row:e})=>e.original.actorLabel}],F=E.address,I=()=>C({requestPolicy:`network-only`});return(0,w.jsxs)(`article`,{className:`company`,children:[(0,w.jsxs)(`header`,{className:`company-header`,children:[(0,w.jsx)(`h1`,{children:E.legalName}),(0,w.jsx)(o,{status:E.status}),y(`transactions`)&&(0,w.jsx)(t,{className:`follow`,to:`${u.transactions}?company=${encodeURIComponent(E.id)}`,children:s(`transactions.title`)}),y(`transactionRecorded`)&&(0,w.jsx)(t,{className:`follow`,to:`${u.supervision}?company=${encodeURIComponent(E.id)}`,children:s(`wall.follow`)})]}),(0,w.jsxs)(`dl`,{className:`facts`,children:[(0,w.jsx)(_,{label:s(`columns.siren`),children:E.siren}),(0,w.jsx)(_,{label:s(`columns.tradeName`),children:E.tradeName??`—`}),(0,w.jsx)(_,{label:s(`columns.mcc`),children:E.mcc}),(0,w.jsxs)(_,{label:s(`company.contact`),children:[E.contactName,` · `,E.contactEmail,` · `,E.contactPhone]}),(0,w.jsx)(_,{label:s(`company.address`),children:[F.line1,F.line2,`${F.postalCode} ${F.city}`,F.country].filter(Boolean).join(`, `)}),E.iban!==void 0&&(0,w.jsx)(_,{label:s(`company.iban`),children:E.iban??`—`})]}),(0,w.jsx)(g,{title:s(`company.shops`),count:E.shops.totalCount,children:(0,w.jsx)(n,{columns:D,data:E.shops.edges.map(e=>e.node),caption:s(`company.shops`),empty:s(`company.none`)})}),(0,w.jsxs)(g,{title:s(`company.contracts`),count:E.contracts.totalCount,children:[(0,w.jsx)(n,{columns:O,data:E.contracts.edges.map(e=>e.node),caption:s(`company.contracts`),empty:s(`company.none`)}),E.contracts.edges.filter(e=>e.node.status!==`DRAFT`).map(e=>(0,w.jsx)(m,{contractId:e.node.id,number:e.node.number},e.node.id)),y(`signContract`)&&E.contracts.edges.filter(e=>e.node.status===`DRAFT`).map(e=>(0,w.jsx)(j,{contract:e.node,onDone:I},e.node.id)),y(`createContract`)&&N.includes(E.status)&&(0,w.jsx)(A,{companyId:E.id,shops:E.shops.edges.filter(e=>e.node.status===`OPEN`).map(e=>e.node),onDone:I})]}),(0,w.jsx)(h,{companyId:E.id}),(0,w.jsx)(g,{title:s(`company.requests`),count:E.requests.totalCount,children:(0,w.jsx)(n,{columns:k,data:E.requests.edges.map(e=>e.node),caption:s(`company.requests`),empty:s(`company.none`)})}),E.auditEvents&&(0,w.jsx)(g,{title:s(`company.journal`),children:(0,w.jsx)(n,{columns:P,data:E.auditEvents.edges.map(e=>e.node),caption:s(`company.journal`),empty:s(`company.none`)})})]})}export{P as CompanyDetail};