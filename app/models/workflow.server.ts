// Submit, approve, return and publish: each checks the permission table and the version's
// state, changes it in one transaction and writes its audit entry in the same transaction.
import { conflict, forbidden, invalid, notFound } from "~/domain/errors";
import type { Kysely } from "kysely";
import type { Database, Db } from "./db.server";
import { inTransaction, now } from "./db.server";
import { recordAudit } from "./audit.server";
import { fillClauseHistory } from "./clause-history.server";
import { pendingAuthors } from "./contributions.server";
import type { PublicUser } from "./users.server";
import { snapshotVersionThemes } from "./themes.server";
import { outline } from "~/domain/numbering";
import { contentHash } from "~/domain/hashing";
import { isIsoDate } from "~/domain/source/parse";
import { can, canApprove, type Action } from "~/domain/permissions";
import type { DocJSON } from "~/domain/schema";
import { isDue, isScheduled, MAX_COMMENT_LENGTH, MAX_LABEL_LENGTH, MAX_SUMMARY_LENGTH, nextStatus, PUBLIC_STATUSES, SEALED_STATUSES, type VersionStatus, type WorkflowAction } from "~/domain/workflow";
import { textProblem } from "~/domain/text-policy";
import { isChange, redline, redlineRows } from "~/domain/redline";
import { compareVersionNumbers, isValidVersionNumber } from "~/domain/version-number";
import { londonDate, londonFields } from "~/domain/london-time";
import { compareText } from "~/domain/text-order";

const actorOf = (user: PublicUser) => ({ id: user.id, email: user.email });

async function loadForAction(db: Db, user: PublicUser, id: number, action: Action & WorkflowAction) {
  const version = await db
    .selectFrom("versions")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .select(["versions.id", "versions.status", "versions.number", "versions.content_hash", "versions.specification_id", "specifications.slug"])
    .where("versions.id", "=", id)
    .executeTakeFirst();
  if (!version) throw notFound("there is no such version");
  const next = nextStatus(version.status, action);
  if (!next) throw conflict(`a version that is ${version.status} cannot be ${PAST[action]}`);
  if (!can(user.role, action, version.status)) throw forbidden(`your role cannot ${action} versions`);
  return { ...version, next };
}

const PAST: Record<WorkflowAction, string> = { submit: "submitted", approve: "approved", return: "returned", publish: "published", edit: "edited" };

/** Takes a submitted version back to draft so that it can be edited again. */
export async function withdrawVersion(db: Kysely<Database>, user: PublicUser, id: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const version = await trx.selectFrom("versions").innerJoin("specifications", "specifications.id", "versions.specification_id").select(["versions.status", "versions.number", "versions.content_hash", "specifications.slug"]).where("versions.id", "=", id).executeTakeFirst();
    if (!version) throw notFound("there is no such version");
    if (version.status !== "submitted") throw conflict(`a version that is ${version.status} cannot be withdrawn`);
    if (!can(user.role, "editDraft", version.status)) throw forbidden("your role cannot edit drafts");
    await trx.updateTable("approvals").set({ voided_at: now() }).where("version_id", "=", id).where("voided_at", "is", null).execute();
    await trx.updateTable("versions").set({ status: "draft" }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: actorOf(user), action: "version.withdraw", objectType: "version", objectId: String(id), slug: version.slug, version: version.number, hash: version.content_hash });
  });
}

/** The latest comment a commissioner gave when returning a version, if it is a draft again. */
export async function lastReturn(db: Db, id: number): Promise<{ by: string; at: string; comment: string } | null> {
  const row = await db.selectFrom("audit_log").select(["actor", "at", "details", "action"]).where("object_type", "=", "version").where("object_id", "=", String(id)).where("action", "in", ["version.return", "version.submit", "version.withdraw"]).orderBy("id", "desc").executeTakeFirst();
  if (!row || row.action !== "version.return") return null;
  return { by: row.actor, at: row.at, comment: String((JSON.parse(row.details) as { comment?: string }).comment ?? "") };
}

