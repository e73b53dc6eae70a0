// The wall's last-minute figures: only the last 60 seconds count; money is what approved
// purchases and completions bring in, minus approved refunds; the approval rate is over
// decided transactions (approved or declined), errors aside.
import { describe, expect, it } from "vitest";
import { lastMinute } from "./Supervision";

const tx = (status: string, type: string, amount: number, currency = "EUR") => ({ status, type, amount, currency }) as never;

describe("the wall's last minute", () => {
  const now = 1_000_000;
  it("counts the last minute only", () => {
    const minute = lastMinute(
      [
        { at: now - 61_000, tx: tx("APPROVED", "PURCHASE", 5000) },
        { at: now - 59_000, tx: tx("APPROVED", "PURCHASE", 1000) },
        { at: now - 1_000, tx: tx("DECLINED", "PURCHASE", 9900) },
      ],
      now,
    );
    expect(minute).toEqual({ count: 2, approved: 1, decided: 2, amount: 1000, currency: "EUR" });
  });
  it("takes refunds off and leaves pre-authorisations and errors out of the money", () => {
    const minute = lastMinute(
      [
        { at: now, tx: tx("APPROVED", "PURCHASE", 3000) },
        { at: now, tx: tx("APPROVED", "REFUND", 500) },
        { at: now, tx: tx("APPROVED", "PRE_AUTHORIZATION", 10000) },
        { at: now, tx: tx("ERROR", "PURCHASE", 700) },
      ],
      now,
    );
    expect(minute.amount).toBe(2500);
    expect(minute.count).toBe(4);
    expect(minute.decided).toBe(3);
  });
  it("gives no single currency when they differ", () => {
    const minute = lastMinute(
      [
        { at: now, tx: tx("APPROVED", "PURCHASE", 3000, "EUR") },
        { at: now, tx: tx("APPROVED", "PURCHASE", 3000, "USD") },
      ],
      now,
    );
    expect(minute.currency).toBe("*");
  });
});

import { statsPeriod } from "./Transactions";

describe("the period of the transaction figures", () => {
  const now = Date.parse("2026-12-05T10:00:00Z");
  it("is the last 24 hours by the hour without dates", () => {
    expect(statsPeriod(null, null, now)).toEqual({
      interval: "HOUR",
      occurredFrom: "2026-12-04T10:00:00.000Z",
      occurredTo: "2026-12-05T10:00:00.000Z",
    });
  });
  it("is by the day beyond two days, and ends after the last day typed", () => {
    const period = statsPeriod("2026-11-01", "2026-11-30", now);
    expect(period.interval).toBe("DAY");
    expect(Date.parse(period.occurredTo) - Date.parse(period.occurredFrom)).toBeGreaterThanOrEqual(30 * 86_400_000 - 3_600_000);
  });
});

import { differences } from "./Journal";

describe("the journal's difference", () => {
  it("lists what changed, nested keys by their path, and leaves equal values out", () => {
    expect(
      differences(
        { status: "ACTIVE", blockedReason: null, fees: { rateBps: 30, fixedFee: 5 } },
        { status: "BLOCKED", blockedReason: "Fraude", fees: { rateBps: 45, fixedFee: 5 } },
      ),
    ).toEqual([
      { key: "blockedReason", before: "—", after: "Fraude" },
      { key: "fees.rateBps", before: "30", after: "45" },
      { key: "status", before: "ACTIVE", after: "BLOCKED" },
    ]);
  });
  it("shows a value only on the side that has it", () => {
    expect(differences(null, { name: "Boulangerie" })).toEqual([{ key: "name", before: "", after: "Boulangerie" }]);
  });
});
