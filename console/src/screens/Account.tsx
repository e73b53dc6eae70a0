// Compte (/compte, the header's user name): one's profile and language, password, sessions
// and notification choices; for who may (resetUserPassword), where a colleague's password is
// reset (Utilisateurs: the one place that does it).
// Every section is shown only when `me.permissions` lets the user run its mutation.
import { useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { fieldErrors, NewPasswordForm } from "../auth/NewPassword";
import { useAbilities } from "../auth/permissions";
import { useSession } from "../auth/SessionProvider";
import { formatDate } from "../components/format";
import { ErrorState, Loading } from "../components/States";
import { graphql } from "../gql";
import type { AccountQuery, NotificationKind } from "../gql/graphql";
import { isLanguage, LANGUAGES, setLanguage } from "../i18n";

const AccountDocument = graphql(`
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
`);

const UpdateProfileDocument = graphql(`
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
`);

const RevokeSessionDocument = graphql(`
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
`);

const UpdatePreferencesDocument = graphql(`
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
`);

type Me = NonNullable<AccountQuery["me"]>;
type SessionRow = NonNullable<Me["sessions"]>[number];
type Preference = NonNullable<Me["notificationPreferences"]>[number];

export function Account() {
  const { t } = useTranslation();
  const { can } = useAbilities();
  const withNotifications = can("updateNotificationPreferences");
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: AccountDocument,
    variables: { withNotifications },
  });
  const me = data?.me;
  return (
    <div className="account">
      <h1>{t("account.title")}</h1>
      {!me ? (
        error ? (
          <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />
        ) : (
          fetching && <Loading />
        )
      ) : (
        <>
          {can("updateMyProfile") && <Profile me={me} />}
          {can("changePassword") && <Password />}
          <Sessions sessions={me.sessions ?? []} mayRevoke={can("revokeSession")} />
          {withNotifications && me.notificationPreferences && <Notifications preferences={me.notificationPreferences} />}
          {can("resetUserPassword") && can("users") && (
            <Card title={t("account.colleague")}>
              <p className="muted">{t("account.colleagueHint")}</p>
              <p>
                <Link to="/utilisateurs">{t("account.colleagueWhere")}</Link>
              </p>
            </Card>
          )}
        </>
      )}
    </div>
  );
}

