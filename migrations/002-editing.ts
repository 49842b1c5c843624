// Accounts, sessions, draft revisions, change notes, approvals and the audit log; and triggers
// that keep approved and published content unchangeable in the database itself.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('editor', 'commissioner', 'admin')`))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("disabled_at", "text")
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_by_user").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("sign_in_attempts")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sign_in_attempts_by_key").on("sign_in_attempts").columns(["key", "at"]).execute();

  // Drafts are versions in state draft or submitted; each save is a numbered revision.
  await db.schema.alterTable("versions").addColumn("revision", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable("draft_revisions")
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("content_json", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("saved_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("saved_at", "text", (c) => c.notNull())
    .addColumn("request_id", "text")
    .addPrimaryKeyConstraint("draft_revisions_pk", ["version_id", "revision"])
    .addUniqueConstraint("draft_revisions_request", ["version_id", "request_id"])
    .execute();

  await db.schema
    .createTable("change_notes")
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("clause_id", "text", (c) => c.notNull())
    .addColumn("rationale", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("change_notes_pk", ["version_id", "clause_id"])
    .execute();

  await db.schema
    .createTable("approvals")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("approved_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("approved_at", "text", (c) => c.notNull())
    .addColumn("voided_at", "text")
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_id", "integer", (c) => c.references("users.id"))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("object_type", "text", (c) => c.notNull())
    .addColumn("object_id", "text", (c) => c.notNull())
    .addColumn("specification_slug", "text")
    .addColumn("version_number", "text")
    .addColumn("content_hash", "text")
    .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await db.schema.createIndex("audit_log_by_spec").on("audit_log").columns(["specification_slug", "at"]).execute();

  // The audit log is append-only.
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`.execute(db);

  // Approved, published and superseded content never changes, nor does any version's identity.
  await sql`CREATE TRIGGER versions_content_fixed BEFORE UPDATE OF content_json, content_hash, clause_count, title ON versions
    WHEN OLD.status IN ('approved', 'published', 'superseded')
    BEGIN SELECT RAISE(ABORT, 'approved and published content cannot change'); END`.execute(db);
  await sql`CREATE TRIGGER versions_identity_fixed BEFORE UPDATE OF specification_id, parent_id, parent_hash, created_at, created_by ON versions
    BEGIN SELECT RAISE(ABORT, 'a version''s parent, author and creation time cannot change'); END`.execute(db);
  await sql`CREATE TRIGGER versions_number_fixed BEFORE UPDATE OF number, label, date ON versions
    WHEN OLD.status IN ('published', 'superseded')
    BEGIN SELECT RAISE(ABORT, 'a published version keeps its number, label and date'); END`.execute(db);
  await sql`CREATE TRIGGER versions_status_path BEFORE UPDATE OF status ON versions
    WHEN NOT (
      (OLD.status = NEW.status) OR
      (OLD.status = 'draft' AND NEW.status = 'submitted') OR
      (OLD.status = 'submitted' AND NEW.status IN ('draft', 'approved')) OR
      (OLD.status = 'approved' AND NEW.status = 'published') OR
      (OLD.status = 'published' AND NEW.status = 'superseded'))
    BEGIN SELECT RAISE(ABORT, 'that change of state is not part of the workflow'); END`.execute(db);
  await sql`CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
    WHEN OLD.status IN ('approved', 'published', 'superseded')
    BEGIN SELECT RAISE(ABORT, 'approved and published versions cannot be deleted'); END`.execute(db);
  // Derived items of a fixed version may be added when it is stored (import), never altered.
  for (const op of ["UPDATE", "DELETE"]) {
    await sql
      .raw(
        `CREATE TRIGGER version_items_fixed_${op.toLowerCase()} BEFORE ${op} ON version_items
        WHEN (SELECT status FROM versions WHERE id = OLD.version_id) IN ('approved', 'published', 'superseded')
        BEGIN SELECT RAISE(ABORT, 'approved and published content cannot change'); END`,
      )
      .execute(db);
  }
  await sql`CREATE TRIGGER approvals_fixed BEFORE UPDATE OF version_id, approved_by, content_hash, approved_at ON approvals
    BEGIN SELECT RAISE(ABORT, 'an approval cannot be altered, only voided'); END`.execute(db);
  await sql`CREATE TRIGGER change_notes_fixed BEFORE UPDATE ON change_notes
    WHEN (SELECT status FROM versions WHERE id = OLD.version_id) IN ('approved', 'published', 'superseded')
    BEGIN SELECT RAISE(ABORT, 'the change notes of an approved version cannot change'); END`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ["approvals_fixed", "change_notes_fixed", "version_items_fixed_update", "version_items_fixed_delete", "versions_no_delete", "versions_status_path", "versions_number_fixed", "versions_identity_fixed", "versions_content_fixed", "audit_log_no_delete", "audit_log_no_update"]) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${name}`).execute(db);
  }
  for (const table of ["audit_log", "approvals", "change_notes", "draft_revisions", "sign_in_attempts", "sessions", "users"]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable("versions").dropColumn("revision").execute();
}
