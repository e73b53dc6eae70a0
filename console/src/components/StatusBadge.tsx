import { useTranslation } from "react-i18next";

/** A lifecycle state, in words (falls back to the API's value for a state not translated). */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status.toLowerCase()}`}>{t(`status.${status}`, { defaultValue: status })}</span>;
}
