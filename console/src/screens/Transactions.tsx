// Transactions: the history with every filter the API offers (period, status, type, scheme,
// entry mode, response code, amount, and a company, shop or terminal from their pages), kept in
// the URL; above it, `transactionStats` for the same filter: counts (approved and refused),
// approval rate and net amount per hour (a period of two days or less) or per day, and the
// most frequent refusal codes with their meaning. The chart is also a table (for screen readers
// and for reading exact figures).
import type { ColumnDef, SortingState } from "@tanstack/react-table";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { DataTable } from "../components/DataTable";
import { ExportButton } from "../components/ExportButton";
import { addDays, dayStart, formatBucket, formatDate, formatMoney, parseDecimal } from "../components/format";
import { ErrorState } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { graphql } from "../gql";
import type {
  CardScheme,
  EntryMode,
  OrderDirection,
  StatsInterval,
  TransactionFilter,
  TransactionOrder,
  TransactionOrderField,
  TransactionsQuery,
  TransactionStatsQuery,
  TransactionStatus,
  TransactionType,
} from "../gql/graphql";
import { PATHS } from "../routes";

const PAGE = 25;

const DAY_MS = 86_400_000;

const TransactionsDocument = graphql(`
  query Transactions(
    $filter: TransactionFilter
    $orderBy: TransactionOrder
    $first: Int
    $after: String
    $last: Int
    $before: String
    $withCard: Boolean!
  ) {
    transactions(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
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
          type
          amount
          currency
          scheme
          entryMode
          status
          occurredAt
          maskedPan @include(if: $withCard)
          responseCode @include(if: $withCard)
          responseMessage @include(if: $withCard) {
            labelFr
            labelEn
          }
          terminal {
            id
            tid
          }
          shop {
            id
            name
          }
        }
      }
    }
  }
`);

const TransactionStatsDocument = graphql(`
  query TransactionStats($filter: TransactionFilter, $interval: StatsInterval!, $withCodes: Boolean!) {
    transactionStats(filter: $filter, interval: $interval) {
      interval
      occurredFrom
      occurredTo
      buckets {
        start
        count
        approvedCount
        declinedCount
        errorCount
        approvalRate
        amountApproved
        currency
      }
      totals {
        count
        approvedCount
        declinedCount
        errorCount
        approvalRate
        amountApproved
        currency
        topResponseCodes @include(if: $withCodes) {
          code
          count
          responseMessage {
            labelFr
            labelEn
          }
        }
      }
    }
  }
`);

type Row = NonNullable<TransactionsQuery["transactions"]>["edges"][number]["node"];
type Stats = NonNullable<TransactionStatsQuery["transactionStats"]>;
type Bucket = Stats["buckets"][number];

const STATUSES: TransactionStatus[] = ["APPROVED", "DECLINED", "ERROR", "REVERSED"];
const TYPES: TransactionType[] = ["PURCHASE", "REFUND", "PRE_AUTHORIZATION", "COMPLETION", "REVERSAL"];
const SCHEMES: CardScheme[] = ["CB", "VISA", "MASTERCARD", "AMEX", "MAESTRO", "VPAY"];
const MODES: EntryMode[] = ["CONTACTLESS", "CHIP", "MAGSTRIPE", "MANUAL", "TAP_TO_PAY"];
const SORTABLE: Record<string, TransactionOrderField> = { occurredAt: "OCCURRED_AT", amount: "AMOUNT" };

/** The end of the period typed: the partner's local midnight after the `to` day. */
function dayEnd(to: string | null): string | null {
  return to ? dayStart(addDays(to, 1)) : null;
}

/** The period and interval of the statistics: the filter's days (the partner's local days,
 * as the API's buckets are), else the last 24 hours; by the hour for up to two days. */
