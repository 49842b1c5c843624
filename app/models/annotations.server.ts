// Annotations on a version's clauses: threads with replies, resolved or open, public or staff.
// Staff annotations never reach the public: every list filters by who is asking.
import { invalid, notFound } from "~/domain/errors";
import type { Db } from "./db.server";
import { inTransaction, now } from "./db.server";
import { recordAudit } from "./audit.server";
import type { PublicUser } from "./users.server";
import { clausePlainTexts, makeAnchor, reanchorOnTexts, type AnchorStatus } from "~/domain/anchoring";
import { itemTexts } from "~/domain/document";
import { authorShown, MAX_ANNOTATION_LENGTH, type AnnotationKind, type ThreadStatus, type Visibility } from "~/domain/annotations";
import { can } from "~/domain/permissions";
import type { DocJSON } from "~/domain/schema";
import { textProblem } from "~/domain/text-policy";
import { quotedRange } from "~/domain/highlights";
import { compareVersionNumbers } from "~/domain/version-number";
import { isPublic } from "~/domain/workflow";

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
  /** The clause's number in that version ("" if it had none). */
  fromNumber: string;
  placement: AnchorStatus;
  replies: Annotation[];
}

/**
 * Annotation threads made on earlier versions of a specification, placed on this version:
 * each found again (exact, shifted or moved) or orphaned. The viewer's rights apply as ever.
 * The earlier versions' clause texts come from their stored items (version_items, one query),
 * so no earlier document is read whole.
 */
export async function carriedAnnotations(
  db: Db,
  version: { id: number; specification_id: number; doc: DocJSON },
  viewer: PublicUser | null,
  earlier: { id: number; number: string }[],
): Promise<{ placed: CarriedAnnotation[]; orphaned: CarriedAnnotation[] }> {
  const placed: CarriedAnnotation[] = [];
  const orphaned: CarriedAnnotation[] = [];
  const annotated: { other: { id: number; number: string }; all: Annotation[]; threads: Annotation[] }[] = [];
  for (const other of earlier) {
    const all = await listAnnotations(db, other.id, viewer);
    const threads = all.filter((a) => a.parentId === null);
    if (threads.length) annotated.push({ other, all, threads });
  }
  if (!annotated.length) return { placed, orphaned };
  const clauses = new Map<number, Map<string, { text: string; number: string }>>();
  const rows = await db
    .selectFrom("version_items")
    .select(["version_id", "item_id", "number", "plain_text"])
    .where("version_id", "in", annotated.map((a) => a.other.id))
    .where("kind", "=", "clause")
    .orderBy("version_id")
    .orderBy("ordinal")
    .execute();
  for (const row of rows) {
    let texts = clauses.get(row.version_id);
    if (!texts) clauses.set(row.version_id, (texts = new Map()));
    texts.set(row.item_id, { text: row.plain_text, number: row.number });
  }
  const toTexts = clausePlainTexts(version.doc);
  for (const { other, all, threads } of annotated) {
    const fromClauses = clauses.get(other.id) ?? new Map<string, { text: string; number: string }>();
    const results = reanchorOnTexts(
      threads.map((a) => ({ id: String(a.id), clauseId: a.clauseId, start: a.start, end: a.end, quote: a.quote })),
      new Map([...fromClauses].map(([id, clause]) => [id, clause.text])),
      toTexts,
    );
    threads.forEach((thread, i) => {
      const result = results[i]!;
      const carried: CarriedAnnotation = {
        ...thread,
        clauseId: result.clauseId ?? thread.clauseId,
        start: result.start,
        end: result.end,
        fromVersion: other.number,
        fromNumber: fromClauses.get(thread.clauseId)?.number ?? "",
        placement: result.status,
        replies: all.filter((r) => r.parentId === thread.id),
      };
      (result.status === "orphaned" ? orphaned : placed).push(carried);
    });
  }
  return { placed, orphaned };
}

