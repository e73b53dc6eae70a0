// Dates are shown at the partner's local time (Tenant.timeZone), whatever the browser's zone.
import { afterEach, describe, expect, it } from "vitest";
import { dateFormat, formatDate, formatMoney, formatTime, setTimeZone } from "./format";

describe("dates at the partner's local time", () => {
  afterEach(() => setTimeZone(null));
  it("shows a UTC instant as Guadeloupe's wall-clock time", () => {
    setTimeZone("America/Guadeloupe");
    expect(formatDate("2026-12-05T02:30:00Z", "fr")).toBe("04/12/2026 22:30");
    expect(formatTime("2026-12-05T02:30:05Z", "fr")).toBe("22:30:05");
  });
  it("follows Paris's daylight-saving time", () => {
    setTimeZone("Europe/Paris");
    expect(formatDate("2026-07-01T10:00:00Z", "fr")).toBe("01/07/2026 12:00");
    expect(formatDate("2026-12-01T10:00:00Z", "fr")).toBe("01/12/2026 11:00");
  });
});

describe("formatters made once", () => {
  afterEach(() => setTimeZone(null));
  it("reuses a formatter per language and zone, and makes a new one when the zone changes", () => {
    setTimeZone("America/Guadeloupe");
    const made = dateFormat("fr", "date", { dateStyle: "short", timeStyle: "short" });
    expect(dateFormat("fr", "date", { dateStyle: "short", timeStyle: "short" })).toBe(made);
    expect(dateFormat("en", "date", { dateStyle: "short", timeStyle: "short" })).not.toBe(made);
    setTimeZone("Europe/Paris");
    expect(dateFormat("fr", "date", { dateStyle: "short", timeStyle: "short" })).not.toBe(made);
    expect(formatDate("2026-12-01T10:00:00Z", "fr")).toBe("01/12/2026 11:00");
    setTimeZone("America/Guadeloupe");
    expect(formatDate("2026-12-01T10:00:00Z", "fr")).toBe("01/12/2026 06:00");
  });
  it("keeps one money formatter per currency", () => {
    expect(formatMoney(123456, "EUR", "fr")).toMatch(/^1\s234,56\s€$/);
    expect(formatMoney(123456, "USD", "en")).toBe("US$1,234.56");
  });
});
