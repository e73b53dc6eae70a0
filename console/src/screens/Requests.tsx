// Demandes: the tenant's requests with filters (status, type, mine: written by or assigned to
// me, overdue, text), server-side sort and cursor paging. The filters live in the URL.
import type { ColumnDef, SortingState } from "@tanstack/react-table";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { DataTable } from "../components/DataTable";
import { formatDate } from "../components/format";
import { ErrorState } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { graphql } from "../gql";
import type { OrderDirection, RequestFilter, RequestOrderField, RequestsQuery, RequestStatus, RequestType } from "../gql/graphql";
import { PATHS } from "../routes";

const PAGE = 25;

const RequestsDocument = graphql(`
  query Requests($filter: RequestFilter, $orderBy: RequestOrder, $first: Int, $after: String, $last: Int, $before: String) {
    requests(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
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
          reference
          type
          status
          subject
          overdue
          dueAt
          createdAt
          updatedAt
          company {
            id
            legalName
          }
          assignee {
            id
            fullName
          }
        }
      }
    }
  }
`);

type Row = NonNullable<RequestsQuery["requests"]>["edges"][number]["node"];

export const REQUEST_STATUSES: RequestStatus[] = ["OPEN", "IN_REVIEW", "APPROVED", "REJECTED", "DONE", "CANCELLED"];
export const REQUEST_TYPES: RequestType[] = ["EVALUATION", "FEE_CHANGE", "SUPPORT", "TERMINATION"];
const RELATIONS = ["ANY", "AUTHORED", "ASSIGNED"] as const;
const SORTABLE: Record<string, RequestOrderField> = { reference: "REFERENCE", createdAt: "CREATED_AT", updatedAt: "UPDATED_AT" };

/** The API's filter for what the URL says (`mine`: AUTHORED or ASSIGNED, as `me`). */
export function requestFilter(params: URLSearchParams, meId: string): RequestFilter {
  const status = params.get("status") as RequestStatus | null;
  const type = params.get("type") as RequestType | null;
  const mine = params.get("mine");
  const overdue = params.get("overdue");
  return {
    text: params.get("q")?.trim() || null,
    status: status ? [status] : null,
    type: type ? [type] : null,
    author: mine === "AUTHORED" ? meId : null,
    assignee: mine === "ASSIGNED" ? meId : null,
    overdue: overdue === "1" ? true : null,
  };
}

export function Requests() {
  const { t, i18n } = useTranslation();
  const { me, can } = useAbilities();
  const [params, setParams] = useSearchParams();
  const sortId = params.get("sort") ?? "updatedAt";
  const desc = params.get("dir") !== "asc";
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
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: RequestsDocument,
    variables: {
      filter: requestFilter(params, me.id),
      orderBy: { field: SORTABLE[sortId] ?? "UPDATED_AT", direction },
      ...(before ? { last: PAGE, before } : { first: PAGE, after }),
    },
  });

  const columns: ColumnDef<Row, unknown>[] = [
    {
      id: "reference",
      header: t("columns.id"),
      cell: ({ row }) => <Link to={PATHS.request(row.original.id)}>{row.original.reference}</Link>,
    },
    { id: "status", header: t("columns.status"), enableSorting: false, cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: "type", header: t("columns.requestType"), enableSorting: false, cell: ({ row }) => t(`requestType.${row.original.type}`) },
    { id: "company", header: t("columns.company"), enableSorting: false, cell: ({ row }) => row.original.company?.legalName ?? "—" },
    { id: "subject", header: t("columns.subject"), enableSorting: false, cell: ({ row }) => row.original.subject },
    { id: "assignee", header: t("requests.assignee"), enableSorting: false, cell: ({ row }) => row.original.assignee?.fullName ?? "—" },
    {
      id: "due",
      header: t("requests.due"),
      enableSorting: false,
      cell: ({ row }) => (
        <>
          {formatDate(row.original.dueAt, i18n.language)}
          {row.original.overdue && <span className="badge badge-overdue"> {t("requests.overdue")}</span>}
        </>
      ),
    },
    { id: "updatedAt", header: t("requests.updatedAt"), cell: ({ row }) => formatDate(row.original.updatedAt, i18n.language) },
  ];
  const sorting: SortingState = [{ id: sortId, desc }];
  const connection = data?.requests;

  return (
    <section>
      <h1>{t("requests.title")}</h1>
      {can("createRequest") && (
        <p>
          <Link className="button primary" to={PATHS.newRequest()}>
            {t("newRequest.title")}
          </Link>
        </p>
      )}
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("requests.filterText")}
          <input type="search" value={params.get("q") ?? ""} onChange={(e) => update({ q: e.target.value })} />
        </label>
        <label>
          {t("columns.status")}
          <select value={params.get("status") ?? ""} onChange={(e) => update({ status: e.target.value })}>
            <option value="">{t("companies.all")}</option>
            {REQUEST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("columns.requestType")}
          <select value={params.get("type") ?? ""} onChange={(e) => update({ type: e.target.value })}>
            <option value="">{t("companies.all")}</option>
            {REQUEST_TYPES.map((s) => (
              <option key={s} value={s}>
                {t(`requestType.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("requests.relation")}
          <select value={params.get("mine") ?? "ANY"} onChange={(e) => update({ mine: e.target.value === "ANY" ? null : e.target.value })}>
            {RELATIONS.map((r) => (
              <option key={r} value={r}>
                {t(`requests.relations.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={params.get("overdue") === "1"} onChange={(e) => update({ overdue: e.target.checked ? "1" : null })} />
          {t("requests.overdueOnly")}
        </label>
      </form>
      {error && !data ? (
        <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : (
        <>
          <p className="count" aria-live="polite">
            {connection ? t("requests.count", { count: connection.totalCount }) : fetching ? "…" : ""}
          </p>
          <DataTable
            columns={columns}
            data={connection?.edges.map((e) => e.node) ?? []}
            caption={t("requests.title")}
            empty={fetching ? t("app.loading") : t("company.none")}
            sorting={sorting}
            busy={fetching}
            onSortingChange={(next) => {
              const first = next[0];
              update({ sort: first?.id ?? null, dir: first?.desc ? null : "asc" });
            }}
            testId="requests"
          />
          <nav className="pager" aria-label="pagination">
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
