import { describe, expect, it } from "vitest";
import { itemTexts } from "~/domain/document";
import { clauseChange, clauseRecords, describeChanges, pairClauseChanges, plainClauseChange, redline, redlineRows, restoredRow } from "~/domain/redline";
import { schemaProblem, type ClauseJSON, type DocJSON, type SectionJSON, type TextJSON } from "~/domain/schema";
import { seededRandom } from "../random";
import { randomDoc, WORDS } from "../random-doc";

type Random = ReturnType<typeof seededRandom>;

const EXTRA = ["–", "\u00a0", "  ", "’", "“", "”", "é", "Zoë", "👩‍⚕️", "🙂", ",", ".", ";", "(", ")", "\n"];

function allSections(doc: DocJSON): SectionJSON[] {
  const out: SectionJSON[] = [];
  const visit = (s: SectionJSON) => {
    out.push(s);
    for (const child of s.content.slice(1)) if ((child as SectionJSON).type === "section") visit(child as SectionJSON);
  };
  (doc.content ?? []).forEach(visit);
  return out;
}

const clausesOf = (s: SectionJSON) => s.content.slice(1).filter((c): c is ClauseJSON => c.type === "clause");
const clauseCount = (s: SectionJSON) => clausesOf(s).length;

function allTextNodes(clause: ClauseJSON): TextJSON[] {
  const out: TextJSON[] = [];
  const visit = (node: { content?: unknown[]; type: string; text?: string }) => {
    if (node.type === "text") out.push(node as TextJSON);
    for (const child of (node.content ?? []) as { type: string }[]) visit(child);
  };
  clause.content.forEach((b) => visit(b as never));
  return out;
}

function editText(text: string, r: Random): string {
  const words = text.split(/(\s+)/);
  const edits = 1 + r.int(4);
  for (let e = 0; e < edits; e++) {
    const at = r.int(words.length + 1);
    const choice = r.int(5);
    if (choice === 0 && words.length > 1) words.splice(Math.min(at, words.length - 1), 1);
    else if (choice === 1) words.splice(at, 0, r.pick(WORDS), " ");
    else if (choice === 2) words.splice(at, 0, r.pick(EXTRA));
    else if (choice === 3 && words.length) words[Math.min(at, words.length - 1)] = r.pick([...WORDS, ...EXTRA]);
    else words.splice(at, 0, r.pick(WORDS));
  }
  const result = words.join("");
  return result || "x";
}

/** A random edit script: text edits, inserted, deleted, moved and split clauses, renamed sections. */
function mutate(original: DocJSON, r: Random, seed: number): DocJSON {
  const doc = structuredClone(original);
  let fresh = 0;
  const newId = () => `m${seed}-${fresh++}`;
  const steps = 1 + r.int(8);
  for (let step = 0; step < steps; step++) {
    const sections = allSections(doc);
    if (!sections.length) break;
    const section = r.pick(sections);
    const clauses = clausesOf(section);
    const op = r.int(9);
    if (op <= 2 && clauses.length) {
      const nodes = allTextNodes(r.pick(clauses));
      if (nodes.length) {
        const node = r.pick(nodes);
        node.text = editText(node.text, r);
      }
    } else if (op === 3) {
      const clause: ClauseJSON = { type: "clause", attrs: { id: newId() }, content: [{ type: "paragraph", content: [{ type: "text", text: `${r.pick(WORDS)} ${r.pick(EXTRA)} new` }] }] };
      section.content.splice(1 + r.int(clauseCount(section) + 1), 0, clause);
    } else if (op === 4 && clauses.length) {
      section.content.splice(section.content.indexOf(r.pick(clauses)), 1);
    } else if (op === 5 && clauses.length) {
      const clause = r.pick(clauses);
      section.content.splice(section.content.indexOf(clause), 1);
      const target = r.pick(allSections(doc));
      target.content.splice(1 + r.int(clauseCount(target) + 1), 0, clause);
    } else if (op === 6 && clauses.length) {
      // Split: the clause keeps the first half of its first paragraph; a new clause takes the rest.
      const clause = r.pick(clauses);
      const first = clause.content[0];
      const text = (first.content ?? []).map((t) => t.text).join("");
      const cut = r.int(text.length + 1);
      first.content = text.slice(0, cut) ? [{ type: "text", text: text.slice(0, cut) }] : undefined;
      if (!first.content) delete first.content;
      const rest = text.slice(cut) || "rest";
      section.content.splice(section.content.indexOf(clause) + 1, 0, { type: "clause", attrs: { id: newId() }, content: [{ type: "paragraph", content: [{ type: "text", text: rest }] }] });
    } else if (op === 7) {
      section.content[0] = { type: "heading", content: [{ type: "text", text: editText(section.content[0].content?.[0]?.text ?? "T", r) }] };
    } else if (op === 8 && clauses.length) {
      // An id that changes kind: a clause removed, a section with the same id added.
      const clause = r.pick(clauses);
      section.content.splice(section.content.indexOf(clause), 1);
      doc.content!.push({ type: "section", attrs: { id: clause.attrs.id, appendix: false }, content: [{ type: "heading", content: [{ type: "text", text: "Reborn" }] }] });
    }
  }
  return doc;
}

const join = (segments: { op: string; text: string }[], keep: string) => segments.filter((s) => s.op === "equal" || s.op === keep).map((s) => s.text).join("");