function Card({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="account-card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A labelled input with its server error below it (kept here until a shared one exists). */
function TextField({
  name,
  label,
  value,
  onChange,
  error,
  type = "text",
  required = false,
  autoComplete,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  type?: string;
  required?: boolean;
  autoComplete?: string;
}) {
  const id = `account-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        name={name}
        type={type}
        required={required}
        autoComplete={autoComplete}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function Profile({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const [fullName, setFullName] = useState(me.fullName);
  const [phone, setPhone] = useState(me.phone ?? "");
  const [language, setChosen] = useState(isLanguage(me.language) ? me.language : i18n.language);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [{ fetching }, update] = useMutation(UpdateProfileDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const result = await update({
      input: { fullName, phone: phone.trim() || null, language, expectedVersion: me.version },
    });
    const payload = result.data?.updateMyProfile;
    if (result.error) setErrors({ "": result.error.graphQLErrors[0]?.message ?? t("errors.network") });
    else if (payload?.userErrors.length) setErrors(fieldErrors(payload.userErrors));
    else if (payload?.user) {
      setErrors({});
      setSaved(true);
      if (isLanguage(payload.user.language)) setLanguage(payload.user.language);
    }
  }

  const general = Object.entries(errors).filter(([name]) => !["fullName", "phone", "language"].includes(name));
  return (
    <Card title={t("account.profile")}>
      <p className="muted">{t("account.emailIs", { email: me.email })}</p>
      <form className="account-form" onSubmit={(e) => void submit(e)}>
        <TextField
          name="fullName"
          label={t("account.fullName")}
          value={fullName}
          onChange={setFullName}
          error={errors.fullName}
          required
          autoComplete="name"
        />
        <TextField
          name="phone"
          label={t("account.phone")}
          value={phone}
          onChange={setPhone}
          error={errors.phone}
          type="tel"
          autoComplete="tel"
        />
        <div className="field">
          <label htmlFor="account-language">{t("account.language")}</label>
          <select
            id="account-language"
            name="language"
            value={language}
            aria-invalid={errors.language ? true : undefined}
            aria-describedby={errors.language ? "account-language-error" : "account-language-hint"}
            onChange={(e) => setChosen(e.target.value)}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`account.languages.${l}`)}
              </option>
            ))}
          </select>
          <p id="account-language-hint" className="hint-text">
            {t("account.languageHint")}
          </p>
          {errors.language && (
            <p id="account-language-error" className="field-error">
              {errors.language}
            </p>
          )}
        </div>
        {general.length > 0 && (
          <div role="alert" className="form-errors">
            {general.map(([name, message]) => (
              <p key={name}>{message}</p>
            ))}
          </div>
        )}
        <div className="form-end">
          <button type="submit" className="primary" disabled={fetching}>
            {t("account.saveProfile")}
          </button>
          <span role="status">{saved ? t("account.profileSaved") : ""}</span>
        </div>
      </form>
    </Card>
  );
}

function Password() {
  const { t } = useTranslation();
  const { changePassword } = useSession();
  const [ended, setEnded] = useState<string | null>(null);
  return (
    <Card title={t("account.password")}>
      <NewPasswordForm
        askCurrent
        submitLabel={t("account.changePassword")}
        onSubmit={async (current, next) => {
          setEnded(null);
          return changePassword(current, next);
        }}
        onDone={() => setEnded(t("account.passwordChanged"))}
      />
      <p role="status">{ended ?? ""}</p>
    </Card>
  );
}

/** "Firefox 128 · Linux" from a User-Agent header (the whole header in the cell's title). */
export function describeAgent(agent: string | null | undefined): string {
  if (!agent) return "—";
  const browsers: [RegExp, string][] = [
    [/Edg\/(\d+)/, "Edge"],
    [/OPR\/(\d+)/, "Opera"],
    [/Firefox\/(\d+)/, "Firefox"],
    [/(?:Chromium|HeadlessChrome)\/(\d+)/, "Chromium"],
    [/Chrome\/(\d+)/, "Chrome"],
    [/Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//, "Safari"],
  ];
  const systems: [RegExp, string][] = [
    [/Android/, "Android"],
    [/iPhone|iPad|iPod/, "iOS"],
    [/Windows/, "Windows"],
    [/Mac OS X|Macintosh/, "macOS"],
    [/CrOS/, "ChromeOS"],
    [/Linux/, "Linux"],
  ];
  const browser = browsers.find(([pattern]) => pattern.test(agent));
  const system = systems.find(([pattern]) => pattern.test(agent))?.[1];
  if (!browser) return agent.length > 60 ? `${agent.slice(0, 57)}…` : agent;
  const version = agent.match(browser[0])?.[1];
  const name = `${browser[1]} ${version ?? ""}`.trim();
  return system ? `${name} · ${system}` : name;
}

function Sessions({ sessions, mayRevoke }: { sessions: readonly SessionRow[]; mayRevoke: boolean }) {
  const { t, i18n } = useTranslation();
  const [{ fetching }, revoke] = useMutation(RevokeSessionDocument);
  const [message, setMessage] = useState("");
  const live = sessions.filter((s) => !s.endedAt);

  async function end(session: SessionRow) {
    setMessage("");
    const result = await revoke({ input: { id: session.id } });
    const payload = result.data?.revokeSession;
    if (result.error) setMessage(result.error.graphQLErrors[0]?.message ?? t("errors.network"));
    else if (payload?.userErrors.length) setMessage(payload.userErrors.map((e) => e.message).join(" "));
    else setMessage(t("account.sessionEnded"));
  }

  return (
    <Card title={t("account.sessions")}>
      <p className="muted">{t("account.sessionsHint")}</p>
      <table className="table" aria-label={t("account.sessions")}>
        <thead>
          <tr>
            <th scope="col">{t("account.sessionCreated")}</th>
            <th scope="col">{t("account.sessionLastUsed")}</th>
            <th scope="col">{t("account.sessionAgent")}</th>
            <th scope="col">{t("account.sessionAddress")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("columns.action")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {live.map((session) => {
            const agentId = `session-agent-${session.id}`;
            return (
              <tr key={session.id} aria-current={session.current ? "true" : undefined}>
                <td>{formatDate(session.createdAt, i18n.language)}</td>
                <td>{formatDate(session.lastUsedAt, i18n.language)}</td>
                <td id={agentId} title={session.userAgent ?? undefined}>
                  {describeAgent(session.userAgent)}
                </td>
                <td>{session.address ?? "—"}</td>
                <td>
                  {session.current ? (
                    <span className="badge badge-active">{t("account.thisSession")}</span>
                  ) : (
                    mayRevoke && (
                      <button type="button" disabled={fetching} aria-describedby={agentId} onClick={() => void end(session)}>
                        {t("account.endSession")}
                      </button>
                    )
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p role="status">{message}</p>
    </Card>
  );
}

function Notifications({ preferences }: { preferences: readonly Preference[] }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<readonly Preference[]>(preferences);
  const [{ fetching }, update] = useMutation(UpdatePreferencesDocument);
  const [message, setMessage] = useState("");
  useEffect(() => setShown(preferences), [preferences]);

  async function change(kind: NotificationKind, channel: "inApp" | "email", value: boolean) {
    setMessage("");
    const result = await update({ input: { preferences: [{ kind, [channel]: value }] } });
    const payload = result.data?.updateNotificationPreferences;
    if (result.error) setMessage(result.error.graphQLErrors[0]?.message ?? t("errors.network"));
    else if (payload?.userErrors.length) setMessage(payload.userErrors.map((e) => e.message).join(" "));
    else if (payload?.preferences) {
      setShown(payload.preferences);
      setMessage(t("account.preferencesSaved"));
    }
  }

  return (
    <Card title={t("account.notifications")}>
      <table className="table" aria-label={t("account.notifications")}>
        <thead>
          <tr>
            <th scope="col">{t("account.notificationKind")}</th>
            <th scope="col">{t("account.inApp")}</th>
            <th scope="col">{t("account.byEmail")}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((preference) => {
            const label = t(`notificationKinds.${preference.kind}`, { defaultValue: preference.kind });
            return (
              <tr key={preference.kind}>
                <th scope="row">{label}</th>
                <td>
                  <input
                    type="checkbox"
                    checked={preference.inApp}
                    disabled={fetching}
                    aria-label={t("account.inAppOf", { kind: label })}
                    onChange={(e) => void change(preference.kind, "inApp", e.target.checked)}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    checked={preference.email}
                    disabled={fetching}
                    aria-label={t("account.byEmailOf", { kind: label })}
                    onChange={(e) => void change(preference.kind, "email", e.target.checked)}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p role="status">{message}</p>
    </Card>
  );
}
