// Who is signed in, for the whole console: "loading" while a reload asks /auth/refresh,
// "anonymous" (the sign-in screen), or "signed-in" with a fresh urql client (a new client per
// session: one user's cache is never shown to the next). Also the password changes that
// carry a new session: a one-time code's sign-in (a supervisor reset the password) must
// choose a new password before anything else, and any password change hands the server
// the new refresh token (the old one is refused from then on).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { DocumentNode } from "graphql";
import { formatDocument, stringifyDocument, type Client } from "urql";
import { createSpringClient, requestHeaders, setActingTenant } from "../api/client";
import { fetchById } from "../api/documents";
import { graphql } from "../gql";
import type { ChangePasswordMutation, LoginMutation } from "../gql/graphql";
import { accessToken, establish, logout, onSessionChange, openSession } from "./session";

export const LoginDocument = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(input: { email: $email, password: $password }) {
      token
      expiresAt
      refreshToken
      passwordChangeRequired
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const ChangePasswordDocument = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      refreshToken
      sessionsEnded
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const LogoutDocument = graphql(`
  mutation Logout {
    logout {
      loggedOut
    }
  }
`);

export type SessionStatus = "loading" | "anonymous" | "signed-in";
export type LoginError = LoginMutation["login"]["userErrors"][number];

/** A sign-in with a supervisor's one-time code: a new password is due before anything else.
 * The token is the short one the code gave (good only for changePassword, me and logout);
 * it stays in memory, like every access token. */
export interface PasswordChangeDue {
  email: string;
  code: string;
  token: string;
  expiresAt: string | null;
}

export interface SignInOutcome {
  errors: LoginError[];
  passwordChange?: PasswordChangeDue;
}

interface SessionValue {
  status: SessionStatus;
  client: Client | null;
  signIn(email: string, password: string): Promise<SignInOutcome>;
  /** changePassword; on success the session goes on with the new tokens (its cookie too).
   * `due`: the one-time code's sign-in, which then becomes a full session. */
  changePassword(currentPassword: string, newPassword: string, due?: PasswordChangeDue): Promise<LoginError[]>;
  /** The `logout` mutation (this session ends), then /auth/logout (the cookie goes). */
  signOut(): Promise<void>;
  /** A new client (after a platform administrator changes tenant: new cache). */
  renew(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>("loading");
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const stop = onSessionChange((token) => setStatus(token ? "signed-in" : "anonymous"));
    void openSession().then((token) => setStatus(token ? "signed-in" : "anonymous"));
    return stop;
  }, []);

  const client = useMemo(
    () => (status === "signed-in" ? createSpringClient(() => setStatus("anonymous")) : null),
    // A new client per session and per tenant change (`generation`): a fresh cache.
    [status, generation],
  );

  const signIn = useCallback(async (email: string, password: string): Promise<SignInOutcome> => {
    const answer = await post<LoginMutation>(LoginDocument, { email, password });
    const payload = answer.data?.login;
    if (!payload) return { errors: [answer.failure] };
    if (payload.userErrors.length) return { errors: payload.userErrors };
    if (payload.passwordChangeRequired && payload.token) {
      const due = { email, code: password, token: payload.token, expiresAt: payload.expiresAt ?? null };
      return { errors: [], passwordChange: due };
    }
    if (!payload.refreshToken) return { errors: [] };
    setActingTenant(null);
    await establish(payload.refreshToken);
    setGeneration((g) => g + 1);
    return { errors: [] };
  }, []);

  const changePassword = useCallback(
    async (currentPassword: string, newPassword: string, due?: PasswordChangeDue): Promise<LoginError[]> => {
      const answer = await post<ChangePasswordMutation>(
        ChangePasswordDocument,
        { input: { currentPassword, newPassword } },
        due?.token,
      );
      const payload = answer.data?.changePassword;
      if (!payload) return [answer.failure];
      if (payload.userErrors.length) return payload.userErrors;
      if (!payload.refreshToken) return [];
      // The old refresh token (in the cookie) and access token are refused from now on.
      await establish(payload.refreshToken);
      if (due) {
        setActingTenant(null);
        setGeneration((g) => g + 1);
      }
      return [];
    },
    [],
  );

  const signOut = useCallback(async () => {
    try {
      if (accessToken()) await post(LogoutDocument, {});
    } catch {
      // The server cannot be reached: /auth/logout below tries again and the page forgets.
    }
    await logout();
    setActingTenant(null);
    setStatus("anonymous");
  }, []);

  const renew = useCallback(() => setGeneration((g) => g + 1), []);

  const value = useMemo(
    () => ({ status, client, signIn, changePassword, signOut, renew }),
    [status, client, signIn, changePassword, signOut, renew],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

interface Answer<Data> {
  data?: Data | null;
  /** What to show when there is no data: the server's first error, or the HTTP status. */
  failure: LoginError;
}

/** One GraphQL request outside urql (before there is a client, or to swap its tokens):
 * the session's headers, or `token` (a one-time code's short token) instead. */
async function post<Data>(document: DocumentNode, variables: object, token?: string): Promise<Answer<Data>> {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...requestHeaders() };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetchById("/graphql", {
    method: "POST",
    headers,
    credentials: "omit",
    // As urql's cache would send it (with __typename): the text of its trusted document.
    body: JSON.stringify({ query: stringifyDocument(formatDocument(document)), variables }),
  });
  const body = (await response.json()) as { data?: Data | null; errors?: { message: string }[] };
  const message = body.errors?.[0]?.message ?? `HTTP ${response.status}`;
  return { data: body.data, failure: { field: null, code: "INVALID", message } as LoginError };
}