describe("the redline over random edit scripts", () => {
  it("is exact, complete, ordered and deterministic for 3000 seeded cases", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const r = seededRandom(seed * 7919);
      const before = randomDoc(seed, "a");
      const after = r.chance(0.03) ? randomDoc(seed + 100_000, "b") : mutate(before, r, seed);
      expect(schemaProblem(after), `seed ${seed}`).toBeNull();
      const result = redline({ version: "1", doc: before }, { version: "2", doc: after });

      const fromTexts = new Map(itemTexts(before).map((i) => [`${i.kind}:${i.id}`, i]));
      const toItems = itemTexts(after);
      const toTexts = new Map(toItems.map((i) => [`${i.kind}:${i.id}`, i]));
      const seen = new Set<string>();
      for (const item of result.items) {
        const k = `${item.kind}:${item.id}`;
        expect(seen.has(`${k}:${item.status === "deleted"}`), `seed ${seed}: ${k} twice`).toBe(false);
        seen.add(`${k}:${item.status === "deleted"}`);
        const old = fromTexts.get(k);
        const now = toTexts.get(k);
        if (item.status !== "deleted") expect(join(item.segments, "insert"), `seed ${seed} ${k} accept-all`).toBe(now!.plainText);
        if (item.status !== "inserted") expect(join(item.segments, "delete"), `seed ${seed} ${k} reject-all`).toBe(old!.plainText);
        if (item.status === "inserted") expect(item.from).toBeNull();
        if (item.status === "deleted") expect(item.to).toBeNull();
        if (item.status === "unchanged") expect(old!.plainText).toBe(now!.plainText);
        if (item.status === "modified") expect(old!.plainText).not.toBe(now!.plainText);
        if (item.to) expect(item.to).toEqual({ number: now!.number, parent: now!.parentId });
        if (item.from) expect(item.from).toEqual({ number: old!.number, parent: old!.parentId });
      }
      // Every item of both versions appears, and the surviving ones in the order of `to`.
      const kept = result.items.filter((i) => i.status !== "deleted").map((i) => `${i.kind}:${i.id}`);
      expect(kept, `seed ${seed}`).toEqual(toItems.map((i) => `${i.kind}:${i.id}`));
      const gone = result.items.filter((i) => i.status === "deleted").map((i) => `${i.kind}:${i.id}`);
      expect(new Set(gone), `seed ${seed}`).toEqual(new Set([...fromTexts.keys()].filter((k) => !toTexts.has(k))));

      const counts = { inserted: 0, deleted: 0, modified: 0, moved: 0, unchanged: 0, renumbered: 0 };
      for (const item of result.items) {
        counts[item.status]++;
        if (item.from && item.to && item.from.number !== item.to.number) counts.renumbered++;
      }
      expect(result.summary).toEqual(counts);
      expect(JSON.stringify(redline({ version: "1", doc: before }, { version: "2", doc: after }))).toBe(JSON.stringify(result));
    }
  }, 120_000);
});

describe("one clause's change (a clause history's step)", () => {
  it("is the whole redline's row and description of that clause, for every clause of 300 seeded cases", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = seededRandom(seed);
      const before = randomDoc(seed, "a");
      const after = r.chance(0.03) ? randomDoc(seed + 100_000, "b") : mutate(before, r, seed);
      const from = { version: "1", doc: before, hash: "sha256:from", ...(seed % 2 ? { items: itemTexts(before) } : {}) };
      const to = { version: "2", doc: after, hash: "sha256:to" };
      const rows = redlineRows(redline(from, to), before, after);
      const described = describeChanges(rows, before, after);
      const ids = new Set(rows.filter((row) => row.kind === "clause").map((row) => row.id));
      for (const id of [...ids, "no-such-clause"]) {
        const whole = rows.find((row) => row.kind === "clause" && row.id === id) ?? null;
        expect(clauseChange(from, to, id), `seed ${seed} clause ${id}`).toEqual({ change: whole, described: whole ? described[id] ?? null : null });
      }
    }
  }, 120_000);
});

describe("a clause history's kept rows (clause-history.ts)", () => {
  it("give every clause's change as clauseChange does, to the byte, for 300 seeded cases", () => {
    let plain = 0;
    let keptWithoutDisplay = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const r = seededRandom(seed);
      const before = randomDoc(seed, "a");
      const after = r.chance(0.03) ? randomDoc(seed + 100_000, "b") : mutate(before, r, seed);
      const from = { version: "1", doc: before, hash: "sha256:from" };
      const to = { version: "2", doc: after, hash: "sha256:to" };
      // What the database keeps goes through JSON, as it does there.
      const roundTrip = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
      const fromClauses = roundTrip(clauseRecords(before));
      const toClauses = roundTrip(clauseRecords(after));
      const kept = new Map(roundTrip(pairClauseChanges(from, to, fromClauses, toClauses)).map((c) => [c.id, c]));
      const fromById = new Map(fromClauses.map((c) => [c.id, c]));
      const toById = new Map(toClauses.map((c) => [c.id, c]));
      for (const id of new Set([...fromById.keys(), ...toById.keys()])) {
        const a = fromById.get(id);
        const b = toById.get(id);
        const row = kept.get(id);
        if (!row) {
          expect(a && b, `seed ${seed} clause ${id}: a clause added or removed is always kept`).toBeTruthy();
          plain++;
        } else if (!row.change.display) keptWithoutDisplay++;
        const actual = row ? { change: restoredRow(row.change, a, b), described: row.described } : plainClauseChange(a!, b!);
        expect(JSON.stringify(actual), `seed ${seed} clause ${id}`).toBe(JSON.stringify(clauseChange(from, to, id)));
      }
    }
    // Both ways of leaving things out are really taken.
    expect(plain).toBeGreaterThan(100);
    expect(keptWithoutDisplay).toBeGreaterThan(100);
  }, 120_000);
});
