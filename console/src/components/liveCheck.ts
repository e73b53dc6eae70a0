// A form checked by the server as the user types (the onboarding's `validateCompany` and
// `validateShop`, which run the mutation's own rules and write nothing): one check after a
// pause in typing, answers to anything but the latest check dropped, a failed check ignored
// (the submit stays the judge), and each error shown at its field only once the user has
// touched that field, and only while the field still holds the value the server judged.
import { useEffect, useRef, useState } from "react";

/** Form values, or messages, by field ("legalName", "address.city"). */
export type Values = Record<string, string>;

/** The server's errors by field ("" for those of no field of the form), and the values
 * they were found for. */
export interface Answer {
  values: Values;
  errors: Values;
}

export const CHECK_DELAY_MS = 300;

/** Server user errors by field ("address.city" for `["input", "address", "city"]`); errors of
 * no field, or of a field not in `fields` (when given), under "" (the form's own place). */
export function errorsByField(
  errors: readonly { field?: readonly string[] | null; message: string }[],
  fields?: readonly string[],
): Values {
  const found: Values = {};
  for (const error of errors) {
    let path = (error.field ?? []).filter((part) => part !== "input").join(".");
    if (fields && !fields.includes(path)) path = "";
    found[path] = found[path] ? `${found[path]} ${error.message}` : error.message;
  }
  return found;
}

/** What to show now: an answer's error at a field the user touched (every field once the
 * form was submitted) whose value is still the one judged; the form's own errors always. */
export function shownErrors(answer: Answer | null, current: Values, touched: ReadonlySet<string>, all: boolean): Values {
  const shown: Values = {};
  if (!answer) return shown;
  for (const [field, message] of Object.entries(answer.errors)) {
    if (field === "") shown[field] = message;
    else if ((all || touched.has(field)) && (answer.values[field] ?? "") === (current[field] ?? "")) shown[field] = message;
  }
  return shown;
}

export interface Checker<V> {
  /** Check `values` after the delay, unless something newer is scheduled meanwhile. */
  schedule(values: V): void;
  /** Forget what is scheduled or on its way (a submit answers instead). */
  cancel(): void;
}

/** Debounced checks whose stale answers are dropped. `run` answers null, or throws, when the
 * check could not be made: nothing changes then. */
export function checker<V>(run: (values: V) => Promise<Answer | null>, onAnswer: (answer: Answer) => void, delay = CHECK_DELAY_MS): Checker<V> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const stop = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return {
    schedule(values) {
      stop();
      const ticket = ++latest;
      timer = setTimeout(() => {
        timer = undefined;
        run(values).then(
          (answer) => {
            if (answer && ticket === latest) onAnswer(answer);
          },
          () => undefined, // a failed check blocks nothing: the submit still answers
        );
      }, delay);
    },
    cancel() {
      stop();
      latest++;
    },
  };
}

export interface LiveCheck {
  /** The errors to show now, by field. */
  errors: Values;
  /** The user changed or left a field: its errors may show. */
  touch(field: string): void;
  /** The submit's answer: it replaces the checks' and shows at every field. */
  submitted(errors: Values): void;
  /** A fresh form (e.g. after a shop was added). */
  reset(): void;
}

/** The live check of one form's `values` (checked again after each change, once a field has
 * been touched); `run` may change between renders, the latest one is used. */
export function useLiveCheck(values: Values, run: ((values: Values) => Promise<Answer | null>) | null): LiveCheck {
  const [answer, setAnswer] = useState<Answer | null>(null);
  // A draft restored after a reload: what was typed counts as touched.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set(Object.keys(values).filter((k) => values[k])));
  const [all, setAll] = useState(false);
  const runRef = useRef(run);
  runRef.current = run;
  const [live] = useState(() =>
    checker<Values>(
      (v) => (runRef.current ? runRef.current(v) : Promise.resolve(null)),
      (a) => setAnswer(a),
    ),
  );
  const started = touched.size > 0 || all;
  useEffect(() => {
    if (started && runRef.current) live.schedule(values);
  }, [values, started, live]);
  useEffect(() => () => live.cancel(), [live]);
  return {
    errors: shownErrors(answer, values, touched, all),
    touch: (field) => setTouched((before) => (before.has(field) ? before : new Set(before).add(field))),
    submitted(errors) {
      live.cancel();
      setAnswer({ values, errors });
      setAll(true);
    },
    reset() {
      live.cancel();
      setAnswer(null);
      setTouched(new Set());
      setAll(false);
    },
  };
}
