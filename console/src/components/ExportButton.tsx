// "Export the list (CSV)" on a list screen: GET /exports/<list>.csv with the filter and the
// sort the screen shows. The server applies the reader's permissions as the API does (masked and denied
// columns, 403 for a role that may not read the list, a row limit): its refusal is shown as
// it words it (api/download.ts).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { download } from "../api/download";

/** The lists the API exports (spring/exports.py). */
export type ExportedList = "transactions" | "audit-events" | "terminals";

/** The export's address for a list, the filter and the order its screen sends to the API. */
export function exportUrl(list: ExportedList, filter: object, orderBy?: object): string {
  const params = new URLSearchParams({ filter: JSON.stringify(filter) });
  if (orderBy) params.set("orderBy", JSON.stringify(orderBy));
  return `/exports/${list}.csv?${params}`;
}

export function ExportButton({
  list,
  filter,
  orderBy,
  disabled = false,
}: {
  list: ExportedList;
  filter: object;
  /** The list's sort as shown (the journal has one order and takes none). */
  orderBy?: object;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  return (
    <>
      <p>
        <button
          type="button"
          disabled={exporting || disabled}
          aria-busy={exporting || undefined}
          onClick={async () => {
            setExporting(true);
            setProblem(await download(exportUrl(list, filter, orderBy), `${list}.csv`).catch(() => t("errors.network")));
            setExporting(false);
          }}
        >
          {t("app.exportList")}
        </button>
      </p>
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
    </>
  );
}
