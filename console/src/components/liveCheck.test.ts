// The live check's logic: the server's errors mapped to the form's fields, shown only where
// the user has been, debounced checks whose stale or failed answers change nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { checker, errorsByField, shownErrors, type Answer } from "./liveCheck";

describe("errorsByField", () => {
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

  it("gives the form the errors of fields it does not show", () => {
    expect(
      errorsByField(
        [
          { field: ["input", "companyId"], message: "Société introuvable." },
          { field: ["input", "name"], message: "Obligatoire." },
        ],
        ["name", "siret"],
      ),
    ).toEqual({ "": "Société introuvable.", name: "Obligatoire." });
  });
});

describe("shownErrors", () => {
  const answer: Answer = {
    values: { iban: "FR00", legalName: "", siren: "123" },
    errors: { iban: "IBAN invalide.", legalName: "Obligatoire.", siren: "SIREN invalide.", "": "Refusé." },
  };

  it("shows an error only at a field the user touched, and the form's own always", () => {
    expect(shownErrors(answer, answer.values, new Set(["iban"]), false)).toEqual({ iban: "IBAN invalide.", "": "Refusé." });
  });

  it("hides an error once its field no longer holds the value judged", () => {
    const now = { ...answer.values, iban: "FR76" };
    expect(shownErrors(answer, now, new Set(["iban", "siren"]), false)).toEqual({ siren: "SIREN invalide.", "": "Refusé." });
  });

  it("shows every field's error after a submit", () => {
    expect(shownErrors(answer, answer.values, new Set(), true)).toEqual(answer.errors);
  });

  it("shows nothing before any answer", () => {
    expect(shownErrors(null, {}, new Set(["iban"]), true)).toEqual({});
  });
});

describe("checker", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const answerFor = (v: string): Answer => ({ values: { v }, errors: { v: `faux: ${v}` } });

  it("checks once, 300 ms after the last change", async () => {
    const run = vi.fn((v: string) => Promise.resolve(answerFor(v)));
    const answers: Answer[] = [];
    const live = checker(run, (a) => answers.push(a));
    live.schedule("F");
    await vi.advanceTimersByTimeAsync(200);
    live.schedule("FR");
    await vi.advanceTimersByTimeAsync(200);
    live.schedule("FR0");
    await vi.advanceTimersByTimeAsync(299);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run.mock.calls).toEqual([["FR0"]]);
    expect(answers).toEqual([answerFor("FR0")]);
  });

  it("drops the answer of a check overtaken by a newer one", async () => {
    const pending: ((a: Answer) => void)[] = [];
    const run = vi.fn(() => new Promise<Answer>((resolve) => pending.push(resolve)));
    const answers: Answer[] = [];
    const live = checker(run, (a) => answers.push(a));
    live.schedule("old");
    await vi.advanceTimersByTimeAsync(300);
    live.schedule("new");
    await vi.advanceTimersByTimeAsync(300);
    expect(run).toHaveBeenCalledTimes(2);
    const [old, fresh] = pending as [(a: Answer) => void, (a: Answer) => void];
    fresh(answerFor("new"));
    old(answerFor("old")); // arrives last: stale
    await vi.advanceTimersByTimeAsync(0);
    expect(answers).toEqual([answerFor("new")]);
  });

  it("drops an answer still on its way when a newer change is waiting for its pause", async () => {
    let resolve: (a: Answer) => void = () => undefined;
    const run = vi.fn(() => new Promise<Answer>((r) => (resolve = r)));
    const answers: Answer[] = [];
    const live = checker(run, (a) => answers.push(a));
    live.schedule("old");
    await vi.advanceTimersByTimeAsync(300);
    live.schedule("newer"); // typed while "old" is checked
    resolve(answerFor("old"));
    await vi.advanceTimersByTimeAsync(0);
    expect(answers).toEqual([]);
  });

  it("changes nothing when a check fails, and the next one still answers", async () => {
    const run = vi
      .fn<(v: string) => Promise<Answer | null>>()
      .mockRejectedValueOnce(new Error("réseau"))
      .mockResolvedValueOnce(null)
      .mockImplementation((v) => Promise.resolve(answerFor(v)));
    const answers: Answer[] = [];
    const live = checker(run, (a) => answers.push(a));
    for (const v of ["a", "b", "c"]) {
      live.schedule(v);
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(answers).toEqual([answerFor("c")]);
  });

  it("forgets what is scheduled or on its way once cancelled (a submit answers)", async () => {
    let resolve: (a: Answer) => void = () => undefined;
    const run = vi.fn(() => new Promise<Answer>((r) => (resolve = r)));
    const answers: Answer[] = [];
    const live = checker(run, (a) => answers.push(a));
    live.schedule("x");
    await vi.advanceTimersByTimeAsync(300);
    live.cancel();
    resolve(answerFor("x"));
    live.schedule("y");
    live.cancel();
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(answers).toEqual([]);
  });
});
