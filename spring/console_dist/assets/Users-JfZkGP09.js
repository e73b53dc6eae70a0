import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{b as r,c as i,d as a,f as o,h as s,i as c,j as l,m as u,o as d,s as f,y as p}from"./console-BhUGwCLm.js";var m=e(t(),1),h=n(),g=o(`
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
          phone
          version
          createdAt
          lastLoginAt @include(if: $withLogin)
        }
      }
    }
  }
`),_=o(`
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
`),v=o(`
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
`),y=o(`
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
`),b=o(`
  mutation ResetColleaguePassword($input: ResetUserPasswordInput!) {
    resetUserPassword(input: $input) {
      oneTimeCode
      codeExpiresAt
      user {
        id
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),x=[`SELLER`,`HOTLINE`,`TECHNICIAN`,`SUPERVISOR`,`SERVICE`],S=[`ACTIVE`,`DEACTIVATED`];function C({problems:e}){return e.length?(0,h.jsx)(`div`,{role:`alert`,className:`field-error`,children:e.map(e=>(0,h.jsx)(`p`,{children:e.message},e.message))}):null}function w({onDone:e}){let{t}=l(),[n,r]=(0,m.useState)({email:``,fullName:``,role:`SELLER`,password:``,phone:``}),[a,o]=(0,m.useState)([]),[,s]=u(_),c=async r=>{r.preventDefault();let a=await s({input:{...n,phone:n.phone||null}}),c=a.error?[{message:i(a.error,t)}]:a.data?.createUser?.userErrors??[];o(c),c.length||e()},d=(e,i=`text`)=>(0,h.jsxs)(`label`,{children:[t(`users.${e}`),(0,h.jsx)(`input`,{type:i,value:n[e],required:e!==`phone`,onChange:t=>r({...n,[e]:t.target.value})})]});return(0,h.jsxs)(`form`,{className:`block-form`,onSubmit:c,"aria-label":t(`users.add`),children:[d(`email`,`email`),d(`fullName`),(0,h.jsxs)(`label`,{children:[t(`users.role`),(0,h.jsx)(`select`,{value:n.role,onChange:e=>r({...n,role:e.target.value}),children:x.map(e=>(0,h.jsx)(`option`,{value:e,children:t(`role.${e}`)},e))})]}),d(`password`,`password`),d(`phone`,`tel`),(0,h.jsx)(`button`,{type:`submit`,className:`primary`,children:t(`users.create`)}),(0,h.jsx)(`button`,{type:`button`,onClick:e,children:t(`terminal.cancel`)}),(0,h.jsx)(C,{problems:a})]})}function T(){let{t:e,i18n:t}=l(),{can:n,reads:o,me:_}=a(),[T,E]=p(),D=T.get(`q`)??``,O=T.get(`role`),k=T.get(`status`)??`ACTIVE`,[A,j]=(0,m.useState)(null),[M,N]=(0,m.useState)(!1),[P,F]=(0,m.useState)(null),[I,L]=(0,m.useState)(``),[R,z]=(0,m.useState)(null),[B,V]=(0,m.useState)([]),[{data:H,error:U,fetching:W},G]=s({query:g,variables:{filter:{text:D.trim()||null,role:O?[O]:null,status:k===`ALL`?null:[k]},first:50,after:A,withLogin:o(`User.lastLoginAt`)}}),[,K]=u(v),[,q]=u(y),[,J]=u(b),Y=(e,t)=>{let n=new URLSearchParams(T);t?n.set(e,t):n.delete(e),j(null),E(n,{replace:!0})},X=t=>V(t.error?[{message:i(t.error,e)}]:t.errors??[]);if(U&&!H)return(0,h.jsx)(d,{error:U,retry:()=>G({requestPolicy:`network-only`})});let Z=H?.users,Q=t.language;return(0,h.jsxs)(`section`,{children:[(0,h.jsx)(`h1`,{children:e(`users.title`)}),(0,h.jsxs)(`form`,{className:`filters`,role:`search`,onSubmit:e=>e.preventDefault(),children:[(0,h.jsxs)(`label`,{children:[e(`users.filterText`),(0,h.jsx)(`input`,{type:`search`,value:D,onChange:e=>Y(`q`,e.target.value)})]}),(0,h.jsxs)(`label`,{children:[e(`users.role`),(0,h.jsxs)(`select`,{value:O??``,onChange:e=>Y(`role`,e.target.value),children:[(0,h.jsx)(`option`,{value:``,children:e(`companies.all`)}),x.map(t=>(0,h.jsx)(`option`,{value:t,children:e(`role.${t}`)},t))]})]}),(0,h.jsxs)(`label`,{children:[e(`columns.status`),(0,h.jsxs)(`select`,{value:k,onChange:e=>Y(`status`,e.target.value),children:[(0,h.jsx)(`option`,{value:`ALL`,children:e(`companies.all`)}),S.map(t=>(0,h.jsx)(`option`,{value:t,children:e(`status.${t}`)},t))]})]})]}),n(`createUser`)&&(M?(0,h.jsx)(w,{onDone:()=>{N(!1),G({requestPolicy:`network-only`})}}):(0,h.jsx)(`button`,{type:`button`,onClick:()=>N(!0),children:e(`users.add`)})),R&&(0,h.jsxs)(`div`,{className:`one-time-code`,role:`status`,"data-testid":`one-time-code`,children:[(0,h.jsx)(`p`,{children:e(`users.codeFor`,{email:R.email})}),(0,h.jsx)(`p`,{children:(0,h.jsx)(`code`,{children:R.code})}),(0,h.jsx)(`p`,{children:e(`users.codeOnce`,{at:r(R.expires,Q)})}),(0,h.jsx)(`button`,{type:`button`,onClick:()=>z(null),children:e(`users.codeGiven`)})]}),P&&(0,h.jsxs)(`form`,{className:`block-form`,"aria-label":e(`users.deactivateWho`,{email:P.email}),onSubmit:async e=>{e.preventDefault();let t=await q({input:{id:P.id,reason:I,expectedVersion:P.version}}),n=t.data?.deactivateUser?.userErrors??[];X({error:t.error,errors:n}),!t.error&&!n.length&&(F(null),L(``),G({requestPolicy:`network-only`}))},children:[(0,h.jsxs)(`label`,{children:[e(`terminal.reason`),(0,h.jsx)(`input`,{value:I,onChange:e=>L(e.target.value),required:!0})]}),(0,h.jsx)(`button`,{type:`submit`,className:`primary`,children:e(`users.deactivate`)}),(0,h.jsx)(`button`,{type:`button`,onClick:()=>F(null),children:e(`terminal.cancel`)})]}),(0,h.jsx)(C,{problems:B}),Z?(0,h.jsxs)(h.Fragment,{children:[(0,h.jsx)(`p`,{className:`count`,"aria-live":`polite`,children:e(`users.count`,{count:Z.totalCount})}),(0,h.jsxs)(`table`,{className:`table`,"data-testid":`users`,"aria-busy":W?!0:void 0,children:[(0,h.jsx)(`caption`,{className:`visually-hidden`,children:e(`users.title`)}),(0,h.jsx)(`thead`,{children:(0,h.jsxs)(`tr`,{children:[(0,h.jsx)(`th`,{scope:`col`,children:e(`columns.name`)}),(0,h.jsx)(`th`,{scope:`col`,children:e(`users.email`)}),(0,h.jsx)(`th`,{scope:`col`,children:e(`users.role`)}),(0,h.jsx)(`th`,{scope:`col`,children:e(`columns.status`)}),o(`User.lastLoginAt`)&&(0,h.jsx)(`th`,{scope:`col`,children:e(`users.lastLogin`)}),(0,h.jsx)(`th`,{scope:`col`,children:e(`terminal.actions`)})]})}),(0,h.jsx)(`tbody`,{children:Z.edges.map(({node:t})=>{let i=t.id===_.id,a=t.status===`ACTIVE`;return(0,h.jsxs)(`tr`,{children:[(0,h.jsx)(`td`,{children:t.fullName}),(0,h.jsx)(`td`,{children:t.email}),(0,h.jsx)(`td`,{children:n(`updateUser`)&&a&&!i?(0,h.jsx)(`select`,{"aria-label":e(`users.roleOf`,{email:t.email}),value:t.role,onChange:async e=>{let n=await K({input:{id:t.id,role:e.target.value,expectedVersion:t.version}});X({error:n.error,errors:n.data?.updateUser?.userErrors})},children:x.map(t=>(0,h.jsx)(`option`,{value:t,children:e(`role.${t}`)},t))}):e(`role.${t.role}`,{defaultValue:t.role})}),(0,h.jsx)(`td`,{children:(0,h.jsx)(c,{status:t.status})}),o(`User.lastLoginAt`)&&(0,h.jsx)(`td`,{children:r(t.lastLoginAt,Q)}),(0,h.jsxs)(`td`,{className:`row-actions`,children:[n(`resetUserPassword`)&&a&&!i&&(0,h.jsx)(`button`,{type:`button`,onClick:async()=>{let e=await J({input:{userId:t.id,expectedVersion:t.version}}),n=e.data?.resetUserPassword;X({error:e.error,errors:n?.userErrors}),n?.oneTimeCode&&z({email:t.email,code:n.oneTimeCode,expires:n.codeExpiresAt??null})},children:e(`users.reset`)}),n(`deactivateUser`)&&a&&!i&&(0,h.jsx)(`button`,{type:`button`,onClick:()=>F(t),children:e(`users.deactivate`)})]})]},t.id)})})]}),Z.pageInfo.hasNextPage&&(0,h.jsx)(`button`,{type:`button`,onClick:()=>j(Z.pageInfo.endCursor??null),children:e(`companies.next`)})]}):(0,h.jsx)(f,{})]})}export{T as Users};