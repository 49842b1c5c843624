// The consultation, response and coding commands on a real database: their rules, their audit
// entries, and the triggers that keep published and coded history.
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { freshDatabase, snapshot } from "./database";
import { seedIfEmpty } from "~/models/library.server";
import type { PublicUser } from "~/models/users.server";
import { addAudience, createConsultation, getConsultation, listAudiences, listConsultations, openConsultationsOn, updateConsultation } from "~/models/consultations.server";
import { forgetRespondents, RateLimited, storeResponses, submitResponse, moderateResponse } from "~/models/consultation-responses.server";
import { codeResponse, uncodeResponse } from "~/models/codings.server";
import type { ResponseInput } from "~/domain/consultations";
import { DomainError } from "~/domain/errors";
import { PERSONAL_DETAILS_KEPT_DAYS, RESPONSES_PER_ADDRESS_PER_HOUR } from "~/domain/consultations";

const SPECS = path.resolve("specs");
const SLUG = "adult-external-beam-radiotherapy";

async function seeded() {
  const { db } = await freshDatabase();
  await seedIfEmpty(db, SPECS);
  // Accounts straight into the table: hashing real passwords would only slow the tests down.
  const user = async (email: string, role: PublicUser["role"]): Promise<PublicUser> =>
    db.insertInto("users").values({ email, name: email, role, password_hash: "!", created_at: "2026-01-01T00:00:00.000Z", disabled_at: null }).returning(["id", "email", "name", "role", "created_at", "disabled_at"]).executeTakeFirstOrThrow();
  const commissioner = await user("c@example.nhs.uk", "commissioner");
  const editor = await user("e@example.nhs.uk", "editor");
  const editor2 = await user("e2@example.nhs.uk", "editor");
  return { db, commissioner, editor, editor2 };
}

const OPEN_NOW = { opensAt: new Date(Date.now() - 86_400_000).toISOString(), closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString() };

async function openConsultation(db: Awaited<ReturnType<typeof seeded>>["db"], user: PublicUser, window = OPEN_NOW, id = "open-now") {
  await createConsultation(db, user, {
    id,
    slug: SLUG,
    versionNumber: "1.0",
    fields: { title: "Open now", kind: "consultation", summary: "A summary.", whyItMatters: "It matters.", ...window },
    events: [],
    audiences: ["patients-public", "carers"],
    questions: [
      { id: "q1", text: "Do you agree?", kind: "agree-scale", itemId: null },
      { id: "q2", text: "Tell us more", kind: "free-text", itemId: "network-arrangements" },
    ],
  });
  return id;
}

const response = (over: Partial<ResponseInput> = {}): ResponseInput => ({
  channel: "online",
  source: "form",
  capacity: "individual",
  organisation: null,
  respondentName: "Ada Example",
  audienceCode: "carers",
  audienceText: null,
  email: "ada@example.org",
  consent: "anonymous",
  submittedAt: new Date().toISOString(),
  answers: [{ questionId: "q1", scale: "agree", text: "Mostly right." }],
  comments: [{ clauseId: "travel-transport-accommodation", start: null, end: null, quote: null, prefix: null, suffix: null, body: "Parking costs." }],
  ...over,
});

async function refused(promise: Promise<unknown>, kind: string, words: RegExp) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).kind).toBe(kind);
  expect((error as Error).message).toMatch(words);
}

describe("the seeded consultations", () => {
  it("hold the 2016 engagement on 0.9, with its events and sample, and the 2017 consultation on 1.0", async () => {
    const { db } = await seeded();
    const engagement = (await getConsultation(db, "radiotherapy-engagement-2016"))!;
    expect(engagement.versionNumber).toBe("0.9");
    expect(engagement.events.map((e) => e.place)).toEqual(["Online", "Birmingham", "Leeds", "Reading", "London"]);
    expect(engagement.audiences.map((a) => a.code)).toContain("specialised-commissioning");
    const later = (await getConsultation(db, "radiotherapy-consultation-2017"))!;
    expect([later.versionNumber, later.parentNumber, later.otherFormatCount]).toEqual(["1.0", "0.9", 675]);
    expect((await listConsultations(db)).map((c) => c.id)).toEqual(["radiotherapy-consultation-2017", "radiotherapy-engagement-2016"]);
    const counts = (await sql<{ n: number; themes: number }>`SELECT count(DISTINCT response_id) n, count(DISTINCT theme_code) themes FROM codings WHERE pass = 1`.execute(db)).rows[0]!;
    expect(counts).toEqual({ n: 360, themes: 15 });
  });
});

