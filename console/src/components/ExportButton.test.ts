import { describe, expect, it } from "vitest";
import { exportUrl } from "./ExportButton";

describe("exportUrl", () => {
  it("sends the list's filter and its sort as the API's JSON inputs", () => {
    const url = new URL(exportUrl("terminals", { text: "L0", status: ["ACTIVE"] }, { field: "TID", direction: "DESC" }), "http://x");
    expect(url.pathname).toBe("/exports/terminals.csv");
    expect(JSON.parse(url.searchParams.get("filter") ?? "")).toEqual({ text: "L0", status: ["ACTIVE"] });
    expect(JSON.parse(url.searchParams.get("orderBy") ?? "")).toEqual({ field: "TID", direction: "DESC" });
  });

  it("sends no orderBy for a list with one order (the journal)", () => {
    const url = new URL(exportUrl("audit-events", { action: ["service.blocked"] }), "http://x");
    expect(url.searchParams.has("orderBy")).toBe(false);
  });
});
