// Annotations with replies, and the links that tie annotations and change notes to themes; and
// a theme's outcome in a version ("no change, because …").
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("annotations")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("clause_id", "text", (c) => c.notNull())
    .addColumn("start", "integer")
    .addColumn("end", "integer")
    .addColumn("quote", "text")
    .addColumn("prefix", "text")
    .addColumn("suffix", "text")
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('comment', 'question', 'proposal')`))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("visibility", "text", (c) => c.notNull().check(sql`visibility in ('staff', 'public')`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open").check(sql`status in ('open', 'resolved')`))
    .addColumn("parent_id", "integer", (c) => c.references("annotations.id"))
    .addColumn("author_id", "integer", (c) => c.references("users.id"))
    .addColumn("author_name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("annotations_by_version").on("annotations").columns(["version_id", "clause_id"]).execute();

  await db.schema
    .createTable("annotation_themes")
    .addColumn("annotation_id", "integer", (c) => c.notNull().references("annotations.id"))
    .addColumn("theme_code", "text", (c) => c.notNull().references("themes.code"))
    .addPrimaryKeyConstraint("annotation_themes_pk", ["annotation_id", "theme_code"])
    .execute();

  await db.schema
    .createTable("change_note_themes")
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("clause_id", "text", (c) => c.notNull())
    .addColumn("theme_code", "text", (c) => c.notNull().references("themes.code"))
    .addPrimaryKeyConstraint("change_note_themes_pk", ["version_id", "clause_id", "theme_code"])
    .execute();

  await db.schema
    .createTable("theme_outcomes")
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("theme_code", "text", (c) => c.notNull().references("themes.code"))
    .addColumn("outcome", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("theme_outcomes_pk", ["version_id", "theme_code"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["theme_outcomes", "change_note_themes", "annotation_themes", "annotations"]) {
    await db.schema.dropTable(table).execute();
  }
}
