import { describe, expect, it } from "vitest";
import { isDue, isScheduled } from "~/domain/workflow";

describe("a scheduled publication", () => {
  it.each([
    [{ status: "approved", publishedBy: 7, date: "2026-12-02" }, true],
    [{ status: "approved", publishedBy: null, date: "2026-12-02" }, false],
    [{ status: "approved", publishedBy: 7, date: null }, false],
    [{ status: "published", publishedBy: 7, date: "2026-12-02" }, false],
    [{ status: "submitted", publishedBy: 7, date: "2026-12-02" }, false],
  ] as const)("%o is scheduled: %s", (version, expected) => {
    expect(isScheduled(version)).toBe(expected);
  });

  it("is due on its date and after, not before", () => {
    expect(isDue("2026-12-02", "2026-12-01")).toBe(false);
    expect(isDue("2026-12-02", "2026-12-02")).toBe(true);
    expect(isDue("2026-12-02", "2027-01-01")).toBe(true);
    // ISO dates order as text, across months and years.
    expect(isDue("2026-09-30", "2026-10-01")).toBe(true);
  });
});
