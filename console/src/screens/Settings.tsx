// Paramètres (/parametres): the partner's own settings, for who may change them (supervisors;
// a platform administrator acting in the tenant for its time zone). Each card is shown only when
// `me.permissions` lists its mutation: when technicians are told of a terminal offline or of
// options pending (`updateTenantSettings`), the documents an evaluation needs
// (`setEvaluationDocumentKinds`), within how many hours each type of request is handled
// (`setRequestDueTime`), and the partner's time zone (`updateTenant`). Changes send the tenant's
// `version` where the API takes one; the server's user errors are shown in the card. The logo
// (`setTenantLogo`) is drawn on the partner's contract documents: sent as a multipart request
// (api/upload.ts), shown from its signed link, removable.
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { sendFile } from "../api/upload";
import { formatSize } from "../components/Documents";
import { useLogoImage } from "../components/TenantLogo";
import { useAbilities } from "../auth/permissions";
import { ErrorState, errorMessage, Loading } from "../components/States";
import { Problems } from "../components/Problems";
import { graphql } from "../gql";
import type { DocumentKind, RequestType, SetTenantLogoMutation, TenantSettingsQuery } from "../gql/graphql";

const TenantSettingsDocument = graphql(`
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
        logo {
          id
          filename
          sizeBytes
          url
        }
        requestDueTimes {
          type
          hours
          isDefault
        }
      }
    }
  }
`);

const UpdateSettingsDocument = graphql(`
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
`);

const SetKindsDocument = graphql(`
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
`);

const SetDueTimeDocument = graphql(`
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
`);

const UpdateTenantDocument = graphql(`
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
`);

