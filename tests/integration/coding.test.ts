// Coding responses to themes: the staff pages' access rules, the queue's commands and their
// audit entries, suggestions, the second coding, agreement and moderation, on the seeded data.
import { call, signIn, type Handler } from "./app";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase } from "~/models/app-database.server";
import { storeResponses } from "~/models/consultation-responses.server";
import { suggestThemes } from "~/models/suggestions.server";
import { termsOf } from "~/domain/coding";
import type { ResponseInput } from "~/domain/consultations";

const ENGAGEMENT = "radiotherapy-engagement-2016";
const h = (fn: unknown) => fn as Handler;

function response(text: string, overrides: Partial<ResponseInput> = {}): ResponseInput {
  return {
    channel: "online",
    source: "form",
    capacity: "individual",
    organisation: null,
    respondentName: "Ada Testperson",
    audienceCode: "patients-public",
    audienceText: null,
    email: "ada.testperson@example.org",
    consent: "full",
    submittedAt: "2016-12-01T10:00:00.000Z",
    answers: [{ questionId: "q2", scale: null, text }],
    comments: [],
    ...overrides,
  };
}

async function addResponse(text: string, overrides: Partial<ResponseInput> = {}): Promise<number> {
  const db = await getDatabase();
  const { references } = await storeResponses(db, ENGAGEMENT, [response(text, overrides)]);
  return (await db.selectFrom("consultation_responses").select("id").where("reference", "=", references[0]!).executeTakeFirstOrThrow()).id;
}

describe("suggestions", () => {
  it("copes with any text: accents, curly quotes, emoji, FTS5 words and nothing meaningful at all", async () => {
    const db = await getDatabase();
    const odd = await addResponse("“Café” parking — NEAR the Straße AND ‘OR’ NOT * ^ \"quoted\" 🚗🚗 naïve coördination of transport");
    const suggestions = await suggestThemes(db, ENGAGEMENT, odd);
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.some((s) => s.themeCode === "T02")).toBe(true);
    const empty = await addResponse("🙂 ... !!! 42");
    expect(await suggestThemes(db, ENGAGEMENT, empty)).toEqual([]);
    // A response of another consultation gets nothing through this one.
    expect(await suggestThemes(db, "radiotherapy-consultation-2017", odd)).toEqual([]);
  });

  it("leaves out the themes a response is already coded to", async () => {
    const db = await getDatabase();
    const coded = await db.selectFrom("codings").select(["response_id", "theme_code"]).where("consultation_id", "=", ENGAGEMENT).where("pass", "=", 1).where("removed_at", "is", null).orderBy("id").limit(40).execute();
    for (const { response_id } of coded) {
      const themes = new Set(coded.filter((c) => c.response_id === response_id).map((c) => c.theme_code));
      const suggested = await suggestThemes(db, ENGAGEMENT, response_id);
      expect(suggested.filter((s) => themes.has(s.themeCode))).toEqual([]);
    }
  });

  it("suggests Transport and costs first for a response about parking costs, and says which of its words it shares", async () => {
    const text = "The parking charges at the hospital are far too expensive, and the petrol for a daily drive over four weeks costs a fortune.";
    const id = await addResponse(text);
    const suggestions = await suggestThemes(await getDatabase(), ENGAGEMENT, id);
    expect(suggestions[0]!.themeCode).toBe("T02");
    expect(suggestions.length).toBeGreaterThanOrEqual(3);
    expect(suggestions.length).toBeLessThanOrEqual(5);
    const words = new Set(termsOf(text).map((t) => t.word));
    for (const s of suggestions) {
      expect(s.sharedWords.length).toBeGreaterThan(0);
      for (const w of s.sharedWords) expect(words.has(w), w).toBe(true);
    }
    expect(suggestions[0]!.sharedWords).toEqual(expect.arrayContaining(["parking"]));
  });
});

import * as responsesPage from "~/routes/consultations_.$id_.responses";
import * as queue from "~/routes/consultations_.$id_.coding";
import { codeResponse } from "~/models/codings.server";
import { inDoubleCodingSample } from "~/domain/consultations";
import { DomainError } from "~/domain/errors";
import { findUser, findUserByEmail } from "~/models/users.server";

