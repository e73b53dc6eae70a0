import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{N as r,S as i,_ as a,d as o,f as s,g as c,i as l,m as u,o as d,p as f,r as p,s as m}from"./console-DNfNiZnx.js";import{n as h,t as g}from"./Facts-Ixw6RFUu.js";import{n as _}from"./Onboarding-3yjQeXLL.js";var v=e(t(),1),y=n(),b=s(`
  query RequestDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Request {
        id
        reference
        type
        status
        subject
        description
        decisionComment
        decidedAt
        dueAt
        overdue
        createdAt
        updatedAt
        version
        company {
          id
          legalName
          status
        }
        contract {
          id
          number
        }
        author {
          id
          fullName
        }
        assignee {
          id
          fullName
        }
        decidedBy {
          id
          fullName
        }
        comments(first: 100) {
          totalCount
          edges {
            node {
              id
              authorLabel
              body
              createdAt
            }
          }
        }
      }
    }
  }
`),x=s(`
  query Colleagues {
    colleagues {
      id
      fullName
      role
    }
  }
`),S=s(`
  mutation CommentRequest($input: CommentRequestInput!) {
    commentRequest(input: $input) {
      request {
        id
        updatedAt
      }
      comment {
        id
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),C=s(`
  mutation TakeRequest($input: TakeRequestInput!) {
    takeRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),w=s(`
  mutation AssignRequest($input: AssignRequestInput!) {
    assignRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),T=s(`
  mutation ApproveRequest($input: ApproveRequestInput!) {
    approveRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),E=s(`
  mutation RejectRequest($input: RejectRequestInput!) {
    rejectRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),D=s(`
  mutation CloseRequest($input: CloseRequestInput!) {
    closeRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),O=s(`
  mutation CancelRequest($input: CancelRequestInput!) {
    cancelRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),k=s(`
  fragment RequestMoved on Request {
    id
    status
    version
    updatedAt
    decidedAt
    decisionComment
    assignee {
      id
      fullName
    }
    decidedBy {
      id
      fullName
    }
    company {
      id
      status
    }
  }
`),A=[`OPEN`,`IN_REVIEW`];function j(){let{id:e=``}=a(),{t,i18n:n}=r(),{can:s,me:f}=o(),[{data:_,error:v,fetching:x},S]=u({query:b,variables:{id:e}});if(v&&!_)return(0,y.jsx)(d,{error:v,retry:()=>S({requestPolicy:`network-only`})});if(x&&!_)return(0,y.jsx)(m,{});let w=_?.node;if(!w||w.__typename!==`Request`)return(0,y.jsx)(`p`,{role:`alert`,children:t(`request.notFound`)});let k=w,j=A.includes(k.status),F=k.assignee?.id===f.id,I=k.type!==`SUPPORT`;return(0,y.jsxs)(`article`,{className:`request`,children:[(0,y.jsxs)(`header`,{className:`company-header`,children:[(0,y.jsx)(`h1`,{children:t(`request.title`,{reference:k.reference})}),(0,y.jsx)(l,{status:k.status}),k.overdue&&(0,y.jsx)(`span`,{className:`badge badge-overdue`,children:t(`requests.overdue`)})]}),(0,y.jsxs)(`dl`,{className:`facts`,children:[(0,y.jsx)(g,{label:t(`columns.requestType`),children:t(`requestType.${k.type}`)}),(0,y.jsx)(g,{label:t(`columns.subject`),children:k.subject}),(0,y.jsx)(g,{label:t(`columns.company`),children:k.company?(0,y.jsx)(c,{to:p.company(k.company.id),children:k.company.legalName}):`—`}),k.contract&&(0,y.jsx)(g,{label:t(`columns.contract`),children:k.contract.number}),(0,y.jsx)(g,{label:t(`request.author`),children:k.author?.fullName??`—`}),(0,y.jsx)(g,{label:t(`requests.assignee`),children:k.assignee?.fullName??`—`}),(0,y.jsx)(g,{label:t(`columns.createdAt`),children:i(k.createdAt,n.language)}),(0,y.jsx)(g,{label:t(`requests.due`),children:i(k.dueAt,n.language)}),k.decidedAt&&(0,y.jsxs)(g,{label:t(`request.decided`),children:[i(k.decidedAt,n.language),` · `,k.decidedBy?.fullName??`—`,k.decisionComment?` · ${k.decisionComment}`:``]}),k.description&&(0,y.jsx)(g,{label:t(`request.description`),children:k.description})]}),j&&(0,y.jsx)(h,{title:t(`request.moves`),children:(0,y.jsxs)(`div`,{className:`moves`,"data-testid":`moves`,children:[s(`takeRequest`)&&!F&&(0,y.jsx)(M,{name:`take`,document:C,field:`takeRequest`,input:()=>({requestId:k.id,expectedVersion:k.version}),label:t(`request.take`)}),s(`assignRequest`)&&s(`colleagues`)&&(0,y.jsx)(N,{request:k}),s(`approveRequest`)&&I&&(0,y.jsx)(M,{name:`approve`,document:T,field:`approveRequest`,text:{key:`comment`,label:t(`request.approveComment`),required:!1},input:e=>({requestId:k.id,comment:e||null,expectedVersion:k.version}),label:t(`request.approve`),primary:!0}),s(`rejectRequest`)&&I&&(0,y.jsx)(M,{name:`reject`,document:E,field:`rejectRequest`,text:{key:`comment`,label:t(`request.rejectReason`),required:!0},input:e=>({requestId:k.id,comment:e,expectedVersion:k.version}),label:t(`request.reject`)}),s(`closeRequest`)&&k.type===`SUPPORT`&&F&&(0,y.jsx)(M,{name:`close`,document:D,field:`closeRequest`,text:{key:`comment`,label:t(`request.closeComment`),required:!1},input:e=>({requestId:k.id,comment:e||null,expectedVersion:k.version}),label:t(`request.close`)}),s(`cancelRequest`)&&k.author?.id===f.id&&(0,y.jsx)(M,{name:`cancel`,document:O,field:`cancelRequest`,text:{key:`reason`,label:t(`request.cancelReason`),required:!1},input:e=>({requestId:k.id,reason:e||null,expectedVersion:k.version}),label:t(`request.cancel`)})]})}),(0,y.jsxs)(h,{title:t(`request.comments`),count:k.comments.totalCount,children:[k.comments.edges.length===0?(0,y.jsx)(`p`,{className:`count`,children:t(`request.noComments`)}):(0,y.jsx)(`ol`,{className:`comments`,"data-testid":`comments`,children:k.comments.edges.map(({node:e})=>(0,y.jsxs)(`li`,{children:[(0,y.jsxs)(`p`,{className:`comment-meta`,children:[(0,y.jsx)(`strong`,{children:e.authorLabel}),` · `,(0,y.jsx)(`time`,{dateTime:e.createdAt,children:i(e.createdAt,n.language)})]}),(0,y.jsx)(`p`,{className:`comment-body`,children:e.body})]},e.id))}),s(`commentRequest`)&&(0,y.jsx)(P,{requestId:k.id,onDone:()=>S({requestPolicy:`network-only`})})]})]})}function M({name:e,document:t,field:n,input:i,label:a,text:o,primary:s,children:c}){let{t:l}=r(),[u,d]=(0,v.useState)(``),[p,m]=(0,v.useState)({}),[h,g]=f(t),b=(0,v.useId)(),x=async e=>{e.preventDefault();let t=await g({input:i(u)});if(t.error){m({"":l(`errors.generic`,{message:t.error.graphQLErrors[0]?.message??t.error.message})});return}let r=t.data?.[n],a=_(r?.userErrors??[]);m(a),Object.keys(a).length===0&&d(``)},S=o?p[o.key]:void 0,C=Object.entries(p).filter(([e])=>!o||e!==o.key).map(([,e])=>e).join(` `);return(0,y.jsxs)(`form`,{className:`move move-${e}`,onSubmit:e=>void x(e),"aria-label":a,children:[c,o&&(0,y.jsxs)(`div`,{className:`field`,children:[(0,y.jsx)(`label`,{htmlFor:`${b}-text`,children:o.label}),(0,y.jsx)(`input`,{id:`${b}-text`,value:u,required:o.required,"aria-invalid":S?!0:void 0,"aria-describedby":S?`${b}-error`:void 0,onChange:e=>d(e.target.value)}),S&&(0,y.jsx)(`p`,{className:`field-error`,id:`${b}-error`,role:`alert`,children:S})]}),(0,y.jsx)(`button`,{type:`submit`,className:s?`primary`:void 0,disabled:h.fetching,children:a}),C&&(0,y.jsx)(`p`,{className:`field-error`,role:`alert`,children:C})]})}function N({request:e}){let{t}=r(),[{data:n}]=u({query:x}),[i,a]=(0,v.useState)(``),o=(0,v.useId)(),s=(n?.colleagues??[]).filter(t=>t.id!==e.assignee?.id);return(0,y.jsx)(M,{name:`assign`,document:w,field:`assignRequest`,input:()=>({requestId:e.id,assigneeId:i,expectedVersion:e.version}),label:t(`request.assign`),children:(0,y.jsxs)(`div`,{className:`field`,children:[(0,y.jsx)(`label`,{htmlFor:`${o}-who`,children:t(`request.assignTo`)}),(0,y.jsxs)(`select`,{id:`${o}-who`,value:i,required:!0,onChange:e=>a(e.target.value),children:[(0,y.jsx)(`option`,{value:``,children:`—`}),s.map(e=>(0,y.jsxs)(`option`,{value:e.id,children:[e.fullName,` (`,t(`role.${e.role}`,{defaultValue:e.role}),`)`]},e.id))]})]})})}function P({requestId:e,onDone:t}){let{t:n}=r(),[i,a]=(0,v.useState)(``),[o,s]=(0,v.useState)(null),[c,l]=f(S),u=async r=>{r.preventDefault();let o=await l({input:{requestId:e,body:i}});if(o.error){s(n(`errors.generic`,{message:o.error.graphQLErrors[0]?.message??o.error.message}));return}let c=o.data?.commentRequest?.userErrors??[];c.length?s(c.map(e=>e.message).join(` `)):(s(null),a(``),t())};return(0,y.jsxs)(`form`,{className:`comment-form`,onSubmit:e=>void u(e),children:[(0,y.jsx)(`label`,{htmlFor:`comment-body`,children:n(`request.addComment`)}),(0,y.jsx)(`textarea`,{id:`comment-body`,rows:3,value:i,"aria-invalid":o?!0:void 0,"aria-describedby":o?`comment-body-error`:void 0,onChange:e=>a(e.target.value)}),o&&(0,y.jsx)(`p`,{className:`field-error`,id:`comment-body-error`,role:`alert`,children:o}),(0,y.jsx)(`button`,{type:`submit`,disabled:c.fetching,children:n(`request.send`)})]})}export{j as RequestDetail,k as RequestMovedFragment};