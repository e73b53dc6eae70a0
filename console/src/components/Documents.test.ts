import { describe, expect, it } from "vitest";
import { formatSize, missingKinds } from "./Documents";

describe("the merchant's documents", () => {
  it("lists the required kinds no document has, in the order required", () => {
    const docs = [{ kind: "KBIS" as const }, { kind: "OTHER" as const }];
    expect(missingKinds(["KBIS", "IDENTITY", "BANK_DETAILS"], docs)).toEqual(["IDENTITY", "BANK_DETAILS"]);
    expect(missingKinds([], docs)).toEqual([]);
    expect(missingKinds(["KBIS"], [])).toEqual(["KBIS"]);
  });

  it("writes sizes in the user's language", () => {
    expect(formatSize(512, "fr")).toBe("512 o");
    expect(formatSize(2048, "fr")).toBe("2 Ko");
    expect(formatSize(2048, "en")).toBe("2 KB");
    expect(formatSize(1.5 * 1024 * 1024, "fr")).toBe("1,5 Mo");
    expect(formatSize(1.5 * 1024 * 1024, "en")).toBe("1.5 MB");
  });
});
