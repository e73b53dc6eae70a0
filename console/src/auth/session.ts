// The browser session: the access token lives in memory only (never in localStorage or
// sessionStorage); the refresh token lives in an httpOnly, SameSite=Strict cookie that only
// the server's /auth routes read (spring/browser_session.py). A reload asks /auth/refresh for
// a new access token. Every call sends X-Spring-Console: 1, which a cross-site form cannot.

export const CONSOLE_HEADER = { "X-Spring-Console": "1" } as const;

export interface AccessToken {
  token: string;
  expiresAt: string;
}

type Listener = (token: AccessToken | null) => void;

let current: AccessToken | null = null;
const listeners = new Set<Listener>();
let refreshing: Promise<AccessToken | null> | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

function set(token: AccessToken | null): void {
  current = token;
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (token) {
    // Refresh a minute before the access token expires (at least 10 s from now).
    const due = Date.parse(token.expiresAt) - Date.now() - 60_000;
    timer = setTimeout(() => void refresh(), Math.max(10_000, due));
  }
  for (const listener of listeners) listener(token);
}

export function accessToken(): string | null {
  return current?.token ?? null;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function post(path: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { ...CONSOLE_HEADER, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

/** Run `work` while no other tab of this browser refreshes: a refresh token is single-use,
 * and two tabs spending the same one would look like a stolen token (the server then ends
 * the whole session). */
async function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (!locks) return work();
  return locks.request("spring-session-refresh", work);
}

/** Exchange the session cookie for an access token (null: no session, sign in). */
export function refresh(): Promise<AccessToken | null> {
  refreshing ??= exclusively(async () => {
    try {
      const response = await post("/auth/refresh");
      if (!response.ok) {
        set(null);
        return null;
      }
      const token = (await response.json()) as AccessToken;
      set(token);
      return token;
    } catch {
      // The server cannot be reached: keep what we have; the caller shows the error.
      return current;
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

let opening: Promise<AccessToken | null> | null = null;

/** The page's first refresh (is there a session?), started once: by main.tsx as soon as the
 * scripts run, before React renders anything, so Accueil's first request leaves as early
 * as it can (bench C1); SessionProvider then waits for the same answer. */
export function openSession(): Promise<AccessToken | null> {
  opening ??= refresh();
  return opening;
}

/** After `login`: hand the refresh token to the server, which keeps it in the cookie and
 * answers with a fresh access token (the refresh token seen here is spent at once). */
export async function establish(refreshToken: string): Promise<AccessToken> {
  const response = await post("/auth/session", { refreshToken });
  if (!response.ok) throw new Error(`session refused (${response.status})`);
  const token = (await response.json()) as AccessToken;
  set(token);
  return token;
}

/** End the session: the server revokes the refresh token's family and clears the cookie. */
export async function logout(): Promise<void> {
  try {
    await post("/auth/logout");
  } finally {
    set(null);
  }
}
