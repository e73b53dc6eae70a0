// A company: its identity, shops, contracts (and their documents), the merchant's documents,
// requests and journal. Fields the user may not
// read are not asked for (`@include(if: ...)` from me.permissions), so no FORBIDDEN error.
import type { ColumnDef } from "@tanstack/react-table";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { DataTable } from "../components/DataTable";
import { CompanyDocuments, ContractDocuments } from "../components/Documents";
import { Fact, Section } from "../components/Facts";
import { formatDate } from "../components/format";
import { actionLabel } from "../components/journalActions";
import { ErrorState, Loading } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { graphql } from "../gql";
import type { CompanyDetailQuery } from "../gql/graphql";
import { PATHS } from "../routes";
import { NewContract, SignContract } from "./NewContract";

const CompanyDetailDocument = graphql(`
  query CompanyDetail($id: ID!, $withIban: Boolean!, $withJournal: Boolean!) {
    node(id: $id) {
      __typename
      ... on Company {
        id
        legalName
        tradeName
        siren
        legalForm
        mcc
        status
        contactName
        contactEmail
        contactPhone
        iban @include(if: $withIban)
        address {
          line1
          line2
          postalCode
          city
          country
        }
        shops(first: 50) {
          totalCount
          edges {
            node {
              id
              name
              siret
              status
              address {
                city
              }
            }
          }
        }
        contracts(first: 50) {
          totalCount
          edges {
            node {
              id
              number
              status
              signedAt
            }
          }
        }
        requests(first: 20) {
          totalCount
          edges {
            node {
              id
              reference
              type
              status
              subject
            }
          }
        }
        auditEvents(first: 20) @include(if: $withJournal) {
          edges {
            node {
              id
              action
              actorLabel
              occurredAt
            }
          }
        }
      }
    }
  }
`);

/** A contract can be made for a company whose evaluation is approved (or already active). */
const CONTRACTABLE = ["APPROVED", "ACTIVE"];

type Company = Extract<NonNullable<CompanyDetailQuery["node"]>, { __typename: "Company" }>;
type Shop = Company["shops"]["edges"][number]["node"];
type Contract = Company["contracts"]["edges"][number]["node"];
type Req = Company["requests"]["edges"][number]["node"];
type Audit = NonNullable<Company["auditEvents"]>["edges"][number]["node"];

export function CompanyDetail() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { reads, can } = useAbilities();
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: CompanyDetailDocument,
    variables: { id, withIban: reads("Company.iban"), withJournal: can("auditEvents") },
  });
  if (error && !data) return <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  if (fetching && !data) return <Loading />;
  const node = data?.node;
  if (!node || node.__typename !== "Company") return <p role="alert">{t("company.notFound")}</p>;
  const company = node as Company;

  const shopColumns: ColumnDef<Shop, unknown>[] = [
    { id: "name", header: t("columns.name"), cell: ({ row }) => <Link to={PATHS.shop(row.original.id)}>{row.original.name}</Link> },
    { id: "siret", header: t("columns.siret"), cell: ({ row }) => row.original.siret },
    { id: "city", header: t("columns.city"), cell: ({ row }) => row.original.address.city },
    { id: "status", header: t("columns.status"), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
  ];
  const contractColumns: ColumnDef<Contract, unknown>[] = [
    { id: "number", header: t("columns.number"), cell: ({ row }) => row.original.number },
    { id: "status", header: t("columns.status"), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: "signedAt", header: t("columns.signedAt"), cell: ({ row }) => formatDate(row.original.signedAt, i18n.language) },
  ];
  const requestColumns: ColumnDef<Req, unknown>[] = [
    { id: "reference", header: t("columns.id"), cell: ({ row }) => <Link to={PATHS.request(row.original.id)}>{row.original.reference}</Link> },
    { id: "status", header: t("columns.status"), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: "type", header: t("columns.requestType"), cell: ({ row }) => t(`requestType.${row.original.type}`) },
    { id: "subject", header: t("columns.subject"), cell: ({ row }) => row.original.subject },
  ];
  const auditColumns: ColumnDef<Audit, unknown>[] = [
    { id: "at", header: t("columns.at"), cell: ({ row }) => formatDate(row.original.occurredAt, i18n.language) },
    { id: "action", header: t("columns.action"), cell: ({ row }) => <span title={row.original.action}>{actionLabel(t, row.original.action)}</span> },
    { id: "actor", header: t("columns.actor"), cell: ({ row }) => row.original.actorLabel },
  ];
  const a = company.address;
  const reload = () => reexecute({ requestPolicy: "network-only" });
  return (
    <article className="company">
      <header className="company-header">
        <h1>{company.legalName}</h1>
        <StatusBadge status={company.status} />
        {can("transactions") && (
          <Link className="follow" to={`${PATHS.transactions}?company=${encodeURIComponent(company.id)}`}>
            {t("transactions.title")}
          </Link>
        )}
        {can("transactionRecorded") && (
          <Link className="follow" to={`${PATHS.supervision}?company=${encodeURIComponent(company.id)}`}>
            {t("wall.follow")}
          </Link>
        )}
      </header>
      <dl className="facts">
        <Fact label={t("columns.siren")}>{company.siren}</Fact>
        <Fact label={t("columns.tradeName")}>{company.tradeName ?? "—"}</Fact>
        <Fact label={t("columns.mcc")}>{company.mcc}</Fact>
        <Fact label={t("company.contact")}>
          {company.contactName} · {company.contactEmail} · {company.contactPhone}
        </Fact>
        <Fact label={t("company.address")}>
          {[a.line1, a.line2, `${a.postalCode} ${a.city}`, a.country].filter(Boolean).join(", ")}
        </Fact>
        {company.iban !== undefined && <Fact label={t("company.iban")}>{company.iban ?? "—"}</Fact>}
      </dl>
      <Section title={t("company.shops")} count={company.shops.totalCount}>
        <DataTable columns={shopColumns} data={company.shops.edges.map((e) => e.node)} caption={t("company.shops")} empty={t("company.none")} />
      </Section>
      <Section title={t("company.contracts")} count={company.contracts.totalCount}>
        <DataTable columns={contractColumns} data={company.contracts.edges.map((e) => e.node)} caption={t("company.contracts")} empty={t("company.none")} />
        {company.contracts.edges
          .filter((e) => e.node.status !== "DRAFT")
          .map((e) => (
            <ContractDocuments key={e.node.id} contractId={e.node.id} number={e.node.number} />
          ))}
        {can("signContract") &&
          company.contracts.edges
            .filter((e) => e.node.status === "DRAFT")
            .map((e) => <SignContract key={e.node.id} contract={e.node} onDone={reload} />)}
        {can("createContract") && CONTRACTABLE.includes(company.status) && (
          <NewContract
            companyId={company.id}
            shops={company.shops.edges.filter((e) => e.node.status === "OPEN").map((e) => e.node)}
            onDone={reload}
          />
        )}
      </Section>
      <CompanyDocuments companyId={company.id} />
      <Section title={t("company.requests")} count={company.requests.totalCount}>
        <DataTable columns={requestColumns} data={company.requests.edges.map((e) => e.node)} caption={t("company.requests")} empty={t("company.none")} />
      </Section>
      {company.auditEvents && (
        <Section title={t("company.journal")}>
          <DataTable columns={auditColumns} data={company.auditEvents.edges.map((e) => e.node)} caption={t("company.journal")} empty={t("company.none")} />
        </Section>
      )}
    </article>
  );
}
