import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSession, type LoginError } from "../auth/SessionProvider";

export function Login() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<LoginError[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      setErrors(await signIn(email, password));
    } catch {
      setErrors([{ field: null, code: "INVALID", message: t("errors.network") }]);
    } finally {
      setBusy(false);
    }
  }

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
