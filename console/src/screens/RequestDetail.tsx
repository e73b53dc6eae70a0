// A request: what it is about, who wrote it and holds it, the merchant's documents (for an
// evaluation: which of those the tenant requires are there), its comments (add one), and the
// moves the user may make on it now: take, assign (to a colleague), approve or reject,
// close (a support request one holds), cancel (one's own). A move is offered only when
// me.permissions lists its mutation and the request's state allows it; the server still
// decides, and its user errors are shown at the move's own field, in the user's language.
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useMutation, useQuery, type AnyVariables, type TypedDocumentNode } from "urql";
import { useAbilities } from "../auth/permissions";
import { CompanyDocuments } from "../components/Documents";
import { Fact, Section } from "../components/Facts";
import { formatDate } from "../components/format";
import { ErrorState, Loading } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { graphql } from "../gql";
import type { RequestDetailQuery } from "../gql/graphql";
import { PATHS } from "../routes";
import { errorsByField } from "./Onboarding";

const RequestDetailDocument = graphql(`
  query RequestDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Request {
        id
        reference
        type
        status
        subject
        description
        decisionComment
        decidedAt
        dueAt
        overdue
        createdAt
        updatedAt
        version
        company {
          id
          legalName
          status
        }
        contract {
          id
          number
        }
        author {
          id
          fullName
        }
        assignee {
          id
          fullName
        }
        decidedBy {
          id
          fullName
        }
        comments(first: 100) {
          totalCount
          edges {
            node {
              id
              authorLabel
              body
              createdAt
            }
          }
        }
      }
    }
  }
`);

const ColleaguesDocument = graphql(`
  query Colleagues {
    colleagues {
      id
      fullName
      role
    }
  }
`);

