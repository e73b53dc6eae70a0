// Journal: the business journal (`auditEvents`), who did what and when, with the API's filters
// (actions, period, one object from its page: ?entity=<id>) kept in the URL and cursor paging.
// For who may read `AuditEvent.before`/`after` (the policy says; values the reader may not read
// are already left out or masked by the server), each entry opens on a readable difference:
// one line per value that changed, before and after side by side.
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { ExportButton } from "../components/ExportButton";
import { formatDate } from "../components/format";
import { actionLabel, JOURNAL_ACTIONS } from "../components/journalActions";
import { ErrorState, Loading } from "../components/States";
import { graphql } from "../gql";
import type { AuditEventFilter, JournalQuery } from "../gql/graphql";
import { PATHS } from "../routes";

const PAGE = 25;
const DAY_MS = 86_400_000;

const JournalDocument = graphql(`
  query Journal($filter: AuditEventFilter, $first: Int, $after: String, $last: Int, $before: String, $withValues: Boolean!) {
    auditEvents(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
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
          occurredAt
          actorKind
          actorLabel
          action
          entityType
          entityId
          entity {
            __typename
            id
            ... on Company {
              legalName
            }
            ... on Shop {
              name
            }
            ... on Terminal {
              tid
            }
            ... on Request {
              reference
            }
            ... on Contract {
              number
              company {
                id
              }
            }
            ... on Service {
              kind
              shop {
                id
                name
              }
            }
            ... on User {
              email
            }
            ... on Tenant {
              name
            }
          }
          reason
          before @include(if: $withValues)
          after @include(if: $withValues)
        }
      }
    }
  }
`);

type Entry = NonNullable<JournalQuery["auditEvents"]>["edges"][number]["node"];

export interface Change {
  key: string;
  before: string;
  after: string;
}

function shown(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The values that differ between before and after, in key order ("a.b" for nested objects). */
export function differences(before: unknown, after: unknown, prefix = ""): Change[] {
  const b = before && typeof before === "object" && !Array.isArray(before) ? (before as Record<string, unknown>) : null;
  const a = after && typeof after === "object" && !Array.isArray(after) ? (after as Record<string, unknown>) : null;
  if (!b && !a) {
    return shown(before) === shown(after) ? [] : [{ key: prefix || "value", before: shown(before), after: shown(after) }];
  }
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].sort();
  const changes: Change[] = [];
  for (const key of keys) {
    const left = b?.[key];
    const right = a?.[key];
    const path = prefix ? `${prefix}.${key}` : key;
    const nested = (v: unknown) => v && typeof v === "object" && !Array.isArray(v);
    if (nested(left) || nested(right)) changes.push(...differences(left, right, path));
    else if (shown(left) !== shown(right)) changes.push({ key: path, before: shown(left), after: shown(right) });
  }
  return changes;
}

/** Where an entry's object is shown in the console, when it has a page (a contract on its
 * company's, a service on its shop's). */
function pageOf(entry: Entry): string | null {
  if (!entry.entityId) return null;
  const entity = entry.entity;
  if (entry.entityType === "Company") return PATHS.company(entry.entityId);
  if (entry.entityType === "Shop") return PATHS.shop(entry.entityId);
  if (entry.entityType === "Terminal") return PATHS.terminal(entry.entityId);
  if (entry.entityType === "Request") return PATHS.request(entry.entityId);
  if (entity?.__typename === "Contract" && entity.company) return PATHS.company(entity.company.id);
  if (entity?.__typename === "Service" && entity.shop) return PATHS.shop(entity.shop.id);
  return null;
}

/** The object's own name when the reader may read it: a TID, a legal name, a reference. */
function nameOf(entry: Entry, t: (key: string, options?: Record<string, unknown>) => string): string | null {
  const e = entry.entity;
  switch (e?.__typename) {
    case "Company":
      return e.legalName;
    case "Shop":
      return e.name;
    case "Terminal":
      return e.tid;
    case "Request":
      return e.reference;
    case "Contract":
      return e.number;
    case "Service":
      return [t(`serviceKind.${e.kind}`, { defaultValue: e.kind }), e.shop?.name].filter(Boolean).join(" · ");
    case "User":
      return e.email;
    case "Tenant":
      return e.name;
    default:
      return null;
  }
}

