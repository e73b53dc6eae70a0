// Nouvelle demande (/demandes/nouvelle, for who may `createRequest`): what the hotline types
// while a merchant is on the phone: a support ticket or a termination, about a company (found by
// name or SIREN, or given by the page it was opened from: `?company=<id>`), a contract when the
// type needs one, a subject and a description, and optionally a colleague to give it to at once.
// The types offered are those `me.permissions.requestTypes` lists (a fee change is asked for on
// the Fees screen, with its proposed grid; an evaluation at onboarding). The server's user errors
// are shown at their fields; on success the request's page opens.
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { errorMessage } from "../components/States";
import { errorsByField } from "../components/liveCheck";
import { Problems } from "../components/Problems";
import { graphql } from "../gql";
import type { RequestType } from "../gql/graphql";
import { PATHS } from "../routes";

const CompanyChoicesDocument = graphql(`
  query CompanyChoices($text: String, $id: ID!, $withId: Boolean!) {
    companies(filter: { text: $text }, first: 8) {
      edges {
        node {
          id
          legalName
          siren
        }
      }
    }
    node(id: $id) @include(if: $withId) {
      __typename
      ... on Company {
        id
        legalName
        siren
      }
    }
  }
`);

const CompanyContractsDocument = graphql(`
  query CompanyContracts($id: ID!) {
    node(id: $id) {
      __typename
      ... on Company {
        id
        contracts(first: 25) {
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
`);

const RequestColleaguesDocument = graphql(`
  query RequestColleagues {
    colleagues {
      id
      fullName
      role
    }
  }
`);

