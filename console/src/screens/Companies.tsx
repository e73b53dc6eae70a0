// Sociétés: the companies list with filters (text, status), server-side sort and paging over
// the API's cursor connection. The filters live in the URL (a link or a reload keeps them).
import type { ColumnDef, SortingState } from "@tanstack/react-table";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { DataTable } from "../components/DataTable";
import { formatDate } from "../components/format";
import { ErrorState } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { graphql } from "../gql";
import type { CompaniesQuery, CompanyOrderField, CompanyStatus, OrderDirection } from "../gql/graphql";
import { PATHS } from "../routes";

const PAGE = 25;

const CompaniesDocument = graphql(`
  query Companies($filter: CompanyFilter, $orderBy: CompanyOrder, $first: Int, $after: String, $last: Int, $before: String) {
    companies(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
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
          legalName
          tradeName
          siren
          mcc
          status
          createdAt
          address {
            city
          }
        }
      }
    }
  }
`);

type Row = NonNullable<CompaniesQuery["companies"]>["edges"][number]["node"];

export const COMPANY_STATUSES: CompanyStatus[] = [
  "PROSPECT",
  "EVALUATION",
  "APPROVED",
  "REJECTED",
  "ACTIVE",
  "SUSPENDED",
  "CLOSED",
];
const SORTABLE: Record<string, CompanyOrderField> = { legalName: "LEGAL_NAME", siren: "SIREN", createdAt: "CREATED_AT" };

export function Companies() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const text = params.get("q") ?? "";
  const status = params.get("status") as CompanyStatus | null;
  const sortId = params.get("sort") ?? "legalName";
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
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: CompaniesDocument,
    variables: {
      filter: { text: text.trim() || null, status: status ? [status] : null },
      orderBy: { field: SORTABLE[sortId] ?? "LEGAL_NAME", direction },
      ...(before ? { last: PAGE, before } : { first: PAGE, after }),
    },
  });

  const columns: ColumnDef<Row, unknown>[] = [
    {
      id: "legalName",
      header: t("columns.legalName"),
      cell: ({ row }) => <Link to={PATHS.company(row.original.id)}>{row.original.legalName}</Link>,
    },
    { id: "tradeName", header: t("columns.tradeName"), enableSorting: false, cell: ({ row }) => row.original.tradeName ?? "—" },
    { id: "siren", header: t("columns.siren"), cell: ({ row }) => row.original.siren },
    { id: "city", header: t("columns.city"), enableSorting: false, cell: ({ row }) => row.original.address.city },
    { id: "status", header: t("columns.status"), enableSorting: false, cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: "createdAt", header: t("columns.createdAt"), cell: ({ row }) => formatDate(row.original.createdAt, i18n.language) },
  ];
  const sorting: SortingState = [{ id: sortId, desc }];
  const connection = data?.companies;

  return (
    <section>
      <h1>{t("companies.title")}</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("companies.filterText")}
          <input type="search" value={text} onChange={(e) => update({ q: e.target.value })} />
        </label>
        <label>
          {t("companies.filterStatus")}
          <select value={status ?? ""} onChange={(e) => update({ status: e.target.value })}>
            <option value="">{t("companies.all")}</option>
            {COMPANY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && !data ? (
        <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : (
        <>
          <p className="count" aria-live="polite">
            {connection ? t("companies.count", { count: connection.totalCount }) : fetching ? "…" : ""}
          </p>
          <DataTable
            columns={columns}
            data={connection?.edges.map((e) => e.node) ?? []}
            caption={t("companies.title")}
            empty={fetching ? t("app.loading") : t("company.none")}
            sorting={sorting}
            busy={fetching}
            onSortingChange={(next) => {
              const first = next[0];
              update({ sort: first?.id ?? null, dir: first?.desc ? "desc" : null });
            }}
            testId="companies"
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
