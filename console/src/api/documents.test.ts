import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { byId, documentId, fetchById, sha256Hex } from "./documents";

const node = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("trusted documents", () => {
  it("hashes as SHA-256 does, across block boundaries and non-ASCII text", () => {
    for (const text of ["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "é€𝄞".repeat(40), "query Me {\n  me {\n    id\n  }\n}"]) {
      expect(sha256Hex(text)).toBe(node(text));
    }
  });

  it("sends the id instead of the text", () => {
    expect(byId({ query: "{ a }", variables: { x: 1 } })).toEqual({ documentId: `sha256:${node("{ a }")}`, variables: { x: 1 } });
    expect(documentId("{ a }")).toBe(`sha256:${node("{ a }")}`);
  });

  afterEach(() => vi.unstubAllGlobals());

  it("sends the text again when the server does not know the id", async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_input: unknown, init: RequestInit) => {
        const body = JSON.parse(init.body as string) as { documentId?: string };
        bodies.push(body);
        if (body.documentId) return new Response(JSON.stringify({ errors: [{ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] }), { status: 400 });
        return new Response(JSON.stringify({ data: { a: 1 } }), { status: 200 });
      }),
    );
    const response = await fetchById("/graphql", { method: "POST", body: JSON.stringify({ query: "{ a }", variables: {} }) });
    expect(await response.json()).toEqual({ data: { a: 1 } });
    expect(bodies).toEqual([{ documentId: `sha256:${node("{ a }")}`, variables: {} }, { query: "{ a }", variables: {} }]);
  });

  it("passes another refusal through", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ errors: [{ message: "no", extensions: { code: "PERSISTED_QUERY_REQUIRED" } }] }), { status: 400 })));
    const response = await fetchById("/graphql", { method: "POST", body: JSON.stringify({ query: "{ a }" }) });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions.code).toBe("PERSISTED_QUERY_REQUIRED");
  });
});
