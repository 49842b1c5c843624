// What a commissioner's review and a version's public record need:
// - versions.summary: the editors' plain-English summary of a revision, sealed with the version;
// - versions.published_by and published_at: who pressed "Publish" and when. An approved version
//   with a publication date and a publisher but still "approved" is scheduled: it goes live on
//   its date;
// - version_themes: each theme's title and description as they stood when the version was
//   sealed, so that renaming a theme later never rewrites what a published version shows.
import { sql, type Kysely } from "kysely";

const SEALED_MESSAGE = "what an approved or published version shows cannot change";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("versions").addColumn("summary", "text", (c) => c.notNull().defaultTo("")).execute();
  await db.schema.alterTable("versions").addColumn("published_by", "integer", (c) => c.references("users.id")).execute();
  await db.schema.alterTable("versions").addColumn("published_at", "text").execute();
  await sql`CREATE TRIGGER versions_sealed_summary BEFORE UPDATE OF summary ON versions
    WHEN OLD.sealed_at IS NOT NULL AND NEW.summary IS NOT OLD.summary
    BEGIN SELECT RAISE(ABORT, 'approved and published content cannot change'); END`.execute(db);

  await db.schema
    .createTable("version_themes")
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("version_themes_pk", ["version_id", "code"])
    .execute();
  // Versions sealed before this record existed keep the titles the register holds now: the
  // closest record there is of what they showed.
  await sql`INSERT INTO version_themes (version_id, code, title, description)
    SELECT v.id, t.code, t.title, t.description FROM versions v JOIN themes t
    WHERE v.sealed_at IS NOT NULL AND (
      EXISTS (SELECT 1 FROM change_note_themes n WHERE n.version_id = v.id AND n.theme_code = t.code)
      OR EXISTS (SELECT 1 FROM theme_outcomes o WHERE o.version_id = v.id AND o.theme_code = t.code))`.execute(db);
  const sealed = (column: "NEW" | "OLD") => `(SELECT sealed_at FROM versions WHERE id = ${column}.version_id) IS NOT NULL`;
  await sql.raw(`CREATE TRIGGER version_themes_sealed_insert BEFORE INSERT ON version_themes WHEN ${sealed("NEW")} BEGIN SELECT RAISE(ABORT, '${SEALED_MESSAGE}'); END`).execute(db);
  await sql.raw(`CREATE TRIGGER version_themes_sealed_update BEFORE UPDATE ON version_themes WHEN ${sealed("OLD")} OR ${sealed("NEW")} BEGIN SELECT RAISE(ABORT, '${SEALED_MESSAGE}'); END`).execute(db);
  await sql.raw(`CREATE TRIGGER version_themes_sealed_delete BEFORE DELETE ON version_themes WHEN ${sealed("OLD")} BEGIN SELECT RAISE(ABORT, '${SEALED_MESSAGE}'); END`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ["version_themes_sealed_insert", "version_themes_sealed_update", "version_themes_sealed_delete", "versions_sealed_summary"]) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${name}`).execute(db);
  }
  await db.schema.dropTable("version_themes").execute();
  await db.schema.alterTable("versions").dropColumn("published_at").execute();
  await db.schema.alterTable("versions").dropColumn("published_by").execute();
  await db.schema.alterTable("versions").dropColumn("summary").execute();
}