/** Today's date in London (YYYY-MM-DD): the day a publication date is measured against. */
export function todayInLondon(at: Date = new Date()): string {
  return londonFields(at.toISOString()).date;
}

/** The version's content and its parent's, for telling whether anything changed. */
async function withParent(db: Db, id: number) {
  return db
    .selectFrom("versions")
    .leftJoin("versions as parent", "parent.id", "versions.parent_id")
    .select(["versions.content_json", "versions.content_hash", "versions.number", "parent.number as parent_number", "parent.content_json as parent_json", "parent.content_hash as parent_hash"])
    .where("versions.id", "=", id)
    .executeTakeFirstOrThrow();
}

/** Refuses a version whose content is its parent's: there is nothing to review or publish. */
function refuseUnchanged(version: { content_hash: string; parent_hash: string | null; parent_number: string | null }, what: "submit" | "approve" | "publish"): void {
  if (version.parent_hash !== null && version.parent_hash === version.content_hash) {
    throw invalid(`there are no changes to ${what}: this version is the same as version ${version.parent_number}`);
  }
}

/** The ids of the clauses a version changed from its parent that have no change note yet. */
export async function unexplainedChanges(db: Db, id: number): Promise<string[]> {
  const version = await withParent(db, id);
  if (!version.parent_json) return [];
  const from = JSON.parse(version.parent_json) as DocJSON;
  const to = JSON.parse(version.content_json) as DocJSON;
  const changed = redlineRows(redline({ version: version.parent_number ?? "", doc: from }, { version: version.number, doc: to }), from, to)
    .filter((row) => row.kind === "clause" && isChange(row))
    .map((row) => row.id);
  const noted = new Set((await db.selectFrom("change_notes").select("clause_id").where("version_id", "=", id).execute()).map((n) => n.clause_id));
  return changed.filter((clauseId) => !noted.has(clauseId));
}

export interface SubmitInput {
  /**
   * How many changes without a note the person confirmed they are submitting. Submitting with
   * any unexplained change needs this to match the count as it stands, so that a change left
   * unexplained since the page was read is not waved through.
   */
  confirmedUnexplained?: number;
}

/** Submits a draft for approval; never one that changes nothing, nor unexplained changes unconfirmed. */
export async function submitVersion(db: Kysely<Database>, user: PublicUser, id: number, input: SubmitInput = {}): Promise<void> {
  await inTransaction(db, async (trx) => {
    const version = await loadForAction(trx, user, id, "submit");
    refuseUnchanged(await withParent(trx, id), "submit");
    const unexplained = (await unexplainedChanges(trx, id)).length;
    if (unexplained > 0 && input.confirmedUnexplained !== unexplained) {
      throw invalid(
        `${unexplained === 1 ? "1 change has" : `${unexplained} changes have`} no note saying what changed and why: write ${unexplained === 1 ? "it" : "them"}, or confirm that you are submitting with ${unexplained === 1 ? "it" : "them"} unexplained`,
      );
    }
    // A theme is answered by a change or led to no change, never both.
    const clashing = await outcomeClashes(trx, id);
    if (clashing.length) {
      throw conflict(`${clashing.join(", ")} ${clashing.length === 1 ? "has" : "have"} a reason for leading to no change, but a change in this draft answers ${clashing.length === 1 ? "it" : "them"}: remove the no-change reason, or unlink the theme from the change note`);
    }
    await trx.updateTable("versions").set({ status: version.next }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: actorOf(user), action: "version.submit", objectType: "version", objectId: String(id), slug: version.slug, version: version.number, hash: version.content_hash, details: unexplained ? { unexplained } : undefined });
  });
}

/** The themes a draft says led to no change although one of its change notes answers them. */
export async function outcomeClashes(db: Db, id: number): Promise<string[]> {
  const rows = await db
    .selectFrom("theme_outcomes as o")
    .innerJoin("change_note_themes as t", (join) => join.onRef("t.version_id", "=", "o.version_id").onRef("t.theme_code", "=", "o.theme_code"))
    .select("o.theme_code")
    .distinct()
    .where("o.version_id", "=", id)
    .execute();
  return rows.map((r) => r.theme_code).sort(compareText);
}

