import { call, signIn } from "./app";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { ResponseInput } from "~/domain/consultations";
import { getDatabase } from "~/models/app-database.server";
import { moderateResponse, storeResponses } from "~/models/consultation-responses.server";
import { inTransaction } from "~/models/db.server";
import { findUserByEmail } from "~/models/users.server";
import * as compare from "~/routes/specs.$slug.compare.$range";
import * as clausePage from "~/routes/specs.$slug.clauses.$clauseId";
import * as draftPage from "~/routes/specs.$slug.drafts_.$draftId";
import { act, editClause, h, SLUG, startDraft } from "./drafting";

// A change note cites responses to the consultation on the version its draft started from, so a
// reader can go from what a person said about a clause to the change made to it.
const CLAUSE = "operating-hours";
const CONSULTATION = "radiotherapy-consultation-2017";

let editor: string;
let commissioner: string;
let quotable: string;
let private_: string;
let later: string;
let laterId: number;
let draftId: number;

function response(body: string, consent: ResponseInput["consent"]): ResponseInput {
  return {
    channel: "online",
    source: "form",
    capacity: "individual",
    organisation: null,
    respondentName: "Imogen Threlkeld",
    audienceCode: "carers",
    audienceText: null,
    email: "imogen@example.org",
    consent,
    submittedAt: "2017-11-02T09:00:00.000Z",
    answers: [],
    comments: [{ clauseId: CLAUSE, start: null, end: null, quote: null, prefix: null, suffix: null, body }],
  };
}

beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
  const db = await getDatabase();
  const { references } = await inTransaction(db, (trx) => storeResponses(trx, CONSULTATION, [response("Evening sessions would let me keep working through treatment.", "full"), response("My private words about opening hours.", "none")]));
  [quotable, private_] = references as [string, string];
  // Consent to publish, but not yet moderated when the version is published.
  later = (await inTransaction(db, (trx) => storeResponses(trx, CONSULTATION, [response("Weekend slots would suit my family far better.", "anonymous")]))).references[0]!;
  laterId = (await db.selectFrom("consultation_responses").select("id").where("reference", "=", later).executeTakeFirstOrThrow()).id;
  const row = (await findUserByEmail(db, "commissioner@example.nhs.uk"))!;
  const id = (await db.selectFrom("consultation_responses").select("id").where("reference", "=", quotable).executeTakeFirstOrThrow()).id;
  await moderateResponse(db, { id: row.id, email: row.email, name: row.name, role: row.role, created_at: row.created_at, disabled_at: null }, CONSULTATION, id, "approved");
  draftId = await startDraft(editor, "1.0");
  expect(await editClause(draftId, editor, CLAUSE, "Member sites offer treatment in the evening where patients need it.")).toBe(200);
});

const note = (responses: string) => ({ intent: "note", clauseId: CLAUSE, rationale: "Evening treatment, as respondents asked.", responses });

describe("a change note citing responses", () => {
  it("refuses what is not a reference number, or a response to another consultation, beside the field, storing nothing", async () => {
    const db = await getDatabase();
    const typo = await act(draftId, editor, note("RT-12"));
    expect(typo.status).toBe(400);
    expect((await typo.json()).note).toMatchObject({ clauseId: CLAUSE, field: "responses", error: expect.stringMatching(/not a response reference number/) });
    const engagement = (await db.selectFrom("consultation_responses").select("reference").where("consultation_id", "=", "radiotherapy-engagement-2016").executeTakeFirstOrThrow()).reference;
    const elsewhere = await act(draftId, editor, note(engagement));
    expect(elsewhere.status).toBe(400);
    expect((await elsewhere.json()).note).toMatchObject({ field: "responses", error: expect.stringMatching(/not a response to a consultation on the version this draft started from/) });
    expect(await db.selectFrom("change_note_responses").selectAll().execute()).toEqual([]);
  });

  it("stores the cited responses, typed in any case, and shows staff their references on the draft", async () => {
    const saved = await act(draftId, editor, note(`${quotable.toLowerCase()}, ${private_}, ${later}`));
    expect(saved.status).toBe(200);
    const page = await (await call(h(draftPage.loader), `/specs/${SLUG}/drafts/${draftId}`, { cookie: editor, params: { slug: SLUG, draftId: String(draftId) } })).json();
    const change = page.changes.find((c: { id: string }) => c.id === CLAUSE);
    expect(change.responses).toEqual([quotable, private_, later].sort());
  });

  it("once published, shows the public the words of a response that may be quoted, and only who sent one that may not", async () => {
    expect((await act(draftId, editor, { intent: "submit" })).status).toBe(302);
    expect((await act(draftId, commissioner, { intent: "approve" })).status).toBe(302);
    expect((await act(draftId, commissioner, { intent: "publish", label: "Revision", "date-day": "1", "date-month": "3", "date-year": "2018" })).status).toBe(302);
    const db = await getDatabase();
    const number = (await db.selectFrom("versions").select("number").where("id", "=", draftId).executeTakeFirstOrThrow()).number;
    const range = `1.0...${number}`;
    const page = await (await call(h(compare.loader), `/specs/${SLUG}/compare/${range}`, { params: { slug: SLUG, range } })).json();
    expect(page.reasons[CLAUSE][0].responses).toEqual([
      { text: "Evening sessions would let me keep working through treatment.", attribution: "Carers" },
      { text: null, attribution: "A response from carers" },
      { text: null, attribution: "A response from carers" },
    ]);
    const history = await (await call(h(clausePage.loader), `/specs/${SLUG}/clauses/${CLAUSE}`, { params: { slug: SLUG, clauseId: CLAUSE } })).json();
    const step = history.steps.find((s: { version: { number: string } }) => s.version.number === number);
    expect(step.note.responses).toHaveLength(3);
    const everything = JSON.stringify([page, history]);
    for (const secret of ["Imogen", "imogen@example.org", "My private words", "Weekend slots", quotable, private_, later]) expect(everything).not.toContain(secret);
  });

  it("keeps what the published version shows: words approved only after it was published are not added to it", async () => {
    const db = await getDatabase();
    const row = (await findUserByEmail(db, "commissioner@example.nhs.uk"))!;
    await moderateResponse(db, { id: row.id, email: row.email, name: row.name, role: row.role, created_at: row.created_at, disabled_at: null }, CONSULTATION, laterId, "approved");
    const number = (await db.selectFrom("versions").select("number").where("id", "=", draftId).executeTakeFirstOrThrow()).number;
    const range = `1.0...${number}`;
    const page = await (await call(h(compare.loader), `/specs/${SLUG}/compare/${range}`, { params: { slug: SLUG, range } })).json();
    expect(page.reasons[CLAUSE][0].responses.map((r: { text: string | null }) => r.text)).toEqual(["Evening sessions would let me keep working through treatment.", null, null]);
    const history = await (await call(h(clausePage.loader), `/specs/${SLUG}/clauses/${CLAUSE}`, { params: { slug: SLUG, clauseId: CLAUSE } })).json();
    expect(JSON.stringify(history)).not.toContain("Weekend slots");
  });

  it("is sealed with its version: no citation can be added or removed once it is published", async () => {
    const db = await getDatabase();
    await expect(sql`DELETE FROM change_note_responses WHERE version_id = ${draftId}`.execute(db)).rejects.toThrow(/cannot change/);
  });
});
