// Annotations on a version's clauses: threads with replies, resolved or open, public or staff.
// Staff annotations never reach the public: every list filters by who is asking.
import { invalid, notFound } from "~/domain/errors";
import type { AnnotationAnchorTable, Db } from "./db.server";
import type { Insertable } from "kysely";
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
import { isPublic, type VersionStatus } from "~/domain/workflow";

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
  return ((await annotationsOf(db, [versionId], viewer)).get(versionId) ?? []).map(({ clauseNumber: _number, ...annotation }) => annotation);
}

/** The annotations `viewer` may see on each of several versions, by version id: two queries in all. */
async function annotationsOf(db: Db, versionIds: number[], viewer: PublicUser | null): Promise<Map<number, (Annotation & { clauseNumber: string })[]>> {
  const byVersion = new Map<number, (Annotation & { clauseNumber: string })[]>();
  if (!versionIds.length) return byVersion;
  // With the clause's number in the version it was made on (a carried thread says where it was).
  let query = db
    .selectFrom("annotations")
    .leftJoin("version_items", (join) => join.onRef("version_items.version_id", "=", "annotations.version_id").onRef("version_items.item_id", "=", "annotations.clause_id"))
    .selectAll("annotations")
    .select("version_items.number as clause_number")
    .where("annotations.version_id", "in", versionIds)
    .orderBy("annotations.id");
  if (!canSeeStaffAnnotations(viewer)) query = query.where("annotations.visibility", "=", "public");
  const rows = await query.execute();
  const themes = new Map<number, string[]>();
  for (const ids of chunks(rows.map((r) => r.id))) {
    const links = await db.selectFrom("annotation_themes").select(["annotation_id", "theme_code"]).where("annotation_id", "in", ids).execute();
    for (const link of links) (themes.get(link.annotation_id) ?? themes.set(link.annotation_id, []).get(link.annotation_id)!).push(link.theme_code);
  }
  for (const r of rows) {
    let list = byVersion.get(r.version_id);
    if (!list) byVersion.set(r.version_id, (list = []));
    list.push({
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
      themes: (themes.get(r.id) ?? []).sort(),
      clauseNumber: r.clause_number ?? "",
    });
  }
  return byVersion;
}

