// Submit, approve, return and publish: each checks the permission table and the version's
// state, changes it in one transaction and writes its audit entry in the same transaction.
import { conflict, forbidden, invalid, notFound } from "~/domain/errors";
import type { Kysely } from "kysely";
import type { Database, Db } from "./db.server";
import { now } from "./db.server";
import { recordAudit } from "./audit.server";
import { pendingAuthors } from "./contributions.server";
import type { PublicUser } from "./users.server";
import { snapshotVersionThemes } from "./themes.server";
import { documentItems } from "~/domain/document";
import { contentHash } from "~/domain/hashing";
import { isIsoDate } from "~/domain/source/parse";
import { can, canApprove, type Action } from "~/domain/permissions";
import type { DocJSON } from "~/domain/schema";
import { MAX_COMMENT_LENGTH, MAX_LABEL_LENGTH, nextStatus, SEALED_STATUSES, type VersionStatus, type WorkflowAction } from "~/domain/workflow";
import { textProblem } from "~/domain/text-policy";

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
  await db.transaction().execute(async (trx) => {
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

export async function submitVersion(db: Kysely<Database>, user: PublicUser, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const version = await loadForAction(trx, user, id, "submit");
    await trx.updateTable("versions").set({ status: version.next }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: actorOf(user), action: "version.submit", objectType: "version", objectId: String(id), slug: version.slug, version: version.number, hash: version.content_hash });
  });
}

/**
 * Approves the content as it stands now, recording its hash, and seals what the version shows
 * publicly; never by anyone whose unpublished writing it holds.
 */
export async function approveVersion(db: Kysely<Database>, user: PublicUser, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const version = await loadForAction(trx, user, id, "approve");
    if (!canApprove(user.role, version.status, user.id, await pendingAuthors(trx, id))) {
      throw forbidden("this version holds wording or change notes you wrote, so someone else must approve it");
    }
    const at = now();
    await trx.insertInto("approvals").values({ version_id: id, approved_by: user.id, content_hash: version.content_hash, approved_at: at, voided_at: null }).execute();
    await snapshotVersionThemes(trx, id);
    await trx.updateTable("versions").set({ status: version.next, sealed_at: at }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: actorOf(user), action: "version.approve", objectType: "version", objectId: String(id), slug: version.slug, version: version.number, hash: version.content_hash });
  });
}

export async function returnVersion(db: Kysely<Database>, user: PublicUser, id: number, comment: string): Promise<void> {
  const reason = comment.trim();
  if (!reason) throw invalid("say why the version is being returned");
  if (reason.length > MAX_COMMENT_LENGTH) throw invalid(`the comment may have at most ${MAX_COMMENT_LENGTH} characters`);
  const unsafe = textProblem(reason, { lines: true }); if (unsafe) throw invalid(`the comment ${unsafe}`);
  await db.transaction().execute(async (trx) => {
    const version = await loadForAction(trx, user, id, "return");
    await trx.updateTable("approvals").set({ voided_at: now() }).where("version_id", "=", id).where("voided_at", "is", null).execute();
    await trx.updateTable("versions").set({ status: version.next }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: actorOf(user), action: "version.return", objectType: "version", objectId: String(id), slug: version.slug, version: version.number, hash: version.content_hash, details: { comment: reason } });
  });
}

export interface PublishInput {
  label: string;
  /** The publication date, ISO 8601; today when empty. */
  date: string;
}

/**
 * Publishes an approved version after checking that its content is still what was approved;
 * the specification's previously published version becomes superseded.
 */
