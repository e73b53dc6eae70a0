// GraphQL Code Generator: types every operation of the console from the repository's
// schema.graphql (regenerated from the Python schema by `spring schema > schema.graphql`).
// An operation that does not match the schema fails here, so `npm run build` fails.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  errorsOnly: true,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: "string", JSON: "unknown", Date: "string", Long: "number" },
        strictScalars: false,
      },
    },
    // Only what the operations use (so unrelated schema changes leave the build as it is).
    "src/gql/introspection.ts": { plugins: ["./codegen/used-schema.cjs"] },
  },
};

export default config;
