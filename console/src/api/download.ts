// A file the API serves behind the session's token (a contract document's signed link, a CSV
// export): fetched with the same headers as /graphql and handed to the browser as a download.
// Returns null once downloaded, or the server's message when it refused.
import { requestHeaders } from "./client";

export async function download(url: string, filename: string): Promise<string | null> {
  const response = await fetch(url, { headers: requestHeaders(), credentials: "omit" });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    return body?.errors?.[0]?.message ?? String(response.status);
  }
  const href = URL.createObjectURL(await response.blob());
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.download = filename;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return null;
}
