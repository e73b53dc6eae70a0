// Parc: every terminal of the partner with its live connectivity. The counts that matter at a
// glance (offline, options pending, blocked) head the page, in one reading (`terminalCounts`,
// one statement on the server; each tile's figure is the `totalCount` of the filter it sets);
// the list has the API's filters, sort and paging, kept in the URL. `terminalStatusChanged` pushes each change: Graphcache updates the
// terminal wherever it is shown (same id), the counts are asked again, and a polite live region
// says what changed.
import type { ColumnDef, SortingState } from "@tanstack/react-table";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigationType, useSearchParams } from "react-router";
import { useQuery, useSubscription } from "urql";
import { DataTable } from "../components/DataTable";
import { ExportButton } from "../components/ExportButton";
import { formatDate } from "../components/format";
import { ErrorState } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { graphql } from "../gql";
import type {
  Connectivity,
  FleetQuery,
  OptionsStatus,
  OrderDirection,
  TerminalFilter,
  TerminalKind,
  TerminalOrder,
  TerminalOrderField,
  TerminalStatus,
} from "../gql/graphql";
import { PATHS } from "../routes";

const PAGE = 25;

export const FleetCountsDocument = graphql(`
  query FleetCounts {
    terminalCounts {
      total
      offline
      optionsPending
      blocked
    }
  }
`);

const FleetDocument = graphql(`
  query Fleet($filter: TerminalFilter, $orderBy: TerminalOrder, $first: Int, $after: String, $last: Int, $before: String) {
    terminals(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          tid
          kind
          model
          appVersion
          firmwareVersion
          status
          connectivity
          optionsStatus
          lastSeenAt
          shop {
            id
            name
          }
        }
      }
    }
  }
`);

export const TerminalChangesDocument = graphql(`
  subscription TerminalChanges($filter: TerminalFilter) {
    terminalStatusChanged(filter: $filter) {
      connectivity
      optionsStatus
      observedAt
      terminal {
        id
        tid
        status
        connectivity
        optionsStatus
        lastSeenAt
        appliedOptionsVersion
        optionsAppliedAt
      }
    }
  }
`);

type Row = NonNullable<FleetQuery["terminals"]>["edges"][number]["node"];

const CONNECTIVITY: Connectivity[] = ["ONLINE", "OFFLINE"];
const OPTIONS: OptionsStatus[] = ["PENDING", "APPLIED"];
const STATUSES: TerminalStatus[] = ["IN_STOCK", "ASSIGNED", "ACTIVE", "BLOCKED", "RETURNED"];
const KINDS: TerminalKind[] = ["PAX", "SOFTPOS"];
const SORTABLE: Record<string, TerminalOrderField> = { tid: "TID", createdAt: "CREATED_AT" };

const rowId = (row: Row) => row.id;

