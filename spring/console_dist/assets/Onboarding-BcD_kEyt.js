import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{S as r,f as i,g as a,m as o,p as s,r as c}from"./console-s6BSWnBD.js";var l=e(t(),1),u=n(),d=i(`
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
`),f=i(`
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
`),p=i(`
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
`),m=i(`
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
`),h=`spring.onboarding`,g={step:`company`,company:{},companyId:null,companyName:``,shop:{},shops:[],comment:``,reference:null};function _(){try{let e=sessionStorage.getItem(h);return e?{...g,...JSON.parse(e)}:g}catch{return g}}function v(e){try{e?sessionStorage.setItem(h,JSON.stringify(e)):sessionStorage.removeItem(h)}catch{}}function y(e){let t={};for(let n of e){let e=(n.field??[]).filter(e=>e!==`input`).join(`.`);t[e]=t[e]?`${t[e]} ${n.message}`:n.message}return t}function b(e){return{line1:e[`address.line1`]??``,line2:e[`address.line2`]||null,postalCode:e[`address.postalCode`]??``,city:e[`address.city`]??``,country:e[`address.country`]||`FR`}}function x(){let{t:e}=r(),[t,n]=(0,l.useState)(_);(0,l.useEffect)(()=>v(t.step===`done`?null:t),[t]);let i=e=>n(t=>({...t,...e}));return(0,u.jsxs)(`section`,{className:`onboarding`,children:[(0,u.jsx)(`h1`,{children:e(`onboarding.title`)}),(0,u.jsx)(`ol`,{className:`steps`,children:[`company`,`shops`,`evaluation`].map(n=>(0,u.jsx)(`li`,{"aria-current":t.step===n?`step`:void 0,children:e(`onboarding.step.${n}`)},n))}),t.step===`company`&&(0,u.jsx)(C,{draft:t,update:i}),t.step===`shops`&&(0,u.jsx)(w,{draft:t,update:i}),t.step===`evaluation`&&(0,u.jsx)(T,{draft:t,update:i}),t.step===`done`&&(0,u.jsxs)(`div`,{role:`status`,className:`done`,children:[(0,u.jsx)(`p`,{children:e(`onboarding.done`,{reference:t.reference,company:t.companyName})}),t.companyId&&(0,u.jsx)(a,{to:c.company(t.companyId),children:t.companyName}),` `,(0,u.jsx)(`button`,{type:`button`,onClick:()=>n(g),children:e(`onboarding.another`)})]})]})}function S({name:e,label:t,values:n,errors:r,onChange:i,required:a=!0,type:o=`text`,children:s}){let c=`field-${e.replace(`.`,`-`)}`,l=r[e];return(0,u.jsxs)(`div`,{className:`field`,children:[(0,u.jsxs)(`label`,{htmlFor:c,children:[t,a&&(0,u.jsx)(`span`,{"aria-hidden":`true`,children:` *`})]}),(0,u.jsx)(`input`,{id:c,name:e,type:o,required:a,value:n[e]??``,"aria-invalid":l?!0:void 0,"aria-describedby":l?`${c}-error`:void 0,onChange:t=>i(e,t.target.value)}),l&&(0,u.jsx)(`p`,{id:`${c}-error`,className:`field-error`,children:l}),s]})}function C({draft:e,update:t}){let{t:n}=r(),[i,p]=(0,l.useState)({}),[{fetching:m},h]=s(f),g=e.company,_=(g.siren??``).replace(/\s/g,``),[{data:v}]=o({query:d,variables:{siren:_},pause:!/^\d{9}$/.test(_)}),x=v?.companies?.edges.map(e=>e.node).find(e=>e.siren===_),C=(e,n)=>t({company:{...g,[e]:n}});async function w(e){e.preventDefault();let n=await h({input:{legalName:g.legalName??``,tradeName:g.tradeName||null,siren:_,legalForm:g.legalForm??``,mcc:g.mcc??``,contactName:g.contactName??``,contactEmail:g.contactEmail??``,contactPhone:g.contactPhone??``,iban:g.iban||null,bic:g.bic||null,address:b(g)}}),r=n.data?.createCompany;n.error?p({"":n.error.message}):r?.userErrors.length?p(y(r.userErrors)):r?.company&&(p({}),t({step:`shops`,companyId:r.company.id,companyName:r.company.legalName}))}let T=(e,t=!0,r=`text`)=>(0,u.jsx)(S,{name:e,label:n(`onboarding.fields.${e}`),values:g,errors:i,onChange:C,required:t,type:r});return(0,u.jsxs)(`form`,{onSubmit:e=>void w(e),noValidate:!0,"aria-label":n(`onboarding.step.company`),children:[(0,u.jsx)(S,{name:`siren`,label:n(`onboarding.fields.siren`),values:g,errors:i,onChange:C,children:x&&(0,u.jsxs)(`p`,{className:`notice`,role:`status`,children:[n(`onboarding.exists`),` `,(0,u.jsx)(a,{to:c.company(x.id),children:x.legalName})]})}),T(`legalName`),T(`tradeName`,!1),T(`legalForm`),T(`mcc`),T(`address.line1`),T(`address.postalCode`),T(`address.city`),T(`contactName`),T(`contactEmail`,!0,`email`),T(`contactPhone`,!0,`tel`),T(`iban`,!1),T(`bic`,!1),i[``]&&(0,u.jsx)(`p`,{role:`alert`,children:i[``]}),(0,u.jsx)(`button`,{type:`submit`,disabled:m,children:n(`onboarding.createCompany`)})]})}function w({draft:e,update:t}){let{t:n}=r(),[i,a]=(0,l.useState)({}),[{fetching:o},c]=s(p),d=e.shop,f=(e,n)=>t({shop:{...d,[e]:n}});async function m(n){if(n.preventDefault(),!e.companyId)return;let r=await c({input:{companyId:e.companyId,name:d.name??``,siret:(d.siret??``).replace(/\s/g,``),mcc:d.mcc||null,address:b(d)}}),i=r.data?.createShop;if(r.error)a({"":r.error.message});else if(i?.userErrors.length)a(y(i.userErrors));else if(i?.shop){a({});let{id:n,name:r,siret:o}=i.shop;t({shops:[...e.shops,{id:n,name:r,siret:o}],shop:{}})}}let h=(e,t=!0)=>(0,u.jsx)(S,{name:e,label:n(`onboarding.fields.${e}`),values:d,errors:i,onChange:f,required:t});return(0,u.jsxs)(`div`,{children:[(0,u.jsx)(`p`,{children:n(`onboarding.shopsOf`,{company:e.companyName})}),e.shops.length>0&&(0,u.jsx)(`ul`,{className:`added`,"aria-label":n(`company.shops`),children:e.shops.map(e=>(0,u.jsxs)(`li`,{children:[e.name,` — `,e.siret]},e.id))}),(0,u.jsxs)(`form`,{onSubmit:e=>void m(e),noValidate:!0,"aria-label":n(`onboarding.step.shops`),children:[h(`name`),h(`siret`),h(`address.line1`),h(`address.postalCode`),h(`address.city`),h(`mcc`,!1),i[``]&&(0,u.jsx)(`p`,{role:`alert`,children:i[``]}),(0,u.jsx)(`button`,{type:`submit`,disabled:o,children:n(`onboarding.addShop`)})]}),(0,u.jsx)(`button`,{type:`button`,className:`primary`,disabled:e.shops.length===0,onClick:()=>t({step:`evaluation`}),children:n(`onboarding.next`)})]})}function T({draft:e,update:t}){let{t:n}=r(),[i,a]=(0,l.useState)(null),[{fetching:o},c]=s(m);async function d(n){if(n.preventDefault(),!e.companyId)return;let r=await c({input:{companyId:e.companyId,comment:e.comment||null}}),i=r.data?.requestEvaluation;r.error?a(r.error.message):i?.userErrors.length?a(i.userErrors.map(e=>e.message).join(` `)):i?.request&&t({step:`done`,reference:i.request.reference})}return(0,u.jsxs)(`form`,{onSubmit:e=>void d(e),"aria-label":n(`onboarding.step.evaluation`),children:[(0,u.jsx)(`p`,{children:n(`onboarding.evaluationOf`,{company:e.companyName,count:e.shops.length})}),(0,u.jsxs)(`label`,{className:`field`,children:[n(`onboarding.comment`),(0,u.jsx)(`textarea`,{value:e.comment,onChange:e=>t({comment:e.target.value}),rows:3})]}),i&&(0,u.jsx)(`p`,{role:`alert`,children:i}),(0,u.jsx)(`button`,{type:`submit`,className:`primary`,disabled:o,children:n(`onboarding.askEvaluation`)})]})}export{x as Onboarding,y as errorsByField,_ as loadDraft};