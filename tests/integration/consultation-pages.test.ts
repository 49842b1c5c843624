// The public consultation pages and the response form, through their loaders and actions with
// real Requests: what a visitor sees, what is stored (and what is not), and every refusal.
import { call, type Handler } from "./app";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase } from "~/models/app-database.server";
import { createConsultation } from "~/models/consultations.server";
import { RESPONSES_PER_ADDRESS_PER_HOUR } from "~/domain/consultations";
import { fromLondon } from "~/domain/london-time";

const SLUG = "adult-external-beam-radiotherapy";
const OPEN = "test-open-consultation";
const UPCOMING = "test-upcoming-consultation";
const CLOSED = "radiotherapy-engagement-2016";

const list = async () => (await import("~/routes/consultations._index")).loader as unknown as Handler;
const page = async () => (await import("~/routes/consultations.$id._index")).loader as unknown as Handler;
const respond = async () => await import("~/routes/consultations.$id.respond");
const sent = async () => (await import("~/routes/consultations.$id.sent")).loader as unknown as Handler;

async function createOpen(id: string, opensAt: string, closesAt: string) {
  await createConsultation(await getDatabase(), null, {
    id,
    slug: SLUG,
    versionNumber: "1.0",
    fields: { title: `Test consultation ${id}`, kind: "consultation", summary: "We propose networks.", whyItMatters: "Your views shape the specification.", opensAt, closesAt },
    events: [{ kind: "webinar", place: "Online", startsAt: "2020-01-01T10:00:00.000Z", endsAt: "2020-01-01T11:00:00.000Z" }],
    audiences: ["clinicians", "carers", "specialised-commissioning"],
    questions: [
      { id: "q1", kind: "agree-scale", text: "Do you agree with networks?", itemId: null },
      { id: "q2", kind: "free-text", text: "What would you change?", itemId: "less-common-cancers" },
    ],
  });
}

beforeAll(async () => {
  await createOpen(OPEN, "2020-01-01T00:00:00.000Z", "2099-12-31T23:59:00.000Z");
  await createOpen(UPCOMING, "2098-01-01T00:00:00.000Z", "2098-03-01T00:00:00.000Z");
});

const good = {
  capacity: "organisation",
  organisation: "Northshire Cancer Alliance",
  respondentName: "Alex Example",
  audience: "clinicians",
  email: "alex@example.org",
  "scale-q1": "agree",
  "answer-q1": "Networks would help us share protocols.",
  "answer-q2": "Keep common cancers local.",
  commentSlots: "1",
  "comment-0-clause": "less-common-cancers",
  "comment-0-body": "Please keep subspecialist teams close to home.",
  consent: "anonymous",
};

async function responses() {
  const db = await getDatabase();
  return db.selectFrom("consultation_responses").selectAll().where("consultation_id", "=", OPEN).execute();
}

async function post(form: Record<string, string>, address = "192.0.2.1", id = OPEN) {
  const { action } = await respond();
  return call(action as unknown as Handler, `/consultations/${id}/respond`, { form, params: { id }, address });
}

describe("the list of consultations", () => {
  it("groups consultations into open, upcoming and closed, with their dates", async () => {
    const body = await (await call(await list(), "/consultations")).json();
    expect(body.groups.open.map((c: { id: string }) => c.id)).toContain(OPEN);
    expect(body.groups.upcoming.map((c: { id: string }) => c.id)).toEqual([UPCOMING]);
    expect(body.groups.closed.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([CLOSED, "radiotherapy-consultation-2017"]));
    // The next change by the clock is the upcoming one opening.
    expect(body.freshUntil).toBe("2098-01-01T00:00:00.000Z");
  });
});

describe("a consultation's page", () => {
  it("shows its events with a status from the clock, and its questions with the clause they are about", async () => {
    const body = await (await call(await page(), `/consultations/${OPEN}`, { params: { id: OPEN } })).json();
    expect(body.consultation.state).toBe("open");
    expect(body.consultation.events[0].state).toBe("ended");
    expect(body.consultation.parentNumber).toBe("0.9");
    expect(body.consultation.questions[1]).toMatchObject({ itemId: "less-common-cancers", itemName: expect.stringMatching(/^clause \d/) });
  });

  it("answers 404 in plain words for an unknown consultation", async () => {
    const response = await call(await page(), "/consultations/no-such-thing", { params: { id: "no-such-thing" } });
    expect(response.status).toBe(404);
    expect((await response.json()).message).toMatch(/could not find a consultation/);
  });
});

