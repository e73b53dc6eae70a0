"""Notifications (the bell): made with the change that causes them, read by their recipient.

One function makes them, `notify`, called by the use cases inside their own transaction (a
rolled-back change tells no one). It writes, in one statement, a row per person concerned
(whose preference keeps the kind in the app), an outbox row per person who wants it by
e-mail (sent after commit by spring/mailer.py), and a NOTIFY on the broker's notification
topic (delivered at commit to every instance: `notificationReceived`).

A notification stores its kind and parameters, not text: it is rendered in the reader's
language when read (`render`). It follows the policy like any field:
- it is made only for roles that may read what it is about (`audience`), and listed only
  while the reader's role still may (`kinds_for`): a role change hides what no longer fits;
- its parameters are names, references and reasons that every staff role reads (never a
  fee, an IBAN or a card datum; tests/test_notifications.py checks the fee change);
- its object is resolved through `node` rules (`Notification.subject`).

Who reads what: row-level security keeps tenants apart, as on every table; within the tenant
a user reads only their own notifications because every read here filters on the caller's id
(as `me.requests` does). System tasks (the offline detection, the unblocker, the mailer)
work for every user of a tenant, so the rows are not hidden from the tenant by the database.

| module | holds |
|---|---|
| `catalogue` | the kinds: who each is for (from the policy), its texts, `render` |
| `making` | `notify`, and what each use case tells |
| `reading` | a user's list, unread count, marking read, preferences |
| `overdue` | terminals long OFFLINE or PENDING (the notifier), pruning |
| `outbox` | the e-mail outbox the mailer sends |

This package exports the public names of each (`from resolvers import notifications`);
modules of resolvers/ import from the submodule itself.
"""

from resolvers.notifications.catalogue import (
    MESSAGES,
    RETENTION,
    RULES,
    VARIANTS,
    WORDS,
    KindRule,
    audience,
    kinds_for,
    render,
)
from resolvers.notifications.making import (
    actor_params,
    actor_user,
    block_changed,
    contract_signed,
    evaluation_requested,
    notify,
    request_assigned,
    request_closed,
    request_commented,
    request_created,
    request_decided,
)
from resolvers.notifications.outbox import (
    UNSENT_KEPT,
    Mail,
    claim_mails,
    discard_mails,
    mail_failed,
    mail_sent,
)
from resolvers.notifications.overdue import (
    prune,
    tell_overdue_terminals,
    tenant_ids,
)
from resolvers.notifications.reading import (
    NOTIFICATION_ORDERINGS,
    NotificationFilter,
    Preference,
    PreferenceData,
    list_notifications,
    mark_read,
    preferences,
    readable,
    unread_count,
    update_preferences,
)

__all__ = [
    "MESSAGES",
    "NOTIFICATION_ORDERINGS",
    "RETENTION",
    "RULES",
    "UNSENT_KEPT",
    "VARIANTS",
    "WORDS",
    "KindRule",
    "Mail",
    "NotificationFilter",
    "Preference",
    "PreferenceData",
    "actor_params",
    "actor_user",
    "audience",
    "block_changed",
    "claim_mails",
    "contract_signed",
    "discard_mails",
    "evaluation_requested",
    "kinds_for",
    "list_notifications",
    "mail_failed",
    "mail_sent",
    "mark_read",
    "notify",
    "preferences",
    "prune",
    "readable",
    "render",
    "request_assigned",
    "request_closed",
    "request_commented",
    "request_created",
    "request_decided",
    "tell_overdue_terminals",
    "tenant_ids",
    "unread_count",
    "update_preferences",
]
