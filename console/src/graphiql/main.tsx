// GraphiQL, built by the console's toolchain and served by the app at GET /graphql: no CDN.
// Monaco's web workers come from the same origin (graphiql/setup-workers/vite). When the
// browser has a console session, requests carry its token; a token typed in the Headers
// pane wins.
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import "@graphiql/plugin-explorer/style.css";
import "./graphiql.css";
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL, HISTORY_PLUGIN } from "graphiql";
import { createClient } from "graphql-ws";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { accessToken, refresh } from "../auth/session";

const wsUrl = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/graphql`;

function hasAuthorization(headers: HeadersInit | undefined): boolean {
  return new Headers(headers).has("authorization");
}

const fetcher = createGraphiQLFetcher({
  url: "/graphql",
  fetch: (input, init) => {
    const token = accessToken();
    if (!token || hasAuthorization(init?.headers)) return fetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set("Authorization", `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  },
  wsClient: createClient({
    url: wsUrl,
    lazy: true,
    connectionParams: () => {
      const token = accessToken();
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
  }),
});

const plugins = [HISTORY_PLUGIN, explorerPlugin()];
const root = document.getElementById("graphiql");

void refresh().finally(() => {
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <GraphiQL
        fetcher={fetcher}
        plugins={plugins}
        defaultQuery={"{\n  me {\n    email\n    fullName\n    role\n  }\n}\n"}
      />
    </StrictMode>,
  );
});
