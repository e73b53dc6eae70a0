// Parc: the tiles' figures come from one `terminalCounts` reading (not a list query per
// tile), each tile sets the filter its figure counts (the offline tile: connectivity OFFLINE,
// whatever the status, as the API counts it), and the rows' cells are the terminals'.
import { fireEvent, render, screen, within } from "@testing-library/react";
import { print, type DocumentNode } from "graphql";
import { MemoryRouter } from "react-router";
import { Client, Provider } from "urql";
import { fromValue, never } from "wonka";
import { describe, expect, it, vi } from "vitest";
import { Fleet } from "./Fleet";

const terminal = (n: number, connectivity: "ONLINE" | "OFFLINE") => ({
  __typename: "Terminal",
  id: `T${n}`,
  tid: `B0104${n}00`,
  kind: "PAX",
  model: "A920Pro",
  appVersion: "1.2",
  firmwareVersion: null,
  status: "ACTIVE",
  connectivity,
  optionsStatus: "APPLIED",
  lastSeenAt: "2026-12-05T02:30:00Z",
  shop: { __typename: "Shop", id: `S${n}`, name: `Magasin ${n}` },
});

function renderFleet() {
  const fleet = {
    __typename: "TerminalConnection",
    totalCount: 2,
    pageInfo: { __typename: "PageInfo", hasNextPage: false, hasPreviousPage: false, startCursor: "a", endCursor: "b" },
    edges: [
      { __typename: "TerminalEdge", node: terminal(1, "ONLINE") },
      { __typename: "TerminalEdge", node: terminal(2, "OFFLINE") },
    ],
  };
  const counts = { __typename: "TerminalCounts", total: 5000, offline: 500, optionsPending: 715, blocked: 100 };
  const executeQuery = vi.fn((request: { query: DocumentNode; variables: Record<string, unknown> }) => {
    const text = print(request.query);
    const data = text.includes("terminalCounts") ? { terminalCounts: counts } : { terminals: fleet };
    return fromValue({ operation: request, data, stale: false, hasNext: false });
  });
  const client = { executeQuery, executeSubscription: vi.fn(() => never), executeMutation: vi.fn() } as unknown as Client;
  render(
    <Provider value={client}>
      <MemoryRouter initialEntries={["/parc"]}>
        <Fleet />
      </MemoryRouter>
    </Provider>,
  );
  return executeQuery;
}

const asked = (executeQuery: ReturnType<typeof renderFleet>, field: string) =>
  executeQuery.mock.calls
    .map(([request]) => request as { query: DocumentNode; variables: Record<string, unknown> })
    .filter((request) => print(request.query).includes(field));

describe("Parc", () => {
  it("heads the page with the counts of one terminalCounts reading", () => {
    const executeQuery = renderFleet();
    expect(screen.getByTestId("count-all").textContent).toBe("5000");
    expect(screen.getByTestId("count-offline").textContent).toBe("500");
    expect(screen.getByTestId("count-pending").textContent).toBe("715");
    expect(screen.getByTestId("count-blocked").textContent).toBe("100");
    // One reading for the four figures: no list query counts for a tile.
    expect(asked(executeQuery, "terminalCounts").length).toBeGreaterThan(0);
    const lists = asked(executeQuery, "terminals(");
    expect(lists.every((request) => request.variables.first === 25 || request.variables.last === 25)).toBe(true);
  });

  it("lists the terminals, each row its own", () => {
    renderFleet();
    const rows = within(screen.getByTestId("fleet")).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0] as HTMLElement).getByRole("link", { name: "B0104100" }).getAttribute("href")).toBe("/parc/T1");
    expect(within(rows[1] as HTMLElement).getByRole("link", { name: "Magasin 2" })).toBeTruthy();
  });

  it("filters on what the offline tile counts: connectivity OFFLINE, whatever the status", () => {
    const executeQuery = renderFleet();
    fireEvent.click(screen.getByTestId("count-offline"));
    const last = asked(executeQuery, "terminals(").at(-1) as unknown as { variables: { filter: Record<string, unknown> } };
    expect(last.variables.filter.connectivity).toBe("OFFLINE");
    expect(last.variables.filter.status).toBeNull();
    expect(last.variables.filter.optionsStatus).toBeNull();
  });
});
