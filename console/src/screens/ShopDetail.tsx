// A shop (magasin): its company, terminals, services (activated here: ShopServices), the
// contracts covering it and its journal. Fields the user may not read are not asked for (`@include` from me.permissions).
import type { ColumnDef } from "@tanstack/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { DataTable } from "../components/DataTable";
import { Fact, Section } from "../components/Facts";
import { formatDate } from "../components/format";
import { actionLabel } from "../components/journalActions";
import { ErrorState, Loading } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { graphql } from "../gql";
import type { ShopDetailQuery } from "../gql/graphql";
import { PATHS } from "../routes";
import { ShopEdit } from "./ShopEdit";
import { ShopServices } from "./ShopServices";

const ShopDetailDocument = graphql(`
  query ShopDetail($id: ID!, $withJournal: Boolean!) {
    node(id: $id) {
      __typename
      ... on Shop {
        id
        name
        siret
        mcc
        status
        version
        createdAt
        closedAt
        address {
          line1
          line2
          postalCode
          city
          country
        }
        company {
          id
          legalName
          siren
          status
          contracts(first: 25) {
            edges {
              node {
                id
                number
                status
                signedAt
                serviceKinds
                shops {
                  id
                }
              }
            }
          }
        }
        terminals(first: 50) {
          totalCount
          edges {
            node {
              id
              tid
              kind
              model
              serialNumber
              status
              connectivity
              lastSeenAt
            }
          }
        }
        services(first: 50) {
          totalCount
          edges {
            node {
              id
              kind
              status
              version
              activatedAt
              activationCodeExpiresAt
              contract {
                id
                number
              }
              terminal {
                id
                tid
              }
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

type Shop = Extract<NonNullable<ShopDetailQuery["node"]>, { __typename: "Shop" }>;
type Terminal = Shop["terminals"]["edges"][number]["node"];
type Contract = NonNullable<Shop["company"]>["contracts"]["edges"][number]["node"];
type Audit = NonNullable<Shop["auditEvents"]>["edges"][number]["node"];

export function ShopDetail() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { can } = useAbilities();
  const [editing, setEditing] = useState(false);
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: ShopDetailDocument,
    variables: { id, withJournal: can("auditEvents") },
  });
  if (error && !data) return <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  if (fetching && !data) return <Loading />;
  const node = data?.node;
  if (!node || node.__typename !== "Shop") return <p role="alert">{t("shop.notFound")}</p>;
  const shop = node as Shop;
  const date = (value: string | null | undefined) => formatDate(value, i18n.language);

  const terminalColumns: ColumnDef<Terminal, unknown>[] = [
    {
      id: "tid",
      header: t("columns.tid"),
      cell: ({ row }) => (can("terminals") ? <Link to={PATHS.terminal(row.original.id)}>{row.original.tid}</Link> : row.original.tid),
    },
    { id: "kind", header: t("columns.kind"), cell: ({ row }) => t(`terminalKind.${row.original.kind}`) },
    { id: "model", header: t("columns.model"), cell: ({ row }) => row.original.model ?? "—" },
    { id: "serial", header: t("columns.serial"), cell: ({ row }) => row.original.serialNumber ?? "—" },
    { id: "status", header: t("columns.status"), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: "connectivity", header: t("columns.connectivity"), cell: ({ row }) => <StatusBadge status={row.original.connectivity} /> },
    { id: "lastSeen", header: t("columns.lastSeen"), cell: ({ row }) => date(row.original.lastSeenAt) },
  ];
  const contractColumns: ColumnDef<Contract, unknown>[] = [
    { id: "number", header: t("columns.number"), cell: ({ row }) => row.original.number },
    { id: "status", header: t("columns.status"), cell: ({ row }) => <StatusBadge status={row.original.status} /> },
    { id: "signedAt", header: t("columns.signedAt"), cell: ({ row }) => date(row.original.signedAt) },
  ];
  const auditColumns: ColumnDef<Audit, unknown>[] = [
    { id: "at", header: t("columns.at"), cell: ({ row }) => date(row.original.occurredAt) },
    { id: "action", header: t("columns.action"), cell: ({ row }) => <span title={row.original.action}>{actionLabel(t, row.original.action)}</span> },
    { id: "actor", header: t("columns.actor"), cell: ({ row }) => row.original.actorLabel },
  ];
  const covering = (shop.company?.contracts.edges ?? []).map((e) => e.node).filter((c) => c.shops.some((s) => s.id === shop.id));
  const a = shop.address;
  return (
    <article className="company">
      <header className="company-header">
        <h1>{shop.name}</h1>
        <StatusBadge status={shop.status} />
        {can("transactions") && (
          <Link className="follow" to={`${PATHS.transactions}?shop=${encodeURIComponent(shop.id)}`}>
            {t("transactions.title")}
          </Link>
        )}
        {can("transactionRecorded") && (
          <Link className="follow" to={`${PATHS.supervision}?shop=${encodeURIComponent(shop.id)}`}>
            {t("wall.follow")}
          </Link>
        )}
        {can("updateShop") && shop.status === "OPEN" && !editing && (
          <button type="button" onClick={() => setEditing(true)}>
            {t("shopEdit.title")}
          </button>
        )}
        {can("createRequest") && shop.company && (
          <Link className="follow" to={PATHS.newRequest(shop.company.id)}>
            {t("newRequest.fromShop")}
          </Link>
        )}
      </header>
      {editing && (
        <ShopEdit
          shop={shop}
          onDone={(changed) => {
            setEditing(false);
            if (changed) reexecute({ requestPolicy: "network-only" });
          }}
        />
      )}
      <dl className="facts">
        <Fact label={t("columns.company")}>
          {shop.company ? <Link to={PATHS.company(shop.company.id)}>{shop.company.legalName}</Link> : "—"}
        </Fact>
        <Fact label={t("columns.siret")}>{shop.siret}</Fact>
        <Fact label={t("columns.mcc")}>{shop.mcc}</Fact>
        <Fact label={t("company.address")}>{[a.line1, a.line2, `${a.postalCode} ${a.city}`, a.country].filter(Boolean).join(", ")}</Fact>
        <Fact label={t("columns.createdAt")}>{date(shop.createdAt)}</Fact>
        {shop.closedAt && <Fact label={t("shop.closedAt")}>{date(shop.closedAt)}</Fact>}
      </dl>
      <Section title={t("shop.terminals")} count={shop.terminals.totalCount}>
        <DataTable
          columns={terminalColumns}
          data={shop.terminals.edges.map((e) => e.node)}
          caption={t("shop.terminals")}
          empty={t("company.none")}
        />
      </Section>
      <ShopServices
        shopId={shop.id}
        shopOpen={shop.status === "OPEN"}
        services={shop.services.edges.map((e) => e.node)}
        totalCount={shop.services.totalCount}
        contracts={covering}
        terminals={shop.terminals.edges.map((e) => e.node)}
        onChanged={() => reexecute({ requestPolicy: "network-only" })}
      />
      <Section title={t("shop.contracts")} count={covering.length}>
        <DataTable columns={contractColumns} data={covering} caption={t("shop.contracts")} empty={t("company.none")} />
      </Section>
      {shop.auditEvents && (
        <Section title={t("company.journal")}>
          <DataTable
            columns={auditColumns}
            data={shop.auditEvents.edges.map((e) => e.node)}
            caption={t("company.journal")}
            empty={t("company.none")}
          />
        </Section>
      )}
    </article>
  );
}