describe("the audience lists", () => {
  it("refuse a name that differs from one kept only in case, in any alphabet, on either database", async () => {
    const { db } = await freshDatabase();
    const admin: PublicUser = await db.insertInto("users").values({ email: "a@example.nhs.uk", name: "Admin", role: "admin", password_hash: "!", created_at: "2026-01-01T00:00:00.000Z", disabled_at: null }).returning(["id", "email", "name", "role", "created_at", "disabled_at"]).executeTakeFirstOrThrow();
    await addAudience(db, admin, { code: "arzte", name: "Ärzte", list: "audience" });
    const refused = async (code: string, name: string) => {
      const error = await addAudience(db, admin, { code, name, list: "audience" }).then(() => null, (e: unknown) => e);
      expect(error, name).toBeInstanceOf(DomainError);
      expect((error as DomainError).message).toBe(`there is already an audience called ${name}`);
    };
    await refused("arzte-2", "ärzte");
    await refused("arzte-3", "ÄRZTE");
    await refused("carers-2", "CARERS");
    await refused("arzte", "Doctors");
    await addAudience(db, admin, { code: "doctors", name: "Doctors", list: "audience" });
    expect((await listAudiences(db)).filter((a) => ["arzte", "doctors"].includes(a.code) || a.code.startsWith("arzte")).map((a) => a.name)).toEqual(["Ärzte", "Doctors"]);
  });
});

describe("running a consultation", () => {
  it("is for commissioners, on a published version", async () => {
    const { db, editor, commissioner } = await seeded();
    await refused(openConsultation(db, editor), "forbidden", /commissioner/);
    const draft = await db.selectFrom("versions").select("number").where("status", "=", "draft").executeTakeFirst();
    if (draft) {
      await refused(
        createConsultation(db, commissioner, { id: "on-draft", slug: SLUG, versionNumber: draft.number, fields: { title: "T", kind: "engagement", summary: "S", whyItMatters: "W", ...OPEN_NOW }, events: [], audiences: [], questions: [] }),
        "invalid",
        /not published/,
      );
    }
    await refused(
      createConsultation(db, commissioner, { id: "bad-clause", slug: SLUG, versionNumber: "1.0", fields: { title: "T", kind: "engagement", summary: "S", whyItMatters: "W", ...OPEN_NOW }, events: [], audiences: [], questions: [{ id: "q1", text: "Q", kind: "free-text", itemId: "no-such-clause" }] }),
      "invalid",
      /no section or clause no-such-clause/,
    );
  });

  it("freezes the questions and the opening date once it opens, but may close later", async () => {
    const { db, commissioner } = await seeded();
    const id = await openConsultation(db, commissioner);
    const current = (await getConsultation(db, id))!;
    const base = { fields: { title: current.title, kind: current.kind, summary: current.summary, whyItMatters: current.whyItMatters, opensAt: current.opensAt, closesAt: current.closesAt }, events: [], audiences: ["carers"], questions: current.questions };
    const before = await snapshot(db);
    await refused(updateConsultation(db, commissioner, id, { ...base, questions: [...current.questions, { id: "q3", text: "New?", kind: "free-text", itemId: null }] }), "conflict", /questions are frozen/);
    await refused(updateConsultation(db, commissioner, id, { ...base, fields: { ...base.fields, opensAt: new Date().toISOString() } }), "conflict", /opening date/);
    expect(await snapshot(db)).toEqual(before);
    const later = new Date(Date.parse(current.closesAt) + 86_400_000).toISOString();
    await updateConsultation(db, commissioner, id, { ...base, fields: { ...base.fields, closesAt: later } });
    expect((await getConsultation(db, id))!.closesAt).toBe(later);
  });

  it("lets questions change before it opens", async () => {
    const { db, commissioner } = await seeded();
    const window = { opensAt: new Date(Date.now() + 86_400_000).toISOString(), closesAt: new Date(Date.now() + 9 * 86_400_000).toISOString() };
    const id = await openConsultation(db, commissioner, window, "soon");
    const c = (await getConsultation(db, id))!;
    await updateConsultation(db, commissioner, id, { fields: { title: c.title, kind: c.kind, summary: c.summary, whyItMatters: c.whyItMatters, ...window }, events: [], audiences: [], questions: [{ id: "q1", text: "Only this one", kind: "free-text", itemId: null }] });
    expect((await getConsultation(db, id))!.questions.map((q) => q.text)).toEqual(["Only this one"]);
  });
});

