// A version's responses to the themes, imported from a file: change notes with their themes,
// theme outcomes, and annotations. Re-importing adds nothing already there, and nothing a sealed
// (approved or published) version shows can change.
import { invalid } from "~/domain/errors";
import type { Db } from "./db.server";
import { now } from "./db.server";
import { addAnnotation } from "./annotations.server";
import { recordAudit } from "./audit.server";
import { recordNoteWriter } from "./contributions.server";
import { changeNotes, themeOutcomes } from "./themes.server";
import { systemUserId } from "./users.server";
import { findVersion } from "./versions.server";
import { canonicalJson } from "~/domain/hashing";
import type { Responses } from "~/domain/responses";

export interface ResponsesOutcome {
  /** Change notes and theme outcomes stored now. */
  stored: number;
  /** Those the database already held, word for word. */
  present: number;
  annotations: number;
}

/**
 * Imports a version's responses. On a version not yet sealed, the file's notes and outcomes are
 * stored (a note already there is replaced by the file's). On a sealed version (approved or
 * published) nothing may change: each must already be stored word for word, or the whole import
 * is refused, naming what differs.
 */
export async function importResponses(db: Db, responses: Responses): Promise<ResponsesOutcome> {
  const version = await findVersion(db, responses.slug, responses.version);
  if (!version) throw invalid(`responses name version ${responses.version} of ${responses.slug}, which is not stored`);
  const parent = version.parent_id ? await db.selectFrom("versions").select("content_json").where("id", "=", version.parent_id).executeTakeFirst() : undefined;
  const ids = new Set([...JSON.stringify(version.doc).matchAll(/"id":"([a-z0-9-]+)"/g), ...(parent ? parent.content_json.matchAll(/"id":"([a-z0-9-]+)"/g) : [])].map((m) => m[1]!));
  const themes = new Set((await db.selectFrom("themes").select("code").execute()).map((t) => t.code));
  const problems: string[] = [];
  for (const change of responses.changes) {
    if (!ids.has(change.clauseId)) problems.push(`change note for “${change.clauseId}”: no such clause in version ${responses.version} or its parent`);
    for (const code of change.themes) if (!themes.has(code)) problems.push(`change note for “${change.clauseId}”: unknown theme ${code}`);
  }
  for (const outcome of responses.outcomes) if (!themes.has(outcome.theme)) problems.push(`outcome: unknown theme ${outcome.theme}`);
  if (problems.length) throw invalid(problems.join("\n"));

  const storedNotes = await changeNotes(db, version.id);
  const storedOutcomes = await themeOutcomes(db, version.id);
  const sameNote = (change: Responses["changes"][number]) => {
    const note = storedNotes.get(change.clauseId);
    return note !== undefined && note.rationale === change.rationale && canonicalJson([...new Set(change.themes)].sort()) === canonicalJson(note.themes);
  };
  const newNotes = responses.changes.filter((change) => !sameNote(change));
  const newOutcomes = responses.outcomes.filter((o) => storedOutcomes.get(o.theme) !== o.outcome);
  const newSummary = responses.summary !== undefined && responses.summary !== version.summary ? responses.summary : null;
  if (version.sealed_at && (newNotes.length || newOutcomes.length || newSummary !== null)) {
    const what = [
      ...(newSummary !== null ? ["the summary of the revision differs from the one stored"] : []),
      ...newNotes.map((c) => `the change note for “${c.clauseId}” ${storedNotes.has(c.clauseId) ? "differs from the one stored" : "is not stored"}`),
      ...newOutcomes.map((o) => `the outcome for ${o.theme} ${storedOutcomes.has(o.theme) ? "differs from the one stored" : "is not stored"}`),
    ];
    throw invalid(
      what.map((w) => `version ${responses.version} of ${responses.slug} is ${version.status}, so what it shows cannot change: ${w}`).join("\n"),
    );
  }

  const system = await systemUserId(db);
  for (const change of newNotes) {
    await db.deleteFrom("change_note_themes").where("version_id", "=", version.id).where("clause_id", "=", change.clauseId).execute();
    await db
      .insertInto("change_notes")
      .values({ version_id: version.id, clause_id: change.clauseId, rationale: change.rationale, updated_by: system, updated_at: now() })
      .onConflict((oc) => oc.columns(["version_id", "clause_id"]).doUpdateSet({ rationale: change.rationale, updated_by: system, updated_at: now() }))
      .execute();
    for (const code of new Set(change.themes)) {
      await db.insertInto("change_note_themes").values({ version_id: version.id, clause_id: change.clauseId, theme_code: code }).execute();
    }
    await recordNoteWriter(db, version.id, system, change.clauseId);
  }
  for (const outcome of newOutcomes) {
    await db
      .insertInto("theme_outcomes")
      .values({ version_id: version.id, theme_code: outcome.theme, outcome: outcome.outcome })
      .onConflict((oc) => oc.columns(["version_id", "theme_code"]).doUpdateSet({ outcome: outcome.outcome }))
      .execute();
  }
  if (newSummary !== null) await db.updateTable("versions").set({ summary: newSummary }).where("id", "=", version.id).execute();
  let annotations = 0;
  for (const note of responses.annotations) {
    const on = await findVersion(db, responses.slug, note.version);
    if (!on) throw invalid(`annotation on version ${note.version}, which is not stored`);
    const already = await db.selectFrom("annotations").select("id").where("version_id", "=", on.id).where("clause_id", "=", note.clauseId).where("body", "=", note.body).executeTakeFirst();
    if (already) continue;
    await addAnnotation(db, { id: on.id, doc: on.doc, slug: responses.slug, number: on.number }, { id: null, name: note.author, email: "system" }, { clauseId: note.clauseId, quote: note.quote ?? null, kind: note.kind, body: note.body, visibility: note.visibility, themes: note.themes });
    annotations++;
  }
  const stored = newNotes.length + newOutcomes.length;
  const present = responses.changes.length + responses.outcomes.length - stored;
  if (stored || newSummary !== null) {
    await recordAudit(db, { actor: { id: null, email: "system" }, action: "responses.import", objectType: "version", objectId: String(version.id), slug: responses.slug, version: responses.version, details: { stored, present, ...(newSummary !== null ? { summary: true } : {}) } });
  }
  return { stored, present, annotations };
}