/** A thread as a version page shows it: where its quote stands now, its replies and dates. */
export interface PageThread {
  id: number;
  kind: AnnotationKind;
  body: string;
  author: string;
  quote: string | null;
  visibility: Visibility;
  status: ThreadStatus;
  themes: string[];
  createdAt: string;
  /** When the latest reply was made; null with no replies. */
  lastReplyAt: string | null;
  replies: { id: number; body: string; author: string; createdAt: string }[];
  /** Set when the thread was made on an earlier version and carried here. */
  carried: { fromVersion: string; placement: AnchorStatus } | null;
  /** Where its quoted words stand in the clause's text now; null with no quote, or when they are gone. */
  range: { start: number; end: number } | null;
}

/** A thread carried from an earlier version whose clause this version no longer has. */
export interface OrphanedThread {
  id: number;
  kind: AnnotationKind;
  body: string;
  author: string;
  quote: string | null;
  fromVersion: string;
  /** The clause's number in the version the thread was made on. */
  clauseNumber: string;
}

/**
 * Every thread `viewer` may see on a published version, by clause: its own, and those carried
 * from earlier published versions (placed by anchoring). A carried thread whose words are gone
 * stays on its clause, with no range, while the clause exists; otherwise it is orphaned.
 */
export async function versionThreads(
  db: Db,
  version: { id: number; specification_id: number; number: string; doc: DocJSON },
  viewer: PublicUser | null,
): Promise<{ byClause: Record<string, PageThread[]>; orphaned: OrphanedThread[] }> {
  const texts = new Map(itemTexts(version.doc).filter((i) => i.kind === "clause").map((i) => [i.id, i.plainText]));
  const byClause: Record<string, PageThread[]> = {};
  const page = (a: Annotation & { replies: Annotation[] }, carried: PageThread["carried"]): PageThread => {
    const text = texts.get(a.clauseId) ?? "";
    const range = carried?.placement === "orphaned" ? null : quotedRange(text, a, { placed: carried !== null });
    return {
      id: a.id,
      kind: a.kind,
      body: a.body,
      author: authorShown(a.author),
      quote: a.quote,
      visibility: a.visibility,
      status: a.status,
      themes: a.themes,
      createdAt: a.createdAt,
      lastReplyAt: a.replies.map((r) => r.createdAt).sort().at(-1) ?? null,
      replies: a.replies.map((r) => ({ id: r.id, body: r.body, author: authorShown(r.author), createdAt: r.createdAt })),
      carried,
      range: range && { start: range.start, end: range.end },
    };
  };
  for (const [clauseId, threads] of Object.entries(threadsByClause(await listAnnotations(db, version.id, viewer)))) {
    byClause[clauseId] = threads.map((t) => page(t, null));
  }
  const earlier: { id: number; number: string }[] = [];
  const rows = await db.selectFrom("versions").select(["id", "number", "status"]).where("specification_id", "=", version.specification_id).execute();
  for (const row of rows) {
    if (!isPublic(row.status) || compareVersionNumbers(row.number, version.number) >= 0) continue;
    earlier.push({ id: row.id, number: row.number });
  }
  earlier.sort((a, b) => compareVersionNumbers(a.number, b.number));
  const carried = await carriedAnnotations(db, version, viewer, earlier);
  const orphaned: OrphanedThread[] = [];
  for (const a of carried.placed) (byClause[a.clauseId] ??= []).push(page(a, { fromVersion: a.fromVersion, placement: a.placement }));
  for (const a of carried.orphaned) {
    if (texts.has(a.clauseId)) {
      (byClause[a.clauseId] ??= []).push(page(a, { fromVersion: a.fromVersion, placement: "orphaned" }));
      continue;
    }
    orphaned.push({ id: a.id, kind: a.kind, body: a.body, author: authorShown(a.author), quote: a.quote, fromVersion: a.fromVersion, clauseNumber: a.fromNumber });
  }
  return { byClause, orphaned };
}