const params = { id: ENGAGEMENT };
const base = `/consultations/${ENGAGEMENT}`;

let editor: string;
let commissioner: string;
let admin: string;
beforeAll(async () => {
  [editor, commissioner, admin] = await Promise.all([signIn("editor@example.nhs.uk"), signIn("commissioner@example.nhs.uk"), signIn("admin@example.nhs.uk")]);
});

const codingsOf = async (responseId: number, pass: 1 | 2 = 1) =>
  (await (await getDatabase()).selectFrom("codings").selectAll().where("response_id", "=", responseId).where("pass", "=", pass).where("removed_at", "is", null).orderBy("theme_code").execute());
const auditOf = async (reference: string) => (await (await getDatabase()).selectFrom("audit_log").select(["action", "actor", "details"]).where("object_id", "=", reference).orderBy("id").execute());
const referenceOf = async (id: number) => (await (await getDatabase()).selectFrom("consultation_responses").select("reference").where("id", "=", id).executeTakeFirstOrThrow()).reference;
const post = (form: Record<string, string>, cookie: string = editor) => call(h(queue.action), `${base}/coding`, { cookie, form, params });

describe("who may see responses and code them", () => {
  it("sends the public to sign in, and shows staff the list", async () => {
    for (const loader of [responsesPage.loader, queue.loader]) {
      const anonymous = await call(h(loader), `${base}/responses`, { params });
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("Location")).toMatch(/^\/login\?next=/);
    }
    const list = await call(h(responsesPage.loader), `${base}/responses`, { cookie: admin, params });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { mayCode: boolean; counts: { total: number; coded: number }; list: { matching: number; rows: unknown[] } };
    expect(body.mayCode).toBe(false);
    expect(body.counts.total).toBeGreaterThanOrEqual(360);
    expect(body.list.rows).toHaveLength(50);
    expect(JSON.stringify(body)).not.toMatch(/@example\.org/);
  });

  it("refuses the queue to an admin (who keeps accounts, not codings) and to a sign-in with no role to code", async () => {
    const before = await codingsOf(1);
    expect((await call(h(queue.loader), `${base}/coding`, { cookie: admin, params })).status).toBe(403);
    expect((await post({ intent: "apply", responseId: "1", pass: "1", theme: "15", stance: "supports" }, admin)).status).toBe(403);
    const anonymous = await call(h(queue.action), `${base}/coding`, { form: { intent: "apply", responseId: "1", pass: "1", theme: "15", stance: "supports" }, params });
    expect(anonymous.status).toBe(302);
    expect(await codingsOf(1)).toEqual(before);
  });

  it("answers 404 for a consultation that does not exist", async () => {
    expect((await call(h(queue.loader), "/consultations/no-such/coding", { cookie: editor, params: { id: "no-such" } })).status).toBe(404);
    expect((await call(h(responsesPage.loader), "/consultations/no-such/responses", { cookie: editor, params: { id: "no-such" } })).status).toBe(404);
  });

  it("filters the list by coded and by theme, with the counts", async () => {
    const id = await addResponse("Nothing here has been coded yet about linac replacement schedules.");
    const uncoded = (await (await call(h(responsesPage.loader), `${base}/responses?coded=uncoded`, { cookie: editor, params })).json()) as { list: { rows: { id: number; themes: string[] }[] } };
    expect(uncoded.list.rows.map((r) => r.id)).toContain(id);
    expect(uncoded.list.rows.every((r) => r.themes.length === 0)).toBe(true);
    const t07 = (await (await call(h(responsesPage.loader), `${base}/responses?theme=T07&page=2`, { cookie: editor, params })).json()) as { list: { matching: number; rows: { themes: string[] }[] } };
    expect(t07.list.matching).toBeGreaterThan(0);
    expect(t07.list.rows.every((r) => r.themes.includes("T07"))).toBe(true);
    // Nonsense in the filter is ignored, never a failure.
    expect((await call(h(responsesPage.loader), `${base}/responses?coded=%00&theme=<b>&page=-4`, { cookie: editor, params })).status).toBe(200);
  });
});

