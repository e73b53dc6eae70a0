// Trusted documents (docs/security.md): every operation the console sends is in the manifest
// its build writes (spring/console_dist/trusted-documents.json, `{"sha256:<hex>": text}`), so
// it sends `{"documentId": "sha256:…", "variables": …}` instead of the text, the
// GraphQL-over-HTTP persisted-documents convention. The id is the SHA-256 of the very text
// urql would send (computed here, synchronously: crypto.subtle is async and missing outside
// secure contexts). A server that does not know the id (an older build, trusted documents
// off) says so with PERSISTED_QUERY_NOT_FOUND / _NOT_SUPPORTED: the text is sent then.

/** Round constants and initial hash: the fractional parts of the cube and square roots of
 * the first primes (FIPS 180-4), computed once rather than written out. */
const K = new Uint32Array(64);
const H0 = new Uint32Array(8);
{
  const fraction = (x: number) => ((x - Math.floor(x)) * 0x100000000) >>> 0;
  let found = 0;
  for (let candidate = 2; found < 64; candidate++) {
    let prime = true;
    for (let d = 2; d * d <= candidate; d++) if (candidate % d === 0) prime = false;
    if (!prime) continue;
    if (found < 8) H0[found] = fraction(Math.sqrt(candidate));
    K[found] = fraction(Math.cbrt(candidate));
    found++;
  }
}

/** The hex SHA-256 of `text`'s UTF-8 bytes. */
export function sha256Hex(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const length = ((bytes.length + 9 + 63) >> 6) << 6;
  const padded = new Uint8Array(length);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(length - 8, Math.floor(bytes.length / 0x20000000));
  view.setUint32(length - 4, (bytes.length << 3) >>> 0);
  const h = H0.slice();
  const w = new Uint32Array(64);
  for (let offset = 0; offset < length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!;
      const b = w[i - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h as unknown as number[];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e! >>> 6) | (e! << 26)) ^ ((e! >>> 11) | (e! << 21)) ^ ((e! >>> 25) | (e! << 7));
      const ch = (e! & f!) ^ (~e! & g!);
      const t1 = (hh! + S1 + ch + K[i]! + w[i]!) >>> 0;
      const S0 = ((a! >>> 2) | (a! << 30)) ^ ((a! >>> 13) | (a! << 19)) ^ ((a! >>> 22) | (a! << 10));
      const maj = (a! & b!) ^ (a! & c!) ^ (b! & c!);
      const t2 = (S0 + maj) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d! + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = h[0]! + a!;
    h[1] = h[1]! + b!;
    h[2] = h[2]! + c!;
    h[3] = h[3]! + d!;
    h[4] = h[4]! + e!;
    h[5] = h[5]! + f!;
    h[6] = h[6]! + g!;
    h[7] = h[7]! + hh!;
  }
  return Array.from(h, (word) => word.toString(16).padStart(8, "0")).join("");
}

const ids = new Map<string, string>();

/** `sha256:<hex>` of a document's text (remembered: the console sends few distinct texts). */
export function documentId(text: string): string {
  let id = ids.get(text);
  if (id === undefined) {
    id = `sha256:${sha256Hex(text)}`;
    ids.set(text, id);
  }
  return id;
}

/** A GraphQL request's parameters with the text replaced by its id. */
export function byId<T extends { query?: string | null }>(params: T): Omit<T, "query"> & { documentId?: string } {
  if (typeof params.query !== "string") return params;
  const { query, ...rest } = params;
  return { ...rest, documentId: documentId(query) };
}

const FALLBACK = new Set(["PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_NOT_SUPPORTED"]);

/** The server did not know the id: send the text instead. */
export function unknownId(body: unknown): boolean {
  const errors = (body as { errors?: { extensions?: { code?: string } }[] } | null)?.errors;
  return Array.isArray(errors) && errors.some((error) => FALLBACK.has(error.extensions?.code ?? ""));
}

/** `fetch` for a JSON GraphQL request: sent by id, sent again with the text when the
 * server does not know the id (urql's client, the prefetch, the session's own requests). */
export async function fetchById(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const sent = typeof init?.body === "string" ? init.body : null;
  let params: { query?: unknown } | null = null;
  try {
    params = sent ? (JSON.parse(sent) as { query?: unknown }) : null;
  } catch {
    params = null;
  }
  if (!params || typeof params.query !== "string" || Array.isArray(params)) return fetch(input, init);
  const response = await fetch(input, { ...init, body: JSON.stringify(byId(params as { query: string })) });
  if (response.status !== 400) return response;
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (unknownId(body)) return fetch(input, init);
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
}
