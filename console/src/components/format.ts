// Dates in the user's language conventions (French by default), at the partner's local time.

/** The partner's IANA time zone (`Tenant.timeZone`); undefined: the browser's. */
let zone: string | undefined;

export function setTimeZone(timeZone: string | null): void {
  zone = timeZone ?? undefined;
}

export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(language === "en" ? "en-GB" : "fr-FR", {
    dateStyle: "short",
    timeStyle: "short",
    timeZone: zone,
  }).format(new Date(value));
}

/** A time of day to the second (10:42:07), for what happens live. */
export function formatTime(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(language === "en" ? "en-GB" : "fr-FR", { timeStyle: "medium", timeZone: zone }).format(new Date(value));
}

function locale(language: string): string {
  return language === "en" ? "en-GB" : "fr-FR";
}

/** A calendar day ("2026-12-04") as the user writes it: 04/12/2026 in French. */
export function formatDay(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(locale(language), { dateStyle: "short", timeZone: "UTC" }).format(new Date(`${value}T00:00:00Z`));
}

/** An amount in minor units (cents) as money: 1 234,56 € in French. */
export function formatMoney(minor: number | string | null | undefined, currency: string, language: string): string {
  if (minor === null || minor === undefined) return "—";
  return new Intl.NumberFormat(locale(language), { style: "currency", currency }).format(Number(minor) / 100);
}

/** A rate in basis points as a percentage with two decimals: 30 → 0,30 %. */
export function formatRate(bps: number | null | undefined, language: string): string {
  if (bps === null || bps === undefined) return "—";
  return new Intl.NumberFormat(locale(language), { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(
    bps / 10000,
  );
}

/** Reads a decimal typed by the user ("0,30" or "0.30"); null when it is not one. */
export function parseDecimal(text: string): number | null {
  const cleaned = text.replace(/\s|\u00a0|\u202f|€|%/g, "").replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

/** Hundredths of what the user typed (euros → cents, % → basis points); null when invalid. */
export function parseHundredths(text: string): number | null {
  const value = parseDecimal(text);
  if (value === null) return null;
  const scaled = Math.round(value * 100);
  return Math.abs(scaled - value * 100) < 1e-6 ? scaled : null;
}

/** Hundredths as the user edits them: 30 → "0,30" in French. */
export function hundredthsText(value: number, language: string): string {
  return new Intl.NumberFormat(locale(language), { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false }).format(
    value / 100,
  );
}
