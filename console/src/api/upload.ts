// A file sent through the GraphQL multipart request convention (operations, map, the file):
// the merchant's documents and the partner's logo. Multipart requests are taken only with the
// session's bearer token (never the cookie: a form post from another site cannot forge one), so
// this goes by fetch with the same headers as /graphql and refreshes the token once if it expired.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { formatDocument, stringifyDocument } from "urql";
import { requestHeaders } from "./client";
import { byId, unknownId } from "./documents";
import { refresh } from "../auth/session";

/**
 * Sends `document` with `variables`, the file standing at `filePath` (e.g. "variables.input.file",
 * whose value in `variables` must be null). Returns the answer's data; throws with the server's
 * message when the request itself failed.
 */
export async function sendFile<Result, Variables extends Record<string, unknown>>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  filePath: string,
  file: File,
): Promise<Result> {
  // By its trusted document's id (api/documents.ts), the text again if the server knows none.
  const query = stringifyDocument(formatDocument(document));
  let operations: object = byId({ query, variables });
  const send = () => {
    const form = new FormData();
    form.append("operations", JSON.stringify(operations));
    form.append("map", JSON.stringify({ "0": [filePath] }));
    form.append("0", file, file.name);
    return fetch("/graphql", { method: "POST", body: form, headers: requestHeaders(), credentials: "omit" });
  };
  let response = await send();
  let body = await response.json().catch(() => null);
  if (unknownId(body)) {
    operations = { query, variables };
    response = await send();
    body = await response.json().catch(() => null);
  }
  if (body?.errors?.[0]?.extensions?.code === "UNAUTHENTICATED" && (await refresh())) {
    response = await send();
    body = await response.json().catch(() => null);
  }
  if (body?.errors?.length) throw new Error(body.errors[0].message);
  if (!body?.data) throw new Error(body?.error ?? String(response.status));
  return body.data as Result;
}