export function Journal() {
  const { t, i18n } = useTranslation();
  const { reads } = useAbilities();
  const [params, setParams] = useSearchParams();
  const get = (key: string) => params.get(key);
  const from = get("from");
  const to = get("to");
  const after = get("after");
  const before = get("before");
  const actions = (get("action") ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  const withValues = reads("AuditEvent.before");

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

  const filter: AuditEventFilter = {
    entity: get("entity"),
    action: actions.length ? actions : null,
    occurredFrom: from ? new Date(`${from}T00:00:00`).toISOString() : null,
    occurredTo: to ? new Date(new Date(`${to}T00:00:00`).getTime() + DAY_MS).toISOString() : null,
  };
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: JournalDocument,
    variables: {
      filter,
      withValues,
      ...(before ? { last: PAGE, before } : { first: PAGE, after }),
    },
  });
  const connection = data?.auditEvents;
  const language = i18n.language;

  return (
    <section>
      <h1>{t("journal.title")}</h1>
      {get("entity") && (
        <p>
          {t("journal.scoped")} <Link to={PATHS.journal}>{t("journal.all")}</Link>
        </p>
      )}
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("journal.actions")}
          <select value={get("action") ?? ""} onChange={(e) => update({ action: e.target.value })}>
            <option value="">{t("journal.anyAction")}</option>
            {JOURNAL_ACTIONS.map((group) => (
              <optgroup key={group.entity} label={t(`journal.entity.${group.entity}`, { defaultValue: group.entity })}>
                {group.actions.map((action) => (
                  <option key={action} value={action}>
                    {actionLabel(t, action)}
                  </option>
                ))}
              </optgroup>
            ))}
            {/* A link may name actions the list does not (several, comma separated): kept as is. */}
            {get("action") && !JOURNAL_ACTIONS.some((g) => g.actions.includes(get("action") ?? "")) && <option value={get("action") ?? ""}>{get("action")}</option>}
          </select>
        </label>
        <label>
          {t("transactions.from")}
          <input type="date" value={from ?? ""} onChange={(e) => update({ from: e.target.value })} />
        </label>
        <label>
          {t("transactions.to")}
          <input type="date" value={to ?? ""} onChange={(e) => update({ to: e.target.value })} />
        </label>
      </form>
      {error && !data ? (
        <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : !connection ? (
        <Loading />
      ) : (
        <>
          <p className="count" aria-live="polite">
            {t("journal.count", { count: connection.totalCount })}
          </p>
          <ExportButton list="audit-events" filter={filter} disabled={!connection.totalCount} />
          <ol className="journal" data-testid="journal" aria-busy={fetching ? true : undefined}>
            {connection.edges.map(({ node: entry }) => {
              const changes = withValues ? differences(entry.before, entry.after) : [];
              const target = pageOf(entry);
              // "terminal APGBE16I": the kind in words, then the object's name when readable.
              const kind = t(`journal.entity.${entry.entityType}`, { defaultValue: entry.entityType });
              const name = nameOf(entry, t);
              const object = name ? `${kind} ${name}` : kind;
              return (
                <li key={entry.id}>
                  <p className="journal-line">
                    <time dateTime={entry.occurredAt}>{formatDate(entry.occurredAt, language)}</time> <strong>{entry.actorLabel}</strong>{" "}
                    <span className="journal-action" title={entry.action}>
                      {actionLabel(t, entry.action)}
                    </span>{" "}
                    {target ? <Link to={target}>{object}</Link> : object}
                    {entry.reason && <span className="journal-reason"> — {t("journal.reason", { reason: entry.reason })}</span>}
                  </p>
                  {changes.length > 0 && (
                    <details>
                      <summary>{t("journal.changes", { count: changes.length })}</summary>
                      <table className="table diff">
                        <caption className="visually-hidden">{t("journal.changesOf", { action: actionLabel(t, entry.action) })}</caption>
                        <thead>
                          <tr>
                            <th scope="col">{t("journal.value")}</th>
                            <th scope="col">{t("journal.before")}</th>
                            <th scope="col">{t("journal.after")}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {changes.map((c) => (
                            <tr key={c.key}>
                              <th scope="row">{c.key}</th>
                              <td className="diff-before">{c.before || "—"}</td>
                              <td className="diff-after">{c.after || "—"}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </details>
                  )}
                </li>
              );
            })}
          </ol>
          <nav className="pager" aria-label={t("journal.paging")}>
            <button
              type="button"
              disabled={!(connection.pageInfo.hasPreviousPage || after)}
              onClick={() => update({ before: connection.pageInfo.startCursor ?? null, after: null }, true)}
            >
              {t("companies.previous")}
            </button>
            <button
              type="button"
              disabled={!(connection.pageInfo.hasNextPage || before)}
              onClick={() => update({ after: connection.pageInfo.endCursor ?? null, before: null }, true)}
            >
              {t("companies.next")}
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
