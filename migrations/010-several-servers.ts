// What several app servers on one database need from it: on PostgreSQL, a notice to every
// server when anything changes (each server's cache of public pages listens for it); and for
// imports, how far the server running one last said it had got, and when, so that any server
// can show its progress and tell a running import from one whose server stopped. (A table of its
// own, which the import's long transaction never touches, so the two never conflict.)
import { sql, type Kysely } from "kysely";
import { onPostgres } from "./postgres";

/** The channel app servers LISTEN on; a notice is sent when a transaction that wrote the audit log commits. */
export const CHANGES_CHANNEL = "specwork_changes";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("response_import_progress")
    .addColumn("import_id", "integer", (c) => c.primaryKey().references("response_imports.id"))
    .addColumn("phase", "text", (c) => c.notNull().check(sql`phase in ('checking', 'importing')`))
    .addColumn("rows_read", "integer", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  if (onPostgres(db)) {
    // Every change anyone makes writes an audit entry in its transaction; PostgreSQL delivers
    // the notice when (and only if) that transaction commits, in commit order.
    await sql
      .raw(
        `CREATE FUNCTION audit_log_announce() RETURNS trigger LANGUAGE plpgsql AS $announce$
        BEGIN PERFORM pg_notify('${CHANGES_CHANNEL}', ''); RETURN NULL; END $announce$`,
      )
      .execute(db);
    await sql`CREATE TRIGGER audit_log_announce AFTER INSERT ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_announce()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (onPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS audit_log_announce ON audit_log`.execute(db);
    await sql`DROP FUNCTION IF EXISTS audit_log_announce()`.execute(db);
  }
  await db.schema.dropTable("response_import_progress").execute();
}
