// The onboarding's company form, checked by the server as the user types: errors at their
// fields (aria-invalid, aria-describedby) only where the user has been, one check per pause,
// a failed check blocking nothing, and the submit's answer at every field.
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { DocumentNode, OperationDefinitionNode } from "graphql";
import { MemoryRouter } from "react-router";
import { Client, Provider } from "urql";
import { fromValue } from "wonka";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AbilitiesProvider, abilitiesOf, type Me } from "../auth/permissions";
import { companyInput, loadDraft, Onboarding } from "./Onboarding";

function nameOf(query: DocumentNode): string {
  const op = query.definitions.find((d) => d.kind === "OperationDefinition") as OperationDefinitionNode;
  return op.name?.value ?? "";
}

type Input = ReturnType<typeof companyInput>;

/** The server's rules, as far as these tests need them. */
function rules(input: Input) {
  const errors = [];
  if (!input.legalName.trim()) errors.push({ field: ["input", "legalName"], code: "REQUIRED", message: "Ce champ est obligatoire." });
  if (input.iban && !input.iban.replace(/\s/g, "").startsWith("FR76")) errors.push({ field: ["input", "iban"], code: "INVALID_IBAN", message: "IBAN invalide." });
  return errors;
}

function fakeApi({ checks = "work" }: { checks?: "work" | "fail" } = {}) {
  const checked: Input[] = [];
  const query = vi.fn((doc: DocumentNode, variables: { input: Input }) => ({
    toPromise: () => {
      expect(nameOf(doc)).toBe("ValidateCompany");
      checked.push(variables.input);
      if (checks === "fail") return Promise.resolve({ error: new Error("[Network] Failed to fetch"), data: undefined });
      const userErrors = rules(variables.input);
      return Promise.resolve({ data: { validateCompany: { valid: userErrors.length === 0, userErrors } } });
    },
  }));
  const executeQuery = vi.fn(() => fromValue({ data: { companies: { edges: [] } }, stale: false, hasNext: false }));
  const executeMutation = vi.fn(({ variables }: { variables: { input: Input } }) =>
    fromValue({ data: { createCompany: { company: null, userErrors: rules(variables.input) } }, stale: false, hasNext: false }),
  );
  const client = { query, executeQuery, executeMutation } as unknown as Client;
  return { client, checked, executeMutation };
}

function renderOnboarding(api: ReturnType<typeof fakeApi>) {
  const abilities = abilitiesOf({
    id: "U1",
    permissions: { operations: ["createCompany", "validateCompany", "companies"], deniedFields: [], maskedFields: [], requestTypes: [] },
  } as unknown as Me);
  render(
    <Provider value={api.client}>
      <AbilitiesProvider value={abilities}>
        <MemoryRouter>
          <Onboarding />
        </MemoryRouter>
      </AbilitiesProvider>
    </Provider>,
  );
}

const errorOf = (input: HTMLElement) => {
  const id = input.getAttribute("aria-describedby");
  return id ? document.getElementById(id)?.textContent : undefined;
};

describe("onboarding", () => {
  beforeEach(() => sessionStorage.clear());

  it("shows the server's error at the field typed, after a pause, and clears it once corrected", async () => {
    const user = userEvent.setup();
    const api = fakeApi();
    renderOnboarding(api);
    const iban = screen.getByLabelText("IBAN");
    await user.type(iban, "DE00");
    await waitFor(() => expect(iban.getAttribute("aria-invalid")).toBe("true"));
    expect(errorOf(iban)).toBe("IBAN invalide.");
    // One check for the run of keystrokes, with the form's values as the mutation takes them.
    expect(api.checked).toHaveLength(1);
    expect(api.checked[0]).toMatchObject({ iban: "DE00", legalName: "", address: { country: "FR" } });
    // The server also says the legal name is missing: not shown, the user has not been there.
    const legalName = screen.getByLabelText(/Raison sociale/);
    expect(legalName.getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByText("Ce champ est obligatoire.")).toBeNull();
    await user.clear(iban);
    await user.type(iban, "FR76");
    await waitFor(() => expect(api.checked).toHaveLength(2));
    await waitFor(() => expect(iban.getAttribute("aria-invalid")).toBeNull());
    expect(iban.getAttribute("aria-describedby")).toBeNull();
    // Leaving a field touches it: the error the server gave for it shows.
    await user.click(legalName);
    await user.tab();
    expect(errorOf(legalName)).toBe("Ce champ est obligatoire.");
    expect(api.executeMutation).not.toHaveBeenCalled();
  });

  it("hides the error while the field is retyped, until the server judges the new value", async () => {
    const user = userEvent.setup();
    renderOnboarding(fakeApi());
    const iban = screen.getByLabelText("IBAN");
    await user.type(iban, "DE00");
    await waitFor(() => expect(errorOf(iban)).toBe("IBAN invalide."));
    await user.type(iban, "1");
    expect(iban.getAttribute("aria-invalid")).toBeNull();
    await waitFor(() => expect(errorOf(iban)).toBe("IBAN invalide."));
  });

  it("lets the user submit when the checks fail, and shows the submit's errors at every field", async () => {
    const user = userEvent.setup();
    const api = fakeApi({ checks: "fail" });
    renderOnboarding(api);
    const iban = screen.getByLabelText("IBAN");
    await user.type(iban, "DE00");
    await waitFor(() => expect(api.checked).toHaveLength(1));
    expect(iban.getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Créer la société" }));
    expect(api.executeMutation).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(errorOf(iban)).toBe("IBAN invalide."));
    expect(errorOf(screen.getByLabelText(/Raison sociale/))).toBe("Ce champ est obligatoire.");
  });

  it("starts afresh, or from the draft kept for the tab", () => {
    expect(loadDraft().step).toBe("company");
    sessionStorage.setItem("spring.onboarding", JSON.stringify({ step: "shops", companyId: "C1" }));
    expect(loadDraft()).toMatchObject({ step: "shops", companyId: "C1", shops: [] });
    sessionStorage.setItem("spring.onboarding", "{not json");
    expect(loadDraft().step).toBe("company");
  });
});
