import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { Client, Provider } from "urql";
import { fromValue, never } from "wonka";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AbilitiesProvider, abilitiesOf, type Me } from "../auth/permissions";
import { setTimeZone } from "./format";
import { describe as describeHit, lastFourOf, SearchBox } from "./SearchBox";

const hits = [
  { score: 1, node: { __typename: "Company", id: "C1", legalName: "Ti Kaz La", siren: "732829320" } },
  { score: 0.8, node: { __typename: "Shop", id: "S1", name: "Ti Kaz La Jarry", siret: "73282932000074", company: { id: "C1", legalName: "Ti Kaz La" } } },
  { score: 0.6, node: { __typename: "Company", id: "C2", legalName: "Ti Punch", siren: "552100554" } },
];

interface Variables {
  text: string | null;
  card: { lastFour: string; occurredFrom: string; occurredTo: string; amount?: number; shop?: string } | null;
  withText: boolean;
  withCard: boolean;
}

function clientAnswering(search: unknown, cards: unknown = []) {
  const executeQuery = vi.fn(({ variables }: { variables: Variables }) =>
    variables.withText || variables.withCard
      ? fromValue({
          data: { search: variables.withText ? search : undefined, cards: variables.withCard ? cards : undefined },
          stale: false,
          hasNext: false,
        })
      : never,
  );
  return { client: { executeQuery } as unknown as Client, executeQuery };
}

/** A user who may do what the API says: every operation the box uses, every field unless
 * `denied` lists it (never a role name). */
function abilities(denied: string[] = []) {
  return abilitiesOf({
    id: "U1",
    email: "h@x.test",
    fullName: "H",
    language: null,
    tenant: null,
    permissions: { operations: ["search", "transactions"], deniedFields: denied, maskedFields: [], requestTypes: [] },
  } as unknown as Me);
}

function Where() {
  const location = useLocation();
  return <p data-testid="where">{location.pathname + location.search}</p>;
}

function renderBox(search: unknown, cards: unknown = [], denied: string[] = []) {
  const { client, executeQuery } = clientAnswering(search, cards);
  render(
    <Provider value={client}>
      <AbilitiesProvider value={abilities(denied)}>
        <MemoryRouter>
          <SearchBox />
          <Routes>
            <Route path="*" element={<Where />} />
          </Routes>
        </MemoryRouter>
      </AbilitiesProvider>
    </Provider>,
  );
  return executeQuery;
}

const lastVariables = (executeQuery: ReturnType<typeof vi.fn>) => executeQuery.mock.lastCall?.[0].variables as Variables;

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
    const transaction = { __typename: "Transaction", id: "X", externalId: "e1", amount: 1250, currency: "EUR", occurredAt: "2026-12-05T02:30:00Z" } as const;
    expect(describeHit({ ...transaction, terminal: null, shop: null, company: null }).to).toBe("/transactions/X");
  });
});

const cardHit = {
  score: 1,
  node: {
    __typename: "Transaction",
    id: "X1",
    externalId: "ext-1",
    amount: 1250,
    currency: "EUR",
    occurredAt: "2026-12-05T02:30:00Z",
    maskedPan: "497010******1234",
    terminal: { id: "T1", tid: "PAX00001" },
    shop: { id: "S1", name: "Ti Kaz La Jarry" },
    company: { id: "C1", legalName: "Ti Kaz La" },
  },
};

