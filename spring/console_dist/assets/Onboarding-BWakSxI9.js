import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{F as r,_ as i,d as a,f as o,h as s,m as c,p as l,r as u}from"./console-DiEqahXQ.js";import{n as d,t as f}from"./liveCheck-BKEmA0yi.js";var p=e(t(),1),m=n(),h=o(`
  query ExistingCompany($siren: String!) {
    companies(filter: { text: $siren }, first: 5) {
      edges {
        node {
          id
          legalName
          siren
        }
      }
    }
  }
`),g=o(`
  mutation OnboardCompany($input: CreateCompanyInput!) {
    createCompany(input: $input) {
      company {
        id
        legalName
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),_=o(`
  mutation OnboardShop($input: CreateShopInput!) {
    createShop(input: $input) {
      shop {
        id
        name
        siret
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);o(`
  fragment InputCheckAnswer on InputCheck {
    valid
    userErrors {
      field
      code
      message
    }
  }
`);var v=o(`
  query ValidateCompany($input: CreateCompanyInput!) {
    validateCompany(input: $input) {
      ...InputCheckAnswer
    }
  }
`),y=o(`
  query ValidateShop($input: CreateShopInput!) {
    validateShop(input: $input) {
      ...InputCheckAnswer
    }
  }
`),b=o(`
  mutation OnboardEvaluation($input: RequestEvaluationInput!) {
    requestEvaluation(input: $input) {
      request {
        id
        reference
        status
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),x=`spring.onboarding`,S={step:`company`,company:{},companyId:null,companyName:``,shop:{},shops:[],comment:``,reference:null};function C(){try{let e=sessionStorage.getItem(x);return e?{...S,...JSON.parse(e)}:S}catch{return S}}function w(e){try{e?sessionStorage.setItem(x,JSON.stringify(e)):sessionStorage.removeItem(x)}catch{}}function T(e){return{line1:e[`address.line1`]??``,line2:e[`address.line2`]||null,postalCode:e[`address.postalCode`]??``,city:e[`address.city`]??``,country:e[`address.country`]||`FR`}}var E=[`siren`,`legalName`,`tradeName`,`legalForm`,`mcc`,`address.line1`,`address.postalCode`,`address.city`,`contactName`,`contactEmail`,`contactPhone`,`iban`,`bic`],D=[`name`,`siret`,`address.line1`,`address.postalCode`,`address.city`,`mcc`];function O(e){return{legalName:e.legalName??``,tradeName:e.tradeName||null,siren:(e.siren??``).replace(/\s/g,``),legalForm:e.legalForm??``,mcc:e.mcc??``,contactName:e.contactName??``,contactEmail:e.contactEmail??``,contactPhone:e.contactPhone??``,iban:e.iban||null,bic:e.bic||null,address:T(e)}}function k(e,t){return{companyId:t,name:e.name??``,siret:(e.siret??``).replace(/\s/g,``),mcc:e.mcc||null,address:T(e)}}function A(e,t,n,r){return n.error||!r?null:{values:e,errors:f(r.userErrors,t)}}function j(){let{t:e}=r(),[t,n]=(0,p.useState)(C);(0,p.useEffect)(()=>w(t.step===`done`?null:t),[t]);let a=e=>n(t=>({...t,...e}));return(0,m.jsxs)(`section`,{className:`onboarding`,children:[(0,m.jsx)(`h1`,{children:e(`onboarding.title`)}),(0,m.jsx)(`ol`,{className:`steps`,children:[`company`,`shops`,`evaluation`].map(n=>(0,m.jsx)(`li`,{"aria-current":t.step===n?`step`:void 0,children:e(`onboarding.step.${n}`)},n))}),t.step===`company`&&(0,m.jsx)(N,{draft:t,update:a}),t.step===`shops`&&(0,m.jsx)(P,{draft:t,update:a}),t.step===`evaluation`&&(0,m.jsx)(F,{draft:t,update:a}),t.step===`done`&&(0,m.jsxs)(`div`,{role:`status`,className:`done`,children:[(0,m.jsx)(`p`,{children:e(`onboarding.done`,{reference:t.reference,company:t.companyName})}),t.companyId&&(0,m.jsx)(i,{to:u.company(t.companyId),children:t.companyName}),` `,(0,m.jsx)(`button`,{type:`button`,onClick:()=>n(S),children:e(`onboarding.another`)})]})]})}function M({name:e,label:t,values:n,errors:r,onChange:i,onBlur:a,required:o=!0,type:s=`text`,children:c}){let l=`field-${e.replace(`.`,`-`)}`,u=r[e];return(0,m.jsxs)(`div`,{className:`field`,children:[(0,m.jsxs)(`label`,{htmlFor:l,children:[t,o&&(0,m.jsx)(`span`,{"aria-hidden":`true`,children:` *`})]}),(0,m.jsx)(`input`,{id:l,name:e,type:s,required:o,value:n[e]??``,"aria-invalid":u?!0:void 0,"aria-describedby":u?`${l}-error`:void 0,onChange:t=>i(e,t.target.value),onBlur:()=>a?.(e)}),u&&(0,m.jsx)(`p`,{id:`${l}-error`,className:`field-error`,children:u}),c]})}function N({draft:e,update:t}){let{t:n}=r(),o=l(),{can:p}=a(),[{fetching:_},y]=c(g),b=e.company,x=d(b,p(`validateCompany`)?async e=>{let t=await o.query(v,{input:O(e)},{requestPolicy:`network-only`}).toPromise();return A(e,E,t,t.data?.validateCompany)}:null),S=x.errors,C=(b.siren??``).replace(/\s/g,``),[{data:w}]=s({query:h,variables:{siren:C},pause:!/^\d{9}$/.test(C)}),T=w?.companies?.edges.map(e=>e.node).find(e=>e.siren===C),D=(e,n)=>{x.touch(e),t({company:{...b,[e]:n}})};async function k(e){e.preventDefault();let n=await y({input:O(b)}),r=n.data?.createCompany;n.error?x.submitted({"":n.error.message}):r?.userErrors.length?x.submitted(f(r.userErrors,E)):r?.company&&(x.reset(),t({step:`shops`,companyId:r.company.id,companyName:r.company.legalName}))}let j=(e,t=!0,r=`text`)=>(0,m.jsx)(M,{name:e,label:n(`onboarding.fields.${e}`),values:b,errors:S,onChange:D,onBlur:x.touch,required:t,type:r});return(0,m.jsxs)(`form`,{onSubmit:e=>void k(e),noValidate:!0,"aria-label":n(`onboarding.step.company`),children:[(0,m.jsx)(M,{name:`siren`,label:n(`onboarding.fields.siren`),values:b,errors:S,onChange:D,onBlur:x.touch,children:T&&(0,m.jsxs)(`p`,{className:`notice`,role:`status`,children:[n(`onboarding.exists`),` `,(0,m.jsx)(i,{to:u.company(T.id),children:T.legalName})]})}),j(`legalName`),j(`tradeName`,!1),j(`legalForm`),j(`mcc`),j(`address.line1`),j(`address.postalCode`),j(`address.city`),j(`contactName`),j(`contactEmail`,!0,`email`),j(`contactPhone`,!0,`tel`),j(`iban`,!1),j(`bic`,!1),S[``]&&(0,m.jsx)(`p`,{role:`alert`,children:S[``]}),(0,m.jsx)(`button`,{type:`submit`,disabled:_,children:n(`onboarding.createCompany`)})]})}function P({draft:e,update:t}){let{t:n}=r(),i=l(),{can:o}=a(),[{fetching:s},u]=c(_),p=e.shop,h=e.companyId,g=d(p,h&&o(`validateShop`)?async e=>{let t=await i.query(y,{input:k(e,h)},{requestPolicy:`network-only`}).toPromise();return A(e,D,t,t.data?.validateShop)}:null),v=g.errors,b=(e,n)=>{g.touch(e),t({shop:{...p,[e]:n}})};async function x(n){if(n.preventDefault(),!h)return;let r=await u({input:k(p,h)}),i=r.data?.createShop;if(r.error)g.submitted({"":r.error.message});else if(i?.userErrors.length)g.submitted(f(i.userErrors,D));else if(i?.shop){g.reset();let{id:n,name:r,siret:a}=i.shop;t({shops:[...e.shops,{id:n,name:r,siret:a}],shop:{}})}}let S=(e,t=!0)=>(0,m.jsx)(M,{name:e,label:n(`onboarding.fields.${e}`),values:p,errors:v,onChange:b,onBlur:g.touch,required:t});return(0,m.jsxs)(`div`,{children:[(0,m.jsx)(`p`,{children:n(`onboarding.shopsOf`,{company:e.companyName})}),e.shops.length>0&&(0,m.jsx)(`ul`,{className:`added`,"aria-label":n(`company.shops`),children:e.shops.map(e=>(0,m.jsxs)(`li`,{children:[e.name,` — `,e.siret]},e.id))}),(0,m.jsxs)(`form`,{onSubmit:e=>void x(e),noValidate:!0,"aria-label":n(`onboarding.step.shops`),children:[S(`name`),S(`siret`),S(`address.line1`),S(`address.postalCode`),S(`address.city`),S(`mcc`,!1),v[``]&&(0,m.jsx)(`p`,{role:`alert`,children:v[``]}),(0,m.jsx)(`button`,{type:`submit`,disabled:s,children:n(`onboarding.addShop`)})]}),(0,m.jsx)(`button`,{type:`button`,className:`primary`,disabled:e.shops.length===0,onClick:()=>t({step:`evaluation`}),children:n(`onboarding.next`)})]})}function F({draft:e,update:t}){let{t:n}=r(),[i,a]=(0,p.useState)(null),[{fetching:o},s]=c(b);async function l(n){if(n.preventDefault(),!e.companyId)return;let r=await s({input:{companyId:e.companyId,comment:e.comment||null}}),i=r.data?.requestEvaluation;r.error?a(r.error.message):i?.userErrors.length?a(i.userErrors.map(e=>e.message).join(` `)):i?.request&&t({step:`done`,reference:i.request.reference})}return(0,m.jsxs)(`form`,{onSubmit:e=>void l(e),"aria-label":n(`onboarding.step.evaluation`),children:[(0,m.jsx)(`p`,{children:n(`onboarding.evaluationOf`,{company:e.companyName,count:e.shops.length})}),(0,m.jsxs)(`label`,{className:`field`,children:[n(`onboarding.comment`),(0,m.jsx)(`textarea`,{value:e.comment,onChange:e=>t({comment:e.target.value}),rows:3})]}),i&&(0,m.jsx)(`p`,{role:`alert`,children:i}),(0,m.jsx)(`button`,{type:`submit`,className:`primary`,disabled:o,children:n(`onboarding.askEvaluation`)})]})}export{E as COMPANY_FIELDS,j as Onboarding,D as SHOP_FIELDS,O as companyInput,f as errorsByField,C as loadDraft,k as shopInput};