// "Consult or edit merchant acquiring fees": find the merchant or contract, read its current
// fee grid and its history, simulate a basket of transactions under the current and a
// proposed grid side by side, then apply the change (who may run `changeContractFees`) or
// ask for it (who may open a FEE_CHANGE request). Who may not read fees sees none.
// A change is sent as the API's FeeScheduleInput describes it: lines given are added or
// repriced, `removeLines` removes, every other line carries over.
import { useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { ContractDocuments } from "../components/Documents";
import { Fact, Section } from "../components/Facts";
import { formatDay, formatMoney, formatRate, hundredthsText, parseHundredths } from "../components/format";
import { ErrorState, Loading, errorMessage } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { graphql } from "../gql";
import type { CardScheme, FeeContractQuery, FeeRegion, FeeScheduleInput } from "../gql/graphql";
import { PATHS } from "../routes";

export const SCHEMES: CardScheme[] = ["CB", "VISA", "MASTERCARD", "AMEX", "MAESTRO", "VPAY"];
export const REGIONS: FeeRegion[] = ["DOMESTIC", "EEA", "INTERNATIONAL"];

const FindContractsDocument = graphql(`
  query FindFeeContracts($text: String!) {
    contracts(filter: { number: $text }, first: 10) {
      edges {
        node {
          id
          number
          status
          company {
            id
            legalName
          }
        }
      }
    }
    companies(filter: { text: $text }, first: 10) {
      edges {
        node {
          id
          legalName
          siren
          contracts(first: 10) {
            edges {
              node {
                id
                number
                status
              }
            }
          }
        }
      }
    }
  }
`);

const FeeContractDocument = graphql(`
  query FeeContract($id: ID!, $withFees: Boolean!) {
    node(id: $id) {
      __typename
      ... on Contract {
        id
        number
        status
        version
        currency
        company {
          id
          legalName
        }
        currentFees @include(if: $withFees) {
          ...FeeScheduleFields
        }
        feeHistory @include(if: $withFees) {
          ...FeeScheduleFields
          reason
          createdAt
        }
      }
    }
  }
  fragment FeeScheduleFields on FeeSchedule {
    id
    versionNumber
    effectiveFrom
    currency
    terminalRentalMonthly
    softposFeeMonthly
    lines {
      scheme
      region
      rateBps
      fixedFee
    }
  }
`);

const SimulateDocument = graphql(`
  query SimulateFees($input: SimulateFeesInput!) {
    simulateFees(input: $input) {
      currency
      lines {
        scheme
        region
        amount
        fee
        missing
      }
      totals {
        fees
        amount
        missingCount
        effectiveRateBps
      }
      terminalRentalMonthly
      softposFeeMonthly
    }
  }
`);

const ChangeFeesDocument = graphql(`
  mutation ChangeContractFees($input: ChangeContractFeesInput!) {
    changeContractFees(input: $input) {
      contract {
        id
        version
        currentFees {
          id
          versionNumber
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const AskFeesDocument = graphql(`
  mutation AskFeeChange($input: CreateRequestInput!) {
    createRequest(input: $input) {
      request {
        id
        reference
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

type Contract = Extract<NonNullable<FeeContractQuery["node"]>, { __typename: "Contract" }>;
type Schedule = NonNullable<Contract["currentFees"]>;

/** One line of the proposed grid, as typed (French decimals). */
export interface DraftLine {
  scheme: CardScheme;
  region: FeeRegion;
  rate: string;
  fixed: string;
}
export interface Draft {
  lines: DraftLine[];
  rental: string;
  softpos: string;
  effectiveFrom: string;
}
interface BasketRow {
  scheme: CardScheme;
  region: FeeRegion;
  amount: string;
}

const lineKey = (l: { scheme: string; region: string }) => `${l.scheme}-${l.region}`;

export function draftOf(schedule: Schedule | null | undefined, language: string): Draft {
  return {
    lines: (schedule?.lines ?? []).map((l) => ({
      scheme: l.scheme,
      region: l.region,
      rate: hundredthsText(l.rateBps, language),
      fixed: hundredthsText(Number(l.fixedFee), language),
    })),
    rental: hundredthsText(Number(schedule?.terminalRentalMonthly ?? 0), language),
    softpos: hundredthsText(Number(schedule?.softposFeeMonthly ?? 0), language),
    effectiveFrom: "",
  };
}

/** Mistakes in what was typed, by field id (before anything is sent). */
export function draftErrors(draft: Draft, message: string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const line of draft.lines) {
    if (parseHundredths(line.rate) === null) errors[`fee-${lineKey(line)}-rate`] = message;
    if (parseHundredths(line.fixed) === null) errors[`fee-${lineKey(line)}-fixed`] = message;
  }
  if (parseHundredths(draft.rental) === null) errors["fee-rental"] = message;
  if (parseHundredths(draft.softpos) === null) errors["fee-softpos"] = message;
  return errors;
}

/**
 * The change from `current` to `draft` as a FeeScheduleInput: new or repriced lines, the
 * lines removed, the monthly fees when they change. `keys[i]` names the field of `lines[i]`.
 */
export function changeOf(current: Schedule | null | undefined, draft: Draft): { input: FeeScheduleInput; keys: string[] } {
  const before = new Map((current?.lines ?? []).map((l) => [lineKey(l), l]));
  const lines: FeeScheduleInput["lines"] = [];
  const keys: string[] = [];
  for (const line of draft.lines) {
    const rateBps = parseHundredths(line.rate) ?? 0;
    const fixedFee = parseHundredths(line.fixed) ?? 0;
    const old = before.get(lineKey(line));
    if (!old || old.rateBps !== rateBps || Number(old.fixedFee) !== fixedFee) {
      lines.push({ scheme: line.scheme, region: line.region, rateBps, fixedFee });
      keys.push(lineKey(line));
    }
  }
  const kept = new Set(draft.lines.map(lineKey));
  const removeLines = (current?.lines ?? []).filter((l) => !kept.has(lineKey(l))).map((l) => ({ scheme: l.scheme, region: l.region }));
  const rental = parseHundredths(draft.rental) ?? 0;
  const softpos = parseHundredths(draft.softpos) ?? 0;
  const input: FeeScheduleInput = { lines, removeLines };
  if (rental !== Number(current?.terminalRentalMonthly ?? 0)) input.terminalRentalMonthly = rental;
  if (softpos !== Number(current?.softposFeeMonthly ?? 0)) input.softposFeeMonthly = softpos;
  if (draft.effectiveFrom) input.effectiveFrom = draft.effectiveFrom;
  return { input, keys };
}

/** The whole proposed grid, for `simulateFees` (a draft schedule prices only its own lines). */
function fullSchedule(draft: Draft, currency: string): FeeScheduleInput {
  return {
    currency,
    lines: draft.lines.map((l) => ({
      scheme: l.scheme,
      region: l.region,
      rateBps: parseHundredths(l.rate) ?? 0,
      fixedFee: parseHundredths(l.fixed) ?? 0,
    })),
    terminalRentalMonthly: parseHundredths(draft.rental) ?? 0,
    softposFeeMonthly: parseHundredths(draft.softpos) ?? 0,
  };
}

/**
 * Server user errors by field id: `["input", "fees", "lines", "0", "rateBps"]` → the rate
 * input of the line sent first; "" collects errors of no known field.
 */
export function serverErrors(
  errors: readonly { field?: readonly string[] | null; message: string }[],
  keys: string[],
): Record<string, string> {
  const found: Record<string, string> = {};
  const add = (id: string, message: string) => (found[id] = found[id] ? `${found[id]} ${message}` : message);
  for (const error of errors) {
    const path = (error.field ?? []).filter((p) => p !== "input");
    const [head, ...rest] = path;
    let id = "";
    if (head === "reason" || head === "description" || head === "subject") id = "fee-reason";
    else if (head === "fees" || head === "proposedFees") {
      const [what, index, leaf] = rest;
      if (what === "lines" && index !== undefined && keys[Number(index)]) {
        id = `fee-${keys[Number(index)]}-${leaf === "fixedFee" ? "fixed" : "rate"}`;
      } else if (what === "terminalRentalMonthly") id = "fee-rental";
      else if (what === "softposFeeMonthly") id = "fee-softpos";
      else if (what === "effectiveFrom") id = "fee-effective";
    }
    add(id, error.message);
  }
  return found;
}

export function Fees() {
  const [params] = useSearchParams();
  const id = params.get("contract");
  const { t } = useTranslation();
  return (
    <section className="fees">
      <h1>{t("fees.title")}</h1>
      {id ? <ContractFees id={id} /> : <FindContract />}
    </section>
  );
}

function FindContract() {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const query = text.trim();
  const [{ data, error, fetching }] = useQuery({ query: FindContractsDocument, variables: { text: query }, pause: query.length < 2 });
  const found = useMemo(() => {
    const rows = new Map<string, { id: string; number: string; status: string; company: string }>();
    for (const e of data?.contracts?.edges ?? [])
      rows.set(e.node.id, { id: e.node.id, number: e.node.number, status: e.node.status, company: e.node.company?.legalName ?? "" });
    for (const c of data?.companies?.edges ?? [])
      for (const k of c.node.contracts.edges)
        rows.set(k.node.id, { id: k.node.id, number: k.node.number, status: k.node.status, company: c.node.legalName });
    return [...rows.values()];
  }, [data]);
  return (
    <div>
      <form role="search" className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("fees.find")}
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t("fees.findPlaceholder")} />
        </label>
      </form>
      {error && <ErrorState error={error} />}
      {query.length >= 2 && !fetching && data && found.length === 0 && <p>{t("home.noResults")}</p>}
      {found.length > 0 && (
        <ul className="fee-results" aria-label={t("fees.results")}>
          {found.map((row) => (
            <li key={row.id}>
              <Link to={`${PATHS.fees}?contract=${encodeURIComponent(row.id)}`}>
                {row.number} — {row.company}
              </Link>{" "}
              <StatusBadge status={row.status} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ContractFees({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { reads } = useAbilities();
  const withFees = reads("Contract.currentFees");
  // Kept here: an applied change remounts the grid below (its new version is the key).
  const [done, setDone] = useState<string | null>(null);
  const [{ data, error, fetching }, reexecute] = useQuery({ query: FeeContractDocument, variables: { id, withFees } });
  if (error && !data) return <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  if (fetching && !data) return <Loading />;
  const node = data?.node;
  if (!node || node.__typename !== "Contract") return <p role="alert">{t("fees.notFound")}</p>;
  const contract = node as Contract;
  return (
    <>
      <dl className="facts">
        <Fact label={t("columns.contract")}>{contract.number}</Fact>
        <Fact label={t("columns.company")}>
          {contract.company ? <Link to={PATHS.company(contract.company.id)}>{contract.company.legalName}</Link> : "—"}
        </Fact>
        <Fact label={t("columns.status")}>
          <StatusBadge status={contract.status} />
        </Fact>
      </dl>
      <p>
        <Link to={PATHS.fees}>{t("fees.another")}</Link>
      </p>
      {contract.status !== "DRAFT" && <ContractDocuments key={contract.currentFees?.versionNumber ?? 0} contractId={contract.id} number={contract.number} />}
      {!withFees ? (
        <p role="note" className="notice">
          {t("fees.notReadable")}
        </p>
      ) : (
        <FeeWork
          key={`${contract.id}-${contract.currentFees?.versionNumber ?? 0}-${i18n.language}`}
          contract={contract}
          refresh={() => reexecute({ requestPolicy: "network-only" })}
          onDone={setDone}
        />
      )}
      {done && (
        <p role="status" className="done">
          {done}
        </p>
      )}
    </>
  );
}

function FeeWork({ contract, refresh, onDone }: { contract: Contract; refresh: () => void; onDone: (message: string | null) => void }) {
  const { t, i18n } = useTranslation();
  const { can, me } = useAbilities();
  const lang = i18n.language;
  const current = contract.currentFees;
  const currency = current?.currency ?? contract.currency;
  const money = (minor: number | null | undefined) => formatMoney(minor, currency, lang);
  const [draft, setDraft] = useState<Draft>(() => draftOf(current, lang));
  const [basket, setBasket] = useState<BasketRow[]>(() => [
    { scheme: "CB", region: "DOMESTIC", amount: hundredthsText(2500, lang) },
    { scheme: "VISA", region: "EEA", amount: hundredthsText(8000, lang) },
    { scheme: "MASTERCARD", region: "INTERNATIONAL", amount: hundredthsText(12000, lang) },
  ]);
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [newLine, setNewLine] = useState<{ scheme: CardScheme; region: FeeRegion }>({ scheme: "CB", region: "DOMESTIC" });
  const [, changeFees] = useMutation(ChangeFeesDocument);
  const [, askFees] = useMutation(AskFeesDocument);

  const mayApply = can("changeContractFees");
  const mayAsk = (me.permissions?.requestTypes ?? []).includes("FEE_CHANGE") && can("createRequest");
  const maySimulate = can("simulateFees");
  const invalid = t("fees.invalidNumber");
  const typed = draftErrors(draft, invalid);
  const amounts = basket.map((row) => parseHundredths(row.amount));
  const basketOk = basket.length > 0 && amounts.every((a) => a !== null);
  const transactions = basket.map((row, i) => ({ scheme: row.scheme, region: row.region, amount: amounts[i] ?? 0 }));
  const [currentSim] = useQuery({
    query: SimulateDocument,
    variables: { input: { contractId: contract.id, transactions } },
    pause: !maySimulate || !basketOk || !current,
  });
  const [proposedSim] = useQuery({
    query: SimulateDocument,
    variables: { input: { fees: fullSchedule(draft, currency), transactions } },
    pause: !maySimulate || !basketOk || Object.keys(typed).length > 0 || draft.lines.length === 0,
  });
  const shown = { ...typed, ...errors };

  const setLine = (index: number, changes: Partial<DraftLine>) =>
    setDraft((d) => ({ ...d, lines: d.lines.map((l, i) => (i === index ? { ...l, ...changes } : l)) }));
  const present = new Set(draft.lines.map(lineKey));

  async function submit(kind: "apply" | "ask", event?: FormEvent) {
    event?.preventDefault();
    onDone(null);
    if (Object.keys(typed).length) return;
    const { input, keys } = changeOf(current, draft);
    if (kind === "apply") {
      const result = await changeFees({ input: { id: contract.id, fees: input, reason, expectedVersion: contract.version } });
      const payload = result.data?.changeContractFees;
      if (result.error) setErrors({ "": errorMessage(result.error, t) });
      else if (payload?.userErrors.length) setErrors(serverErrors(payload.userErrors, keys));
      else {
        setErrors({});
        onDone(t("fees.applied", { version: payload?.contract?.currentFees?.versionNumber ?? "" }));
        refresh();
      }
    } else {
      const result = await askFees({
        input: {
          type: "FEE_CHANGE",
          companyId: contract.company?.id ?? "",
          contractId: contract.id,
          subject: t("fees.subject", { number: contract.number }),
          description: reason || null,
          proposedFees: input,
        },
      });
      const payload = result.data?.createRequest;
      if (result.error) setErrors({ "": errorMessage(result.error, t) });
      else if (payload?.userErrors.length) setErrors(serverErrors(payload.userErrors, keys));
      else {
        setErrors({});
        onDone(t("fees.asked", { reference: payload?.request?.reference ?? "" }));
      }
    }
  }

  const scheme = (s: string) => t(`scheme.${s}`, { defaultValue: s });
  const region = (r: string) => t(`region.${r}`);
  const editable = mayApply || mayAsk || maySimulate;
  const simLines = currentSim.data?.simulateFees?.lines;
  const propLines = proposedSim.data?.simulateFees?.lines;
  const curTotals = currentSim.data?.simulateFees?.totals;
  const propTotals = proposedSim.data?.simulateFees?.totals;

  return (
    <>
      <Section title={t("fees.current")}>
        {current ? (
          <>
            <p>{t("fees.version", { version: current.versionNumber, date: formatDay(current.effectiveFrom, lang) })}</p>
            <table className="data-table" aria-label={t("fees.current")}>
              <thead>
                <tr>
                  <th scope="col">{t("fees.scheme")}</th>
                  <th scope="col">{t("fees.region")}</th>
                  <th scope="col">{t("fees.rate")}</th>
                  <th scope="col">{t("fees.fixed")}</th>
                </tr>
              </thead>
              <tbody>
                {current.lines.map((l) => (
                  <tr key={lineKey(l)}>
                    <td>{scheme(l.scheme)}</td>
                    <td>{region(l.region)}</td>
                    <td>{formatRate(l.rateBps, lang)}</td>
                    <td>{money(l.fixedFee)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <dl className="facts">
              <Fact label={t("fees.rental")}>{money(current.terminalRentalMonthly)}</Fact>
              <Fact label={t("fees.softpos")}>{money(current.softposFeeMonthly)}</Fact>
              <Fact label={t("fees.effectiveFrom")}>{formatDay(current.effectiveFrom, lang)}</Fact>
            </dl>
          </>
        ) : (
          <p>{t("fees.noSchedule")}</p>
        )}
      </Section>

      <Section title={t("fees.history")} count={contract.feeHistory?.length ?? 0}>
        <table className="data-table" aria-label={t("fees.history")}>
          <thead>
            <tr>
              <th scope="col">{t("fees.versionColumn")}</th>
              <th scope="col">{t("fees.effectiveFrom")}</th>
              <th scope="col">{t("fees.lines")}</th>
              <th scope="col">{t("fees.rental")}</th>
              <th scope="col">{t("fees.softpos")}</th>
              <th scope="col">{t("fees.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {(contract.feeHistory ?? []).map((v) => (
              <tr key={v.id}>
                <td>{v.versionNumber}</td>
                <td>{formatDay(v.effectiveFrom, lang)}</td>
                <td>
                  {v.lines
                    .map(
                      (l) =>
                        `${scheme(l.scheme)} ${region(l.region)} ${formatRate(l.rateBps, lang)} + ${formatMoney(l.fixedFee, v.currency, lang)}`,
                    )
                    .join(" ; ")}
                </td>
                <td>{formatMoney(v.terminalRentalMonthly, v.currency, lang)}</td>
                <td>{formatMoney(v.softposFeeMonthly, v.currency, lang)}</td>
                <td>{v.reason ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      {editable && (
        <form className="fee-proposal" onSubmit={(e) => void submit(mayApply ? "apply" : "ask", e)} noValidate>
          <Section title={t("fees.proposed")}>
            <table className="data-table" aria-label={t("fees.proposed")}>
              <thead>
                <tr>
                  <th scope="col">{t("fees.scheme")}</th>
                  <th scope="col">{t("fees.region")}</th>
                  <th scope="col">{t("fees.rateInput")}</th>
                  <th scope="col">{t("fees.fixedInput")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("fees.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.lines.map((l, i) => {
                  const name = `${scheme(l.scheme)} ${region(l.region)}`;
                  return (
                    <tr key={lineKey(l)}>
                      <td>{scheme(l.scheme)}</td>
                      <td>{region(l.region)}</td>
                      <td>
                        <NumberInput
                          id={`fee-${lineKey(l)}-rate`}
                          label={t("fees.rateOf", { line: name })}
                          value={l.rate}
                          error={shown[`fee-${lineKey(l)}-rate`]}
                          onChange={(rate) => setLine(i, { rate })}
                          hideLabel
                        />
                      </td>
                      <td>
                        <NumberInput
                          id={`fee-${lineKey(l)}-fixed`}
                          label={t("fees.fixedOf", { line: name })}
                          value={l.fixed}
                          error={shown[`fee-${lineKey(l)}-fixed`]}
                          onChange={(fixed) => setLine(i, { fixed })}
                          hideLabel
                        />
                      </td>
                      <td>
                        <button type="button" onClick={() => setDraft((d) => ({ ...d, lines: d.lines.filter((_, j) => j !== i) }))}>
                          {t("fees.removeLine", { line: name })}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <fieldset className="filters">
              <legend>{t("fees.addLine")}</legend>
              <label htmlFor="fee-new-scheme">{t("fees.scheme")}</label>
              <select
                id="fee-new-scheme"
                value={newLine.scheme}
                onChange={(e) => setNewLine((n) => ({ ...n, scheme: e.target.value as CardScheme }))}
              >
                {SCHEMES.map((s) => (
                  <option key={s} value={s}>
                    {scheme(s)}
                  </option>
                ))}
              </select>
              <label htmlFor="fee-new-region">{t("fees.region")}</label>
              <select
                id="fee-new-region"
                value={newLine.region}
                onChange={(e) => setNewLine((n) => ({ ...n, region: e.target.value as FeeRegion }))}
              >
                {REGIONS.map((r) => (
                  <option key={r} value={r}>
                    {region(r)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                disabled={present.has(lineKey(newLine))}
                onClick={() =>
                  setDraft((d) => ({
                    ...d,
                    lines: [...d.lines, { ...newLine, rate: hundredthsText(0, lang), fixed: hundredthsText(0, lang) }],
                  }))
                }
              >
                {t("fees.add")}
              </button>
            </fieldset>
            <div className="filters">
              <NumberInput
                id="fee-rental"
                label={t("fees.rentalInput")}
                value={draft.rental}
                error={shown["fee-rental"]}
                onChange={(rental) => setDraft((d) => ({ ...d, rental }))}
              />
              <NumberInput
                id="fee-softpos"
                label={t("fees.softposInput")}
                value={draft.softpos}
                error={shown["fee-softpos"]}
                onChange={(softpos) => setDraft((d) => ({ ...d, softpos }))}
              />
              <div className="field">
                <label htmlFor="fee-effective">{t("fees.effectiveInput")}</label>
                <input
                  id="fee-effective"
                  type="date"
                  value={draft.effectiveFrom}
                  aria-invalid={shown["fee-effective"] ? true : undefined}
                  aria-describedby={shown["fee-effective"] ? "fee-effective-error" : undefined}
                  onChange={(e) => setDraft((d) => ({ ...d, effectiveFrom: e.target.value }))}
                />
                {shown["fee-effective"] && (
                  <p id="fee-effective-error" className="field-error">
                    {shown["fee-effective"]}
                  </p>
                )}
              </div>
            </div>
          </Section>

          {maySimulate && (
            <Section title={t("fees.simulation")}>
              <table className="data-table" aria-label={t("fees.simulation")}>
                <thead>
                  <tr>
                    <th scope="col">{t("fees.scheme")}</th>
                    <th scope="col">{t("fees.region")}</th>
                    <th scope="col">{t("fees.amount")}</th>
                    <th scope="col">{t("fees.currentFee")}</th>
                    <th scope="col">{t("fees.proposedFee")}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t("fees.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {basket.map((row, i) => {
                    const cur = simLines?.[i];
                    const prop = propLines?.[i];
                    const setRow = (changes: Partial<BasketRow>) => setBasket((b) => b.map((r, j) => (j === i ? { ...r, ...changes } : r)));
                    return (
                      <tr key={i}>
                        <td>
                          <select
                            aria-label={t("fees.basketScheme", { n: i + 1 })}
                            value={row.scheme}
                            onChange={(e) => setRow({ scheme: e.target.value as CardScheme })}
                          >
                            {SCHEMES.map((s) => (
                              <option key={s} value={s}>
                                {scheme(s)}
                              </option>
                            ))}
                          </select>
                        </td>
                        <td>
                          <select
                            aria-label={t("fees.basketRegion", { n: i + 1 })}
                            value={row.region}
                            onChange={(e) => setRow({ region: e.target.value as FeeRegion })}
                          >
                            {REGIONS.map((r) => (
                              <option key={r} value={r}>
                                {region(r)}
                              </option>
                            ))}
                          </select>
                        </td>
                        <td>
                          <NumberInput
                            id={`basket-${i}-amount`}
                            label={t("fees.basketAmount", { n: i + 1 })}
                            value={row.amount}
                            error={amounts[i] === null ? invalid : undefined}
                            onChange={(amount) => setRow({ amount })}
                            hideLabel
                          />
                        </td>
                        <td data-testid={`sim-current-${i}`}>{cur ? (cur.missing ? t("fees.missing") : money(cur.fee)) : "…"}</td>
                        <td data-testid={`sim-proposed-${i}`}>{prop ? (prop.missing ? t("fees.missing") : money(prop.fee)) : "…"}</td>
                        <td>
                          <button type="button" onClick={() => setBasket((b) => b.filter((_, j) => j !== i))}>
                            {t("fees.removeRow", { n: i + 1 })}
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={3}>
                      {t("fees.total")}
                    </th>
                    <td data-testid="sim-current-total">
                      {curTotals ? `${money(curTotals.fees)} (${formatRate(curTotals.effectiveRateBps, lang)})` : "…"}
                    </td>
                    <td data-testid="sim-proposed-total">
                      {propTotals ? `${money(propTotals.fees)} (${formatRate(propTotals.effectiveRateBps, lang)})` : "…"}
                    </td>
                    <td />
                  </tr>
                </tfoot>
              </table>
              <button
                type="button"
                onClick={() => setBasket((b) => [...b, { scheme: "CB", region: "DOMESTIC", amount: hundredthsText(1000, lang) }])}
              >
                {t("fees.addRow")}
              </button>
              {(currentSim.error || proposedSim.error) && <ErrorState error={(currentSim.error ?? proposedSim.error)!} />}
            </Section>
          )}

          {(mayApply || mayAsk) && (
            <div className="fee-submit">
              <div className="field">
                <label htmlFor="fee-reason">{t("fees.reasonInput")}</label>
                <textarea
                  id="fee-reason"
                  value={reason}
                  aria-invalid={shown["fee-reason"] ? true : undefined}
                  aria-describedby={shown["fee-reason"] ? "fee-reason-error" : undefined}
                  onChange={(e) => setReason(e.target.value)}
                />
                {shown["fee-reason"] && (
                  <p id="fee-reason-error" className="field-error">
                    {shown["fee-reason"]}
                  </p>
                )}
              </div>
              {shown[""] && (
                <p role="alert" className="field-error">
                  {shown[""]}
                </p>
              )}
              {mayApply && <button type="submit">{t("fees.apply")}</button>}
              {mayAsk && (
                <button type={mayApply ? "button" : "submit"} onClick={mayApply ? () => void submit("ask") : undefined}>
                  {t("fees.ask")}
                </button>
              )}
            </div>
          )}
        </form>
      )}
    </>
  );
}

function NumberInput({
  id,
  label,
  value,
  error,
  onChange,
  hideLabel = false,
}: {
  hideLabel?: boolean;
  id: string;
  label: string;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id} className={hideLabel ? "visually-hidden" : undefined}>
        {label}
      </label>
      <input
        id={id}
        inputMode="decimal"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
