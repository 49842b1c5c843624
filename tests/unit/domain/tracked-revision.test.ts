import { describe, expect, it } from "vitest";
import { redline } from "~/domain/redline";
import { trackedRevision, type TrackedParagraph, type TrackedRevision } from "~/domain/redline/tracked";
import type { DocJSON } from "~/domain/schema";
import { HAND_MADE, randomPair } from "../exports/pairs";

const layout = (from: DocJSON, to: DocJSON) => trackedRevision(redline({ version: "1", doc: from }, { version: "2", doc: to }), from, to);
const text = (p: TrackedParagraph) => p.runs.map((r) => r.text).join("");

/** Each move range with the paragraphs inside it, by side, checking they pair up and never overlap. */
function moveRanges(tracked: TrackedRevision): Map<string, { from: TrackedParagraph[]; to: TrackedParagraph[] }> {
  const ranges = new Map<string, { from: TrackedParagraph[]; to: TrackedParagraph[] }>();
  const open: Record<"from" | "to", string | null> = { from: null, to: null };
  for (const paragraph of tracked.paragraphs) {
    if (paragraph.moveStart) {
      const { name, side } = paragraph.moveStart;
      expect(open[side], `${name} opens inside ${open[side]}`).toBeNull();
      open[side] = name;
      const range = ranges.get(name) ?? { from: [], to: [] };
      expect(range[side], `${name} opens twice on the ${side} side`).toEqual([]);
      ranges.set(name, range);
    }
    for (const side of ["from", "to"] as const) if (open[side]) ranges.get(open[side]!)![side].push(paragraph);
    if (paragraph.moveEnd) {
      expect(open[paragraph.moveEnd.side]).toBe(paragraph.moveEnd.name);
      open[paragraph.moveEnd.side] = null;
    }
  }
  expect(open).toEqual({ from: null, to: null });
  for (const [name, range] of ranges) {
    expect(range.from.length, `${name} has a source`).toBeGreaterThan(0);
    expect(range.to.length, `${name} has a destination`).toBeGreaterThan(0);
  }
  return ranges;
}

describe("the tracked revision's moves", () => {
  it("shows a clause moved to another section where it stood and where it stands, under one name", () => {
    const pair = HAND_MADE.find((p) => p.name.startsWith("a clause moved to another section"))!;
    const ranges = moveRanges(layout(pair.from, pair.to));
    expect([...ranges.keys()]).toEqual(["move1"]);
    const { from, to } = ranges.get("move1")!;
    expect(from.map(text)).toEqual(["1.3\tCentres open from 8am to 8pm."]);
    // Where it stood: its old words, those the new version dropped marked deleted.
    expect(from[0]!.runs.map((r) => [r.revision, r.text])).toEqual([
      ["delete", "1.3"],
      ["moveFrom", "\t"],
      ["moveFrom", "Centres open from "],
      ["delete", "8am"],
      ["moveFrom", " to 8pm"],
      ["moveFrom", "."],
    ]);
    expect(from[0]!.mark).toBe("moveFrom");
    expect(to.map(text)).toEqual(["3.2\tCentres open from 7am to 8pm, and at weekends."]);
    expect(to[0]!.runs.filter((r) => r.revision === "insert").map((r) => r.text)).toEqual(["3.2", "7am", ", and at weekends"]);
    expect(to[0]!.mark).toBe("moveTo");
  });

  it("moves a section with its clauses as one move, with what was removed and added inside it", () => {
    const pair = HAND_MADE.find((p) => p.name.startsWith("a section moved"))!;
    const tracked = layout(pair.from, pair.to);
    const ranges = moveRanges(tracked);
    expect([...ranges.keys()]).toEqual(["move1"]);
    const { from, to } = ranges.get("move1")!;
    expect(from.map((p) => [p.mark, text(p).split(/[\t ]/)[0]])).toEqual([
      ["moveFrom", "1.2"],
      ["moveFrom", "1.2.1"],
      ["delete", "1.2.2"],
      ["moveFrom", "1.2.3"],
    ]);
    expect(to.map((p) => [p.mark, text(p)])).toEqual([
      ["moveTo", "2.2 Travel and transport"],
      ["moveTo", "2.2.1\tJourneys should be as short as possible."],
      ["moveTo", "2.2.2\tCosts are refunded."],
    ]);
    // The clause new to the section follows the move, as an insertion.
    const after = tracked.paragraphs[tracked.paragraphs.indexOf(to[to.length - 1]!) + 1]!;
    expect([after.mark, text(after)]).toEqual(["insert", "2.2.3\tNetworks arrange transport."]);
  });

  it("pairs every move's ranges and never overlaps two, for 1000 random edit scripts", () => {
    let moves = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const { from, to } = randomPair(seed);
      moves += moveRanges(layout(from, to)).size;
    }
    expect(moves).toBeGreaterThan(200);
  });
});

describe("the tracked revision's paragraphs", () => {
  it("show an item that moved one level deeper as added at its new level and removed from its old one", () => {
    const pair = HAND_MADE.find((p) => p.name.startsWith("nested lists"))!;
    const tracked = layout(pair.from, pair.to);
    const dataset = tracked.paragraphs.filter((p) => text(p).includes("the dataset"));
    expect(dataset.map((p) => [p.mark, p.style.kind === "item" ? p.style.level : null, p.runs.map((r) => `${r.revision}:${r.text}`)])).toEqual([
      ["insert", 1, ["insert:the dataset", "insert:."]],
      [null, 0, ["delete:the dataset", "insert:shared protocols", "null:."]],
    ]);
    // No list change is left to a paragraph revision, which pandoc ignores and LibreOffice misreads.
    expect(tracked.paragraphs.some((p) => p.oldStyle?.kind === "item")).toBe(false);
  });

  it("keep one paragraph, with its old kind as a paragraph revision, when only the kind of paragraph changed", () => {
    const from: DocJSON = { type: "doc", attrs: { title: "", reference: "" }, content: [{ type: "section", attrs: { id: "s", appendix: false }, content: [{ type: "heading", content: [{ type: "text", text: "S" }] }, { type: "clause", attrs: { id: "c" }, content: [{ type: "paragraph", content: [{ type: "text", text: "Second." }] }] }] }] };
    const to: DocJSON = structuredClone(from);
    (to.content![0]!.content[1] as { content: unknown[] }).content.unshift({ type: "paragraph", content: [{ type: "text", text: "First." }] });
    const clause = layout(from, to).paragraphs.slice(1);
    expect(clause.map((p) => [p.mark, p.style.kind, p.oldStyle?.kind ?? null, text(p)])).toEqual([
      ["insert", "clause", null, "1.1\tFirst."],
      [null, "text", "clause", "Second."],
    ]);
  });
});