describe("the coding queue", () => {
  it("shows a response with its questions, the clause each is about, and no email or name", async () => {
    const id = await addResponse("Parking at the centre costs too much.", {
      answers: [
        { questionId: "q1", scale: "disagree", text: "Networks would take treatment away from my town." },
        { questionId: "q2", scale: null, text: "Parking at the centre costs too much." },
      ],
      comments: [{ clauseId: "travel-transport-accommodation", start: null, end: null, quote: "transport", prefix: null, suffix: null, body: "Say who pays for it." }],
    });
    const response = await call(h(queue.loader), `${base}/coding?response=${id}`, { cookie: editor, params });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Awaited<ReturnType<typeof queue.loader>>;
    expect(body.item!.response.id).toBe(id);
    expect(body.item!.answers.map((a) => [a.questionId, a.itemKind, a.scale])).toEqual([["q1", "section", "disagree"], ["q2", null, null]]);
    expect(body.item!.answers[0]!.itemNumber).toMatch(/^\d+(\.\d+)*$/);
    expect(body.item!.comments[0]).toMatchObject({ quote: "transport", body: "Say who pays for it." });
    expect(body.item!.comments[0]!.clauseNumber).toMatch(/^\d+\.\d+\.\d+$/);
    expect(body.item!.comments[0]!.clauseText!.length).toBeGreaterThan(20);
    expect(body.suggestions[0]!.themeCode).toBe("T02");
    expect(body.themes.slice(0, 2)).toEqual([{ number: 1, code: "T01", title: "Travel and access" }, { number: 2, code: "T02", title: "Transport and costs" }]);
    const text = JSON.stringify(body);
    expect(text).not.toContain("ada.testperson@example.org");
    expect(text).not.toContain("Testperson");
  });

  it("applies a theme by its number, changes its stance, marks it evidence-rich and removes it, each with its audit entry", async () => {
    const id = await addResponse("Who will pay for the hotel when my wife is treated far away?");
    const reference = await referenceOf(id);
    const applied = await post({ intent: "apply", responseId: String(id), pass: "1", theme: "2", stance: "opposes" });
    expect(applied.status).toBe(302);
    expect(applied.headers.get("Location")).toBe(`${base}/coding?response=${id}`);
    expect((await codingsOf(id)).map((c) => [c.theme_code, c.stance, c.evidence_rich, c.origin])).toEqual([["T02", "opposes", 0, "coder"]]);
    await post({ intent: "apply", responseId: String(id), pass: "1", theme: "T02", stance: "mixed", evidence: "on" });
    expect((await codingsOf(id)).map((c) => [c.theme_code, c.stance, c.evidence_rich])).toEqual([["T02", "mixed", 1]]);
    await post({ intent: "apply", responseId: String(id), pass: "1", theme: "T01", stance: "supports", origin: "suggestion" });
    expect((await codingsOf(id)).map((c) => [c.theme_code, c.origin])).toEqual([["T01", "suggestion"], ["T02", "coder"]]);
    await post({ intent: "remove", responseId: String(id), pass: "1", theme: "2" });
    expect((await codingsOf(id)).map((c) => c.theme_code)).toEqual(["T01"]);
    const audit = await auditOf(reference);
    expect(audit.map((a) => a.action)).toEqual(["coding.add", "coding.change", "coding.add", "coding.remove"]);
    expect(audit.every((a) => a.actor === "editor@example.nhs.uk")).toBe(true);
    expect(audit.map((a) => a.details).join(" ")).not.toContain("example.org");
  });

  it("refuses bad input with a 400 and changes nothing", async () => {
    const id = await addResponse("Equipment is old.");
    for (const form of <Record<string, string>[]>[
      { intent: "apply", responseId: String(id), pass: "1", theme: "99", stance: "supports" },
      { intent: "apply", responseId: String(id), pass: "1", theme: "2", stance: "angry" },
      { intent: "apply", responseId: "abc", pass: "1", theme: "2", stance: "supports" },
      { intent: "apply", responseId: String(id), pass: "3", theme: "2", stance: "supports" },
      { intent: "explode", responseId: String(id), pass: "1", theme: "2" },
      { intent: "apply", responseId: String(id), pass: "1", theme: "", stance: "supports" },
    ]) {
      const response = await post(form);
      expect(response.status, JSON.stringify(form)).toBe(400);
      const body = (await response.json()) as { error: string | null; theme: string | null };
      expect((body.error ?? body.theme ?? "").length, JSON.stringify(form)).toBeGreaterThan(10);
    }
    expect(await codingsOf(id)).toEqual([]);
    // A response of another consultation is not found through this one.
    expect((await post({ intent: "apply", responseId: "999999", pass: "1", theme: "2", stance: "supports" })).status).toBe(404);
    expect((await call(h(queue.loader), `${base}/coding?response=999999`, { cookie: editor, params })).status).toBe(404);
  });

  it("takes the first response not yet coded when none is asked for", async () => {
    const body = (await (await call(h(queue.loader), `${base}/coding`, { cookie: editor, params })).json()) as Awaited<ReturnType<typeof queue.loader>>;
    expect(body.item!.codings).toEqual([]);
    expect(body.item!.position.done).toBeGreaterThanOrEqual(360);
  });
});

