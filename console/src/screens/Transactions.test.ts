// The Transactions screen's days are the partner's (Tenant.timeZone), as the API's
// transactionStats days are: checked with the browser in Tokyo, for a partner in Guadeloupe
// (UTC−4, no daylight saving) and one in Paris across the October 2026 change.
process.env.TZ = "Asia/Tokyo";

import { afterEach, describe, expect, it } from "vitest";
import { dayRange, dayStart, formatBucket, localDay, localToday, setTimeZone } from "../components/format";
import { statsPeriod } from "./Transactions";

describe("the Transactions screen's days, the browser in Tokyo", () => {
  afterEach(() => setTimeZone(null));

  it("runs in Tokyo", () => {
    expect(new Date(Date.UTC(2026, 9, 25)).getTimezoneOffset()).toBe(-540);
  });

  it("asks Guadeloupe's days and labels the chart with its hours and days", () => {
    setTimeZone("America/Guadeloupe");
    expect(dayStart("2026-12-04")).toBe("2026-12-04T04:00:00.000Z");
    const day = statsPeriod("2026-12-04", "2026-12-04", 0);
    expect(day).toEqual({ interval: "HOUR", occurredFrom: "2026-12-04T04:00:00.000Z", occurredTo: "2026-12-05T04:00:00.000Z" });
    // The API's first hourly bucket of that day starts at 04:00 UTC: 00:00 in Guadeloupe.
    expect(formatBucket("2026-12-04T04:00:00Z", true, "fr")).toBe("00:00");
    expect(formatBucket("2026-12-05T02:00:00Z", true, "fr")).toBe("22:00");
    // A daily bucket starting at Guadeloupe's midnight is that day, not Tokyo's next one.
    expect(formatBucket("2026-12-04T04:00:00Z", false, "fr")).toBe("04/12");
    // 22:30 on the 4th in Guadeloupe is already the 5th in UTC and in Tokyo.
    expect(localDay("2026-12-05T02:30:00Z")).toBe("2026-12-04");
    expect(localToday(Date.parse("2026-12-05T03:59:00Z"))).toBe("2026-12-04");
    expect(statsPeriod("2026-11-01", "2026-11-30", 0)).toEqual({
      interval: "DAY",
      occurredFrom: "2026-11-01T04:00:00.000Z",
      occurredTo: "2026-12-01T04:00:00.000Z",
    });
  });

  it("follows Paris across the daylight-saving change (a 25-hour day)", () => {
    setTimeZone("Europe/Paris");
    // Summer time until 25 October 2026 at 03:00 (UTC+2), then UTC+1.
    expect(dayStart("2026-10-25")).toBe("2026-10-24T22:00:00.000Z");
    expect(dayStart("2026-10-26")).toBe("2026-10-25T23:00:00.000Z");
    expect(dayRange("2026-10-25", "2026-10-25")).toEqual({ start: "2026-10-24T22:00:00.000Z", end: "2026-10-25T23:00:00.000Z" });
    // Two local days across the change are 49 hours: still by the hour.
    expect(statsPeriod("2026-10-24", "2026-10-25", 0)).toEqual({
      interval: "HOUR",
      occurredFrom: "2026-10-23T22:00:00.000Z",
      occurredTo: "2026-10-25T23:00:00.000Z",
    });
    // The repeated hour: 02:00 twice, then 03:00.
    expect(["2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"].map((h) => formatBucket(h, true, "fr"))).toEqual([
      "02:00",
      "02:00",
      "03:00",
    ]);
    expect(formatBucket("2026-10-25T23:00:00Z", false, "en")).toBe("26/10");
    // And the spring change: 29 March 2026 is 23 hours long.
    expect(dayRange("2026-03-29", "2026-03-29")).toEqual({ start: "2026-03-28T23:00:00.000Z", end: "2026-03-29T22:00:00.000Z" });
  });
});
