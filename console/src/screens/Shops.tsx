// Magasins: the shops list with filters (text, status), server-side sort and paging over the
// API's `shops` cursor connection. The filters live in the URL (a link or a reload keeps them).
import type { ColumnDef, SortingState } from "@tanstack/react-table";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { DataTable } from "../components/DataTable";
import { formatDate } from "../components/format";
import { ErrorState } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { graphql } from "../gql";
import type { OrderDirection, ShopOrderField, ShopsQuery, ShopStatus } from "../gql/graphql";
import { PATHS } from "../routes";

const PAGE = 25;

const ShopsDocument = graphql(`
  query Shops($filter: ShopFilter, $orderBy: ShopOrder, $first: Int, $after: String, $last: Int, $before: String) {
    shops(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
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
          name
          siret
          mcc
          status
          createdAt
          address {
            city
          }
          company {
            id
            legalName
          }
        }
      }
    }
  }
`);

type Row = NonNullable<ShopsQuery["shops"]>["edges"][number]["node"];

const SHOP_STATUSES: ShopStatus[] = ["OPEN", "CLOSED"];
const SORTABLE: Record<string, ShopOrderField> = { name: "NAME", siret: "SIRET", createdAt: "CREATED_AT" };

export function Shops() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const text = params.get("q") ?? "";
  const status = params.get("status") as ShopStatus | null;
  const sortId = params.get("sort") ?? "name";
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
    query: ShopsDocument,
    variables: {
      filter: { text: text.trim() || null, status: status ? [status] : null },
      orderBy: { field: SORTABLE[sortId] ?? "NAME", direction },
      ...(before ? { last: PAGE, before } : { first: PAGE, after }),
    },
  });

  const columns: ColumnDef<Row, unknown>[] = [
    {
      id: "name",
      header: t("columns.name"),
      cell: ({ row }) => <Link to={PATHS.shop(row.original.id)}>{row.original.name}</Link>,
    },
    { id: "siret", header: t("columns.siret"), cell: ({ row }) => row.original.siret },
    {
      id: "company",
      header: t("columns.company"),
      enableSorting: false,
      cell: ({ row }) =>
        row.original.company ? <Link to={PATHS.company(row.original.company.id)}>{row.original.company.legalName}</Link> : "—",
    },
    { id: "city", header: t("columns.city"), enableSorting: false, cell: ({ row }) => row.original.address.city },
    { id: "status", header: t("columns.status"), enableSorting: false, cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: "createdAt", header: t("columns.createdAt"), cell: ({ row }) => formatDate(row.original.createdAt, i18n.language) },
  ];
  const sorting: SortingState = [{ id: sortId, desc }];
  const connection = data?.shops;

  return (
    <section>
      <h1>{t("shops.title")}</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("shops.filterText")}
          <input type="search" value={text} onChange={(e) => update({ q: e.target.value })} />
        </label>
        <label>
          {t("companies.filterStatus")}
          <select value={status ?? ""} onChange={(e) => update({ status: e.target.value })}>
            <option value="">{t("companies.all")}</option>
            {SHOP_STATUSES.map((s) => (
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
            {connection ? t("shops.count", { count: connection.totalCount }) : fetching ? "…" : ""}
          </p>
          <DataTable
            columns={columns}
            data={connection?.edges.map((e) => e.node) ?? []}
            caption={t("shops.title")}
            empty={fetching ? t("app.loading") : t("company.none")}
            sorting={sorting}
            busy={fetching}
            onSortingChange={(next) => {
              const first = next[0];
              update({ sort: first?.id ?? null, dir: first?.desc ? "desc" : null });
            }}
            testId="shops"
          />
          <nav className="pager" aria-label={t("shops.paging")}>
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
