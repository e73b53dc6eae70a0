// Onboard a new merchant: the company, then its shops, then the evaluation request, as one
// guided flow. The half-filled draft is kept in sessionStorage (form values and the ids
// created so far; never a token), so a reload loses nothing. The SIREN is checked against
// the existing merchants as soon as it has 9 digits. Each form is checked by the server as
// the user types (`validateCompany`, `validateShop`: the mutation's own rules, nothing
// written; components/liveCheck.ts) and its user errors are shown at their fields, in the
// user's language; the submit's answer stays the judge.
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useClient, useMutation, useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { errorsByField, useLiveCheck, type Answer, type Values } from "../components/liveCheck";
import { graphql } from "../gql";
import type { CreateCompanyInput, CreateShopInput } from "../gql/graphql";
import { PATHS } from "../routes";

// Other screens took it from here before it moved to components/liveCheck.ts.
export { errorsByField };

const ExistingDocument = graphql(`
  query ExistingCompany($siren: String!) {
    companies(filter: { text: $siren }, first: 5) {
      edges {
        node {
          id
          legalName
          siren
        }
      }
    }
  }
`);

const CreateCompanyDocument = graphql(`
  mutation OnboardCompany($input: CreateCompanyInput!) {
    createCompany(input: $input) {
      company {
        id
        legalName
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

const CreateShopDocument = graphql(`
  mutation OnboardShop($input: CreateShopInput!) {
    createShop(input: $input) {
      shop {
        id
        name
        siret
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

// What a live check answers: the mutation's user errors for the draft, nothing written.
graphql(`
  fragment InputCheckAnswer on InputCheck {
    valid
    userErrors {
      field
      code
      message
    }
  }
`);

const ValidateCompanyDocument = graphql(`
  query ValidateCompany($input: CreateCompanyInput!) {
    validateCompany(input: $input) {
      ...InputCheckAnswer
    }
  }
`);

const ValidateShopDocument = graphql(`
  query ValidateShop($input: CreateShopInput!) {
    validateShop(input: $input) {
      ...InputCheckAnswer
    }
  }
`);

const RequestEvaluationDocument = graphql(`
  mutation OnboardEvaluation($input: RequestEvaluationInput!) {
    requestEvaluation(input: $input) {
      request {
        id
        reference
        status
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

interface Draft {
  step: "company" | "shops" | "evaluation" | "done";
  company: Values;
  companyId: string | null;
  companyName: string;
  shop: Values;
  shops: { id: string; name: string; siret: string }[];
  comment: string;
  reference: string | null;
}

const KEY = "spring.onboarding";
const EMPTY: Draft = {
  step: "company",
  company: {},
  companyId: null,
  companyName: "",
  shop: {},
  shops: [],
  comment: "",
  reference: null,
};

export function loadDraft(): Draft {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? { ...EMPTY, ...(JSON.parse(raw) as Partial<Draft>) } : EMPTY;
  } catch {
    return EMPTY;
  }
}

function saveDraft(draft: Draft | null): void {
  try {
    if (draft) sessionStorage.setItem(KEY, JSON.stringify(draft));
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage unavailable: the draft lasts the page
  }
}

function address(values: Values) {
  return {
    line1: values["address.line1"] ?? "",
    line2: values["address.line2"] || null,
    postalCode: values["address.postalCode"] ?? "",
    city: values["address.city"] ?? "",
    country: values["address.country"] || "FR",
  };
}

/** The fields of each form, in their order on screen (the server's errors of any other
 * field are the form's own). */
export const COMPANY_FIELDS = [
  "siren",
  "legalName",
  "tradeName",
  "legalForm",
  "mcc",
  "address.line1",
  "address.postalCode",
  "address.city",
  "contactName",
  "contactEmail",
  "contactPhone",
  "iban",
  "bic",
] as const;
export const SHOP_FIELDS = ["name", "siret", "address.line1", "address.postalCode", "address.city", "mcc"] as const;

/** `createCompany`'s input from the form (and `validateCompany`'s: the same). */
export function companyInput(values: Values): CreateCompanyInput {
  return {
    legalName: values.legalName ?? "",
    tradeName: values.tradeName || null,
    siren: (values.siren ?? "").replace(/\s/g, ""),
    legalForm: values.legalForm ?? "",
    mcc: values.mcc ?? "",
    contactName: values.contactName ?? "",
    contactEmail: values.contactEmail ?? "",
    contactPhone: values.contactPhone ?? "",
    iban: values.iban || null,
    bic: values.bic || null,
    address: address(values),
  };
}

/** `createShop`'s input from the form (and `validateShop`'s). */
export function shopInput(values: Values, companyId: string): CreateShopInput {
  return {
    companyId,
    name: values.name ?? "",
    siret: (values.siret ?? "").replace(/\s/g, ""),
    mcc: values.mcc || null,
    address: address(values),
  };
}

/** A live check's answer from a `validate…` field's result; null when it could not be made
 * (a failed request, or a field the user may not run). */
function answerOf(
  values: Values,
  fields: readonly string[],
  result: { error?: unknown; data?: unknown },
  check: { userErrors: readonly { field?: readonly string[] | null; message: string }[] } | null | undefined,
): Answer | null {
  if (result.error || !check) return null;
  return { values, errors: errorsByField(check.userErrors, fields) };
}

export function Onboarding() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(loadDraft);
  useEffect(() => saveDraft(draft.step === "done" ? null : draft), [draft]);
  const update = (changes: Partial<Draft>) => setDraft((d) => ({ ...d, ...changes }));
  const steps = ["company", "shops", "evaluation"] as const;
  return (
    <section className="onboarding">
      <h1>{t("onboarding.title")}</h1>
      <ol className="steps">
        {steps.map((step) => (
          <li key={step} aria-current={draft.step === step ? "step" : undefined}>
            {t(`onboarding.step.${step}`)}
          </li>
        ))}
      </ol>
      {draft.step === "company" && <CompanyStep draft={draft} update={update} />}
      {draft.step === "shops" && <ShopsStep draft={draft} update={update} />}
      {draft.step === "evaluation" && <EvaluationStep draft={draft} update={update} />}
      {draft.step === "done" && (
        <div role="status" className="done">
          <p>{t("onboarding.done", { reference: draft.reference, company: draft.companyName })}</p>
          {draft.companyId && <Link to={PATHS.company(draft.companyId)}>{draft.companyName}</Link>}{" "}
          <button type="button" onClick={() => setDraft(EMPTY)}>
            {t("onboarding.another")}
          </button>
        </div>
      )}
    </section>
  );
}

interface StepProps {
  draft: Draft;
  update: (changes: Partial<Draft>) => void;
}

function Field({
  name,
  label,
  values,
  errors,
  onChange,
  onBlur,
  required = true,
  type = "text",
  children,
}: {
  name: string;
  label: string;
  values: Values;
  errors: Values;
  onChange: (name: string, value: string) => void;
  onBlur?: (name: string) => void;
  required?: boolean;
  type?: string;
  children?: ReactNode;
}) {
  const id = `field-${name.replace(".", "-")}`;
  const error = errors[name];
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
        value={values[name] ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(name, e.target.value)}
        onBlur={() => onBlur?.(name)}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {children}
    </div>
  );
}

function CompanyStep({ draft, update }: StepProps) {
  const { t } = useTranslation();
  const client = useClient();
  const { can } = useAbilities();
  const [{ fetching }, createCompany] = useMutation(CreateCompanyDocument);
  const values = draft.company;
  const check = useLiveCheck(
    values,
    can("validateCompany")
      ? async (v) => {
          const result = await client.query(ValidateCompanyDocument, { input: companyInput(v) }, { requestPolicy: "network-only" }).toPromise();
          return answerOf(v, COMPANY_FIELDS, result, result.data?.validateCompany);
        }
      : null,
  );
  const errors = check.errors;
  const siren = (values.siren ?? "").replace(/\s/g, "");
  const [{ data: existing }] = useQuery({
    query: ExistingDocument,
    variables: { siren },
    pause: !/^\d{9}$/.test(siren),
  });
  const already = existing?.companies?.edges.map((e) => e.node).find((c) => c.siren === siren);
  const change = (name: string, value: string) => {
    check.touch(name);
    update({ company: { ...values, [name]: value } });
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await createCompany({ input: companyInput(values) });
    const payload = result.data?.createCompany;
    if (result.error) check.submitted({ "": result.error.message });
    else if (payload?.userErrors.length) check.submitted(errorsByField(payload.userErrors, COMPANY_FIELDS));
    else if (payload?.company) {
      check.reset();
      update({ step: "shops", companyId: payload.company.id, companyName: payload.company.legalName });
    }
  }

  const field = (name: string, required = true, type = "text") => (
    <Field name={name} label={t(`onboarding.fields.${name}`)} values={values} errors={errors} onChange={change} onBlur={check.touch} required={required} type={type} />
  );
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={t("onboarding.step.company")}>
      <Field name="siren" label={t("onboarding.fields.siren")} values={values} errors={errors} onChange={change} onBlur={check.touch}>
        {already && (
          <p className="notice" role="status">
            {t("onboarding.exists")} <Link to={PATHS.company(already.id)}>{already.legalName}</Link>
          </p>
        )}
      </Field>
      {field("legalName")}
      {field("tradeName", false)}
      {field("legalForm")}
      {field("mcc")}
      {field("address.line1")}
      {field("address.postalCode")}
      {field("address.city")}
      {field("contactName")}
      {field("contactEmail", true, "email")}
      {field("contactPhone", true, "tel")}
      {field("iban", false)}
      {field("bic", false)}
      {errors[""] && <p role="alert">{errors[""]}</p>}
      <button type="submit" disabled={fetching}>
        {t("onboarding.createCompany")}
      </button>
    </form>
  );
}

function ShopsStep({ draft, update }: StepProps) {
  const { t } = useTranslation();
  const client = useClient();
  const { can } = useAbilities();
  const [{ fetching }, createShop] = useMutation(CreateShopDocument);
  const values = draft.shop;
  const companyId = draft.companyId;
  const check = useLiveCheck(
    values,
    companyId && can("validateShop")
      ? async (v) => {
          const result = await client.query(ValidateShopDocument, { input: shopInput(v, companyId) }, { requestPolicy: "network-only" }).toPromise();
          return answerOf(v, SHOP_FIELDS, result, result.data?.validateShop);
        }
      : null,
  );
  const errors = check.errors;
  const change = (name: string, value: string) => {
    check.touch(name);
    update({ shop: { ...values, [name]: value } });
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!companyId) return;
    const result = await createShop({ input: shopInput(values, companyId) });
    const payload = result.data?.createShop;
    if (result.error) check.submitted({ "": result.error.message });
    else if (payload?.userErrors.length) check.submitted(errorsByField(payload.userErrors, SHOP_FIELDS));
    else if (payload?.shop) {
      check.reset();
      const { id, name, siret } = payload.shop;
      update({ shops: [...draft.shops, { id, name, siret }], shop: {} });
    }
  }

  const field = (name: string, required = true) => (
    <Field name={name} label={t(`onboarding.fields.${name}`)} values={values} errors={errors} onChange={change} onBlur={check.touch} required={required} />
  );
  return (
    <div>
      <p>{t("onboarding.shopsOf", { company: draft.companyName })}</p>
      {draft.shops.length > 0 && (
        <ul className="added" aria-label={t("company.shops")}>
          {draft.shops.map((shop) => (
            <li key={shop.id}>
              {shop.name} — {shop.siret}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={t("onboarding.step.shops")}>
        {field("name")}
        {field("siret")}
        {field("address.line1")}
        {field("address.postalCode")}
        {field("address.city")}
        {field("mcc", false)}
        {errors[""] && <p role="alert">{errors[""]}</p>}
        <button type="submit" disabled={fetching}>
          {t("onboarding.addShop")}
        </button>
      </form>
      <button type="button" className="primary" disabled={draft.shops.length === 0} onClick={() => update({ step: "evaluation" })}>
        {t("onboarding.next")}
      </button>
    </div>
  );
}

function EvaluationStep({ draft, update }: StepProps) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, requestEvaluation] = useMutation(RequestEvaluationDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft.companyId) return;
    const result = await requestEvaluation({ input: { companyId: draft.companyId, comment: draft.comment || null } });
    const payload = result.data?.requestEvaluation;
    if (result.error) setError(result.error.message);
    else if (payload?.userErrors.length) setError(payload.userErrors.map((e) => e.message).join(" "));
    else if (payload?.request) update({ step: "done", reference: payload.request.reference });
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t("onboarding.step.evaluation")}>
      <p>{t("onboarding.evaluationOf", { company: draft.companyName, count: draft.shops.length })}</p>
      <label className="field">
        {t("onboarding.comment")}
        <textarea value={draft.comment} onChange={(e) => update({ comment: e.target.value })} rows={3} />
      </label>
      {error && <p role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={fetching}>
        {t("onboarding.askEvaluation")}
      </button>
    </form>
  );
}
