// Consultations from the library's files: created once (a file given again changes nothing),
// with their sample responses coded to themes and their decisions, for a new database.
import type { ConsultationFile } from "~/domain/consultation-file";
import { inDoubleCodingSample } from "~/domain/consultations";
import { sampleResponses, type SampleCoding } from "~/domain/sample-responses";
import type { Db } from "./db.server";
import { now } from "./db.server";
import { recordAudit } from "./audit.server";
import { createConsultation, getConsultation } from "./consultations.server";
import { storeResponses } from "./consultation-responses.server";
import { rebuildAllThemeSearch } from "./codings.server";
import { publishReport } from "./reports.server";

/** The two accounts the sample's codings are attributed to; they cannot sign in. */
const SAMPLE_CODERS = [
  { email: "sample-coder-1@specwork.invalid", name: "Sample coder (first coding)" },
  { email: "sample-coder-2@specwork.invalid", name: "Sample coder (second coding)" },
];

async function sampleCoder(db: Db, index: 0 | 1): Promise<number> {
  const account = SAMPLE_CODERS[index]!;
  const existing = await db.selectFrom("users").select("id").where("email", "=", account.email).executeTakeFirst();
  if (existing) return existing.id;
  const at = now();
  return (await db.insertInto("users").values({ email: account.email, name: account.name, role: "editor", password_hash: "!disabled", created_at: at, disabled_at: at }).returning("id").executeTakeFirstOrThrow()).id;
}

/**
 * Imports a consultation file inside the library import's transaction. Returns whether it was new.
 * `clausesByTheme`: the clauses each theme touches (from the theme register), for the sample's
 * clause comments.
 */
export async function importConsultationFile(db: Db, file: ConsultationFile, clausesByTheme: ReadonlyMap<string, readonly string[]>): Promise<boolean> {
  const c = file.consultation;
  if (await getConsultation(db, c.id)) return false;
  await createConsultation(db, null, { id: c.id, slug: c.slug, versionNumber: c.version, fields: c.fields, events: c.events, audiences: c.audiences, questions: c.questions, otherFormatCount: c.otherFormatCount });
  if (file.sample) await storeSample(db, file, file.sample, clausesByTheme);
  for (const d of file.decisions) {
    await db.insertInto("theme_decisions").values({ consultation_id: c.id, theme_code: d.theme, decision: d.decision, reason: d.reason, decided_by: null, decided_at: c.fields.closesAt }).execute();
  }
  if (file.publishReport) await publishReport(db, null, c.id, file.reportPublishedAt ? new Date(file.reportPublishedAt) : new Date());
  return true;
}

async function storeSample(db: Db, file: ConsultationFile, sample: { responses: number; seed: number }, byTheme: ReadonlyMap<string, readonly string[]>): Promise<void> {
  const c = file.consultation;
  const consultation = (await getConsultation(db, c.id))!;
  const themes = await db.selectFrom("themes").select("code").execute();
  const known = new Set(themes.map((t) => t.code));
  const clauses = new Set((await db.selectFrom("version_items").select("item_id").where("version_id", "=", consultation.versionId).where("kind", "=", "clause").execute()).map((r) => r.item_id));
  const clausesByTheme = themeClauses(byTheme, clauses);
  const responses = sampleResponses({ seed: sample.seed, count: sample.responses, opensAt: c.fields.opensAt, closesAt: c.fields.closesAt, questions: c.questions, clausesByTheme });
  const { references } = await storeResponses(db, c.id, responses.map((r) => r.input));
  const ids = new Map((await db.selectFrom("consultation_responses").select(["id", "reference"]).where("consultation_id", "=", c.id).execute()).map((r) => [r.reference, r.id]));
  const [first, second] = [await sampleCoder(db, 0), await sampleCoder(db, 1)];
  const rows: { response_id: number; consultation_id: string; theme_code: string; pass: 1 | 2; stance: SampleCoding["stance"]; evidence_rich: 0 | 1; origin: SampleCoding["origin"]; coded_by: number; coded_at: string; removed_by: null; removed_at: null }[] = [];
  for (const [index, response] of responses.entries()) {
    const id = ids.get(references[index]!)!;
    const codedAt = new Date(Math.min(Date.parse(c.fields.closesAt) + 14 * 86_400_000, Date.parse(response.input.submittedAt) + 7 * 86_400_000)).toISOString();
    const row = (coding: SampleCoding, pass: 1 | 2, coder: number) => ({ response_id: id, consultation_id: c.id, theme_code: coding.theme, pass, stance: coding.stance, evidence_rich: coding.evidenceRich ? (1 as const) : (0 as const), origin: coding.origin, coded_by: coder, coded_at: codedAt, removed_by: null, removed_at: null });
    for (const coding of response.codings) if (known.has(coding.theme)) rows.push(row(coding, 1, first));
    if (inDoubleCodingSample(id, consultation.doubleCodePercent)) for (const coding of response.secondCodings) if (known.has(coding.theme)) rows.push(row(coding, 2, second));
    if (response.approved) await db.updateTable("consultation_responses").set({ moderation: "approved", moderated_at: codedAt }).where("id", "=", id).execute();
  }
  for (let i = 0; i < rows.length; i += 200) await db.insertInto("codings").values(rows.slice(i, i + 200)).execute();
  await rebuildAllThemeSearch(db);
  await recordAudit(db, { actor: { id: null, email: "specwork seed" }, action: "responses.sample", objectType: "consultation", objectId: c.id, details: { responses: responses.length, codings: rows.length } });
}

function themeClauses(byTheme: ReadonlyMap<string, readonly string[]>, present: Set<string>): Record<string, string[]> {
  return Object.fromEntries([...byTheme].map(([code, ids]) => [code, ids.filter((id) => present.has(id))]));
}
