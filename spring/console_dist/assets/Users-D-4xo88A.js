import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{F as r,b as i,c as a,d as o,f as s,h as c,i as l,m as u,o as d,s as f,w as p}from"./console-DiEqahXQ.js";var m=e(t(),1),h=n(),g=s(`
  query Users($filter: UserFilter, $first: Int, $after: String, $withLogin: Boolean!) {
    users(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          email
          fullName
          role
          status
          passwordChangeRequired
          phone
          version
          createdAt
          lastLoginAt @include(if: $withLogin)
        }
      }
    }
  }
`),_=s(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      user {
        id
        email
        fullName
        role
        status
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),v=s(`
  mutation ChangeUserRole($input: UpdateUserInput!) {
    updateUser(input: $input) {
      user {
        id
        role
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),y=s(`
  mutation DeactivateUser($input: DeactivateUserInput!) {
    deactivateUser(input: $input) {
      user {
        id
        status
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),ee=s(`
  mutation ResetColleaguePassword($input: ResetUserPasswordInput!) {
    resetUserPassword(input: $input) {
      oneTimeCode
      codeExpiresAt
      user {
        id
        version
        passwordChangeRequired
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),b=[`SELLER`,`HOTLINE`,`TECHNICIAN`,`SUPERVISOR`,`SERVICE`],x=[`ACTIVE`,`DEACTIVATED`];function S({problems:e}){return e.length?(0,h.jsx)(`div`,{role:`alert`,className:`field-error`,children:e.map(e=>(0,h.jsx)(`p`,{children:e.message},e.message))}):null}function C({onDone:e}){let{t}=r(),[n,i]=(0,m.useState)({email:``,fullName:``,role:`SELLER`,password:``,phone:``}),[o,s]=(0,m.useState)([]),[,c]=u(_),l=async r=>{r.preventDefault();let i=await c({input:{...n,phone:n.phone||null}}),o=i.error?[{message:a(i.error,t)}]:i.data?.createUser?.userErrors??[];s(o),o.length||e()},d=(e,r=`text`)=>(0,h.jsxs)(`label`,{children:[t(`users.${e}`),(0,h.jsx)(`input`,{type:r,value:n[e],required:e!==`phone`,onChange:t=>i({...n,[e]:t.target.value})})]});return(0,h.jsxs)(`form`,{className:`block-form`,onSubmit:l,"aria-label":t(`users.add`),children:[d(`email`,`email`),d(`fullName`),(0,h.jsxs)(`label`,{children:[t(`users.role`),(0,h.jsx)(`select`,{value:n.role,onChange:e=>i({...n,role:e.target.value}),children:b.map(e=>(0,h.jsx)(`option`,{value:e,children:t(`role.${e}`)},e))})]}),d(`password`,`password`),d(`phone`,`tel`),(0,h.jsx)(`button`,{type:`submit`,className:`primary`,children:t(`users.create`)}),(0,h.jsx)(`button`,{type:`button`,onClick:e,children:t(`terminal.cancel`)}),(0,h.jsx)(S,{problems:o})]})}function w(){let{t:e,i18n:t}=r(),{can:n,reads:s,me:_}=o(),[w,T]=i(),E=w.get(`q`)??``,D=w.get(`role`),O=w.get(`status`)??`ACTIVE`,[k,A]=(0,m.useState)(null),[j,M]=(0,m.useState)(!1),[N,P]=(0,m.useState)(null),[F,I]=(0,m.useState)(``),[L,R]=(0,m.useState)(null),[z,B]=(0,m.useState)(null),[V,H]=(0,m.useState)([]),[{data:U,error:W,fetching:G},K]=c({query:g,variables:{filter:{text:E.trim()||null,role:D?[D]:null,status:O===`ALL`?null:[O]},first:50,after:k,withLogin:s(`User.lastLoginAt`)}}),[,q]=u(v),[,J]=u(y),[,Y]=u(ee),X=(e,t)=>{let n=new URLSearchParams(w);t?n.set(e,t):n.delete(e),A(null),T(n,{replace:!0})},Z=t=>H(t.error?[{message:a(t.error,e)}]:t.errors??[]);if(W&&!U)return(0,h.jsx)(d,{error:W,retry:()=>K({requestPolicy:`network-only`})});let Q=U?.users,$=t.language;return(0,h.jsxs)(`section`,{children:[(0,h.jsx)(`h1`,{children:e(`users.title`)}),(0,h.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,h.jsxs)(`label`,{children:[e(`users.filterText`),(0,h.jsx)(`input`,{type:`search`,value:E,onChange:e=>X(`q`,e.target.value)})]}),(0,h.jsxs)(`label`,{children:[e(`users.role`),(0,h.jsxs)(`select`,{value:D??``,onChange:e=>X(`role`,e.target.value),children:[(0,h.jsx)(`option`,{value:``,children:e(`companies.all`)}),b.map(t=>(0,h.jsx)(`option`,{value:t,children:e(`role.${t}`)},t))]})]}),(0,h.jsxs)(`label`,{children:[e(`columns.status`),(0,h.jsxs)(`select`,{value:O,onChange:e=>X(`status`,e.target.value),children:[(0,h.jsx)(`option`,{value:`ALL`,children:e(`companies.all`)}),x.map(t=>(0,h.jsx)(`option`,{value:t,children:e(`status.${t}`)},t))]})]})]}),n(`createUser`)&&(j?(0,h.jsx)(C,{onDone:()=>{M(!1),K({requestPolicy:`network-only`})}}):(0,h.jsx)(`button`,{type:`button`,onClick:()=>M(!0),children:e(`users.add`)})),L&&(0,h.jsxs)(`div`,{className:`one-time-code`,role:`status`,"data-testid":`one-time-code`,children:[(0,h.jsx)(`p`,{children:e(`users.codeFor`,{email:L.email})}),(0,h.jsx)(`p`,{children:(0,h.jsx)(`code`,{children:L.code})}),(0,h.jsx)(`p`,{children:e(`users.codeOnce`,{at:p(L.expires,$)})}),(0,h.jsx)(`button`,{type:`button`,onClick:()=>R(null),children:e(`users.codeGiven`)})]}),N&&(0,h.jsxs)(`form`,{className:`block-form`,"aria-label":e(`users.deactivateWho`,{email:N.email}),onSubmit:async e=>{e.preventDefault();let t=await J({input:{id:N.id,reason:F,expectedVersion:N.version}}),n=t.data?.deactivateUser?.userErrors??[];Z({error:t.error,errors:n}),!t.error&&!n.length&&(P(null),I(``),K({requestPolicy:`network-only`}))},children:[(0,h.jsxs)(`label`,{children:[e(`terminal.reason`),(0,h.jsx)(`input`,{value:F,onChange:e=>I(e.target.value),required:!0})]}),(0,h.jsx)(`button`,{type:`submit`,className:`primary`,children:e(`users.deactivate`)}),(0,h.jsx)(`button`,{type:`button`,onClick:()=>P(null),children:e(`terminal.cancel`)})]}),(0,h.jsx)(S,{problems:V}),Q?(0,h.jsxs)(h.Fragment,{children:[(0,h.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:e(`users.count`,{count:Q.totalCount})}),(0,h.jsxs)(`table`,{className:`table`,"data-testid":`users`,"aria-busy":G?!0:void 0,children:[(0,h.jsx)(`caption`,{className:`visually-hidden`,children:e(`users.title`)}),(0,h.jsx)(`thead`,{children:(0,h.jsxs)(`tr`,{children:[(0,h.jsx)(`th`,{scope:`col`,children:e(`columns.name`)}),(0,h.jsx)(`th`,{scope:`col`,children:e(`users.email`)}),(0,h.jsx)(`th`,{scope:`col`,children:e(`users.role`)}),(0,h.jsx)(`th`,{scope:`col`,children:e(`columns.status`)}),s(`User.lastLoginAt`)&&(0,h.jsx)(`th`,{scope:`col`,children:e(`users.lastLogin`)}),(0,h.jsx)(`th`,{scope:`col`,children:e(`terminal.actions`)})]})}),(0,h.jsx)(`tbody`,{children:Q.edges.map(({node:t})=>{let r=t.id===_.id,i=t.status===`ACTIVE`;return(0,h.jsxs)(`tr`,{children:[(0,h.jsx)(`td`,{children:t.fullName}),(0,h.jsx)(`td`,{children:t.email}),(0,h.jsx)(`td`,{children:n(`updateUser`)&&i&&!r?(0,h.jsx)(`select`,{"aria-label":e(`users.roleOf`,{email:t.email}),value:t.role,onChange:async e=>{let n=await q({input:{id:t.id,role:e.target.value,expectedVersion:t.version}});Z({error:n.error,errors:n.data?.updateUser?.userErrors})},children:b.map(t=>(0,h.jsx)(`option`,{value:t,children:e(`role.${t}`)},t))}):e(`role.${t.role}`,{defaultValue:t.role})}),(0,h.jsxs)(`td`,{children:[(0,h.jsx)(l,{status:t.status}),t.passwordChangeRequired&&(0,h.jsxs)(`span`,{className:`badge`,children:[` `,e(`users.mustChange`)]})]}),s(`User.lastLoginAt`)&&(0,h.jsx)(`td`,{children:p(t.lastLoginAt,$)}),(0,h.jsxs)(`td`,{className:`row-actions`,children:[n(`resetUserPassword`)&&i&&!r&&(z===t.id?(0,h.jsxs)(`span`,{className:`confirm`,children:[(0,h.jsx)(`button`,{type:`button`,className:`primary`,onClick:async()=>{B(null);let e=await Y({input:{userId:t.id,expectedVersion:t.version}}),n=e.data?.resetUserPassword;Z({error:e.error,errors:n?.userErrors}),n?.oneTimeCode&&R({email:t.email,code:n.oneTimeCode,expires:n.codeExpiresAt??null})},children:e(`users.resetConfirm`,{email:t.email})}),` `,(0,h.jsx)(`button`,{type:`button`,onClick:()=>B(null),children:e(`terminal.cancel`)})]}):(0,h.jsx)(`button`,{type:`button`,onClick:()=>B(t.id),children:e(`users.reset`)})),n(`deactivateUser`)&&i&&!r&&(0,h.jsx)(`button`,{type:`button`,onClick:()=>P(t),children:e(`users.deactivate`)})]})]},t.id)})})]}),Q.pageInfo.hasNextPage&&(0,h.jsx)(`button`,{type:`button`,onClick:()=>A(Q.pageInfo.endCursor??null),children:e(`companies.next`)})]}):(0,h.jsx)(f,{})]})}export{w as Users};