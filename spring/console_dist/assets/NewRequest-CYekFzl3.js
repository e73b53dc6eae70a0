import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{F as r,_ as i,b as a,c as ee,d as o,f as s,h as c,m as l,r as u,v as d}from"./console-DiEqahXQ.js";var f=e(t(),1),p=n(),m=s(`
  query CompanyChoices($text: String, $id: ID!, $withId: Boolean!) {
    companies(filter: { text: $text }, first: 8) {
      edges {
        node {
          id
          legalName
          siren
        }
      }
    }
    node(id: $id) @include(if: $withId) {
      __typename
      ... on Company {
        id
        legalName
        siren
      }
    }
  }
`),h=s(`
  query CompanyContracts($id: ID!) {
    node(id: $id) {
      __typename
      ... on Company {
        id
        contracts(first: 25) {
          edges {
            node {
              id
              number
              status
            }
          }
        }
      }
    }
  }
`),g=s(`
  query RequestColleagues {
    colleagues {
      id
      fullName
      role
    }
  }
`),_=s(`
  mutation OpenRequest($input: CreateRequestInput!) {
    createRequest(input: $input) {
      request {
        id
        reference
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),v=[`SUPPORT`,`TERMINATION`],y=[`TERMINATION`],b=[`SIGNED`,`ACTIVE`,`SUSPENDED`];function x(){let{t:e}=r(),{me:t,can:n}=o(),s=d(),[x]=a(),S=(0,f.useId)(),C=v.filter(e=>t.permissions?.requestTypes.includes(e)),[w,T]=(0,f.useState)(C[0]??`SUPPORT`),[E,D]=(0,f.useState)(x.get(`company`)??``),[O,k]=(0,f.useState)(``),[A,j]=(0,f.useState)(``),[M,N]=(0,f.useState)(x.get(`subject`)??``),[P,F]=(0,f.useState)(``),[I,L]=(0,f.useState)(``),[R,z]=(0,f.useState)([]),[B,V]=(0,f.useState)(!1),[{data:H}]=c({query:m,variables:{text:O.trim()||null,id:E||`-`,withId:!!E}}),[{data:U}]=c({query:h,variables:{id:E},pause:!E}),[{data:W}]=c({query:g,pause:!n(`colleagues`)}),[,G]=l(_),K=H?.node?.__typename===`Company`?H.node:null,q=((U?.node?.__typename===`Company`?U.node:null)?.contracts.edges??[]).map(e=>e.node).filter(e=>b.includes(e.status)),J=(W?.colleagues??[]).filter(e=>e.id!==t.id),Y=e=>R.filter(t=>t.field?.[t.field.length-1]===e),X=R.filter(e=>![`companyId`,`contractId`,`subject`,`description`,`assigneeId`,`type`].includes(e.field?.[e.field.length-1]??``));if(!C.length)return(0,p.jsx)(`p`,{role:`alert`,children:e(`newRequest.none`)});let Z=async t=>{t.preventDefault(),V(!0);let n=await G({input:{type:w,companyId:E,subject:M,description:P||null,contractId:A||null,assigneeId:I||null}});V(!1);let r=n.data?.createRequest,i=n.error?[{message:ee(n.error,e)}]:r?.userErrors??[];z(i),!i.length&&r?.request&&s(u.request(r.request.id))},Q=e=>{let t=Y(e);return t.length?(0,p.jsx)(`span`,{id:`${S}-${e}-error`,className:`field-error`,children:t.map(e=>e.message).join(` `)}):null},$=e=>Y(e).length?{"aria-invalid":!0,"aria-describedby":`${S}-${e}-error`}:{};return(0,p.jsxs)(`section`,{className:`new-request`,children:[(0,p.jsx)(`h1`,{children:e(`newRequest.title`)}),(0,p.jsxs)(`p`,{children:[(0,p.jsx)(i,{to:u.requests,children:e(`requests.title`)}),n(`changeContractFees`)||t.permissions?.requestTypes.includes(`FEE_CHANGE`)?(0,p.jsxs)(p.Fragment,{children:[` · `,(0,p.jsx)(i,{to:u.fees,children:e(`newRequest.feesThere`)})]}):null]}),(0,p.jsxs)(`form`,{className:`request-form`,onSubmit:Z,"aria-label":e(`newRequest.title`),children:[(0,p.jsxs)(`fieldset`,{className:`choice`,children:[(0,p.jsx)(`legend`,{children:e(`columns.requestType`)}),C.map(t=>(0,p.jsxs)(`label`,{children:[(0,p.jsx)(`input`,{type:`radio`,name:`${S}-type`,checked:w===t,onChange:()=>T(t)}),` `,e(`requestType.${t}`)]},t))]}),Q(`type`),(0,p.jsxs)(`div`,{className:`field`,children:[(0,p.jsx)(`label`,{htmlFor:`${S}-find`,children:e(`newRequest.findCompany`)}),(0,p.jsx)(`input`,{id:`${S}-find`,type:`search`,value:O,onChange:e=>k(e.target.value)})]}),(0,p.jsxs)(`div`,{className:`field`,children:[(0,p.jsx)(`label`,{htmlFor:`${S}-company`,children:e(`columns.company`)}),(0,p.jsxs)(`select`,{id:`${S}-company`,value:E,required:!0,onChange:e=>{D(e.target.value),j(``)},...$(`companyId`),children:[(0,p.jsx)(`option`,{value:``,children:e(`newRequest.chooseCompany`)}),[...K?[K]:[],...(H?.companies?.edges??[]).map(e=>e.node)].filter((e,t,n)=>n.findIndex(t=>t.id===e.id)===t).map(e=>(0,p.jsxs)(`option`,{value:e.id,children:[e.legalName,` · `,e.siren]},e.id))]}),Q(`companyId`)]}),(0,p.jsxs)(`div`,{className:`field`,children:[(0,p.jsxs)(`label`,{htmlFor:`${S}-contract`,children:[e(`columns.contract`),` `,y.includes(w)?``:e(`newRequest.optional`)]}),(0,p.jsxs)(`select`,{id:`${S}-contract`,value:A,onChange:e=>j(e.target.value),...$(`contractId`),children:[(0,p.jsx)(`option`,{value:``,children:e(E?`newRequest.noContract`:`newRequest.companyFirst`)}),q.map(t=>(0,p.jsxs)(`option`,{value:t.id,children:[t.number,` · `,e(`status.${t.status}`,{defaultValue:t.status})]},t.id))]}),Q(`contractId`)]}),(0,p.jsxs)(`div`,{className:`field`,children:[(0,p.jsx)(`label`,{htmlFor:`${S}-subject`,children:e(`newRequest.subject`)}),(0,p.jsx)(`input`,{id:`${S}-subject`,value:M,onChange:e=>N(e.target.value),required:!0,...$(`subject`)}),Q(`subject`)]}),(0,p.jsxs)(`div`,{className:`field`,children:[(0,p.jsx)(`label`,{htmlFor:`${S}-description`,children:e(`newRequest.description`)}),(0,p.jsx)(`textarea`,{id:`${S}-description`,rows:5,value:P,onChange:e=>F(e.target.value),...$(`description`)}),Q(`description`)]}),J.length>0&&(0,p.jsxs)(`div`,{className:`field`,children:[(0,p.jsx)(`label`,{htmlFor:`${S}-assignee`,children:e(`newRequest.assignee`)}),(0,p.jsxs)(`select`,{id:`${S}-assignee`,value:I,onChange:e=>L(e.target.value),...$(`assigneeId`),children:[(0,p.jsx)(`option`,{value:``,children:e(`newRequest.nobody`)}),J.map(t=>(0,p.jsxs)(`option`,{value:t.id,children:[t.fullName,` · `,e(`role.${t.role}`,{defaultValue:t.role})]},t.id))]}),Q(`assigneeId`)]}),X.length>0&&(0,p.jsx)(`div`,{role:`alert`,className:`field-error`,children:X.map(e=>(0,p.jsx)(`p`,{children:e.message},e.message))}),R.length>0&&X.length===0&&(0,p.jsx)(`p`,{role:`alert`,className:`visually-hidden`,children:R.map(e=>e.message).join(` `)}),(0,p.jsx)(`button`,{type:`submit`,className:`primary`,disabled:B,children:e(`newRequest.send`)})]})]})}export{x as NewRequest};