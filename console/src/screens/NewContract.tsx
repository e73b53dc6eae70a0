// On a company's page, for who may: create its contract once the evaluation is approved (the
// services, the shops covered, a first fee grid), then sign a draft for the merchant. The
// server's user errors are shown at their inputs, in the user's language.
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { download } from "../api/download";
import { parseHundredths } from "../components/format";
import { graphql } from "../gql";
import type { CardScheme, FeeRegion, ServiceKind } from "../gql/graphql";
import { errorsByField } from "../components/liveCheck";

const CreateContractDocument = graphql(`
  mutation CreateContract($input: CreateContractInput!) {
    createContract(input: $input) {
      contract {
        id
        number
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

const SignContractDocument = graphql(`
  mutation SignContract($input: SignContractInput!) {
    signContract(input: $input) {
      contract {
        id
        number
        status
        signedAt
        signatoryName
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

// The document the signatory reads and signs: its sha256 goes with the signature, so a draft
// changed since it was shown cannot be signed on the old one (the server says CONFLICT).
const ContractDocumentDocument = graphql(`
  query ContractDocument($id: ID!) {
    node(id: $id) {
      __typename
      ... on Contract {
        id
        document {
          id
          filename
          sha256
          sizeBytes
          url
        }
      }
    }
  }
`);

const KINDS: ServiceKind[] = ["PAY_ON_SITE", "PAYWISH_SOFTPOS"];

interface ShopChoice {
  id: string;
  name: string;
}

/** The contract's first grid as the API takes it, or the inputs that cannot be read. */
export function firstGrid(values: { rate: string; fixed: string; rental: string; softpos: string }, scheme: CardScheme = "CB", region: FeeRegion = "DOMESTIC") {
  const rateBps = parseHundredths(values.rate);
  const fixedFee = parseHundredths(values.fixed);
  const terminalRentalMonthly = parseHundredths(values.rental || "0");
  const softposFeeMonthly = parseHundredths(values.softpos || "0");
  const invalid = Object.entries({ rate: rateBps, fixed: fixedFee, rental: terminalRentalMonthly, softpos: softposFeeMonthly })
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  if (invalid.length) return { invalid };
  return {
    invalid: [],
    fees: {
      currency: "EUR",
      lines: [{ scheme, region, rateBps: rateBps as number, fixedFee: fixedFee as number }],
      terminalRentalMonthly: terminalRentalMonthly as number,
      softposFeeMonthly: softposFeeMonthly as number,
    },
  };
}

export function NewContract({ companyId, shops, onDone }: { companyId: string; shops: ShopChoice[]; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [kinds, setKinds] = useState<ServiceKind[]>(["PAY_ON_SITE"]);
  const [covered, setCovered] = useState<string[]>(shops.map((s) => s.id));
  const [values, setValues] = useState({ rate: "", fixed: "", rental: "", softpos: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [state, create] = useMutation(CreateContractDocument);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const grid = firstGrid(values);
    if (!grid.fees) {
      setErrors(Object.fromEntries(grid.invalid.map((k) => [k, t("fees.invalidNumber")])));
      return;
    }
    const result = await create({ input: { companyId, serviceKinds: kinds, shopIds: covered, fees: grid.fees } });
    if (result.error) {
      setErrors({ "": t("errors.generic", { message: result.error.graphQLErrors[0]?.message ?? result.error.message }) });
      return;
    }
    const payload = result.data?.createContract;
    const found = errorsByField(payload?.userErrors ?? []);
    // The grid's paths name the API's fields: put them at the inputs that hold them.
    const at: Record<string, string> = {};
    for (const [path, message] of Object.entries(found)) {
      const key = path.endsWith("rateBps")
        ? "rate"
        : path.endsWith("fixedFee")
          ? "fixed"
          : path.endsWith("terminalRentalMonthly")
            ? "rental"
            : path.endsWith("softposFeeMonthly")
              ? "softpos"
              : path.startsWith("serviceKinds")
                ? "serviceKinds"
                : path.startsWith("shopIds")
                  ? "shopIds"
                  : "";
      at[key] = at[key] ? `${at[key]} ${message}` : message;
    }
    setErrors(at);
    if (payload?.contract && Object.keys(at).length === 0) {
      setDone(t("contract.created", { number: payload.contract.number }));
      setOpen(false);
      onDone();
    }
  };

  const input = (key: keyof typeof values, label: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        inputMode="decimal"
        value={values[key]}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `${id}-${key}-error` : undefined}
        onChange={(e) => setValues({ ...values, [key]: e.target.value })}
      />
      {errors[key] && (
        <p className="field-error" id={`${id}-${key}-error`}>
          {errors[key]}
        </p>
      )}
    </div>
  );

  return (
    <div className="new-contract">
      {done && <p role="status">{done}</p>}
      <button type="button" aria-expanded={open} aria-controls={`${id}-form`} onClick={() => setOpen(!open)}>
        {t("contract.new")}
      </button>
      {open && (
        <form id={`${id}-form`} className="contract-form" onSubmit={(e) => void submit(e)} aria-label={t("contract.new")}>
          <fieldset aria-describedby={errors.serviceKinds ? `${id}-kinds-error` : undefined}>
            <legend>{t("contract.services")}</legend>
            {KINDS.map((kind) => (
              <label key={kind} className="check">
                <input
                  type="checkbox"
                  checked={kinds.includes(kind)}
                  onChange={(e) => setKinds(e.target.checked ? [...kinds, kind] : kinds.filter((k) => k !== kind))}
                />
                {t(`serviceKind.${kind}`)}
              </label>
            ))}
            {errors.serviceKinds && (
              <p className="field-error" id={`${id}-kinds-error`}>
                {errors.serviceKinds}
              </p>
            )}
          </fieldset>
          <fieldset aria-describedby={errors.shopIds ? `${id}-shops-error` : undefined}>
            <legend>{t("contract.shops")}</legend>
            {shops.length === 0 && <p className="count">{t("company.none")}</p>}
            {shops.map((shop) => (
              <label key={shop.id} className="check">
                <input
                  type="checkbox"
                  checked={covered.includes(shop.id)}
                  onChange={(e) => setCovered(e.target.checked ? [...covered, shop.id] : covered.filter((s) => s !== shop.id))}
                />
                {shop.name}
              </label>
            ))}
            {errors.shopIds && (
              <p className="field-error" id={`${id}-shops-error`}>
                {errors.shopIds}
              </p>
            )}
          </fieldset>
          <fieldset>
            <legend>{t("contract.grid")}</legend>
            {input("rate", t("contract.rate"))}
            {input("fixed", t("contract.fixed"))}
            {input("rental", t("fees.rentalInput"))}
            {input("softpos", t("fees.softposInput"))}
          </fieldset>
          {errors[""] && (
            <p className="field-error" role="alert">
              {errors[""]}
            </p>
          )}
          <button type="submit" className="primary" disabled={state.fetching}>
            {t("contract.create")}
          </button>
        </form>
      )}
    </div>
  );
}

export function SignContract({ contract, onDone }: { contract: { id: string; number: string }; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [state, sign] = useMutation(SignContractDocument);
  const [{ data: doc }, reload] = useQuery({ query: ContractDocumentDocument, variables: { id: contract.id }, requestPolicy: "network-only" });
  const document = doc?.node?.__typename === "Contract" ? doc.node.document : null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!document) return;
    const result = await sign({ input: { id: contract.id, signatoryName: name, documentSha256: document.sha256 } });
    if (result.error) {
      setError(t("errors.generic", { message: result.error.graphQLErrors[0]?.message ?? result.error.message }));
      return;
    }
    const errors = result.data?.signContract?.userErrors ?? [];
    setError(errors.length ? errors.map((e) => e.message).join(" ") : null);
    if (errors.some((e) => e.code === "CONFLICT")) reload({ requestPolicy: "network-only" });
    if (!errors.length) onDone();
  };
  return (
    <form className="sign-contract" onSubmit={(e) => void submit(e)} aria-label={t("contract.signTitle", { number: contract.number })}>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t("contract.signatory", { number: contract.number })}</label>
        <input
          id={`${id}-name`}
          value={name}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setName(e.target.value)}
        />
        {error && (
          <p className="field-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        )}
      </div>
      {document && (
        <button
          type="button"
          onClick={() =>
            void download(document.url, document.filename)
              .then((problem) => problem && setError(problem))
              .catch(() => setError(t("errors.network")))
          }
        >
          {t("contract.read", { size: Math.ceil(document.sizeBytes / 1024) })}
        </button>
      )}
      <button type="submit" className="primary" disabled={state.fetching || !document}>
        {t("contract.sign", { number: contract.number })}
      </button>
    </form>
  );
}