const CommentDocument = graphql(`
  mutation CommentRequest($input: CommentRequestInput!) {
    commentRequest(input: $input) {
      request {
        id
        updatedAt
      }
      comment {
        id
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

// Every move answers the request as it is now (Graphcache updates the page) and user errors.
const TakeDocument = graphql(`
  mutation TakeRequest($input: TakeRequestInput!) {
    takeRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);
const AssignDocument = graphql(`
  mutation AssignRequest($input: AssignRequestInput!) {
    assignRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);
const ApproveDocument = graphql(`
  mutation ApproveRequest($input: ApproveRequestInput!) {
    approveRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);
const RejectDocument = graphql(`
  mutation RejectRequest($input: RejectRequestInput!) {
    rejectRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);
const CloseDocument = graphql(`
  mutation CloseRequest($input: CloseRequestInput!) {
    closeRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);
const CancelDocument = graphql(`
  mutation CancelRequest($input: CancelRequestInput!) {
    cancelRequest(input: $input) {
      request {
        ...RequestMoved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const RequestMovedFragment = graphql(`
  fragment RequestMoved on Request {
    id
    status
    version
    updatedAt
    decidedAt
    decisionComment
    assignee {
      id
      fullName
    }
    decidedBy {
      id
      fullName
    }
    company {
      id
      status
    }
  }
`);

type Request = Extract<NonNullable<RequestDetailQuery["node"]>, { __typename: "Request" }>;
type UserErrors = readonly { field?: readonly string[] | null; message: string }[];

const UNDECIDED = ["OPEN", "IN_REVIEW"];

export function RequestDetail() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { can, me } = useAbilities();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: RequestDetailDocument, variables: { id } });
  if (error && !data) return <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  if (fetching && !data) return <Loading />;
  const node = data?.node;
  if (!node || node.__typename !== "Request") return <p role="alert">{t("request.notFound")}</p>;
  const request = node as Request;
  const undecided = UNDECIDED.includes(request.status);
  const mine = request.assignee?.id === me.id;
  const decidable = request.type !== "SUPPORT";
  const reload = () => reexecute({ requestPolicy: "network-only" });

  return (
    <article className="request">
      <header className="company-header">
        <h1>
          {t("request.title", { reference: request.reference })}
        </h1>
        <StatusBadge status={request.status} />
        {request.overdue && <span className="badge badge-overdue">{t("requests.overdue")}</span>}
      </header>
      <dl className="facts">
        <Fact label={t("columns.requestType")}>{t(`requestType.${request.type}`)}</Fact>
        <Fact label={t("columns.subject")}>{request.subject}</Fact>
        <Fact label={t("columns.company")}>
          {request.company ? <Link to={PATHS.company(request.company.id)}>{request.company.legalName}</Link> : "—"}
        </Fact>
        {request.contract && <Fact label={t("columns.contract")}>{request.contract.number}</Fact>}
        <Fact label={t("request.author")}>{request.author?.fullName ?? "—"}</Fact>
        <Fact label={t("requests.assignee")}>{request.assignee?.fullName ?? "—"}</Fact>
        <Fact label={t("columns.createdAt")}>{formatDate(request.createdAt, i18n.language)}</Fact>
        <Fact label={t("requests.due")}>{formatDate(request.dueAt, i18n.language)}</Fact>
        {request.decidedAt && (
          <Fact label={t("request.decided")}>
            {formatDate(request.decidedAt, i18n.language)} · {request.decidedBy?.fullName ?? "—"}
            {request.decisionComment ? ` · ${request.decisionComment}` : ""}
          </Fact>
        )}
        {request.description && <Fact label={t("request.description")}>{request.description}</Fact>}
      </dl>

      {request.type === "EVALUATION" && request.company && <CompanyDocuments companyId={request.company.id} evaluation />}

      {undecided && (
        <Section title={t("request.moves")}>
          <div className="moves" data-testid="moves">
            {can("takeRequest") && !mine && (
              <Move
                name="take"
                document={TakeDocument}
                field="takeRequest"
                input={() => ({ requestId: request.id, expectedVersion: request.version })}
                label={t("request.take")}
              />
            )}
            {can("assignRequest") && can("colleagues") && <AssignMove request={request} />}
            {can("approveRequest") && decidable && (
              <Move
                name="approve"
                document={ApproveDocument}
                field="approveRequest"
                text={{ key: "comment", label: t("request.approveComment"), required: false }}
                input={(comment) => ({ requestId: request.id, comment: comment || null, expectedVersion: request.version })}
                label={t("request.approve")}
                primary
              />
            )}
            {can("rejectRequest") && decidable && (
              <Move
                name="reject"
                document={RejectDocument}
                field="rejectRequest"
                text={{ key: "comment", label: t("request.rejectReason"), required: true }}
                input={(comment) => ({ requestId: request.id, comment, expectedVersion: request.version })}
                label={t("request.reject")}
              />
            )}
            {can("closeRequest") && request.type === "SUPPORT" && mine && (
              <Move
                name="close"
                document={CloseDocument}
                field="closeRequest"
                text={{ key: "comment", label: t("request.closeComment"), required: false }}
                input={(comment) => ({ requestId: request.id, comment: comment || null, expectedVersion: request.version })}
                label={t("request.close")}
              />
            )}
            {can("cancelRequest") && request.author?.id === me.id && (
              <Move
                name="cancel"
                document={CancelDocument}
                field="cancelRequest"
                text={{ key: "reason", label: t("request.cancelReason"), required: false }}
                input={(reason) => ({ requestId: request.id, reason: reason || null, expectedVersion: request.version })}
                label={t("request.cancel")}
              />
            )}
          </div>
        </Section>
      )}

      <Section title={t("request.comments")} count={request.comments.totalCount}>
        {request.comments.edges.length === 0 ? (
          <p className="count">{t("request.noComments")}</p>
        ) : (
          <ol className="comments" data-testid="comments">
            {request.comments.edges.map(({ node: c }) => (
              <li key={c.id}>
                <p className="comment-meta">
                  <strong>{c.authorLabel}</strong> · <time dateTime={c.createdAt}>{formatDate(c.createdAt, i18n.language)}</time>
                </p>
                <p className="comment-body">{c.body}</p>
              </li>
            ))}
          </ol>
        )}
        {can("commentRequest") && <CommentForm requestId={request.id} onDone={reload} />}
      </Section>
    </article>
  );
}

interface Payload {
  userErrors: UserErrors;
}

/** One move: an optional text (a comment, a reason) and its button; user errors at the text. */
function Move<V extends AnyVariables>({
  name,
  document,
  field,
  input,
  label,
  text,
  primary,
  children,
}: {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  document: TypedDocumentNode<any, V>;
  field: string;
  input: (text: string) => Record<string, unknown>;
  label: string;
  text?: { key: string; label: string; required: boolean };
  primary?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [state, run] = useMutation(document);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await run({ input: input(value) } as unknown as V);
    if (result.error) {
      setErrors({ "": t("errors.generic", { message: result.error.graphQLErrors[0]?.message ?? result.error.message }) });
      return;
    }
    const payload = (result.data as Record<string, Payload | null> | undefined)?.[field];
    const found = errorsByField(payload?.userErrors ?? []);
    setErrors(found);
    if (Object.keys(found).length === 0) setValue("");
  };
  const textError = text ? errors[text.key] : undefined;
  const other = Object.entries(errors)
    .filter(([key]) => !text || key !== text.key)
    .map(([, message]) => message)
    .join(" ");
  return (
    <form className={`move move-${name}`} onSubmit={(e) => void submit(e)} aria-label={label}>
      {children}
      {text && (
        <div className="field">
          <label htmlFor={`${id}-text`}>{text.label}</label>
          <input
            id={`${id}-text`}
            value={value}
            required={text.required}
            aria-invalid={textError ? true : undefined}
            aria-describedby={textError ? `${id}-error` : undefined}
            onChange={(e) => setValue(e.target.value)}
          />
          {textError && (
            <p className="field-error" id={`${id}-error`} role="alert">
              {textError}
            </p>
          )}
        </div>
      )}
      <button type="submit" className={primary ? "primary" : undefined} disabled={state.fetching}>
        {label}
      </button>
      {other && (
        <p className="field-error" role="alert">
          {other}
        </p>
      )}
    </form>
  );
}

function AssignMove({ request }: { request: Request }) {
  const { t } = useTranslation();
  const [{ data }] = useQuery({ query: ColleaguesDocument });
  const [chosen, setChosen] = useState("");
  const id = useId();
  const colleagues = (data?.colleagues ?? []).filter((c) => c.id !== request.assignee?.id);
  return (
    <Move
      name="assign"
      document={AssignDocument}
      field="assignRequest"
      input={() => ({ requestId: request.id, assigneeId: chosen, expectedVersion: request.version })}
      label={t("request.assign")}
    >
      <div className="field">
        <label htmlFor={`${id}-who`}>{t("request.assignTo")}</label>
        <select id={`${id}-who`} value={chosen} required onChange={(e) => setChosen(e.target.value)}>
          <option value="">—</option>
          {colleagues.map((c) => (
            <option key={c.id} value={c.id}>
              {c.fullName} ({t(`role.${c.role}`, { defaultValue: c.role })})
            </option>
          ))}
        </select>
      </div>
    </Move>
  );
}

function CommentForm({ requestId, onDone }: { requestId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [state, run] = useMutation(CommentDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await run({ input: { requestId, body } });
    if (result.error) {
      setError(t("errors.generic", { message: result.error.graphQLErrors[0]?.message ?? result.error.message }));
      return;
    }
    const errors = result.data?.commentRequest?.userErrors ?? [];
    if (errors.length) {
      setError(errors.map((e) => e.message).join(" "));
      return;
    }
    setError(null);
    setBody("");
    onDone();
  };
  return (
    <form className="comment-form" onSubmit={(e) => void submit(e)}>
      <label htmlFor="comment-body">{t("request.addComment")}</label>
      <textarea
        id="comment-body"
        rows={3}
        value={body}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "comment-body-error" : undefined}
        onChange={(e) => setBody(e.target.value)}
      />
      {error && (
        <p className="field-error" id="comment-body-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={state.fetching}>
        {t("request.send")}
      </button>
    </form>
  );
}