/** Sets the editors' plain-English summary of a draft's revision; fixed once it is submitted. */
export async function setVersionSummary(db: Kysely<Database>, user: PublicUser, id: number, summary: string): Promise<void> {
  const text = summary.trim();
  if (text.length > MAX_SUMMARY_LENGTH) throw invalid(`the summary may have at most ${MAX_SUMMARY_LENGTH.toLocaleString("en-GB")} characters`);
  const unsafe = textProblem(text, { lines: true }); if (unsafe) throw invalid(`the summary ${unsafe}`);
  await inTransaction(db, async (trx) => {
    const version = await trx.selectFrom("versions").innerJoin("specifications", "specifications.id", "versions.specification_id").select(["versions.status", "versions.number", "versions.content_hash", "versions.summary", "specifications.slug"]).where("versions.id", "=", id).executeTakeFirst();
    if (!version) throw notFound("there is no such draft");
    if (!can(user.role, "editDraft", version.status)) throw SEALED_STATUSES.includes(version.status) ? conflict(`this version is ${version.status}: its summary can no longer change`) : forbidden("your role cannot edit drafts");
    // What a reviewer is asked to approve stays as they read it, as with change notes.
    if (version.status !== "draft") throw conflict(`this version is ${version.status}: withdraw it to draft before changing its summary`);
    if (version.summary === text) return;
    await trx.updateTable("versions").set({ summary: text }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: actorOf(user), action: "version.summary", objectType: "version", objectId: String(id), slug: version.slug, version: version.number, hash: version.content_hash, details: { length: text.length } });
  });
}

/**
 * Approves the content as it stands now, recording its hash, and seals what the version shows
 * publicly; never by anyone whose unpublished writing it holds.
 */
export async function approveVersion(db: Kysely<Database>, user: PublicUser, id: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const version = await loadForAction(trx, user, id, "approve");
    if (!canApprove(user.role, version.status, user.id, await pendingAuthors(trx, id))) {
      throw forbidden("this version holds wording or change notes you wrote, so someone else must approve it");
    }
    refuseUnchanged(await withParent(trx, id), "approve");
    const at = now();
    await keepThemeTitles(trx, id);
    await trx.insertInto("approvals").values({ version_id: id, approved_by: user.id, content_hash: version.content_hash, approved_at: at, voided_at: null }).execute();
    await snapshotVersionThemes(trx, id);
    await trx.updateTable("versions").set({ status: version.next, sealed_at: at }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: actorOf(user), action: "version.approve", objectType: "version", objectId: String(id), slug: version.slug, version: version.number, hash: version.content_hash });
  });
}

/**
 * Keeps the title and description of each theme the version's notes and outcomes answer, as
 * they stand now; done before the version is sealed, since its record is frozen after.
 */
async function keepThemeTitles(db: Db, id: number): Promise<void> {
  const noted = db.selectFrom("change_note_themes").select("theme_code").where("version_id", "=", id);
  const outcomes = db.selectFrom("theme_outcomes").select("theme_code").where("version_id", "=", id);
  const themes = await db.selectFrom("themes").select(["code", "title", "description"]).where((eb) => eb.or([eb("code", "in", noted), eb("code", "in", outcomes)])).execute();
  await db.deleteFrom("version_themes").where("version_id", "=", id).execute();
  for (const t of themes) await db.insertInto("version_themes").values({ version_id: id, code: t.code, title: t.title, description: t.description }).execute();
}

export async function returnVersion(db: Kysely<Database>, user: PublicUser, id: number, comment: string): Promise<void> {
  const reason = comment.trim();
  if (!reason) throw invalid("say why the version is being returned");
  if (reason.length > MAX_COMMENT_LENGTH) throw invalid(`the comment may have at most ${MAX_COMMENT_LENGTH} characters`);
  const unsafe = textProblem(reason, { lines: true }); if (unsafe) throw invalid(`the comment ${unsafe}`);
  await inTransaction(db, async (trx) => {
    const version = await loadForAction(trx, user, id, "return");
    await trx.updateTable("approvals").set({ voided_at: now() }).where("version_id", "=", id).where("voided_at", "is", null).execute();
    await trx.updateTable("versions").set({ status: version.next }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: actorOf(user), action: "version.return", objectType: "version", objectId: String(id), slug: version.slug, version: version.number, hash: version.content_hash, details: { comment: reason } });
  });
}