describe("the second coding", () => {
  async function sampleResponse(): Promise<number> {
    for (;;) {
      const id = await addResponse("The network needs shared IT so images can move between sites.");
      if (inDoubleCodingSample(id, 10)) return id;
    }
  }

  it("refuses the first coder, hides the first coding, and records the second by someone else", async () => {
    const id = await sampleResponse();
    expect((await post({ intent: "apply", responseId: String(id), pass: "1", theme: "T07", stance: "supports" })).status).toBe(302);
    // The first coder may not code it again in pass 2, by the page or by the model.
    expect((await call(h(queue.loader), `${base}/coding?response=${id}&pass=2`, { cookie: editor, params })).status).toBe(404);
    expect((await post({ intent: "apply", responseId: String(id), pass: "2", theme: "T07", stance: "supports" })).status).toBe(409);
    const db = await getDatabase();
    const editorUser = (await findUser(db, (await findUserByEmail(db, "editor@example.nhs.uk"))!.id))!;
    await expect(codeResponse(db, editorUser, { consultationId: ENGAGEMENT, responseId: id, themeCode: "T07", pass: 2, stance: "supports", evidenceRich: false, origin: "coder" })).rejects.toThrow(DomainError);
    expect(await codingsOf(id, 2)).toEqual([]);

    const page = (await (await call(h(queue.loader), `${base}/coding?response=${id}&pass=2`, { cookie: commissioner, params })).json()) as Awaited<ReturnType<typeof queue.loader>>;
    expect(page.item!.codings).toEqual([]);
    expect(page.suggestions).toEqual([]);
    expect((await post({ intent: "apply", responseId: String(id), pass: "2", theme: "7", stance: "mixed" }, commissioner)).status).toBe(302);
    expect((await codingsOf(id, 2)).map((c) => [c.theme_code, c.stance])).toEqual([["T07", "mixed"]]);
    expect((await codingsOf(id, 1)).map((c) => [c.theme_code, c.stance])).toEqual([["T07", "supports"]]);
  });

  it("refuses a second coding of a response outside the sample", async () => {
    let id: number;
    do id = await addResponse("Trials should be open to everyone in the network.");
    while (inDoubleCodingSample(id, 10));
    await post({ intent: "apply", responseId: String(id), pass: "1", theme: "T11", stance: "supports" });
    expect((await post({ intent: "apply", responseId: String(id), pass: "2", theme: "T11", stance: "supports" }, commissioner)).status).toBe(409);
    expect(await codingsOf(id, 2)).toEqual([]);
  });
});

import * as groupsPage from "~/routes/consultations_.$id_.coding_.groups";
import * as agreementPage from "~/routes/consultations_.$id_.agreement";
import * as moderationPage from "~/routes/consultations_.$id_.moderation";
import * as adminThemes from "~/routes/admin.themes";
import { cohensKappa } from "~/domain/coding";

