// Utilisateurs (issue 17, for who may list `users`: supervisors): the partner's staff accounts
// with role and status filters and text search; add an account; for each account, change its
// role, deactivate it (reason required: its sessions end at once) and reset its password (a
// one-time code shown once, which the colleague signs in with before choosing a new password).
// Each action is shown only when `me.permissions` lists its mutation.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useAbilities } from "../auth/permissions";
import { formatDate } from "../components/format";
import { ErrorState, Loading, errorMessage } from "../components/States";
import { StatusBadge } from "../components/StatusBadge";
import { Problems } from "../components/Problems";
import { graphql } from "../gql";
import type { Role, UsersQuery, UserStatus } from "../gql/graphql";

const UsersDocument = graphql(`
  query Users($filter: UserFilter, $first: Int, $after: String, $withLogin: Boolean!) {
    users(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          email
          fullName
          role
          status
          passwordChangeRequired
          phone
          version
          createdAt
          lastLoginAt @include(if: $withLogin)
        }
      }
    }
  }
`);

const CreateUserDocument = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      user {
        id
        email
        fullName
        role
        status
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const ChangeRoleDocument = graphql(`
  mutation ChangeUserRole($input: UpdateUserInput!) {
    updateUser(input: $input) {
      user {
        id
        role
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const DeactivateUserDocument = graphql(`
  mutation DeactivateUser($input: DeactivateUserInput!) {
    deactivateUser(input: $input) {
      user {
        id
        status
        version
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const ResetPasswordDocument = graphql(`
  mutation ResetColleaguePassword($input: ResetUserPasswordInput!) {
    resetUserPassword(input: $input) {
      oneTimeCode
      codeExpiresAt
      user {
        id
        version
        passwordChangeRequired
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

type Account = NonNullable<UsersQuery["users"]>["edges"][number]["node"];
interface Problem {
  message: string;
  field?: readonly string[] | null;
}

const ROLES: Role[] = ["SELLER", "HOTLINE", "TECHNICIAN", "SUPERVISOR", "SERVICE"];
const STATUSES: UserStatus[] = ["ACTIVE", "DEACTIVATED"];

function NewAccount({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState({ email: "", fullName: "", role: "SELLER" as Role, password: "", phone: "" });
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [, create] = useMutation(CreateUserDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await create({ input: { ...values, phone: values.phone || null } });
    const errors = result.error ? [{ message: errorMessage(result.error, t) }] : (result.data?.createUser?.userErrors ?? []);
    setProblems(errors);
    if (!errors.length) onDone();
  };
  const field = (key: "email" | "fullName" | "password" | "phone", type = "text") => (
    <label>
      {t(`users.${key}`)}
      <input type={type} value={values[key]} required={key !== "phone"} onChange={(e) => setValues({ ...values, [key]: e.target.value })} />
    </label>
  );
  return (
    <form className="block-form" onSubmit={submit} aria-label={t("users.add")}>
      {field("email", "email")}
      {field("fullName")}
      <label>
        {t("users.role")}
        <select value={values.role} onChange={(e) => setValues({ ...values, role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </label>
      {field("password", "password")}
      {field("phone", "tel")}
      <button type="submit" className="primary">
        {t("users.create")}
      </button>
      <button type="button" onClick={onDone}>
        {t("terminal.cancel")}
      </button>
      <Problems problems={problems} />
    </form>
  );
}

export function Users() {
  const { t, i18n } = useTranslation();
  const { can, reads, me } = useAbilities();
  const [params, setParams] = useSearchParams();
  const text = params.get("q") ?? "";
  const role = params.get("role") as Role | null;
  const status = (params.get("status") ?? "ACTIVE") as UserStatus | "ALL";
  const [after, setAfter] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [deactivating, setDeactivating] = useState<Account | null>(null);
  const [reason, setReason] = useState("");
  const [code, setCode] = useState<{ email: string; code: string; expires: string | null } | null>(null);
  const [confirmingReset, setConfirmingReset] = useState<string | null>(null);
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: UsersDocument,
    variables: {
      filter: { text: text.trim() || null, role: role ? [role] : null, status: status === "ALL" ? null : [status] },
      first: 50,
      after,
      withLogin: reads("User.lastLoginAt"),
    },
  });
  const [, changeRole] = useMutation(ChangeRoleDocument);
  const [, deactivate] = useMutation(DeactivateUserDocument);
  const [, reset] = useMutation(ResetPasswordDocument);
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setAfter(null);
    setParams(next, { replace: true });
  };
  const outcome = (r: { error?: Parameters<typeof errorMessage>[0]; errors?: readonly Problem[] }) =>
    setProblems(r.error ? [{ message: errorMessage(r.error, t) }] : (r.errors ?? []));

  if (error && !data) return <ErrorState error={error} retry={() => reexecute({ requestPolicy: "network-only" })} />;
  const connection = data?.users;
  const language = i18n.language;

  return (
    <section>
      <h1>{t("users.title")}</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("users.filterText")}
          <input type="search" value={text} onChange={(e) => set("q", e.target.value)} />
        </label>
        <label>
          {t("users.role")}
          <select value={role ?? ""} onChange={(e) => set("role", e.target.value)}>
            <option value="">{t("companies.all")}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("columns.status")}
          <select value={status} onChange={(e) => set("status", e.target.value)}>
            <option value="ALL">{t("companies.all")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {can("createUser") &&
        (adding ? (
          <NewAccount
            onDone={() => {
              setAdding(false);
              reexecute({ requestPolicy: "network-only" });
            }}
          />
        ) : (
          <button type="button" onClick={() => setAdding(true)}>
            {t("users.add")}
          </button>
        ))}
      {code && (
        <div className="one-time-code" role="status" data-testid="one-time-code">
          <p>{t("users.codeFor", { email: code.email })}</p>
          <p>
            <code>{code.code}</code>
          </p>
          <p>{t("users.codeOnce", { at: formatDate(code.expires, language) })}</p>
          <button type="button" onClick={() => setCode(null)}>
            {t("users.codeGiven")}
          </button>
        </div>
      )}
      {deactivating && (
        <form
          className="block-form"
          aria-label={t("users.deactivateWho", { email: deactivating.email })}
          onSubmit={async (e) => {
            e.preventDefault();
            const r = await deactivate({ input: { id: deactivating.id, reason, expectedVersion: deactivating.version } });
            const errors = r.data?.deactivateUser?.userErrors ?? [];
            outcome({ error: r.error, errors });
            if (!r.error && !errors.length) {
              setDeactivating(null);
              setReason("");
              reexecute({ requestPolicy: "network-only" }); // it may leave the list's filter
            }
          }}
        >
          <label>
            {t("terminal.reason")}
            <input value={reason} onChange={(e) => setReason(e.target.value)} required />
          </label>
          <button type="submit" className="primary">
            {t("users.deactivate")}
          </button>
          <button type="button" onClick={() => setDeactivating(null)}>
            {t("terminal.cancel")}
          </button>
        </form>
      )}
      <Problems problems={problems} />
      {!connection ? (
        <Loading />
      ) : (
        <>
          <p className="count" aria-live="polite">
            {t("users.count", { count: connection.totalCount })}
          </p>
          <table className="table" data-testid="users" aria-busy={fetching ? true : undefined}>
            <caption className="visually-hidden">{t("users.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("columns.name")}</th>
                <th scope="col">{t("users.email")}</th>
                <th scope="col">{t("users.role")}</th>
                <th scope="col">{t("columns.status")}</th>
                {reads("User.lastLoginAt") && <th scope="col">{t("users.lastLogin")}</th>}
                <th scope="col">{t("terminal.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {connection.edges.map(({ node: account }) => {
                const self = account.id === me.id;
                const active = account.status === "ACTIVE";
                return (
                  <tr key={account.id}>
                    <td>{account.fullName}</td>
                    <td>{account.email}</td>
                    <td>
                      {can("updateUser") && active && !self ? (
                        <select
                          aria-label={t("users.roleOf", { email: account.email })}
                          value={account.role}
                          onChange={async (e) => {
                            const r = await changeRole({ input: { id: account.id, role: e.target.value as Role, expectedVersion: account.version } });
                            outcome({ error: r.error, errors: r.data?.updateUser?.userErrors });
                          }}
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {t(`role.${r}`)}
                            </option>
                          ))}
                        </select>
                      ) : (
                        t(`role.${account.role}`, { defaultValue: account.role })
                      )}
                    </td>
                    <td>
                      <StatusBadge status={account.status} />
                      {account.passwordChangeRequired && <span className="badge"> {t("users.mustChange")}</span>}
                    </td>
                    {reads("User.lastLoginAt") && <td>{formatDate(account.lastLoginAt, language)}</td>}
                    <td className="row-actions">
                      {can("resetUserPassword") && active && !self &&
                        (confirmingReset === account.id ? (
                          <span className="confirm">
                            <button
                              type="button"
                              className="primary"
                              onClick={async () => {
                                setConfirmingReset(null);
                                const r = await reset({ input: { userId: account.id, expectedVersion: account.version } });
                                const payload = r.data?.resetUserPassword;
                                outcome({ error: r.error, errors: payload?.userErrors });
                                if (payload?.oneTimeCode) setCode({ email: account.email, code: payload.oneTimeCode, expires: payload.codeExpiresAt ?? null });
                              }}
                            >
                              {t("users.resetConfirm", { email: account.email })}
                            </button>{" "}
                            <button type="button" onClick={() => setConfirmingReset(null)}>
                              {t("terminal.cancel")}
                            </button>
                          </span>
                        ) : (
                          <button type="button" onClick={() => setConfirmingReset(account.id)}>
                            {t("users.reset")}
                          </button>
                        ))}
                      {can("deactivateUser") && active && !self && (
                        <button type="button" onClick={() => setDeactivating(account)}>
                          {t("users.deactivate")}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {connection.pageInfo.hasNextPage && (
            <button type="button" onClick={() => setAfter(connection.pageInfo.endCursor ?? null)}>
              {t("companies.next")}
            </button>
          )}
        </>
      )}
    </section>
  );
}
