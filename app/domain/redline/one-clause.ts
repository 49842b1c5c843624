// How one clause changed between two versions, as the compare page would show and describe it,
// without comparing the words of every other clause (a clause's history does this per version).
import type { DocJSON } from "../schema";
import { describeChanges, type ChangeDescription } from "./plain-words";
import { redline, type VersionInput } from "./redline";
import { redlineRows, type RedlineRow } from "./view";

/**
 * The clause's row of the redline between `from` and `to` and its description, the same as
 * redlineRows and describeChanges give over the whole redline; null when neither version has it.
 * Every item is still aligned and classified, since a move or a renumbering around the clause
 * changes what it says; only this clause's words are compared.
 */
export function clauseChange(from: VersionInput & { doc: DocJSON }, to: VersionInput & { doc: DocJSON }, clauseId: string): { change: RedlineRow | null; described: ChangeDescription | null } {
  const only = new Set([clauseId]);
  const result = redline(from, to, { only });
  // An id that changed kind has two rows; both are shown to describeChanges as the whole would be.
  const mine = redlineRows({ ...result, items: result.items.filter((row) => row.id === clauseId) }, from.doc, to.doc);
  const change = mine.find((row) => row.kind === "clause") ?? null;
  if (!change) return { change: null, described: null };
  let k = 0;
  const rows = result.items.map((row) => (row.id === clauseId ? mine[k++]! : row));
  return { change, described: describeChanges(rows, from.doc, to.doc, only)[clauseId] ?? null };
}
