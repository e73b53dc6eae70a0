import{A as e,S as t,T as n,b as r,d as i,f as a,h as o,m as s,p as c,r as l,u,v as d,w as f,x as p,y as m}from"./console-CAyTdcv_.js";import{n as h,t as g}from"./Facts-Ixw6RFUu.js";import{bt as _,gt as v,pt as y}from"./preload-helper-Cxp912mq.js";import{n as b}from"./Onboarding-BOpOyxaB.js";var x=_(v(),1),S=y(),C=r(`
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
`),w=r(`
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
`),T=r(`
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
`);async function E(e,t){let n=await fetch(e,{headers:d(),credentials:`omit`});if(!n.ok)throw Error(String(n.status));let r=URL.createObjectURL(await n.blob()),i=document.createElement(`a`);i.href=r,i.download=t,i.click(),setTimeout(()=>URL.revokeObjectURL(r),1e4)}var D=[`PAY_ON_SITE`,`PAYWISH_SOFTPOS`];function O(e,t=`CB`,n=`DOMESTIC`){let r=u(e.rate),i=u(e.fixed),a=u(e.rental||`0`),o=u(e.softpos||`0`),s=Object.entries({rate:r,fixed:i,rental:a,softpos:o}).filter(([,e])=>e===null).map(([e])=>e);return s.length?{invalid:s}:{invalid:[],fees:{currency:`EUR`,lines:[{scheme:t,region:n,rateBps:r,fixedFee:i}],terminalRentalMonthly:a,softposFeeMonthly:o}}}function k({companyId:t,shops:n,onDone:r}){let{t:i}=e(),a=(0,x.useId)(),[o,s]=(0,x.useState)(!1),[c,l]=(0,x.useState)([`PAY_ON_SITE`]),[u,d]=(0,x.useState)(n.map(e=>e.id)),[f,m]=(0,x.useState)({rate:``,fixed:``,rental:``,softpos:``}),[h,g]=(0,x.useState)({}),[_,v]=p(C),[y,w]=(0,x.useState)(null),T=async e=>{e.preventDefault();let n=O(f);if(!n.fees){g(Object.fromEntries(n.invalid.map(e=>[e,i(`fees.invalidNumber`)])));return}let a=await v({input:{companyId:t,serviceKinds:c,shopIds:u,fees:n.fees}});if(a.error){g({"":i(`errors.generic`,{message:a.error.graphQLErrors[0]?.message??a.error.message})});return}let o=a.data?.createContract,l=b(o?.userErrors??[]),d={};for(let[e,t]of Object.entries(l)){let n=e.endsWith(`rateBps`)?`rate`:e.endsWith(`fixedFee`)?`fixed`:e.endsWith(`terminalRentalMonthly`)?`rental`:e.endsWith(`softposFeeMonthly`)?`softpos`:e.startsWith(`serviceKinds`)?`serviceKinds`:e.startsWith(`shopIds`)?`shopIds`:``;d[n]=d[n]?`${d[n]} ${t}`:t}g(d),o?.contract&&Object.keys(d).length===0&&(w(i(`contract.created`,{number:o.contract.number})),s(!1),r())},E=(e,t)=>(0,S.jsxs)(`div`,{className:`field`,children:[(0,S.jsx)(`label`,{htmlFor:`${a}-${e}`,children:t}),(0,S.jsx)(`input`,{id:`${a}-${e}`,inputMode:`decimal`,value:f[e],"aria-invalid":h[e]?!0:void 0,"aria-describedby":h[e]?`${a}-${e}-error`:void 0,onChange:t=>m({...f,[e]:t.target.value})}),h[e]&&(0,S.jsx)(`p`,{className:`field-error`,id:`${a}-${e}-error`,children:h[e]})]});return(0,S.jsxs)(`div`,{className:`new-contract`,children:[y&&(0,S.jsx)(`p`,{role:`status`,children:y}),(0,S.jsx)(`button`,{type:`button`,"aria-expanded":o,"aria-controls":`${a}-form`,onClick:()=>s(!o),children:i(`contract.new`)}),o&&(0,S.jsxs)(`form`,{id:`${a}-form`,className:`contract-form`,onSubmit:e=>void T(e),"aria-label":i(`contract.new`),children:[(0,S.jsxs)(`fieldset`,{"aria-describedby":h.serviceKinds?`${a}-kinds-error`:void 0,children:[(0,S.jsx)(`legend`,{children:i(`contract.services`)}),D.map(e=>(0,S.jsxs)(`label`,{className:`check`,children:[(0,S.jsx)(`input`,{type:`checkbox`,checked:c.includes(e),onChange:t=>l(t.target.checked?[...c,e]:c.filter(t=>t!==e))}),i(`serviceKind.${e}`)]},e)),h.serviceKinds&&(0,S.jsx)(`p`,{className:`field-error`,id:`${a}-kinds-error`,children:h.serviceKinds})]}),(0,S.jsxs)(`fieldset`,{"aria-describedby":h.shopIds?`${a}-shops-error`:void 0,children:[(0,S.jsx)(`legend`,{children:i(`contract.shops`)}),n.length===0&&(0,S.jsx)(`p`,{className:`count`,children:i(`company.none`)}),n.map(e=>(0,S.jsxs)(`label`,{className:`check`,children:[(0,S.jsx)(`input`,{type:`checkbox`,checked:u.includes(e.id),onChange:t=>d(t.target.checked?[...u,e.id]:u.filter(t=>t!==e.id))}),e.name]},e.id)),h.shopIds&&(0,S.jsx)(`p`,{className:`field-error`,id:`${a}-shops-error`,children:h.shopIds})]}),(0,S.jsxs)(`fieldset`,{children:[(0,S.jsx)(`legend`,{children:i(`contract.grid`)}),E(`rate`,i(`contract.rate`)),E(`fixed`,i(`contract.fixed`)),E(`rental`,i(`fees.rentalInput`)),E(`softpos`,i(`fees.softposInput`))]}),h[``]&&(0,S.jsx)(`p`,{className:`field-error`,role:`alert`,children:h[``]}),(0,S.jsx)(`button`,{type:`submit`,className:`primary`,disabled:_.fetching,children:i(`contract.create`)})]})]})}function A({contract:n,onDone:r}){let{t:i}=e(),a=(0,x.useId)(),[o,s]=(0,x.useState)(``),[c,l]=(0,x.useState)(null),[u,d]=p(w),[{data:f},m]=t({query:T,variables:{id:n.id},requestPolicy:`network-only`}),h=f?.node?.__typename===`Contract`?f.node.document:null,g=async e=>{if(e.preventDefault(),!h)return;let t=await d({input:{id:n.id,signatoryName:o,documentSha256:h.sha256}});if(t.error){l(i(`errors.generic`,{message:t.error.graphQLErrors[0]?.message??t.error.message}));return}let a=t.data?.signContract?.userErrors??[];l(a.length?a.map(e=>e.message).join(` `):null),a.some(e=>e.code===`CONFLICT`)&&m({requestPolicy:`network-only`}),a.length||r()};return(0,S.jsxs)(`form`,{className:`sign-contract`,onSubmit:e=>void g(e),"aria-label":i(`contract.signTitle`,{number:n.number}),children:[(0,S.jsxs)(`div`,{className:`field`,children:[(0,S.jsx)(`label`,{htmlFor:`${a}-name`,children:i(`contract.signatory`,{number:n.number})}),(0,S.jsx)(`input`,{id:`${a}-name`,value:o,"aria-invalid":c?!0:void 0,"aria-describedby":c?`${a}-error`:void 0,onChange:e=>s(e.target.value)}),c&&(0,S.jsx)(`p`,{className:`field-error`,id:`${a}-error`,role:`alert`,children:c})]}),h&&(0,S.jsx)(`button`,{type:`button`,onClick:()=>void E(h.url,h.filename).catch(()=>l(i(`errors.network`))),children:i(`contract.read`,{size:Math.ceil(h.sizeBytes/1024)})}),(0,S.jsx)(`button`,{type:`submit`,className:`primary`,disabled:u.fetching||!h,children:i(`contract.sign`,{number:n.number})})]})}var j=r(`
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
`),M=[`APPROVED`,`ACTIVE`];function N(){let{id:r=``}=n(),{t:u,i18n:d}=e(),{reads:p,can:_}=m(),[{data:v,error:y,fetching:b},x]=t({query:j,variables:{id:r,withIban:p(`Company.iban`),withJournal:_(`auditEvents`)}});if(y&&!v)return(0,S.jsx)(s,{error:y,retry:()=>x({requestPolicy:`network-only`})});if(b&&!v)return(0,S.jsx)(o,{});let C=v?.node;if(!C||C.__typename!==`Company`)return(0,S.jsx)(`p`,{role:`alert`,children:u(`company.notFound`)});let w=C,T=[{id:`name`,header:u(`columns.name`),cell:({row:e})=>(0,S.jsx)(f,{to:i.shop(e.original.id),children:e.original.name})},{id:`siret`,header:u(`columns.siret`),cell:({row:e})=>e.original.siret},{id:`city`,header:u(`columns.city`),cell:({row:e})=>e.original.address.city},{id:`status`,header:u(`columns.status`),cell:({row:e})=>(0,S.jsx)(a,{status:e.original.status})}],E=[{id:`number`,header:u(`columns.number`),cell:({row:e})=>e.original.number},{id:`status`,header:u(`columns.status`),cell:({row:e})=>(0,S.jsx)(a,{status:e.original.status})},{id:`signedAt`,header:u(`columns.signedAt`),cell:({row:e})=>l(e.original.signedAt,d.language)}],D=[{id:`reference`,header:u(`columns.id`),cell:({row:e})=>(0,S.jsx)(f,{to:i.request(e.original.id),children:e.original.reference})},{id:`status`,header:u(`columns.status`),cell:({row:e})=>(0,S.jsx)(a,{status:e.original.status})},{id:`type`,header:u(`columns.requestType`),cell:({row:e})=>u(`requestType.${e.original.type}`)},{id:`subject`,header:u(`columns.subject`),cell:({row:e})=>e.original.subject}],O=[{id:`at`,header:u(`columns.at`),cell:({row:e})=>l(e.original.occurredAt,d.language)},{id:`action`,header:u(`columns.action`),cell:({row:e})=>e.original.action},{id:`actor`,header:u(`columns.actor`),cell:({row:e})=>e.original.actorLabel}],N=w.address,P=()=>x({requestPolicy:`network-only`});return(0,S.jsxs)(`article`,{className:`company`,children:[(0,S.jsxs)(`header`,{className:`company-header`,children:[(0,S.jsx)(`h1`,{children:w.legalName}),(0,S.jsx)(a,{status:w.status}),_(`transactions`)&&(0,S.jsx)(f,{className:`follow`,to:`${i.transactions}?company=${encodeURIComponent(w.id)}`,children:u(`transactions.title`)}),_(`transactionRecorded`)&&(0,S.jsx)(f,{className:`follow`,to:`${i.supervision}?company=${encodeURIComponent(w.id)}`,children:u(`wall.follow`)})]}),(0,S.jsxs)(`dl`,{className:`facts`,children:[(0,S.jsx)(g,{label:u(`columns.siren`),children:w.siren}),(0,S.jsx)(g,{label:u(`columns.tradeName`),children:w.tradeName??`—`}),(0,S.jsx)(g,{label:u(`columns.mcc`),children:w.mcc}),(0,S.jsxs)(g,{label:u(`company.contact`),children:[w.contactName,` · `,w.contactEmail,` · `,w.contactPhone]}),(0,S.jsx)(g,{label:u(`company.address`),children:[N.line1,N.line2,`${N.postalCode} ${N.city}`,N.country].filter(Boolean).join(`, `)}),w.iban!==void 0&&(0,S.jsx)(g,{label:u(`company.iban`),children:w.iban??`—`})]}),(0,S.jsx)(h,{title:u(`company.shops`),count:w.shops.totalCount,children:(0,S.jsx)(c,{columns:T,data:w.shops.edges.map(e=>e.node),caption:u(`company.shops`),empty:u(`company.none`)})}),(0,S.jsxs)(h,{title:u(`company.contracts`),count:w.contracts.totalCount,children:[(0,S.jsx)(c,{columns:E,data:w.contracts.edges.map(e=>e.node),caption:u(`company.contracts`),empty:u(`company.none`)}),_(`signContract`)&&w.contracts.edges.filter(e=>e.node.status===`DRAFT`).map(e=>(0,S.jsx)(A,{contract:e.node,onDone:P},e.node.id)),_(`createContract`)&&M.includes(w.status)&&(0,S.jsx)(k,{companyId:w.id,shops:w.shops.edges.filter(e=>e.node.status===`OPEN`).map(e=>e.node),onDone:P})]}),(0,S.jsx)(h,{title:u(`company.requests`),count:w.requests.totalCount,children:(0,S.jsx)(c,{columns:D,data:w.requests.edges.map(e=>e.node),caption:u(`company.requests`),empty:u(`company.none`)})}),w.auditEvents&&(0,S.jsx)(h,{title:u(`company.journal`),children:(0,S.jsx)(c,{columns:O,data:w.auditEvents.edges.map(e=>e.node),caption:u(`company.journal`),empty:u(`company.none`)})})]})}export{N as CompanyDetail};