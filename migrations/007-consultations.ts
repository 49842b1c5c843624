// Consultations on a published version: their events, audiences and questions; the responses
// people send (online or imported), their answers and clause comments; the coding of responses to
// themes; each theme's decision; the engagement report, fixed when it is published; change notes
// that cite responses; and a full-text index of what each theme covers, for suggestions.
import { sql, type Kysely } from "kysely";

const now = () => new Date().toISOString();

const AUDIENCES: [string, string, "audience" | "interest"][] = [
  ["clinicians", "Clinicians", "audience"],
  ["radiologists", "Radiologists", "audience"],
  ["crgs", "Clinical Reference Groups (CRGs)", "audience"],
  ["nice", "National Institute for Health and Care Excellence", "audience"],
  ["nhs-staff", "NHS England staff", "audience"],
  ["patient-groups", "Patient groups", "audience"],
  ["service-providers", "Service providers", "audience"],
  ["patients-public", "Patients and the public", "audience"],
  ["carers", "Carers", "audience"],
  ["service-users", "Service users", "audience"],
  ["specialised-commissioning", "Specialised commissioning", "interest"],
];

export async function up(db: Kysely<any>): Promise<void> {
  // The lists an admin keeps: audiences ("which of these best describes you?") and interests.
  await db.schema
    .createTable("audiences")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("list", "text", (c) => c.notNull().check(sql`list in ('audience', 'interest')`))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("retired_at", "text")
    .execute();
  const at = now();
  for (const [index, [code, name, list]] of AUDIENCES.entries()) {
    await sql`INSERT INTO audiences (code, name, list, position, created_at) VALUES (${code}, ${name}, ${list}, ${index + 1}, ${at})`.execute(db);
  }

  await db.schema
    .createTable("consultations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('engagement', 'consultation')`))
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("why_it_matters", "text", (c) => c.notNull())
    // UTC instants (ISO 8601 with Z); pages show and take them in Europe/London time.
    .addColumn("opens_at", "text", (c) => c.notNull())
    .addColumn("closes_at", "text", (c) => c.notNull())
    /** Responses received outside the site (letters, emails, petitions) counted but not stored one by one. */
    .addColumn("other_format_count", "integer", (c) => c.notNull().defaultTo(0))
    /** The share of coded responses (0–100) coded a second time, to measure agreement. */
    .addColumn("double_code_percent", "integer", (c) => c.notNull().defaultTo(10))
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("consultations_by_version").on("consultations").column("version_id").execute();

  await db.schema
    .createTable("consultation_events")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('webinar', 'in-person')`))
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("consultation_events_by_consultation").on("consultation_events").columns(["consultation_id", "position"]).execute();

  await db.schema
    .createTable("consultation_audiences")
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id"))
    .addColumn("audience_code", "text", (c) => c.notNull().references("audiences.code"))
    .addPrimaryKeyConstraint("consultation_audiences_pk", ["consultation_id", "audience_code"])
    .execute();

  // id: q1, q2 … as import mappings name them. item_id: a section or clause of the version.
  await db.schema
    .createTable("consultation_questions")
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id"))
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('free-text', 'agree-scale')`))
    .addColumn("item_id", "text")
    .addPrimaryKeyConstraint("consultation_questions_pk", ["consultation_id", "id"])
    .execute();

  await db.schema
    .createTable("response_imports")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id"))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('checking', 'importing', 'done', 'failed')`))
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('online', 'other')`))
    .addColumn("rows_read", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("imported", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("present", "integer", (c) => c.notNull().defaultTo(0))
    /** JSON list of problem lines (row and column named), when it failed. */
    .addColumn("problems", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("mapping", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();

  // A response is personal data: staff read it; the public sees only what consent allows, and
  // only once a moderator has approved it for publication.
  await db.schema
    .createTable("consultation_responses")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id"))
    /** The reference number the respondent is given (or one made for an imported row). */
    .addColumn("reference", "text", (c) => c.notNull().unique())
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('online', 'other')`))
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('form', 'import', 'sample')`))
    .addColumn("import_id", "integer", (c) => c.references("response_imports.id"))
    /** "id:<other tool's id>" or "row:<hash of the mapped cells>", for idempotent imports. */
    .addColumn("external_key", "text")
    .addColumn("capacity", "text", (c) => c.notNull().check(sql`capacity in ('individual', 'organisation')`))
    .addColumn("organisation", "text")
    .addColumn("respondent_name", "text")
    .addColumn("audience_code", "text", (c) => c.references("audiences.code"))
    /** The audience as the respondent or the file gave it, when it matched no listed audience. */
    .addColumn("audience_text", "text")
    .addColumn("email", "text")
    .addColumn("consent", "text", (c) => c.notNull().check(sql`consent in ('full', 'anonymous', 'none')`))
    .addColumn("moderation", "text", (c) => c.notNull().defaultTo("pending").check(sql`moderation in ('pending', 'approved', 'rejected')`))
    .addColumn("moderated_by", "integer", (c) => c.references("users.id"))
    .addColumn("moderated_at", "text")
    .addColumn("submitted_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    /** A keyed hash of the sender's address, to limit submissions; never the address itself. */
    .addColumn("address_hash", "text")
    .execute();
  await db.schema.createIndex("consultation_responses_by_consultation").on("consultation_responses").columns(["consultation_id", "id"]).execute();
  await db.schema.createIndex("consultation_responses_external").on("consultation_responses").columns(["consultation_id", "external_key"]).unique().execute();
  await db.schema.createIndex("consultation_responses_by_address").on("consultation_responses").columns(["address_hash", "created_at"]).execute();

  // scale: the five-point agree–disagree answer; text: a free-text answer or the scale's comment.
  await db.schema
    .createTable("response_answers")
    .addColumn("response_id", "integer", (c) => c.notNull().references("consultation_responses.id"))
    .addColumn("question_id", "text", (c) => c.notNull())
    .addColumn("scale", "text", (c) => c.check(sql`scale in ('strongly-agree', 'agree', 'neither', 'disagree', 'strongly-disagree')`))
    .addColumn("text", "text")
    .addPrimaryKeyConstraint("response_answers_pk", ["response_id", "question_id"])
    .execute();

  // A comment on one clause of the consultation's version, anchored as annotations are.
  await db.schema
    .createTable("response_clause_comments")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("response_id", "integer", (c) => c.notNull().references("consultation_responses.id"))
    .addColumn("clause_id", "text", (c) => c.notNull())
    .addColumn("start", "integer")
    .addColumn("end", "integer")
    .addColumn("quote", "text")
    .addColumn("prefix", "text")
    .addColumn("suffix", "text")
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("response_clause_comments_by_response").on("response_clause_comments").columns(["response_id", "position"]).execute();
  await db.schema.createIndex("response_clause_comments_by_clause").on("response_clause_comments").column("clause_id").execute();

  // A coding is never rewritten: a change removes the old one (removed_at) and adds a new one.
  // pass 2 is the second, independent coding of a sample, for agreement.
  await db.schema
    .createTable("codings")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("response_id", "integer", (c) => c.notNull().references("consultation_responses.id"))
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id"))
    .addColumn("theme_code", "text", (c) => c.notNull().references("themes.code"))
    .addColumn("pass", "integer", (c) => c.notNull().check(sql`pass in (1, 2)`))
    .addColumn("stance", "text", (c) => c.notNull().check(sql`stance in ('supports', 'opposes', 'mixed', 'unclear')`))
    .addColumn("evidence_rich", "integer", (c) => c.notNull().check(sql`evidence_rich in (0, 1)`))
    .addColumn("origin", "text", (c) => c.notNull().check(sql`origin in ('suggestion', 'coder')`))
    .addColumn("coded_by", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("coded_at", "text", (c) => c.notNull())
    .addColumn("removed_by", "integer", (c) => c.references("users.id"))
    .addColumn("removed_at", "text")
    .execute();
  await sql`CREATE UNIQUE INDEX codings_current ON codings (response_id, theme_code, pass) WHERE removed_at IS NULL`.execute(db);
  await sql`CREATE INDEX codings_by_consultation ON codings (consultation_id, theme_code, pass) WHERE removed_at IS NULL`.execute(db);
  await sql`CREATE INDEX codings_by_theme ON codings (theme_code, id) WHERE removed_at IS NULL`.execute(db);
  await sql`CREATE TRIGGER codings_kept BEFORE UPDATE OF response_id, consultation_id, theme_code, pass, stance, evidence_rich, origin, coded_by, coded_at ON codings
    BEGIN SELECT RAISE(ABORT, 'a coding is never rewritten: remove it and code again'); END`.execute(db);
  await sql`CREATE TRIGGER codings_no_delete BEFORE DELETE ON codings BEGIN SELECT RAISE(ABORT, 'codings are kept'); END`.execute(db);

  // What each theme covers, for ranking themes against a response (BM25). body holds the
  // theme's title, description and the responses coded to it, as normalised terms.
  await sql`CREATE VIRTUAL TABLE theme_search USING fts5(theme_code UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);

  await db.schema
    .createTable("theme_decisions")
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id"))
    .addColumn("theme_code", "text", (c) => c.notNull().references("themes.code"))
    .addColumn("decision", "text", (c) => c.notNull().check(sql`decision in ('adopted', 'partly-adopted', 'not-adopted')`))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("decided_by", "integer", (c) => c.references("users.id"))
    .addColumn("decided_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("theme_decisions_pk", ["consultation_id", "theme_code"])
    .execute();

  // The engagement report as published: everything its pages and files show, fixed.
  await db.schema
    .createTable("consultation_reports")
    .addColumn("consultation_id", "text", (c) => c.primaryKey().references("consultations.id"))
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("published_by", "integer", (c) => c.references("users.id"))
    .addColumn("content_json", "text", (c) => c.notNull())
    .execute();
  await sql`CREATE TRIGGER consultation_reports_kept BEFORE UPDATE ON consultation_reports BEGIN SELECT RAISE(ABORT, 'a published report never changes'); END`.execute(db);
  await sql`CREATE TRIGGER consultation_reports_no_delete BEFORE DELETE ON consultation_reports BEGIN SELECT RAISE(ABORT, 'a published report never changes'); END`.execute(db);
  const reported = (column: "NEW" | "OLD") => `EXISTS (SELECT 1 FROM consultation_reports r WHERE r.consultation_id = ${column}.consultation_id)`;
  for (const [event, column] of [["INSERT", "NEW"], ["UPDATE", "OLD"], ["DELETE", "OLD"]] as const) {
    await sql
      .raw(
        `CREATE TRIGGER theme_decisions_reported_${event.toLowerCase()} BEFORE ${event} ON theme_decisions WHEN ${reported(column)}
        BEGIN SELECT RAISE(ABORT, 'decisions are fixed once the report is published'); END`,
      )
      .execute(db);
  }

  // A change note may cite responses as well as themes; sealed with its version.
  await db.schema
    .createTable("change_note_responses")
    .addColumn("version_id", "integer", (c) => c.notNull().references("versions.id"))
    .addColumn("clause_id", "text", (c) => c.notNull())
    .addColumn("response_id", "integer", (c) => c.notNull().references("consultation_responses.id"))
    .addPrimaryKeyConstraint("change_note_responses_pk", ["version_id", "clause_id", "response_id"])
    .execute();
  await db.schema.createIndex("change_note_responses_by_response").on("change_note_responses").column("response_id").execute();
  const sealed = (column: "NEW" | "OLD") => `(SELECT sealed_at FROM versions WHERE id = ${column}.version_id) IS NOT NULL`;
  for (const [event, when] of [["insert", sealed("NEW")], ["update", `${sealed("OLD")} OR ${sealed("NEW")}`], ["delete", sealed("OLD")]] as const) {
    await sql
      .raw(
        `CREATE TRIGGER change_note_responses_sealed_${event} BEFORE ${event.toUpperCase()} ON change_note_responses WHEN ${when}
        BEGIN SELECT RAISE(ABORT, 'what an approved or published version shows cannot change'); END`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS theme_search`.execute(db);
  for (const table of [
    "change_note_responses",
    "consultation_reports",
    "theme_decisions",
    "codings",
    "response_clause_comments",
    "response_answers",
    "consultation_responses",
    "response_imports",
    "consultation_questions",
    "consultation_audiences",
    "consultation_events",
    "consultations",
    "audiences",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
