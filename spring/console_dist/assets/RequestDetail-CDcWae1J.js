import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{F as r,_ as i,d as a,f as o,h as s,i as c,m as l,o as u,r as d,s as f,w as p,y as m}from"./console-DiEqahXQ.js";import{t as h}from"./Documents-B7aMqc1m.js";import{n as g,t as _}from"./Facts-Ixw6RFUu.js";import{t as v}from"./liveCheck-BKEmA0yi.js";import"./Onboarding-BWakSxI9.js";var y=e(t(),1),b=n(),x=o(`
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
`),S=o(`
  query Colleagues {
    colleagues {
      id
      fullName
      role
    }
  }
`),C=o(`
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
`),w=o(`
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
`),T=o(`
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
`),E=o(`
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
`),D=o(`
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
`),O=o(`
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
`),k=o(`
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
`),A=o(`
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
`),j=[`OPEN`,`IN_REVIEW`];function M(){let{id:e=``}=m(),{t,i18n:n}=r(),{can:o,me:l}=a(),[{data:v,error:y,fetching:S},C]=s({query:x,variables:{id:e}});if(y&&!v)return(0,b.jsx)(u,{error:y,retry:()=>C({requestPolicy:`network-only`})});if(S&&!v)return(0,b.jsx)(f,{});let T=v?.node;if(!T||T.__typename!==`Request`)return(0,b.jsx)(`p`,{role:`alert`,children:t(`request.notFound`)});let A=T,M=j.includes(A.status),I=A.assignee?.id===l.id,L=A.type!==`SUPPORT`;return(0,b.jsxs)(`article`,{className:`request`,children:[(0,b.jsxs)(`header`,{className:`company-header`,children:[(0,b.jsx)(`h1`,{children:t(`request.title`,{reference:A.reference})}),(0,b.jsx)(c,{status:A.status}),A.overdue&&(0,b.jsx)(`span`,{className:`badge badge-overdue`,children:t(`requests.overdue`)})]}),(0,b.jsxs)(`dl`,{className:`facts`,children:[(0,b.jsx)(_,{label:t(`columns.requestType`),children:t(`requestType.${A.type}`)}),(0,b.jsx)(_,{label:t(`columns.subject`),children:A.subject}),(0,b.jsx)(_,{label:t(`columns.company`),children:A.company?(0,b.jsx)(i,{to:d.company(A.company.id),children:A.company.legalName}):`—`}),A.contract&&(0,b.jsx)(_,{label:t(`columns.contract`),children:A.contract.number}),(0,b.jsx)(_,{label:t(`request.author`),children:A.author?.fullName??`—`}),(0,b.jsx)(_,{label:t(`requests.assignee`),children:A.assignee?.fullName??`—`}),(0,b.jsx)(_,{label:t(`columns.createdAt`),children:p(A.createdAt,n.language)}),(0,b.jsx)(_,{label:t(`requests.due`),children:p(A.dueAt,n.language)}),A.decidedAt&&(0,b.jsxs)(_,{label:t(`request.decided`),children:[p(A.decidedAt,n.language),` · `,A.decidedBy?.fullName??`—`,A.decisionComment?` · ${A.decisionComment}`:``]}),A.description&&(0,b.jsx)(_,{label:t(`request.description`),children:A.description})]}),A.type===`EVALUATION`&&A.company&&(0,b.jsx)(h,{companyId:A.company.id,evaluation:!0}),M&&(0,b.jsx)(g,{title:t(`request.moves`),children:(0,b.jsxs)(`div`,{className:`moves`,"data-testid":`moves`,children:[o(`takeRequest`)&&!I&&(0,b.jsx)(N,{name:`take`,document:w,field:`takeRequest`,input:()=>({requestId:A.id,expectedVersion:A.version}),label:t(`request.take`)}),o(`assignRequest`)&&o(`colleagues`)&&(0,b.jsx)(P,{request:A}),o(`approveRequest`)&&L&&(0,b.jsx)(N,{name:`approve`,document:E,field:`approveRequest`,text:{key:`comment`,label:t(`request.approveComment`),required:!1},input:e=>({requestId:A.id,comment:e||null,expectedVersion:A.version}),label:t(`request.approve`),primary:!0}),o(`rejectRequest`)&&L&&(0,b.jsx)(N,{name:`reject`,document:D,field:`rejectRequest`,text:{key:`comment`,label:t(`request.rejectReason`),required:!0},input:e=>({requestId:A.id,comment:e,expectedVersion:A.version}),label:t(`request.reject`)}),o(`closeRequest`)&&A.type===`SUPPORT`&&I&&(0,b.jsx)(N,{name:`close`,document:O,field:`closeRequest`,text:{key:`comment`,label:t(`request.closeComment`),required:!1},input:e=>({requestId:A.id,comment:e||null,expectedVersion:A.version}),label:t(`request.close`)}),o(`cancelRequest`)&&A.author?.id===l.id&&(0,b.jsx)(N,{name:`cancel`,document:k,field:`cancelRequest`,text:{key:`reason`,label:t(`request.cancelReason`),required:!1},input:e=>({requestId:A.id,reason:e||null,expectedVersion:A.version}),label:t(`request.cancel`)})]})}),(0,b.jsxs)(g,{title:t(`request.comments`),count:A.comments.totalCount,children:[A.comments.edges.length===0?(0,b.jsx)(`p`,{className:`count`,children:t(`request.noComments`)}):(0,b.jsx)(`ol`,{className:`comments`,"data-testid":`comments`,children:A.comments.edges.map(({node:e})=>(0,b.jsxs)(`li`,{children:[(0,b.jsxs)(`p`,{className:`comment-meta`,children:[(0,b.jsx)(`strong`,{children:e.authorLabel}),` · `,(0,b.jsx)(`time`,{dateTime:e.createdAt,children:p(e.createdAt,n.language)})]}),(0,b.jsx)(`p`,{className:`comment-body`,children:e.body})]},e.id))}),o(`commentRequest`)&&(0,b.jsx)(F,{requestId:A.id,onDone:()=>C({requestPolicy:`network-only`})})]})]})}function N({name:e,document:t,field:n,input:i,label:a,text:o,primary:s,children:c}){let{t:u}=r(),[d,f]=(0,y.useState)(``),[p,m]=(0,y.useState)({}),[h,g]=l(t),_=(0,y.useId)(),x=async e=>{e.preventDefault();let t=await g({input:i(d)});if(t.error){m({"":u(`errors.generic`,{message:t.error.graphQLErrors[0]?.message??t.error.message})});return}let r=t.data?.[n],a=v(r?.userErrors??[]);m(a),Object.keys(a).length===0&&f(``)},S=o?p[o.key]:void 0,C=Object.entries(p).filter(([e])=>!o||e!==o.key).map(([,e])=>e).join(` `);return(0,b.jsxs)(`form`,{className:`move move-${e}`,onSubmit:e=>void x(e),"aria-label":a,children:[c,o&&(0,b.jsxs)(`div`,{className:`field`,children:[(0,b.jsx)(`label`,{htmlFor:`${_}-text`,children:o.label}),(0,b.jsx)(`input`,{id:`${_}-text`,value:d,required:o.required,"aria-invalid":S?!0:void 0,"aria-describedby":S?`${_}-error`:void 0,onChange:e=>f(e.target.value)}),S&&(0,b.jsx)(`p`,{className:`field-error`,id:`${_}-error`,role:`alert`,children:S})]}),(0,b.jsx)(`button`,{type:`submit`,className:s?`primary`:void 0,disabled:h.fetching,children:a}),C&&(0,b.jsx)(`p`,{className:`field-error`,role:`alert`,children:C})]})}function P({request:e}){let{t}=r(),[{data:n}]=s({query:S}),[i,a]=(0,y.useState)(``),o=(0,y.useId)(),c=(n?.colleagues??[]).filter(t=>t.id!==e.assignee?.id);return(0,b.jsx)(N,{name:`assign`,document:T,field:`assignRequest`,input:()=>({requestId:e.id,assigneeId:i,expectedVersion:e.version}),label:t(`request.assign`),children:(0,b.jsxs)(`div`,{className:`field`,children:[(0,b.jsx)(`label`,{htmlFor:`${o}-who`,children:t(`request.assignTo`)}),(0,b.jsxs)(`select`,{id:`${o}-who`,value:i,required:!0,onChange:e=>a(e.target.value),children:[(0,b.jsx)(`option`,{value:``,children:`—`}),c.map(e=>(0,b.jsxs)(`option`,{value:e.id,children:[e.fullName,` (`,t(`role.${e.role}`,{defaultValue:e.role}),`)`]},e.id))]})]})})}function F({requestId:e,onDone:t}){let{t:n}=r(),[i,a]=(0,y.useState)(``),[o,s]=(0,y.useState)(null),[c,u]=l(C),d=async r=>{r.preventDefault();let o=await u({input:{requestId:e,body:i}});if(o.error){s(n(`errors.generic`,{message:o.error.graphQLErrors[0]?.message??o.error.message}));return}let c=o.data?.commentRequest?.userErrors??[];c.length?s(c.map(e=>e.message).join(` `)):(s(null),a(``),t())};return(0,b.jsxs)(`form`,{className:`comment-form`,onSubmit:e=>void d(e),children:[(0,b.jsx)(`label`,{htmlFor:`comment-body`,children:n(`request.addComment`)}),(0,b.jsx)(`textarea`,{id:`comment-body`,rows:3,value:i,"aria-invalid":o?!0:void 0,"aria-describedby":o?`comment-body-error`:void 0,onChange:e=>a(e.target.value)}),o&&(0,b.jsx)(`p`,{className:`field-error`,id:`comment-body-error`,role:`alert`,children:o}),(0,b.jsx)(`button`,{type:`submit`,disabled:c.fetching,children:n(`request.send`)})]})}export{M as RequestDetail,A as RequestMovedFragment};