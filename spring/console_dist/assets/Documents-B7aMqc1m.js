import{bt as e,ct as t,d as n,gt as r,pt as i,s as a}from"./preload-helper-Cxp912mq.js";import{F as o,a as s,d as c,f as l,h as u,o as d,p as f,s as p,u as m,w as h}from"./console-DiEqahXQ.js";import{t as g}from"./download-HJXJEkop.js";import{n as _}from"./Facts-Ixw6RFUu.js";n();var v=e(r(),1),y=i();l(`
  fragment DocumentListed on Document {
    id
    kind
    filename
    sizeBytes
    createdAt
    url
    addedBy {
      id
      fullName
    }
  }
`);var b=l(`
  query CompanyDocuments($id: ID!) {
    node(id: $id) {
      __typename
      ... on Company {
        id
        documents {
          ...DocumentListed
        }
      }
    }
    me {
      id
      tenant {
        id
        evaluationDocumentKinds
      }
    }
  }
`),x=l(`
  query ContractDocuments($id: ID!) {
    node(id: $id) {
      __typename
      ... on Contract {
        id
        documents {
          ...DocumentListed
        }
      }
    }
  }
`),S=l(`
  mutation UploadCompanyDocument($input: UploadCompanyDocumentInput!) {
    uploadCompanyDocument(input: $input) {
      document {
        id
        kind
        filename
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),C=[`KBIS`,`IDENTITY`,`BANK_DETAILS`,`OTHER`],w=[`CONTRACT`,`SIGNED_CONTRACT`,`AMENDMENT`,`LOGO`];function T(e,t){let n=t.startsWith(`fr`)?[`o`,`Ko`,`Mo`]:[`B`,`KB`,`MB`];return e<1024?`${e} ${n[0]}`:e<1048576?`${Math.ceil(e/1024)} ${n[1]}`:`${(e/1048576).toLocaleString(t,{maximumFractionDigits:1})} ${n[2]}`}function E(e,t){let n=new Set(t.map(e=>e.kind));return e.filter(e=>!n.has(e))}async function D(e,n,r){let i=()=>{let i=new FormData;return i.append(`operations`,JSON.stringify({query:t(S),variables:{input:{companyId:e,kind:n,file:null}}})),i.append(`map`,JSON.stringify({0:[`variables.input.file`]})),i.append(`0`,r,r.name),fetch(`/graphql`,{method:`POST`,body:i,headers:m(),credentials:`omit`})},o=await i(),s=await o.json().catch(()=>null);if(s?.errors?.[0]?.extensions?.code===`UNAUTHENTICATED`&&await a()&&(o=await i(),s=await o.json().catch(()=>null)),s?.errors?.length)throw Error(s.errors[0].message);if(!s?.data)throw Error(s?.error??String(o.status));return s.data}function O({documents:e,caption:t,fresh:n,testId:r}){let{t:i,i18n:a}=o(),[c,l]=(0,v.useState)(null),u=async e=>{l(null);try{let t=(await n()).find(t=>t.id===e.id)??e,r=await g(t.url,t.filename);r&&l(i(`documents.downloadRefused`,{message:r}))}catch{l(i(`errors.network`))}},d=[{id:`kind`,header:i(`documents.kind`),cell:({row:e})=>i(`documentKind.${e.original.kind}`)},{id:`filename`,header:i(`documents.file`),cell:({row:e})=>(0,y.jsx)(`button`,{type:`button`,className:`link`,onClick:()=>void u(e.original),"aria-label":i(`documents.download`,{name:e.original.filename}),children:e.original.filename})},{id:`size`,header:i(`documents.size`),cell:({row:e})=>T(e.original.sizeBytes,a.language)},{id:`addedBy`,header:i(`documents.addedBy`),cell:({row:e})=>e.original.addedBy?.fullName??i(`documents.bySpring`)},{id:`at`,header:i(`documents.at`),cell:({row:e})=>h(e.original.createdAt,a.language)}];return(0,y.jsxs)(y.Fragment,{children:[(0,y.jsx)(s,{columns:d,data:e,caption:t,empty:i(`documents.none`),testId:r}),c&&(0,y.jsx)(`p`,{className:`field-error`,role:`alert`,children:c})]})}function k({companyId:e,evaluation:t=!1}){let{t:n}=o(),{can:r,reads:i}=c(),a=f(),s=i(`Company.documents`),[{data:l,error:m,fetching:h},g]=u({query:b,variables:{id:e},pause:!s});if(!s)return null;let v=n(`documents.title`);if(m&&!l)return(0,y.jsx)(d,{error:m,retry:()=>g({requestPolicy:`network-only`})});if(h&&!l)return(0,y.jsx)(p,{});let x=l?.node,S=(x?.__typename===`Company`?x.documents??[]:[]).filter(e=>!w.includes(e.kind)),C=l?.me?.tenant?.evaluationDocumentKinds??[],T=E(C,S);return(0,y.jsxs)(_,{title:v,count:S.length,children:[t&&C.length>0&&(0,y.jsx)(`ul`,{className:`checklist`,"data-testid":`required-documents`,"aria-label":n(`documents.required`),children:C.map(e=>{let t=!T.includes(e);return(0,y.jsxs)(`li`,{className:t?`present`:`missing`,"data-kind":e,children:[(0,y.jsx)(`span`,{"aria-hidden":`true`,children:t?`✓`:`✗`}),` `,n(`documentKind.${e}`),` —`,` `,n(t?`documents.present`:`documents.missing`)]},e)})}),t&&C.length>0&&(0,y.jsx)(`p`,{role:`status`,className:T.length?`notice`:`done`,children:T.length?n(`documents.stillMissing`,{kinds:T.map(e=>n(`documentKind.${e}`)).join(`, `)}):n(`documents.allThere`)}),(0,y.jsx)(O,{documents:S,caption:v,fresh:async()=>{let t=(await a.query(b,{id:e},{requestPolicy:`network-only`}).toPromise()).data?.node;return t?.__typename===`Company`?(t.documents??[]).filter(e=>!w.includes(e.kind)):[]},testId:`company-documents`}),r(`uploadCompanyDocument`)&&(0,y.jsx)(A,{companyId:e,suggested:T[0],onDone:()=>g({requestPolicy:`network-only`})})]})}function A({companyId:e,suggested:t,onDone:n}){let{t:r}=o(),i=(0,v.useId)(),a=(0,v.useRef)(null),[s,c]=(0,v.useState)(``),[l,u]=(0,v.useState)(!1),[d,f]=(0,v.useState)(null),[p,m]=(0,v.useState)(null),h=s||t||`KBIS`,g=async t=>{t.preventDefault();let i=a.current?.files?.[0];if(m(null),!i)f(r(`documents.chooseFile`));else{u(!0);try{let t=(await D(e,h,i)).uploadCompanyDocument?.userErrors??[];if(t.length){f(t.map(e=>e.message).join(` `));return}f(null),m(r(`documents.uploaded`,{name:i.name,kind:r(`documentKind.${h}`)})),c(``),a.current&&(a.current.value=``),n()}catch(e){f(e instanceof TypeError?r(`errors.network`):r(`errors.generic`,{message:e.message}))}finally{u(!1)}}};return(0,y.jsxs)(`form`,{className:`upload-document`,onSubmit:e=>void g(e),"aria-label":r(`documents.add`),children:[(0,y.jsxs)(`div`,{className:`field`,children:[(0,y.jsx)(`label`,{htmlFor:`${i}-kind`,children:r(`documents.kind`)}),(0,y.jsx)(`select`,{id:`${i}-kind`,value:h,onChange:e=>c(e.target.value),children:C.map(e=>(0,y.jsx)(`option`,{value:e,children:r(`documentKind.${e}`)},e))})]}),(0,y.jsxs)(`div`,{className:`field`,children:[(0,y.jsx)(`label`,{htmlFor:`${i}-file`,children:r(`documents.fileHint`)}),(0,y.jsx)(`input`,{id:`${i}-file`,ref:a,type:`file`,accept:`application/pdf,image/jpeg,image/png`,"aria-invalid":d?!0:void 0,"aria-describedby":d?`${i}-error`:void 0,onChange:()=>f(null)}),d&&(0,y.jsx)(`p`,{className:`field-error`,id:`${i}-error`,role:`alert`,children:d})]}),(0,y.jsx)(`button`,{type:`submit`,disabled:l,children:r(`documents.add`)}),p&&(0,y.jsx)(`p`,{role:`status`,className:`done`,children:p})]})}function j({contractId:e,number:t}){let{t:n}=o(),{reads:r}=c(),i=f(),a=r(`Contract.documents`),[{data:s,error:l,fetching:m},h]=u({query:x,variables:{id:e},pause:!a,requestPolicy:`cache-and-network`});if(!a)return null;if(l&&!s)return(0,y.jsx)(d,{error:l,retry:()=>h({requestPolicy:`network-only`})});if(m&&!s)return(0,y.jsx)(p,{});let g=s?.node,_=g?.__typename===`Contract`?g.documents??[]:[],v=async()=>{let t=(await i.query(x,{id:e},{requestPolicy:`network-only`}).toPromise()).data?.node;return t?.__typename===`Contract`?t.documents??[]:[]},b=n(`documents.ofContract`,{number:t});return(0,y.jsxs)(`div`,{className:`contract-documents`,"data-testid":`contract-documents-${t}`,children:[(0,y.jsx)(`h3`,{children:b}),(0,y.jsx)(O,{documents:_,caption:b,fresh:v,testId:`contract-documents-table-${t}`})]})}export{j as n,k as t};