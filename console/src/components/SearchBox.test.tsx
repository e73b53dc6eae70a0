import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { Client, Provider } from "urql";
import { fromValue, never } from "wonka";
import { describe, expect, it, vi } from "vitest";
import { describe as describeHit, SearchBox } from "./SearchBox";

const hits = [
  { score: 1, node: { __typename: "Company", id: "C1", legalName: "Ti Kaz La", siren: "732829320" } },
  { score: 0.8, node: { __typename: "Shop", id: "S1", name: "Ti Kaz La Jarry", siret: "73282932000074", company: { id: "C1", legalName: "Ti Kaz La" } } },
  { score: 0.6, node: { __typename: "Company", id: "C2", legalName: "Ti Punch", siren: "552100554" } },
];

function clientAnswering(search: unknown) {
  const executeQuery = vi.fn(({ variables }: { variables: { text: string } }) =>
    variables.text.length >= 2 ? fromValue({ data: { search }, stale: false, hasNext: false }) : never,
  );
  return { client: { executeQuery } as unknown as Client, executeQuery };
}

function Where() {
  return <p data-testid="where">{useLocation().pathname}</p>;
}

function renderBox(search: unknown) {
  const { client, executeQuery } = clientAnswering(search);
  render(
    <Provider value={client}>
      <MemoryRouter>
        <SearchBox />
        <Routes>
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
  return executeQuery;
}

describe("SearchBox", () => {
  it("groups results by type and opens the one chosen with the keyboard", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const executeQuery = renderBox(hits);
    const box = screen.getByRole("combobox", { name: "Rechercher" });
    await user.type(box, "Ti");
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(executeQuery).toHaveBeenCalled();
    const groups = screen.getAllByRole("group");
    expect(groups.map((g) => g.getAttribute("aria-label"))).toEqual(["Sociétés", "Magasins"]);
    // Companies first (both of them, grouped), then shops: ↓ ↓ ↓ reaches the shop.
    await user.keyboard("{ArrowDown}{ArrowDown}{ArrowDown}");
    const active = screen.getByRole("option", { selected: true });
    expect(active.textContent).toContain("Ti Kaz La Jarry");
    expect(box.getAttribute("aria-activedescendant")).toBe(active.id);
    await user.keyboard("{Enter}");
    // A shop opens its own page (Magasins).
    expect(screen.getByTestId("where").textContent).toBe("/magasins/S1");
    vi.useRealTimers();
  });

  it("asks nothing for one character and says so", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const executeQuery = renderBox([]);
    await user.type(screen.getByRole("combobox"), "T");
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(screen.getByText("Tapez au moins 2 caractères.")).toBeTruthy();
    expect(executeQuery).not.toHaveBeenCalled();
    expect(screen.queryByRole("listbox")).toBeNull();
    vi.useRealTimers();
  });

  it("links every kind of hit to its page, or its shop's, or its merchant's", () => {
    expect(describeHit({ __typename: "Terminal", id: "T", tid: "PAX00001", shop: { id: "S", name: "Jarry", company: { id: "C9" } } }).to).toBe(
      "/magasins/S",
    );
    expect(describeHit({ __typename: "Terminal", id: "T", tid: "PAX00001", shop: null }).to).toBeNull();
    expect(describeHit({ __typename: "Contract", id: "K", number: "MP-2026-000001", company: { id: "C9", legalName: "X" } }).to).toBe(
      "/societes/C9",
    );
    expect(describeHit({ __typename: "Transaction", id: "X", externalId: "e1", company: null }).to).toBeNull();
  });
});
