// Annotations on a version's clauses: threads with replies, resolved or open, public or staff.
// Staff annotations never reach the public: every list filters by who is asking.
import { invalid, notFound } from "~/domain/errors";
import type { Db } from "./db.server";
import { inTransaction, now } from "./db.server";
import { recordAudit } from "./audit.server";
import type { PublicUser } from "./users.server";
import { makeAnchor, reanchor, type AnchorStatus } from "~/domain/anchoring";
import { itemTexts } from "~/domain/document";
import { MAX_ANNOTATION_LENGTH, type AnnotationKind, type ThreadStatus, type Visibility } from "~/domain/annotations";
import { can } from "~/domain/permissions";
import type { DocJSON } from "~/domain/schema";
import { textProblem } from "~/domain/text-policy";

export type { AnnotationKind, Visibility } from "~/domain/annotations";

export interface NewAnnotation {
  clauseId: string;
  start?: number | null;
  end?: number | null;
  quote?: string | null;
  kind: AnnotationKind;
  body: string;
  visibility: Visibility;
  themes?: string[];
  parentId?: number | null;
}

export interface Annotation {
  id: number;
  clauseId: string;
  start: number | null;
  end: number | null;
  quote: string | null;
  kind: AnnotationKind;
  body: string;
  visibility: Visibility;
  status: ThreadStatus;
  parentId: number | null;
  author: string;
  createdAt: string;
  themes: string[];
}

/**
 * Adds an annotation to a clause of a version, or a reply to one. A range is checked against the
 * clause's plain text and its quote, prefix and suffix are taken from there.
 */
export function addAnnotation(db: Db, version: { id: number; doc: DocJSON; slug: string; number: string }, author: { id: number | null; name: string; email: string }, input: NewAnnotation): Promise<number> {
  return inTransaction(db, (trx) => storeAnnotation(trx, version, author, input));
}