describe("the version page while a consultation is open on it", () => {
  it("offers Comment on this clause for the open consultation only, and says when that changes", async () => {
    const { loader } = await import("~/routes/specs.$slug.v.$version");
    const open = await (await call(loader as unknown as Handler, `/specs/${SLUG}/v/1.0`, { params: { slug: SLUG, version: "1.0" } })).json();
    expect(open.consultation).toMatchObject({ id: OPEN });
    expect(open.freshUntil).toBe("2098-01-01T00:00:00.000Z");
    const closed = await (await call(loader as unknown as Handler, `/specs/${SLUG}/v/0.9`, { params: { slug: SLUG, version: "0.9" } })).json();
    expect(closed.consultation).toBeNull();
    expect(closed.freshUntil).toBeNull();
  });
});

describe("responding", () => {
  it("offers the form while open, with a comment slot on the clause a link names", async () => {
    const { loader } = await respond();
    const body = await (await call(loader as unknown as Handler, `/consultations/${OPEN}/respond?clause=less-common-cancers&quote=subspecialist&start=3`, { params: { id: OPEN } })).json();
    expect(body.form.values).toEqual({ "comment-0-clause": "less-common-cancers", "comment-0-quote": "subspecialist", "comment-0-start": "3" });
    expect(body.form.audiences.map((a: { code: string }) => a.code)).toEqual(["clinicians", "carers"]);
  });

  it("shows a page saying why, not a form, when the consultation is closed or not open yet", async () => {
    const { loader } = await respond();
    const closed = await (await call(loader as unknown as Handler, `/consultations/${CLOSED}/respond`, { params: { id: CLOSED } })).json();
    expect(closed).toMatchObject({ form: null, consultation: { state: "closed" } });
    const upcoming = await (await call(loader as unknown as Handler, `/consultations/${UPCOMING}/respond`, { params: { id: UPCOMING } })).json();
    expect(upcoming).toMatchObject({ form: null, consultation: { state: "upcoming" } });
  });

  it("keeps the values and stores nothing when fields are wrong, saying what is wrong for each", async () => {
    const before = (await responses()).length;
    const response = await post({ ...good, intent: "review", capacity: "organisation", organisation: "", email: "not-an-email", consent: "" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.stage).toBe("form");
    expect(body.errors).toEqual({
      organisation: "Enter the name of your organisation.",
      email: "Enter an email address in the correct format, like name@example.com, or leave it empty.",
      consent: "Choose whether we may publish your response.",
    });
    expect(body.values["answer-q2"]).toBe(good["answer-q2"]);
    expect((await responses()).length).toBe(before);
  });

  it("refuses an answer over the length limit and text the text policy refuses", async () => {
    const body = await (await post({ ...good, intent: "review", "answer-q2": "x".repeat(10_001), "comment-0-body": "Fine\u202Eevil" })).json();
    expect(body.errors["answer-q2"]).toMatch(/10,000 characters or fewer/);
    expect(body.errors["comment-0-body"]).toMatch(/^Your comment on clause .* has/);
  });

  it("refuses an empty response", async () => {
    const body = await (await post({ capacity: "individual", audience: "carers", consent: "none", intent: "review" })).json();
    expect(body.errors).toEqual({ "scale-q1": "Answer at least one question, or comment on a clause." });
  });

  it("checks the answers without storing anything, then stores the response on Send and gives its reference", async () => {
    const before = (await responses()).length;
    const check = await (await post({ ...good, intent: "review" })).json();
    expect(check.stage).toBe("check");
    expect((await responses()).length).toBe(before);

    const sentResponse = await post({ ...check.values, intent: "send" });
    expect(sentResponse.status).toBe(302);
    const location = sentResponse.headers.get("Location")!;
    const reference = /reference=(RT-[A-Z0-9]{4}-[A-Z0-9]{4})$/.exec(location)![1]!;
    const stored = (await responses()).find((r) => r.reference === reference)!;
    expect(stored).toMatchObject({ capacity: "organisation", organisation: "Northshire Cancer Alliance", respondent_name: "Alex Example", email: "alex@example.org", consent: "anonymous", channel: "online", source: "form" });
    expect(stored.address_hash).not.toContain("192.0.2.1");
    const db = await getDatabase();
    const comments = await db.selectFrom("response_clause_comments").selectAll().where("response_id", "=", stored.id).execute();
    expect(comments).toMatchObject([{ clause_id: "less-common-cancers", body: good["comment-0-body"] }]);
    const answers = await db.selectFrom("response_answers").selectAll().where("response_id", "=", stored.id).orderBy("question_id").execute();
    expect(answers).toMatchObject([{ question_id: "q1", scale: "agree" }, { question_id: "q2", text: good["answer-q2"] }]);

    const confirmation = await (await call(await sent(), location.replace(/^http:\/\/localhost:3000/, ""), { params: { id: OPEN } })).json();
    expect(confirmation.reference).toBe(reference);
    // Nothing personal in the audit log.
    const audit = JSON.stringify(await db.selectFrom("audit_log").selectAll().where("object_id", "=", reference).execute());
    expect(audit).not.toMatch(/alex|Northshire|networks would/i);
  });

  it("anchors a quoted passage in the clause's own text, with its context", async () => {
    const db = await getDatabase();
    const check = await (await post({ ...good, intent: "review", "comment-0-quote": "less common", "comment-0-start": "0" }, "192.0.2.9")).json();
    const location = (await post({ ...check.values, intent: "send" }, "192.0.2.9")).headers.get("Location")!;
    const reference = /reference=(.*)$/.exec(location)![1]!;
    const stored = (await responses()).find((r) => r.reference === reference)!;
    const [comment] = await db.selectFrom("response_clause_comments").selectAll().where("response_id", "=", stored.id).execute();
    expect(comment!.quote).toBe("less common");
    expect(comment!.start).toEqual(expect.any(Number));
    expect(comment!.end).toBe(comment!.start! + "less common".length);
  });

  it("adds a clause-comment slot without JavaScript, keeping what was typed", async () => {
    const body = await (await post({ ...good, intent: "add-comment" })).json();
    expect(body).toMatchObject({ stage: "form", focus: "comment-1-clause", values: { commentSlots: "2", "answer-q2": good["answer-q2"] } });
  });

  it("shows a confirmation but stores nothing when the hidden field is filled in", async () => {
    const before = (await responses()).length;
    const response = await post({ ...good, website: "http://spam.example", intent: "send" }, "192.0.2.2");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/\/sent\?reference=RT-/);
    expect((await responses()).length).toBe(before);
  });

  it("refuses a response to a closed consultation with a plain message and stores nothing", async () => {
    const db = await getDatabase();
    const count = async () => (await db.selectFrom("consultation_responses").select("id").where("consultation_id", "=", CLOSED).execute()).length;
    const before = await count();
    const response = await post({ ...good, intent: "send" }, "192.0.2.3", CLOSED);
    expect(response.status).toBe(410);
    expect((await response.json()).title).toBe("This consultation has closed");
    expect(await count()).toBe(before);
    expect((await post({ ...good, intent: "send" }, "192.0.2.3", UPCOMING)).status).toBe(409);
  });

  it(`answers 429 after ${RESPONSES_PER_ADDRESS_PER_HOUR} responses from one address in an hour, keeping the answers`, async () => {
    const address = "198.51.100.7";
    for (let i = 0; i < RESPONSES_PER_ADDRESS_PER_HOUR; i++) expect((await post({ ...good, intent: "send" }, address)).status).toBe(302);
    const before = (await responses()).length;
    const refused = await post({ ...good, intent: "send" }, address);
    expect(refused.status).toBe(429);
    const body = await refused.json();
    expect(body).toMatchObject({ stage: "check", values: { "answer-q2": good["answer-q2"] } });
    expect(body.error).toMatch(/limit/);
    expect((await responses()).length).toBe(before);
    // Another address is not affected.
    expect((await post({ ...good, intent: "send" }, "198.51.100.8")).status).toBe(302);
  });

  it("reads opening and closing times as London time", () => {
    expect(fromLondon("2017-10-18", "00:00")).toBe("2017-10-17T23:00:00.000Z");
  });
});
