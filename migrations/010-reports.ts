// Indexes for the engagement report's counts: each answers one of its grouped queries from the
// index alone, so a report over 100,000 responses reads no table rows.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // Codings of a consultation by pass and response, with everything the counts read.
  await sql`CREATE INDEX codings_report ON codings (consultation_id, pass, response_id, theme_code, stance, evidence_rich, removed_at) WHERE removed_at IS NULL`.execute(db);
  // Who each response came from, grouped as the report counts them, and each id for joining to its codings.
  await sql`CREATE INDEX consultation_responses_profile ON consultation_responses (consultation_id, capacity, audience_code, channel, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS consultation_responses_profile`.execute(db);
  await sql`DROP INDEX IF EXISTS codings_report`.execute(db);
}
