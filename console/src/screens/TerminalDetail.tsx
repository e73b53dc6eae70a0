// A terminal: where it is (shop, company), what runs on it (services and their contracts), its
// options with pending vs applied, the diagnosis, the technical journal, and the actions on it
// (options, block and unblock of the terminal and of each service) for who may. Connectivity
// and options status are live (`terminalStatusChanged` updates the cached terminal); the
// journal is live on its own (`TerminalJournal`: `terminalEventRecorded`, resumable).
import type { ColumnDef } from "@tanstack/react-table";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useMutation, useQuery, useSubscription } from "urql";
import { useAbilities } from "../auth/permissions";
import { DataTable } from "../components/DataTable";
import { Fact, Section } from "../components/Facts";
import { formatDate } from "../components/format";
import { ErrorState, Loading, errorMessage } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { Problems } from "../components/Problems";
import { graphql } from "../gql";
import type { ReceiptMode, TerminalDetailQuery } from "../gql/graphql";
import { PATHS } from "../routes";
import { TerminalChangesDocument } from "./Fleet";
import { TerminalJournal } from "./TerminalJournal";

const TerminalDetailDocument = graphql(`
  query TerminalDetail($id: ID!, $withCommands: Boolean!) {
    node(id: $id) {
      __typename
      ... on Terminal {
        id
        tid
        kind
        model
        serialNumber
        osVersion
        firmwareVersion
        appVersion
        status
        blockedReason
        blockedUntil
        connectivity
        lastSeenAt
        lastHeartbeatAt
        optionsStatus
        appliedOptionsVersion
        optionsAppliedAt
        version
        options {
          versionNumber
          contactless
          tipping
          cashback
          preAuthorization
          manualEntry
          receiptMode
          language
          settlementTime
          createdAt
          acknowledgedAt
        }
        shop {
          id
          name
          company {
            id
            legalName
          }
        }
        services {
          id
          kind
          status
          blockedReason
          blockedUntil
          version
          contract {
            id
            number
          }
        }
        commands(first: 10) @include(if: $withCommands) {
          edges {
            node {
              id
              kind
              status
              requestedByLabel
              createdAt
              finishedAt
              failureReason
            }
          }
        }
      }
    }
  }
`);

const DiagnoseDocument = graphql(`
  query DiagnoseTerminal($id: ID!) {
    diagnoseTerminal(id: $id) {
      verdict
      diagnosedAt
      checks {
        code
        verdict
        title
        hint
      }
    }
  }
`);

