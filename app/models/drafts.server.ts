// Drafts: new versions being written. Each save is a numbered revision; saves from an older base
// are merged at clause level, and overlapping changes are refused as a conflict.
import { conflict, forbidden, invalid, notFound } from "~/domain/errors";
import type { Kysely } from "kysely";
import type { Database, Db } from "./db.server";
import { inTransaction, now } from "./db.server";
import { recordAudit } from "./audit.server";
import { inheritContributions, recordNoteWriter, recordOutcomeWriter, recordSavedParts } from "./contributions.server";
import { citableResponseIds } from "./reports.server";
import type { PublicUser } from "./users.server";
import { storeItems } from "./versions.server";
import { clauseCount } from "~/domain/document";
import { checkDocument } from "~/domain/document-check";
import { canonicalJson, contentHash, sha256Of } from "~/domain/hashing";
import { changedParts } from "~/domain/document-parts";
import { mergeDocuments, type MergeConflict } from "~/domain/merge";
import { can } from "~/domain/permissions";
import type { DocJSON } from "~/domain/schema";
import { compareVersionNumbers } from "~/domain/version-number";
import { MAX_RATIONALE_LENGTH, nextStatus } from "~/domain/workflow";
import { textProblem } from "~/domain/text-policy";

const actorOf = (user: PublicUser) => ({ id: user.id, email: user.email });

/** The next free version number after the highest one: 1.0 → 1.1, 1.9 → 1.10. */
export function nextVersionNumber(numbers: string[]): string {
  const highest = [...numbers].sort(compareVersionNumbers).pop() ?? "0.0";
  const parts = highest.split(".").map(Number);
  if (parts.length === 1) parts.push(0);
  parts[parts.length - 1]! += 1;
  return parts.join(".");
}

async function replaceItems(db: Db, versionId: number, doc: DocJSON): Promise<void> {
  await db.deleteFrom("version_items").where("version_id", "=", versionId).execute();
  await storeItems(db, versionId, doc);
}