describe("responding", () => {
  it("stores a response while open, with a reference, and logs no personal data", async () => {
    const { db, commissioner } = await seeded();
    const id = await openConsultation(db, commissioner);
    const version = (await getConsultation(db, id))!.versionId;
    expect((await openConsultationsOn(db, version)).map((c) => c.id)).toEqual([id]);
    const reference = await submitResponse(db, id, response(), { addressHash: "h1" });
    expect(reference).toMatch(/^RT-/);
    const stored = await db.selectFrom("consultation_responses").selectAll().where("reference", "=", reference).executeTakeFirstOrThrow();
    expect([stored.email, stored.moderation, stored.consent]).toEqual(["ada@example.org", "pending", "anonymous"]);
    const audit = await db.selectFrom("audit_log").select(["details", "actor", "object_id"]).where("action", "=", "response.submit").execute();
    expect(JSON.stringify(audit)).not.toMatch(/ada@example|Ada Example|Mostly right|Parking costs/);
  });

  it("refuses a closed or upcoming consultation, unknown questions and clauses, and storing nothing", async () => {
    const { db, commissioner } = await seeded();
    const id = await openConsultation(db, commissioner);
    const before = await snapshot(db);
    await refused(submitResponse(db, "radiotherapy-engagement-2016", response(), { addressHash: null }), "conflict", /closed/);
    await refused(submitResponse(db, id, response({ answers: [{ questionId: "q9", scale: null, text: "x" }] }), { addressHash: null }), "invalid", /no question q9/);
    await refused(submitResponse(db, id, response({ comments: [{ clauseId: "nope", start: null, end: null, quote: null, prefix: null, suffix: null, body: "x" }] }), { addressHash: null }), "invalid", /not in this version/);
    expect(await snapshot(db)).toEqual(before);
  });

  it("limits how many responses one address sends in an hour", async () => {
    const { db, commissioner } = await seeded();
    const id = await openConsultation(db, commissioner);
    for (let i = 0; i < RESPONSES_PER_ADDRESS_PER_HOUR; i++) await submitResponse(db, id, response(), { addressHash: "busy" });
    await expect(submitResponse(db, id, response(), { addressHash: "busy" })).rejects.toBeInstanceOf(RateLimited);
    await submitResponse(db, id, response(), { addressHash: "another" });
  });

  it("keeps the scrambled address only for the hour the limit counts, as the privacy notice says", async () => {
    const { db, commissioner } = await seeded();
    const id = await openConsultation(db, commissioner);
    const first = await submitResponse(db, id, response(), { addressHash: "kept-briefly" });
    const hashOf = async (reference: string) => (await db.selectFrom("consultation_responses").select("address_hash").where("reference", "=", reference).executeTakeFirstOrThrow()).address_hash;
    expect(await hashOf(first)).toBe("kept-briefly");
    const later = await submitResponse(db, id, response(), { addressHash: "someone-else", at: new Date(Date.now() + 2 * 3_600_000) });
    expect(await hashOf(first)).toBeNull();
    expect(await hashOf(later)).toBe("someone-else");
  });

  it("stores a keyed response once, however often it is given", async () => {
    const { db, commissioner } = await seeded();
    const id = await openConsultation(db, commissioner);
    const inputs = [response(), response(), response()];
    const first = await storeResponses(db, id, inputs, { keys: ["id:1", "id:2", "id:1"] });
    expect([first.imported, first.present]).toEqual([2, 1]);
    const again = await storeResponses(db, id, inputs, { keys: ["id:1", "id:2", "id:3"] });
    expect([again.imported, again.present]).toEqual([1, 2]);
  });
});

describe("forgetting who responded", () => {
  it("clears names, emails and organisations two years after a consultation closes, keeping the answers and codings", async () => {
    const { db, commissioner } = await seeded();
    const id = await openConsultation(db, commissioner);
    await submitResponse(db, id, response({ capacity: "organisation", organisation: "Fenmarsh Group" }), { addressHash: "h" });
    const engagement = "radiotherapy-engagement-2016";
    const closes = Date.parse((await getConsultation(db, engagement))!.closesAt);
    const personal = async (consultation: string) =>
      (await sql<{ n: number }>`SELECT count(*) n FROM consultation_responses WHERE consultation_id = ${consultation} AND (email IS NOT NULL OR respondent_name IS NOT NULL OR organisation IS NOT NULL OR address_hash IS NOT NULL)`.execute(db)).rows[0]!.n;
    const kept = async () => (await sql<{ a: number; c: number }>`SELECT (SELECT count(*) FROM response_answers) a, (SELECT count(*) FROM codings) c`.execute(db)).rows[0]!;
    const before = await kept();
    expect(await personal(engagement)).toBeGreaterThan(0);
    // A day short of two years: nothing is forgotten yet.
    expect(await forgetRespondents(db, new Date(closes + (PERSONAL_DETAILS_KEPT_DAYS - 1) * 86_400_000))).toBe(0);
    const forgotten = await forgetRespondents(db, new Date(closes + (PERSONAL_DETAILS_KEPT_DAYS + 1) * 86_400_000));
    expect(forgotten).toBeGreaterThan(0);
    expect(await personal(engagement)).toBe(0);
    expect(await personal(id)).toBe(1);
    expect(await kept()).toEqual(before);
    const audit = await db.selectFrom("audit_log").select("details").where("action", "=", "responses.forget").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ responses: forgotten });
    expect(await forgetRespondents(db, new Date(closes + (PERSONAL_DETAILS_KEPT_DAYS + 2) * 86_400_000))).toBe(0);
  });
});

