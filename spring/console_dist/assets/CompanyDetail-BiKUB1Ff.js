import{M as e,O as t,_ as n,a as r,d as i,f as a,h as o,i as s,m as c,o as l,r as u,s as d,x as f,y as p}from"./console-Dpo1cU1U.js";import{n as m,t as h}from"./Facts-Ixw6RFUu.js";import{bt as g,gt as _,pt as v}from"./preload-helper-Cxp912mq.js";import{t as y}from"./download-CIbyoiVp.js";import{t as b}from"./liveCheck-BKEmA0yi.js";var x=g(_(),1),S=v(),C=a(`
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
`),E=[`PAY_ON_SITE`,`PAYWISH_SOFTPOS`];function D(e,n=`CB`,r=`DOMESTIC`){let i=t(e.rate),a=t(e.fixed),o=t(e.rental||`0`),s=t(e.softpos||`0`),c=Object.entries({rate:i,fixed:a,rental:o,softpos:s}).filter(([,e])=>e===null).map(([e])=>e);return c.length?{invalid:c}:{invalid:[],fees:{currency:`EUR`,lines:[{scheme:n,region:r,rateBps:i,fixedFee:a}],terminalRentalMonthly:o,softposFeeMonthly:s}}}function O({companyId:t,shops:n,onDone:r}){let{t:i}=e(),a=(0,x.useId)(),[o,s]=(0,x.useState)(!1),[l,u]=(0,x.useState)([`PAY_ON_SITE`]),[d,f]=(0,x.useState)(n.map(e=>e.id)),[p,m]=(0,x.useState)({rate:``,fixed:``,rental:``,softpos:``}),[h,g]=(0,x.useState)({}),[_,v]=c(C),[y,w]=(0,x.useState)(null),T=async e=>{e.preventDefault();let n=D(p);if(!n.fees){g(Object.fromEntries(n.invalid.map(e=>[e,i(`fees.invalidNumber`)])));return}let a=await v({input:{companyId:t,serviceKinds:l,shopIds:d,fees:n.fees}});if(a.error){g({"":i(`errors.generic`,{message:a.error.graphQLErrors[0]?.message??a.error.message})});return}let o=a.data?.createContract,c=b(o?.userErrors??[]),u={};for(let[e,t]of Object.entries(c)){let n=e.endsWith(`rateBps`)?`rate`:e.endsWith(`fixedFee`)?`fixed`:e.endsWith(`terminalRentalMonthly`)?`rental`:e.endsWith(`softposFeeMonthly`)?`softpos`:e.startsWith(`serviceKinds`)?`serviceKinds`:e.startsWith(`shopIds`)?`shopIds`:``;u[n]=u[n]?`${u[n]} ${t}`:t}g(u),o?.contract&&Object.keys(u).length===0&&(w(i(`contract.created`,{number:o.contract.number})),s(!1),r())},O=(e,t)=>(0,S.jsxs)(`div`,{className:`field`,children:[(0,S.jsx)(`label`,{htmlFor:`${a}-${e}`,children:t}),(0,S.jsx)(`input`,{id:`${a}-${e}`,inputMode:`decimal`,value:p[e],"aria-invalid":h[e]?!0:void 0,"aria-describedby":h[e]?`${a}-${e}-error`:void 0,onChange:t=>m({...p,[e]:t.target.value})}),h[e]&&(0,S.jsx)(`p`,{className:`field-error`,id:`${a}-${e}-error`,children:h[e]})]});return(0,S.jsxs)(`div`,{className:`new-contract`,children:[y&&(0,S.jsx)(`p`,{role:`status`,children:y}),(0,S.jsx)(`button`,{type:`button`,"aria-expanded":o,"aria-controls":`${a}-form`,onClick:()=>s(!o),children:i(`contract.new`)}),o&&(0,S.jsxs)(`form`,{id:`${a}-form`,className:`contract-form`,onSubmit:e=>void T(e),"aria-label":i(`contract.new`),children:[(0,S.jsxs)(`fieldset`,{"aria-describedby":h.serviceKinds?`${a}-kinds-error`:void 0,children:[(0,S.jsx)(`legend`,{children:i(`contract.services`)}),E.map(e=>(0,S.jsxs)(`label`,{className:`check`,children:[(0,S.jsx)(`input`,{type:`checkbox`,checked:l.includes(e),onChange:t=>u(t.target.checked?[...l,e]:l.filter(t=>t!==e))}),i(`serviceKind.${e}`)]},e)),h.serviceKinds&&(0,S.jsx)(`p`,{className:`field-error`,id:`${a}-kinds-error`,children:h.serviceKinds})]}),(0,S.jsxs)(`fieldset`,{"aria-describedby":h.shopIds?`${a}-shops-error`:void 0,children:[(0,S.jsx)(`legend`,{children:i(`contract.shops`)}),n.length===0&&(0,S.jsx)(`p`,{className:`count`,children:i(`company.none`)}),n.map(e=>(0,S.jsxs)(`label`,{className:`check`,children:[(0,S.jsx)(`input`,{type:`checkbox`,checked:d.includes(e.id),onChange:t=>f(t.target.checked?[...d,e.id]:d.filter(t=>t!==e.id))}),e.name]},e.id)),h.shopIds&&(0,S.jsx)(`p`,{className:`field-error`,id:`${a}-shops-error`,children:h.shopIds})]}),(0,S.jsxs)(`fieldset`,{children:[(0,S.jsx)(`legend`,{children:i(`contract.grid`)}),O(`rate`,i(`contract.rate`)),O(`fixed`,i(`contract.fixed`)),O(`rental`,i(`fees.rentalInput`)),O(`softpos`,i(`fees.softposInput`))]}),h[``]&&(0,S.jsx)(`p`,{className:`field-error`,role:`alert`,children:h[``]}),(0,S.jsx)(`button`,{type:`submit`,className:`primary`,disabled:_.fetching,children:i(`contract.create`)})]})]})}function k({contract:t,onDone:n}){let{t:r}=e(),i=(0,x.useId)(),[a,s]=(0,x.useState)(``),[l,u]=(0,x.useState)(null),[d,f]=c(w),[{data:p},m]=o({query:T,variables:{id:t.id},requestPolicy:`network-only`}),h=p?.node?.__typename===`Contract`?p.node.document:null,g=async e=>{if(e.preventDefault(),!h)return;let i=await f({input:{id:t.id,signatoryName:a,documentSha256:h.sha256}});if(i.error){u(r(`errors.generic`,{message:i.error.graphQLErrors[0]?.message??i.error.message}));return}let o=i.data?.signContract?.userErrors??[];u(o.length?o.map(e=>e.message).join(` `):null),o.some(e=>e.code===`CONFLICT`)&&m({requestPolicy:`network-only`}),o.length||n()};return(0,S.jsxs)(`form`,{className:`sign-contract`,onSubmit:e=>void g(e),"aria-label":r(`contract.signTitle`,{number:t.number}),children:[(0,S.jsxs)(`div`,{className:`field`,children:[(0,S.jsx)(`label`,{htmlFor:`${i}-name`,children:r(`contract.signatory`,{number:t.number})}),(0,S.jsx)(`input`,{id:`${i}-name`,value:a,"aria-invalid":l?!0:void 0,"aria-describedby":l?`${i}-error`:void 0,onChange:e=>s(e.target.value)}),l&&(0,S.jsx)(`p`,{className:`field-error`,id:`${i}-error`,role:`alert`,children:l})]}),h&&(0,S.jsx)(`button`,{type:`button`,onClick:()=>void y(h.url,h.filename).then(e=>e&&u(e)).catch(()=>u(r(`errors.network`))),children:r(`contract.read`,{size:Math.ceil(h.sizeBytes/1024)})}),(0,S.jsx)(`button`,{type:`submit`,className:`primary`,disabled:d.fetching||!h,children:r(`contract.sign`,{number:t.number})})]})}var A=a(`
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
`),j=[`APPROVED`,`ACTIVE`];function M(){let{id:t=``}=p(),{t:a,i18n:c}=e(),{reads:g,can:_}=i(),[{data:v,error:y,fetching:b},x]=o({query:A,variables:{id:t,withIban:g(`Company.iban`),withJournal:_(`auditEvents`)}});if(y&&!v)return(0,S.jsx)(l,{error:y,retry:()=>x({requestPolicy:`network-only`})});if(b&&!v)return(0,S.jsx)(d,{});let C=v?.node;if(!C||C.__typename!==`Company`)return(0,S.jsx)(`p`,{role:`alert`,children:a(`company.notFound`)});let w=C,T=[{id:`name`,header:a(`columns.name`),cell:({row:e})=>(0,S.jsx)(n,{to:u.shop(e.original.id),children:e.original.name})},{id:`siret`,header:a(`columns.siret`),cell:({row:e})=>e.original.siret},{id:`city`,header:a(`columns.city`),cell:({row:e})=>e.original.address.city},{id:`status`,header:a(`columns.status`),cell:({row:e})=>(0,S.jsx)(s,{status:e.original.status})}],E=[{id:`number`,header:a(`columns.number`),cell:({row:e})=>e.original.number},{id:`status`,header:a(`columns.status`),cell:({row:e})=>(0,S.jsx)(s,{status:e.original.status})},{id:`signedAt`,header:a(`columns.signedAt`),cell:({row:e})=>f(e.original.signedAt,c.language)}],D=[{id:`reference`,header:a(`columns.id`),cell:({row:e})=>(0,S.jsx)(n,{to:u.request(e.original.id),children:e.original.reference})},{id:`status`,header:a(`columns.status`),cell:({row:e})=>(0,S.jsx)(s,{status:e.original.status})},{id:`type`,header:a(`columns.requestType`),cell:({row:e})=>a(`requestType.${e.original.type}`)},{id:`subject`,header:a(`columns.subject`),cell:({row:e})=>e.original.subject}],M=[{id:`at`,header:a(`columns.at`),cell:({row:e})=>f(e.original.occurredAt,c.language)},{id:`action`,header:a(`columns.action`),cell:({row:e})=>e.original.action},{id:`actor`,header:a(`columns.actor`),cell:({row:e})=>e.original.actorLabel}],N=w.address,P=()=>x({requestPolicy:`network-only`});return(0,S.jsxs)(`article`,{className:`company`,children:[(0,S.jsxs)(`header`,{className:`company-header`,children:[(0,S.jsx)(`h1`,{children:w.legalName}),(0,S.jsx)(s,{status:w.status}),_(`transactions`)&&(0,S.jsx)(n,{className:`follow`,to:`${u.transactions}?company=${encodeURIComponent(w.id)}`,children:a(`transactions.title`)}),_(`transactionRecorded`)&&(0,S.jsx)(n,{className:`follow`,to:`${u.supervision}?company=${encodeURIComponent(w.id)}`,children:a(`wall.follow`)})]}),(0,S.jsxs)(`dl`,{className:`facts`,children:[(0,S.jsx)(h,{label:a(`columns.siren`),children:w.siren}),(0,S.jsx)(h,{label:a(`columns.tradeName`),children:w.tradeName??`—`}),(0,S.jsx)(h,{label:a(`columns.mcc`),children:w.mcc}),(0,S.jsxs)(h,{label:a(`company.contact`),children:[w.contactName,` · `,w.contactEmail,` · `,w.contactPhone]}),(0,S.jsx)(h,{label:a(`company.address`),children:[N.line1,N.line2,`${N.postalCode} ${N.city}`,N.country].filter(Boolean).join(`, `)}),w.iban!==void 0&&(0,S.jsx)(h,{label:a(`company.iban`),children:w.iban??`—`})]}),(0,S.jsx)(m,{title:a(`company.shops`),count:w.shops.totalCount,children:(0,S.jsx)(r,{columns:T,data:w.shops.edges.map(e=>e.node),caption:a(`company.shops`),empty:a(`company.none`)})}),(0,S.jsxs)(m,{title:a(`company.contracts`),count:w.contracts.totalCount,children:[(0,S.jsx)(r,{columns:E,data:w.contracts.edges.map(e=>e.node),caption:a(`company.contracts`),empty:a(`company.none`)}),_(`signContract`)&&w.contracts.edges.filter(e=>e.node.status===`DRAFT`).map(e=>(0,S.jsx)(k,{contract:e.node,onDone:P},e.node.id)),_(`createContract`)&&j.includes(w.status)&&(0,S.jsx)(O,{companyId:w.id,shops:w.shops.edges.filter(e=>e.node.status===`OPEN`).map(e=>e.node),onDone:P})]}),(0,S.jsx)(m,{title:a(`company.requests`),count:w.requests.totalCount,children:(0,S.jsx)(r,{columns:D,data:w.requests.edges.map(e=>e.node),caption:a(`company.requests`),empty:a(`company.none`)})}),w.auditEvents&&(0,S.jsx)(m,{title:a(`company.journal`),children:(0,S.jsx)(r,{columns:M,data:w.auditEvents.edges.map(e=>e.node),caption:a(`company.journal`),empty:a(`company.none`)})})]})}export{M as CompanyDetail};