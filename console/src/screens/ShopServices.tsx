// A shop's services, and what a technician does with them (the seed's "Activer la solution
// PayWish (Tap to Pay / SoftPOS) et Pay on site"): activate a service of a signed contract that
// covers the shop, on a PAX terminal taken from stock (or registered on the spot) or as Tap to
// Pay on the merchant's phone (its one-time activation code is shown once); a new code for a
// phone that lost or let its code expire; deactivate a service with a reason. Every action is
// offered only when `me.permissions` lists its mutation; the server's user errors are shown at
// the form, in the user's language.
import type { ColumnDef } from "@tanstack/react-table";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { DataTable } from "../components/DataTable";
import { Section } from "../components/Facts";
import { formatDate } from "../components/format";
import { errorMessage } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { Problems } from "../components/Problems";
import { graphql } from "../gql";
import type { ServiceKind } from "../gql/graphql";

const StockDocument = graphql(`
  query StockTerminals($text: String) {
    terminals(filter: { kind: PAX, status: [IN_STOCK], text: $text }, first: 20) {
      totalCount
      edges {
        node {
          id
          tid
          model
          serialNumber
        }
      }
    }
  }
`);

const ActivateDocument = graphql(`
  mutation ActivateService($input: ActivateServiceInput!) {
    activateService(input: $input) {
      service {
        id
        kind
        status
        version
        activatedAt
        activationCodeExpiresAt
        terminal {
          id
          tid
        }
      }
      activationCode
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const RegisterDocument = graphql(`
  mutation RegisterTerminal($input: RegisterTerminalInput!) {
    registerTerminal(input: $input) {
      terminal {
        id
        tid
        model
        serialNumber
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const NewCodeDocument = graphql(`
  mutation RegenerateActivationCode($input: RegenerateActivationCodeInput!) {
    regenerateActivationCode(input: $input) {
      service {
        id
        version
        activationCodeExpiresAt
      }
      activationCode
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const DeactivateDocument = graphql(`
  mutation DeactivateService($input: DeactivateServiceInput!) {
    deactivateService(input: $input) {
      service {
        id
        status
        version
        deactivatedAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export interface ShopService {
  id: string;
  kind: ServiceKind;
  status: string;
  version: number;
  activatedAt?: string | null;
  activationCodeExpiresAt?: string | null;
  contract?: { id: string; number: string } | null;
  terminal?: { id: string; tid: string } | null;
}

export interface ActivatableContract {
  id: string;
  number: string;
  status: string;
  serviceKinds: readonly ServiceKind[];
}

export interface ShopTerminal {
  id: string;
  tid: string;
  kind: string;
  status: string;
  model?: string | null;
  serialNumber?: string | null;
}

interface Problem {
  message: string;
}

/** A one-time activation code: shown once, until the user says it was handed over. */
interface IssuedCode {
  code: string;
  expiresAt: string | null;
}

function OneTimeCode({ issued, onDone }: { issued: IssuedCode; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="one-time-code" role="status" data-testid="activation-code">
      <p>{t("services.codeFor")}</p>
      <p>
        <code>{issued.code}</code>
      </p>
      <p>{t("services.codeOnce", { at: formatDate(issued.expiresAt, i18n.language) })}</p>
      <button type="button" onClick={onDone}>
        {t("services.codeGiven")}
      </button>
    </div>
  );
}

/** The services table with each row's actions, the activation form and the code just issued. */
export function ShopServices({
  shopId,
  shopOpen,
  services,
  totalCount,
  contracts,
  terminals,
  onChanged,
}: {
  shopId: string;
  shopOpen: boolean;
  services: readonly ShopService[];
  totalCount: number;
  contracts: readonly ActivatableContract[];
  terminals: readonly ShopTerminal[];
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { can } = useAbilities();
  const [activating, setActivating] = useState(false);
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [deactivating, setDeactivating] = useState<ShopService | null>(null);
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [, newCode] = useMutation(NewCodeDocument);
  const date = (value: string | null | undefined) => formatDate(value, i18n.language);
  const signed = contracts.filter((c) => c.status === "SIGNED" || c.status === "ACTIVE");
  const mayActivate = can("activateService") && shopOpen && signed.length > 0;

  const regenerate = async (service: ShopService) => {
    setProblems([]);
    const r = await newCode({ input: { serviceId: service.id, expectedVersion: service.version } });
    const payload = r.data?.regenerateActivationCode;
    if (r.error) setProblems([{ message: errorMessage(r.error, t) }]);
    else if (payload?.userErrors.length) setProblems(payload.userErrors);
    else if (payload?.activationCode) setIssued({ code: payload.activationCode, expiresAt: payload.service?.activationCodeExpiresAt ?? null });
  };

  const columns: ColumnDef<ShopService, unknown>[] = [
    { id: "kind", header: t("columns.kind"), cell: ({ row }) => t(`serviceKind.${row.original.kind}`) },
    { id: "status", header: t("columns.status"), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: "contract", header: t("columns.contract"), cell: ({ row }) => row.original.contract?.number ?? "—" },
    { id: "terminal", header: t("columns.terminal"), cell: ({ row }) => row.original.terminal?.tid ?? "—" },
    {
      id: "activatedAt",
      header: t("columns.activatedAt"),
      cell: ({ row }) =>
        row.original.activatedAt
          ? date(row.original.activatedAt)
          : row.original.activationCodeExpiresAt
            ? t("services.waitingPhone", { at: date(row.original.activationCodeExpiresAt) })
            : "—",
    },
    {
      id: "actions",
      header: t("terminal.actions"),
      cell: ({ row }) => {
        const service = row.original;
        const pendingPhone = service.kind === "PAYWISH_SOFTPOS" && service.status === "PENDING";
        return (
          <span className="row-actions">
            {pendingPhone && can("regenerateActivationCode") && (
              <button type="button" onClick={() => void regenerate(service)}>
                {t("services.newCode")}
              </button>
            )}
            {service.status !== "DEACTIVATED" && can("deactivateService") && (
              <button type="button" onClick={() => setDeactivating(service)}>
                {t("services.deactivate")}
              </button>
            )}
          </span>
        );
      },
    },
  ];

  return (
    <Section title={t("shop.services")} count={totalCount}>
      {issued && <OneTimeCode issued={issued} onDone={() => setIssued(null)} />}
      <Problems problems={problems} />
      {deactivating && (
        <DeactivateForm
          service={deactivating}
          onDone={(changed) => {
            setDeactivating(null);
            if (changed) onChanged();
          }}
        />
      )}
      <DataTable columns={columns} data={[...services]} caption={t("shop.services")} empty={t("company.none")} testId="services" />
      {mayActivate &&
        (activating ? (
          <ActivateForm
            shopId={shopId}
            contracts={signed}
            assigned={terminals.filter((x) => x.kind === "PAX" && x.status === "ASSIGNED")}
            onCancel={() => setActivating(false)}
            onActivated={(code) => {
              setActivating(false);
              if (code) setIssued(code);
              onChanged();
            }}
          />
        ) : (
          <button type="button" className="primary" onClick={() => setActivating(true)}>
            {t("services.activate")}
          </button>
        ))}
      {can("activateService") && shopOpen && signed.length === 0 && <p className="muted">{t("services.noSignedContract")}</p>}
    </Section>
  );
}

function DeactivateForm({ service, onDone }: { service: ShopService; onDone: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [, deactivate] = useMutation(DeactivateDocument);
  const label = t("services.deactivateWhich", { kind: t(`serviceKind.${service.kind}`) });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await deactivate({ input: { id: service.id, reason, expectedVersion: service.version } });
    const errors = r.error ? [{ message: errorMessage(r.error, t) }] : (r.data?.deactivateService?.userErrors ?? []);
    setProblems(errors);
    if (!errors.length) onDone(true);
  };
  return (
    <form className="block-form" onSubmit={submit} aria-label={label}>
      <label>
        {t("terminal.reason")}
        <input value={reason} onChange={(e) => setReason(e.target.value)} required aria-required="true" />
      </label>
      <button type="submit" className="primary">
        {t("services.deactivate")}
      </button>
      <button type="button" onClick={() => onDone(false)}>
        {t("terminal.cancel")}
      </button>
      <Problems problems={problems} />
    </form>
  );
}

/** The service to activate: which contract, Tap to Pay or a PAX terminal (which one). */
function ActivateForm({
  shopId,
  contracts,
  assigned,
  onCancel,
  onActivated,
}: {
  shopId: string;
  contracts: readonly ActivatableContract[];
  assigned: readonly ShopTerminal[];
  onCancel: () => void;
  onActivated: (code: IssuedCode | null) => void;
}) {
  const { t } = useTranslation();
  const { can } = useAbilities();
  const id = useId();
  const [contractId, setContractId] = useState(contracts[0]?.id ?? "");
  // The solutions the chosen contract provides for (a service outside them is refused).
  const offered = contracts.find((c) => c.id === contractId)?.serviceKinds ?? [];
  const [chosenKind, setKind] = useState<ServiceKind>(offered[0] ?? "PAYWISH_SOFTPOS");
  const kind = offered.includes(chosenKind) ? chosenKind : (offered[0] ?? chosenKind);
  const [terminalId, setTerminalId] = useState(assigned[0]?.id ?? "");
  const [search, setSearch] = useState("");
  const [registering, setRegistering] = useState(false);
  const [registered, setRegistered] = useState<ShopTerminal[]>([]);
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const [{ data: stock, fetching }] = useQuery({
    query: StockDocument,
    variables: { text: search.trim() || null },
    pause: kind !== "PAY_ON_SITE" || !can("terminals"),
  });
  const [, activate] = useMutation(ActivateDocument);
  const choices: ShopTerminal[] = [
    ...assigned,
    ...registered,
    ...(stock?.terminals?.edges ?? []).map((e) => ({ ...e.node, kind: "PAX", status: "IN_STOCK" })),
  ].filter((x, i, all) => all.findIndex((y) => y.id === x.id) === i);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await activate({
      input: { contractId, shopId, kind, terminalId: kind === "PAY_ON_SITE" ? terminalId || null : null },
    });
    setBusy(false);
    const payload = r.data?.activateService;
    const errors = r.error ? [{ message: errorMessage(r.error, t) }] : (payload?.userErrors ?? []);
    setProblems(errors);
    if (errors.length) return;
    onActivated(
      payload?.activationCode ? { code: payload.activationCode, expiresAt: payload.service?.activationCodeExpiresAt ?? null } : null,
    );
  };

  return (
    <form className="block-form activate-form" onSubmit={submit} aria-label={t("services.activate")}>
      <h3 className="form-title">{t("services.activate")}</h3>
      <label>
        {t("columns.contract")}
        <select value={contractId} onChange={(e) => setContractId(e.target.value)}>
          {contracts.map((c) => (
            <option key={c.id} value={c.id}>
              {c.number}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="choice">
        <legend>{t("services.kind")}</legend>
        {offered.map((k) => (
          <label key={k}>
            <input type="radio" name={`${id}-kind`} value={k} checked={kind === k} onChange={() => setKind(k)} />{" "}
            {t(`serviceKind.${k}`)}
          </label>
        ))}
      </fieldset>
      {kind === "PAY_ON_SITE" && (
        <>
          <label>
            {t("services.findStock")}
            <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </label>
          <label>
            {t("services.terminal")}
            <select value={terminalId} onChange={(e) => setTerminalId(e.target.value)} aria-busy={fetching || undefined}>
              <option value="">{t("services.chooseTerminal")}</option>
              {choices.map((x) => (
                <option key={x.id} value={x.id}>
                  {[x.tid, x.model, x.serialNumber, x.status === "ASSIGNED" ? t("services.inThisShop") : t("services.inStock")]
                    .filter(Boolean)
                    .join(" · ")}
                </option>
              ))}
            </select>
          </label>
          {can("registerTerminal") && !registering && (
            <button type="button" onClick={() => setRegistering(true)}>
              {t("services.register")}
            </button>
          )}
        </>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {kind === "PAY_ON_SITE" ? t("services.activatePax") : t("services.activateSoftpos")}
      </button>
      <button type="button" onClick={onCancel}>
        {t("terminal.cancel")}
      </button>
      <Problems problems={problems} />
      {kind === "PAY_ON_SITE" && registering && (
        <RegisterTerminal
          onCancel={() => setRegistering(false)}
          onRegistered={(terminal) => {
            setRegistered((list) => [terminal, ...list]);
            setTerminalId(terminal.id);
            setRegistering(false);
          }}
        />
      )}
    </form>
  );
}

/** A new PAX terminal put in stock (registerTerminal), then chosen for the service. Not a form of
 * its own (forms do not nest): its own button sends it. */
function RegisterTerminal({ onCancel, onRegistered }: { onCancel: () => void; onRegistered: (t: ShopTerminal) => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState({ tid: "", serialNumber: "", model: "" });
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [, register] = useMutation(RegisterDocument);
  const set = (key: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [key]: e.target.value });
  const send = async () => {
    const r = await register({
      input: { kind: "PAX", tid: values.tid, serialNumber: values.serialNumber || null, model: values.model || null },
    });
    const payload = r.data?.registerTerminal;
    const errors = r.error ? [{ message: errorMessage(r.error, t) }] : (payload?.userErrors ?? []);
    setProblems(errors);
    if (!errors.length && payload?.terminal) onRegistered({ ...payload.terminal, kind: "PAX", status: "IN_STOCK" });
  };
  return (
    <div role="group" aria-label={t("services.register")} className="register-terminal">
      <label>
        {t("columns.tid")}
        <input value={values.tid} onChange={set("tid")} aria-required="true" />
      </label>
      <label>
        {t("columns.serial")}
        <input value={values.serialNumber} onChange={set("serialNumber")} aria-required="true" />
      </label>
      <label>
        {t("columns.model")}
        <input value={values.model} onChange={set("model")} placeholder="A920" />
      </label>
      <button type="button" onClick={() => void send()}>
        {t("services.registerSend")}
      </button>
      <button type="button" onClick={onCancel}>
        {t("terminal.cancel")}
      </button>
      <Problems problems={problems} />
    </div>
  );
}
