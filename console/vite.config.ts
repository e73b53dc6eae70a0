/// <reference types="vitest/config" />
// Two entries: the console (index.html) and GraphiQL (graphiql.html, with Monaco's web
// workers). The output goes into the Python package (spring/console_dist/), which ships it:
// `pip install` users need no Node.js. Builds must be reproducible (CI rebuilds and diffs).
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  plugins: [react()],
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
