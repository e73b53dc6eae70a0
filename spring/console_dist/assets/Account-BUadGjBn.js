import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{A as r,O as i,b as a,d as o,f as s,h as c,j as l,k as u,l as d,m as f,n as p,o as m,s as h,t as g}from"./console-BhUGwCLm.js";var _=e(t(),1),v=n(),y=s(`
  query Account($withNotifications: Boolean!) {
    me {
      id
      email
      fullName
      phone
      language
      version
      sessions {
        id
        createdAt
        lastUsedAt
        expiresAt
        userAgent
        address
        endedAt
        current
      }
      notificationPreferences @include(if: $withNotifications) {
        kind
        inApp
        email
      }
    }
  }
`),b=s(`
  mutation UpdateMyProfile($input: UpdateMyProfileInput!) {
    updateMyProfile(input: $input) {
      user {
        id
        fullName
        phone
        language
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),x=s(`
  mutation RevokeSession($input: RevokeSessionInput!) {
    revokeSession(input: $input) {
      session {
        id
        endedAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),S=s(`
  mutation UpdateNotificationPreferences($input: UpdateNotificationPreferencesInput!) {
    updateNotificationPreferences(input: $input) {
      preferences {
        kind
        inApp
        email
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),C=s(`
  query ResettableUsers($text: String) {
    users(filter: { text: $text, status: [ACTIVE] }, orderBy: { field: EMAIL }, first: 10) {
      totalCount
      edges {
        node {
          id
          email
          fullName
          role
          passwordChangeRequired
        }
      }
    }
  }
`),w=s(`
  mutation ResetUserPassword($input: ResetUserPasswordInput!) {
    resetUserPassword(input: $input) {
      user {
        id
        passwordChangeRequired
        version
      }
      oneTimeCode
      codeExpiresAt
      userErrors {
        field
        code
        message
      }
    }
  }
`);function T(){let{t:e}=l(),{can:t}=o(),n=t(`updateNotificationPreferences`),[{data:r,error:i,fetching:a},s]=c({query:y,variables:{withNotifications:n}}),u=r?.me;return(0,v.jsxs)(`div`,{className:`account`,children:[(0,v.jsx)(`h1`,{children:e(`account.title`)}),u?(0,v.jsxs)(v.Fragment,{children:[t(`updateMyProfile`)&&(0,v.jsx)(O,{me:u}),t(`changePassword`)&&(0,v.jsx)(k,{}),(0,v.jsx)(j,{sessions:u.sessions??[],mayRevoke:t(`revokeSession`)}),n&&u.notificationPreferences&&(0,v.jsx)(M,{preferences:u.notificationPreferences}),t(`resetUserPassword`)&&t(`users`)&&(0,v.jsx)(N,{})]}):i?(0,v.jsx)(m,{error:i,retry:()=>s({requestPolicy:`network-only`})}):a&&(0,v.jsx)(h,{})]})}function E({title:e,children:t}){let n=(0,_.useId)();return(0,v.jsxs)(`section`,{className:`account-card`,"aria-labelledby":n,children:[(0,v.jsx)(`h2`,{id:n,children:e}),t]})}function D({name:e,label:t,value:n,onChange:r,error:i,type:a=`text`,required:o=!1,autoComplete:s}){let c=`account-${e}`;return(0,v.jsxs)(`div`,{className:`field`,children:[(0,v.jsxs)(`label`,{htmlFor:c,children:[t,o&&(0,v.jsx)(`span`,{"aria-hidden":`true`,children:` *`})]}),(0,v.jsx)(`input`,{id:c,name:e,type:a,required:o,autoComplete:s,value:n,"aria-invalid":i?!0:void 0,"aria-describedby":i?`${c}-error`:void 0,onChange:e=>r(e.target.value)}),i&&(0,v.jsx)(`p`,{id:`${c}-error`,className:`field-error`,children:i})]})}function O({me:e}){let{t,i18n:n}=l(),[a,o]=(0,_.useState)(e.fullName),[s,c]=(0,_.useState)(e.phone??``),[d,m]=(0,_.useState)(u(e.language)?e.language:n.language),[h,g]=(0,_.useState)({}),[y,x]=(0,_.useState)(!1),[{fetching:S},C]=f(b);async function w(n){n.preventDefault(),x(!1);let i=await C({input:{fullName:a,phone:s.trim()||null,language:d,expectedVersion:e.version}}),o=i.data?.updateMyProfile;i.error?g({"":i.error.graphQLErrors[0]?.message??t(`errors.network`)}):o?.userErrors.length?g(p(o.userErrors)):o?.user&&(g({}),x(!0),u(o.user.language)&&r(o.user.language))}let T=Object.entries(h).filter(([e])=>![`fullName`,`phone`,`language`].includes(e));return(0,v.jsxs)(E,{title:t(`account.profile`),children:[(0,v.jsx)(`p`,{className:`muted`,children:t(`account.emailIs`,{email:e.email})}),(0,v.jsxs)(`form`,{className:`account-form`,onSubmit:e=>void w(e),children:[(0,v.jsx)(D,{name:`fullName`,label:t(`account.fullName`),value:a,onChange:o,error:h.fullName,required:!0,autoComplete:`name`}),(0,v.jsx)(D,{name:`phone`,label:t(`account.phone`),value:s,onChange:c,error:h.phone,type:`tel`,autoComplete:`tel`}),(0,v.jsxs)(`div`,{className:`field`,children:[(0,v.jsx)(`label`,{htmlFor:`account-language`,children:t(`account.language`)}),(0,v.jsx)(`select`,{id:`account-language`,name:`language`,value:d,"aria-invalid":h.language?!0:void 0,"aria-describedby":h.language?`account-language-error`:`account-language-hint`,onChange:e=>m(e.target.value),children:i.map(e=>(0,v.jsx)(`option`,{value:e,children:t(`account.languages.${e}`)},e))}),(0,v.jsx)(`p`,{id:`account-language-hint`,className:`hint-text`,children:t(`account.languageHint`)}),h.language&&(0,v.jsx)(`p`,{id:`account-language-error`,className:`field-error`,children:h.language})]}),T.length>0&&(0,v.jsx)(`div`,{role:`alert`,className:`form-errors`,children:T.map(([e,t])=>(0,v.jsx)(`p`,{children:t},e))}),(0,v.jsxs)(`div`,{className:`form-end`,children:[(0,v.jsx)(`button`,{type:`submit`,className:`primary`,disabled:S,children:t(`account.saveProfile`)}),(0,v.jsx)(`span`,{role:`status`,children:y?t(`account.profileSaved`):``})]})]})]})}function k(){let{t:e}=l(),{changePassword:t}=d(),[n,r]=(0,_.useState)(null);return(0,v.jsxs)(E,{title:e(`account.password`),children:[(0,v.jsx)(g,{askCurrent:!0,submitLabel:e(`account.changePassword`),onSubmit:async(e,n)=>(r(null),t(e,n)),onDone:()=>r(e(`account.passwordChanged`))}),(0,v.jsx)(`p`,{role:`status`,children:n??``})]})}function A(e){if(!e)return`—`;let t=[[/Edg\/(\d+)/,`Edge`],[/OPR\/(\d+)/,`Opera`],[/Firefox\/(\d+)/,`Firefox`],[/(?:Chromium|HeadlessChrome)\/(\d+)/,`Chromium`],[/Chrome\/(\d+)/,`Chrome`],[/Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//,`Safari`]],n=[[/Android/,`Android`],[/iPhone|iPad|iPod/,`iOS`],[/Windows/,`Windows`],[/Mac OS X|Macintosh/,`macOS`],[/CrOS/,`ChromeOS`],[/Linux/,`Linux`]],r=t.find(([t])=>t.test(e)),i=n.find(([t])=>t.test(e))?.[1];if(!r)return e.length>60?`${e.slice(0,57)}…`:e;let a=e.match(r[0])?.[1],o=`${r[1]} ${a??``}`.trim();return i?`${o} · ${i}`:o}function j({sessions:e,mayRevoke:t}){let{t:n,i18n:r}=l(),[{fetching:i},o]=f(x),[s,c]=(0,_.useState)(``),u=e.filter(e=>!e.endedAt);async function d(e){c(``);let t=await o({input:{id:e.id}}),r=t.data?.revokeSession;t.error?c(t.error.graphQLErrors[0]?.message??n(`errors.network`)):r?.userErrors.length?c(r.userErrors.map(e=>e.message).join(` `)):c(n(`account.sessionEnded`))}return(0,v.jsxs)(E,{title:n(`account.sessions`),children:[(0,v.jsx)(`p`,{className:`muted`,children:n(`account.sessionsHint`)}),(0,v.jsxs)(`table`,{className:`table`,"aria-label":n(`account.sessions`),children:[(0,v.jsx)(`thead`,{children:(0,v.jsxs)(`tr`,{children:[(0,v.jsx)(`th`,{scope:`col`,children:n(`account.sessionCreated`)}),(0,v.jsx)(`th`,{scope:`col`,children:n(`account.sessionLastUsed`)}),(0,v.jsx)(`th`,{scope:`col`,children:n(`account.sessionAgent`)}),(0,v.jsx)(`th`,{scope:`col`,children:n(`account.sessionAddress`)}),(0,v.jsx)(`th`,{scope:`col`,children:(0,v.jsx)(`span`,{className:`visually-hidden`,children:n(`columns.action`)})})]})}),(0,v.jsx)(`tbody`,{children:u.map(e=>{let o=`session-agent-${e.id}`;return(0,v.jsxs)(`tr`,{"aria-current":e.current?`true`:void 0,children:[(0,v.jsx)(`td`,{children:a(e.createdAt,r.language)}),(0,v.jsx)(`td`,{children:a(e.lastUsedAt,r.language)}),(0,v.jsx)(`td`,{id:o,title:e.userAgent??void 0,children:A(e.userAgent)}),(0,v.jsx)(`td`,{children:e.address??`—`}),(0,v.jsx)(`td`,{children:e.current?(0,v.jsx)(`span`,{className:`badge badge-active`,children:n(`account.thisSession`)}):t&&(0,v.jsx)(`button`,{type:`button`,disabled:i,"aria-describedby":o,onClick:()=>void d(e),children:n(`account.endSession`)})})]},e.id)})})]}),(0,v.jsx)(`p`,{role:`status`,children:s})]})}function M({preferences:e}){let{t}=l(),[n,r]=(0,_.useState)(e),[{fetching:i},a]=f(S),[o,s]=(0,_.useState)(``);(0,_.useEffect)(()=>r(e),[e]);async function c(e,n,i){s(``);let o=await a({input:{preferences:[{kind:e,[n]:i}]}}),c=o.data?.updateNotificationPreferences;o.error?s(o.error.graphQLErrors[0]?.message??t(`errors.network`)):c?.userErrors.length?s(c.userErrors.map(e=>e.message).join(` `)):c?.preferences&&(r(c.preferences),s(t(`account.preferencesSaved`)))}return(0,v.jsxs)(E,{title:t(`account.notifications`),children:[(0,v.jsxs)(`table`,{className:`table`,"aria-label":t(`account.notifications`),children:[(0,v.jsx)(`thead`,{children:(0,v.jsxs)(`tr`,{children:[(0,v.jsx)(`th`,{scope:`col`,children:t(`account.notificationKind`)}),(0,v.jsx)(`th`,{scope:`col`,children:t(`account.inApp`)}),(0,v.jsx)(`th`,{scope:`col`,children:t(`account.byEmail`)})]})}),(0,v.jsx)(`tbody`,{children:n.map(e=>{let n=t(`notificationKinds.${e.kind}`,{defaultValue:e.kind});return(0,v.jsxs)(`tr`,{children:[(0,v.jsx)(`th`,{scope:`row`,children:n}),(0,v.jsx)(`td`,{children:(0,v.jsx)(`input`,{type:`checkbox`,checked:e.inApp,disabled:i,"aria-label":t(`account.inAppOf`,{kind:n}),onChange:t=>void c(e.kind,`inApp`,t.target.checked)})}),(0,v.jsx)(`td`,{children:(0,v.jsx)(`input`,{type:`checkbox`,checked:e.email,disabled:i,"aria-label":t(`account.byEmailOf`,{kind:n}),onChange:t=>void c(e.kind,`email`,t.target.checked)})})]},e.kind)})})]}),(0,v.jsx)(`p`,{role:`status`,children:o})]})}function N(){let{t:e,i18n:t}=l(),[n,r]=(0,_.useState)(``),i=n.trim(),[{data:s,error:u,fetching:d}]=c({query:C,variables:{text:i},pause:i.length<2}),[,p]=f(w),[g,y]=(0,_.useState)(null),[b,x]=(0,_.useState)(null),[S,T]=(0,_.useState)(``),{me:D}=o(),O=(s?.users?.edges??[]).map(e=>e.node).filter(e=>e.id!==D.id);async function k(t){T(``);let n=await p({input:{userId:t.id}}),r=n.data?.resetUserPassword;y(null),n.error?T(n.error.graphQLErrors[0]?.message??e(`errors.network`)):r?.userErrors.length?T(r.userErrors.map(e=>e.message).join(` `)):r?.oneTimeCode&&x({userId:t.id,name:t.fullName,code:r.oneTimeCode,expiresAt:r.codeExpiresAt??null})}return(0,v.jsxs)(E,{title:e(`account.colleague`),children:[(0,v.jsx)(`p`,{className:`muted`,children:e(`account.colleagueHint`)}),(0,v.jsxs)(`div`,{className:`field`,children:[(0,v.jsx)(`label`,{htmlFor:`colleague-search`,children:e(`account.colleagueSearch`)}),(0,v.jsx)(`input`,{id:`colleague-search`,type:`search`,value:n,onChange:e=>r(e.target.value)})]}),b&&(0,v.jsxs)(`div`,{className:`one-time-code`,role:`status`,children:[(0,v.jsx)(`p`,{children:e(`account.codeFor`,{name:b.name})}),(0,v.jsx)(`p`,{children:(0,v.jsx)(`code`,{"data-testid":`one-time-code`,children:b.code})}),(0,v.jsx)(`p`,{className:`muted`,children:e(`account.codeOnce`,{until:a(b.expiresAt,t.language)})}),(0,v.jsx)(`button`,{type:`button`,onClick:()=>x(null),children:e(`account.codeHide`)})]}),S&&(0,v.jsx)(`p`,{role:`alert`,children:S}),i.length>=2&&(u&&!s?(0,v.jsx)(m,{error:u}):d&&!s?(0,v.jsx)(h,{}):(0,v.jsxs)(`ul`,{className:`colleagues`,children:[O.length===0&&(0,v.jsx)(`li`,{className:`muted`,children:e(`home.noResults`)}),O.map(t=>(0,v.jsxs)(`li`,{children:[(0,v.jsxs)(`span`,{children:[(0,v.jsx)(`strong`,{children:t.fullName}),` `,(0,v.jsx)(`span`,{className:`muted`,children:t.email}),` `,e(`roles.${t.role}`,{defaultValue:t.role}),t.passwordChangeRequired&&(0,v.jsxs)(`span`,{className:`badge`,children:[` `,e(`account.mustChange`)]})]}),g===t.id?(0,v.jsxs)(`span`,{className:`confirm`,children:[(0,v.jsx)(`button`,{type:`button`,className:`primary`,onClick:()=>void k(t),children:e(`account.resetConfirm`,{name:t.fullName})}),` `,(0,v.jsx)(`button`,{type:`button`,onClick:()=>y(null),children:e(`account.cancel`)})]}):(0,v.jsx)(`button`,{type:`button`,onClick:()=>y(t.id),children:e(`account.reset`,{name:t.fullName})})]},t.id))]}))]})}export{T as Account,A as describeAgent};