import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { DocumentNode, OperationDefinitionNode } from "graphql";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { Client, Provider, type OperationResult } from "urql";
import { fromValue, makeSubject } from "wonka";
import { describe, expect, it, vi } from "vitest";
import { Bell, subjectPath } from "./Bell";

function nameOf(query: DocumentNode): string {
  const op = query.definitions.find((d) => d.kind === "OperationDefinition") as OperationDefinitionNode;
  return op.name?.value ?? "";
}

const note = (id: string, title: string, read: boolean, subject: Record<string, unknown>) => ({
  __typename: "Notification",
  id,
  kind: "EVALUATION_REQUESTED",
  title,
  body: `${title} — détail`,
  createdAt: "2026-12-05T08:00:00Z",
  read,
  subjectId: subject.id,
  subject,
});

/** A fake API: the count and the list as `server` holds them now, a live feed to push. */
function fakeApi() {
  const server = {
    count: 1,
    notes: [note("N1", "Évaluation demandée : Ti Kaz La", false, { __typename: "Request", id: "R1" })],
  };
  const feed = makeSubject<OperationResult>();
  const executeQuery = vi.fn(({ query }: { query: DocumentNode }) => {
    if (nameOf(query) === "BellCount") {
      return fromValue({ data: { me: { __typename: "User", id: "U1", unreadNotificationCount: server.count } }, stale: false, hasNext: false });
    }
    return fromValue({
      data: { notifications: { __typename: "NotificationConnection", totalCount: server.notes.length, edges: server.notes.map((node) => ({ node })) } },
      stale: false,
      hasNext: false,
    });
  });
  const executeMutation = vi.fn(({ variables }: { variables: { input: { ids: string[] | null; all: boolean } } }) => {
    const { ids, all } = variables.input;
    server.notes = server.notes.map((n) => (all || ids?.includes(n.id) ? { ...n, read: true } : n));
    server.count = server.notes.filter((n) => !n.read).length;
    return fromValue({
      data: { markNotificationsRead: { notifications: [], unreadCount: server.count, userErrors: [] } },
      stale: false,
      hasNext: false,
    });
  });
  const executeSubscription = vi.fn(() => feed.source);
  const client = { executeQuery, executeMutation, executeSubscription } as unknown as Client;
  return { client, server, feed, executeQuery, executeMutation };
}

function Where() {
  return <p data-testid="where">{useLocation().pathname}</p>;
}

function renderBell(api: ReturnType<typeof fakeApi>) {
  render(
    <Provider value={api.client}>
      <MemoryRouter>
        <header>
          <Bell />
        </header>
        <Routes>
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
}

describe("Bell", () => {
  it("says how many are unread, opens with the keyboard and gives the focus back on Escape", async () => {
    const user = userEvent.setup();
    renderBell(fakeApi());
    const button = screen.getByRole("button", { name: "Notifications, 1 non lue" });
    expect(button.getAttribute("aria-expanded")).toBe("false");
    expect(screen.getByTestId("bell-count").textContent).toBe("1");
    button.focus();
    await user.keyboard("{Enter}");
    expect(button.getAttribute("aria-expanded")).toBe("true");
    const panel = screen.getByRole("region", { name: "Notifications" });
    expect(button.getAttribute("aria-controls")).toBe(panel.id);
    expect(document.activeElement).toBe(panel);
    const link = within(panel).getByRole("link", { name: "Évaluation demandée : Ti Kaz La" });
    expect(link.getAttribute("href")).toBe("/demandes/R1");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("region", { name: "Notifications" })).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("updates the count live when a notification arrives, and announces it", async () => {
    const api = fakeApi();
    renderBell(api);
    expect(screen.getByTestId("bell-count").textContent).toBe("1");
    api.server.count = 2;
    api.server.notes = [note("N2", "Évaluation approuvée : Ti Punch", false, { __typename: "Company", id: "C2" }), ...api.server.notes];
    await act(async () => {
      api.feed.next({
        data: {
          notificationReceived: {
            cursor: "c2",
            notification: { __typename: "Notification", id: "N2", kind: "EVALUATION_APPROVED", title: "Évaluation approuvée : Ti Punch", read: false, createdAt: "2026-12-05T08:01:00Z" },
          },
        },
        stale: false,
        hasNext: true,
      } as unknown as OperationResult);
    });
    expect(screen.getByTestId("bell-count").textContent).toBe("2");
    expect(screen.getByRole("button", { name: "Notifications, 2 non lues" })).toBeTruthy();
    expect(screen.getByTestId("bell-announcement").textContent).toBe("Nouvelle notification : Évaluation approuvée : Ti Punch");
    // The count was asked again from the server, not guessed.
    expect(api.executeQuery.mock.calls.filter(([op]) => nameOf(op.query) === "BellCount").length).toBeGreaterThan(1);
  });

  it("marks one read, then all, and follows a link to what it is about", async () => {
    const user = userEvent.setup();
    const api = fakeApi();
    api.server.count = 2;
    api.server.notes.push(note("N0", "Contrat MP-2026-000001 signé", false, { __typename: "Contract", id: "K1", company: { id: "C1" } }));
    renderBell(api);
    await user.click(screen.getByRole("button", { name: "Notifications, 2 non lues" }));
    await user.click(screen.getByRole("button", { name: "Marquer comme lu : Évaluation demandée : Ti Kaz La" }));
    expect(api.executeMutation).toHaveBeenCalledTimes(1);
    expect(api.executeMutation.mock.calls[0]?.[0].variables.input).toEqual({ ids: ["N1"], all: false });
    expect(await screen.findByRole("button", { name: "Notifications, 1 non lue" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Marquer comme lu : Évaluation demandée/ })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Tout marquer comme lu" }));
    expect(api.executeMutation.mock.calls[1]?.[0].variables.input).toEqual({ ids: null, all: true });
    expect(await screen.findByRole("button", { name: "Notifications, aucune non lue" })).toBeTruthy();
    expect(screen.queryByTestId("bell-count")).toBeNull();
    // A contract's notification opens its merchant's page, and closes the panel.
    await user.click(screen.getByRole("link", { name: "Contrat MP-2026-000001 signé" }));
    expect(screen.getByTestId("where").textContent).toBe("/societes/C1");
    expect(screen.queryByRole("region", { name: "Notifications" })).toBeNull();
  });

  it("links each kind of object to the page that shows it", () => {
    expect(subjectPath({ __typename: "Request", id: "R" }, "R")).toBe("/demandes/R");
    expect(subjectPath({ __typename: "Company", id: "C" }, "C")).toBe("/societes/C");
    expect(subjectPath({ __typename: "Service", id: "S", shop: { id: "P" } }, "S")).toBe("/magasins/P");
    expect(subjectPath({ __typename: "Terminal", id: "T", shop: null }, "T")).toBeNull();
    expect(subjectPath(null, "gone")).toBeNull();
  });
});
