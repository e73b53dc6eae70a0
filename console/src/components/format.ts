// Dates in the user's language conventions (French by default), at the partner's local time.

/** The partner's IANA time zone (`Tenant.timeZone`); undefined: the browser's. */
let zone: string | undefined;

export function setTimeZone(timeZone: string | null): void {
  const next = timeZone ?? undefined;
  if (next !== zone) formatters.clear();
  zone = next;
}

// An Intl formatter costs far more to make than to use (tens of microseconds: a table of 25
// rows made 25 of them per render): each one is made once per language, options and zone.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

/** The date formatter for `language` and `options`, at the partner's zone, made once. */
export function dateFormat(language: string, name: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return tagDateFormat(locale(language), name, options);
}

function tagDateFormat(tag: string, name: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${name}|${tag}`;
  let made = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!made) {
    made = new Intl.DateTimeFormat(tag, { ...options, timeZone: options.timeZone ?? zone });
    formatters.set(key, made);
  }
  return made;
}

function numberFormat(language: string, name: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${name}|${language}`;
  let made = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!made) {
    made = new Intl.NumberFormat(locale(language), options);
    formatters.set(key, made);
  }
  return made;
}

export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  return dateFormat(language, "date", { dateStyle: "short", timeStyle: "short" }).format(new Date(value));
}

/** A time of day to the second (10:42:07), for what happens live. */
export function formatTime(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  return dateFormat(language, "time", { timeStyle: "medium" }).format(new Date(value));
}

function locale(language: string): string {
  return language === "en" ? "en-GB" : "fr-FR";
}

/** A calendar day ("2026-12-04") as the user writes it: 04/12/2026 in French. */
export function formatDay(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  return dateFormat(language, "day", { dateStyle: "short", timeZone: "UTC" }).format(new Date(`${value}T00:00:00Z`));
}

/** An amount in minor units (cents) as money: 1 234,56 € in French. */
export function formatMoney(minor: number | string | null | undefined, currency: string, language: string): string {
  if (minor === null || minor === undefined) return "—";
  return numberFormat(language, `money ${currency}`, { style: "currency", currency }).format(Number(minor) / 100);
}

/** A rate in basis points as a percentage with two decimals: 30 → 0,30 %. */
export function formatRate(bps: number | null | undefined, language: string): string {
  if (bps === null || bps === undefined) return "—";
  return numberFormat(language, "rate", { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(bps / 10000);
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
  return numberFormat(language, "hundredths", { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false }).format(value / 100);
}

// Calendar days at the partner's local time: what a date input shows and the instants the API
// is asked about (`transactionStats` days run from local midnight to local midnight, 23 or 25
// hours on a daylight-saving change), whatever the browser's own zone.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function wallClock(instant: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = tagDateFormat("en-US", "wallClock", {
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** How far the partner's wall clock is ahead of UTC at `instant` (ms; negative west of UTC). */
function offsetAt(instant: number): number {
  const w = wallClock(instant);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000;
}

/** The partner's calendar day ("2026-12-04") holding an instant. */
export function localDay(value: string | number | Date): string {
  const w = wallClock(new Date(value).getTime());
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** Today, as the partner's calendar day. */
export function localToday(now: number = Date.now()): string {
  return localDay(now);
}

/** A calendar day `days` later (or earlier, negative). */
export function addDays(day: string, days: number): string {
  const m = DAY.exec(day);
  if (!m) return day;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)).toISOString().slice(0, 10);
}

/** The instant (ISO 8601, UTC) of the partner's local midnight starting `day`; null for
 * anything that is not a day. */
export function dayStart(day: string | null | undefined): string | null {
  const m = day ? DAY.exec(day) : null;
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // The offset at midnight is not known before midnight's instant is: guess, then correct
  // once with the offset at the guess (which differs only near a daylight-saving change).
  const guess = wall - offsetAt(wall);
  return new Date(wall - offsetAt(guess)).toISOString();
}

/** [start, end) of the partner's days `from` to `to` (both included), as instants. */
export function dayRange(from: string, to: string): { start: string; end: string } | null {
  const start = dayStart(from);
  const end = dayStart(addDays(to, 1));
  return start && end ? { start, end } : null;
}

/** A chart bucket's start at the partner's local time: its hour (14:00) or its day (04/12). */
export function formatBucket(value: string, hourly: boolean, language: string): string {
  const options: Intl.DateTimeFormatOptions = hourly ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : { day: "2-digit", month: "2-digit" };
  return dateFormat(language, hourly ? "hour" : "dayMonth", options).format(new Date(value));
}