describe("what callers say", () => {
  afterEach(() => {
    setTimeZone(null);
    vi.useRealTimers();
  });

  it("reads a card's last four digits in the ways people write them", () => {
    expect(lastFourOf("1234")).toEqual({ lastFour: "1234", only: false });
    for (const text of ["*1234", "•••• 1234", "**** **** **** 1234", "xxxx1234", "carte 1234", "Carte finissant par 1234", "card ending 1234", "CB 1234"]) {
      expect(lastFourOf(text), text).toEqual({ lastFour: "1234", only: true });
    }
    for (const text of ["12345", "123", "06 12 34 56 78", "Ti Kaz 1234", "MP-2026-1234"]) expect(lastFourOf(text), text).toBeNull();
  });

  it("asks for the card over the partner's today, lets the period change, and opens the transaction", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, now: Date.parse("2026-12-05T03:00:00Z") });
    setTimeZone("America/Guadeloupe");
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const executeQuery = renderBox([], [cardHit]);
    await user.type(screen.getByRole("combobox"), "carte 1234");
    await act(() => vi.advanceTimersByTimeAsync(250));
    // 03:00 UTC on the 5th is still the 4th in Guadeloupe: that local day, 04:00Z to 04:00Z.
    expect(lastVariables(executeQuery)).toMatchObject({
      withText: false,
      withCard: true,
      card: { lastFour: "1234", occurredFrom: "2026-12-04T04:00:00.000Z", occurredTo: "2026-12-05T04:00:00.000Z" },
    });
    expect((screen.getByLabelText("Du") as HTMLInputElement).value).toBe("2026-12-04");
    await user.clear(screen.getByLabelText("Du"));
    await user.type(screen.getByLabelText("Du"), "2026-12-01");
    await user.type(screen.getByLabelText("Montant (€, facultatif)"), "12,50");
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(lastVariables(executeQuery).card).toEqual({
      lastFour: "1234",
      occurredFrom: "2026-12-01T04:00:00.000Z",
      occurredTo: "2026-12-05T04:00:00.000Z",
      amount: 1250,
    });
    const group = screen.getByRole("group", { name: "Transactions" });
    expect(group.textContent).toContain("497010******1234");
    expect(group.textContent).toContain("Ti Kaz La Jarry");
    const box = screen.getByRole("combobox");
    box.focus();
    await user.keyboard("{ArrowDown}{Enter}");
    expect(screen.getByTestId("where").textContent).toBe("/transactions/X1");
  });

  it("narrows the card to one of the shops it was seen at, and back to every shop", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const elsewhere = { score: 0.9, node: { ...cardHit.node, id: "X2", externalId: "ext-2", shop: { id: "S2", name: "Ti Kaz La Baie-Mahault" } } };
    const executeQuery = renderBox([], [cardHit, elsewhere]);
    await user.type(screen.getByRole("combobox"), "*1234");
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(lastVariables(executeQuery).card).not.toHaveProperty("shop");
    const shops = screen.getByLabelText("Magasin") as HTMLSelectElement;
    expect([...shops.options].map((o) => o.text)).toEqual(["Tous les magasins", "Ti Kaz La Baie-Mahault", "Ti Kaz La Jarry"]);
    await user.selectOptions(shops, "S2");
    expect(lastVariables(executeQuery).card).toMatchObject({ lastFour: "1234", shop: "S2" });
    await user.selectOptions(shops, "");
    expect(lastVariables(executeQuery).card).not.toHaveProperty("shop");
  });

  it("offers no shop choice when the card was seen at one shop", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderBox([], [cardHit]);
    await user.type(screen.getByRole("combobox"), "*1234");
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(screen.queryByLabelText("Magasin")).toBeNull();
  });

  it("asks both for a bare last four, and only the text for a user who may not read card numbers", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const executeQuery = renderBox([], [], ["Transaction.maskedPan"]);
    await user.type(screen.getByRole("combobox"), "1234");
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(lastVariables(executeQuery)).toMatchObject({ text: "1234", withText: true, withCard: false, card: null });
    expect(screen.queryByRole("group", { name: /Carte/ })).toBeNull();
  });

  it("sends a phone number as typed: the API reads every writing of it", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const executeQuery = renderBox(hits);
    await user.type(screen.getByRole("combobox"), "06 12 34 56 78");
    await act(() => vi.advanceTimersByTimeAsync(250));
    expect(lastVariables(executeQuery)).toMatchObject({ text: "06 12 34 56 78", withText: true, withCard: false });
  });
});
