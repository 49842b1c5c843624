// What a clause's history page shows, worked out once per published version and per pair of
// neighbouring published versions, and kept.
//
// A clause's history shows the clause in every published version and how each version changed
// it from the one before. Both depend only on the versions' documents, which never change once
// published, so these rows never go stale: they are derived data (no audit entry, no effect on
// any cached page), written when a version is published or imported, and by the page itself the
// first time it finds a version or a pair without them (databases made before this migration).
//
// - version_clauses: each clause of a published version as that version has it (its document
//   node, and where the page and the redline place it), so that a history reads one clause per
//   version instead of parsing every version's whole document.
// - clause_changes: each clause's row of the redline between two neighbouring published versions
//   and its description in plain words, for the clauses whose row is not the plain "no change"
//   that the page can build again from version_clauses (and without the row's display segments
//   where those too can be built again from the two versions' clauses).
//
// In both tables the row whose item_id is '' is a marker: "every row of this version (or pair)
// is here", written in the same transaction as those rows. Without it the version or pair has
// not been worked out yet; with it, a clause without a row of its own provably had no change.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("version_clauses")
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("item_id", "text", (c) => c.notNull())
    // The clause's node in the document, as JSON ('' for the marker).
    .addColumn("content_json", "text", (c) => c.notNull())
    // As the outline gives them: its depth, whether it is in an appendix, and its section's heading.
    .addColumn("depth", "integer", (c) => c.notNull())
    .addColumn("appendix", "integer", (c) => c.notNull())
    .addColumn("heading", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("version_clauses_pk", ["item_id", "version_id"])
    .execute();
  await db.schema
    .createTable("clause_changes")
    .addColumn("from_version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("to_version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("item_id", "text", (c) => c.notNull())
    // The clause's RedlineRow and ChangeDescription (app/domain/redline), as JSON ('' for the marker).
    .addColumn("change_json", "text", (c) => c.notNull())
    .addColumn("described_json", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("clause_changes_pk", ["item_id", "from_version_id", "to_version_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("clause_changes").execute();
  await db.schema.dropTable("version_clauses").execute();
}
