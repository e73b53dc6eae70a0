// The seed's header: Accueil, Compte, Sociétés, Magasins, Plus (Transactions, Supervision,
// Parc, Demandes, Journal, Utilisateurs, Paramètres), the user's name, the search icon. An entry is
// shown only when the user may run the operation behind it (me.permissions); screens not
// built yet are listed, disabled, as "bientôt".
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, useNavigate } from "react-router";
import { useLanguageChoice } from "../auth/language";
import { useAbilities } from "../auth/permissions";
import { useSession } from "../auth/SessionProvider";
import { LANGUAGES, type Language } from "../i18n";
import { PATHS, SETTINGS_OPERATIONS } from "../routes";
import { Bell } from "./Bell";
import { TenantPicker } from "./TenantPicker";

interface Entry {
  key: string;
  label: string;
  /** The operation the screen needs (shown only when the user may run it). */
  operation: string;
  to?: string;
}

export function Header() {
  const { t, i18n } = useTranslation();
  const { me, can } = useAbilities();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const chooseLanguage = useLanguageChoice();

  const main: Entry[] = [
    { key: "home", label: t("nav.home"), operation: "me", to: PATHS.home },
    { key: "account", label: t("nav.account"), operation: "me", to: PATHS.account },
    { key: "companies", label: t("nav.companies"), operation: "companies", to: PATHS.companies },
    { key: "shops", label: t("nav.shops"), operation: "shops", to: PATHS.shops },
  ];
  const more: Entry[] = [
    { key: "transactions", label: t("nav.transactions"), operation: "transactions", to: PATHS.transactions },
    { key: "supervision", label: t("nav.supervision"), operation: "transactionRecorded", to: PATHS.supervision },
    { key: "fleet", label: t("nav.fleet"), operation: "terminals", to: PATHS.fleet },
    { key: "requests", label: t("nav.requests"), operation: "requests", to: PATHS.requests },
    { key: "journal", label: t("nav.journal"), operation: "auditEvents", to: PATHS.journal },
    { key: "users", label: t("nav.users"), operation: "users", to: PATHS.users },
  ];
  // Paramètres gathers several mutations: listed when the user may run any of them.
  const settingsOperation = SETTINGS_OPERATIONS.find((operation) => can(operation));
  if (settingsOperation) more.push({ key: "settings", label: t("nav.settings"), operation: settingsOperation, to: PATHS.settings });

  return (
    <header className="header">
      <a className="skip" href="#main">
        {t("nav.home")}
      </a>
      <Link to={PATHS.home} className="brand">
        {t("app.name")}
      </Link>
      <nav aria-label={t("app.tagline")}>
        <ul className="nav">
          {main.filter((e) => can(e.operation)).map((entry) => (
            <li key={entry.key}>
              {entry.to ? (
                <NavLink to={entry.to} end={entry.to === "/"}>
                  {entry.label}
                </NavLink>
              ) : (
                <span className="soon" aria-disabled="true" title={t("nav.soon")}>
                  {entry.label}
                </span>
              )}
            </li>
          ))}
          <li>
            <MoreMenu label={t("nav.more")} soon={t("nav.soon")} entries={more.filter((e) => can(e.operation))} />
          </li>
        </ul>
      </nav>
      <div className="header-end">
        {can("tenants") && <TenantPicker />}
        <button
          type="button"
          className="icon-button"
          aria-label={t("nav.search")}
          title={t("nav.search")}
          onClick={() => void navigate(PATHS.home, { state: { focusSearch: Date.now() } })}
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <circle cx="10" cy="10" r="6" fill="none" stroke="currentColor" strokeWidth="2" />
            <line x1="15" y1="15" x2="21" y2="21" stroke="currentColor" strokeWidth="2" />
          </svg>
        </button>
        {can("notifications") && <Bell />}
        <Link to={PATHS.account} className="user-name" data-testid="user-name" title={t("nav.account")}>
          {me.fullName}
        </Link>
        <label className="language">
          <span className="visually-hidden">{t("nav.language")}</span>
          <select value={i18n.language} onChange={(e) => chooseLanguage(e.target.value as Language)}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {l.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void signOut()}>
          {t("nav.logout")}
        </button>
      </div>
    </header>
  );
}

function MoreMenu({ label, soon, entries }: { label: string; soon: string; entries: Entry[] }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);
  return (
    <div
      className="more"
      ref={ref}
      onKeyDown={(event) => {
        if (event.key === "Escape") setOpen(false);
      }}
    >
      <button type="button" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {label} ▾
      </button>
      {open && (
        <ul id={id} className="more-menu">
          {entries.map((entry) => (
            <li key={entry.key}>
              {entry.to ? (
                <NavLink to={entry.to} onClick={() => setOpen(false)}>
                  {entry.label}
                </NavLink>
              ) : (
                <span className="soon" aria-disabled="true">
                  {entry.label} <small>({soon})</small>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
