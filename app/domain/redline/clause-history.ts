// A clause's history, from what is worked out once per published version and per pair of
// neighbouring versions, rather than from redlining whole documents on every visit.
//
// For each pair of neighbouring versions, pairClauseChanges redlines the whole pair once and
// gives each clause's row and description exactly as clauseChange (one-clause.ts) gives them for
// that clause alone. Most clauses did not change at all between two versions; their row is the
// plain "no change" that plainClauseChange builds again from the clause as each version has it
// (a ClauseRecord), so only the other rows need keeping. pairClauseChanges checks this for every
// clause, by building the plain row and comparing it with the real one: a row is left out only
// when the two are the same, so a history built from what is kept is the same as one built by
// redlining the documents.
import { itemTexts } from "../document";
import { sectionChildren, type ClauseJSON, type DocJSON, type SectionJSON } from "../schema";
import { changeName, changeNameText, describeChanges, whatHappened, whyNoReasonNeeded, type ChangeDescription } from "./plain-words";
import { redline, type VersionInput } from "./redline";
import { clauseDisplay, redlineRows, type RedlineRow } from "./view";
import { wordSegments } from "./word-diff";

/** A clause as one version has it: what its history shows, and what its redline row is made of. */
export interface ClauseRecord {
  id: string;
  number: string;
  /** Its section's id. */
  parentId: string | null;
  plainText: string;
  content: ClauseJSON;
  /** As the outline gives them: its depth, and whether it is in an appendix. */
  depth: number;
  appendix: boolean;
  /** The heading of its section in this version. */
  heading: string;
}

export interface ClauseChange {
  change: RedlineRow;
  described: ChangeDescription | null;
}

/** Every clause of a version, in document order. */
export function clauseRecords(doc: DocJSON): ClauseRecord[] {
  const nodes = new Map<string, ClauseJSON>();
  const visit = (section: SectionJSON) => {
    for (const child of sectionChildren(section)) {
      if (child.type === "section") visit(child);
      else nodes.set(child.attrs.id, child);
    }
  };
  (doc.content ?? []).forEach(visit);
  const items = itemTexts(doc);
  const headings = new Map(items.filter((item) => item.kind === "section").map((item) => [item.id, item.title]));
  return items
    .filter((item) => item.kind === "clause")
    .map((item) => ({
      id: item.id,
      number: item.number,
      parentId: item.parentId,
      plainText: item.plainText,
      content: nodes.get(item.id)!,
      depth: item.depth,
      appendix: item.appendix,
      heading: (item.parentId && headings.get(item.parentId)) || "",
    }));
}

/**
 * The row and description a clause has when nothing about it changed between two versions: the
 * same words, number and section. Built with the redline's own parts, in the order redline() and
 * redlineRows() give an item's fields, so the page's data is the same to the byte. Its display
 * still reads both versions' list markers (an ordered list's numbering can show a change).
 */
export function plainClauseChange(from: ClauseRecord, to: ClauseRecord): ClauseChange {
  const { segments } = wordSegments(from.plainText, to.plainText);
  const change: RedlineRow = {
    kind: "clause",
    id: to.id,
    status: "unchanged",
    from: { number: from.number, parent: from.parentId },
    to: { number: to.number, parent: to.parentId },
    segments,
    depth: to.depth,
    appendix: to.appendix,
    display: clauseDisplay({ segments }, from.content, to.content),
  };
  const headings = new Map<string, string>(to.parentId ? [[to.parentId, to.heading]] : []);
  const happened = whatHappened(change);
  return {
    change,
    described: {
      name: changeNameText(changeName(change, headings, change.appendix)),
      status: happened.status,
      place: happened.place,
      // Null for an item whose words and number did not change; the outlines are not read then.
      noReason: whyNoReasonNeeded(change, [change], [], []),
    },
  };
}

/** Whether a clause's place and words are the same in both versions (its formatting may still differ). */
function mayBePlain(from: ClauseRecord, to: ClauseRecord): boolean {
  return from.number === to.number && from.parentId === to.parentId && from.plainText === to.plainText;
}

/**
 * Each clause's change between two versions that plainClauseChange does not give: its row of
 * the redline and its description, as clauseChange gives them. A clause in either version that
 * is not listed had no change, and plainClauseChange(its record in `from`, in `to`) is its row.
 * The whole pair is redlined once: moves and renumbering around a clause change what it says.
 */
export function pairClauseChanges(
  from: VersionInput & { doc: DocJSON },
  to: VersionInput & { doc: DocJSON },
  fromClauses: readonly ClauseRecord[],
  toClauses: readonly ClauseRecord[],
): { id: string; change: KeptRow; described: ChangeDescription | null }[] {
  const fromItems = from.items ?? itemTexts(from.doc);
  const toItems = to.items ?? itemTexts(to.doc);
  const result = redline({ ...from, items: fromItems }, { ...to, items: toItems });
  const rows = redlineRows(result, from.doc, to.doc);
  // An id that changed kind has two rows, described in turn as the whole redline describes them
  // (the later wins), which is what clauseChange gives too.
  const described = describeChanges(rows, from.doc, to.doc);
  const fromById = new Map(fromClauses.map((c) => [c.id, c]));
  const toById = new Map(toClauses.map((c) => [c.id, c]));
  const out: { id: string; change: KeptRow; described: ChangeDescription | null }[] = [];
  for (const row of rows) {
    if (row.kind !== "clause") continue;
    const change = { change: row, described: described[row.id] ?? null };
    const a = fromById.get(row.id);
    const b = toById.get(row.id);
    if (a && b && mayBePlain(a, b) && JSON.stringify(plainClauseChange(a, b)) === JSON.stringify(change)) continue;
    out.push({ id: row.id, change: keptRow(row, a, b), described: change.described });
  }
  return out;
}

/**
 * A row as kept: without its display segments when restoredRow builds them again the same
 * (they repeat the clause's words, with list markers), which halves what is kept.
 */
export type KeptRow = Omit<RedlineRow, "display"> & { display?: RedlineRow["display"] };

function keptRow(row: RedlineRow, from: ClauseRecord | undefined, to: ClauseRecord | undefined): KeptRow {
  if (JSON.stringify(clauseDisplay(row, from?.content, to?.content)) !== JSON.stringify(row.display)) return row;
  const { display: _built, ...rest } = row;
  return rest;
}

/** A kept row as the redline gave it, from the clause as each version has it (if it does). */
export function restoredRow(kept: KeptRow, from: ClauseRecord | undefined, to: ClauseRecord | undefined): RedlineRow {
  return kept.display ? (kept as RedlineRow) : { ...kept, display: clauseDisplay(kept, from?.content, to?.content) };
}
