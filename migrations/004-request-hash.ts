// The hash of what each save request sent, so a retry with the same requestId can be told from
// a different save that reused the id.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("draft_revisions").addColumn("request_hash", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("draft_revisions").dropColumn("request_hash").execute();
}
