import { describe, expect, it } from "vitest";
import { csvCell } from "~/exports/csv";

describe("a CSV cell", () => {
  it.each([
    ["=HYPERLINK(\"http://x\")", `"'=HYPERLINK(""http://x"")"`],
    ["+ more buses", "'+ more buses"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["-", "'-"],
  ])("makes %s text, never a formula", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
  it("leaves a plain number as a number, negative ones too", () => {
    expect(csvCell(-1)).toBe("-1");
    expect(csvCell("-1.00")).toBe("-1.00");
    expect(csvCell("0.94")).toBe("0.94");
  });
});