export function Fleet() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  // The text filter is the input's own state, written to the URL as it changes: read back
  // from the URL, a fast typist's keys were lost (the router's update lands after the next
  // key). The URL wins when the user goes to it (back, forward, a link); the filters' own
  // updates replace the URL entry and are not read back.
  const urlText = params.get("q") ?? "";
  const [text, setText] = useState(urlText);
  const { key } = useLocation();
  const navigation = useNavigationType();
  useEffect(() => {
    if (navigation !== "REPLACE") setText(urlText);
    // On a new history entry only (not on each of its own updates).
  }, [key]);
  const connectivity = params.get("connectivity") as Connectivity | null;
  const optionsStatus = params.get("options") as OptionsStatus | null;
  const status = params.get("status") as TerminalStatus | null;
  const kind = params.get("kind") as TerminalKind | null;
  const sortId = params.get("sort") ?? "tid";
  const desc = params.get("dir") === "desc";
  const after = params.get("after");
  const before = params.get("before");

  const update = (changes: Record<string, string | null>, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!keepPage) {
      next.delete("after");
      next.delete("before");
    }
    setParams(next, { replace: !keepPage });
  };

  const direction: OrderDirection = desc ? "DESC" : "ASC";
  const orderBy: TerminalOrder = { field: SORTABLE[sortId] ?? "TID", direction };
  const filter: TerminalFilter = {
    text: text.trim() || null,
    connectivity,
    optionsStatus,
    status: status ? [status] : null,
    kind,
  };
  const [{ data: answer, error, fetching }, reexecute] = useQuery({
    query: FleetDocument,
    variables: {
      filter,
      orderBy,
      ...(before ? { last: PAGE, before } : { first: PAGE, after }),
    },
  });
  // While the next filter's page is on its way, the rows shown stay those of the last one
  // (the table says it is busy), instead of an empty table at each key typed.
  const shown = useRef(answer);
  if (answer) shown.current = answer;
  const data = answer ?? shown.current;
  const [counts, recount] = useQuery({ query: FleetCountsDocument });

  // Live: each change updates the cached terminal (the rows follow); the counts are asked again,
  // at most once a second however many terminals change.
  const [said, setSaid] = useState("");
  const filtered = useRef(false);
  filtered.current = Boolean(connectivity || optionsStatus || status);
  const recountTimer = useRef<number | null>(null);
  const [live] = useSubscription({ query: TerminalChangesDocument, variables: { filter: null } }, (_previous, change) => {
    const terminal = change.terminalStatusChanged.terminal;
    setSaid(t("fleet.changed", { tid: terminal.tid, state: t(`status.${change.terminalStatusChanged.connectivity}`) }));
    if (recountTimer.current === null) {
      recountTimer.current = window.setTimeout(() => {
        recountTimer.current = null;
        recount({ requestPolicy: "network-only" });
        // A filter on what changes live: the page is asked again, so that a terminal that no
        // longer matches leaves it (the others follow through the cache, as they are).
        if (filtered.current) reexecute({ requestPolicy: "network-only" });
      }, 1000);
    }
    return change;
  });
  useEffect(
    () => () => {
      if (recountTimer.current !== null) window.clearTimeout(recountTimer.current);
    },
    [],
  );

  // Made once per language: the table's rows render again only when their terminal changes.
  const language = i18n.language;
  const columns = useMemo<ColumnDef<Row, unknown>[]>(() => [
    {
      id: "tid",
      header: t("columns.tid"),
      cell: ({ row }) => <Link to={PATHS.terminal(row.original.id)}>{row.original.tid}</Link>,
    },
    { id: "kind", header: t("columns.kind"), enableSorting: false, cell: ({ row }) => t(`terminalKind.${row.original.kind}`) },
    {
      id: "shop",
      header: t("fleet.shop"),
      enableSorting: false,
      cell: ({ row }) => (row.original.shop ? <Link to={PATHS.shop(row.original.shop.id)}>{row.original.shop.name}</Link> : "—"),
    },
    {
      id: "connectivity",
      header: t("columns.connectivity"),
      enableSorting: false,
      cell: ({ row }) => <StatusBadge status={row.original.connectivity} />,
    },
    {
      id: "options",
      header: t("fleet.options"),
      enableSorting: false,
      cell: ({ row }) => (row.original.optionsStatus ? t(`optionsStatus.${row.original.optionsStatus}`) : "—"),
    },
    { id: "status", header: t("columns.status"), enableSorting: false, cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    {
      id: "model",
      header: t("columns.model"),
      enableSorting: false,
      cell: ({ row }) => [row.original.model, row.original.appVersion && `app ${row.original.appVersion}`].filter(Boolean).join(" · ") || "—",
    },
    { id: "lastSeen", header: t("columns.lastSeen"), enableSorting: false, cell: ({ row }) => formatDate(row.original.lastSeenAt, language) },
  ], [t, language]);
  const sorting: SortingState = [{ id: sortId, desc }];
  const connection = data?.terminals;
  const c = counts.data?.terminalCounts;

  const select = <T extends string>(label: string, key: string, value: T | null, values: T[], word: (v: T) => string) => (
    <label>
      {label}
      <select value={value ?? ""} onChange={(e) => update({ [key]: e.target.value })}>
        <option value="">{t("companies.all")}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {word(v)}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section>
      <h1>{t("fleet.title")}</h1>
      <ul className="tiles" aria-label={t("fleet.glance")}>
        <li>
          <button type="button" className="tile" aria-pressed={!connectivity && !optionsStatus && !status} onClick={() => update({ connectivity: null, options: null, status: null })}>
            <span className="tile-count" data-testid="count-all">{c?.total ?? "…"}</span> {t("fleet.all")}
          </button>
        </li>
        <li>
          <button type="button" className="tile tile-offline" aria-pressed={connectivity === "OFFLINE"} onClick={() => update({ connectivity: "OFFLINE", options: null, status: null })}>
            <span className="tile-count" data-testid="count-offline">{c?.offline ?? "…"}</span> {t("fleet.offline")}
          </button>
        </li>
        <li>
          <button type="button" className="tile tile-pending" aria-pressed={optionsStatus === "PENDING"} onClick={() => update({ options: "PENDING", connectivity: null, status: null })}>
            <span className="tile-count" data-testid="count-pending">{c?.optionsPending ?? "…"}</span> {t("fleet.pending")}
          </button>
        </li>
        <li>
          <button type="button" className="tile tile-blocked" aria-pressed={status === "BLOCKED"} onClick={() => update({ status: "BLOCKED", connectivity: null, options: null })}>
            <span className="tile-count" data-testid="count-blocked">{c?.blocked ?? "…"}</span> {t("fleet.blocked")}
          </button>
        </li>
      </ul>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("fleet.filterText")}
          <input
            type="search"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              update({ q: e.target.value });
            }}
          />
        </label>
        {select(t("columns.connectivity"), "connectivity", connectivity, CONNECTIVITY, (v) => t(`status.${v}`))}
        {select(t("fleet.options"), "options", optionsStatus, OPTIONS, (v) => t(`optionsStatus.${v}`))}
        {select(t("columns.status"), "status", status, STATUSES, (v) => t(`status.${v}`))}
        {select(t("columns.kind"), "kind", kind, KINDS, (v) => t(`terminalKind.${v}`))}
      </form>
      <p className="live-state" role="status" aria-live="polite" data-testid="fleet-live">
        {live.error ? t("fleet.liveLost") : said}
      </p>
      {error && !data ? (
        <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : (
        <>
          <p className="count" aria-live="polite">
            {connection ? t("fleet.count", { count: connection.totalCount }) : fetching ? "…" : ""}
          </p>
          <ExportButton list="terminals" filter={filter} orderBy={orderBy} disabled={!connection?.totalCount} />
          <DataTable
            columns={columns}
            data={connection?.edges.map((e) => e.node) ?? []}
            caption={t("fleet.title")}
            empty={fetching ? t("app.loading") : t("company.none")}
            sorting={sorting}
            busy={fetching}
            onSortingChange={(next) => {
              const first = next[0];
              update({ sort: first?.id ?? null, dir: first?.desc ? "desc" : null });
            }}
            testId="fleet"
            rowId={rowId}
          />
          <nav className="pager" aria-label={t("fleet.paging")}>
            <button
              type="button"
              disabled={!(connection?.pageInfo.hasPreviousPage || after)}
              onClick={() => update({ before: connection?.pageInfo.startCursor ?? null, after: null }, true)}
            >
              {t("companies.previous")}
            </button>
            <button
              type="button"
              disabled={!(connection?.pageInfo.hasNextPage || before)}
              onClick={() => update({ after: connection?.pageInfo.endCursor ?? null, before: null }, true)}
            >
              {t("companies.next")}
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
