// Supervision, the live wall: transactions as they are recorded (`transactionRecorded`) for
// the partner, a company (?company=<id>) or a shop (?shop=<id>). Declines and errors stand out
// with their response code's meaning; the last minute's count, approved amount and approval
// rate are kept up to date; pause holds new rows aside (nothing is dropped from the feed) and
// resume shows them. The feed resumes from its last cursor after a dropped connection
// (api/resumable.ts), and the page says so while it catches up. Memory stays bounded for a
// whole shift: the wall keeps the last WINDOW rows (older ones are in Transactions) and the
// minute's figures only the last minute's events.
import { print } from "graphql";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { openFeed, type FeedState } from "../api/resumable";
import { useAbilities } from "../auth/permissions";
import { formatMoney, formatTime } from "../components/format";
import { StatusBadge } from "../components/StatusBadge";
import { graphql } from "../gql";
import type { WallSubscription } from "../gql/graphql";
import { PATHS } from "../routes";

/** Rows kept on the wall. */
export const WINDOW = 200;
const MINUTE_MS = 60_000;

const WallDocument = graphql(`
  subscription Wall($filter: TransactionFilter, $after: String) {
    transactionRecorded(filter: $filter, after: $after) {
      cursor
      transaction {
        id
        type
        amount
        currency
        scheme
        entryMode
        status
        occurredAt
        maskedPan
        responseCode
        responseMessage {
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
`);

const ScopeDocument = graphql(`
  query WallScope($id: ID!) {
    node(id: $id) {
      __typename
      ... on Company {
        id
        legalName
      }
      ... on Shop {
        id
        name
      }
    }
  }
`);

type Recorded = WallSubscription["transactionRecorded"];
type Tx = Recorded["transaction"];

interface Minute {
  count: number;
  approved: number;
  decided: number;
  amount: number;
  currency: string | null;
}

/** The last minute's figures from the events seen (money: approved purchases and completions). */
export function lastMinute(events: readonly { at: number; tx: Pick<Tx, "status" | "type" | "amount" | "currency"> }[], now: number): Minute {
  const minute: Minute = { count: 0, approved: 0, decided: 0, amount: 0, currency: null };
  for (const { at, tx } of events) {
    if (now - at > MINUTE_MS) continue;
    minute.count += 1;
    if (tx.status === "APPROVED" || tx.status === "DECLINED") minute.decided += 1;
    if (tx.status === "APPROVED") {
      minute.approved += 1;
      const sign = tx.type === "REFUND" ? -1 : tx.type === "PURCHASE" || tx.type === "COMPLETION" ? 1 : 0;
      minute.amount += sign * Number(tx.amount);
      minute.currency = minute.currency === null || minute.currency === tx.currency ? tx.currency : "*";
    }
  }
  return minute;
}

/** One row of the wall. Memoised: a new event renders its own row, not the whole window again
 * (at 20 transactions a second, re-rendering 200 rows with their date and money formats each
 * time was most of the page's work). `data-id` lets bench/wall.py time each row's paint. */
const WallRow = memo(function WallRow({ tx, language, linked }: { tx: Tx; language: string; linked: boolean }) {
  const { t } = useTranslation();
  const refused = tx.status === "DECLINED" || tx.status === "ERROR";
  const meaning = tx.responseMessage ? (language === "en" ? tx.responseMessage.labelEn : tx.responseMessage.labelFr) : null;
  return (
    <tr className={refused ? "refused" : undefined} data-testid="wall-row" data-id={tx.id}>
      <td>{linked ? <Link to={PATHS.transaction(tx.id)}>{formatTime(tx.occurredAt, language)}</Link> : formatTime(tx.occurredAt, language)}</td>
      <td>{tx.shop ? <Link to={PATHS.shop(tx.shop.id)}>{tx.shop.name}</Link> : "—"}</td>
      <td>{tx.terminal ? <Link to={PATHS.terminal(tx.terminal.id)}>{tx.terminal.tid}</Link> : "—"}</td>
      <td>{t(`txType.${tx.type}`, { defaultValue: tx.type })}</td>
      <td className="num">{formatMoney(tx.amount, tx.currency, language)}</td>
      <td>
        {tx.scheme} {tx.maskedPan ? `· ${tx.maskedPan.slice(-4)}` : ""}
      </td>
      <td>
        <StatusBadge status={tx.status} />
      </td>
      <td>{refused ? `${tx.responseCode ?? ""} ${meaning ?? ""}`.trim() || "—" : (tx.responseCode ?? "—")}</td>
    </tr>
  );
});