/** Ids in lists short enough for one statement's parameters on either database. */
function chunks<T>(values: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
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
 *
 * Placing is the costly part of a version page, and for a published version it is worked out
 * once: a placement depends only on the annotation and on the two versions' clause texts, none
 * of which changes once published, so it is kept in annotation_anchors (migration 011) and read
 * from there ever after. `version.fixed` says the version is published (or superseded); a draft's
 * text still changes, so its placements are worked out on each request, except that a thread
 * already placed within its own clause on the draft's (published) starting point is placed the
 * same on the draft wherever that clause's text is unchanged (see placeOnDraft).
 *
 * The earlier versions' clause texts, when anchoring needs them, come from their stored items
 * (version_items, one query), so no earlier document is read whole.
 */
export async function carriedAnnotations(
  db: Db,
  version: { id: number; specification_id: number; doc: DocJSON; fixed?: boolean; parent?: { id: number; number: string; doc: DocJSON } | null },
  viewer: PublicUser | null,
  earlier: { id: number; number: string }[],
): Promise<{ placed: CarriedAnnotation[]; orphaned: CarriedAnnotation[] }> {
  const annotations = await annotationsOf(db, earlier.map((e) => e.id), viewer);
  const annotated: Annotated[] = earlier.flatMap((other) => {
    const all = annotations.get(other.id) ?? [];
    const threads = all.filter((a) => a.parentId === null);
    return threads.length ? [{ other, all, threads }] : [];
  });
  const placements = await placeThreads(db, version, annotated);
  const placed: CarriedAnnotation[] = [];
  const orphaned: CarriedAnnotation[] = [];
  for (const { other, all, threads } of annotated) {
    const replies = new Map<number, Annotation[]>();
    for (const { clauseNumber: _number, ...a } of all) if (a.parentId !== null) (replies.get(a.parentId) ?? replies.set(a.parentId, []).get(a.parentId)!).push(a);
    for (const { clauseNumber, ...thread } of threads) {
      const result = placements.get(thread.id)!;
      const carried: CarriedAnnotation = {
        ...thread,
        clauseId: result.clauseId ?? thread.clauseId,
        start: result.start,
        end: result.end,
        fromVersion: other.number,
        fromNumber: clauseNumber,
        placement: result.status,
        replies: replies.get(thread.id) ?? [],
      };
      (result.status === "orphaned" ? orphaned : placed).push(carried);
    }
  }
  return { placed, orphaned };
}

interface Annotated {
  other: { id: number; number: string };
  all: (Annotation & { clauseNumber: string })[];
  threads: (Annotation & { clauseNumber: string })[];
}

/** Where each thread stands on `version`: kept placements where they hold, anchoring for the rest. */
async function placeThreads(
  db: Db,
  version: { id: number; specification_id: number; doc: DocJSON; fixed?: boolean; parent?: { id: number; number: string; doc: DocJSON } | null },
  annotated: Annotated[],
): Promise<Map<number, Placement>> {
  const known = new Map<number, Placement>();
  if (!annotated.length) return known;
  let toTexts: Map<string, string> | null = null;
  const targetTexts = () => (toTexts ??= clausePlainTexts(version.doc));
  // Clause texts of versions read from their stored items, at most once each.
  const itemTexts = new Map<number, Map<string, string>>();
  const readTexts = async (versionIds: number[]) => {
    const wanted = versionIds.filter((id) => !itemTexts.has(id));
    if (!wanted.length) return;
    for (const id of wanted) itemTexts.set(id, new Map());
    const rows = await db.selectFrom("version_items").select(["version_id", "item_id", "plain_text"]).where("version_id", "in", wanted).where("kind", "=", "clause").orderBy("version_id").orderBy("ordinal").execute();
    for (const row of rows) itemTexts.get(row.version_id)!.set(row.item_id, row.plain_text);
  };

  // Which known placements hold here.
  let holds: (thread: Annotation, from: number, placement: Placement) => boolean = () => true;
  const parent = version.fixed ? null : (version.parent ?? null);
  if (version.fixed) {
    const rows = await db.selectFrom("annotation_anchors").select(["annotation_id", "placement", "clause_id", "start", "end"]).where("version_id", "=", version.id).execute();
    for (const row of rows) known.set(row.annotation_id, { status: row.placement, clauseId: row.clause_id, start: row.start, end: row.end });
  } else if (parent) {
    // A draft: its starting point's placements, worked out and kept first if they are not yet
    // (as that version's page would).
    const before = annotated.filter((a) => compareVersionNumbers(a.other.number, parent.number) < 0);
    for (const [id, placement] of await placeThreads(db, { id: parent.id, specification_id: version.specification_id, doc: parent.doc, fixed: true }, before)) known.set(id, placement);
    // Such a placement holds on the draft wherever anchoring would read the same texts.
    // Anchoring a thread made on X (place() in app/domain/anchoring.ts) reads its own clause's
    // text in X and in the target and, only when its words left that clause, the target's
    // clauses that X lacks, in order. So with D the clauses the draft changed (added, removed
    // or reworded against its starting point):
    // - a thread placed within its own clause holds if that clause is not in D;
    // - any placement holds if, besides, every clause in D is one X had (so the clauses X lacks
    //   are the same, with the same words, on both) and the draft kept the clauses' order.
    await readTexts([parent.id]);
    const parentTexts = itemTexts.get(parent.id)!;
    const draftTexts = targetTexts();
    const changed = new Set<string>();
    for (const [id, text] of draftTexts) if (parentTexts.get(id) !== text) changed.add(id);
    for (const id of parentTexts.keys()) if (!draftTexts.has(id)) changed.add(id);
    const common = (ids: Iterable<string>, other: Map<string, string>) => [...ids].filter((id) => other.has(id));
    const sameOrder = common(parentTexts.keys(), draftTexts).join("\u0000") === common(draftTexts.keys(), parentTexts).join("\u0000");
    // The versions that had every changed clause: one small query, for the changed clauses only.
    const hadAll = new Set<number>();
    if (sameOrder && before.length) {
      const had = new Map<number, number>();
      for (const ids of chunks([...changed])) {
        const found = await db.selectFrom("version_items").select("version_id").where("version_id", "in", before.map((a) => a.other.id)).where("item_id", "in", ids).where("kind", "=", "clause").execute();
        for (const row of found) had.set(row.version_id, (had.get(row.version_id) ?? 0) + 1);
      }
      for (const a of before) if ((had.get(a.other.id) ?? 0) === changed.size) hadAll.add(a.other.id);
    }
    holds = (thread, from, placement) => !changed.has(thread.clauseId) && (placedWithinOwnClause(thread, placement) || hadAll.has(from));
  } else {
    holds = () => false;
  }

  // The rest are anchored on the texts of the version they were made on and of this one.
  const unplaced = (a: Annotated) => a.threads.filter((t) => {
    const placement = known.get(t.id);
    return !placement || !holds(t, a.other.id, placement);
  });
  const toPlace = annotated.map((a) => ({ ...a, missing: unplaced(a) })).filter((a) => a.missing.length);
  await readTexts(toPlace.map((a) => a.other.id));
  const worked: Insertable<AnnotationAnchorTable>[] = [];
  for (const { other, missing } of toPlace) {
    const results = reanchorOnTexts(
      missing.map((a) => ({ id: String(a.id), clauseId: a.clauseId, start: a.start, end: a.end, quote: a.quote })),
      itemTexts.get(other.id)!,
      targetTexts(),
    );
    missing.forEach((thread, i) => {
      const result = results[i]!;
      known.set(thread.id, { status: result.status, clauseId: result.clauseId, start: result.start, end: result.end });
      if (version.fixed) worked.push({ annotation_id: thread.id, version_id: version.id, placement: result.status, clause_id: result.clauseId, start: result.start, end: result.end });
    });
  }
  if (worked.length) await keepPlacements(db, worked);
  return known;
}

interface Placement {
  status: AnchorStatus;
  clauseId: string | null;
  start: number | null;
  end: number | null;
}

/**
 * Whether anchoring placed a thread by its own clause's text alone (steps 1–3 of place() in
 * app/domain/anchoring.ts): found where it was, through the clause's redline, or elsewhere in
 * the clause. Such a placement depends on nothing but the thread and the two texts of its
 * clause, so it holds on any version in which the clause reads the same.
 */
function placedWithinOwnClause(thread: Annotation, placement: Placement): boolean {
  return (placement.status === "exact" || placement.status === "shifted") && placement.clauseId === thread.clauseId;
}

/**
 * Keeps placements worked out for a published version. Derived data, not a record: no audit
 * entry and no command transaction (inTransaction would count as a change of this server's and
 * make it drop its cached pages for nothing). Each statement stands alone: every row is right on
 * its own. Two servers may work out the same placements at once; they are equal, so the second
 * is ignored. Inside someone else's transaction nothing is kept (the command owns what it
 * writes). If keeping them fails (a busy database), the page is still right, and the next
 * request works them out again.
 */
async function keepPlacements(db: Db, rows: Insertable<AnnotationAnchorTable>[]): Promise<void> {
  if (db.isTransaction) return;
  try {
    for (const part of chunks(rows, 500)) {
      await db.insertInto("annotation_anchors").values(part).onConflict((oc) => oc.columns(["version_id", "annotation_id"]).doNothing()).execute();
    }
  } catch (error) {
    console.warn(`Specwork: could not keep ${rows.length} annotation placements (they will be worked out again): ${error instanceof Error ? error.message : String(error)}`);
  }
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
  version: { id: number; specification_id: number; number: string; status: VersionStatus; doc: DocJSON },
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
  // A published version's text is fixed, so its placements are kept once worked out.
  const carried = await carriedAnnotations(db, { ...version, fixed: isPublic(version.status) }, viewer, earlier);
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