export async function publishVersion(db: Kysely<Database>, user: PublicUser, id: number, input: PublishInput): Promise<void> {
  const label = input.label.trim();
  const date = input.date.trim() || new Date().toISOString().slice(0, 10);
  if (!label) throw invalid("give the version a label, such as “Consultation draft, open 18 Oct 2017 to 24 Jan 2018”");
  if (label.length > MAX_LABEL_LENGTH) throw invalid(`the label may have at most ${MAX_LABEL_LENGTH} characters`);
  const unsafe = textProblem(label); if (unsafe) throw invalid(`the label ${unsafe}`);
  if (!isIsoDate(date)) throw invalid(`“${date}” is not a date: write it as 2017-10-18`);
  await db.transaction().execute(async (trx) => {
    const version = await loadForAction(trx, user, id, "publish");
    const approval = await trx.selectFrom("approvals").select("content_hash").where("version_id", "=", id).where("voided_at", "is", null).orderBy("id", "desc").executeTakeFirst();
    const stored = await trx.selectFrom("versions").select("content_json").where("id", "=", id).executeTakeFirstOrThrow();
    const actual = contentHash(JSON.parse(stored.content_json) as DocJSON);
    if (!approval || approval.content_hash !== version.content_hash || actual !== version.content_hash) {
      throw conflict("the content is not what was approved; it must be approved again");
    }
    const previous = await trx.selectFrom("versions").select(["id", "number", "content_hash", "date"]).where("specification_id", "=", version.specification_id).where("status", "=", "published").execute();
    const latestDate = previous.map((p) => p.date ?? "").sort().pop();
    if (latestDate && date < latestDate) {
      throw invalid(`the publication date ${date} is before ${latestDate}, the date of the version it replaces`);
    }
    for (const old of previous) {
      await trx.updateTable("versions").set({ status: "superseded" }).where("id", "=", old.id).execute();
      await recordAudit(trx, { actor: actorOf(user), action: "version.supersede", objectType: "version", objectId: String(old.id), slug: version.slug, version: old.number, hash: old.content_hash, details: { by: version.number } });
    }
    await trx.updateTable("versions").set({ status: version.next, label, date }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: actorOf(user), action: "version.publish", objectType: "version", objectId: String(id), slug: version.slug, version: version.number, hash: version.content_hash, details: { label, date } });
  });
}

export interface WorkInProgress {
  id: number;
  number: string;
  status: VersionStatus;
  createdBy: string;
  createdAt: string;
  revision: number;
}

/** Drafts, submitted and approved versions of a specification, for staff. */
export async function listWorkInProgress(db: Db, specificationId: number): Promise<WorkInProgress[]> {
  const rows = await db
    .selectFrom("versions")
    .select(["id", "number", "status", "created_by", "created_at", "revision"])
    .where("specification_id", "=", specificationId)
    .where("status", "in", ["draft", "submitted", "approved"])
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => ({ id: r.id, number: r.number, status: r.status, createdBy: r.created_by, createdAt: r.created_at, revision: r.revision }));
}

/** Checks every version: its content hash, its parent's hash, its items, and that fixed ones are sealed. */
export async function verifyChain(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const versions = await db.selectFrom("versions").innerJoin("specifications", "specifications.id", "versions.specification_id").select(["versions.id", "versions.number", "versions.status", "versions.content_json", "versions.content_hash", "versions.parent_id", "versions.parent_hash", "versions.sealed_at", "specifications.slug"]).execute();
  const byId = new Map(versions.map((v) => [v.id, v]));
  for (const v of versions) {
    const name = `${v.slug} ${v.number}`;
    const actual = contentHash(JSON.parse(v.content_json) as DocJSON);
    if (actual !== v.content_hash) problems.push(`${name}: content hash is ${v.content_hash} but the content hashes to ${actual}`);
    if (!v.sealed_at && SEALED_STATUSES.includes(v.status)) problems.push(`${name}: is ${v.status} but what it shows is not sealed`);
    if (v.parent_id !== null) {
      const parent = byId.get(v.parent_id);
      if (!parent) problems.push(`${name}: its parent (id ${v.parent_id}) is missing`);
      else if (parent.content_hash !== v.parent_hash && parent.status !== "draft" && parent.status !== "submitted") {
        problems.push(`${name}: records parent hash ${v.parent_hash} but ${parent.slug} ${parent.number} has ${parent.content_hash}`);
      }
    }
    const items = await db.selectFrom("version_items").select("item_id").where("version_id", "=", v.id).execute();
    const expected = documentItems(JSON.parse(v.content_json) as DocJSON);
    if (items.length !== expected.length) problems.push(`${name}: ${items.length} stored items, but its content has ${expected.length}`);
  }
  return problems;
}