export interface PublishInput {
  /** The version's number as published, such as 1.1 or 2.0; it must be above every published one. */
  number: string;
  label: string;
  /** The publication date, ISO 8601; today when empty; a later date schedules the publication. */
  date: string;
  /** Today's date in London; given by tests. */
  today?: string;
  /** Only check that it may be published so, and say what would happen; change nothing. */
  check?: boolean;
}

export interface PublishOutcome {
  /** True when the date is later than today, so the version goes live on its date. */
  scheduled: boolean;
  number: string;
  date: string;
  /** The version it replaces for the public, if any. */
  replaces: string | null;
}

/** Which field of the publish form a refusal is about, so the page can show it on that field. */
export type PublishField = "number" | "label" | "date" | null;

/** A refusal of publishing, naming the field it is about. */
function refusePublish(field: Exclude<PublishField, null>, message: string) {
  return Object.assign(invalid(message), { field });
}

/** The field a publishing refusal is about, or null when it is about the version as a whole. */
export function publishFieldOf(error: unknown): PublishField {
  const field = (error as { field?: unknown } | null)?.field;
  return field === "number" || field === "label" || field === "date" ? field : null;
}

/**
 * Publishes an approved version, or schedules it when its date is later than today. Checks that
 * its content is still what was approved and differs from its parent's; that its number is new
 * and above every published or scheduled version's; and that its date is not before the date of
 * the version it replaces. The previously published version becomes superseded.
 */
export async function publishVersion(db: Kysely<Database>, user: PublicUser, id: number, input: PublishInput): Promise<PublishOutcome> {
  const today = input.today ?? todayInLondon();
  const number = input.number.trim();
  const label = input.label.trim();
  const date = input.date.trim() || today;
  if (!number) throw refusePublish("number", "enter the version number, such as 1.1 or 2.0");
  if (!isValidVersionNumber(number)) throw refusePublish("number", "enter the version number as whole numbers separated by full stops, such as 1.1 or 2.0");
  if (!label) throw refusePublish("label", "give the version a label, such as “Consultation draft, open 18 Oct 2017 to 24 Jan 2018”");
  if (label.length > MAX_LABEL_LENGTH) throw refusePublish("label", `the label may have at most ${MAX_LABEL_LENGTH} characters`);
  const unsafe = textProblem(label); if (unsafe) throw refusePublish("label", `the label ${unsafe}`);
  if (!isIsoDate(date)) throw refusePublish("date", `“${date}” is not a date: write it as 2017-10-18`);
  return inTransaction(db, async (trx) => {
    const version = await loadForAction(trx, user, id, "publish");
    const row = await trx.selectFrom("versions").select(["content_json", "published_by", "date"]).where("id", "=", id).executeTakeFirstOrThrow();
    if (isScheduled({ status: version.status, publishedBy: row.published_by, date: row.date })) {
      throw conflict(`version ${version.number} is already scheduled for publication on ${londonDate(row.date!)}: cancel that first to change it`);
    }
    await checkStillApproved(trx, id, version.content_hash, row.content_json);
    refuseUnchanged(await withParent(trx, id), "publish");
    const others = await trx.selectFrom("versions").select(["id", "number", "status", "date", "content_hash", "published_by"]).where("specification_id", "=", version.specification_id).where("id", "!=", id).execute();
    if (others.some((o) => o.number === number)) throw refusePublish("number", `there is already a version ${number} of this specification: choose another number`);
    const fixed = others.filter((o) => PUBLIC_STATUSES.includes(o.status) || isScheduled({ status: o.status, publishedBy: o.published_by, date: o.date }));
    const highest = fixed.map((o) => o.number).sort(compareVersionNumbers).pop();
    if (highest && compareVersionNumbers(number, highest) <= 0) {
      throw refusePublish("number", `the version number must be higher than ${highest}, the highest published or scheduled version`);
    }
    const replaced = fixed.filter((o) => o.date).sort((a, b) => (a.date! < b.date! ? -1 : 1)).pop();
    if (replaced && date < replaced.date!) {
      throw refusePublish("date", `the publication date must be on or after ${londonDate(replaced.date!)}, the date of version ${replaced.number}, which it replaces`);
    }
    const outcome: PublishOutcome = { scheduled: !isDue(date, today), number, date, replaces: replaced?.number ?? null };
    if (input.check) return outcome;
    const at = now();
    if (outcome.scheduled) {
      await trx.updateTable("versions").set({ number, label, date, published_by: user.id, published_at: at }).where("id", "=", id).execute();
      await recordAudit(trx, { actor: actorOf(user), action: "version.schedule", objectType: "version", objectId: String(id), slug: version.slug, version: number, hash: version.content_hash, details: { label, date, ...(number !== version.number ? { was: version.number } : {}) } });
      return outcome;
    }
    await trx.updateTable("versions").set({ number, label, date, published_by: user.id, published_at: at }).where("id", "=", id).execute();
    await goLive(trx, actorOf(user), { id, slug: version.slug, number, hash: version.content_hash, specificationId: version.specification_id, label, date, was: version.number });
    return outcome;
  });
}