async function storeAnnotation(
  db: Db,
  version: { id: number; doc: DocJSON; slug: string; number: string },
  author: { id: number | null; name: string; email: string },
  input: NewAnnotation,
): Promise<number> {
  const body = input.body.trim();
  if (!body) throw invalid("write something in the annotation");
  if (body.length > MAX_ANNOTATION_LENGTH) throw invalid(`an annotation may have at most ${MAX_ANNOTATION_LENGTH.toLocaleString("en-GB")} characters`);
  const unsafe = textProblem(body, { lines: true }); if (unsafe) throw invalid(`the annotation ${unsafe}`);
  const clause = itemTexts(version.doc).find((i) => i.kind === "clause" && i.id === input.clauseId);
  if (!clause) throw invalid(`there is no clause “${input.clauseId}” in version ${version.number}`);
  let anchor: { start: number | null; end: number | null; quote: string | null; prefix: string | null; suffix: string | null } = { start: null, end: null, quote: null, prefix: null, suffix: null };
  const hasStart = typeof input.start === "number";
  if (hasStart !== (typeof input.end === "number")) throw invalid("give both start and end, or neither");
  if (hasStart) {
    const [start, end] = [input.start!, input.end!];
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > clause.plainText.length || start >= end) {
      throw invalid(`start and end must mark text within the clause (0 to ${clause.plainText.length}), start before end`);
    }
    const made = makeAnchor("", clause.id, clause.plainText, start, end);
    if (input.quote != null && input.quote !== made.quote) throw invalid(`the quote does not match the clause's text at ${start}–${end}`);
    anchor = made;
  } else if (input.quote) {
    const at = clause.plainText.indexOf(input.quote);
    if (at < 0) throw invalid("the quote is not in the clause");
    anchor = makeAnchor("", clause.id, clause.plainText, at, at + input.quote.length);
  }
  const themes = [...new Set(input.themes ?? [])];
  if (themes.length) {
    const known = (await db.selectFrom("themes").select("code").where("code", "in", themes).execute()).map((t) => t.code);
    const unknown = themes.filter((t) => !known.includes(t));
    if (unknown.length) throw invalid(`unknown theme ${unknown.join(", ")}`);
  }
  if (input.parentId != null) {
    const parent = await db.selectFrom("annotations").select(["version_id", "visibility", "clause_id", "parent_id"]).where("id", "=", input.parentId).executeTakeFirst();
    if (!parent || parent.version_id !== version.id) throw notFound("there is no such annotation to reply to");
    if (parent.parent_id !== null) throw invalid("reply to the thread's first annotation, not to a reply");
    if (parent.clause_id !== input.clauseId) throw invalid("a reply belongs to the same clause as the annotation it answers");
    if (parent.visibility === "staff" && input.visibility === "public") throw invalid("a reply to a staff annotation stays with staff");
  }
  const row = await db
    .insertInto("annotations")
    .values({
      version_id: version.id,
      clause_id: input.clauseId,
      start: anchor.start,
      end: anchor.end,
      quote: anchor.quote,
      prefix: anchor.prefix,
      suffix: anchor.suffix,
      kind: input.kind,
      body,
      visibility: input.visibility,
      parent_id: input.parentId ?? null,
      author_id: author.id,
      author_name: author.name,
      created_at: now(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const code of themes) await db.insertInto("annotation_themes").values({ annotation_id: row.id, theme_code: code }).execute();
  await recordAudit(db, { actor: { id: author.id, email: author.email }, action: input.parentId ? "annotation.reply" : "annotation.create", objectType: "annotation", objectId: String(row.id), slug: version.slug, version: version.number, details: { clauseId: input.clauseId, visibility: input.visibility } });
  return row.id;
}

/** Staff annotations are for staff only; the public only ever gets public ones. */
function canSeeStaffAnnotations(viewer: PublicUser | null): boolean {
  return can(viewer?.role ?? "public", "readStaffAnnotations");
}

/** The annotations of a version that `viewer` may see. */
export async function listAnnotations(db: Db, versionId: number, viewer: PublicUser | null): Promise<Annotation[]> {
  let query = db.selectFrom("annotations").selectAll().where("version_id", "=", versionId).orderBy("id");
  if (!canSeeStaffAnnotations(viewer)) query = query.where("visibility", "=", "public");
  const rows = await query.execute();
  const links = rows.length ? await db.selectFrom("annotation_themes").selectAll().where("annotation_id", "in", rows.map((r) => r.id)).execute() : [];
  return rows.map((r) => ({
    id: r.id,
    clauseId: r.clause_id,
    start: r.start,
    end: r.end,
    quote: r.quote,
    kind: r.kind,
    body: r.body,
    visibility: r.visibility,
    status: r.status,
    parentId: r.parent_id,
    author: r.author_name,
    createdAt: r.created_at,
    themes: links.filter((l) => l.annotation_id === r.id).map((l) => l.theme_code).sort(),
  }));
}

/**
 * Resolves or reopens a thread of the given version: an annotation of another version (or a
 * reply, or one the viewer may not see) is "no such thread", whatever its id.
 */
export function setAnnotationStatus(db: Db, user: PublicUser, version: { id: number; slug: string; number: string }, id: number, status: ThreadStatus): Promise<void> {
  return inTransaction(db, (trx) => storeAnnotationStatus(trx, user, version, id, status));
}

async function storeAnnotationStatus(
  db: Db,
  user: PublicUser,
  version: { id: number; slug: string; number: string },
  id: number,
  status: ThreadStatus,
): Promise<void> {
  if (!Number.isSafeInteger(id)) throw notFound("there is no such annotation thread");
  let query = db.updateTable("annotations").set({ status }).where("id", "=", id).where("version_id", "=", version.id).where("parent_id", "is", null);
  if (!canSeeStaffAnnotations(user)) query = query.where("visibility", "=", "public");
  const result = await query.executeTakeFirst();
  if (!Number(result.numUpdatedRows)) throw notFound("there is no such annotation thread");
  await recordAudit(db, {
    actor: { id: user.id, email: user.email },
    action: status === "resolved" ? "annotation.resolve" : "annotation.reopen",
    objectType: "annotation",
    objectId: String(id),
    slug: version.slug,
    version: version.number,
  });
}

/** Threads by clause id, replies under their annotation, for the reading pages. */
export function threadsByClause(annotations: Annotation[]): Record<string, (Annotation & { replies: Annotation[] })[]> {
  const threads: Record<string, (Annotation & { replies: Annotation[] })[]> = {};
  for (const a of annotations) {
    if (a.parentId !== null) continue;
    (threads[a.clauseId] ??= []).push({ ...a, replies: annotations.filter((r) => r.parentId === a.id) });
  }
  return threads;
}

export interface CarriedAnnotation extends Annotation {
  /** The version the annotation was made on. */
  fromVersion: string;
  placement: AnchorStatus;
  replies: Annotation[];
}

/**
 * Annotation threads made on earlier versions of a specification, placed on this version:
 * each found again (exact, shifted or moved) or orphaned. The viewer's rights apply as ever.
 */
export async function carriedAnnotations(
  db: Db,
  version: { id: number; specification_id: number; doc: DocJSON },
  viewer: PublicUser | null,
  earlier: { id: number; number: string; doc: DocJSON }[],
): Promise<{ placed: CarriedAnnotation[]; orphaned: CarriedAnnotation[] }> {
  const placed: CarriedAnnotation[] = [];
  const orphaned: CarriedAnnotation[] = [];
  for (const other of earlier) {
    const all = await listAnnotations(db, other.id, viewer);
    const threads = all.filter((a) => a.parentId === null);
    if (!threads.length) continue;
    const results = reanchor(
      threads.map((a) => ({ id: String(a.id), clauseId: a.clauseId, start: a.start, end: a.end, quote: a.quote })),
      other.doc,
      version.doc,
    );
    threads.forEach((thread, i) => {
      const result = results[i]!;
      const carried: CarriedAnnotation = {
        ...thread,
        clauseId: result.clauseId ?? thread.clauseId,
        start: result.start,
        end: result.end,
        fromVersion: other.number,
        placement: result.status,
        replies: all.filter((r) => r.parentId === thread.id),
      };
      (result.status === "orphaned" ? orphaned : placed).push(carried);
    });
  }
  return { placed, orphaned };
}
