// Coding responses to themes: each coding change is one command with its audit entry; a coding
// is never rewritten (a change removes it and adds a new one). Each theme's search document is
// rebuilt when what is coded to it changes.
import { sql } from "kysely";
import { conflict, forbidden, invalid, notFound } from "~/domain/errors";
import { can } from "~/domain/permissions";
import { inDoubleCodingSample } from "~/domain/consultations";
import { indexText, type CodingOrigin, type CodingPass, type Stance } from "~/domain/coding";
import type { Db } from "./db.server";
import { inTransaction, now } from "./db.server";
import { recordAudit } from "./audit.server";
import { storeThemeDocument } from "./full-text.server";
import type { PublicUser } from "./users.server";

/** How many of a theme's most recent coded responses its search document holds. */
export const THEME_DOCUMENT_RESPONSES = 300;

export interface CodingChange {
  consultationId: string;
  responseId: number;
  themeCode: string;
  pass: CodingPass;
  stance: Stance;
  evidenceRich: boolean;
  origin: CodingOrigin;
}

/** Codes a response to a theme (or changes the stance or evidence of its current coding). */
export async function codeResponse(db: Db, user: PublicUser, change: CodingChange): Promise<void> {
  if (!can(user.role, "codeResponses")) throw forbidden("your role cannot code responses");
  return inTransaction(db, async (trx) => {
    const response = await trx.selectFrom("consultation_responses").select(["id", "reference"]).where("id", "=", change.responseId).where("consultation_id", "=", change.consultationId).executeTakeFirst();
    if (!response) throw notFound("there is no such response");
    const theme = await trx.selectFrom("themes").select("code").where("code", "=", change.themeCode).executeTakeFirst();
    if (!theme) throw invalid(`there is no theme ${change.themeCode}`);
    const current = await trx.selectFrom("codings").selectAll().where("response_id", "=", change.responseId).where("theme_code", "=", change.themeCode).where("pass", "=", change.pass).where("removed_at", "is", null).executeTakeFirst();
    if (current && current.stance === change.stance && Boolean(current.evidence_rich) === change.evidenceRich) return;
    if (change.pass === 2) {
      const consultation = await trx.selectFrom("consultations").select("double_code_percent").where("id", "=", change.consultationId).executeTakeFirstOrThrow();
      if (!inDoubleCodingSample(change.responseId, consultation.double_code_percent)) throw conflict("this response is not in the sample coded a second time");
      const firsts = await trx.selectFrom("codings").select("coded_by").where("response_id", "=", change.responseId).where("pass", "=", 1).where("removed_at", "is", null).execute();
      if (!firsts.length) throw conflict("a response is coded a second time only after its first coding");
      if (firsts.some((f) => f.coded_by === user.id)) throw conflict("a second coding must be made by someone other than the first coder");
    }
    const at = now();
    if (current) await trx.updateTable("codings").set({ removed_at: at, removed_by: user.id }).where("id", "=", current.id).execute();
    await trx
      .insertInto("codings")
      .values({
        response_id: change.responseId,
        consultation_id: change.consultationId,
        theme_code: change.themeCode,
        pass: change.pass,
        stance: change.stance,
        evidence_rich: change.evidenceRich ? 1 : 0,
        // Changing the stance of a suggested coding keeps where the theme came from.
        origin: current ? current.origin : change.origin,
        coded_by: user.id,
        coded_at: at,
        removed_by: null,
        removed_at: null,
      })
      .execute();
    if (change.pass === 1) await rebuildThemeSearch(trx, change.themeCode);
    await recordAudit(trx, {
      actor: { id: user.id, email: user.email },
      action: current ? "coding.change" : "coding.add",
      objectType: "response",
      objectId: response.reference,
      details: { consultation: change.consultationId, theme: change.themeCode, pass: change.pass, stance: change.stance, evidenceRich: change.evidenceRich, origin: change.origin, ...(current ? { was: { stance: current.stance, evidenceRich: Boolean(current.evidence_rich) } } : {}) },
    });
  });
}

/** Removes a response's coding to a theme. */
export async function uncodeResponse(db: Db, user: PublicUser, target: { consultationId: string; responseId: number; themeCode: string; pass: CodingPass }): Promise<void> {
  if (!can(user.role, "codeResponses")) throw forbidden("your role cannot code responses");
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom("codings")
      .innerJoin("consultation_responses", "consultation_responses.id", "codings.response_id")
      .select(["codings.id", "consultation_responses.reference"])
      .where("codings.response_id", "=", target.responseId)
      .where("codings.consultation_id", "=", target.consultationId)
      .where("codings.theme_code", "=", target.themeCode)
      .where("codings.pass", "=", target.pass)
      .where("codings.removed_at", "is", null)
      .executeTakeFirst();
    if (!current) return;
    await trx.updateTable("codings").set({ removed_at: now(), removed_by: user.id }).where("id", "=", current.id).execute();
    if (target.pass === 1) await rebuildThemeSearch(trx, target.themeCode);
    await recordAudit(trx, { actor: { id: user.id, email: user.email }, action: "coding.remove", objectType: "response", objectId: current.reference, details: { consultation: target.consultationId, theme: target.themeCode, pass: target.pass } });
  });
}

/** The text of a response that coding and suggestions read: its answers and clause comments. */
export function responseTextQuery(db: Db) {
  return db
    .selectFrom("consultation_responses as r")
    .select([
      "r.id",
      sql<string>`coalesce((select string_agg(a.text, ' ') from response_answers a where a.response_id = r.id), '') || ' ' || coalesce((select string_agg(c.body, ' ') from response_clause_comments c where c.response_id = r.id), '')`.as("text"),
    ]);
}

/**
 * Rewrites one theme's search document: its title and description (twice, so that they weigh
 * more) and the text of its most recent coded responses, as normalised terms.
 */
export async function rebuildThemeSearch(db: Db, themeCode: string): Promise<void> {
  const theme = await db.selectFrom("themes").select(["code", "title", "description"]).where("code", "=", themeCode).executeTakeFirst();
  if (!theme) return;
  const recent = await responseTextQuery(db)
    .where("r.id", "in", (eb) => eb.selectFrom("codings").select("response_id").where("theme_code", "=", themeCode).where("pass", "=", 1).where("removed_at", "is", null).orderBy("id", "desc").limit(THEME_DOCUMENT_RESPONSES))
    .execute();
  const head = indexText(`${theme.title} ${theme.description}`);
  const body = [head, head, ...recent.map((r) => indexText(r.text))].join(" ");
  await storeThemeDocument(db, themeCode, body);
}

/** Rebuilds every theme's search document (after a seed or a bulk change). */
export async function rebuildAllThemeSearch(db: Db): Promise<void> {
  for (const { code } of await db.selectFrom("themes").select("code").execute()) await rebuildThemeSearch(db, code);
}
