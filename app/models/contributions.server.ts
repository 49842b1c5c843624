// Who wrote what in unpublished work: every saved part and every change note, in an append-only
// record, carried from a draft to the drafts started from it. Approval asks it who may not approve.
import type { Db } from "./db.server";
import { now } from "./db.server";
import { changedParts } from "~/domain/document-parts";
import type { DocJSON } from "~/domain/schema";
import { isPublic, type VersionStatus } from "~/domain/workflow";

const NOTE = "note:";
/** Why a theme led to no change ("outcome:<theme code>"), written in the draft like a note. */
const OUTCOME = "outcome:";
/** A save recorded before parts were, so what it changed is unknown. */
const ANY_PART = "*";

/** Records the parts a save changed (from `before` to `after`) as written by `userId`. */
export async function recordSavedParts(db: Db, versionId: number, userId: number, revision: number, before: DocJSON, after: DocJSON): Promise<void> {
  const parts = changedParts(before, after);
  if (!parts.length) return;
  const at = now();
  await db
    .insertInto("contributions")
    .values(parts.map((part) => ({ version_id: versionId, part, user_id: userId, revision, at })))
    .execute();
}

/** Records that `userId` wrote (or rewrote, or cleared) the change note of a clause. */
export async function recordNoteWriter(db: Db, versionId: number, userId: number, clauseId: string): Promise<void> {
  await db.insertInto("contributions").values({ version_id: versionId, part: `${NOTE}${clauseId}`, user_id: userId, revision: null, at: now() }).execute();
}

/** Records that `userId` wrote (or rewrote, or removed) why a theme led to no change. */
export async function recordOutcomeWriter(db: Db, versionId: number, userId: number, themeCode: string): Promise<void> {
  await db.insertInto("contributions").values({ version_id: versionId, part: `${OUTCOME}${themeCode}`, user_id: userId, revision: null, at: now() }).execute();
}

/** A new draft carries what its source holds that is not published yet. */
export async function inheritContributions(db: Db, from: { id: number; status: VersionStatus }, toVersionId: number): Promise<void> {
  if (isPublic(from.status)) return;
  // Change notes and outcomes stay with their own version; a new draft starts without them.
  const rows = await db
    .selectFrom("contributions")
    .select(["part", "user_id", "at"])
    .where("version_id", "=", from.id)
    .where("part", "not like", `${NOTE}%`)
    .where("part", "not like", `${OUTCOME}%`)
    .orderBy("id")
    .execute();
  for (let start = 0; start < rows.length; start += 200) {
    await db
      .insertInto("contributions")
      .values(rows.slice(start, start + 200).map((row) => ({ version_id: toVersionId, part: row.part, user_id: row.user_id, revision: 0, at: row.at })))
      .execute();
  }
}

/** A document with nothing in it: what a version without a published ancestor is compared with. */
export const EMPTY_DOC: DocJSON = { type: "doc", attrs: { title: "", reference: "" } };

/** The document of the nearest ancestor of a version that is published (its parent, or that one's, …). */
export async function publishedAncestor(db: Db, versionId: number): Promise<DocJSON | null> {
  let parentId = (await db.selectFrom("versions").select("parent_id").where("id", "=", versionId).executeTakeFirst())?.parent_id ?? null;
  const seen = new Set<number>();
  while (parentId !== null && !seen.has(parentId)) {
    seen.add(parentId);
    const parent = await db.selectFrom("versions").select(["status", "content_json", "parent_id"]).where("id", "=", parentId).executeTakeFirst();
    if (!parent) return null;
    if (isPublic(parent.status)) return JSON.parse(parent.content_json) as DocJSON;
    parentId = parent.parent_id;
  }
  return null;
}

/**
 * Everyone whose writing a version holds that is not in a published version: the authors of each
 * part that still differs from the nearest published ancestor (whichever draft in the chain they
 * wrote it in), and every author its change notes and theme outcomes ever had.
 */
export async function pendingAuthors(db: Db, versionId: number): Promise<number[]> {
  const version = await db.selectFrom("versions").select("content_json").where("id", "=", versionId).executeTakeFirst();
  if (!version) return [];
  const published = await publishedAncestor(db, versionId);
  const current = JSON.parse(version.content_json) as DocJSON;
  const differing = new Set(changedParts(published ?? EMPTY_DOC, current));
  const rows = await db.selectFrom("contributions").select(["part", "user_id"]).where("version_id", "=", versionId).execute();
  const authors = new Set<number>();
  for (const row of rows) {
    if (row.part === ANY_PART || row.part.startsWith(NOTE) || row.part.startsWith(OUTCOME) || differing.has(row.part)) authors.add(row.user_id);
  }
  return [...authors].sort((a, b) => a - b);
}
