// Sign-in. A sign-in with a supervisor's one-time code (resetUserPassword) goes on to
// choosing a new password: the code's short session may do nothing else, and the new
// password turns it into a full session.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { NewPasswordForm } from "../auth/NewPassword";
import { useSession, type LoginError, type PasswordChangeDue } from "../auth/SessionProvider";

export function Login() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<LoginError[]>([]);
  const [busy, setBusy] = useState(false);
  const [due, setDue] = useState<PasswordChangeDue | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const outcome = await signIn(email, password);
      setErrors(outcome.errors);
      if (outcome.passwordChange) {
        setPassword("");
        setDue(outcome.passwordChange);
      }
    } catch {
      setErrors([{ field: null, code: "INVALID", message: t("errors.network") }]);
    } finally {
      setBusy(false);
    }
  }

  if (due) return <ChooseNewPassword due={due} onCancel={() => setDue(null)} />;

  return (
    <main className="login">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <p className="tagline">{t("app.tagline")}</p>
        <h1 id="login-title">{t("login.title")}</h1>
        <label>
          {t("login.email")}
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          {t("login.password")}
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {errors.length > 0 && (
          <div role="alert" className="form-errors">
            {errors.map((error) => (
              <p key={error.code + error.message}>{error.message}</p>
            ))}
          </div>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t("login.submitting") : t("login.submit")}
        </button>
      </form>
    </main>
  );
}

function ChooseNewPassword({ due, onCancel }: { due: PasswordChangeDue; onCancel: () => void }) {
  const { t } = useTranslation();
  const { changePassword } = useSession();
  return (
    <main className="login">
      <section className="login-card" aria-labelledby="new-password-title">
        <p className="tagline">{t("app.tagline")}</p>
        <h1 id="new-password-title">{t("login.newPasswordTitle")}</h1>
        <p>{t("login.newPasswordWhy", { email: due.email })}</p>
        <NewPasswordForm
          askCurrent={false}
          submitLabel={t("login.newPasswordSubmit")}
          onSubmit={(_current, next) => changePassword(due.code, next, due)}
        />
        <button type="button" className="link-button" onClick={onCancel}>
          {t("login.back")}
        </button>
      </section>
    </main>
  );
}