async function checkStillApproved(db: Db, id: number, hash: string, contentJson: string): Promise<void> {
  const approval = await db.selectFrom("approvals").select("content_hash").where("version_id", "=", id).where("voided_at", "is", null).orderBy("id", "desc").executeTakeFirst();
  const actual = contentHash(JSON.parse(contentJson) as DocJSON);
  if (!approval || approval.content_hash !== hash || actual !== hash) {
    throw conflict("the content is not what was approved; it must be approved again");
  }
}

/** Supersedes the specification's published versions and publishes this one, with audit entries. */
async function goLive(
  db: Db,
  actor: { id: number | null; email: string },
  v: { id: number; slug: string; number: string; hash: string; specificationId: number; label: string | null; date: string; was: string },
): Promise<void> {
  const previous = await db.selectFrom("versions").select(["id", "number", "content_hash"]).where("specification_id", "=", v.specificationId).where("status", "=", "published").execute();
  for (const old of previous) {
    await db.updateTable("versions").set({ status: "superseded" }).where("id", "=", old.id).execute();
    await recordAudit(db, { actor, action: "version.supersede", objectType: "version", objectId: String(old.id), slug: v.slug, version: old.number, hash: old.content_hash, details: { by: v.number } });
  }
  await db.updateTable("versions").set({ status: "published" }).where("id", "=", v.id).execute();
  // What its clauses' histories read, worked out now rather than on the first visit.
  await fillClauseHistory(db, v.specificationId, { touching: v.id });
  await recordAudit(db, { actor, action: "version.publish", objectType: "version", objectId: String(v.id), slug: v.slug, version: v.number, hash: v.hash, details: { label: v.label, date: v.date, ...(v.number !== v.was ? { was: v.was } : {}) } });
}

/** Takes a scheduled publication back to plain approved, before its date comes. */
export async function cancelScheduledPublication(db: Kysely<Database>, user: PublicUser, id: number, today: string = todayInLondon()): Promise<void> {
  await inTransaction(db, async (trx) => {
    const version = await loadForAction(trx, user, id, "publish");
    const row = await trx.selectFrom("versions").select(["published_by", "date"]).where("id", "=", id).executeTakeFirstOrThrow();
    if (!isScheduled({ status: version.status, publishedBy: row.published_by, date: row.date })) throw conflict(`version ${version.number} is not scheduled for publication`);
    if (isDue(row.date!, today)) throw conflict(`version ${version.number} is due to be published today, so its publication can no longer be cancelled`);
    await trx.updateTable("versions").set({ label: null, date: null, published_by: null, published_at: null }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: actorOf(user), action: "version.unschedule", objectType: "version", objectId: String(id), slug: version.slug, version: version.number, hash: version.content_hash, details: { date: row.date } });
  });
}