export function Supervision() {
  const { t, i18n } = useTranslation();
  const { can } = useAbilities();
  const openable = can("node");
  const [params] = useSearchParams();
  const company = params.get("company");
  const shop = params.get("shop");
  const scopeId = shop ?? company;
  const [{ data: scope }] = useQuery({ query: ScopeDocument, variables: { id: scopeId ?? "" }, pause: !scopeId });

  const [rows, setRows] = useState<Tx[]>([]);
  const [state, setState] = useState<FeedState>("connecting");
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0);
  const [total, setTotal] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const pausedRef = useRef(false);
  const buffer = useRef<Tx[]>([]);
  const seen = useRef<Set<string>>(new Set());
  const recent = useRef<{ at: number; tx: Tx }[]>([]);

  useEffect(() => {
    setRows([]);
    setTotal(0);
    seen.current = new Set();
    recent.current = [];
    buffer.current = [];
    const filter = shop ? { shop } : company ? { company } : null;
    return openFeed<Recorded>(
      {
        query: print(WallDocument),
        variables: { filter, after: null },
        cursorOf: (event) => event.cursor,
        onState: setState,
        onEvent: (event) => {
          const tx = event.transaction;
          if (seen.current.has(tx.id)) return; // a resume never repeats, but be sure
          seen.current.add(tx.id);
          if (seen.current.size > WINDOW * 4) seen.current = new Set([...seen.current].slice(-WINDOW * 2));
          recent.current.push({ at: Date.now(), tx });
          setTotal((n) => n + 1);
          if (pausedRef.current) {
            buffer.current = [tx, ...buffer.current].slice(0, WINDOW);
            setHeld((n) => n + 1);
          } else {
            setRows((current) => [tx, ...current].slice(0, WINDOW));
          }
        },
      },
      "transactionRecorded",
    );
  }, [company, shop]);

  // The minute's figures move with the clock: the oldest events leave once a second.
  useEffect(() => {
    const timer = window.setInterval(() => {
      const at = Date.now();
      recent.current = recent.current.filter((e) => at - e.at <= MINUTE_MS);
      setNow(at);
    }, 1000);
    return () => window.clearInterval(timer);
  }, []);

  // eslint-disable-next-line react-hooks/exhaustive-deps -- recent is a ref; now and total move it
  const minute = useMemo(() => lastMinute(recent.current, now), [now, total]);
  const rate = minute.decided ? minute.approved / minute.decided : null;
  const language = i18n.language;

  const togglePause = () => {
    if (pausedRef.current) {
      pausedRef.current = false;
      setPaused(false);
      const waiting = buffer.current;
      buffer.current = [];
      setHeld(0);
      setRows((current) => [...waiting, ...current].slice(0, WINDOW));
    } else {
      pausedRef.current = true;
      setPaused(true);
    }
  };

  const scopeNode = scope?.node;
  const scopeName =
    scopeNode?.__typename === "Company" ? scopeNode.legalName : scopeNode?.__typename === "Shop" ? scopeNode.name : null;

  return (
    <section className="wall">
      <header className="wall-header">
        <h1>{t("wall.title")}</h1>
        <p>
          {scopeId ? t("wall.scoped", { name: scopeName ?? "…" }) : t("wall.tenant")}{" "}
          {scopeId && <Link to={PATHS.supervision}>{t("wall.whole")}</Link>}
        </p>
        <p className={`feed-state feed-${state}`} role="status" data-testid="feed-state">
          {t(`wall.state.${state}`)}
        </p>
        <button type="button" aria-pressed={paused} onClick={togglePause}>
          {paused ? t("wall.resume", { count: held }) : t("wall.pause")}
        </button>
      </header>
      <dl className="wall-figures" aria-label={t("wall.minute")}>
        <div>
          <dt>{t("wall.perMinute")}</dt>
          <dd data-testid="minute-count">{minute.count}</dd>
        </div>
        <div>
          <dt>{t("wall.amount")}</dt>
          <dd>{minute.currency && minute.currency !== "*" ? formatMoney(minute.amount, minute.currency, language) : "—"}</dd>
        </div>
        <div>
          <dt>{t("wall.approvalRate")}</dt>
          <dd>{rate === null ? "—" : new Intl.NumberFormat(language === "en" ? "en-GB" : "fr-FR", { style: "percent" }).format(rate)}</dd>
        </div>
        <div>
          <dt>{t("wall.sinceOpened")}</dt>
          <dd data-testid="wall-total">{total}</dd>
        </div>
      </dl>
      <table className="table wall-table" data-testid="wall">
        <caption className="visually-hidden">{t("wall.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("wall.time")}</th>
            <th scope="col">{t("fleet.shop")}</th>
            <th scope="col">{t("columns.tid")}</th>
            <th scope="col">{t("wall.type")}</th>
            <th scope="col">{t("wall.amountColumn")}</th>
            <th scope="col">{t("wall.card")}</th>
            <th scope="col">{t("columns.status")}</th>
            <th scope="col">{t("wall.response")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={8}>{t("wall.waiting")}</td>
            </tr>
          )}
          {rows.map((tx) => (
            <WallRow key={tx.id} tx={tx} language={language} linked={openable} />
          ))}
        </tbody>
      </table>
      <p className="notice">{t("wall.window", { count: WINDOW })}</p>
    </section>
  );
}