export function statsPeriod(from: string | null, to: string | null, now: number): { interval: StatsInterval; occurredFrom: string; occurredTo: string } {
  const end = dayEnd(to) ?? new Date(now).toISOString();
  const start = dayStart(from) ?? new Date(new Date(end).getTime() - DAY_MS).toISOString();
  // Two local days are 47 to 49 hours long around a daylight-saving change.
  const days = from && to ? Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1 : null;
  const hourly = days !== null ? days <= 2 : new Date(end).getTime() - new Date(start).getTime() <= 2 * DAY_MS;
  return { interval: hourly ? "HOUR" : "DAY", occurredFrom: start, occurredTo: end };
}

/** The chart's period in words: "the last 24 hours" without dates, else the days chosen. */
function periodText(t: (key: string, options?: Record<string, unknown>) => string, from: string | null, to: string | null, interval: StatsInterval, language: string): string {
  const per = t(interval === "HOUR" ? "transactions.perHour" : "transactions.perDay");
  const day = (value: string) => formatBucket(`${value}T12:00:00Z`, false, language);
  if (!from && !to) return t("transactions.lastDay", { per });
  if (from && to) return t(from === to ? "transactions.onDay" : "transactions.between", { from: day(from), to: day(to), per });
  return from ? t("transactions.since", { from: day(from), per }) : t("transactions.until", { to: day(to ?? ""), per });
}

