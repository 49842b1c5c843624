// What a version shows publicly is sealed when it is approved: its change notes, their themes
// and its theme outcomes can no longer be inserted, changed or deleted. And every contribution
// to a draft (a saved part, a change note) is kept in an append-only record, so that nobody
// approves wording they wrote however the drafts were chained.
import { sql, type Kysely } from "kysely";

const FIXED = "('approved', 'published', 'superseded')";
const PUBLIC_RECORD = ["change_notes", "change_note_themes", "theme_outcomes"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("versions").addColumn("sealed_at", "text").execute();
  await sql.raw(`UPDATE versions SET sealed_at = created_at WHERE status IN ${FIXED}`).execute(db);
  await sql`CREATE TRIGGER versions_seal_kept BEFORE UPDATE OF sealed_at ON versions
    WHEN OLD.sealed_at IS NOT NULL AND NEW.sealed_at IS NOT OLD.sealed_at
    BEGIN SELECT RAISE(ABORT, 'a sealed version stays sealed'); END`.execute(db);
  await sql
    .raw(
      `CREATE TRIGGER versions_sealed_when_fixed BEFORE UPDATE OF status ON versions
      WHEN NEW.status IN ${FIXED} AND NEW.sealed_at IS NULL
      BEGIN SELECT RAISE(ABORT, 'a version is sealed when it is approved'); END`,
    )
    .execute(db);
  await sql`CREATE TRIGGER versions_sealed_content BEFORE UPDATE OF content_json, content_hash, clause_count, title ON versions
    WHEN OLD.sealed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'approved and published content cannot change'); END`.execute(db);

  const sealed = (column: "NEW" | "OLD") => `(SELECT sealed_at FROM versions WHERE id = ${column}.version_id) IS NOT NULL`;
  for (const table of [...PUBLIC_RECORD, "version_items"]) {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_sealed_insert BEFORE INSERT ON ${table} WHEN ${sealed("NEW")}
        BEGIN SELECT RAISE(ABORT, 'what an approved or published version shows cannot change'); END`,
      )
      .execute(db);
  }
  for (const table of PUBLIC_RECORD) {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_sealed_update BEFORE UPDATE ON ${table} WHEN ${sealed("OLD")} OR ${sealed("NEW")}
        BEGIN SELECT RAISE(ABORT, 'what an approved or published version shows cannot change'); END`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${table}_sealed_delete BEFORE DELETE ON ${table} WHEN ${sealed("OLD")}
        BEGIN SELECT RAISE(ABORT, 'what an approved or published version shows cannot change'); END`,
      )
      .execute(db);
  }

  // part: a clause or section id, "" for the title and reference, "order:<section id>" for a
  // section's order of children, "note:<clause id>" for a change note, "*" for a part unknown
  // (saves made before this record existed).
  await db.schema
    .createTable("contributions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("part", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("revision", "integer")
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("contributions_by_version").on("contributions").columns(["version_id", "part"]).execute();
  await sql`CREATE TRIGGER contributions_no_update BEFORE UPDATE ON contributions BEGIN SELECT RAISE(ABORT, 'contributions are append-only'); END`.execute(db);
  await sql`CREATE TRIGGER contributions_no_delete BEFORE DELETE ON contributions BEGIN SELECT RAISE(ABORT, 'contributions are append-only'); END`.execute(db);

  // What earlier saves changed is not known part by part: each counts as a change of anything.
  await sql`INSERT INTO contributions (version_id, part, user_id, revision, at)
    SELECT version_id, '*', saved_by, revision, saved_at FROM draft_revisions WHERE revision > 0 ORDER BY version_id, revision`.execute(db);
  await sql`INSERT INTO contributions (version_id, part, user_id, revision, at)
    SELECT version_id, 'note:' || clause_id, updated_by, NULL, updated_at FROM change_notes ORDER BY version_id, clause_id`.execute(db);
  // A draft started from unpublished work carries that work's contributions (but not its change
  // notes, which stay with their version), ancestors first.
  const versions = (await sql<{ id: number; parent_id: number | null }>`SELECT id, parent_id FROM versions ORDER BY id`.execute(db)).rows;
  for (const version of versions) {
    if (version.parent_id === null) continue;
    await sql`INSERT INTO contributions (version_id, part, user_id, revision, at)
      SELECT ${version.id}, c.part, c.user_id, 0, c.at FROM contributions c JOIN versions p ON p.id = c.version_id
      WHERE c.version_id = ${version.parent_id} AND p.status IN ('draft', 'submitted', 'approved') AND c.part NOT LIKE 'note:%' ORDER BY c.id`.execute(db);
  }

  // An imported draft had no revision 0 to merge a late save against; it gets one, from what it
  // still holds when it was never saved, attributed to the account imports are made by.
  const orphans = (
    await sql<{ id: number; content_json: string; content_hash: string; created_at: string }>`SELECT id, content_json, content_hash, created_at FROM versions v
      WHERE status IN ('draft', 'submitted') AND revision = 0 AND NOT EXISTS (SELECT 1 FROM draft_revisions r WHERE r.version_id = v.id AND r.revision = 0)`.execute(db)
  ).rows;
  if (orphans.length) {
    const system = await systemAccount(db);
    for (const v of orphans) {
      await sql`INSERT INTO draft_revisions (version_id, revision, content_json, content_hash, saved_by, saved_at) VALUES (${v.id}, 0, ${v.content_json}, ${v.content_hash}, ${system}, ${v.created_at})`.execute(db);
    }
  }
}

/** The disabled account that imports are attributed to (the app's SYSTEM_EMAIL). */
async function systemAccount(db: Kysely<any>): Promise<number> {
  const email = "system@specwork.invalid";
  const found = (await sql<{ id: number }>`SELECT id FROM users WHERE email = ${email}`.execute(db)).rows[0];
  if (found) return found.id;
  const at = new Date().toISOString();
  await sql`INSERT INTO users (email, name, role, password_hash, created_at, disabled_at) VALUES (${email}, 'Specwork import', 'editor', '!disabled', ${at}, ${at})`.execute(db);
  return (await sql<{ id: number }>`SELECT id FROM users WHERE email = ${email}`.execute(db)).rows[0]!.id;
}

export async function down(db: Kysely<any>): Promise<void> {
  const triggers = ["versions_seal_kept", "versions_sealed_when_fixed", "versions_sealed_content", "contributions_no_update", "contributions_no_delete"];
  for (const table of [...PUBLIC_RECORD, "version_items"]) triggers.push(`${table}_sealed_insert`);
  for (const table of PUBLIC_RECORD) triggers.push(`${table}_sealed_update`, `${table}_sealed_delete`);
  for (const name of triggers) await sql.raw(`DROP TRIGGER IF EXISTS ${name}`).execute(db);
  await db.schema.dropTable("contributions").execute();
  await db.schema.alterTable("versions").dropColumn("sealed_at").execute();
}
