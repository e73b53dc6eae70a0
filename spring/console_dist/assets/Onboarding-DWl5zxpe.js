import{bt as e,gt as t,pt as n,vt as r}from"./preload-helper-Cxp912mq.js";import{_ as i,f as a,h as o,j as s,m as c,r as l}from"./console-BhUGwCLm.js";var u=r({Onboarding:()=>C,errorsByField:()=>x,loadDraft:()=>y}),d=e(t(),1),f=n(),p=a(`
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
`),m=a(`
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
`),h=a(`
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
`),g=a(`
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
`),_=`spring.onboarding`,v={step:`company`,company:{},companyId:null,companyName:``,shop:{},shops:[],comment:``,reference:null};function y(){try{let e=sessionStorage.getItem(_);return e?{...v,...JSON.parse(e)}:v}catch{return v}}function b(e){try{e?sessionStorage.setItem(_,JSON.stringify(e)):sessionStorage.removeItem(_)}catch{}}function x(e){let t={};for(let n of e){let e=(n.field??[]).filter(e=>e!==`input`).join(`.`);t[e]=t[e]?`${t[e]} ${n.message}`:n.message}return t}function S(e){return{line1:e[`address.line1`]??``,line2:e[`address.line2`]||null,postalCode:e[`address.postalCode`]??``,city:e[`address.city`]??``,country:e[`address.country`]||`FR`}}function C(){let{t:e}=s(),[t,n]=(0,d.useState)(y);(0,d.useEffect)(()=>b(t.step===`done`?null:t),[t]);let r=e=>n(t=>({...t,...e}));return(0,f.jsxs)(`section`,{className:`onboarding`,children:[(0,f.jsx)(`h1`,{children:e(`onboarding.title`)}),(0,f.jsx)(`ol`,{className:`steps`,children:[`company`,`shops`,`evaluation`].map(n=>(0,f.jsx)(`li`,{"aria-current":t.step===n?`step`:void 0,children:e(`onboarding.step.${n}`)},n))}),t.step===`company`&&(0,f.jsx)(T,{draft:t,update:r}),t.step===`shops`&&(0,f.jsx)(E,{draft:t,update:r}),t.step===`evaluation`&&(0,f.jsx)(D,{draft:t,update:r}),t.step===`done`&&(0,f.jsxs)(`div`,{role:`status`,className:`done`,children:[(0,f.jsx)(`p`,{children:e(`onboarding.done`,{reference:t.reference,company:t.companyName})}),t.companyId&&(0,f.jsx)(i,{to:l.company(t.companyId),children:t.companyName}),` `,(0,f.jsx)(`button`,{type:`button`,onClick:()=>n(v),children:e(`onboarding.another`)})]})]})}function w({name:e,label:t,values:n,errors:r,onChange:i,required:a=!0,type:o=`text`,children:s}){let c=`field-${e.replace(`.`,`-`)}`,l=r[e];return(0,f.jsxs)(`div`,{className:`field`,children:[(0,f.jsxs)(`label`,{htmlFor:c,children:[t,a&&(0,f.jsx)(`span`,{"aria-hidden":`true`,children:` *`})]}),(0,f.jsx)(`input`,{id:c,name:e,type:o,required:a,value:n[e]??``,"aria-invalid":l?!0:void 0,"aria-describedby":l?`${c}-error`:void 0,onChange:t=>i(e,t.target.value)}),l&&(0,f.jsx)(`p`,{id:`${c}-error`,className:`field-error`,children:l}),s]})}function T({draft:e,update:t}){let{t:n}=s(),[r,a]=(0,d.useState)({}),[{fetching:u},h]=c(m),g=e.company,_=(g.siren??``).replace(/\s/g,``),[{data:v}]=o({query:p,variables:{siren:_},pause:!/^\d{9}$/.test(_)}),y=v?.companies?.edges.map(e=>e.node).find(e=>e.siren===_),b=(e,n)=>t({company:{...g,[e]:n}});async function C(e){e.preventDefault();let n=await h({input:{legalName:g.legalName??``,tradeName:g.tradeName||null,siren:_,legalForm:g.legalForm??``,mcc:g.mcc??``,contactName:g.contactName??``,contactEmail:g.contactEmail??``,contactPhone:g.contactPhone??``,iban:g.iban||null,bic:g.bic||null,address:S(g)}}),r=n.data?.createCompany;n.error?a({"":n.error.message}):r?.userErrors.length?a(x(r.userErrors)):r?.company&&(a({}),t({step:`shops`,companyId:r.company.id,companyName:r.company.legalName}))}let T=(e,t=!0,i=`text`)=>(0,f.jsx)(w,{name:e,label:n(`onboarding.fields.${e}`),values:g,errors:r,onChange:b,required:t,type:i});return(0,f.jsxs)(`form`,{onSubmit:e=>void C(e),noValidate:!0,"aria-label":n(`onboarding.step.company`),children:[(0,f.jsx)(w,{name:`siren`,label:n(`onboarding.fields.siren`),values:g,errors:r,onChange:b,children:y&&(0,f.jsxs)(`p`,{className:`notice`,role:`status`,children:[n(`onboarding.exists`),` `,(0,f.jsx)(i,{to:l.company(y.id),children:y.legalName})]})}),T(`legalName`),T(`tradeName`,!1),T(`legalForm`),T(`mcc`),T(`address.line1`),T(`address.postalCode`),T(`address.city`),T(`contactName`),T(`contactEmail`,!0,`email`),T(`contactPhone`,!0,`tel`),T(`iban`,!1),T(`bic`,!1),r[``]&&(0,f.jsx)(`p`,{role:`alert`,children:r[``]}),(0,f.jsx)(`button`,{type:`submit`,disabled:u,children:n(`onboarding.createCompany`)})]})}function E({draft:e,update:t}){let{t:n}=s(),[r,i]=(0,d.useState)({}),[{fetching:a},o]=c(h),l=e.shop,u=(e,n)=>t({shop:{...l,[e]:n}});async function p(n){if(n.preventDefault(),!e.companyId)return;let r=await o({input:{companyId:e.companyId,name:l.name??``,siret:(l.siret??``).replace(/\s/g,``),mcc:l.mcc||null,address:S(l)}}),a=r.data?.createShop;if(r.error)i({"":r.error.message});else if(a?.userErrors.length)i(x(a.userErrors));else if(a?.shop){i({});let{id:n,name:r,siret:o}=a.shop;t({shops:[...e.shops,{id:n,name:r,siret:o}],shop:{}})}}let m=(e,t=!0)=>(0,f.jsx)(w,{name:e,label:n(`onboarding.fields.${e}`),values:l,errors:r,onChange:u,required:t});return(0,f.jsxs)(`div`,{children:[(0,f.jsx)(`p`,{children:n(`onboarding.shopsOf`,{company:e.companyName})}),e.shops.length>0&&(0,f.jsx)(`ul`,{className:`added`,"aria-label":n(`company.shops`),children:e.shops.map(e=>(0,f.jsxs)(`li`,{children:[e.name,` — `,e.siret]},e.id))}),(0,f.jsxs)(`form`,{onSubmit:e=>void p(e),noValidate:!0,"aria-label":n(`onboarding.step.shops`),children:[m(`name`),m(`siret`),m(`address.line1`),m(`address.postalCode`),m(`address.city`),m(`mcc`,!1),r[``]&&(0,f.jsx)(`p`,{role:`alert`,children:r[``]}),(0,f.jsx)(`button`,{type:`submit`,disabled:a,children:n(`onboarding.addShop`)})]}),(0,f.jsx)(`button`,{type:`button`,className:`primary`,disabled:e.shops.length===0,onClick:()=>t({step:`evaluation`}),children:n(`onboarding.next`)})]})}function D({draft:e,update:t}){let{t:n}=s(),[r,i]=(0,d.useState)(null),[{fetching:a},o]=c(g);async function l(n){if(n.preventDefault(),!e.companyId)return;let r=await o({input:{companyId:e.companyId,comment:e.comment||null}}),a=r.data?.requestEvaluation;r.error?i(r.error.message):a?.userErrors.length?i(a.userErrors.map(e=>e.message).join(` `)):a?.request&&t({step:`done`,reference:a.request.reference})}return(0,f.jsxs)(`form`,{onSubmit:e=>void l(e),"aria-label":n(`onboarding.step.evaluation`),children:[(0,f.jsx)(`p`,{children:n(`onboarding.evaluationOf`,{company:e.companyName,count:e.shops.length})}),(0,f.jsxs)(`label`,{className:`field`,children:[n(`onboarding.comment`),(0,f.jsx)(`textarea`,{value:e.comment,onChange:e=>t({comment:e.target.value}),rows:3})]}),r&&(0,f.jsx)(`p`,{role:`alert`,children:r}),(0,f.jsx)(`button`,{type:`submit`,className:`primary`,disabled:a,children:n(`onboarding.askEvaluation`)})]})}export{x as n,u as t};