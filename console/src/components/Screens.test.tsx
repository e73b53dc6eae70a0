import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { describe, expect, it, vi } from "vitest";
import { screen as lazyScreen, Screens } from "./Screens";

describe("Screens", () => {
  it("shows a screen once its chunk has arrived", async () => {
    const Thing = lazyScreen(async () => ({ Thing: () => <h1>Thing</h1> }), "Thing");
    render(
      <MemoryRouter>
        <Screens>
          <Thing />
        </Screens>
      </MemoryRouter>,
    );
    expect(screen.getByRole("status").textContent).toContain("Chargement");
    expect((await screen.findByRole("heading")).textContent).toBe("Thing");
  });

  it("says so, with a way out, when a screen's chunk cannot be fetched", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const Broken = lazyScreen(async (): Promise<{ Broken: () => null }> => {
      throw new TypeError("Failed to fetch dynamically imported module");
    }, "Broken");
    render(
      <MemoryRouter>
        <Screens>
          <Broken />
        </Screens>
      </MemoryRouter>,
    );
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("n'a pas pu être chargé");
    expect(screen.getByRole("button", { name: "Recharger la page" })).toBeTruthy();
    vi.restoreAllMocks();
  });
});
