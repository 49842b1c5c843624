// Specifications, their versions, the derived sections and clauses of each version, and themes.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("specifications")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("reference", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("versions")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("specification_id", "integer", (c) => c.notNull().references("specifications.id"))
    .addColumn("number", "text", (c) => c.notNull())
    .addColumn("label", "text")
    .addColumn("date", "text")
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('draft', 'submitted', 'approved', 'published', 'superseded')`),
    )
    .addColumn("parent_id", "integer", (c) => c.references("versions.id"))
    .addColumn("parent_hash", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("content_json", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("clause_count", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addUniqueConstraint("versions_specification_number", ["specification_id", "number"])
    .execute();

  await db.schema
    .createTable("version_items")
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id").onDelete("cascade"))
    .addColumn("item_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('section', 'clause')`))
    .addColumn("number", "text", (c) => c.notNull())
    .addColumn("parent_id", "text")
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("ordinal", "integer", (c) => c.notNull())
    .addColumn("plain_text", "text", (c) => c.notNull())
    .addColumn("text_hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("version_items_pk", ["version_id", "item_id"])
    .execute();
  await db.schema.createIndex("version_items_by_item").on("version_items").columns(["item_id", "version_id"]).execute();

  await db.schema
    .createTable("themes")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["themes", "version_items", "versions", "specifications"]) {
    await db.schema.dropTable(table).execute();
  }
}
