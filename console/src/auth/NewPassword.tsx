// Choosing a new password, on the Compte page (with the current one) and at sign-in after a
// supervisor's reset (the one-time code stands for the current one). The server's rules are
// shown under the field (tenancy/password_policy.py: 12 characters at least, not a common
// password, not the user's e-mail or name; tests/test_console_account.py checks the text
// against the policy), the two entries must match before anything is sent, and the
// server's user errors are shown at their field.
import { useEffect, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { LoginError } from "./SessionProvider";

type Errors = Record<string, string>;

/** Server user errors by input field ("currentPassword"); "" for errors of no field. */
export function fieldErrors(errors: readonly { field?: readonly string[] | null; message: string }[]): Errors {
  const found: Errors = {};
  for (const error of errors) {
    const path = (error.field ?? []).filter((part) => part !== "input").join(".");
    found[path] = found[path] ? `${found[path]} ${error.message}` : error.message;
  }
  return found;
}

interface Props {
  /** Ask for the current password (false: a one-time code's sign-in already gave it). */
  askCurrent: boolean;
  submitLabel: string;
  /** Sends the change; resolves to the server's user errors (none: done). */
  onSubmit(currentPassword: string, newPassword: string): Promise<LoginError[]>;
  onDone?(): void;
}

export function NewPasswordForm({ askCurrent, submitLabel, onSubmit, onDone }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  // After a refused change, the keyboard is taken to the first field in error.
  useEffect(() => {
    const first = ["currentPassword", "newPassword", "repeat"].find((name) => errors[name]);
    if (first) document.getElementById(`${id}-${first}`)?.focus();
  }, [errors, id]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next !== repeat) {
      setErrors({ repeat: t("password.mismatch") });
      return;
    }
    setBusy(true);
    try {
      const found = await onSubmit(current, next);
      setErrors(fieldErrors(found));
      if (!found.length) {
        setCurrent("");
        setNext("");
        setRepeat("");
        onDone?.();
      }
    } catch {
      setErrors({ "": t("errors.network") });
    } finally {
      setBusy(false);
    }
  }

  const field = (name: string, label: string, value: string, set: (v: string) => void, autoComplete: string, hint?: string) => {
    const fieldId = `${id}-${name}`;
    const error = errors[name];
    const described = [hint ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean).join(" ");
    return (
      <div className="field">
        <label htmlFor={fieldId}>{label}</label>
        <input
          id={fieldId}
          name={name}
          type="password"
          required
          autoComplete={autoComplete}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
          onChange={(e) => set(e.target.value)}
        />
        {hint && (
          <p id={`${fieldId}-hint`} className="hint-text">
            {hint}
          </p>
        )}
        {error && (
          <p id={`${fieldId}-error`} className="field-error">
            {error}
          </p>
        )}
      </div>
    );
  };

  const general = Object.entries(errors).filter(([name]) => !["currentPassword", "newPassword", "repeat"].includes(name));
  return (
    <form className="password-form" onSubmit={(e) => void submit(e)}>
      {askCurrent && field("currentPassword", t("password.current"), current, setCurrent, "current-password")}
      {field("newPassword", t("password.new"), next, setNext, "new-password", t("password.rules"))}
      {field("repeat", t("password.repeat"), repeat, setRepeat, "new-password")}
      {general.length > 0 && (
        <div role="alert" className="form-errors">
          {general.map(([name, message]) => (
            <p key={name}>{message}</p>
          ))}
        </div>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
