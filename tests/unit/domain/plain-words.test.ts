// Each change in plain words: its name, what happened to it, and why a change of number alone needs no reason.
import { describe, expect, it } from "vitest";
import { describeChanges, firstWords, redline, redlineRows, whatHappened } from "~/domain/redline";
import { parseSpec } from "~/domain/source/parse";

const doc = (body: string) => {
  const parsed = parseSpec(new TextEncoder().encode(`---\nslug: sample\ntitle: Sample\nreference: S-1\nversion: 1.0\nstatus: published\n---\n\n${body}`));
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join("\n"));
  return parsed.source.doc;
};

function compared(fromBody: string, toBody: string) {
  const from = doc(fromBody);
  const to = doc(toBody);
  const result = redline({ version: "1.0", doc: from, hash: "a" }, { version: "1.1", doc: to, hash: "b" });
  const rows = redlineRows(result, from, to);
  return { rows, described: describeChanges(rows, from, to) };
}

describe("first words", () => {
  it("keeps short texts whole and cuts long ones with an ellipsis, without list markers or a trailing comma", () => {
    expect(firstWords("Patients come first.")).toBe("Patients come first.");
    expect(firstWords("One two three, four", 3)).toBe("One two three…");
    expect(firstWords("The objectives are to:\n- increase the share\n- reduce waits", 6)).toBe("The objectives are to: increase the…");
  });
});

describe("a change in plain words", () => {
  const older = "# Care {#care}\n\n{#c-a} Patients are seen within two weeks of referral.\n\n{#c-b} Plans are checked before treatment starts.\n\n# Sites {#sites}\n\n{#c-c} Services are given at member sites.\n";
  const newer = "# Care {#care}\n\n{#c-new} Every patient gets a named contact.\n\n{#c-a} Patients are seen within ten days of referral.\n\n{#c-b} Plans are checked before treatment starts.\n\n# Sites {#sites}\n";

  it("names a clause by its number, its section's heading and its first words, never its id", () => {
    const { described } = compared(older, newer);
    expect(described["c-a"]!.name).toBe("1.2 Care: Patients are seen within ten days of referral.");
    expect(described["c-c"]!.name).toBe("2.1 Sites: Services are given at member sites.");
    for (const about of Object.values(described)) expect(about.name).not.toMatch(/c-a|c-b|c-c|c-new/);
  });

  it("says what happened in words: new, changed with its old number, removed", () => {
    const { described } = compared(older, newer);
    expect(described["c-new"]).toMatchObject({ status: "New", place: null });
    expect(described["c-a"]).toMatchObject({ status: "Changed", place: "Number changed from 1.1" });
    expect(described["c-c"]).toMatchObject({ status: "Removed", place: null });
    expect(whatHappened({ kind: "clause", id: "x", status: "moved", from: { number: "3.2.15", parent: "a" }, to: { number: "6.3", parent: "b" }, segments: [] })).toEqual({ status: "Moved from 3.2.15", place: null });
  });

  it("says, computed from what happened around it, why a clause whose number alone changed has no reason", () => {
    const { described } = compared(older, newer);
    expect(described["c-b"]).toMatchObject({ status: "Not changed", place: "Number changed from 1.2", noReason: "Only its number changed, because a clause was added before it." });
    const removed = compared(older, "# Care {#care}\n\n{#c-b} Plans are checked before treatment starts.\n\n# Sites {#sites}\n\n{#c-c} Services are given at member sites.\n");
    expect(removed.described["c-b"]!.noReason).toBe("Only its number changed, because a clause before it was removed.");
    const section = compared(older, "# Intro {#intro}\n\n{#c-i} Hello there.\n\n# Care {#care}\n\n{#c-a} Patients are seen within two weeks of referral.\n\n{#c-b} Plans are checked before treatment starts.\n\n# Sites {#sites}\n\n{#c-c} Services are given at member sites.\n");
    expect(section.described["c-a"]!.noReason).toBe("Only its number changed, because the number of its section changed.");
  });

  it("needs a written reason when the words changed", () => {
    const { described } = compared(older, newer);
    expect(described["c-a"]!.noReason).toBeNull();
    expect(described["c-new"]!.noReason).toBeNull();
  });
});
