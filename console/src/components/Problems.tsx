// The server's refusals that belong to no field on screen (or a form's whole answer): one
// alert, each message once. Errors that name a field are shown at it instead
// (`errorsByField` in components/liveCheck.ts).

export function Problems({ problems }: { problems: readonly { message: string }[] }) {
  if (!problems.length) return null;
  const messages = [...new Set(problems.map((p) => p.message))];
  return (
    <div role="alert" className="field-error">
      {messages.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}
