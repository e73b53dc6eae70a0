// A terminal's technical journal, live: the newest WINDOW events, kept up to date by
// `terminalEventRecorded(filter: {terminal})` through the resumable feed (api/resumable.ts):
// a new event appears at once; after a dropped connection the feed resubscribes with the last
// cursor it received, so the server replays what was recorded meanwhile, each event once, and
// the section says so while it catches up. Memory stays bounded: the window keeps WINDOW events
// (the newest by when they happened); older ones are read page by page ("Événements plus
// anciens", `Terminal.events` with cursor paging), one page at a time.
import { print } from "graphql";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient, useQuery, type CombinedError } from "urql";
import { openFeed, type FeedState } from "../api/resumable";
import { formatDate } from "../components/format";
import { ErrorState, Loading } from "../components/States";
import { graphql } from "../gql";
import type { TerminalJournalLiveSubscription } from "../gql/graphql";

/** Events kept in the live window. */
export const WINDOW = 50;
/** Events per page of the older journal (and read when the window is filled). */
const PAGE = 25;

const JournalPageDocument = graphql(`
  query TerminalJournal($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    node(id: $id) {
      __typename
      ... on Terminal {
        id
        events(first: $first, after: $after, last: $last, before: $before) {
          edges {
            node {
              id
              kind
              code
              message
              occurredAt
            }
          }
          pageInfo {
            hasNextPage
            hasPreviousPage
            startCursor
            endCursor
          }
        }
      }
    }
  }
`);

const JournalLiveDocument = graphql(`
  subscription TerminalJournalLive($filter: TerminalEventSubscriptionFilter, $after: String) {
    terminalEventRecorded(filter: $filter, after: $after) {
      cursor
      event {
        id
        kind
        code
        message
        occurredAt
      }
    }
  }
`);

export type JournalEvent = TerminalJournalLiveSubscription["terminalEventRecorded"]["event"];

/** The window after `incoming`: each event once (by id), newest first, at most `size`. */
export function mergeWindow(current: readonly JournalEvent[], incoming: readonly JournalEvent[], size = WINDOW): JournalEvent[] {
  const byId = new Map<string, JournalEvent>();
  for (const event of current) byId.set(event.id, event);
  for (const event of incoming) byId.set(event.id, event);
  return [...byId.values()]
    .sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, size);
}

function EventRows({ events, language }: { events: readonly JournalEvent[]; language: string }) {
  return (
    <>
      {events.map((event) => (
        <tr key={event.id} data-testid="journal-event" data-id={event.id}>
          <td>{formatDate(event.occurredAt, language)}</td>
          <td>{event.kind}</td>
          <td>{event.code ?? "—"}</td>
          <td>{event.message ?? "—"}</td>
        </tr>
      ))}
    </>
  );
}

function EventTable({ events, caption, testId }: { events: readonly JournalEvent[]; caption: string; testId: string }) {
  const { t, i18n } = useTranslation();
  return (
    <table className="table" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("columns.at")}</th>
          <th scope="col">{t("columns.kind")}</th>
          <th scope="col">{t("terminal.code")}</th>
          <th scope="col">{t("terminal.message")}</th>
        </tr>
      </thead>
      <tbody>
        {events.length === 0 ? (
          <tr>
            <td colSpan={4} className="empty">
              {t("company.none")}
            </td>
          </tr>
        ) : (
          <EventRows events={events} language={i18n.language} />
        )}
      </tbody>
    </table>
  );
}

/** The whole journal, one page at a time (newest first). */
function OlderEvents({ id }: { id: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState<{ after: string | null; before: string | null }>({ after: null, before: null });
  const [{ data, error, fetching }] = useQuery({
    query: JournalPageDocument,
    variables: page.before ? { id, last: PAGE, before: page.before } : { id, first: PAGE, after: page.after },
    requestPolicy: "network-only",
  });
  const node = data?.node;
  const connection = node?.__typename === "Terminal" ? node.events : null;
  if (error && !data) return <ErrorState error={error} />;
  if (!connection) return <Loading />;
  return (
    <>
      <EventTable events={connection.edges.map((e) => e.node)} caption={t("terminal.olderEvents")} testId="terminal-older-events" />
      <nav className="pager" aria-label={t("terminal.journalPages")} aria-busy={fetching || undefined}>
        <button
          type="button"
          disabled={!(connection.pageInfo.hasPreviousPage || page.after)}
          onClick={() => setPage({ before: connection.pageInfo.startCursor ?? null, after: null })}
        >
          {t("companies.previous")}
        </button>
        <button
          type="button"
          disabled={!(connection.pageInfo.hasNextPage || page.before)}
          onClick={() => setPage({ after: connection.pageInfo.endCursor ?? null, before: null })}
        >
          {t("companies.next")}
        </button>
      </nav>
    </>
  );
}

/** The technical journal of terminal `id`: live when `live` (who may `terminalEventRecorded`). */
export function TerminalJournal({ id, live }: { id: string; live: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const [events, setEvents] = useState<JournalEvent[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState<CombinedError | null>(null);
  const [state, setState] = useState<FeedState>("connecting");
  const [older, setOlder] = useState(false);

  // The newest page, merged into the window (each event once, whatever the feed gave already).
  const readNewest = useCallback(async () => {
    const result = await client.query(JournalPageDocument, { id, first: PAGE }, { requestPolicy: "network-only" }).toPromise();
    const node = result.data?.node;
    if (result.error && !result.data) {
      setFailed(result.error);
      return;
    }
    setFailed(null);
    setLoaded(true);
    if (node?.__typename === "Terminal" && node.events) {
      const page = node.events.edges.map((e) => e.node);
      setEvents((current) => mergeWindow(current, page));
    }
  }, [client, id]);

  useEffect(() => {
    setEvents([]);
    setLoaded(false);
    void readNewest();
    if (!live) return;
    let again: number | null = null;
    const stop = openFeed<TerminalJournalLiveSubscription["terminalEventRecorded"]>(
      {
        query: print(JournalLiveDocument),
        variables: { filter: { terminal: id }, after: null },
        cursorOf: (recorded) => recorded.cursor,
        onState: setState,
        onEvent: (recorded) => setEvents((current) => mergeWindow(current, [recorded.event])),
        // Live from now on, with no cursor to resume from: read the newest page again, at once
        // and a second later (the server attaches the subscription a moment after the socket
        // opens; an event recorded in between is in the second reading).
        onFresh: () => {
          void readNewest();
          if (again !== null) window.clearTimeout(again);
          again = window.setTimeout(() => void readNewest(), 1000);
        },
      },
      "terminalEventRecorded",
    );
    return () => {
      if (again !== null) window.clearTimeout(again);
      stop();
    };
  }, [id, live, readNewest]);

  return (
    <>
      {live && (
        <p className={`feed-state feed-${state}`} role="status" data-testid="journal-state">
          {t(`terminal.live.${state}`)}
        </p>
      )}
      {failed && !loaded ? (
        <ErrorState error={failed} retry={() => void readNewest()} />
      ) : !loaded ? (
        <Loading />
      ) : (
        <EventTable events={events} caption={t("terminal.journal")} testId="terminal-events" />
      )}
      <p className="notice">{t("terminal.journalWindow", { count: WINDOW })}</p>
      <button type="button" aria-expanded={older} onClick={() => setOlder(!older)}>
        {older ? t("terminal.hideOlder") : t("terminal.showOlder")}
      </button>
      {older && <OlderEvents id={id} />}
    </>
  );
}
