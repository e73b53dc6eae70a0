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
});
