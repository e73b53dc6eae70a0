// What the user sees while waiting and when a request fails: never a blank page. Errors
// show the server's own message (in the user's language: api/client.ts sends
// Accept-Language).
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { CombinedError } from "urql";

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t("app.loading")}
    </div>
  );
}

export function errorMessage(error: CombinedError, t: TFunction): string {
  if (error.networkError && !error.graphQLErrors.length) return t("errors.network");
  const first = error.graphQLErrors[0];
  return t("errors.generic", { message: first?.message ?? error.message });
}

export function ErrorState({ error, retry }: { error: CombinedError; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="state state-error" role="alert">
      <p>{errorMessage(error, t)}</p>
      {retry && (
        <button type="button" onClick={retry}>
          {t("errors.retry")}
        </button>
      )}
    </div>
  );
}
