import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Client, Provider } from "urql";
import { fromValue } from "wonka";
import { describe, expect, it, vi } from "vitest";
import { AbilitiesProvider, abilitiesOf, type Me } from "../auth/permissions";
import { SessionProvider } from "../auth/SessionProvider";
import { Account, describeAgent } from "./Account";

const CHROMIUM =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36";

describe("describeAgent", () => {
  it("names the browser and the system", () => {
    expect(describeAgent(CHROMIUM)).toBe("Chromium 156 · Linux");
    expect(
      describeAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"),
    ).toBe("Firefox 128 · Windows");
    expect(
      describeAgent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      ),
    ).toBe("Safari 17 · iOS");
    expect(describeAgent("curl/8.5.0")).toBe("curl/8.5.0");
    expect(describeAgent(null)).toBe("—");
  });
});

const session = (id: string, current: boolean, endedAt: string | null = null) => ({
  __typename: "Session",
  id,
  createdAt: "2026-12-05T05:00:00Z",
  lastUsedAt: "2026-12-05T05:10:00Z",
  expiresAt: "2026-12-19T05:00:00Z",
  userAgent: CHROMIUM,
  address: "127.0.0.1",
  endedAt,
  current,
});

function renderAccount(operations: string[]) {
  const me = {
    __typename: "User",
    id: "U1",
    email: "seller@alizes.demo",
    fullName: "Joël Théodore",
    phone: null,
    language: null,
    version: 3,
    sessions: [session("S1", true), session("S2", false), session("S3", false, "2026-12-05T05:05:00Z")],
    notificationPreferences: [{ __typename: "NotificationPreference", kind: "REQUEST_ASSIGNED", inApp: true, email: false }],
  };
  const executeQuery = vi.fn(() => fromValue({ data: { me }, stale: false, hasNext: false }));
  const client = { executeQuery, executeMutation: vi.fn() } as unknown as Client;
  const abilities = abilitiesOf({
    id: "U1",
    email: me.email,
    fullName: me.fullName,
    language: null,
    tenant: null,
    permissions: { operations, deniedFields: [], maskedFields: [], requestTypes: [] },
  } as unknown as Me);
  render(
    <SessionProvider>
      <Provider value={client}>
        <AbilitiesProvider value={abilities}>
          <MemoryRouter>
            <Account />
          </MemoryRouter>
        </AbilitiesProvider>
      </Provider>
    </SessionProvider>,
  );
  return executeQuery;
}

describe("Account", () => {
  it("lists the live sessions, marks this one, and offers to end the others", () => {
    const all = ["me", "updateMyProfile", "changePassword", "revokeSession", "updateNotificationPreferences"];
    renderAccount(all);
    const table = screen.getByRole("table", { name: "Sessions" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2); // the ended one is not listed
    const [mine, other] = rows as [HTMLElement, HTMLElement];
    expect(mine.getAttribute("aria-current")).toBe("true");
    expect(within(mine).queryByRole("button")).toBeNull();
    expect(within(mine).getByText("Cette session")).toBeTruthy();
    expect(within(other).getByRole("button", { name: "Mettre fin à cette session" })).toBeTruthy();
    expect(within(other).getByText("Chromium 156 · Linux")).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: "Demande qui vous est confiée : dans l'application" })).toHaveProperty(
      "checked",
      true,
    );
    expect(screen.queryByRole("heading", { name: "Mot de passe d'un collègue" })).toBeNull();
  });

  it("shows only what me.permissions allows", () => {
    const executeQuery = renderAccount(["me", "resetUserPassword", "users"]);
    expect(screen.queryByRole("heading", { name: "Profil" })).toBeNull();
    expect(screen.queryByRole("heading", { name: "Mot de passe" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Mettre fin à cette session" })).toBeNull();
    expect(screen.getByRole("heading", { name: "Mot de passe d'un collègue" })).toBeTruthy();
    // Notification choices are not even asked for without updateNotificationPreferences.
    const [request] = executeQuery.mock.calls[0] as unknown as [{ variables: { withNotifications: boolean } }];
    expect(request.variables.withNotifications).toBe(false);
    expect(screen.queryByRole("heading", { name: "Notifications" })).toBeNull();
  });
});
