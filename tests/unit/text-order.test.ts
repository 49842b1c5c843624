import { describe, expect, it } from "vitest";
import { compareText, inTextOrder } from "~/domain/text-order";

describe("text order", () => {
  it("orders by code point, as SQLite orders text by its bytes", () => {
    expect(["apple", "Zebra", "T1", "T-2", "T10", "Éclair", "eclair", "", "a"].sort(compareText)).toEqual(["", "T-2", "T1", "T10", "Zebra", "a", "apple", "eclair", "Éclair"]);
    // A character beyond U+FFFF comes after U+FFFD by code point, though UTF-16 puts it before.
    expect(["\u{1F600}", "\uFFFD"].sort(compareText)).toEqual(["\uFFFD", "\u{1F600}"]);
    expect(compareText("same", "same")).toBe(0);
  });

  it("keeps rows with equal text in the order given", () => {
    const rows = [{ k: "b", n: 1 }, { k: "a", n: 2 }, { k: "b", n: 3 }];
    expect(inTextOrder(rows, (r) => r.k).map((r) => r.n)).toEqual([2, 1, 3]);
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3]);
  });
});
