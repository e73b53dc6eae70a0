import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { DataTable } from "./DataTable";

interface Row {
  name: string;
  siren: string;
}

const columns = [
  { id: "name", header: "Nom", cell: ({ row }: { row: { original: Row } }) => row.original.name },
  { id: "siren", header: "SIREN", enableSorting: false, cell: ({ row }: { row: { original: Row } }) => row.original.siren },
];

describe("DataTable", () => {
  it("shows the rows, and the empty message when there are none", () => {
    const { rerender } = render(
      <DataTable columns={columns} data={[{ name: "Ti Kaz La", siren: "732829320" }]} caption="Sociétés" empty="Aucun" />,
    );
    expect(screen.getByRole("cell", { name: "Ti Kaz La" })).toBeTruthy();
    expect(screen.getByRole("columnheader", { name: "SIREN" })).toBeTruthy();
    rerender(<DataTable columns={columns} data={[]} caption="Sociétés" empty="Aucun" />);
    expect(screen.getByRole("cell", { name: "Aucun" })).toBeTruthy();
  });

  it("reports the column chosen for sorting (the server sorts) and marks the sorted one", async () => {
    const onSortingChange = vi.fn();
    const { rerender } = render(
      <DataTable columns={columns} data={[]} caption="c" empty="-" sorting={[]} onSortingChange={onSortingChange} />,
    );
    await userEvent.click(screen.getByRole("button", { name: /Nom/ }));
    expect(onSortingChange).toHaveBeenCalledWith([{ id: "name", desc: false }]);
    // Not sortable: no button.
    expect(screen.queryByRole("button", { name: /SIREN/ })).toBeNull();
    rerender(
      <DataTable columns={columns} data={[]} caption="c" empty="-" sorting={[{ id: "name", desc: true }]} onSortingChange={onSortingChange} />,
    );
    expect(screen.getByRole("columnheader", { name: /Nom/ }).getAttribute("aria-sort")).toBe("descending");
  });

  it("renders a row again only when its data or the columns change", () => {
    const cell = vi.fn(({ row }: { row: { original: Row } }) => row.original.name);
    const memoised = [{ id: "name", header: "Nom", cell }];
    const first = { name: "Ti Kaz La", siren: "732829320" };
    const second = { name: "Bokit", siren: "552100554" };
    const { rerender } = render(<DataTable columns={memoised} data={[first, second]} caption="c" empty="-" rowId={(r) => r.siren} />);
    expect(cell).toHaveBeenCalledTimes(2);
    rerender(<DataTable columns={memoised} data={[first, second]} caption="c" empty="-" rowId={(r) => r.siren} busy />);
    expect(cell).toHaveBeenCalledTimes(2);
    const renamed = { ...second, name: "Bokit 2" };
    rerender(<DataTable columns={memoised} data={[first, renamed]} caption="c" empty="-" rowId={(r) => r.siren} />);
    expect(cell).toHaveBeenCalledTimes(3);
    expect(screen.getByRole("cell", { name: "Bokit 2" })).toBeTruthy();
  });
});