describe("uncoded responses grouped by shared words", () => {
  it("groups uncoded responses that share words, with excerpts and a proposed theme for an admin", async () => {
    for (const text of [
      "The hovercraft crossing to the island stops in winter, so patients cannot reach the mainland centre.",
      "Islanders rely on the hovercraft crossing and it is often cancelled in bad weather.",
      "A hovercraft crossing twice a day for four weeks is not realistic for someone having radiotherapy.",
      "Please think about the hovercraft crossing timetable when setting appointment times.",
    ])
      await addResponse(text);
    const response = await call(h(groupsPage.loader), `${base}/coding/groups`, { cookie: admin, params });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Awaited<ReturnType<typeof groupsPage.loader>>;
    const group = body.groups.find((g) => g.words.includes("hovercraft"))!;
    expect(group.words).toContain("crossing");
    expect(group.count).toBe(4);
    expect(group.excerpts).toHaveLength(3);
    expect(group.excerpts[0]!.text).toContain("hovercraft");
    expect(body.mayAddTheme).toBe(true);
    const proposed = groupsPage.proposal(group.words, group.count);
    const form = (await (await call(h(adminThemes.loader), `/admin/themes?${new URLSearchParams(proposed)}`, { cookie: admin })).json()) as { prefill: { title: string; description: string } };
    expect(form.prefill.title).toMatch(/^Hovercraft|^Crossing/);
    expect(form.prefill.description).toContain("4 responses");
    // Words the text policy refuses never reach the form.
    const hostile = (await (await call(h(adminThemes.loader), `/admin/themes?title=Nul%00here&description=Over%E2%80%AEride`, { cookie: admin })).json()) as { prefill: { title: string; description: string } };
    expect(hostile.prefill).toEqual({ title: "", description: "" });
    expect((await call(h(groupsPage.loader), `${base}/coding/groups`, { params })).status).toBe(302);
  });
});

describe("agreement between the codings", () => {
  it("shows per theme the kappa the domain function gives over the sample both codings coded", async () => {
    const response = await call(h(agreementPage.loader), `${base}/agreement`, { cookie: editor, params });
    expect(response.status).toBe(200);
    const { agreement } = (await response.json()) as Awaited<ReturnType<typeof agreementPage.loader>>;
    // The same figures worked out here from the codings table.
    const db = await getDatabase();
    const rows = await db.selectFrom("codings").select(["response_id", "theme_code", "pass"]).where("consultation_id", "=", ENGAGEMENT).where("removed_at", "is", null).execute();
    const first = new Map<number, Set<string>>();
    const second = new Map<number, Set<string>>();
    for (const r of rows) {
      const map = r.pass === 1 ? first : second;
      map.set(r.response_id, (map.get(r.response_id) ?? new Set()).add(r.theme_code));
    }
    const both = [...second.keys()].filter((id) => first.has(id) && inDoubleCodingSample(id, 10));
    expect(agreement.responses).toBe(both.length);
    expect(both.length).toBeGreaterThan(20);
    for (const code of ["T01", "T05", "T14"]) {
      const expected = cohensKappa(both.map((id) => [first.get(id)!.has(code), second.get(id)!.has(code)]));
      const shown = agreement.themes.find((t) => t.code === code)!;
      expect(shown.kappa).toBeCloseTo(expected.kappa!, 10);
      expect([shown.responses, shown.agreed]).toEqual([expected.responses, expected.agreed]);
      expect(shown.first).toBe(both.filter((id) => first.get(id)!.has(code)).length);
    }
    expect(agreement.overall.kappa).toBeGreaterThan(0.6);
    expect(agreement.overall.kappa).toBeLessThan(1);
  });
});