/**
 * Publishes every scheduled version whose date has come, oldest date first, each in its own
 * transaction and attributed to the commissioner who scheduled it. A version whose content is
 * no longer what was approved stays scheduled and is reported, never published.
 */
export async function publishDueVersions(db: Kysely<Database>, today: string = todayInLondon()): Promise<{ published: { slug: string; number: string }[]; problems: string[] }> {
  const due = await db
    .selectFrom("versions")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .select(["versions.id", "versions.number", "specifications.slug"])
    .where("versions.status", "=", "approved")
    .where("versions.published_by", "is not", null)
    .where("versions.date", "<=", today)
    .orderBy("versions.date")
    .orderBy("versions.id")
    .execute();
  const published: { slug: string; number: string }[] = [];
  const problems: string[] = [];
  for (const candidate of due) {
    try {
      // Every server looks each minute, so another may have published it since the list was
      // read: the transaction reads it again and publishes only what is still due. (On
      // PostgreSQL two servers doing this at once are serialized, and the one that runs again
      // finds it published.) What was published is noted only once the transaction commits.
      const number = await inTransaction(db, async (trx) => {
        const v = await trx.selectFrom("versions").selectAll().where("id", "=", candidate.id).executeTakeFirstOrThrow();
        if (!isScheduled({ status: v.status, publishedBy: v.published_by, date: v.date }) || !isDue(v.date!, today)) return null;
        await checkStillApproved(trx, v.id, v.content_hash, v.content_json);
        const publisher = await trx.selectFrom("users").select(["id", "email"]).where("id", "=", v.published_by!).executeTakeFirstOrThrow();
        await goLive(trx, { id: publisher.id, email: publisher.email }, { id: v.id, slug: candidate.slug, number: v.number, hash: v.content_hash, specificationId: v.specification_id, label: v.label, date: v.date!, was: v.number });
        return v.number;
      });
      if (number !== null) published.push({ slug: candidate.slug, number });
    } catch (error) {
      problems.push(`${candidate.slug} ${candidate.number}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { published, problems };
}

/** Who approved a version and who published it, and when, as public pages name them. */
export interface ApprovalRecord {
  approvedBy: string | null;
  approvedAt: string | null;
  publishedBy: string | null;
  /**
   * The London date it went live: the day the button was pressed, or its scheduled date when it
   * was scheduled ahead.
   */
  publishedOn: string | null;
  /** The publication date when it is scheduled and not yet come, and who scheduled it. */
  scheduledFor: string | null;
  scheduledBy: string | null;
}

/** The approval records of a specification's versions, by version number; none invented for seeded versions. */
export async function approvalRecords(db: Db, specificationId: number): Promise<Map<string, ApprovalRecord>> {
  const versions = await db
    .selectFrom("versions")
    .leftJoin("users as publisher", "publisher.id", "versions.published_by")
    .select(["versions.id", "versions.number", "versions.status", "versions.date", "versions.published_by", "versions.published_at", "publisher.name as publisher_name"])
    .where("versions.specification_id", "=", specificationId)
    .execute();
  const approvals = await db
    .selectFrom("approvals")
    .innerJoin("users", "users.id", "approvals.approved_by")
    .innerJoin("versions", "versions.id", "approvals.version_id")
    .select(["approvals.version_id", "approvals.approved_at", "users.name"])
    .where("versions.specification_id", "=", specificationId)
    .where("approvals.voided_at", "is", null)
    .orderBy("approvals.id")
    .execute();
  const approvedBy = new Map(approvals.map((a) => [a.version_id, a]));
  const records = new Map<string, ApprovalRecord>();
  for (const v of versions) {
    const approval = approvedBy.get(v.id);
    const scheduled = isScheduled({ status: v.status, publishedBy: v.published_by, date: v.date });
    records.set(v.number, {
      approvedBy: approval?.name ?? null,
      approvedAt: approval?.approved_at ?? null,
      publishedBy: scheduled ? null : (v.publisher_name ?? null),
      publishedOn: scheduled || !v.published_at ? null : [londonFields(v.published_at).date, v.date ?? ""].sort().pop()!,
      scheduledFor: scheduled ? v.date : null,
      scheduledBy: scheduled ? (v.publisher_name ?? null) : null,
    });
  }
  return records;
}

/** One version's approval record (all empty when there is none). */
export async function approvalRecord(db: Db, versionId: number): Promise<ApprovalRecord> {
  const v = await db.selectFrom("versions").select(["specification_id", "number"]).where("id", "=", versionId).executeTakeFirst();
  const none: ApprovalRecord = { approvedBy: null, approvedAt: null, publishedBy: null, publishedOn: null, scheduledFor: null, scheduledBy: null };
  if (!v) return none;
  return (await approvalRecords(db, v.specification_id)).get(v.number) ?? none;
}

export interface WorkInProgress {
  id: number;
  number: string;
  status: VersionStatus;
  createdBy: string;
  createdAt: string;
  revision: number;
  /** The publication date of an approved version scheduled to go live, or null. */
  scheduledFor: string | null;
}

/** Drafts, submitted and approved versions of a specification, for staff. */
export async function listWorkInProgress(db: Db, specificationId: number): Promise<WorkInProgress[]> {
  const rows = await db
    .selectFrom("versions")
    .leftJoin("users as starter", "starter.email", "versions.created_by")
    .select(["versions.id", "versions.number", "versions.status", "versions.created_by", "starter.name as starter_name", "versions.created_at", "versions.revision", "versions.published_by", "versions.date"])
    .where("versions.specification_id", "=", specificationId)
    .where("versions.status", "in", ["draft", "submitted", "approved"])
    .orderBy("versions.id", "desc")
    .execute();
  // Pages name people; the address stays the record of who started it.
  return rows.map((r) => ({ id: r.id, number: r.number, status: r.status, createdBy: r.starter_name ?? r.created_by, createdAt: r.created_at, revision: r.revision, scheduledFor: isScheduled({ status: r.status, publishedBy: r.published_by, date: r.date }) ? r.date : null }));
}

/** Checks every version: its content hash, its parent's hash, its items, and that fixed ones are sealed. */
export async function verifyChain(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const versions = await db.selectFrom("versions").innerJoin("specifications", "specifications.id", "versions.specification_id").select(["versions.id", "versions.number", "versions.status", "versions.content_json", "versions.content_hash", "versions.parent_id", "versions.parent_hash", "versions.sealed_at", "specifications.slug"]).execute();
  const byId = new Map(versions.map((v) => [v.id, v]));
  // Every version's stored item count in one query, not one query per version.
  const counts = await db.selectFrom("version_items").select(["version_id", (eb) => eb.fn.countAll<number | string>().as("items")]).groupBy("version_id").execute();
  const stored = new Map(counts.map((c) => [c.version_id, Number(c.items)]));
  for (const v of versions) {
    const name = `${v.slug} ${v.number}`;
    const doc = JSON.parse(v.content_json) as DocJSON;
    const actual = contentHash(doc);
    if (actual !== v.content_hash) problems.push(`${name}: content hash is ${v.content_hash} but the content hashes to ${actual}`);
    if (!v.sealed_at && SEALED_STATUSES.includes(v.status)) problems.push(`${name}: is ${v.status} but what it shows is not sealed`);
    if (v.parent_id !== null) {
      const parent = byId.get(v.parent_id);
      if (!parent) problems.push(`${name}: its parent (id ${v.parent_id}) is missing`);
      else if (parent.content_hash !== v.parent_hash && parent.status !== "draft" && parent.status !== "submitted") {
        problems.push(`${name}: records parent hash ${v.parent_hash} but ${parent.slug} ${parent.number} has ${parent.content_hash}`);
      }
    }
    // Its sections and clauses, counted from the outline (hashing each item's text would change no count).
    const items = stored.get(v.id) ?? 0;
    const expected = outline(doc).length;
    if (items !== expected) problems.push(`${name}: ${items} stored items, but its content has ${expected}`);
  }
  return problems;
}
