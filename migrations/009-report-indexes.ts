// The engagement report's counts are read from these two indexes alone, no table rows: the
// current codings with everything the counts read, and who each response came from. (They
// were briefly written into 007 after it had landed; a database that ran that copy has them,
// hence "if not exists".)
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS codings_report ON codings (consultation_id, pass, response_id, theme_code, stance, evidence_rich, removed_at) WHERE removed_at IS NULL`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS consultation_responses_profile ON consultation_responses (consultation_id, capacity, audience_code, channel, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS consultation_responses_profile`.execute(db);
  await sql`DROP INDEX IF EXISTS codings_report`.execute(db);
}
