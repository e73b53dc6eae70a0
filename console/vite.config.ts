/// <reference types="vitest/config" />
// Two entries: the console (index.html) and GraphiQL (graphiql.html, with Monaco's web
// workers). The output goes into the Python package (spring/console_dist/), which ships it:
// `pip install` users need no Node.js. Builds must be reproducible (CI rebuilds and diffs).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { formatDocument, stringifyDocument } from "@urql/core";
import react from "@vitejs/plugin-react";
import { print, type DocumentNode } from "graphql";
import { defineConfig, type Plugin } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Each `graphql(\`query Name …\`)` is replaced by its document as codegen wrote it in
 * src/gql/graphql.ts (`NameDocument`), as the client preset's own optimizer (its Babel and SWC
 * plugins) does, but inlined where it is declared: otherwise `graphql()`'s map of every
 * document of every screen, and graphql.ts with them, travels in the entry chunk. With it each
 * chunk carries only its own documents (issue 16: the first screen's JavaScript,
 * bench/console.py). The types are unchanged: tsc reads the source as written.
 *
 * It also writes trusted-documents.json (docs/security.md): `{"sha256:<hex>": text}` of every
 * operation the console's chunks carry, the text as urql sends it (its cache's __typename
 * added, stringifyDocument) and, for subscriptions, as the live feeds send it (graphql's
 * print); the server loads it at start. Sorted by id, so the same sources give the same file. */
function documentsByName(): Plugin {
  const generated = here("src/gql/graphql.ts");
  const call = /\bgraphql\(\s*`\s*(query|mutation|subscription|fragment)\s+(\w+)[^`]*`\s*\)/g;
  const line = /^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*$/gm;
  let documents: Map<string, string> | null = null;
  const used = new Set<string>();
  return {
    name: "spring-graphql-documents-by-name",
    enforce: "pre",
    buildStart() {
      documents = null; // codegen may have run since (npm run build runs it first)
      used.clear();
    },
    transform(code, id) {
      if (!/\/src\/.*\.tsx?$/.test(id) || id.includes("/src/gql/") || !code.includes("graphql(`")) return null;
      documents ??= new Map([...readFileSync(generated, "utf8").matchAll(line)].map((m) => [m[1] ?? "", m[2] ?? ""]));
      const found: Map<string, string> = documents;
      const out = code.replace(call, (_whole, kind: string, name: string) => {
        const exported = kind === "fragment" ? `${name}FragmentDoc` : `${name}Document`;
        const document = found.get(exported);
        if (!document) this.error(`${id}: ${exported} is not in src/gql/graphql.ts (run npm run codegen)`);
        if (kind !== "fragment") used.add(document);
        return `(${document})`;
      });
      if (out.includes("graphql(`")) this.error(`${id}: a graphql(\`…\`) document without a name`);
      return { code: out, map: null };
    },
    generateBundle() {
      const manifest: Record<string, string> = {};
      for (const document of used) {
        const node = JSON.parse(document) as DocumentNode;
        const texts = [stringifyDocument(formatDocument(node))];
        // Live feeds (api/resumable.ts) subscribe with graphql's print() of the document.
        if (node.definitions.some((d) => d.kind === "OperationDefinition" && d.operation === "subscription")) texts.push(print(node));
        for (const text of texts) manifest[`sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`] = text;
      }
      const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : 1)));
      this.emitFile({ type: "asset", fileName: "trusted-documents.json", source: `${JSON.stringify(sorted, null, 1)}\n` });
    },
  };
}

export default defineConfig({
  plugins: [documentsByName(), react()],
  base: "/",
  build: {
    outDir: here("../spring/console_dist"),
    emptyOutDir: true,
    // No data: URIs: the Content-Security-Policy allows the app's own origin only.
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: { console: here("index.html"), graphiql: here("graphiql.html") },
    },
  },
  worker: { format: "es" },
  server: {
    proxy: {
      "/graphql": { target: "http://127.0.0.1:8000", ws: true },
      "/auth": "http://127.0.0.1:8000",
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
  },
});
