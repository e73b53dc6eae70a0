import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{_ as r,b as i,d as a,f as o,h as s,i as c,j as l,m as u,o as d,r as f,s as p,v as m}from"./console-BhUGwCLm.js";import{n as h,t as g}from"./Facts-Ixw6RFUu.js";import{n as _}from"./Onboarding-DWl5zxpe.js";var v=e(t(),1),y=n(),b=o(`
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
`),x=o(`
  query Colleagues {
    colleagues {
      id
      fullName
      role
    }
  }
`),S=o(`
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
`),C=o(`
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
`),w=o(`
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
`),T=o(`
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
`),E=o(`
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
`),D=o(`
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
`),O=o(`
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
`),k=o(`
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
`),A=[`OPEN`,`IN_REVIEW`];function j(){let{id:e=``}=m(),{t,i18n:n}=l(),{can:o,me:u}=a(),[{data:_,error:v,fetching:x},S]=s({query:b,variables:{id:e}});if(v&&!_)return(0,y.jsx)(d,{error:v,retry:()=>S({requestPolicy:`network-only`})});if(x&&!_)return(0,y.jsx)(p,{});let w=_?.node;if(!w||w.__typename!==`Request`)return(0,y.jsx)(`p`,{role:`alert`,children:t(`request.notFound`)});let k=w,j=A.includes(k.status),F=k.assignee?.id===u.id,I=k.type!==`SUPPORT`;return(0,y.jsxs)(`article`,{className:`request`,children:[(0,y.jsxs)(`header`,{className:`company-header`,children:[(0,y.jsx)(`h1`,{children:t(`request.title`,{reference:k.reference})}),(0,y.jsx)(c,{status:k.status}),k.overdue&&(0,y.jsx)(`span`,{className:`badge badge-overdue`,children:t(`requests.overdue`)})]}),(0,y.jsxs)(`dl`,{className:`facts`,children:[(0,y.jsx)(g,{label:t(`columns.requestType`),children:t(`requestType.${k.type}`)}),(0,y.jsx)(g,{label:t(`columns.subject`),children:k.subject}),(0,y.jsx)(g,{label:t(`columns.company`),children:k.company?(0,y.jsx)(r,{to:f.company(k.company.id),children:k.company.legalName}):`—`}),k.contract&&(0,y.jsx)(g,{label:t(`columns.contract`),children:k.contract.number}),(0,y.jsx)(g,{label:t(`request.author`),children:k.author?.fullName??`—`}),(0,y.jsx)(g,{label:t(`requests.assignee`),children:k.assignee?.fullName??`—`}),(0,y.jsx)(g,{label:t(`columns.createdAt`),children:i(k.createdAt,n.language)}),(0,y.jsx)(g,{label:t(`requests.due`),children:i(k.dueAt,n.language)}),k.decidedAt&&(0,y.jsxs)(g,{label:t(`request.decided`),children:[i(k.decidedAt,n.language),` · `,k.decidedBy?.fullName??`—`,k.decisionComment?` · ${k.decisionComment}`:``]}),k.description&&(0,y.jsx)(g,{label:t(`request.description`),children:k.description})]}),j&&(0,y.jsx)(h,{title:t(`request.moves`),children:(0,y.jsxs)(`div`,{className:`moves`,"data-testid":`moves`,children:[o(`takeRequest`)&&!F&&(0,y.jsx)(M,{name:`take`,document:C,field:`takeRequest`,input:()=>({requestId:k.id,expectedVersion:k.version}),label:t(`request.take`)}),o(`assignRequest`)&&o(`colleagues`)&&(0,y.jsx)(N,{request:k}),o(`approveRequest`)&&I&&(0,y.jsx)(M,{name:`approve`,document:T,field:`approveRequest`,text:{key:`comment`,label:t(`request.approveComment`),required:!1},input:e=>({requestId:k.id,comment:e||null,expectedVersion:k.version}),label:t(`request.approve`),primary:!0}),o(`rejectRequest`)&&I&&(0,y.jsx)(M,{name:`reject`,document:E,field:`rejectRequest`,text:{key:`comment`,label:t(`request.rejectReason`),required:!0},input:e=>({requestId:k.id,comment:e,expectedVersion:k.version}),label:t(`request.reject`)}),o(`closeRequest`)&&k.type===`SUPPORT`&&F&&(0,y.jsx)(M,{name:`close`,document:D,field:`closeRequest`,text:{key:`comment`,label:t(`request.closeComment`),required:!1},input:e=>({requestId:k.id,comment:e||null,expectedVersion:k.version}),label:t(`request.close`)}),o(`cancelRequest`)&&k.author?.id===u.id&&(0,y.jsx)(M,{name:`cancel`,document:O,field:`cancelRequest`,text:{key:`reason`,label:t(`request.cancelReason`),required:!1},input:e=>({requestId:k.id,reason:e||null,expectedVersion:k.version}),label:t(`request.cancel`)})]})}),(0,y.jsxs)(h,{title:t(`request.comments`),count:k.comments.totalCount,children:[k.comments.edges.length===0?(0,y.jsx)(`p`,{className:`count`,children:t(`request.noComments`)}):(0,y.jsx)(`ol`,{className:`comments`,"data-testid":`comments`,children:k.comments.edges.map(({node:e})=>(0,y.jsxs)(`li`,{children:[(0,y.jsxs)(`p`,{className:`comment-meta`,children:[(0,y.jsx)(`strong`,{children:e.authorLabel}),` · `,(0,y.jsx)(`time`,{dateTime:e.createdAt,children:i(e.createdAt,n.language)})]}),(0,y.jsx)(`p`,{className:`comment-body`,children:e.body})]},e.id))}),o(`commentRequest`)&&(0,y.jsx)(P,{requestId:k.id,onDone:()=>S({requestPolicy:`network-only`})})]})]})}function M({name:e,document:t,field:n,input:r,label:i,text:a,primary:o,children:s}){let{t:c}=l(),[d,f]=(0,v.useState)(``),[p,m]=(0,v.useState)({}),[h,g]=u(t),b=(0,v.useId)(),x=async e=>{e.preventDefault();let t=await g({input:r(d)});if(t.error){m({"":c(`errors.generic`,{message:t.error.graphQLErrors[0]?.message??t.error.message})});return}let i=t.data?.[n],a=_(i?.userErrors??[]);m(a),Object.keys(a).length===0&&f(``)},S=a?p[a.key]:void 0,C=Object.entries(p).filter(([e])=>!a||e!==a.key).map(([,e])=>e).join(` `);return(0,y.jsxs)(`form`,{className:`move move-${e}`,onSubmit:e=>void x(e),"aria-label":i,children:[s,a&&(0,y.jsxs)(`div`,{className:`field`,children:[(0,y.jsx)(`label`,{htmlFor:`${b}-text`,children:a.label}),(0,y.jsx)(`input`,{id:`${b}-text`,value:d,required:a.required,"aria-invalid":S?!0:void 0,"aria-describedby":S?`${b}-error`:void 0,onChange:e=>f(e.target.value)}),S&&(0,y.jsx)(`p`,{className:`field-error`,id:`${b}-error`,role:`alert`,children:S})]}),(0,y.jsx)(`button`,{type:`submit`,className:o?`primary`:void 0,disabled:h.fetching,children:i}),C&&(0,y.jsx)(`p`,{className:`field-error`,role:`alert`,children:C})]})}function N({request:e}){let{t}=l(),[{data:n}]=s({query:x}),[r,i]=(0,v.useState)(``),a=(0,v.useId)(),o=(n?.colleagues??[]).filter(t=>t.id!==e.assignee?.id);return(0,y.jsx)(M,{name:`assign`,document:w,field:`assignRequest`,input:()=>({requestId:e.id,assigneeId:r,expectedVersion:e.version}),label:t(`request.assign`),children:(0,y.jsxs)(`div`,{className:`field`,children:[(0,y.jsx)(`label`,{htmlFor:`${a}-who`,children:t(`request.assignTo`)}),(0,y.jsxs)(`select`,{id:`${a}-who`,value:r,required:!0,onChange:e=>i(e.target.value),children:[(0,y.jsx)(`option`,{value:``,children:`—`}),o.map(e=>(0,y.jsxs)(`option`,{value:e.id,children:[e.fullName,` (`,t(`role.${e.role}`,{defaultValue:e.role}),`)`]},e.id))]})]})})}function P({requestId:e,onDone:t}){let{t:n}=l(),[r,i]=(0,v.useState)(``),[a,o]=(0,v.useState)(null),[s,c]=u(S),d=async a=>{a.preventDefault();let s=await c({input:{requestId:e,body:r}});if(s.error){o(n(`errors.generic`,{message:s.error.graphQLErrors[0]?.message??s.error.message}));return}let l=s.data?.commentRequest?.userErrors??[];l.length?o(l.map(e=>e.message).join(` `)):(o(null),i(``),t())};return(0,y.jsxs)(`form`,{className:`comment-form`,onSubmit:e=>void d(e),children:[(0,y.jsx)(`label`,{htmlFor:`comment-body`,children:n(`request.addComment`)}),(0,y.jsx)(`textarea`,{id:`comment-body`,rows:3,value:r,"aria-invalid":a?!0:void 0,"aria-describedby":a?`comment-body-error`:void 0,onChange:e=>i(e.target.value)}),a&&(0,y.jsx)(`p`,{className:`field-error`,id:`comment-body-error`,role:`alert`,children:a}),(0,y.jsx)(`button`,{type:`submit`,disabled:s.fetching,children:n(`request.send`)})]})}export{j as RequestDetail,k as RequestMovedFragment};