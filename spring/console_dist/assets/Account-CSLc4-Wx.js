import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{F as r,M as i,N as a,P as o,_ as s,d as c,f as l,h as u,l as d,m as f,n as p,o as m,s as h,t as g,w as _}from"./console-DiEqahXQ.js";var v=e(t(),1),y=n(),b=l(`
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
`),x=l(`
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
`),S=l(`
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
`),C=l(`
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
`);function w(){let{t:e}=r(),{can:t}=c(),n=t(`updateNotificationPreferences`),[{data:i,error:a,fetching:o},l]=u({query:b,variables:{withNotifications:n}}),d=i?.me;return(0,y.jsxs)(`div`,{className:`account`,children:[(0,y.jsx)(`h1`,{children:e(`account.title`)}),d?(0,y.jsxs)(y.Fragment,{children:[t(`updateMyProfile`)&&(0,y.jsx)(D,{me:d}),t(`changePassword`)&&(0,y.jsx)(O,{}),(0,y.jsx)(A,{sessions:d.sessions??[],mayRevoke:t(`revokeSession`)}),n&&d.notificationPreferences&&(0,y.jsx)(j,{preferences:d.notificationPreferences}),t(`resetUserPassword`)&&t(`users`)&&(0,y.jsxs)(T,{title:e(`account.colleague`),children:[(0,y.jsx)(`p`,{className:`muted`,children:e(`account.colleagueHint`)}),(0,y.jsx)(`p`,{children:(0,y.jsx)(s,{to:`/utilisateurs`,children:e(`account.colleagueWhere`)})})]})]}):a?(0,y.jsx)(m,{error:a,retry:()=>l({requestPolicy:`network-only`})}):o&&(0,y.jsx)(h,{})]})}function T({title:e,children:t}){let n=(0,v.useId)();return(0,y.jsxs)(`section`,{className:`account-card`,"aria-labelledby":n,children:[(0,y.jsx)(`h2`,{id:n,children:e}),t]})}function E({name:e,label:t,value:n,onChange:r,error:i,type:a=`text`,required:o=!1,autoComplete:s}){let c=`account-${e}`;return(0,y.jsxs)(`div`,{className:`field`,children:[(0,y.jsxs)(`label`,{htmlFor:c,children:[t,o&&(0,y.jsx)(`span`,{"aria-hidden":`true`,children:` *`})]}),(0,y.jsx)(`input`,{id:c,name:e,type:a,required:o,autoComplete:s,value:n,"aria-invalid":i?!0:void 0,"aria-describedby":i?`${c}-error`:void 0,onChange:e=>r(e.target.value)}),i&&(0,y.jsx)(`p`,{id:`${c}-error`,className:`field-error`,children:i})]})}function D({me:e}){let{t,i18n:n}=r(),[s,c]=(0,v.useState)(e.fullName),[l,u]=(0,v.useState)(e.phone??``),[d,m]=(0,v.useState)(a(e.language)?e.language:n.language),[h,g]=(0,v.useState)({}),[_,b]=(0,v.useState)(!1),[{fetching:S},C]=f(x);async function w(n){n.preventDefault(),b(!1);let r=await C({input:{fullName:s,phone:l.trim()||null,language:d,expectedVersion:e.version}}),i=r.data?.updateMyProfile;r.error?g({"":r.error.graphQLErrors[0]?.message??t(`errors.network`)}):i?.userErrors.length?g(p(i.userErrors)):i?.user&&(g({}),b(!0),a(i.user.language)&&o(i.user.language))}let D=Object.entries(h).filter(([e])=>![`fullName`,`phone`,`language`].includes(e));return(0,y.jsxs)(T,{title:t(`account.profile`),children:[(0,y.jsx)(`p`,{className:`muted`,children:t(`account.emailIs`,{email:e.email})}),(0,y.jsxs)(`form`,{className:`account-form`,onSubmit:e=>void w(e),children:[(0,y.jsx)(E,{name:`fullName`,label:t(`account.fullName`),value:s,onChange:c,error:h.fullName,required:!0,autoComplete:`name`}),(0,y.jsx)(E,{name:`phone`,label:t(`account.phone`),value:l,onChange:u,error:h.phone,type:`tel`,autoComplete:`tel`}),(0,y.jsxs)(`div`,{className:`field`,children:[(0,y.jsx)(`label`,{htmlFor:`account-language`,children:t(`account.language`)}),(0,y.jsx)(`select`,{id:`account-language`,name:`language`,value:d,"aria-invalid":h.language?!0:void 0,"aria-describedby":h.language?`account-language-error`:`account-language-hint`,onChange:e=>m(e.target.value),children:i.map(e=>(0,y.jsx)(`option`,{value:e,children:t(`account.languages.${e}`)},e))}),(0,y.jsx)(`p`,{id:`account-language-hint`,className:`hint-text`,children:t(`account.languageHint`)}),h.language&&(0,y.jsx)(`p`,{id:`account-language-error`,className:`field-error`,children:h.language})]}),D.length>0&&(0,y.jsx)(`div`,{role:`alert`,className:`form-errors`,children:D.map(([e,t])=>(0,y.jsx)(`p`,{children:t},e))}),(0,y.jsxs)(`div`,{className:`form-end`,children:[(0,y.jsx)(`button`,{type:`submit`,className:`primary`,disabled:S,children:t(`account.saveProfile`)}),(0,y.jsx)(`span`,{role:`status`,children:_?t(`account.profileSaved`):``})]})]})]})}function O(){let{t:e}=r(),{changePassword:t}=d(),[n,i]=(0,v.useState)(null);return(0,y.jsxs)(T,{title:e(`account.password`),children:[(0,y.jsx)(g,{askCurrent:!0,submitLabel:e(`account.changePassword`),onSubmit:async(e,n)=>(i(null),t(e,n)),onDone:()=>i(e(`account.passwordChanged`))}),(0,y.jsx)(`p`,{role:`status`,children:n??``})]})}function k(e){if(!e)return`—`;let t=[[/Edg\/(\d+)/,`Edge`],[/OPR\/(\d+)/,`Opera`],[/Firefox\/(\d+)/,`Firefox`],[/(?:Chromium|HeadlessChrome)\/(\d+)/,`Chromium`],[/Chrome\/(\d+)/,`Chrome`],[/Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//,`Safari`]],n=[[/Android/,`Android`],[/iPhone|iPad|iPod/,`iOS`],[/Windows/,`Windows`],[/Mac OS X|Macintosh/,`macOS`],[/CrOS/,`ChromeOS`],[/Linux/,`Linux`]],r=t.find(([t])=>t.test(e)),i=n.find(([t])=>t.test(e))?.[1];if(!r)return e.length>60?`${e.slice(0,57)}…`:e;let a=e.match(r[0])?.[1],o=`${r[1]} ${a??``}`.trim();return i?`${o} · ${i}`:o}function A({sessions:e,mayRevoke:t}){let{t:n,i18n:i}=r(),[{fetching:a},o]=f(S),[s,c]=(0,v.useState)(``),l=e.filter(e=>!e.endedAt);async function u(e){c(``);let t=await o({input:{id:e.id}}),r=t.data?.revokeSession;t.error?c(t.error.graphQLErrors[0]?.message??n(`errors.network`)):r?.userErrors.length?c(r.userErrors.map(e=>e.message).join(` `)):c(n(`account.sessionEnded`))}return(0,y.jsxs)(T,{title:n(`account.sessions`),children:[(0,y.jsx)(`p`,{className:`muted`,children:n(`account.sessionsHint`)}),(0,y.jsxs)(`table`,{className:`table`,"aria-label":n(`account.sessions`),children:[(0,y.jsx)(`thead`,{children:(0,y.jsxs)(`tr`,{children:[(0,y.jsx)(`th`,{scope:`col`,children:n(`account.sessionCreated`)}),(0,y.jsx)(`th`,{scope:`col`,children:n(`account.sessionLastUsed`)}),(0,y.jsx)(`th`,{scope:`col`,children:n(`account.sessionAgent`)}),(0,y.jsx)(`th`,{scope:`col`,children:n(`account.sessionAddress`)}),(0,y.jsx)(`th`,{scope:`col`,children:(0,y.jsx)(`span`,{className:`visually-hidden`,children:n(`columns.action`)})})]})}),(0,y.jsx)(`tbody`,{children:l.map(e=>{let r=`session-agent-${e.id}`;return(0,y.jsxs)(`tr`,{"aria-current":e.current?`true`:void 0,children:[(0,y.jsx)(`td`,{children:_(e.createdAt,i.language)}),(0,y.jsx)(`td`,{children:_(e.lastUsedAt,i.language)}),(0,y.jsx)(`td`,{id:r,title:e.userAgent??void 0,children:k(e.userAgent)}),(0,y.jsx)(`td`,{children:e.address??`—`}),(0,y.jsx)(`td`,{children:e.current?(0,y.jsx)(`span`,{className:`badge badge-active`,children:n(`account.thisSession`)}):t&&(0,y.jsx)(`button`,{type:`button`,disabled:a,"aria-describedby":r,onClick:()=>void u(e),children:n(`account.endSession`)})})]},e.id)})})]}),(0,y.jsx)(`p`,{role:`status`,children:s})]})}function j({preferences:e}){let{t}=r(),[n,i]=(0,v.useState)(e),[{fetching:a},o]=f(C),[s,c]=(0,v.useState)(``);(0,v.useEffect)(()=>i(e),[e]);async function l(e,n,r){c(``);let a=await o({input:{preferences:[{kind:e,[n]:r}]}}),s=a.data?.updateNotificationPreferences;a.error?c(a.error.graphQLErrors[0]?.message??t(`errors.network`)):s?.userErrors.length?c(s.userErrors.map(e=>e.message).join(` `)):s?.preferences&&(i(s.preferences),c(t(`account.preferencesSaved`)))}return(0,y.jsxs)(T,{title:t(`account.notifications`),children:[(0,y.jsxs)(`table`,{className:`table`,"aria-label":t(`account.notifications`),children:[(0,y.jsx)(`thead`,{children:(0,y.jsxs)(`tr`,{children:[(0,y.jsx)(`th`,{scope:`col`,children:t(`account.notificationKind`)}),(0,y.jsx)(`th`,{scope:`col`,children:t(`account.inApp`)}),(0,y.jsx)(`th`,{scope:`col`,children:t(`account.byEmail`)})]})}),(0,y.jsx)(`tbody`,{children:n.map(e=>{let n=t(`notificationKinds.${e.kind}`,{defaultValue:e.kind});return(0,y.jsxs)(`tr`,{children:[(0,y.jsx)(`th`,{scope:`row`,children:n}),(0,y.jsx)(`td`,{children:(0,y.jsx)(`input`,{type:`checkbox`,checked:e.inApp,disabled:a,"aria-label":t(`account.inAppOf`,{kind:n}),onChange:t=>void l(e.kind,`inApp`,t.target.checked)})}),(0,y.jsx)(`td`,{children:(0,y.jsx)(`input`,{type:`checkbox`,checked:e.email,disabled:a,"aria-label":t(`account.byEmailOf`,{kind:n}),onChange:t=>void l(e.kind,`email`,t.target.checked)})})]},e.kind)})})]}),(0,y.jsx)(`p`,{role:`status`,children:s})]})}export{w as Account,k as describeAgent};