// The first screen's queries, asked by the entry (main.tsx) as soon as the session's access
// token is known, while the rest of the console is still being fetched and compiled (issue
// 16: Accueil usable within 1 s; bench/console.py). urql asks for the same queries when the
// screens render: `prefetchExchange` (in api/client.ts, below the cache) answers each of them
// once with the answer already on its way, instead of sending it again. What is shown still
// depends on `me.permissions` only: a query asked ahead is a guess, and a screen that may not
// show it never reads its answer.
import { createRequest, formatDocument, makeResult, stringifyDocument, type Exchange, type ExecutionResult, type TypedDocumentNode } from "urql";
import { empty, filter, fromPromise, fromValue, map, merge, mergeMap, pipe, share, takeUntil } from "wonka";
import { accessToken } from "../auth/session";
import { fetchById } from "./documents";
import { storedLanguage } from "../i18n/stored";
import { actingTenant } from "./tenant";

type Body = ExecutionResult | null;

/** Answers on their way, by urql's operation key (the document and its variables). */
const waiting = new Map<number, Promise<Body>>();

/** Send `document` now (the access token must be known); urql's first operation with the same
 * document and variables takes the answer. */
export function prefetch<Data, Variables extends Record<string, unknown>>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables = {} as Variables,
): void {
  const token = accessToken();
  if (!token) return;
  const request = createRequest(document, variables);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "Accept-Language": storedLanguage(),
    Authorization: `Bearer ${token}`,
  };
  const tenant = actingTenant();
  if (tenant) headers["X-Tenant"] = tenant;
  const answer = fetchById("/graphql", {
    method: "POST",
    headers,
    credentials: "omit",
    // As the cache would send it (with __typename, which it needs to normalise the answer).
    body: JSON.stringify({ query: stringifyDocument(formatDocument(request.query)), variables }),
  })
    .then((response) => response.json() as Promise<Body>)
    .catch(() => null);
  waiting.set(request.key, answer);
}

/** Answers urql's operations for a prefetched query with the prefetched answer: every such
 * operation until the answer is delivered once (a screen that mounts twice, or whose first
 * operation is torn down and sent again, still takes it), then the entry is gone and later
 * operations go to the network as usual; so does the operation when the request failed. */
export const prefetchExchange: Exchange = ({ forward, client }) => (operations$) => {
  const tagged = pipe(
    operations$,
    map((operation) => ({ operation, answer: operation.kind === "query" ? waiting.get(operation.key) : undefined })),
    share,
  );
  const answered = pipe(
    tagged,
    filter(({ answer }) => answer !== undefined),
    mergeMap(({ operation, answer }) => {
      const torn = pipe(
        tagged,
        filter(({ operation: other }) => other.kind === "teardown" && other.key === operation.key),
      );
      return pipe(
        fromPromise(answer as Promise<Body>),
        takeUntil(torn),
        mergeMap((body) => {
          waiting.delete(operation.key);
          if (body && (body.data !== undefined || body.errors)) return fromValue(makeResult(operation, body));
          client.reexecuteOperation(operation);
          return empty;
        }),
      );
    }),
  );
  const rest = forward(
    pipe(
      tagged,
      filter(({ answer }) => answer === undefined),
      map(({ operation }) => operation),
    ),
  );
  return merge([answered, rest]);
};
