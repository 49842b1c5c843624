// Where each annotation stands on each later published version, worked out once and kept.
//
// A version page shows the threads made on every earlier published version, placed on this one
// by anchoring (app/domain/anchoring.ts). A placement depends only on the annotation and on the
// two versions' clause texts, and neither changes once published, so it never goes stale: this
// table is derived data, filled the first time a page needs a placement and read ever after.
// It is not part of the public record (nothing here is shown that anchoring would not give
// again), so filling it writes no audit entry and does not invalidate any cached page.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("annotation_anchors")
    .addColumn("annotation_id", "integer", (c) => c.notNull().references("annotations.id"))
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    // As AnchorStatus in app/domain/anchoring.ts says.
    .addColumn("placement", "text", (c) => c.notNull().check(sql`placement in ('exact', 'shifted', 'moved', 'orphaned')`))
    // The clause it lands on (null when orphaned), and the quoted words' range in its plain text.
    .addColumn("clause_id", "text")
    .addColumn("start", "integer")
    .addColumn("end", "integer")
    .addPrimaryKeyConstraint("annotation_anchors_pk", ["version_id", "annotation_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("annotation_anchors").execute();
}
