// One transaction (/transactions/:id): what the hotline reads to a caller ("the card ending
// 1234, yesterday at 18:05"): amount, status, when (the tenant's local time), how the card was
// read, the issuer's answer and what it means, the original transaction of a refund or a
// reversal, and links to its terminal, shop, company, contract and service. The card fields
// are asked for only when `me.permissions` lets the user read them (`@include`).
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { Fact } from "../components/Facts";
import { formatDate, formatMoney } from "../components/format";
import { ErrorState, Loading } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { graphql } from "../gql";
import type { TransactionDetailQuery } from "../gql/graphql";
import { PATHS } from "../routes";

const TransactionDetailDocument = graphql(`
  query TransactionDetail($id: ID!, $withCard: Boolean!, $withAnswer: Boolean!) {
    node(id: $id) {
      __typename
      ... on Transaction {
        id
        externalId
        type
        amount
        currency
        scheme
        entryMode
        status
        occurredAt
        recordedAt
        maskedPan @include(if: $withCard)
        authorizationCode @include(if: $withCard)
        responseCode @include(if: $withAnswer)
        responseMessage @include(if: $withAnswer) {
          code
          labelFr
          labelEn
          category
          retryable
        }
        terminal {
          id
          tid
        }
        shop {
          id
          name
        }
        company {
          id
          legalName
        }
        contract {
          id
          number
        }
        service {
          id
          kind
        }
        originalTransaction {
          id
          externalId
          type
          amount
          currency
          occurredAt
        }
      }
    }
  }
`);

type Transaction = Extract<NonNullable<TransactionDetailQuery["node"]>, { __typename: "Transaction" }>;

export function TransactionDetail() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { can, reads } = useAbilities();
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: TransactionDetailDocument,
    variables: {
      id,
      withCard: reads("Transaction.maskedPan"),
      withAnswer: reads("Transaction.responseCode"),
    },
  });
  if (error && !data) return <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  if (fetching && !data) return <Loading />;
  const node = data?.node;
  if (!node || node.__typename !== "Transaction") return <p role="alert">{t("transaction.notFound")}</p>;
  const tx = node as Transaction;
  const lang = i18n.language;
  const when = (value: string) => formatDate(value, lang);
  const answer = tx.responseMessage;
  const original = tx.originalTransaction;
  return (
    <article className="company">
      <header className="company-header">
        <h1>
          {t(`txType.${tx.type}`)} {formatMoney(tx.amount, tx.currency, lang)}
        </h1>
        <StatusBadge status={tx.status} />
        {tx.terminal && can("transactions") && (
          <Link className="follow" to={`${PATHS.transactions}?terminal=${encodeURIComponent(tx.terminal.id)}`}>
            {t("transaction.sameTerminal")}
          </Link>
        )}
      </header>
      <dl className="facts">
        <Fact label={t("transaction.occurredAt")}>{when(tx.occurredAt)}</Fact>
        <Fact label={t("transaction.recordedAt")}>{when(tx.recordedAt)}</Fact>
        {"maskedPan" in tx && <Fact label={t("transaction.card")}>{tx.maskedPan ?? "—"}</Fact>}
        <Fact label={t("transactions.scheme")}>{t(`scheme.${tx.scheme}`, { defaultValue: tx.scheme })}</Fact>
        <Fact label={t("transactions.mode")}>{t(`entryMode.${tx.entryMode}`, { defaultValue: tx.entryMode })}</Fact>
        {"responseCode" in tx && (
          <Fact label={t("transactions.code")}>
            {tx.responseCode ?? "—"}
            {answer && (
              <>
                {" "}
                · {lang.startsWith("fr") ? answer.labelFr : answer.labelEn}
                {answer.retryable && <span className="muted"> ({t("transaction.retryable")})</span>}
              </>
            )}
          </Fact>
        )}
        {"authorizationCode" in tx && <Fact label={t("transaction.authorizationCode")}>{tx.authorizationCode ?? "—"}</Fact>}
        <Fact label={t("transaction.reference")}>{tx.externalId}</Fact>
        <Fact label={t("columns.terminal")}>
          {tx.terminal ? can("terminals") ? <Link to={PATHS.terminal(tx.terminal.id)}>{tx.terminal.tid}</Link> : tx.terminal.tid : "—"}
        </Fact>
        <Fact label={t("transaction.shop")}>{tx.shop ? <Link to={PATHS.shop(tx.shop.id)}>{tx.shop.name}</Link> : "—"}</Fact>
        <Fact label={t("columns.company")}>{tx.company ? <Link to={PATHS.company(tx.company.id)}>{tx.company.legalName}</Link> : "—"}</Fact>
        <Fact label={t("columns.contract")}>{tx.contract?.number ?? "—"}</Fact>
        {tx.service && <Fact label={t("transaction.service")}>{t(`serviceKind.${tx.service.kind}`)}</Fact>}
        {original && (
          <Fact label={t("transaction.original")}>
            <Link to={PATHS.transaction(original.id)}>
              {t(`txType.${original.type}`)} {formatMoney(original.amount, original.currency, lang)} · {when(original.occurredAt)} · {original.externalId}
            </Link>
          </Fact>
        )}
      </dl>
    </article>
  );
}
