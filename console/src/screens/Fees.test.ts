// The fee change sent to the API: only what differs from the current grid (FeeScheduleInput
// carries other lines over), and the server's errors mapped back to the inputs typed.
import { describe, expect, it } from "vitest";
import { changeOf, draftOf, serverErrors } from "./Fees";

const current = {
  id: "F1",
  versionNumber: 1,
  effectiveFrom: "2026-12-01",
  currency: "EUR",
  terminalRentalMonthly: 2500,
  softposFeeMonthly: 900,
  lines: [
    { scheme: "CB", region: "DOMESTIC", rateBps: 30, fixedFee: 5 },
    { scheme: "VISA", region: "EEA", rateBps: 120, fixedFee: 10 },
  ],
} as const;

describe("fee changes", () => {
  it("reads the grid as French decimals", () => {
    const draft = draftOf(current as never, "fr");
    expect(draft.lines.map((l) => [l.rate, l.fixed])).toEqual([
      ["0,30", "0,05"],
      ["1,20", "0,10"],
    ]);
    expect(draft.rental).toBe("25,00");
  });

  it("sends only repriced or new lines, the removed ones and changed monthly fees", () => {
    const draft = draftOf(current as never, "fr");
    draft.lines[0]!.rate = "0,25";
    draft.lines.splice(1, 1);
    draft.lines.push({ scheme: "AMEX", region: "INTERNATIONAL", rate: "2", fixed: "0.15" });
    draft.softpos = "9,90";
    const { input, keys } = changeOf(current as never, draft);
    expect(input.lines).toEqual([
      { scheme: "CB", region: "DOMESTIC", rateBps: 25, fixedFee: 5 },
      { scheme: "AMEX", region: "INTERNATIONAL", rateBps: 200, fixedFee: 15 },
    ]);
    expect(input.removeLines).toEqual([{ scheme: "VISA", region: "EEA" }]);
    expect(input.softposFeeMonthly).toBe(990);
    expect(input.terminalRentalMonthly).toBeUndefined();
    expect(keys).toEqual(["CB-DOMESTIC", "AMEX-INTERNATIONAL"]);
  });

  it("sends nothing for an unchanged grid", () => {
    const { input } = changeOf(current as never, draftOf(current as never, "en"));
    expect(input).toEqual({ lines: [], removeLines: [] });
  });

  it("puts the server's errors at the inputs they concern", () => {
    const found = serverErrors(
      [
        { field: ["input", "fees", "lines", "1", "rateBps"], message: "Taux trop élevé" },
        { field: ["input", "proposedFees", "softposFeeMonthly"], message: "Négatif" },
        { field: ["input", "reason"], message: "Obligatoire" },
        { field: null, message: "Version périmée" },
      ],
      ["CB-DOMESTIC", "AMEX-INTERNATIONAL"],
    );
    expect(found).toEqual({
      "fee-AMEX-INTERNATIONAL-rate": "Taux trop élevé",
      "fee-softpos": "Négatif",
      "fee-reason": "Obligatoire",
      "": "Version périmée",
    });
  });
});