const SetLogoDocument = graphql(`
  mutation SetTenantLogo($input: SetTenantLogoInput!) {
    setTenantLogo(input: $input) {
      logo {
        id
        filename
        sizeBytes
        url
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

type Tenant = NonNullable<NonNullable<TenantSettingsQuery["me"]>["tenant"]>;

/** The kinds a merchant uploads (the contracts' copies are generated, not asked for). */
const UPLOADABLE: readonly DocumentKind[] = ["KBIS", "IDENTITY", "BANK_DETAILS", "OTHER"];

interface Outcome {
  problems: readonly { message: string }[];
  saved: boolean;
}

function useOutcome() {
  const [outcome, setOutcome] = useState<Outcome>({ problems: [], saved: false });
  return [outcome, setOutcome] as const;
}

function Card({ title, outcome, onSubmit, children }: { title: string; outcome: Outcome; onSubmit: (e: FormEvent) => void; children: ReactNode }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section className="account-card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <form onSubmit={onSubmit} aria-labelledby={id} className="settings-form">
        {children}
        <div className="form-end">
          <button type="submit" className="primary">
            {t("settings.save")}
          </button>
          <p role="status">{outcome.saved ? t("settings.saved") : ""}</p>
        </div>
        <Problems problems={outcome.problems} />
      </form>
    </section>
  );
}

export function Settings() {
  const { t } = useTranslation();
  const { can } = useAbilities();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: TenantSettingsDocument });
  const tenant = data?.me?.tenant;
  if (error && !data) return <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  if (fetching && !data) return <Loading />;
  if (!tenant) return <p role="alert">{t("settings.noTenant")}</p>;
  return (
    <div className="account">
      <h1>{t("settings.title", { name: tenant.name })}</h1>
      {can("updateTenantSettings") && <Alerts tenant={tenant} />}
      {can("setEvaluationDocumentKinds") && <EvaluationDocuments tenant={tenant} />}
      {can("setRequestDueTime") && <DueTimes tenant={tenant} />}
      {can("updateTenant") && <TimeZone tenant={tenant} />}
      {can("setTenantLogo") && <Logo tenant={tenant} onChanged={() => reexecute({ requestPolicy: "network-only" })} />}
    </div>
  );
}

function Alerts({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation();
  const [offline, setOffline] = useState(String(tenant.notifyOfflineAfterMinutes));
  const [pending, setPending] = useState(String(tenant.notifyOptionsPendingAfterMinutes));
  const [outcome, setOutcome] = useOutcome();
  const [, update] = useMutation(UpdateSettingsDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await update({
      input: {
        notifyOfflineAfterMinutes: Number(offline),
        notifyOptionsPendingAfterMinutes: Number(pending),
        expectedVersion: tenant.version,
      },
    });
    const problems = r.error ? [{ message: errorMessage(r.error, t) }] : (r.data?.updateTenantSettings?.userErrors ?? []);
    setOutcome({ problems, saved: !problems.length });
  };
  return (
    <Card title={t("settings.alerts")} outcome={outcome} onSubmit={submit}>
      <label className="field">
        {t("settings.offlineAfter")}
        <input type="number" min={1} max={10080} required value={offline} onChange={(e) => setOffline(e.target.value)} />
      </label>
      <label className="field">
        {t("settings.pendingAfter")}
        <input type="number" min={1} max={10080} required value={pending} onChange={(e) => setPending(e.target.value)} />
      </label>
    </Card>
  );
}

function EvaluationDocuments({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation();
  const [kinds, setKinds] = useState<readonly DocumentKind[]>(tenant.evaluationDocumentKinds ?? []);
  const [outcome, setOutcome] = useOutcome();
  const [, save] = useMutation(SetKindsDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await save({ input: { kinds: [...kinds] } });
    const problems = r.error ? [{ message: errorMessage(r.error, t) }] : (r.data?.setEvaluationDocumentKinds?.userErrors ?? []);
    setOutcome({ problems, saved: !problems.length });
  };
  return (
    <Card title={t("settings.evaluationDocuments")} outcome={outcome} onSubmit={submit}>
      <p className="muted">{t("settings.evaluationHint")}</p>
      <fieldset className="choice">
        <legend className="visually-hidden">{t("settings.evaluationDocuments")}</legend>
        {UPLOADABLE.map((kind) => (
          <label key={kind}>
            <input
              type="checkbox"
              checked={kinds.includes(kind)}
              onChange={(e) => setKinds(e.target.checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))}
            />{" "}
            {t(`documentKind.${kind}`, { defaultValue: kind })}
          </label>
        ))}
      </fieldset>
    </Card>
  );
}

function DueTimes({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation();
  const initial = Object.fromEntries((tenant.requestDueTimes ?? []).map((d) => [d.type, String(d.hours)]));
  const [hours, setHours] = useState<Record<string, string>>(initial);
  const [outcome, setOutcome] = useOutcome();
  const [, save] = useMutation(SetDueTimeDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const changed = (tenant.requestDueTimes ?? []).filter((d) => hours[d.type] !== String(d.hours));
    const problems: { message: string }[] = [];
    for (const due of changed) {
      const r = await save({ input: { type: due.type as RequestType, hours: Number(hours[due.type]) } });
      if (r.error) problems.push({ message: errorMessage(r.error, t) });
      else problems.push(...(r.data?.setRequestDueTime?.userErrors ?? []));
    }
    setOutcome({ problems, saved: !problems.length });
  };
  return (
    <Card title={t("settings.dueTimes")} outcome={outcome} onSubmit={submit}>
      {(tenant.requestDueTimes ?? []).map((due) => (
        <label className="field" key={due.type}>
          {t("settings.dueFor", { type: t(`requestType.${due.type}`) })}
          <input
            type="number"
            min={1}
            max={8760}
            required
            value={hours[due.type] ?? ""}
            onChange={(e) => setHours({ ...hours, [due.type]: e.target.value })}
          />
        </label>
      ))}
    </Card>
  );
}

function TimeZone({ tenant }: { tenant: Tenant }) {
  const { t } = useTranslation();
  const [zone, setZone] = useState(tenant.timeZone);
  const [outcome, setOutcome] = useOutcome();
  const [, update] = useMutation(UpdateTenantDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await update({ input: { id: tenant.id, timeZone: zone, expectedVersion: tenant.version } });
    const problems = r.error ? [{ message: errorMessage(r.error, t) }] : (r.data?.updateTenant?.userErrors ?? []);
    setOutcome({ problems, saved: !problems.length });
  };
  return (
    <Card title={t("settings.timeZone")} outcome={outcome} onSubmit={submit}>
      <p className="muted">{t("settings.timeZoneHint")}</p>
      <label className="field">
        {t("settings.zone")}
        <input value={zone} onChange={(e) => setZone(e.target.value)} required placeholder="America/Guadeloupe" />
      </label>
    </Card>
  );
}

function Logo({ tenant, onChanged }: { tenant: Tenant; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [picker, setPicker] = useState(0); // a new file input once a logo is taken
  const [outcome, setOutcome] = useOutcome();
  const [, remove] = useMutation(SetLogoDocument);
  const src = useLogoImage(tenant.logo?.url);
  const settle = (problems: readonly { message: string }[]) => {
    setOutcome({ problems, saved: !problems.length });
    if (!problems.length) {
      setFile(null);
      setPicker((n) => n + 1);
      onChanged();
    }
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    try {
      const data: SetTenantLogoMutation = await sendFile(SetLogoDocument, { input: { file: null } }, "variables.input.file", file);
      settle(data.setTenantLogo?.userErrors ?? []);
    } catch (err) {
      settle([{ message: err instanceof Error ? err.message : String(err) }]);
    }
  };
  const drop = async () => {
    const r = await remove({ input: { remove: true } });
    settle(r.error ? [{ message: errorMessage(r.error, t) }] : (r.data?.setTenantLogo?.userErrors ?? []));
  };
  return (
    <Card title={t("settings.logo")} outcome={outcome} onSubmit={submit}>
      <p className="muted">{t("settings.logoHint")}</p>
      {tenant.logo ? (
        <div className="logo-now">
          {src && <img src={src} alt={t("settings.logoAlt", { name: tenant.name })} className="tenant-logo" />}
          <span>
            {tenant.logo.filename} ({formatSize(tenant.logo.sizeBytes, i18n.language)})
          </span>
          <button type="button" onClick={() => void drop()}>
            {t("settings.logoRemove")}
          </button>
        </div>
      ) : (
        <p>{t("settings.logoNone")}</p>
      )}
      <label className="field">
        {t("settings.logoFile")}
        <input key={picker} type="file" accept="image/png,image/jpeg" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
    </Card>
  );
}
