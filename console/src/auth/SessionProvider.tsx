// Who is signed in, for the whole console: "loading" while a reload asks /auth/refresh,
// "anonymous" (the sign-in screen), or "signed-in" with a fresh urql client (a new client per
// session: one user's cache is never shown to the next).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { print } from "graphql";
import type { Client } from "urql";
import { createSpringClient, requestHeaders, setActingTenant } from "../api/client";
import { graphql } from "../gql";
import type { LoginMutation } from "../gql/graphql";
import { establish, logout, onSessionChange, refresh } from "./session";

export const LoginDocument = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(input: { email: $email, password: $password }) {
      token
      refreshToken
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export type SessionStatus = "loading" | "anonymous" | "signed-in";
export type LoginError = LoginMutation["login"]["userErrors"][number];

interface SessionValue {
  status: SessionStatus;
  client: Client | null;
  signIn(email: string, password: string): Promise<LoginError[]>;
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
    void refresh().then((token) => setStatus(token ? "signed-in" : "anonymous"));
    return stop;
  }, []);

  const client = useMemo(
    () => (status === "signed-in" ? createSpringClient(() => setStatus("anonymous")) : null),
    // A new client per session and per tenant change (`generation`): a fresh cache.
    [status, generation],
  );

  const signIn = useCallback(async (email: string, password: string) => {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", ...requestHeaders() },
      body: JSON.stringify({
        query: print(LoginDocument),
        variables: { email, password },
      }),
    });
    const body = (await response.json()) as { data?: LoginMutation; errors?: { message: string }[] };
    const payload = body.data?.login;
    if (!payload) {
      const message = body.errors?.[0]?.message ?? `HTTP ${response.status}`;
      return [{ field: null, code: "INVALID", message }] as LoginError[];
    }
    if (payload.userErrors.length || !payload.refreshToken) return payload.userErrors;
    setActingTenant(null);
    await establish(payload.refreshToken);
    setGeneration((g) => g + 1);
    return [];
  }, []);

  const signOut = useCallback(async () => {
    await logout();
    setActingTenant(null);
    setStatus("anonymous");
  }, []);

  const renew = useCallback(() => setGeneration((g) => g + 1), []);

  const value = useMemo(
    () => ({ status, client, signIn, signOut, renew }),
    [status, client, signIn, signOut, renew],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