const CreateRequestDocument = graphql(`
  mutation OpenRequest($input: CreateRequestInput!) {
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

/** The types this screen opens (a fee change needs its grid: the Fees screen asks for it). */
const OPENED_HERE: readonly RequestType[] = ["SUPPORT", "TERMINATION"];
const NEEDS_CONTRACT: readonly RequestType[] = ["TERMINATION"];
const LIVE_CONTRACTS = ["SIGNED", "ACTIVE", "SUSPENDED"];
/** The form's fields, as the server's user errors name them. */
const FIELDS = ["type", "companyId", "contractId", "subject", "description", "assigneeId"];

interface Problem {
  field?: readonly string[] | null;
  message: string;
}

export function NewRequest() {
  const { t } = useTranslation();
  const { me, can } = useAbilities();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const id = useId();
  const types = OPENED_HERE.filter((type) => me.permissions?.requestTypes.includes(type));
  const [type, setType] = useState<RequestType>(types[0] ?? "SUPPORT");
  const [companyId, setCompanyId] = useState(params.get("company") ?? "");
  const [text, setText] = useState("");
  const [contractId, setContractId] = useState("");
  const [subject, setSubject] = useState(params.get("subject") ?? "");
  const [description, setDescription] = useState("");
  const [assigneeId, setAssigneeId] = useState("");
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const [{ data: choices }] = useQuery({
    query: CompanyChoicesDocument,
    variables: { text: text.trim() || null, id: companyId || "-", withId: Boolean(companyId) },
  });
  const [{ data: contractsData }] = useQuery({ query: CompanyContractsDocument, variables: { id: companyId }, pause: !companyId });
  const [{ data: colleaguesData }] = useQuery({ query: RequestColleaguesDocument, pause: !can("colleagues") });
  const [, create] = useMutation(CreateRequestDocument);

  const chosen = choices?.node?.__typename === "Company" ? choices.node : null;
  const companyNode = contractsData?.node?.__typename === "Company" ? contractsData.node : null;
  const contracts = (companyNode?.contracts.edges ?? []).map((e) => e.node).filter((c) => LIVE_CONTRACTS.includes(c.status));
  const colleagues = (colleaguesData?.colleagues ?? []).filter((c) => c.id !== me.id);
  const byField = errorsByField(problems, FIELDS);

  if (!types.length) return <p role="alert">{t("newRequest.none")}</p>;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await create({
      input: {
        type,
        companyId,
        subject,
        description: description || null,
        contractId: contractId || null,
        assigneeId: assigneeId || null,
      },
    });
    setBusy(false);
    const payload = r.data?.createRequest;
    const errors = r.error ? [{ message: errorMessage(r.error, t) }] : (payload?.userErrors ?? []);
    setProblems(errors);
    if (!errors.length && payload?.request) navigate(PATHS.request(payload.request.id));
  };

  const fieldError = (name: string) =>
    byField[name] ? (
      <span id={`${id}-${name}-error`} className="field-error">
        {byField[name]}
      </span>
    ) : null;
  const invalid = (name: string) => (byField[name] ? { "aria-invalid": true, "aria-describedby": `${id}-${name}-error` } : {});

  return (
    <section className="new-request">
      <h1>{t("newRequest.title")}</h1>
      <p>
        <Link to={PATHS.requests}>{t("requests.title")}</Link>
        {can("changeContractFees") || me.permissions?.requestTypes.includes("FEE_CHANGE") ? (
          <>
            {" · "}
            <Link to={PATHS.fees}>{t("newRequest.feesThere")}</Link>
          </>
        ) : null}
      </p>
      <form className="request-form" onSubmit={submit} aria-label={t("newRequest.title")}>
        <fieldset className="choice">
          <legend>{t("columns.requestType")}</legend>
          {types.map((value) => (
            <label key={value}>
              <input type="radio" name={`${id}-type`} checked={type === value} onChange={() => setType(value)} /> {t(`requestType.${value}`)}
            </label>
          ))}
        </fieldset>
        {fieldError("type")}
        <div className="field">
          <label htmlFor={`${id}-find`}>{t("newRequest.findCompany")}</label>
          <input id={`${id}-find`} type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-company`}>{t("columns.company")}</label>
          <select
            id={`${id}-company`}
            value={companyId}
            required
            onChange={(e) => {
              setCompanyId(e.target.value);
              setContractId("");
            }}
            {...invalid("companyId")}
          >
            <option value="">{t("newRequest.chooseCompany")}</option>
            {[...(chosen ? [chosen] : []), ...(choices?.companies?.edges ?? []).map((e) => e.node)]
              .filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i)
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.legalName} · {c.siren}
                </option>
              ))}
          </select>
          {fieldError("companyId")}
        </div>
        <div className="field">
          <label htmlFor={`${id}-contract`}>
            {t("columns.contract")} {NEEDS_CONTRACT.includes(type) ? "" : t("newRequest.optional")}
          </label>
          <select id={`${id}-contract`} value={contractId} onChange={(e) => setContractId(e.target.value)} {...invalid("contractId")}>
            <option value="">{companyId ? t("newRequest.noContract") : t("newRequest.companyFirst")}</option>
            {contracts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.number} · {t(`status.${c.status}`, { defaultValue: c.status })}
              </option>
            ))}
          </select>
          {fieldError("contractId")}
        </div>
        <div className="field">
          <label htmlFor={`${id}-subject`}>{t("newRequest.subject")}</label>
          <input id={`${id}-subject`} value={subject} onChange={(e) => setSubject(e.target.value)} required {...invalid("subject")} />
          {fieldError("subject")}
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>{t("newRequest.description")}</label>
          <textarea id={`${id}-description`} rows={5} value={description} onChange={(e) => setDescription(e.target.value)} {...invalid("description")} />
          {fieldError("description")}
        </div>
        {colleagues.length > 0 && (
          <div className="field">
            <label htmlFor={`${id}-assignee`}>{t("newRequest.assignee")}</label>
            <select id={`${id}-assignee`} value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)} {...invalid("assigneeId")}>
              <option value="">{t("newRequest.nobody")}</option>
              {colleagues.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.fullName} · {t(`role.${c.role}`, { defaultValue: c.role })}
                </option>
              ))}
            </select>
            {fieldError("assigneeId")}
          </div>
        )}
        {byField[""] && <Problems problems={[{ message: byField[""] }]} />}
        {problems.length > 0 && !byField[""] && (
          <p role="alert" className="visually-hidden">
            {problems.map((p) => p.message).join(" ")}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t("newRequest.send")}
        </button>
      </form>
    </section>
  );
}