describe("coding and moderation", () => {
  it("keeps every coding: a change removes the old one and adds a new one, each in the audit log", async () => {
    const { db, commissioner, editor, editor2 } = await seeded();
    const id = await openConsultation(db, commissioner);
    const reference = await submitResponse(db, id, response(), { addressHash: null });
    const responseId = (await db.selectFrom("consultation_responses").select("id").where("reference", "=", reference).executeTakeFirstOrThrow()).id;
    const change = { consultationId: id, responseId, themeCode: "T02", pass: 1 as const, stance: "opposes" as const, evidenceRich: false, origin: "suggestion" as const };
    await codeResponse(db, editor, change);
    await codeResponse(db, editor, { ...change, stance: "mixed", origin: "coder" });
    await uncodeResponse(db, editor, { consultationId: id, responseId, themeCode: "T02", pass: 1 });
    const rows = await db.selectFrom("codings").select(["stance", "origin", "removed_at"]).where("response_id", "=", responseId).orderBy("id").execute();
    expect(rows.map((r) => [r.stance, r.origin, r.removed_at !== null])).toEqual([["opposes", "suggestion", true], ["mixed", "suggestion", true]]);
    const actions = (await db.selectFrom("audit_log").select("action").where("object_id", "=", reference).orderBy("id").execute()).map((r) => r.action);
    expect(actions).toEqual(["response.submit", "coding.add", "coding.change", "coding.remove"]);
    await expect(sql`UPDATE codings SET stance = 'supports' WHERE response_id = ${responseId}`.execute(db)).rejects.toThrow(/never rewritten/);
    await expect(sql`DELETE FROM codings`.execute(db)).rejects.toThrow(/kept/);
    // A second coding is someone else's (here every response is in the sample).
    await db.updateTable("consultations").set({ double_code_percent: 100 }).where("id", "=", id).execute();
    await codeResponse(db, editor, change);
    await refused(codeResponse(db, editor, { ...change, pass: 2 }), "conflict", /someone other/);
    await codeResponse(db, editor2, { ...change, pass: 2 });
    await refused(codeResponse(db, commissioner, { ...change, themeCode: "T99" }), "invalid", /no theme T99/);
  });

  it("never approves for publication a response whose respondent said no", async () => {
    const { db, commissioner, editor } = await seeded();
    const id = await openConsultation(db, commissioner);
    const reference = await submitResponse(db, id, response({ consent: "none" }), { addressHash: null });
    const responseId = (await db.selectFrom("consultation_responses").select("id").where("reference", "=", reference).executeTakeFirstOrThrow()).id;
    await refused(moderateResponse(db, commissioner, id, responseId, "approved"), "conflict", /not to publish/);
    await refused(moderateResponse(db, editor, id, responseId, "rejected"), "forbidden", /commissioner/);
    await moderateResponse(db, commissioner, id, responseId, "rejected");
  });

  it("fixes decisions once the report is published, and the report itself", async () => {
    const { db } = await seeded();
    const c = "radiotherapy-consultation-2017";
    await db.insertInto("theme_decisions").values({ consultation_id: c, theme_code: "T01", decision: "adopted", reason: "R", decided_by: null, decided_at: "2018-02-01T00:00:00.000Z" }).execute();
    await db.insertInto("consultation_reports").values({ consultation_id: c, published_at: "2018-03-01T00:00:00.000Z", published_by: null, content_json: "{}" }).execute();
    await expect(sql`UPDATE theme_decisions SET reason = 'changed' WHERE consultation_id = ${c}`.execute(db)).rejects.toThrow(/fixed once the report/);
    await expect(sql`INSERT INTO theme_decisions (consultation_id, theme_code, decision, reason, decided_at) VALUES (${c}, 'T02', 'adopted', 'R', 'x')`.execute(db)).rejects.toThrow(/fixed once the report/);
    await expect(sql`UPDATE consultation_reports SET content_json = '[]'`.execute(db)).rejects.toThrow(/never changes/);
    await expect(sql`DELETE FROM consultation_reports`.execute(db)).rejects.toThrow(/never changes/);
  });
});
