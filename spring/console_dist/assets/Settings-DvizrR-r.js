import{bt as e,gt as t,pt as n}from"./preload-helper-Cxp912mq.js";import{F as r,c as i,d as a,f as o,h as s,m as c,o as l,s as u}from"./console-DiEqahXQ.js";var d=e(t(),1),f=n(),p=o(`
  query TenantSettings {
    me {
      id
      tenant {
        id
        name
        timeZone
        version
        notifyOfflineAfterMinutes
        notifyOptionsPendingAfterMinutes
        evaluationDocumentKinds
        requestDueTimes {
          type
          hours
          isDefault
        }
      }
    }
  }
`),m=o(`
  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {
    updateTenantSettings(input: $input) {
      tenant {
        id
        version
        notifyOfflineAfterMinutes
        notifyOptionsPendingAfterMinutes
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),h=o(`
  mutation SetEvaluationDocumentKinds($input: SetEvaluationDocumentKindsInput!) {
    setEvaluationDocumentKinds(input: $input) {
      kinds
      userErrors {
        field
        code
        message
      }
    }
  }
`),g=o(`
  mutation SetRequestDueTime($input: SetRequestDueTimeInput!) {
    setRequestDueTime(input: $input) {
      dueTimes {
        type
        hours
        isDefault
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),_=o(`
  mutation UpdateTenantTimeZone($input: UpdateTenantInput!) {
    updateTenant(input: $input) {
      tenant {
        id
        version
        timeZone
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`),v=[`KBIS`,`IDENTITY`,`BANK_DETAILS`,`OTHER`];function y(){let[e,t]=(0,d.useState)({problems:[],saved:!1});return[e,t]}function b({title:e,outcome:t,onSubmit:n,children:i}){let{t:a}=r(),o=(0,d.useId)();return(0,f.jsxs)(`section`,{className:`account-card`,"aria-labelledby":o,children:[(0,f.jsx)(`h2`,{id:o,children:e}),(0,f.jsxs)(`form`,{onSubmit:n,"aria-labelledby":o,className:`settings-form`,children:[i,(0,f.jsxs)(`div`,{className:`form-end`,children:[(0,f.jsx)(`button`,{type:`submit`,className:`primary`,children:a(`settings.save`)}),(0,f.jsx)(`p`,{role:`status`,children:t.saved?a(`settings.saved`):``})]}),t.problems.length>0&&(0,f.jsx)(`div`,{role:`alert`,className:`field-error`,children:t.problems.map(e=>(0,f.jsx)(`p`,{children:e.message},e.message))})]})]})}function x(){let{t:e}=r(),{can:t}=a(),[{data:n,error:i,fetching:o},c]=s({query:p}),d=n?.me?.tenant;return i&&!n?(0,f.jsx)(l,{error:i,retry:()=>c({requestPolicy:`network-only`})}):o&&!n?(0,f.jsx)(u,{}):d?(0,f.jsxs)(`div`,{className:`account`,children:[(0,f.jsx)(`h1`,{children:e(`settings.title`,{name:d.name})}),t(`updateTenantSettings`)&&(0,f.jsx)(S,{tenant:d}),t(`setEvaluationDocumentKinds`)&&(0,f.jsx)(C,{tenant:d}),t(`setRequestDueTime`)&&(0,f.jsx)(w,{tenant:d}),t(`updateTenant`)&&(0,f.jsx)(T,{tenant:d})]}):(0,f.jsx)(`p`,{role:`alert`,children:e(`settings.noTenant`)})}function S({tenant:e}){let{t}=r(),[n,a]=(0,d.useState)(String(e.notifyOfflineAfterMinutes)),[o,s]=(0,d.useState)(String(e.notifyOptionsPendingAfterMinutes)),[l,u]=y(),[,p]=c(m);return(0,f.jsxs)(b,{title:t(`settings.alerts`),outcome:l,onSubmit:async r=>{r.preventDefault();let a=await p({input:{notifyOfflineAfterMinutes:Number(n),notifyOptionsPendingAfterMinutes:Number(o),expectedVersion:e.version}}),s=a.error?[{message:i(a.error,t)}]:a.data?.updateTenantSettings?.userErrors??[];u({problems:s,saved:!s.length})},children:[(0,f.jsxs)(`label`,{className:`field`,children:[t(`settings.offlineAfter`),(0,f.jsx)(`input`,{type:`number`,min:1,max:10080,required:!0,value:n,onChange:e=>a(e.target.value)})]}),(0,f.jsxs)(`label`,{className:`field`,children:[t(`settings.pendingAfter`),(0,f.jsx)(`input`,{type:`number`,min:1,max:10080,required:!0,value:o,onChange:e=>s(e.target.value)})]})]})}function C({tenant:e}){let{t}=r(),[n,a]=(0,d.useState)(e.evaluationDocumentKinds??[]),[o,s]=y(),[,l]=c(h);return(0,f.jsxs)(b,{title:t(`settings.evaluationDocuments`),outcome:o,onSubmit:async e=>{e.preventDefault();let r=await l({input:{kinds:[...n]}}),a=r.error?[{message:i(r.error,t)}]:r.data?.setEvaluationDocumentKinds?.userErrors??[];s({problems:a,saved:!a.length})},children:[(0,f.jsx)(`p`,{className:`muted`,children:t(`settings.evaluationHint`)}),(0,f.jsxs)(`fieldset`,{className:`choice`,children:[(0,f.jsx)(`legend`,{className:`visually-hidden`,children:t(`settings.evaluationDocuments`)}),v.map(e=>(0,f.jsxs)(`label`,{children:[(0,f.jsx)(`input`,{type:`checkbox`,checked:n.includes(e),onChange:t=>a(t.target.checked?[...n,e]:n.filter(t=>t!==e))}),` `,t(`documentKind.${e}`,{defaultValue:e})]},e))]})]})}function w({tenant:e}){let{t}=r(),n=Object.fromEntries((e.requestDueTimes??[]).map(e=>[e.type,String(e.hours)])),[a,o]=(0,d.useState)(n),[s,l]=y(),[,u]=c(g);return(0,f.jsx)(b,{title:t(`settings.dueTimes`),outcome:s,onSubmit:async n=>{n.preventDefault();let r=(e.requestDueTimes??[]).filter(e=>a[e.type]!==String(e.hours)),o=[];for(let e of r){let n=await u({input:{type:e.type,hours:Number(a[e.type])}});n.error?o.push({message:i(n.error,t)}):o.push(...n.data?.setRequestDueTime?.userErrors??[])}l({problems:o,saved:!o.length})},children:(e.requestDueTimes??[]).map(e=>(0,f.jsxs)(`label`,{className:`field`,children:[t(`settings.dueFor`,{type:t(`requestType.${e.type}`)}),(0,f.jsx)(`input`,{type:`number`,min:1,max:8760,required:!0,value:a[e.type]??``,onChange:t=>o({...a,[e.type]:t.target.value})})]},e.type))})}function T({tenant:e}){let{t}=r(),[n,a]=(0,d.useState)(e.timeZone),[o,s]=y(),[,l]=c(_);return(0,f.jsxs)(b,{title:t(`settings.timeZone`),outcome:o,onSubmit:async r=>{r.preventDefault();let a=await l({input:{id:e.id,timeZone:n,expectedVersion:e.version}}),o=a.error?[{message:i(a.error,t)}]:a.data?.updateTenant?.userErrors??[];s({problems:o,saved:!o.length})},children:[(0,f.jsx)(`p`,{className:`muted`,children:t(`settings.timeZoneHint`)}),(0,f.jsxs)(`label`,{className:`field`,children:[t(`settings.zone`),(0,f.jsx)(`input`,{value:n,onChange:e=>a(e.target.value),required:!0,placeholder:`America/Guadeloupe`})]})]})}export{x as Settings};