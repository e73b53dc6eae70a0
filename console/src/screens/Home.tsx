// Accueil: the search bar, the two everyday entries, MY REQUESTS, and the partner's logo.
import type { ColumnDef } from "@tanstack/react-table";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { DataTable } from "../components/DataTable";
import { SearchBox } from "../components/SearchBox";
import { ErrorState, Loading } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { PartnerLogo } from "../components/TenantLogo";
import type { MyRequestsQuery } from "../gql/graphql";
import { PATHS } from "../routes";
import { MyRequestsDocument } from "./myRequests";

type RequestRow = NonNullable<MyRequestsQuery["me"]>["requests"]["edges"][number]["node"];

export function Home() {
  const { t } = useTranslation();
  const { can, reads } = useAbilities();
  const location = useLocation();
  const focusSearch = (location.state as { focusSearch?: number } | null)?.focusSearch;
  return (
    <div className="home">
      <h1 className="visually-hidden">{t("nav.home")}</h1>
      {can("search") && <SearchBox autoFocusKey={focusSearch} />}
      <div className="home-actions">
        {can("createCompany") && (
          <Link className="action-card" to={PATHS.onboarding}>
            {t("home.onboard")}
          </Link>
        )}
        {can("contracts") && reads("Contract.currentFees") && (
          <Link className="action-card" to={PATHS.fees}>
            {t("home.fees")}
          </Link>
        )}
      </div>
      {can("requests") && <MyRequests />}
      {reads("Tenant.logo") && (
        <footer className="home-partner">
          <PartnerLogo alt={(name) => t("settings.logoAlt", { name })} />
        </footer>
      )}
    </div>
  );
}

function MyRequests() {
  const { t } = useTranslation();
  const { me, can } = useAbilities();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: MyRequestsDocument });
  const columns: ColumnDef<RequestRow, unknown>[] = [
    {
      id: "reference",
      header: t("columns.id"),
      cell: ({ row }) => <Link to={PATHS.request(row.original.id)}>{row.original.reference}</Link>,
    },
    { id: "status", header: t("columns.status"), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    {
      id: "company",
      header: t("columns.company"),
      cell: ({ row }) =>
        row.original.company ? <Link to={PATHS.company(row.original.company.id)}>{row.original.company.legalName}</Link> : "—",
    },
    {
      id: "type",
      header: t("columns.requestType"),
      cell: ({ row }) => t(`requestType.${row.original.type}`, { defaultValue: row.original.type }),
    },
    {
      id: "relation",
      header: t("home.relation"),
      cell: ({ row }) =>
        [row.original.author?.id === me.id && t("home.authored"), row.original.assignee?.id === me.id && t("home.assigned")]
          .filter(Boolean)
          .join(", ") || "—",
    },
  ];
  const rows = data?.me?.requests.edges.map((e) => e.node) ?? [];
  return (
    <section className="my-requests" aria-labelledby="my-requests-title">
      <h2 id="my-requests-title">{t("home.myRequests")}</h2>
      {can("requests") && (
        <p className="section-link">
          <Link to={PATHS.requests}>{t("home.allRequests")}</Link>
        </p>
      )}
      {error && !data ? (
        <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : fetching && !data ? (
        <Loading />
      ) : (
        <DataTable columns={columns} data={rows} caption={t("home.myRequests")} empty={t("home.noRequests")} testId="my-requests" />
      )}
    </section>
  );
}
