// A version's responses to the themes, imported from a file: change notes with their themes,
// theme outcomes, and annotations. Re-importing adds nothing that is already there.
import type { Db } from "./db.server";
import { now } from "./db.server";
import { addAnnotation } from "./annotations.server";
import { SYSTEM_EMAIL } from "./users.server";
import { findVersion } from "./versions.server";
import type { Responses } from "~/domain/responses";

/** The account that imported content is attributed to; it can never sign in. */
export async function systemUserId(db: Db): Promise<number> {
  const existing = await db.selectFrom("users").select("id").where("email", "=", SYSTEM_EMAIL).executeTakeFirst();
  if (existing) return existing.id;
  const row = await db
    .insertInto("users")
    .values({ email: SYSTEM_EMAIL, name: "Specwork import", role: "editor", password_hash: "!disabled", created_at: now(), disabled_at: now() })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export class ResponsesError extends Error {
  override name = "ResponsesError";
}

export async function importResponses(db: Db, responses: Responses): Promise<{ notes: number; annotations: number }> {
  const version = await findVersion(db, responses.slug, responses.version);
  if (!version) throw new ResponsesError(`responses name version ${responses.version} of ${responses.slug}, which is not stored`);
  const parent = version.parent_id ? await db.selectFrom("versions").select("content_json").where("id", "=", version.parent_id).executeTakeFirst() : undefined;
  const ids = new Set([...JSON.stringify(version.doc).matchAll(/"id":"([a-z0-9-]+)"/g), ...(parent ? parent.content_json.matchAll(/"id":"([a-z0-9-]+)"/g) : [])].map((m) => m[1]!));
  const themes = new Set((await db.selectFrom("themes").select("code").execute()).map((t) => t.code));
  const problems: string[] = [];
  for (const change of responses.changes) {
    if (!ids.has(change.clauseId)) problems.push(`change note for “${change.clauseId}”: no such clause in version ${responses.version} or its parent`);
    for (const code of change.themes) if (!themes.has(code)) problems.push(`change note for “${change.clauseId}”: unknown theme ${code}`);
  }
  for (const outcome of responses.outcomes) if (!themes.has(outcome.theme)) problems.push(`outcome: unknown theme ${outcome.theme}`);
  if (problems.length) throw new ResponsesError(problems.join("\n"));

  const system = await systemUserId(db);
  let notes = 0;
  for (const change of responses.changes) {
    const inserted = await db
      .insertInto("change_notes")
      .values({ version_id: version.id, clause_id: change.clauseId, rationale: change.rationale, updated_by: system, updated_at: now() })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    notes += Number(inserted.numInsertedOrUpdatedRows ?? 0);
    for (const code of change.themes) {
      await db.insertInto("change_note_themes").values({ version_id: version.id, clause_id: change.clauseId, theme_code: code }).onConflict((oc) => oc.doNothing()).execute();
    }
  }
  for (const outcome of responses.outcomes) {
    await db.insertInto("theme_outcomes").values({ version_id: version.id, theme_code: outcome.theme, outcome: outcome.outcome }).onConflict((oc) => oc.doNothing()).execute();
  }
  let annotations = 0;
  for (const note of responses.annotations) {
    const on = await findVersion(db, responses.slug, note.version);
    if (!on) throw new ResponsesError(`annotation on version ${note.version}, which is not stored`);
    const already = await db.selectFrom("annotations").select("id").where("version_id", "=", on.id).where("clause_id", "=", note.clauseId).where("body", "=", note.body).executeTakeFirst();
    if (already) continue;
    await addAnnotation(db, { id: on.id, doc: on.doc, slug: responses.slug, number: on.number }, { id: null, name: note.author, email: "system" }, { clauseId: note.clauseId, quote: note.quote ?? null, kind: note.kind, body: note.body, visibility: note.visibility, themes: note.themes });
    annotations++;
  }
  return { notes, annotations };
}
