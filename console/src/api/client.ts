// The one urql client: Graphcache, HTTP for queries and mutations, graphql-ws (the
// graphql-transport-ws protocol) for subscriptions, all on the app's own /graphql. Headers:
// the in-memory access token, X-Tenant for a platform administrator acting in a tenant, and
// Accept-Language so the server's messages come in the console's language. Operations go by
// their trusted document's id over HTTP (api/documents.ts), by their text over the WebSocket
// (the server checks that text against the same manifest).
import { createClient as createWsClient } from "graphql-ws";
import { Client, fetchExchange, mapExchange, subscriptionExchange } from "urql";
import { accessToken, refresh } from "../auth/session";
import i18next from "../i18n";
import { springCache } from "./cache";
import { fetchById } from "./documents";
import { prefetchExchange } from "./prefetch";
import { actingTenant } from "./tenant";

export { actingTenant, setActingTenant } from "./tenant";

export function requestHeaders(): Record<string, string> {
  const headers: Record<string, string> = { "Accept-Language": i18next.language || "fr" };
  const token = accessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const tenant = actingTenant();
  if (tenant) headers["X-Tenant"] = tenant;
  return headers;
}

const liveListeners = new Set<() => void>();

/** Called each time the WebSocket (re)connects: what was pushed while it was away is missed,
 * so a screen kept live by a subscription asks again (the bell recounts). */
export function onLiveConnected(listener: () => void): () => void {
  liveListeners.add(listener);
  return () => {
    liveListeners.delete(listener);
  };
}

export function createSpringClient(onSessionLost: () => void): Client {
  const wsUrl = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/graphql`;
  const ws = createWsClient({
    url: wsUrl,
    lazy: true,
    connectionParams: () => requestHeaders(),
    on: {
      connected: () => liveListeners.forEach((listener) => listener()),
    },
  });
  return new Client({
    url: "/graphql",
    preferGetMethod: false,
    // Queries and mutations by their trusted document's id (api/documents.ts).
    fetch: fetchById,
    requestPolicy: "cache-and-network",
    fetchOptions: () => ({ headers: requestHeaders(), credentials: "omit" }),
    exchanges: [
      springCache(),
      mapExchange({
        onError(error) {
          const unauthenticated = error.graphQLErrors.some(
            (e) => e.extensions?.code === "UNAUTHENTICATED",
          );
          if (unauthenticated) {
            void refresh().then((token) => {
              if (!token) onSessionLost();
            });
          }
        },
      }),
      prefetchExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}
