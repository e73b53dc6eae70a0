import{D as e,_ as t,a as n,b as r,d as i,f as a,h as o,i as s,j as c,m as l,o as u,r as d,s as f,v as p}from"./console-BhUGwCLm.js";import{n as m,t as h}from"./Facts-Ixw6RFUu.js";import{bt as g,gt as _,pt as v}from"./preload-helper-Cxp912mq.js";import{t as y}from"./download-CKRcwXnh.js";import{n as b}from"./Onboarding-DWl5zxpe.js";var x=g(_(),1),S=v(),C=a(`
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
`),w=a(`
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
`),T=a(`
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
`),E=[`PAY_ON_SITE`,`PAYWISH_SOFTPOS`];function D(t,n=`CB`,r=`DOMESTIC`){let i=e(t.rate),a=e(t.fixed),o=e(t.rental||`0`),s=e(t.softpos||`0`),c=Object.entries({rate:i,fixed:a,rental:o,softpos:s}).filter(([,e])=>e===null).map(([e])=>e);return c.length?{invalid:c}:{invalid:[],fees:{currency:`EUR`,lines:[{scheme:n,region:r,rateBps:i,fixedFee:a}],terminalRentalMonthly:o,softposFeeMonthly:s}}}function O({companyId:e,shops:t,onDone:n}){let{t:r}=c(),i=(0,x.useId)(),[a,o]=(0,x.useState)(!1),[s,u]=(0,x.useState)([`PAY_ON_SITE`]),[d,f]=(0,x.useState)(t.map(e=>e.id)),[p,m]=(0,x.useState)({rate:``,fixed:``,rental:``,softpos:``}),[h,g]=(0,x.useState)({}),[_,v]=l(C),[y,w]=(0,x.useState)(null),T=async t=>{t.preventDefault();let i=D(p);if(!i.fees){g(Object.fromEntries(i.invalid.map(e=>[e,r(`fees.invalidNumber`)])));return}let a=await v({input:{companyId:e,serviceKinds:s,shopIds:d,fees:i.fees}});if(a.error){g({"":r(`errors.generic`,{message:a.error.graphQLErrors[0]?.message??a.error.message})});return}let c=a.data?.createContract,l=b(c?.userErrors??[]),u={};for(let[e,t]of Object.entries(l)){let n=e.endsWith(`rateBps`)?`rate`:e.endsWith(`fixedFee`)?`fixed`:e.endsWith(`terminalRentalMonthly`)?`rental`:e.endsWith(`softposFeeMonthly`)?`softpos`:e.startsWith(`serviceKinds`)?`serviceKinds`:e.startsWith(`shopIds`)?`shopIds`:``;u[n]=u[n]?`${u[n]} ${t}`:t}g(u),c?.contract&&Object.keys(u).length===0&&(w(r(`contract.created`,{number:c.contract.number})),o(!1),n())},O=(e,t)=>(0,S.jsxs)(`div`,{className:`field`,children:[(0,S.jsx)(`label`,{htmlFor:`${i}-${e}`,children:t}),(0,S.jsx)(`input`,{id:`${i}-${e}`,inputMode:`decimal`,value:p[e],"aria-invalid":h[e]?!0:void 0,"aria-describedby":h[e]?`${i}-${e}-error`:void 0,onChange:t=>m({...p,[e]:t.target.value})}),h[e]&&(0,S.jsx)(`p`,{className:`field-error`,id:`${i}-${e}-error`,children:h[e]})]});return(0,S.jsxs)(`div`,{className:`new-contract`,children:[y&&(0,S.jsx)(`p`,{role:`status`,children:y}),(0,S.jsx)(`button`,{type:`button`,"aria-expanded":a,"aria-controls":`${i}-form`,onClick:()=>o(!a),children:r(`contract.new`)}),a&&(0,S.jsxs)(`form`,{id:`${i}-form`,className:`contract-form`,onSubmit:e=>void T(e),"aria-label":r(`contract.new`),children:[(0,S.jsxs)(`fieldset`,{"aria-describedby":h.serviceKinds?`${i}-kinds-error`:void 0,children:[(0,S.jsx)(`legend`,{children:r(`contract.services`)}),E.map(e=>(0,S.jsxs)(`label`,{className:`check`,children:[(0,S.jsx)(`input`,{type:`checkbox`,checked:s.includes(e),onChange:t=>u(t.target.checked?[...s,e]:s.filter(t=>t!==e))}),r(`serviceKind.${e}`)]},e)),h.serviceKinds&&(0,S.jsx)(`p`,{className:`field-error`,id:`${i}-kinds-error`,children:h.serviceKinds})]}),(0,S.jsxs)(`fieldset`,{"aria-describedby":h.shopIds?`${i}-shops-error`:void 0,children:[(0,S.jsx)(`legend`,{children:r(`contract.shops`)}),t.length===0&&(0,S.jsx)(`p`,{className:`count`,children:r(`company.none`)}),t.map(e=>(0,S.jsxs)(`label`,{className:`check`,children:[(0,S.jsx)(`input`,{type:`checkbox`,checked:d.includes(e.id),onChange:t=>f(t.target.checked?[...d,e.id]:d.filter(t=>t!==e.id))}),e.name]},e.id)),h.shopIds&&(0,S.jsx)(`p`,{className:`field-error`,id:`${i}-shops-error`,children:h.shopIds})]}),(0,S.jsxs)(`fieldset`,{children:[(0,S.jsx)(`legend`,{children:r(`contract.grid`)}),O(`rate`,r(`contract.rate`)),O(`fixed`,r(`contract.fixed`)),O(`rental`,r(`fees.rentalInput`)),O(`softpos`,r(`fees.softposInput`))]}),h[``]&&(0,S.jsx)(`p`,{className:`field-error`,role:`alert`,children:h[``]}),(0,S.jsx)(`button`,{type:`submit`,className:`primary`,disabled:_.fetching,children:r(`contract.create`)})]})]})}function k({contract:e,onDone:t}){let{t:n}=c(),r=(0,x.useId)(),[i,a]=(0,x.useState)(``),[s,u]=(0,x.useState)(null),[d,f]=l(w),[{data:p},m]=o({query:T,variables:{id:e.id},requestPolicy:`network-only`}),h=p?.node?.__typename===`Contract`?p.node.document:null,g=async r=>{if(r.preventDefault(),!h)return;let a=await f({input:{id:e.id,signatoryName:i,documentSha256:h.sha256}});if(a.error){u(n(`errors.generic`,{message:a.error.graphQLErrors[0]?.message??a.error.message}));return}let o=a.data?.signContract?.userErrors??[];u(o.length?o.map(e=>e.message).join(` `):null),o.some(e=>e.code===`CONFLICT`)&&m({requestPolicy:`network-only`}),o.length||t()};return(0,S.jsxs)(`form`,{className:`sign-contract`,onSubmit:e=>void g(e),"aria-label":n(`contract.signTitle`,{number:e.number}),children:[(0,S.jsxs)(`div`,{className:`field`,children:[(0,S.jsx)(`label`,{htmlFor:`${r}-name`,children:n(`contract.signatory`,{number:e.number})}),(0,S.jsx)(`input`,{id:`${r}-name`,value:i,"aria-invalid":s?!0:void 0,"aria-describedby":s?`${r}-error`:void 0,onChange:e=>a(e.target.value)}),s&&(0,S.jsx)(`p`,{className:`field-error`,id:`${r}-error`,role:`alert`,children:s})]}),h&&(0,S.jsx)(`button`,{type:`button`,onClick:()=>void y(h.url,h.filename).then(e=>e&&u(e)).catch(()=>u(n(`errors.network`))),children:n(`contract.read`,{size:Math.ceil(h.sizeBytes/1024)})}),(0,S.jsx)(`button`,{type:`submit`,className:`primary`,disabled:d.fetching||!h,children:n(`contract.sign`,{number:e.number})})]})}var A=a(`
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
`),j=[`APPROVED`,`ACTIVE`];function M(){let{id:e=``}=p(),{t:a,i18n:l}=c(),{reads:g,can:_}=i(),[{data:v,error:y,fetching:b},x]=o({query:A,variables:{id:e,withIban:g(`Company.iban`),withJournal:_(`auditEvents`)}});if(y&&!v)return(0,S.jsx)(u,{error:y,retry:()=>x({requestPolicy:`network-only`})});if(b&&!v)return(0,S.jsx)(f,{});let C=v?.node;if(!C||C.__typename!==`Company`)return(0,S.jsx)(`p`,{role:`alert`,children:a(`company.notFound`)});let w=C,T=[{id:`name`,header:a(`columns.name`),cell:({row:e})=>(0,S.jsx)(t,{to:d.shop(e.original.id),children:e.original.name})},{id:`siret`,header:a(`columns.siret`),cell:({row:e})=>e.original.siret},{id:`city`,header:a(`columns.city`),cell:({row:e})=>e.original.address.city},{id:`status`,header:a(`columns.status`),cell:({row:e})=>(0,S.jsx)(s,{status:e.original.status})}],E=[{id:`number`,header:a(`columns.number`),cell:({row:e})=>e.original.number},{id:`status`,header:a(`columns.status`),cell:({row:e})=>(0,S.jsx)(s,{status:e.original.status})},{id:`signedAt`,header:a(`columns.signedAt`),cell:({row:e})=>r(e.original.signedAt,l.language)}],D=[{id:`reference`,header:a(`columns.id`),cell:({row:e})=>(0,S.jsx)(t,{to:d.request(e.original.id),children:e.original.reference})},{id:`status`,header:a(`columns.status`),cell:({row:e})=>(0,S.jsx)(s,{status:e.original.status})},{id:`type`,header:a(`columns.requestType`),cell:({row:e})=>a(`requestType.${e.original.type}`)},{id:`subject`,header:a(`columns.subject`),cell:({row:e})=>e.original.subject}],M=[{id:`at`,header:a(`columns.at`),cell:({row:e})=>r(e.original.occurredAt,l.language)},{id:`action`,header:a(`columns.action`),cell:({row:e})=>e.original.action},{id:`actor`,header:a(`columns.actor`),cell:({row:e})=>e.original.actorLabel}],N=w.address,P=()=>x({requestPolicy:`network-only`});return(0,S.jsxs)(`article`,{className:`company`,children:[(0,S.jsxs)(`header`,{className:`company-header`,children:[(0,S.jsx)(`h1`,{children:w.legalName}),(0,S.jsx)(s,{status:w.status}),_(`transactions`)&&(0,S.jsx)(t,{className:`follow`,to:`${d.transactions}?company=${encodeURIComponent(w.id)}`,children:a(`transactions.title`)}),_(`transactionRecorded`)&&(0,S.jsx)(t,{className:`follow`,to:`${d.supervision}?company=${encodeURIComponent(w.id)}`,children:a(`wall.follow`)})]}),(0,S.jsxs)(`dl`,{className:`facts`,children:[(0,S.jsx)(h,{label:a(`columns.siren`),children:w.siren}),(0,S.jsx)(h,{label:a(`columns.tradeName`),children:w.tradeName??`—`}),(0,S.jsx)(h,{label:a(`columns.mcc`),children:w.mcc}),(0,S.jsxs)(h,{label:a(`company.contact`),children:[w.contactName,` · `,w.contactEmail,` · `,w.contactPhone]}),(0,S.jsx)(h,{label:a(`company.address`),children:[N.line1,N.line2,`${N.postalCode} ${N.city}`,N.country].filter(Boolean).join(`, `)}),w.iban!==void 0&&(0,S.jsx)(h,{label:a(`company.iban`),children:w.iban??`—`})]}),(0,S.jsx)(m,{title:a(`company.shops`),count:w.shops.totalCount,children:(0,S.jsx)(n,{columns:T,data:w.shops.edges.map(e=>e.node),caption:a(`company.shops`),empty:a(`company.none`)})}),(0,S.jsxs)(m,{title:a(`company.contracts`),count:w.contracts.totalCount,children:[(0,S.jsx)(n,{columns:E,data:w.contracts.edges.map(e=>e.node),caption:a(`company.contracts`),empty:a(`company.none`)}),_(`signContract`)&&w.contracts.edges.filter(e=>e.node.status===`DRAFT`).map(e=>(0,S.jsx)(k,{contract:e.node,onDone:P},e.node.id)),_(`createContract`)&&j.includes(w.status)&&(0,S.jsx)(O,{companyId:w.id,shops:w.shops.edges.filter(e=>e.node.status===`OPEN`).map(e=>e.node),onDone:P})]}),(0,S.jsx)(m,{title:a(`company.requests`),count:w.requests.totalCount,children:(0,S.jsx)(n,{columns:D,data:w.requests.edges.map(e=>e.node),caption:a(`company.requests`),empty:a(`company.none`)})}),w.auditEvents&&(0,S.jsx)(m,{title:a(`company.journal`),children:(0,S.jsx)(n,{columns:M,data:w.auditEvents.edges.map(e=>e.node),caption:a(`company.journal`),empty:a(`company.none`)})})]})}export{M as CompanyDetail};