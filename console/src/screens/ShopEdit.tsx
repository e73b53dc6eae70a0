// Editing a shop from its page (`updateShop`, for who may): its name, MCC and address, or
// closing it with a reason (a closed shop is not reopened: the form asks to confirm). The shop's
// `version` goes with the change, so a change made meanwhile by someone else is refused; the
// server's user errors are shown at their fields ("address.city" → the city's input).
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { errorMessage } from "../components/States";
import { errorsByField } from "../components/liveCheck";
import { Problems } from "../components/Problems";
import { graphql } from "../gql";

const UpdateShopDocument = graphql(`
  mutation UpdateShop($input: UpdateShopInput!) {
    updateShop(input: $input) {
      shop {
        id
        name
        mcc
        status
        version
        closedAt
        address {
          line1
          line2
          postalCode
          city
          country
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export interface EditableShop {
  id: string;
  name: string;
  mcc: string;
  version: number;
  address: { line1: string; line2?: string | null; postalCode: string; city: string; country: string };
}

interface Problem {
  field?: readonly string[] | null;
  message: string;
}

const FIELDS = ["name", "mcc", "address.line1", "address.line2", "address.postalCode", "address.city", "address.country"] as const;
type Field = (typeof FIELDS)[number];

export function ShopEdit({ shop, onDone }: { shop: EditableShop; onDone: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [values, setValues] = useState<Record<Field, string>>({
    name: shop.name,
    mcc: shop.mcc,
    "address.line1": shop.address.line1,
    "address.line2": shop.address.line2 ?? "",
    "address.postalCode": shop.address.postalCode,
    "address.city": shop.address.city,
    "address.country": shop.address.country,
  });
  const [closing, setClosing] = useState(false);
  const [reason, setReason] = useState("");
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [, update] = useMutation(UpdateShopDocument);

  const send = async (input: Record<string, unknown>) => {
    const r = await update({ input: { id: shop.id, expectedVersion: shop.version, ...input } });
    const errors = r.error ? [{ message: errorMessage(r.error, t) }] : (r.data?.updateShop?.userErrors ?? []);
    setProblems(errors);
    if (!errors.length) onDone(true);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send({
      name: values.name,
      mcc: values.mcc,
      address: {
        line1: values["address.line1"],
        line2: values["address.line2"] || null,
        postalCode: values["address.postalCode"],
        city: values["address.city"],
        country: values["address.country"] || "FR",
      },
    });
  };
  const byField = errorsByField(problems, [...FIELDS, "reason"]);

  const input = (name: Field, label: string) => {
    const error = byField[name];
    return (
      <div className="field" key={name}>
        <label htmlFor={`${id}-${name}`}>{label}</label>
        <input
          id={`${id}-${name}`}
          value={values[name]}
          onChange={(e) => setValues({ ...values, [name]: e.target.value })}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-${name}-error` : undefined}
        />
        {error && (
          <span id={`${id}-${name}-error`} className="field-error">
            {error}
          </span>
        )}
      </div>
    );
  };

  return (
    <form className="shop-edit" onSubmit={submit} aria-label={t("shopEdit.title")}>
      <h2 className="form-title">{t("shopEdit.title")}</h2>
      {input("name", t("shopEdit.name"))}
      {input("mcc", t("columns.mcc"))}
      {input("address.line1", t("shopEdit.line1"))}
      {input("address.line2", t("shopEdit.line2"))}
      {input("address.postalCode", t("shopEdit.postalCode"))}
      {input("address.city", t("shopEdit.city"))}
      {input("address.country", t("shopEdit.country"))}
      {byField[""] && <Problems problems={[{ message: byField[""] }]} />}
      <div className="form-end">
        <button type="submit" className="primary">
          {t("shopEdit.save")}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          {t("terminal.cancel")}
        </button>
        {!closing && (
          <button type="button" onClick={() => setClosing(true)}>
            {t("shopEdit.close")}
          </button>
        )}
      </div>
      {closing && (
        <div role="group" aria-label={t("shopEdit.close")} className="register-terminal">
          <p>{t("shopEdit.closeHint")}</p>
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t("terminal.reason")}</label>
            <input
              id={`${id}-reason`}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-required="true"
              aria-invalid={byField.reason ? true : undefined}
            />
            {byField.reason && <span className="field-error">{byField.reason}</span>}
          </div>
          <button type="button" className="danger" onClick={() => void send({ status: "CLOSED", reason })}>
            {t("shopEdit.closeConfirm")}
          </button>
          <button type="button" onClick={() => setClosing(false)}>
            {t("terminal.cancel")}
          </button>
        </div>
      )}
    </form>
  );
}
