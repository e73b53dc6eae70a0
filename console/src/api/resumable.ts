// A live feed that survives a dropped connection without losing an event: each event of the
// feed carries the server's commit-order cursor (docs/live.md); when the socket closes, the
// feed opens a new one after a short backoff and subscribes again with `after: <last cursor>`,
// so the server first replays everything recorded meanwhile, then goes on live.
//
// It has its own graphql-ws client with retries off on purpose: graphql-ws's own retry would
// subscribe again with the variables of the first subscription (the cursor it started from,
// or none), which would replay too much or miss what happened while the socket was down.
import { createClient, type Client } from "graphql-ws";
import { requestHeaders } from "./client";

export type FeedState = "connecting" | "live" | "catching-up" | "reconnecting";

export interface FeedOptions<Event> {
  query: string;
  variables: Record<string, unknown>;
  /** The cursor of one event (where the feed resumes after it). */
  cursorOf: (event: Event) => string;
  onEvent: (event: Event) => void;
  onState: (state: FeedState) => void;
  /** Milliseconds without an event after a resume before the feed counts as caught up. */
  quietMs?: number;
  /**
   * Called each time the feed goes live without a cursor: the first connection, and a
   * reconnection before any event was received. Nothing recorded before that moment can be
   * replayed, so a screen that also shows earlier events reads them again (and keeps each
   * once).
   */
  onFresh?: () => void;
}

const BACKOFF_MS = [500, 1000, 2000, 5000, 10000];

/** Starts the feed; the returned function stops it. */
export function openFeed<Event>(options: FeedOptions<Event>, field: string): () => void {
  const url = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/graphql`;
  const quietMs = options.quietMs ?? 1000;
  let cursor: string | null = (options.variables.after as string | null | undefined) ?? null;
  let stopped = false;
  let attempt = 0;
  let client: Client | null = null;
  let quiet: number | null = null;
  let retry: number | null = null;

  const settle = () => {
    if (quiet !== null) window.clearTimeout(quiet);
    quiet = window.setTimeout(() => {
      quiet = null;
      if (!stopped) options.onState("live");
    }, quietMs);
  };

  const start = (resuming: boolean) => {
    options.onState(resuming ? "catching-up" : "connecting");
    client = createClient({
      url,
      lazy: true,
      retryAttempts: 0,
      connectionParams: () => requestHeaders(),
      on: {
        connected: () => {
          if (stopped || resuming) return;
          options.onState("live");
          options.onFresh?.();
        },
      },
    });
    client.subscribe<Record<string, Event>>(
      { query: options.query, variables: { ...options.variables, after: cursor } },
      {
        next(result) {
          attempt = 0;
          const event = result.data?.[field];
          if (!event) return;
          cursor = options.cursorOf(event);
          options.onEvent(event);
          if (resuming) settle();
        },
        error() {
          restart();
        },
        complete() {
          if (!stopped) restart();
        },
      },
    );
    if (resuming) settle();
  };

  const restart = () => {
    if (stopped || retry !== null) return;
    void client?.dispose();
    client = null;
    options.onState("reconnecting");
    const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
    attempt += 1;
    retry = window.setTimeout(() => {
      retry = null;
      if (!stopped) start(cursor !== null);
    }, delay);
  };

  start(false);
  return () => {
    stopped = true;
    if (quiet !== null) window.clearTimeout(quiet);
    if (retry !== null) window.clearTimeout(retry);
    void client?.dispose();
  };
}
