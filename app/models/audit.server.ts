// The append-only audit log: who did what, when, to which object, with which content hash.
// Every use case writes its entry in the same transaction as its change.
import type { AuditRow, Db } from "./db.server";
import { auditWrittenIn, committed, now, type Database } from "./db.server";
import type { Transaction } from "kysely";
import { compareText } from "~/domain/text-order";

export interface AuditEntry {
  actor: { id: number | null; email: string };
  action: string;
  objectType: string;
  objectId: string;
  slug?: string | null;
  version?: string | null;
  hash?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: now(),
      actor_id: entry.actor.id,
      actor: entry.actor.email,
      action: entry.action,
      object_type: entry.objectType,
      object_id: entry.objectId,
      specification_slug: entry.slug ?? null,
      version_number: entry.version ?? null,
      content_hash: entry.hash ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
  // Written on its own, it is committed now; in a transaction, when the transaction commits.
  if (db.isTransaction) auditWrittenIn(db as Transaction<Database>);
  else committed();
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  slug?: string;
  limit?: number;
}

export async function listAudit(db: Db, filter: AuditFilter = {}): Promise<AuditRow[]> {
  let query = db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(Math.min(filter.limit ?? 200, 1000));
  if (filter.action) query = query.where("action", "=", filter.action);
  if (filter.actor) query = query.where("actor", "=", filter.actor);
  if (filter.slug) query = query.where("specification_slug", "=", filter.slug);
  return query.execute();
}

export async function auditActions(db: Db): Promise<string[]> {
  return (await db.selectFrom("audit_log").select("action").distinct().execute()).map((r) => r.action).sort(compareText);
}

/** Publication events of a specification, for its public timeline. */
export async function publicationEvents(db: Db, slug: string): Promise<Pick<AuditRow, "at" | "action" | "version_number" | "content_hash" | "details">[]> {
  return db
    .selectFrom("audit_log")
    .select(["at", "action", "version_number", "content_hash", "details"])
    .where("specification_slug", "=", slug)
    .where("action", "in", ["version.publish", "version.supersede"])
    .orderBy("id", "desc")
    .execute();
}
