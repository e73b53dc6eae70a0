// A table on TanStack Table: the columns say what to show; sorting, when given, is the
// server's (the API's orderBy), so the table only reports which column the user chose.
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type Row as TableRow,
  type SortingState,
} from "@tanstack/react-table";
import { memo, type ReactElement } from "react";
import { useTranslation } from "react-i18next";

interface Props<Row> {
  columns: ColumnDef<Row, unknown>[];
  data: Row[];
  caption: string;
  empty: string;
  /** Server-side sorting: the current sort and what to do when a header is chosen. */
  sorting?: SortingState;
  onSortingChange?: (sorting: SortingState) => void;
  testId?: string;
  /** A new page, filter or sort is on its way: the rows shown are about to change. */
  busy?: boolean;
  /** A row's own key (its id), so that a row still shown after a change keeps its element. */
  rowId?: (row: Row) => string;
}

interface BodyRowProps<Row> {
  row: TableRow<Row>;
  /** Only compared: the same row data under the same columns renders the same cells. */
  original: Row;
  columns: ColumnDef<Row, unknown>[];
}

// A row renders again only when its data or the columns change, not at each render of the
// table (a key typed in a filter, the busy mark, a count arriving): the screens keep their
// columns stable (useMemo) for that.
const BodyRow = memo(
  function BodyRow<Row>({ row }: BodyRowProps<Row>) {
    return (
      <tr>
        {row.getVisibleCells().map((cell) => (
          <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
        ))}
      </tr>
    );
  },
  (before, after) => before.original === after.original && before.columns === after.columns && before.row.id === after.row.id,
) as <Row>(props: BodyRowProps<Row>) => ReactElement;

export function DataTable<Row>({ columns, data, caption, empty, sorting, onSortingChange, testId, busy, rowId }: Props<Row>) {
  const { t } = useTranslation();
  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    ...(rowId ? { getRowId: (row: Row) => rowId(row) } : {}),
  });
  return (
    <table className="table" data-testid={testId} aria-busy={busy ? true : undefined}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const current = sorting?.find((s) => s.id === header.column.id);
              const sorted = current ? (current.desc ? "desc" : "asc") : false;
              // Sorting is the server's: a column is sortable unless it says otherwise
              // (TanStack's own getCanSort wants an accessor, which server data needs not).
              const sortable = Boolean(onSortingChange) && header.column.columnDef.enableSorting !== false;
              const label = flexRender(header.column.columnDef.header, header.getContext());
              return (
                <th
                  key={header.id}
                  scope="col"
                  aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                >
                  {sortable ? (
                    <button
                      type="button"
                      className="sort"
                      onClick={() => onSortingChange?.([{ id: header.column.id, desc: sorted === "asc" }])}
                      title={t("companies.sortBy", { column: String(header.column.columnDef.header ?? "") })}
                    >
                      {label}
                      <span aria-hidden="true">{sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}</span>
                    </button>
                  ) : (
                    label
                  )}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.length === 0 ? (
          <tr>
            <td colSpan={columns.length} className="empty">
              {empty}
            </td>
          </tr>
        ) : (
          table.getRowModel().rows.map((row) => <BodyRow key={row.id} row={row} original={row.original} columns={columns} />)
        )}
      </tbody>
    </table>
  );
}
