// Responses to consultations: storing them (from the site's form, an import or the sample), in
// batches; reading them for staff; and moderation. A response is personal data: nothing here
// writes an email or a name to the audit log.
import { createHmac, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { conflict, forbidden, invalid, notFound } from "~/domain/errors";
import { can } from "~/domain/permissions";
import {
  consultationState,
  newReference,
  PERSONAL_DETAILS_KEPT_DAYS,
  RESPONSES_PER_ADDRESS_PER_HOUR,
  type ModerationStatus,
  type ResponseInput,
} from "~/domain/consultations";
import type { Db } from "./db.server";
import { inTransaction, now } from "./db.server";
import { recordAudit } from "./audit.server";
import type { PublicUser } from "./users.server";

const BATCH = 200;

export interface StoredResponses {
  imported: number;
  present: number;
  references: string[];
}

/**
 * Stores responses in batches. `keys[i]` is the idempotence key of inputs[i] ("id:…" or
 * "row:…"), or null; a key already stored (or given twice) counts as already present. Run it
 * inside the command's transaction.
 */
export async function storeResponses(
  db: Db,
  consultationId: string,
  inputs: readonly ResponseInput[],
  { keys = [], importId = null, addressHash = null }: { keys?: readonly (string | null)[]; importId?: number | null; addressHash?: string | null } = {},
  seen: Set<string> = new Set(),
): Promise<StoredResponses> {
  let imported = 0;
  let present = 0;
  const references: string[] = [];
  for (let start = 0; start < inputs.length; start += BATCH) {
    const batch = inputs.slice(start, start + BATCH).map((input, i) => ({ input, key: keys[start + i] ?? null }));
    const batchKeys = batch.map((b) => b.key).filter((k): k is string => k !== null);
    const stored = batchKeys.length
      ? new Set((await db.selectFrom("consultation_responses").select("external_key").where("consultation_id", "=", consultationId).where("external_key", "in", batchKeys).execute()).map((r) => r.external_key))
      : new Set<string | null>();
    const fresh = batch.filter((b) => {
      if (b.key === null) return true;
      if (stored.has(b.key) || seen.has(b.key)) return false;
      seen.add(b.key);
      return true;
    });
    present += batch.length - fresh.length;
    if (!fresh.length) continue;
    const refs = await freshReferences(db, fresh.length);
    const at = now();
    const rows = await db
      .insertInto("consultation_responses")
      .values(
        fresh.map(({ input, key }, i) => ({
          consultation_id: consultationId,
          reference: refs[i]!,
          channel: input.channel,
          source: input.source,
          import_id: importId,
          external_key: key,
          capacity: input.capacity,
          organisation: input.organisation,
          respondent_name: input.respondentName,
          audience_code: input.audienceCode,
          audience_text: input.audienceText,
          email: input.email,
          consent: input.consent,
          submitted_at: input.submittedAt,
          created_at: at,
          address_hash: addressHash,
        })),
      )
      .returning(["id", "reference"])
      .execute();
    const idOf = new Map(rows.map((r) => [r.reference, r.id]));
    const answers = fresh.flatMap(({ input }, i) => input.answers.filter((a) => a.scale !== null || (a.text !== null && a.text !== "")).map((a) => ({ response_id: idOf.get(refs[i]!)!, question_id: a.questionId, scale: a.scale, text: a.text || null })));
    for (let j = 0; j < answers.length; j += BATCH) await db.insertInto("response_answers").values(answers.slice(j, j + BATCH)).execute();
    const comments = fresh.flatMap(({ input }, i) =>
      input.comments.map((c, position) => ({ response_id: idOf.get(refs[i]!)!, clause_id: c.clauseId, start: c.start, end: c.end, quote: c.quote, prefix: c.prefix, suffix: c.suffix, body: c.body, position })),
    );
    for (let j = 0; j < comments.length; j += BATCH) await db.insertInto("response_clause_comments").values(comments.slice(j, j + BATCH)).execute();
    imported += fresh.length;
    references.push(...refs);
  }
  return { imported, present, references };
}

/** References not yet taken (drawn at random; a clash is drawn again). */
async function freshReferences(db: Db, count: number): Promise<string[]> {
  const out = new Set<string>();
  while (out.size < count) {
    const drawn = Array.from({ length: count - out.size }, () => newReference((n) => randomBytes(n)));
    const taken = new Set((await db.selectFrom("consultation_responses").select("reference").where("reference", "in", drawn).execute()).map((r) => r.reference));
    for (const ref of drawn) if (!taken.has(ref)) out.add(ref);
  }
  return [...out];
}

/**
 * Takes a response from the site's form: only while the consultation is open, and only a few
 * an hour from one address. Returns the reference number the respondent is given.
 */
export async function submitResponse(db: Db, consultationId: string, input: ResponseInput, { addressHash, at = new Date() }: { addressHash: string | null; at?: Date }): Promise<string> {
  return inTransaction(db, async (trx) => {
    const consultation = await trx.selectFrom("consultations").select(["id", "opens_at", "closes_at", "version_id"]).where("id", "=", consultationId).executeTakeFirst();
    if (!consultation) throw notFound("there is no such consultation");
    const state = consultationState({ opensAt: consultation.opens_at, closesAt: consultation.closes_at }, at);
    if (state !== "open") throw conflict(state === "upcoming" ? "this consultation has not opened yet" : "this consultation has closed, so it no longer takes responses");
    const since = new Date(at.getTime() - 3_600_000).toISOString();
    // The hash is kept only for the hour the limit counts: afterwards it would only link one
    // sender's responses to each other.
    await trx.updateTable("consultation_responses").set({ address_hash: null }).where("address_hash", "is not", null).where("created_at", "<=", since).execute();
    if (addressHash) {
      const recent = await trx.selectFrom("consultation_responses").select(sql<number>`count(*)`.as("n")).where("address_hash", "=", addressHash).where("created_at", ">", since).executeTakeFirstOrThrow();
      if (recent.n >= RESPONSES_PER_ADDRESS_PER_HOUR) throw new RateLimited();
    }
    const questions = new Set((await trx.selectFrom("consultation_questions").select("id").where("consultation_id", "=", consultationId).execute()).map((q) => q.id));
    const unknown = input.answers.filter((a) => !questions.has(a.questionId));
    if (unknown.length) throw invalid(`the consultation has no question ${unknown[0]!.questionId}`);
    const clauseIds = [...new Set(input.comments.map((c) => c.clauseId))];
    if (clauseIds.length) {
      const found = new Set((await trx.selectFrom("version_items").select("item_id").where("version_id", "=", consultation.version_id).where("kind", "=", "clause").where("item_id", "in", clauseIds).execute()).map((r) => r.item_id));
      const missing = clauseIds.filter((id) => !found.has(id));
      if (missing.length) throw invalid("a comment is on a clause that is not in this version");
    }
    const { references } = await storeResponses(trx, consultationId, [input], { addressHash });
    const reference = references[0]!;
    // No email, name or text in the log: only what kind of response arrived.
    await recordAudit(trx, { actor: { id: null, email: "public" }, action: "response.submit", objectType: "response", objectId: reference, details: { consultation: consultationId, capacity: input.capacity, consent: input.consent } });
    return reference;
  });
}

// The key lives only in this process: an address's hash cannot be linked to the address, or
// to the same address's hash after a restart (the hourly limit starts again then).
const ADDRESS_KEY = randomBytes(32);

/** What the hourly limit counts by: a keyed hash of the sender's address, never the address. */
export function addressHashOf(address: string): string {
  return createHmac("sha256", ADDRESS_KEY).update(address).digest("base64url");
}

/** A response was refused because its address sent too many in the last hour. */
export class RateLimited extends Error {
  constructor() {
    super("too many responses from this address in the last hour");
  }
}

/** Counts of a consultation's responses, for staff pages. */
export async function responseCounts(db: Db, consultationId: string): Promise<{ total: number; coded: number; pendingModeration: number }> {
  const row = await db
    .selectFrom("consultation_responses as r")
    .select([
      sql<number>`count(*)`.as("total"),
      sql<number>`sum(case when exists (select 1 from codings c where c.response_id = r.id and c.pass = 1 and c.removed_at is null) then 1 else 0 end)`.as("coded"),
      sql<number>`sum(case when r.moderation = 'pending' and r.consent <> 'none' then 1 else 0 end)`.as("pending"),
    ])
    .where("r.consultation_id", "=", consultationId)
    .executeTakeFirstOrThrow();
  return { total: row.total, coded: row.coded ?? 0, pendingModeration: row.pending ?? 0 };
}

/** Approves a response's words for publication (as its consent allows), or rejects them. */
export async function moderateResponse(db: Db, user: PublicUser, consultationId: string, id: number, status: Exclude<ModerationStatus, "pending">): Promise<void> {
  if (!can(user.role, "moderateResponses")) throw forbidden("only a commissioner moderates responses");
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("consultation_responses").select(["reference", "consent"]).where("id", "=", id).where("consultation_id", "=", consultationId).executeTakeFirst();
    if (!row) throw notFound("there is no such response");
    if (row.consent === "none" && status === "approved") throw conflict("this respondent asked us not to publish their response");
    await trx.updateTable("consultation_responses").set({ moderation: status, moderated_by: user.id, moderated_at: now() }).where("id", "=", id).execute();
    await recordAudit(trx, { actor: { id: user.id, email: user.email }, action: `response.moderate.${status}`, objectType: "response", objectId: row.reference, details: { consultation: consultationId } });
  });
}

/**
 * Forgets who responded to consultations that closed more than PERSONAL_DETAILS_KEPT_DAYS ago:
 * names, email addresses, organisation names and address hashes are cleared; the answers and
 * their coding stay, so the counts can still be checked. Returns how many responses it changed.
 */
export async function forgetRespondents(db: Db, at: Date = new Date()): Promise<number> {
  const before = new Date(at.getTime() - PERSONAL_DETAILS_KEPT_DAYS * 86_400_000).toISOString();
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable("consultation_responses")
      .set({ email: null, respondent_name: null, organisation: null, address_hash: null })
      .where("consultation_id", "in", (eb) => eb.selectFrom("consultations").select("consultations.id").where("consultations.closes_at", "<", before))
      .where((eb) => eb.or([eb("email", "is not", null), eb("respondent_name", "is not", null), eb("organisation", "is not", null), eb("address_hash", "is not", null)]))
      .executeTakeFirst();
    const changed = Number(result.numUpdatedRows ?? 0);
    if (changed) await recordAudit(trx, { actor: { id: null, email: "system" }, action: "responses.forget", objectType: "response", objectId: "personal details", details: { responses: changed, closedBefore: before } });
    return changed;
  });
}