/** Starts a draft from any version of a specification; its parent is that version. */
export async function createDraft(db: Kysely<Database>, user: PublicUser, slug: string, fromNumber: string): Promise<{ id: number; number: string }> {
  return inTransaction(db, async (trx) => {
    const source = await trx
      .selectFrom("versions")
      .innerJoin("specifications", "specifications.id", "versions.specification_id")
      .selectAll("versions")
      .where("specifications.slug", "=", slug)
      .where("versions.number", "=", fromNumber)
      .executeTakeFirst();
    if (!source) throw notFound(`there is no version “${fromNumber}” of ${slug} to start from`);
    if (!can(user.role, "createDraft", source.status)) throw forbidden("your role cannot start drafts");
    const numbers = (await trx.selectFrom("versions").select("number").where("specification_id", "=", source.specification_id).execute()).map((r) => r.number);
    const number = nextVersionNumber(numbers);
    const at = now();
    const draft = await trx
      .insertInto("versions")
      .values({
        specification_id: source.specification_id,
        number,
        label: null,
        date: null,
        status: "draft",
        parent_id: source.id,
        parent_hash: source.content_hash,
        title: source.title,
        content_json: source.content_json,
        content_hash: source.content_hash,
        clause_count: source.clause_count,
        created_at: at,
        created_by: user.email,
        revision: 0,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("draft_revisions")
      .values({ version_id: draft.id, revision: 0, content_json: source.content_json, content_hash: source.content_hash, saved_by: user.id, saved_at: at, request_id: null, request_hash: null })
      .execute();
    await replaceItems(trx, draft.id, JSON.parse(source.content_json) as DocJSON);
    await inheritContributions(trx, source, draft.id);
    await recordAudit(trx, { actor: actorOf(user), action: "draft.create", objectType: "version", objectId: String(draft.id), slug, version: number, hash: source.content_hash, details: { from: fromNumber } });
    return { id: draft.id, number };
  });
}

export interface Draft {
  id: number;
  slug: string;
  title: string;
  number: string;
  status: "draft" | "submitted" | "approved" | "published" | "superseded";
  revision: number;
  doc: DocJSON;
  contentHash: string;
  parentNumber: string | null;
  parentDoc: DocJSON | null;
  createdBy: string;
  notes: Record<string, string>;
  /** The editors' plain-English summary of the revision ("" when none). */
  summary: string;
  /** The content hash of the version it started from, as that version stands now. */
  parentHash: string | null;
  label: string | null;
  date: string | null;
  publishedBy: number | null;
}

/** A version by id with what the draft page needs, or undefined when there is none. */
export async function findDraft(db: Db, id: number): Promise<Draft | undefined> {
  const row = await db
    .selectFrom("versions")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .leftJoin("versions as parent", "parent.id", "versions.parent_id")
    .leftJoin("users as starter", "starter.email", "versions.created_by")
    .select([
      "starter.name as starter_name",
      "versions.id",
      "specifications.slug",
      "versions.title",
      "versions.number",
      "versions.status",
      "versions.revision",
      "versions.content_json",
      "versions.content_hash",
      "versions.created_by",
      "versions.summary",
      "versions.label",
      "versions.date",
      "versions.published_by",
      "parent.number as parent_number",
      "parent.content_json as parent_json",
      "parent.content_hash as parent_hash",
    ])
    .where("versions.id", "=", id)
    .executeTakeFirst();
  if (!row) return undefined;
  const notes = await db.selectFrom("change_notes").select(["clause_id", "rationale"]).where("version_id", "=", id).execute();
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    number: row.number,
    status: row.status,
    revision: row.revision,
    doc: JSON.parse(row.content_json) as DocJSON,
    contentHash: row.content_hash,
    parentNumber: row.parent_number,
    parentDoc: row.parent_json ? (JSON.parse(row.parent_json) as DocJSON) : null,
    // Pages name people; the address stays the record of who it was.
    createdBy: row.starter_name ?? row.created_by,
    notes: Object.fromEntries(notes.map((n) => [n.clause_id, n.rationale])),
    summary: row.summary,
    parentHash: row.parent_hash,
    label: row.label,
    date: row.date,
    publishedBy: row.published_by,
  };
}

export interface SaveRequest {
  baseRevision: number;
  doc: unknown;
  requestId: string | null;
}

export type SaveResult =
  | { status: 200; revision: number; doc?: DocJSON }
  | { status: 409; error: string; conflict: { items: MergeConflict[]; revision: number; doc: DocJSON } };

/**
 * Saves a draft. The same requestId again returns the first answer without saving twice; a save
 * from an older revision is merged with what was saved since, or refused with both versions.
 */
async function editableVersion(db: Db, user: PublicUser, id: number) {
  const version = await db
    .selectFrom("versions")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .select(["versions.id", "versions.status", "versions.revision", "versions.content_json", "versions.content_hash", "versions.number", "specifications.slug"])
    .where("versions.id", "=", id)
    .executeTakeFirst();
  if (!version) throw notFound("there is no such draft");
  if (!can(user.role, "editDraft", version.status)) {
    const editable = version.status === "draft" || version.status === "submitted";
    throw editable ? forbidden("your role cannot edit drafts") : conflict(`this version is ${version.status} and can no longer change`);
  }
  return version;
}

export async function saveDraft(db: Kysely<Database>, user: PublicUser, id: number, request: SaveRequest): Promise<SaveResult> {
  // Unknown drafts and refused roles answer before the document is looked at.
  await editableVersion(db, user, id);
  const checked = checkDocument(request.doc);
  if (!checked.ok) throw invalid(checked.error);
  // On PostgreSQL saves of one draft wait for each other on its row (see inTransaction), so a
  // burst of saves is merged one after another, and a retried requestId finds the first one.
  return inTransaction(
    db,
    async (trx) => {
      const version = await editableVersion(trx, user, id);
      const requestHash = sha256Of(`${request.baseRevision}:${canonicalJson(checked.doc)}`);
      if (request.requestId) {
        const earlier = await trx.selectFrom("draft_revisions").select(["revision", "request_hash", "content_json"]).where("version_id", "=", id).where("request_id", "=", request.requestId).executeTakeFirst();
        if (earlier) {
          // A retry of the same save answers as the first time did, whole; another save under its id is a mistake.
          if (earlier.request_hash !== null && earlier.request_hash !== requestHash) {
            throw invalid(`requestId "${request.requestId}" was already used for a different save (revision ${earlier.revision}); use a new id for each save`);
          }
          const stored = JSON.parse(earlier.content_json) as DocJSON;
          // The first answer carried the document when the server merged or tidied what was sent.
          const carried = checked.normalized || canonicalJson(stored) !== canonicalJson(checked.doc);
          return carried ? { status: 200 as const, revision: earlier.revision, doc: stored } : { status: 200 as const, revision: earlier.revision };
        }
      }
      if (request.baseRevision > version.revision || request.baseRevision < 0) {
        throw invalid(`baseRevision ${request.baseRevision} does not exist: the draft is at revision ${version.revision}`);
      }
      let doc = checked.doc;
      if (request.baseRevision < version.revision) {
        const base = await trx.selectFrom("draft_revisions").select("content_json").where("version_id", "=", id).where("revision", "=", request.baseRevision).executeTakeFirst();
        const theirs = JSON.parse(version.content_json) as DocJSON;
        if (!base) {
          // Nothing to merge against (a revision kept nowhere): both versions go back to the person.
          return {
            status: 409 as const,
            error: `revision ${request.baseRevision} of this draft is not kept, so your changes cannot be merged with what was saved since`,
            conflict: { items: differingParts(theirs, doc), revision: version.revision, doc: theirs },
          };
        }
        const merged = mergeDocuments(JSON.parse(base.content_json) as DocJSON, theirs, doc);
        if (!merged.ok) {
          return {
            status: 409 as const,
            error: `someone else changed the same ${merged.conflicts.length === 1 ? "part" : "parts"} of this draft since revision ${request.baseRevision}`,
            conflict: { items: merged.conflicts, revision: version.revision, doc: theirs },
          };
        }
        const rechecked = checkDocument(merged.doc);
        if (!rechecked.ok) {
          return { status: 409 as const, error: `the changes cannot be combined: ${rechecked.error}`, conflict: { items: [], revision: version.revision, doc: theirs } };
        }
        doc = rechecked.doc;
      }
      const hash = contentHash(doc);
      // A save that changes nothing adds no revision (and does not return a submitted version to draft).
      if (hash === version.content_hash) {
        return request.baseRevision < version.revision ? { status: 200 as const, revision: version.revision, doc } : { status: 200 as const, revision: version.revision };
      }
      const revision = version.revision + 1;
      const status = nextStatus(version.status, "edit")!;
      const at = now();
      await trx
        .updateTable("versions")
        .set({ content_json: JSON.stringify(doc), content_hash: hash, clause_count: clauseCount(doc), title: doc.attrs.title, revision, status })
        .where("id", "=", id)
        .execute();
      await trx.insertInto("draft_revisions").values({ version_id: id, revision, content_json: JSON.stringify(doc), content_hash: hash, saved_by: user.id, saved_at: at, request_id: request.requestId, request_hash: requestHash }).execute();
      await replaceItems(trx, id, doc);
      await recordSavedParts(trx, id, user.id, revision, JSON.parse(version.content_json) as DocJSON, doc);
      if (version.status === "submitted") {
        await trx.updateTable("approvals").set({ voided_at: at }).where("version_id", "=", id).where("voided_at", "is", null).execute();
      }
      await recordAudit(trx, { actor: actorOf(user), action: "draft.save", objectType: "version", objectId: String(id), slug: version.slug, version: version.number, hash, details: { revision, from: version.status === "submitted" ? "submitted" : undefined } });
      const changed = request.baseRevision < version.revision || checked.normalized;
      return changed ? { status: 200 as const, revision, doc } : { status: 200 as const, revision };
    },
    { lockVersion: id },
  );
}

/** Where two documents differ, as the items of a conflict. */
function differingParts(theirs: DocJSON, ours: DocJSON): MergeConflict[] {
  return changedParts(theirs, ours).map((part) => (part.startsWith("order:") ? { id: part.slice("order:".length), what: "order" as const } : { id: part, what: "content" as const }));
}


/**
 * The "what changed and why" note of one clause in a draft, with the themes it answers and the
 * responses it cites (by reference number, to a consultation on the version the draft started
 * from); an empty note (and no themes or responses) removes it.
 */
export async function setChangeNote(db: Kysely<Database>, user: PublicUser, id: number, clauseId: string, rationale: string, themes: string[] = [], responses: string[] = []): Promise<void> {
  const text = rationale.trim();
  if (text.length > MAX_RATIONALE_LENGTH) throw invalid(`a change note may have at most ${MAX_RATIONALE_LENGTH} characters`);
  const unsafe = textProblem(text, { lines: true }); if (unsafe) throw invalid(`the change note ${unsafe}`);
  await inTransaction(db, async (trx) => {
    const version = await trx.selectFrom("versions").innerJoin("specifications", "specifications.id", "versions.specification_id").select(["versions.status", "versions.number", "specifications.slug"]).where("versions.id", "=", id).executeTakeFirst();
    if (!version) throw notFound("there is no such draft");
    if (!can(user.role, "editDraft", version.status)) throw forbidden(`you cannot change the notes of a version that is ${version.status}`);
    // What a reviewer is asked to approve stays as they read it: withdraw a submitted version first.
    if (version.status !== "draft") throw conflict(`this version is ${version.status}: withdraw it to draft before changing its notes`);
    // A note may explain a clause the draft has, or one it removed from its parent.
    const parent = await trx.selectFrom("versions").select("parent_id").where("id", "=", id).executeTakeFirst();
    const item = await trx
      .selectFrom("version_items")
      .select("item_id")
      .where("version_id", "in", [id, parent?.parent_id ?? id])
      .where("item_id", "=", clauseId)
      .where("kind", "=", "clause")
      .executeTakeFirst();
    if (!item) throw invalid(`there is no clause “${clauseId}” in this draft or the version it started from`);
    const codes = [...new Set(themes)];
    if (codes.length) {
      const known = (await trx.selectFrom("themes").select("code").where("code", "in", codes).execute()).map((t) => t.code);
      const unknown = codes.filter((c) => !known.includes(c));
      if (unknown.length) throw invalid(`unknown theme ${unknown.join(", ")}`);
      if (!text) throw invalid("say what changed and why before linking themes");
    }
    const cited = await citableResponseIds(trx, parent?.parent_id ?? null, [...new Set(responses)]);
    if (cited.length && !text) throw invalid("say what changed and why before citing responses");
    await trx.deleteFrom("change_note_themes").where("version_id", "=", id).where("clause_id", "=", clauseId).execute();
    for (const code of codes) await trx.insertInto("change_note_themes").values({ version_id: id, clause_id: clauseId, theme_code: code }).execute();
    await trx.deleteFrom("change_note_responses").where("version_id", "=", id).where("clause_id", "=", clauseId).execute();
    for (const responseId of cited) await trx.insertInto("change_note_responses").values({ version_id: id, clause_id: clauseId, response_id: responseId }).execute();
    if (text) {
      await trx
        .insertInto("change_notes")
        .values({ version_id: id, clause_id: clauseId, rationale: text, updated_by: user.id, updated_at: now() })
        .onConflict((oc) => oc.columns(["version_id", "clause_id"]).doUpdateSet({ rationale: text, updated_by: user.id, updated_at: now() }))
        .execute();
    } else {
      await trx.deleteFrom("change_notes").where("version_id", "=", id).where("clause_id", "=", clauseId).execute();
    }
    await recordNoteWriter(trx, id, user.id, clauseId);
    await recordAudit(trx, { actor: actorOf(user), action: "draft.note", objectType: "clause", objectId: clauseId, slug: version.slug, version: version.number, details: { length: text.length, themes: codes, responses: cited.length } });
  });
}

/**
 * Records why a theme led to no change in a draft ("No change because …"), or removes it when
 * `outcome` is empty. Like change notes, outcomes are written while the version is a draft, are
 * sealed with it, and count as writing for the rule that nobody approves their own work. A theme
 * that a change note of the draft answers is explained on that note instead.
 */
export async function setThemeOutcome(db: Kysely<Database>, user: PublicUser, id: number, themeCode: string, outcome: string): Promise<{ removed: boolean }> {
  const text = outcome.trim();
  if (text.length > MAX_RATIONALE_LENGTH) throw invalid(`why a theme led to no change may have at most ${MAX_RATIONALE_LENGTH.toLocaleString("en-GB")} characters`);
  const unsafe = textProblem(text, { lines: true });
  if (unsafe) throw invalid(`why the theme led to no change ${unsafe}`);
  return inTransaction(db, async (trx) => {
    const version = await trx.selectFrom("versions").innerJoin("specifications", "specifications.id", "versions.specification_id").select(["versions.status", "versions.number", "specifications.slug"]).where("versions.id", "=", id).executeTakeFirst();
    if (!version) throw notFound("there is no such draft");
    if (!can(user.role, "editDraft", "draft")) throw forbidden("your role cannot change drafts");
    // What a reviewer is asked to approve stays as they read it; approved work is sealed.
    if (version.status === "submitted") throw conflict("this version is submitted: withdraw it to draft before changing why themes led to no change");
    if (version.status !== "draft") throw conflict(`this version is ${version.status}: what it says about each theme can no longer change`);
    const theme = await trx.selectFrom("themes").select("code").where("code", "=", themeCode).executeTakeFirst();
    if (!theme) throw invalid(`there is no theme ${themeCode} in the register`);
    const stored = await trx.selectFrom("theme_outcomes").select("outcome").where("version_id", "=", id).where("theme_code", "=", themeCode).executeTakeFirst();
    if (!text) {
      if (!stored) throw invalid("write why this theme led to no change");
      await trx.deleteFrom("theme_outcomes").where("version_id", "=", id).where("theme_code", "=", themeCode).execute();
    } else {
      const answering = await trx.selectFrom("change_note_themes").select("clause_id").where("version_id", "=", id).where("theme_code", "=", themeCode).execute();
      if (answering.length) throw conflict(`${themeCode} is answered by ${answering.length === 1 ? "a change" : `${answering.length} changes`} in this draft: say why on the change note instead, or unlink the theme from it first`);
      await trx
        .insertInto("theme_outcomes")
        .values({ version_id: id, theme_code: themeCode, outcome: text })
        .onConflict((oc) => oc.columns(["version_id", "theme_code"]).doUpdateSet({ outcome: text }))
        .execute();
    }
    await recordOutcomeWriter(trx, id, user.id, themeCode);
    await recordAudit(trx, { actor: actorOf(user), action: "draft.outcome", objectType: "theme", objectId: themeCode, slug: version.slug, version: version.number, details: { length: text.length, removed: !text, replaced: Boolean(stored && text) } });
    return { removed: !text };
  });
}

/**
 * Copies the outcome the version a draft started from recorded for a theme into the draft, as a
 * starting point (outcomes are not carried to a new draft by themselves).
 */
export async function carryThemeOutcome(db: Kysely<Database>, user: PublicUser, id: number, themeCode: string): Promise<{ removed: boolean }> {
  const row = await db
    .selectFrom("versions as draft")
    .innerJoin("theme_outcomes as o", "o.version_id", "draft.parent_id")
    .select("o.outcome")
    .where("draft.id", "=", id)
    .where("o.theme_code", "=", themeCode)
    .executeTakeFirst();
  if (!row) throw invalid(`the version this draft started from recorded no outcome for ${themeCode} to carry over`);
  return setThemeOutcome(db, user, id, themeCode, row.outcome);
}
