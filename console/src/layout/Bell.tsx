// The bell: the unread count (`me.unreadNotificationCount`), the newest notifications, each
// linking to what it is about (its subject's global id), "mark read" one by one or all, kept
// live by the `notificationReceived` subscription (no reload). A disclosure: the button says
// whether the panel is open; opening moves the focus into the panel, Escape closes it and
// gives the focus back to the button; a polite live region says when news arrives.
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery, useSubscription } from "urql";
import { onLiveConnected } from "../api/client";
import { formatDate } from "../components/format";
import { graphql } from "../gql";
import type { BellListQuery } from "../gql/graphql";
import { PATHS } from "../routes";

export const BellCountDocument = graphql(`
  query BellCount {
    me {
      id
      unreadNotificationCount
    }
  }
`);

export const BellListDocument = graphql(`
  query BellList($first: Int!) {
    notifications(first: $first) {
      totalCount
      edges {
        node {
          id
          kind
          title
          body
          createdAt
          read
          subjectId
          subject {
            __typename
            id
            ... on Contract {
              company {
                id
              }
            }
            ... on Service {
              shop {
                id
              }
            }
            ... on Terminal {
              shop {
                id
              }
            }
          }
        }
      }
    }
  }
`);

export const BellReceivedDocument = graphql(`
  subscription BellReceived {
    notificationReceived {
      cursor
      notification {
        id
        kind
        title
        read
        createdAt
      }
    }
  }
`);

export const MarkReadDocument = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      notifications {
        id
        read
        readAt
      }
      unreadCount
      userErrors {
        field
        code
        message
      }
    }
  }
`);

type Note = NonNullable<BellListQuery["notifications"]>["edges"][number]["node"];
type Subject = Note["subject"];

/** Where a notification leads: its object's own page, or the page that shows it. */
export function subjectPath(subject: Subject | null | undefined, subjectId: string): string | null {
  if (!subject) return null;
  switch (subject.__typename) {
    case "Request":
      return PATHS.request(subjectId);
    case "Company":
      return PATHS.company(subjectId);
    case "Shop":
      return PATHS.shop(subjectId);
    case "Contract":
      return "company" in subject && subject.company ? PATHS.company(subject.company.id) : null;
    case "Service":
    case "Terminal":
      return "shop" in subject && subject.shop ? PATHS.shop(subject.shop.id) : null;
    default:
      return null;
  }
}

const SHOWN = 15;

export function Bell() {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const panelId = useId();
  const titleId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  const [countResult, recount] = useQuery({ query: BellCountDocument });
  const [listResult, relist] = useQuery({ query: BellListDocument, variables: { first: SHOWN }, pause: !open });
  const [, markRead] = useMutation(MarkReadDocument);
  const [received] = useSubscription({ query: BellReceivedDocument });
  const count = countResult.data?.me?.unreadNotificationCount ?? 0;

  // News: the count and (when shown) the list are asked again, and the news is announced.
  const latest = received.data?.notificationReceived.notification;
  useEffect(() => {
    if (!latest) return;
    recount({ requestPolicy: "network-only" });
    if (open) relist({ requestPolicy: "network-only" });
    setAnnouncement(t("bell.news", { title: latest.title }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [latest?.id]);

  // A (re)connection may follow a gap in which news was pushed to no one: ask again.
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(
    () =>
      onLiveConnected(() => {
        recount({ requestPolicy: "network-only" });
        if (openRef.current) relist({ requestPolicy: "network-only" });
      }),
    [recount, relist],
  );

  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const away = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", away);
    return () => document.removeEventListener("mousedown", away);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const mark = async (input: { ids?: string[]; all?: boolean }) => {
    const result = await markRead({ input: { ids: input.ids ?? null, all: input.all ?? false } });
    const payload = result.data?.markNotificationsRead;
    if (payload && payload.userErrors.length === 0) {
      recount({ requestPolicy: "network-only" });
      relist({ requestPolicy: "network-only" });
      setAnnouncement(t("bell.unread", { count: payload.unreadCount ?? 0 }));
    } else if (payload?.userErrors.length) {
      setAnnouncement(payload.userErrors.map((e) => e.message).join(" "));
    }
  };

  const notes = listResult.data?.notifications?.edges.map((e) => e.node) ?? [];
  return (
    <div
      className="bell"
      ref={root}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.stopPropagation();
          close(true);
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="icon-button bell-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={t("bell.label", { count })}
        title={t("bell.label", { count })}
        data-testid="bell"
        onClick={() => setOpen(!open)}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path
            d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinejoin="round"
          />
        </svg>
        {count > 0 && (
          <span className="bell-count" aria-hidden="true" data-testid="bell-count">
            {count > 99 ? "99+" : count}
          </span>
        )}
      </button>
      <span className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="bell-announcement">
        {announcement}
      </span>
      {open && (
        <div id={panelId} className="bell-panel" role="region" aria-labelledby={titleId} tabIndex={-1} ref={panel}>
          <div className="bell-head">
            <h2 id={titleId}>{t("bell.title")}</h2>
            <button type="button" disabled={count === 0} onClick={() => void mark({ all: true })}>
              {t("bell.markAll")}
            </button>
          </div>
          {listResult.error && !listResult.data ? (
            <p role="alert" className="bell-empty">
              {t("errors.generic", { message: listResult.error.message })}
            </p>
          ) : listResult.fetching && !listResult.data ? (
            <p className="bell-empty">{t("app.loading")}</p>
          ) : notes.length === 0 ? (
            <p className="bell-empty">{t("bell.empty")}</p>
          ) : (
            <ul className="bell-list" data-testid="bell-list">
              {notes.map((note) => {
                const to = subjectPath(note.subject, note.subjectId);
                return (
                  <li key={note.id} className={note.read ? "read" : "unread"}>
                    <div className="bell-note">
                      {to ? (
                        <Link
                          to={to}
                          onClick={() => {
                            if (!note.read) void mark({ ids: [note.id] });
                            setOpen(false);
                          }}
                        >
                          {note.title}
                        </Link>
                      ) : (
                        <strong>{note.title}</strong>
                      )}
                      {!note.read && <span className="visually-hidden"> ({t("bell.unreadOne")})</span>}
                      <p>{note.body}</p>
                      <time dateTime={note.createdAt}>{formatDate(note.createdAt, i18n.language)}</time>
                    </div>
                    {!note.read && (
                      <button
                        type="button"
                        className="bell-mark"
                        aria-label={t("bell.markOne", { title: note.title })}
                        title={t("bell.markOne", { title: note.title })}
                        onClick={() => void mark({ ids: [note.id] })}
                      >
                        ✓
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
