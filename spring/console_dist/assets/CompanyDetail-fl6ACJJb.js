import{D as e,_ as t,a as n,b as r,d as i,f as a,h as o,i as s,j as c,m as l,o as u,r as d,s as f,v as p}from"./console-B98LZMO5.js";import{n as m,t as h}from"./Documents-D--7X59O.js";import{n as g,t as _}from"./Facts-Ixw6RFUu.js";import{bt as v,gt as y,pt as b}from"./preload-helper-Cxp912mq.js";import{t as x}from"./download-8yTEso0j.js";import{n as S}from"./Onboarding-Cb8WMicz.js";var C=v(y(),1),w=b(),T=a(`
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
`),E=a(`
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
`),D=a(`
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
`),O=[`PAY_ON_SITE`,`PAYWISH_SOFTPOS`];function k(t,n=`CB`,r=`DOMESTIC`){let i=e(t.rate),a=e(t.fixed),o=e(t.rental||`0`),s=e(t.softpos||`0`),c=Object.entries({rate:i,fixed:a,rental:o,softpos:s}).filter(([,e])=>e===null).map(([e])=>e);return c.length?{invalid:c}:{invalid:[],fees:{currency:`EUR`,lines:[{scheme:n,region:r,rateBps:i,fixedFee:a}],terminalRentalMonthly:o,softposFeeMonthly:s}}}function A({companyId:e,shops:t,onDone:n}){let{t:r}=c(),i=(0,C.useId)(),[a,o]=(0,C.useState)(!1),[s,u]=(0,C.useState)([`PAY_ON_SITE`]),[d,f]=(0,C.useState)(t.map(e=>e.id)),[p,m]=(0,C.useState)({rate:``,fixed:``,rental:``,softpos:``}),[h,g]=(0,C.useState)({}),[_,v]=l(T),[y,b]=(0,C.useState)(null),x=async t=>{t.preventDefault();let i=k(p);if(!i.fees){g(Object.fromEntries(i.invalid.map(e=>[e,r(`fees.invalidNumber`)])));return}let a=await v({input:{companyId:e,serviceKinds:s,shopIds:d,fees:i.fees}});if(a.error){g({"":r(`errors.generic`,{message:a.error.graphQLErrors[0]?.message??a.error.message})});return}let c=a.data?.createContract,l=S(c?.userErrors??[]),u={};for(let[e,t]of Object.entries(l)){let n=e.endsWith(`rateBps`)?`rate`:e.endsWith(`fixedFee`)?`fixed`:e.endsWith(`terminalRentalMonthly`)?`rental`:e.endsWith(`softposFeeMonthly`)?`softpos`:e.startsWith(`serviceKinds`)?`serviceKinds`:e.startsWith(`shopIds`)?`shopIds`:``;u[n]=u[n]?`${u[n]} ${t}`:t}g(u),c?.contract&&Object.keys(u).length===0&&(b(r(`contract.created`,{number:c.contract.number})),o(!1),n())},E=(e,t)=>(0,w.jsxs)(`div`,{className:`field`,children:[(0,w.jsx)(`label`,{htmlFor:`${i}-${e}`,children:t}),(0,w.jsx)(`input`,{id:`${i}-${e}`,inputMode:`decimal`,value:p[e],"aria-invalid":h[e]?!0:void 0,"aria-describedby":h[e]?`${i}-${e}-error`:void 0,onChange:t=>m({...p,[e]:t.target.value})}),h[e]&&(0,w.jsx)(`p`,{className:`field-error`,id:`${i}-${e}-error`,children:h[e]})]});return(0,w.jsxs)(`div`,{className:`new-contract`,children:[y&&(0,w.jsx)(`p`,{role:`status`,children:y}),(0,w.jsx)(`button`,{type:`button`,"aria-expanded":a,"aria-controls":`${i}-form`,onClick:()=>o(!a),children:r(`contract.new`)}),a&&(0,w.jsxs)(`form`,{id:`${i}-form`,className:`contract-form`,onSubmit:e=>void x(e),"aria-label":r(`contract.new`),children:[(0,w.jsxs)(`fieldset`,{"aria-describedby":h.serviceKinds?`${i}-kinds-error`:void 0,children:[(0,w.jsx)(`legend`,{children:r(`contract.services`)}),O.map(e=>(0,w.jsxs)(`label`,{className:`check`,children:[(0,w.jsx)(`input`,{type:`checkbox`,checked:s.includes(e),onChange:t=>u(t.target.checked?[...s,e]:s.filter(t=>t!==e))}),r(`serviceKind.${e}`)]},e)),h.serviceKinds&&(0,w.jsx)(`p`,{className:`field-error`,id:`${i}-kinds-error`,children:h.serviceKinds})]}),(0,w.jsxs)(`fieldset`,{"aria-describedby":h.shopIds?`${i}-shops-error`:void 0,children:[(0,w.jsx)(`legend`,{children:r(`contract.shops`)}),t.length===0&&(0,w.jsx)(`p`,{className:`count`,children:r(`company.none`)}),t.map(e=>(0,w.jsxs)(`label`,{className:`check`,children:[(0,w.jsx)(`input`,{type:`checkbox`,checked:d.includes(e.id),onChange:t=>f(t.target.checked?[...d,e.id]:d.filter(t=>t!==e.id))}),e.name]},e.id)),h.shopIds&&(0,w.jsx)(`p`,{className:`field-error`,id:`${i}-shops-error`,children:h.shopIds})]}),(0,w.jsxs)(`fieldset`,{children:[(0,w.jsx)(`legend`,{children:r(`contract.grid`)}),E(`rate`,r(`contract.rate`)),E(`fixed`,r(`contract.fixed`)),E(`rental`,r(`fees.rentalInput`)),E(`softpos`,r(`fees.softposInput`))]}),h[``]&&(0,w.jsx)(`p`,{className:`field-error`,role:`alert`,children:h[``]}),(0,w.jsx)(`button`,{type:`submit`,className:`primary`,disabled:_.fetching,children:r(`contract.create`)})]})]})}function j({contract:e,onDone:t}){let{t:n}=c(),r=(0,C.useId)(),[i,a]=(0,C.useState)(``),[s,u]=(0,C.useState)(null),[d,f]=l(E),[{data:p},m]=o({query:D,variables:{id:e.id},requestPolicy:`network-only`}),h=p?.node?.__typename===`Contract`?p.node.document:null,g=async r=>{if(r.preventDefault(),!h)return;let a=await f({input:{id:e.id,signatoryName:i,documentSha256:h.sha256}});if(a.error){u(n(`errors.generic`,{message:a.error.graphQLErrors[0]?.message??a.error.message}));return}let o=a.data?.signContract?.userErrors??[];u(o.length?o.map(e=>e.message).join(` `):null),o.some(e=>e.code===`CONFLICT`)&&m({requestPolicy:`network-only`}),o.length||t()};return(0,w.jsxs)(`form`,{className:`sign-contract`,onSubmit:e=>void g(e),"aria-label":n(`contract.signTitle`,{number:e.number}),children:[(0,w.jsxs)(`div`,{className:`field`,children:[(0,w.jsx)(`label`,{htmlFor:`${r}-name`,children:n(`contract.signatory`,{number:e.number})}),(0,w.jsx)(`input`,{id:`${r}-name`,value:i,"aria-invalid":s?!0:void 0,"aria-describedby":s?`${r}-error`:void 0,onChange:e=>a(e.target.value)}),s&&(0,w.jsx)(`p`,{className:`field-error`,id:`${r}-error`,role:`alert`,children:s})]}),h&&(0,w.jsx)(`button`,{type:`button`,onClick:()=>void x(h.url,h.filename).then(e=>e&&u(e)).catch(()=>u(n(`errors.network`))),children:n(`contract.read`,{size:Math.ceil(h.sizeBytes/1024)})}),(0,w.jsx)(`button`,{type:`submit`,className:`primary`,disabled:d.fetching||!h,children:n(`contract.sign`,{number:e.number})})]})}var M=a(`
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
`),N=[`APPROVED`,`ACTIVE`];function P(){let{id:e=``}=p(),{t:a,i18n:l}=c(),{reads:v,can:y}=i(),[{data:b,error:x,fetching:S},C]=o({query:M,variables:{id:e,withIban:v(`Company.iban`),withJournal:y(`auditEvents`)}});if(x&&!b)return(0,w.jsx)(u,{error:x,retry:()=>C({requestPolicy:`network-only`})});if(S&&!b)return(0,w.jsx)(f,{});let T=b?.node;if(!T||T.__typename!==`Company`)return(0,w.jsx)(`p`,{role:`alert`,children:a(`company.notFound`)});let E=T,D=[{id:`name`,header:a(`columns.name`),cell:({row:e})=>(0,w.jsx)(t,{to:d.shop(e.original.id),children:e.original.name})},{id:`siret`,header:a(`columns.siret`),cell:({row:e})=>e.original.siret},{id:`city`,header:a(`columns.city`),cell:({row:e})=>e.original.address.city},{id:`status`,header:a(`columns.status`),cell:({row:e})=>(0,w.jsx)(s,{status:e.original.status})}],O=[{id:`number`,header:a(`columns.number`),cell:({row:e})=>e.original.number},{id:`status`,header:a(`columns.status`),cell:({row:e})=>(0,w.jsx)(s,{status:e.original.status})},{id:`signedAt`,header:a(`columns.signedAt`),cell:({row:e})=>r(e.original.signedAt,l.language)}],k=[{id:`reference`,header:a(`columns.id`),cell:({row:e})=>(0,w.jsx)(t,{to:d.request(e.original.id),children:e.original.reference})},{id:`status`,header:a(`columns.status`),cell:({row:e})=>(0,w.jsx)(s,{status:e.original.status})},{id:`type`,header:a(`columns.requestType`),cell:({row:e})=>a(`requestType.${e.original.type}`)},{id:`subject`,header:a(`columns.subject`),cell:({row:e})=>e.original.subject}],P=[{id:`at`,header:a(`columns.at`),cell:({row:e})=>r(e.original.occurredAt,l.language)},{id:`action`,header:a(`columns.action`),cell:({row:e})=>e.original.action},{id:`actor`,header:a(`columns.actor`),cell:({row:e})=>e.original.actorLabel}],F=E.address,I=()=>C({requestPolicy:`network-only`});return(0,w.jsxs)(`article`,{className:`company`,children:[(0,w.jsxs)(`header`,{className:`company-header`,children:[(0,w.jsx)(`h1`,{children:E.legalName}),(0,w.jsx)(s,{status:E.status}),y(`transactions`)&&(0,w.jsx)(t,{className:`follow`,to:`${d.transactions}?company=${encodeURIComponent(E.id)}`,children:a(`transactions.title`)}),y(`transactionRecorded`)&&(0,w.jsx)(t,{className:`follow`,to:`${d.supervision}?company=${encodeURIComponent(E.id)}`,children:a(`wall.follow`)})]}),(0,w.jsxs)(`dl`,{className:`facts`,children:[(0,w.jsx)(_,{label:a(`columns.siren`),children:E.siren}),(0,w.jsx)(_,{label:a(`columns.tradeName`),children:E.tradeName??`—`}),(0,w.jsx)(_,{label:a(`columns.mcc`),children:E.mcc}),(0,w.jsxs)(_,{label:a(`company.contact`),children:[E.contactName,` · `,E.contactEmail,` · `,E.contactPhone]}),(0,w.jsx)(_,{label:a(`company.address`),children:[F.line1,F.line2,`${F.postalCode} ${F.city}`,F.country].filter(Boolean).join(`, `)}),E.iban!==void 0&&(0,w.jsx)(_,{label:a(`company.iban`),children:E.iban??`—`})]}),(0,w.jsx)(g,{title:a(`company.shops`),count:E.shops.totalCount,children:(0,w.jsx)(n,{columns:D,data:E.shops.edges.map(e=>e.node),caption:a(`company.shops`),empty:a(`company.none`)})}),(0,w.jsxs)(g,{title:a(`company.contracts`),count:E.contracts.totalCount,children:[(0,w.jsx)(n,{columns:O,data:E.contracts.edges.map(e=>e.node),caption:a(`company.contracts`),empty:a(`company.none`)}),E.contracts.edges.filter(e=>e.node.status!==`DRAFT`).map(e=>(0,w.jsx)(m,{contractId:e.node.id,number:e.node.number},e.node.id)),y(`signContract`)&&E.contracts.edges.filter(e=>e.node.status===`DRAFT`).map(e=>(0,w.jsx)(j,{contract:e.node,onDone:I},e.node.id)),y(`createContract`)&&N.includes(E.status)&&(0,w.jsx)(A,{companyId:E.id,shops:E.shops.edges.filter(e=>e.node.status===`OPEN`).map(e=>e.node),onDone:I})]}),(0,w.jsx)(h,{companyId:E.id}),(0,w.jsx)(g,{title:a(`company.requests`),count:E.requests.totalCount,children:(0,w.jsx)(n,{columns:k,data:E.requests.edges.map(e=>e.node),caption:a(`company.requests`),empty:a(`company.none`)})}),E.auditEvents&&(0,w.jsx)(g,{title:a(`company.journal`),children:(0,w.jsx)(n,{columns:P,data:E.auditEvents.edges.map(e=>e.node),caption:a(`company.journal`),empty:a(`company.none`)})})]})}export{P as CompanyDetail};