describe("moderation", () => {
  const pending = async (consent: "full" | "anonymous" | "none") =>
    (await (await getDatabase()).selectFrom("consultation_responses").select(["id", "reference"]).where("consultation_id", "=", ENGAGEMENT).where("consent", "=", consent).where("moderation", "=", "pending").orderBy("id").executeTakeFirstOrThrow());
  const moderate = (form: Record<string, string>, cookie = commissioner) => call(h(moderationPage.action), `${base}/moderation`, { cookie, form, params });
  const moderationOf = async (id: number) => (await (await getDatabase()).selectFrom("consultation_responses").select("moderation").where("id", "=", id).executeTakeFirstOrThrow()).moderation;

  it("lists only pending responses whose consent allows publication, to a commissioner only", async () => {
    expect((await call(h(moderationPage.loader), `${base}/moderation`, { cookie: editor, params })).status).toBe(403);
    expect((await call(h(moderationPage.loader), `${base}/moderation`, { cookie: admin, params })).status).toBe(403);
    const body = (await (await call(h(moderationPage.loader), `${base}/moderation`, { cookie: commissioner, params })).json()) as Awaited<ReturnType<typeof moderationPage.loader>>;
    expect(body.waiting).toBeGreaterThan(0);
    expect(body.rows.length).toBeGreaterThan(0);
    expect(body.rows.every((r) => r.consent !== "none")).toBe(true);
    const anonymous = body.rows.find((r) => r.consent === "anonymous" && r.capacity === "organisation");
    if (anonymous) expect(anonymous.shownAs).not.toContain(anonymous.organisation!);
    expect(JSON.stringify(body)).not.toMatch(/@example\.org/);
  });

  it("approves and rejects with an audit entry, and refuses to approve a response whose sender said do not publish", async () => {
    const full = await pending("full");
    expect((await moderate({ responseId: String(full.id), decision: "approved" })).status).toBe(302);
    expect(await moderationOf(full.id)).toBe("approved");
    const anonymous = await pending("anonymous");
    expect((await moderate({ responseId: String(anonymous.id), decision: "rejected" })).status).toBe(302);
    expect(await moderationOf(anonymous.id)).toBe("rejected");
    expect((await auditOf(full.reference)).map((a) => a.action)).toContain("response.moderate.approved");
    const none = await pending("none");
    const refused = await moderate({ responseId: String(none.id), decision: "approved" });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/not to publish/);
    expect(await moderationOf(none.id)).toBe("pending");
    expect((await moderate({ responseId: String(none.id), decision: "publish" })).status).toBe(400);
    expect((await moderate({ responseId: String(full.id), decision: "rejected" }, editor)).status).toBe(403);
    expect(await moderationOf(full.id)).toBe("approved");
  });
});

import { inSampleSql } from "~/models/coding-queue.server";
import { sql } from "kysely";

describe("the double-coding sample in SQL", () => {
  it("picks exactly the responses the domain's rule picks", async () => {
    const db = await getDatabase();
    for (const percent of [0, 10, 37, 100]) {
      const picked = await db
        .selectFrom(sql<{ id: number }>`(with recursive n(id) as (select 1 union all select id + 1 from n where id < 20000) select id from n)`.as("r"))
        .select("r.id")
        .where(inSampleSql("r.id", percent))
        .execute();
      const expected = Array.from({ length: 20000 }, (_, i) => i + 1).filter((id) => inDoubleCodingSample(id, percent));
      expect(picked.map((p) => p.id)).toEqual(expected);
    }
  });
});

import { snapshot } from "./database";

describe("hostile requests to the coding and moderation forms", () => {
  it("answers each with a 4xx that says what is wrong, and changes nothing", async () => {
    const db = await getDatabase();
    const before = await snapshot(db);
    const number = await post({ intent: "apply", responseId: "1", pass: "1", theme: "99", stance: "supports" });
    expect(number.status).toBe(400);
    expect(((await number.json()) as { theme: string }).theme).toBe("There is no theme 99: enter a number from 1 to 15.");
    for (const action of [queue.action, moderationPage.action]) {
      const json = await call(h(action), `${base}/coding`, { cookie: commissioner, json: { intent: "apply", responseId: 1 }, params });
      expect(json.status).toBe(415);
      const control = await call(h(action), `${base}/coding`, { cookie: commissioner, form: { intent: "apply", responseId: "1", pass: "1", theme: "1\u0000", stance: "supports", decision: "approved" }, params });
      expect(control.status).toBe(400);
      const huge = await call(h(action), `${base}/coding`, { cookie: commissioner, form: { intent: "apply", responseId: "9".repeat(400), pass: "1", theme: "1", stance: "supports", decision: "approved" }, params });
      expect(huge.status).toBe(400);
    }
    expect(await snapshot(db)).toEqual(before);
  });
});