function Chart({ buckets, interval, language, period }: { buckets: readonly Bucket[]; interval: StatsInterval; language: string; period: string }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const label = (b: Bucket) => formatBucket(b.start, interval === "HOUR", language);
  const width = 100 / Math.max(1, buckets.length);
  // Three marks under the bars (first, middle, last period) so that the chart reads as time.
  const marks = buckets.length > 2 ? [0, Math.floor(buckets.length / 2), buckets.length - 1].map((i) => buckets[i] as Bucket) : buckets;
  return (
    <figure className="chart">
      <p className="chart-period" data-testid="chart-period">
        {period}
      </p>
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label={`${t("transactions.chartLabel")} (${period})`}>
        {buckets.map((b, i) => {
          const approved = (b.approvedCount / max) * 38;
          const refused = ((b.declinedCount + b.errorCount) / max) * 38;
          return (
            <g key={b.start}>
              <title>{t("transactions.barTitle", { period: label(b), count: b.count, refused: b.declinedCount + b.errorCount })}</title>
              <rect x={i * width + width * 0.1} width={width * 0.8} y={40 - approved} height={approved} className="bar-approved" />
              <rect x={i * width + width * 0.1} width={width * 0.8} y={40 - approved - refused} height={refused} className="bar-refused" />
            </g>
          );
        })}
      </svg>
      <div className="chart-axis" aria-hidden="true">
        {marks.map((b) => (
          <span key={b.start}>{label(b)}</span>
        ))}
      </div>
      <figcaption>
        <span className="key key-approved" /> {t("transactions.approved")} <span className="key key-refused" /> {t("transactions.refused")}
      </figcaption>
      <details>
        <summary>{t("transactions.asTable")}</summary>
        <table className="table">
          <caption className="visually-hidden">{t("transactions.chartLabel")}</caption>
          <thead>
            <tr>
              <th scope="col">{t(interval === "HOUR" ? "transactions.hour" : "transactions.day")}</th>
              <th scope="col">{t("transactions.count")}</th>
              <th scope="col">{t("transactions.approved")}</th>
              <th scope="col">{t("transactions.refused")}</th>
              <th scope="col">{t("transactions.rate")}</th>
              <th scope="col">{t("transactions.net")}</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.start}>
                <td>{label(b)}</td>
                <td>{b.count}</td>
                <td>{b.approvedCount}</td>
                <td>{b.declinedCount + b.errorCount}</td>
                <td>{b.approvalRate === null || b.approvalRate === undefined ? "—" : `${Math.round(b.approvalRate * 100)} %`}</td>
                <td>{b.currency ? formatMoney(b.amountApproved, b.currency, language) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function Transactions() {
  const { t, i18n } = useTranslation();
  const { can, reads } = useAbilities();
  const [params, setParams] = useSearchParams();
  const language = i18n.language;
  const get = (key: string) => params.get(key);
  const from = get("from");
  const to = get("to");
  const sortId = get("sort") ?? "occurredAt";
  const desc = get("dir") !== "asc";
  const after = get("after");
  const before = get("before");
  const euros = (key: string) => {
    const value = get(key);
    const parsed = value ? parseDecimal(value) : null;
    return parsed === null ? null : Math.round(parsed * 100);
  };

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

  const filter: TransactionFilter = {
    company: get("company"),
    shop: get("shop"),
    terminal: get("terminal"),
    status: get("status") ? [get("status") as TransactionStatus] : null,
    type: get("type") ? [get("type") as TransactionType] : null,
    scheme: get("scheme") ? [get("scheme") as CardScheme] : null,
    entryMode: get("mode") ? [get("mode") as EntryMode] : null,
    responseCode: get("code") ? [get("code") as string] : null,
    occurredFrom: dayStart(from),
    occurredTo: dayEnd(to),
    amountMin: euros("min"),
    amountMax: euros("max"),
  };
  const direction: OrderDirection = desc ? "DESC" : "ASC";
  const orderBy: TransactionOrder = { field: SORTABLE[sortId] ?? "OCCURRED_AT", direction };
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: TransactionsDocument,
    variables: {
      filter,
      orderBy,
      ...(before ? { last: PAGE, before } : { first: PAGE, after }),
      withCard: reads("Transaction.responseCode"),
    },
  });
  // Up to the next whole minute: it includes what was just recorded, and the variables stay
  // the same for a minute (no new request at every render).
  const period = statsPeriod(from, to, Math.ceil((Date.now() + 1) / 60_000) * 60_000);
  const [stats] = useQuery({
    query: TransactionStatsDocument,
    variables: {
      filter: { ...filter, occurredFrom: period.occurredFrom, occurredTo: period.occurredTo },
      interval: period.interval,
      withCodes: reads("TransactionStatsBucket.topResponseCodes"),
    },
    pause: !can("transactionStats"),
  });

  const columns: ColumnDef<Row, unknown>[] = [
    {
      id: "occurredAt",
      header: t("columns.at"),
      // The date opens the transaction's own page (amount, card, the issuer's answer, links).
      cell: ({ row }) =>
        can("node") ? (
          <Link to={PATHS.transaction(row.original.id)} title={t("transactions.open")}>
            {formatDate(row.original.occurredAt, language)}
          </Link>
        ) : (
          formatDate(row.original.occurredAt, language)
        ),
    },
    {
      id: "shop",
      header: t("fleet.shop"),
      enableSorting: false,
      cell: ({ row }) => (row.original.shop ? <Link to={PATHS.shop(row.original.shop.id)}>{row.original.shop.name}</Link> : "—"),
    },
    {
      id: "tid",
      header: t("columns.tid"),
      enableSorting: false,
      cell: ({ row }) => (row.original.terminal ? <Link to={PATHS.terminal(row.original.terminal.id)}>{row.original.terminal.tid}</Link> : "—"),
    },
    { id: "type", header: t("wall.type"), enableSorting: false, cell: ({ row }) => t(`txType.${row.original.type}`) },
    { id: "amount", header: t("wall.amountColumn"), cell: ({ row }) => formatMoney(row.original.amount, row.original.currency, language) },
    {
      id: "card",
      header: t("wall.card"),
      enableSorting: false,
      cell: ({ row }) => `${row.original.scheme}${row.original.maskedPan ? ` · ${row.original.maskedPan}` : ""} · ${t(`entryMode.${row.original.entryMode}`)}`,
    },
    { id: "status", header: t("columns.status"), enableSorting: false, cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    {
      id: "response",
      header: t("wall.response"),
      enableSorting: false,
      cell: ({ row }) => {
        const m = row.original.responseMessage;
        return [row.original.responseCode, row.original.status !== "APPROVED" && m ? (language === "en" ? m.labelEn : m.labelFr) : null].filter(Boolean).join(" ") || "—";
      },
    },
  ];
  const sorting: SortingState = [{ id: sortId, desc }];
  const connection = data?.transactions;
  const s = stats.data?.transactionStats;

  const select = (label: string, key: string, values: readonly string[], word: (v: string) => string) => (
    <label>
      {label}
      <select value={get(key) ?? ""} onChange={(e) => update({ [key]: e.target.value })}>
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
      <h1>{t("transactions.title")}</h1>
      {(get("company") || get("shop") || get("terminal")) && (
        <p>
          {t("transactions.scoped")} <Link to={PATHS.transactions}>{t("transactions.all")}</Link>
        </p>
      )}
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("transactions.from")}
          <input type="date" value={from ?? ""} onChange={(e) => update({ from: e.target.value })} />
        </label>
        <label>
          {t("transactions.to")}
          <input type="date" value={to ?? ""} onChange={(e) => update({ to: e.target.value })} />
        </label>
        {select(t("columns.status"), "status", STATUSES, (v) => t(`status.${v}`))}
        {select(t("wall.type"), "type", TYPES, (v) => t(`txType.${v}`))}
        {select(t("transactions.scheme"), "scheme", SCHEMES, (v) => v)}
        {select(t("transactions.mode"), "mode", MODES, (v) => t(`entryMode.${v}`))}
        <label>
          {t("transactions.code")}
          <input value={get("code") ?? ""} onChange={(e) => update({ code: e.target.value.trim() })} size={4} inputMode="numeric" />
        </label>
        <label>
          {t("transactions.min")}
          <input value={get("min") ?? ""} onChange={(e) => update({ min: e.target.value })} size={8} inputMode="decimal" />
        </label>
        <label>
          {t("transactions.max")}
          <input value={get("max") ?? ""} onChange={(e) => update({ max: e.target.value })} size={8} inputMode="decimal" />
        </label>
      </form>
      {s && (
        <section className="stats" aria-label={t("transactions.stats")} data-testid="stats">
          <dl className="wall-figures">
            <div>
              <dt>{t("transactions.count")}</dt>
              <dd data-testid="stats-count">{s.totals.count.toLocaleString(language)}</dd>
            </div>
            <div>
              <dt>{t("transactions.rate")}</dt>
              <dd>{s.totals.approvalRate === null || s.totals.approvalRate === undefined ? "—" : `${Math.round(s.totals.approvalRate * 100)} %`}</dd>
            </div>
            <div>
              <dt>{t("transactions.net")}</dt>
              <dd>{s.totals.currency ? formatMoney(s.totals.amountApproved, s.totals.currency, language) : "—"}</dd>
            </div>
          </dl>
          <Chart buckets={s.buckets} interval={s.interval} language={language} period={periodText(t, from, to, s.interval, language)} />
          {s.totals.topResponseCodes && s.totals.topResponseCodes.length > 0 && (
            <>
              <h2>{t("transactions.topCodes")}</h2>
              <ol className="top-codes" data-testid="top-codes">
                {s.totals.topResponseCodes.map((c) => (
                  <li key={c.code}>
                    <button type="button" className="link" onClick={() => update({ code: c.code })}>
                      {c.code}
                    </button>{" "}
                    {c.responseMessage ? (language === "en" ? c.responseMessage.labelEn : c.responseMessage.labelFr) : ""} — {c.count}
                  </li>
                ))}
              </ol>
            </>
          )}
        </section>
      )}
      {error && !data ? (
        <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : (
        <>
          <p className="count" aria-live="polite">
            {connection ? t("transactions.listCount", { count: connection.totalCount }) : fetching ? "…" : ""}
          </p>
          <ExportButton list="transactions" filter={filter} orderBy={orderBy} disabled={!connection?.totalCount} />
          <DataTable
            columns={columns}
            data={connection?.edges.map((e) => e.node) ?? []}
            caption={t("transactions.title")}
            empty={fetching ? t("app.loading") : t("company.none")}
            sorting={sorting}
            busy={fetching}
            onSortingChange={(next) => {
              const first = next[0];
              update({ sort: first?.id ?? null, dir: first && !first.desc ? "asc" : null });
            }}
            testId="transactions"
          />
          <nav className="pager" aria-label={t("transactions.paging")}>
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
