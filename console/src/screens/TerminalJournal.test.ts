// The live journal's window: each event once whatever gave it (the feed, a page read again
// after a reconnection), newest first by when it happened, and never more than the window.
import { describe, expect, it } from "vitest";
import { mergeWindow, type JournalEvent } from "./TerminalJournal";

const event = (id: string, minute: number): JournalEvent =>
  ({ id, kind: "ERROR", code: null, message: null, occurredAt: `2026-12-05T08:${String(minute).padStart(2, "0")}:00Z` }) as JournalEvent;

describe("the technical journal's window", () => {
  it("keeps each event once, newest first", () => {
    const page = [event("b", 2), event("a", 1)];
    const merged = mergeWindow(mergeWindow([], page), [event("c", 3), event("b", 2)]);
    expect(merged.map((e) => e.id)).toEqual(["c", "b", "a"]);
  });

  it("never holds more than the window", () => {
    let window: JournalEvent[] = [];
    for (let n = 0; n < 50; n += 1) window = mergeWindow(window, [event(`e${n}`, n)], 10);
    expect(window).toHaveLength(10);
    expect(window.map((e) => e.id)).toEqual(["e49", "e48", "e47", "e46", "e45", "e44", "e43", "e42", "e41", "e40"]);
  });

  it("orders events of the same moment the same way every time", () => {
    const one = mergeWindow([], [event("x", 5), event("y", 5)]);
    const other = mergeWindow([], [event("y", 5), event("x", 5)]);
    expect(one.map((e) => e.id)).toEqual(other.map((e) => e.id));
  });
});