const SendCommandDocument = graphql(`
  mutation SendTerminalCommand($input: SendTerminalCommandInput!) {
    sendTerminalCommand(input: $input) {
      command {
        id
        kind
        status
        createdAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const UpdateOptionsDocument = graphql(`
  mutation UpdateTerminalOptions($input: UpdateTerminalOptionsInput!) {
    updateTerminalOptions(input: $input) {
      terminal {
        id
        optionsStatus
        version
        options {
          versionNumber
          contactless
          tipping
          cashback
          preAuthorization
          manualEntry
          receiptMode
          language
          settlementTime
          createdAt
          acknowledgedAt
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

const BlockTerminalDocument = graphql(`
  mutation BlockTerminal($input: BlockTerminalInput!) {
    blockTerminal(input: $input) {
      terminal {
        id
        status
        blockedReason
        blockedUntil
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

const UnblockTerminalDocument = graphql(`
  mutation UnblockTerminal($input: UnblockTerminalInput!) {
    unblockTerminal(input: $input) {
      terminal {
        id
        status
        blockedReason
        blockedUntil
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

const BlockServiceDocument = graphql(`
  mutation BlockService($input: BlockServiceInput!) {
    blockService(input: $input) {
      service {
        id
        status
        blockedReason
        blockedUntil
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

const UnblockServiceDocument = graphql(`
  mutation UnblockService($input: UnblockServiceInput!) {
    unblockService(input: $input) {
      service {
        id
        status
        blockedReason
        blockedUntil
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

/** A user error as the mutations return it (what the form shows). */
interface UserError {
  message: string;
  code?: string;
  field?: readonly string[] | null;
}

type Terminal = Extract<NonNullable<TerminalDetailQuery["node"]>, { __typename: "Terminal" }>;
type Options = NonNullable<Terminal["options"]>;
type Command = NonNullable<Terminal["commands"]>["edges"][number]["node"];
const COMMANDS: Command["kind"][] = ["DOWNLOAD_PARAMETERS", "REBOOT", "UPDATE_APP"];
type Service = Terminal["services"][number];

const RECEIPTS: ReceiptMode[] = ["PRINT", "EMAIL", "SMS", "NONE"];
const SWITCHES = ["contactless", "tipping", "cashback", "preAuthorization", "manualEntry"] as const;

/** The `until` of a block as the API wants it (UTC ISO) from a datetime-local input. */
function untilOf(local: string): string | null {
  return local ? new Date(local).toISOString() : null;
}

/** Reason (required) and an optional end: the form of every block. */
function BlockForm({
  label,
  onBlock,
  onClose,
}: {
  label: string;
  onBlock: (reason: string, until: string | null) => Promise<readonly UserError[]>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await onBlock(reason, untilOf(until));
    setErrors(result);
    if (!result.length) onClose();
  };
  return (
    <form className="block-form" onSubmit={submit} aria-label={label}>
      <label>
        {t("terminal.reason")}
        <input value={reason} onChange={(e) => setReason(e.target.value)} required aria-required="true" />
      </label>
      <label>
        {t("terminal.until")}
        <input type="datetime-local" step={1} value={until} onChange={(e) => setUntil(e.target.value)} />
      </label>
      <button type="submit" className="primary">
        {label}
      </button>
      <button type="button" onClick={onClose}>
        {t("terminal.cancel")}
      </button>
      <Problems problems={errors} />
    </form>
  );
}

function OptionsForm({ terminal, options }: { terminal: Terminal; options: Options }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Options>(options);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  const [saved, setSaved] = useState(false);
  const [, update] = useMutation(UpdateOptionsDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const result = await update({
      input: {
        id: terminal.id,
        expectedVersion: terminal.version,
        contactless: draft.contactless,
        tipping: draft.tipping,
        cashback: draft.cashback,
        preAuthorization: draft.preAuthorization,
        manualEntry: draft.manualEntry,
        receiptMode: draft.receiptMode,
        language: draft.language,
        settlementTime: draft.settlementTime,
      },
    });
    const userErrors = result.data?.updateTerminalOptions?.userErrors ?? [];
    setErrors(result.error ? [{ message: errorMessage(result.error, t) }] : userErrors);
    setSaved(!result.error && !userErrors.length);
  };
  return (
    <form className="options-form" onSubmit={submit} aria-label={t("terminal.editOptions")}>
      {SWITCHES.map((key) => (
        <label key={key} className="check">
          <input type="checkbox" checked={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.checked })} />
          {t(`options.${key}`)}
        </label>
      ))}
      <label>
        {t("options.receiptMode")}
        <select value={draft.receiptMode} onChange={(e) => setDraft({ ...draft, receiptMode: e.target.value as ReceiptMode })}>
          {RECEIPTS.map((r) => (
            <option key={r} value={r}>
              {t(`receipt.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("options.language")}
        <input value={draft.language} onChange={(e) => setDraft({ ...draft, language: e.target.value })} maxLength={2} />
      </label>
      <label>
        {t("options.settlementTime")}
        <input type="time" value={draft.settlementTime} onChange={(e) => setDraft({ ...draft, settlementTime: e.target.value })} />
      </label>
      <button type="submit" className="primary">
        {t("terminal.saveOptions")}
      </button>
      {saved && <p role="status">{t("terminal.optionsSaved")}</p>}
      <Problems problems={errors} />
    </form>
  );
}

function Diagnosis({ id }: { id: string }) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState(false);
  const [{ data, error, fetching }, run] = useQuery({ query: DiagnoseDocument, variables: { id }, pause: !asked, requestPolicy: "network-only" });
  const diagnosis = data?.diagnoseTerminal;
  return (
    <Section title={t("terminal.diagnosis")}>
      <button
        type="button"
        onClick={() => {
          if (asked) run({ requestPolicy: "network-only" });
          else setAsked(true);
        }}
        disabled={fetching}
      >
        {t("terminal.diagnose")}
      </button>
      {fetching && <Loading />}
      {error && <ErrorState error={error} />}
      {diagnosis && (
        <div data-testid="diagnosis">
          <p>
            {t("terminal.verdict")} <span className={`badge verdict-${diagnosis.verdict.toLowerCase()}`}>{t(`verdict.${diagnosis.verdict}`)}</span>
          </p>
          <ul className="checks">
            {diagnosis.checks.map((check) => (
              <li key={check.code} className={`check-${check.verdict.toLowerCase()}`}>
                <strong>
                  {t(`verdict.${check.verdict}`)} — {check.title}
                </strong>
                <p>{check.hint}</p>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Section>
  );
}

export function TerminalDetail() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { can, reads } = useAbilities();
  const withEvents = can("terminalEvents");
  const withCommands = reads("Terminal.commands");
  const [{ data, error, fetching }, reexecute] = useQuery({ query: TerminalDetailDocument, variables: { id, withCommands } });
  const [, sendCommand] = useMutation(SendCommandDocument);
  const node = data?.node;
  const tid = node?.__typename === "Terminal" ? (node as Terminal).tid : null;
  // Live: the change updates the cached terminal (its commands and options are asked again).
  useSubscription({ query: TerminalChangesDocument, variables: { filter: { text: tid } }, pause: !tid }, (_p, change) => {
    if (change.terminalStatusChanged.terminal.id === id) reexecute({ requestPolicy: "network-only" });
    return change;
  });
  const [, blockTerminal] = useMutation(BlockTerminalDocument);
  const [, unblockTerminal] = useMutation(UnblockTerminalDocument);
  const [, blockService] = useMutation(BlockServiceDocument);
  const [, unblockService] = useMutation(UnblockServiceDocument);
  // A block with an end (`until`) is lifted by the server at that time: the page asks again
  // just after it, so the user sees the service or terminal unblock by itself.
  const ends = node?.__typename === "Terminal" ? [(node as Terminal).blockedUntil, ...(node as Terminal).services.map((s) => s.blockedUntil)] : [];
  const nextEnd = ends
    .filter((value): value is string => Boolean(value))
    .map((value) => Date.parse(value))
    .filter((at) => at > Date.now() - 60_000)
    .sort((a, b) => a - b)[0];
  useEffect(() => {
    if (nextEnd === undefined) return;
    const timer = window.setTimeout(() => reexecute({ requestPolicy: "network-only" }), Math.max(nextEnd - Date.now(), 0) + 2000);
    return () => window.clearTimeout(timer);
  }, [nextEnd, data, reexecute]);
  const [actionErrors, setActionErrors] = useState<readonly UserError[]>([]);
  // The block form open, for the terminal or one of its services (kept here, not in a table
  // cell, so that a live refresh of the page does not close it while the user types).
  const [blocking, setBlocking] = useState<string | null>(null);

  if (error && !data) return <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  if (fetching && !data) return <Loading />;
  if (!node || node.__typename !== "Terminal") return <p role="alert">{t("terminal.notFound")}</p>;
  const terminal = node as Terminal;
  const date = (value: string | null | undefined) => formatDate(value, i18n.language);
  const failed = (message: string) => [{ message, code: "INVALID", field: null }];

  const commandColumns: ColumnDef<Command, unknown>[] = [
    { id: "at", header: t("columns.at"), cell: ({ row }) => date(row.original.createdAt) },
    { id: "kind", header: t("columns.kind"), cell: ({ row }) => t(`command.kind.${row.original.kind}`) },
    { id: "status", header: t("columns.status"), cell: ({ row }) => t(`command.status.${row.original.status}`) },
    { id: "by", header: t("columns.actor"), cell: ({ row }) => row.original.requestedByLabel ?? "—" },
    {
      id: "end",
      header: t("command.finished"),
      cell: ({ row }) => [date(row.original.finishedAt), row.original.failureReason].filter((v) => v && v !== "—").join(" — ") || "—",
    },
  ];
  const serviceColumns: ColumnDef<Service, unknown>[] = [
    { id: "kind", header: t("columns.kind"), cell: ({ row }) => t(`serviceKind.${row.original.kind}`) },
    { id: "status", header: t("columns.status"), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: "contract", header: t("columns.contract"), cell: ({ row }) => row.original.contract?.number ?? "—" },
    {
      id: "blocked",
      header: t("terminal.blocked"),
      cell: ({ row }) =>
        row.original.blockedReason
          ? `${row.original.blockedReason}${row.original.blockedUntil ? ` — ${t("terminal.untilShort", { at: date(row.original.blockedUntil) })}` : ""}`
          : "—",
    },
    {
      id: "actions",
      header: t("terminal.actions"),
      cell: ({ row }) => {
        const service = row.original;
        if (service.status === "BLOCKED" && can("unblockService"))
          return (
            <button
              type="button"
              onClick={async () => {
                const r = await unblockService({ input: { id: service.id, expectedVersion: service.version } });
                setActionErrors(r.error ? failed(errorMessage(r.error, t)) : (r.data?.unblockService?.userErrors ?? []));
              }}
            >
              {t("terminal.unblockService")}
            </button>
          );
        if (service.status === "ACTIVE" && can("blockService"))
          return (
            <button type="button" aria-expanded={blocking === service.id} onClick={() => setBlocking(service.id)}>
              {t("terminal.blockService")}
            </button>
          );
        return null;
      },
    },
  ];
  const options = terminal.options;
  return (
    <article className="company">
      <header className="company-header">
        <h1>
          {t("terminal.title")} {terminal.tid}
        </h1>
        <StatusBadge status={terminal.status} />
        <span data-testid="terminal-connectivity">
          <StatusBadge status={terminal.connectivity} />
        </span>
      </header>
      <dl className="facts">
        <Fact label={t("fleet.shop")}>{terminal.shop ? <Link to={PATHS.shop(terminal.shop.id)}>{terminal.shop.name}</Link> : "—"}</Fact>
        <Fact label={t("columns.company")}>
          {terminal.shop?.company ? <Link to={PATHS.company(terminal.shop.company.id)}>{terminal.shop.company.legalName}</Link> : "—"}
        </Fact>
        <Fact label={t("columns.kind")}>{t(`terminalKind.${terminal.kind}`)}</Fact>
        <Fact label={t("columns.model")}>{terminal.model ?? "—"}</Fact>
        <Fact label={t("columns.serial")}>{terminal.serialNumber ?? "—"}</Fact>
        <Fact label={t("terminal.versions")}>
          {[terminal.osVersion && `OS ${terminal.osVersion}`, terminal.firmwareVersion && `FW ${terminal.firmwareVersion}`, terminal.appVersion && `app ${terminal.appVersion}`]
            .filter(Boolean)
            .join(" · ") || "—"}
        </Fact>
        <Fact label={t("columns.lastSeen")}>{date(terminal.lastSeenAt)}</Fact>
        {terminal.blockedReason && (
          <Fact label={t("terminal.blocked")}>
            {terminal.blockedReason}
            {terminal.blockedUntil && ` — ${t("terminal.untilShort", { at: date(terminal.blockedUntil) })}`}
          </Fact>
        )}
      </dl>
      <div className="actions">
        {terminal.status === "BLOCKED" && can("unblockTerminal") && (
          <button
            type="button"
            onClick={async () => {
              const r = await unblockTerminal({ input: { id: terminal.id, expectedVersion: terminal.version } });
              setActionErrors(r.error ? failed(errorMessage(r.error, t)) : (r.data?.unblockTerminal?.userErrors ?? []));
            }}
          >
            {t("terminal.unblock")}
          </button>
        )}
        {(terminal.status === "ACTIVE" || terminal.status === "ASSIGNED") && can("blockTerminal") && blocking !== terminal.id && (
          <button type="button" onClick={() => setBlocking(terminal.id)}>
            {t("terminal.block")}
          </button>
        )}
        {blocking === terminal.id && (
          <BlockForm
            label={t("terminal.block")}
            onClose={() => setBlocking(null)}
            onBlock={async (reason, until) => {
              const r = await blockTerminal({ input: { id: terminal.id, reason, until, expectedVersion: terminal.version } });
              return r.error ? failed(errorMessage(r.error, t)) : (r.data?.blockTerminal?.userErrors ?? []);
            }}
          />
        )}
        <Problems problems={actionErrors} />
      </div>
      <Section title={t("terminal.options")}>
        {options ? (
          <>
            <p data-testid="options-status">
              {terminal.optionsStatus === "PENDING"
                ? t("terminal.optionsPending", { version: options.versionNumber, since: date(options.createdAt) })
                : t("terminal.optionsApplied", { version: options.versionNumber, at: date(options.acknowledgedAt ?? terminal.optionsAppliedAt) })}
            </p>
            {can("updateTerminalOptions") ? (
              <OptionsForm key={`${options.versionNumber}`} terminal={terminal} options={options} />
            ) : (
              <dl className="facts">
                {SWITCHES.map((key) => (
                  <Fact key={key} label={t(`options.${key}`)}>
                    {options[key] ? t("terminal.yes") : t("terminal.no")}
                  </Fact>
                ))}
                <Fact label={t("options.receiptMode")}>{t(`receipt.${options.receiptMode}`)}</Fact>
                <Fact label={t("options.settlementTime")}>{options.settlementTime}</Fact>
              </dl>
            )}
          </>
        ) : (
          <p>{t("terminal.noOptions")}</p>
        )}
      </Section>
      <Section title={t("shop.services")} count={terminal.services.length}>
        <DataTable columns={serviceColumns} data={terminal.services} caption={t("shop.services")} empty={t("company.none")} />
        {terminal.services
          .filter((service) => service.id === blocking)
          .map((service) => (
            <BlockForm
              key={service.id}
              label={t("terminal.blockService")}
              onClose={() => setBlocking(null)}
              onBlock={async (reason, until) => {
                const r = await blockService({ input: { id: service.id, reason, until, expectedVersion: service.version } });
                return r.error ? failed(errorMessage(r.error, t)) : (r.data?.blockService?.userErrors ?? []);
              }}
            />
          ))}
      </Section>
      {terminal.commands && (
        <Section title={t("command.title")}>
          {can("sendTerminalCommand") && (
            <div className="actions" role="group" aria-label={t("command.send")}>
              {COMMANDS.filter((kind) => kind !== "DOWNLOAD_PARAMETERS" || terminal.kind === "PAX").map((kind) => (
                <button
                  key={kind}
                  type="button"
                  onClick={async () => {
                    const r = await sendCommand({ input: { terminalId: terminal.id, command: kind } });
                    setActionErrors(r.error ? failed(errorMessage(r.error, t)) : (r.data?.sendTerminalCommand?.userErrors ?? []));
                    reexecute({ requestPolicy: "network-only" });
                  }}
                >
                  {t(`command.kind.${kind}`)}
                </button>
              ))}
            </div>
          )}
          <DataTable
            columns={commandColumns}
            data={terminal.commands.edges.map((e) => e.node)}
            caption={t("command.title")}
            empty={t("company.none")}
            testId="terminal-commands"
          />
        </Section>
      )}
      {can("diagnoseTerminal") && <Diagnosis id={terminal.id} />}
      {withEvents && (
        <Section title={t("terminal.journal")}>
          <TerminalJournal id={terminal.id} live={can("terminalEventRecorded")} />
        </Section>
      )}
    </article>
  );
}
