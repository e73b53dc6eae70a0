import { beforeEach, describe, expect, it } from "vitest";
import { errorsByField, loadDraft } from "./Onboarding";

describe("onboarding", () => {
  beforeEach(() => sessionStorage.clear());

  it("puts each server user error at its field (nested ones too)", () => {
    expect(
      errorsByField([
        { field: ["input", "siren"], message: "SIREN invalide." },
        { field: ["input", "address", "city"], message: "Obligatoire." },
        { field: ["input", "address", "city"], message: "Trop long." },
        { field: null, message: "Refusé." },
      ]),
    ).toEqual({ siren: "SIREN invalide.", "address.city": "Obligatoire. Trop long.", "": "Refusé." });
  });

  it("starts afresh, or from the draft kept for the tab", () => {
    expect(loadDraft().step).toBe("company");
    sessionStorage.setItem("spring.onboarding", JSON.stringify({ step: "shops", companyId: "C1" }));
    expect(loadDraft()).toMatchObject({ step: "shops", companyId: "C1", shops: [] });
    sessionStorage.setItem("spring.onboarding", "{not json");
    expect(loadDraft().step).toBe("company");
  });
});
