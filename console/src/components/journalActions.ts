// The journal's actions, by the kind of object they change: what the server's use cases write
// (resolvers/: `journal.record(..., action=...)`). The console shows each in words
// (i18n `journalAction.<kind>.<verb>`), and offers them as the Journal's action filter; an
// action missing here still shows, as its code.
export const JOURNAL_ACTIONS: readonly { entity: string; actions: readonly string[] }[] = [
  {
    entity: "Company",
    actions: [
      "company.created",
      "company.updated",
      "company.document_added",
      "company.evaluation_requested",
      "company.evaluation_withdrawn",
      "company.approved",
      "company.rejected",
      "company.activated",
      "company.suspended",
      "company.closed",
    ],
  },
  { entity: "Shop", actions: ["shop.created", "shop.updated", "shop.closed"] },
  {
    entity: "Contract",
    actions: [
      "contract.created",
      "contract.draft_updated",
      "contract.signed",
      "contract.activated",
      "contract.fee_changed",
      "contract.suspended",
      "contract.resumed",
      "contract.terminated",
    ],
  },
  {
    entity: "Service",
    actions: [
      "service.activation_code_issued",
      "service.activation_code_regenerated",
      "service.activated",
      "service.blocked",
      "service.unblocked",
      "service.deactivated",
    ],
  },
  {
    entity: "Terminal",
    actions: [
      "terminal.registered",
      "terminal.enrolled",
      "terminal.assigned",
      "terminal.activated",
      "terminal.options_changed",
      "terminal.command_sent",
      "terminal.blocked",
      "terminal.unblocked",
      "terminal.returned",
      "terminal.restocked",
    ],
  },
  {
    entity: "Request",
    actions: [
      "request.created",
      "request.taken",
      "request.assigned",
      "request.commented",
      "request.approved",
      "request.resolved",
      "request.rejected",
      "request.cancelled",
      "request.closed",
      "request.ended",
    ],
  },
  {
    entity: "User",
    actions: ["user.created", "user.updated", "user.profile_updated", "user.password_changed", "user.password_reset", "user.session_revoked", "user.deactivated"],
  },
  {
    entity: "Tenant",
    actions: [
      "tenant.created",
      "tenant.updated",
      "tenant.settings_updated",
      "tenant.request_due_time_set",
      "tenant.evaluation_document_kinds_set",
      "tenant.logo_set",
      "tenant.logo_removed",
    ],
  },
];

/** An action in words ("Service bloqué"); one the console does not know yet, as its code. */
export function actionLabel(t: (key: string, options: { defaultValue: string }) => string, action: string): string {
  return t(`journalAction.${action}`, { defaultValue: action });
}
