import { call, signIn, type Handler } from "./app";
import { sql } from "kysely";
import { unzipSync, strFromU8 } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { mayQuote } from "~/domain/consultations";
import { csvCell } from "~/exports/csv";
import type { EngagementReport } from "~/domain/engagement-report";
import { getDatabase } from "~/models/app-database.server";
import { codeResponse } from "~/models/codings.server";
import { buildReport, publishedReport } from "~/models/reports.server";
import { saveTheme } from "~/models/themes.server";
import { findUserByEmail } from "~/models/users.server";
import * as reportPage from "~/routes/consultations.$id_.report";
import * as reportJson from "~/routes/consultations.$id_.report[.]json";
import * as reportCsv from "~/routes/consultations.$id_.report[.]csv";
import * as reportDocx from "~/routes/consultations.$id_.report[.]docx";
import * as decisions from "~/routes/consultations.$id_.decisions";
import * as themePage from "~/routes/themes.$code";
import * as themeList from "~/routes/themes._index";
import * as youSaid from "~/routes/specs.$slug.compare.$range_.themes";
import * as youSaidJson from "~/routes/specs.$slug.compare.$range_.themes[.]json";
import * as youSaidCsv from "~/routes/specs.$slug.compare.$range_.themes[.]csv";

const ENGAGEMENT = "radiotherapy-engagement-2016";
const CONSULTATION = "radiotherapy-consultation-2017";
const h = (fn: unknown) => fn as Handler;
const params = (id: string) => ({ params: { id } });

let editor: string;
let commissioner: string;

beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
});

async function seeded(): Promise<EngagementReport> {
  return (await publishedReport(await getDatabase(), ENGAGEMENT))!.report;
}

describe("the seeded engagement report", () => {
  it("counts every stored response once, by capacity, audience and channel", async () => {
    const db = await getDatabase();
    const report = await seeded();
    const stored = await db.selectFrom("consultation_responses").select(["capacity", "channel", "audience_code"]).where("consultation_id", "=", ENGAGEMENT).execute();
    expect(report.respondents.stored).toBe(stored.length);
    expect(report.respondents.total).toBe(stored.length);
    expect(report.respondents.online).toBe(stored.filter((r) => r.channel === "online").length);
    expect(report.respondents.otherFormats).toBe(stored.filter((r) => r.channel === "other").length);
    expect(report.respondents.byCapacity).toEqual([
      { label: "Individuals", count: stored.filter((r) => r.capacity === "individual").length },
      { label: "Organisations", count: stored.filter((r) => r.capacity === "organisation").length },
    ]);
    expect(report.respondents.byAudience.reduce((s, c) => s + c.count, 0)).toBe(stored.length);
    expect(report.respondents.byAudience.find((c) => c.label === "Patients and the public")?.count).toBe(stored.filter((r) => r.audience_code === "patients-public").length);
  });

  it("gives each theme the responses coded to it, split by audience, capacity and stance, most raised first", async () => {
    const db = await getDatabase();
    const report = await seeded();
    expect(report.themes.map((t) => t.code).sort()).toEqual(Array.from({ length: 15 }, (_, i) => `T${String(i + 1).padStart(2, "0")}`));
    for (const theme of report.themes) {
      const codings = await db
        .selectFrom("codings")
        .innerJoin("consultation_responses as r", "r.id", "codings.response_id")
        .select(["codings.stance", "r.capacity", "codings.evidence_rich"])
        .where("codings.consultation_id", "=", ENGAGEMENT)
        .where("codings.theme_code", "=", theme.code)
        .where("codings.pass", "=", 1)
        .where("codings.removed_at", "is", null)
        .execute();
      expect(theme.responses).toBe(codings.length);
      expect(theme.byAudience.reduce((s, c) => s + c.count, 0)).toBe(codings.length);
      expect(theme.byCapacity.find((c) => c.label === "Organisations")!.count).toBe(codings.filter((c) => c.capacity === "organisation").length);
      expect(theme.stances.opposes).toBe(codings.filter((c) => c.stance === "opposes").length);
      expect(Object.values(theme.stances).reduce((s, n) => s + n, 0)).toBe(codings.length);
      expect(theme.evidenceRich).toBe(codings.filter((c) => c.evidence_rich === 1).length);
    }
    const counts = report.themes.map((t) => t.responses);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it("quotes only words of responses whose consent allows it and that a moderator approved", async () => {
    const db = await getDatabase();
    const report = await seeded();
    const responses = await db.selectFrom("consultation_responses").select(["id", "consent", "moderation"]).where("consultation_id", "=", ENGAGEMENT).execute();
    const allowed = new Set(responses.filter((r) => mayQuote(r)).map((r) => r.id));
    const answers = await db.selectFrom("response_answers").select(["response_id", "text"]).where("text", "is not", null).execute();
    const comments = await db.selectFrom("response_clause_comments").select(["response_id", "body as text"]).execute();
    const allowedText = [...answers, ...comments].filter((t) => allowed.has(t.response_id)).map((t) => t.text!);
    const quotes = report.themes.flatMap((t) => t.quotes);
    expect(quotes.length).toBeGreaterThan(20);
    for (const quote of quotes) expect(allowedText.some((text) => text.includes(quote.text.replace(/…$/, "")))).toBe(true);
  });

  it("lists, for each theme, the changes made in the revision that followed, linked to the clause in the redline", async () => {
    const report = await seeded();
    expect(report.revisions).toEqual([{ version: "1.0", label: "Consultation draft", compareHref: "/specs/adult-external-beam-radiotherapy/compare/0.9...1.0" }]);
    const travel = report.themes.find((t) => t.code === "T01")!;
    expect(travel.changes.length).toBeGreaterThan(2);
    const rural = travel.changes.find((c) => c.clauseId === "rural-coastal-sparse-areas")!;
    expect(rural).toMatchObject({ fromNumber: "1.2.2", toNumber: "1.2.2", version: "1.0", href: "/specs/adult-external-beam-radiotherapy/compare/0.9...1.0#c_rural-coastal-sparse-areas" });
    expect(travel.decision).toMatchObject({ decision: "adopted" });
    const trials = report.themes.find((t) => t.code === "T11")!;
    expect(trials.changes).toEqual([]);
    expect(trials.outcome).toMatch(/already ask every member site/);
  });

  it("measures the agreement of the double-coded sample", async () => {
    const report = await seeded();
    expect(report.coding.doubleCoded).toBeGreaterThan(20);
    expect(report.coding.kappa).toBeGreaterThan(0.6);
    expect(report.coding.kappa).toBeLessThanOrEqual(1);
  });
});

describe("a published report never changes", () => {
  it("keeps its counts and theme titles when codings and the register change afterwards, while the live build moves on", async () => {
    const db = await getDatabase();
    const before = await seeded();
    const coder = (await findUserByEmail(db, "editor@example.nhs.uk"))!;
    const uncoded = await db
      .selectFrom("consultation_responses")
      .select("id")
      .where("consultation_id", "=", ENGAGEMENT)
      .where("id", "not in", (eb) => eb.selectFrom("codings").select("response_id").where("theme_code", "=", "T12").where("removed_at", "is", null))
      .executeTakeFirstOrThrow();
    await codeResponse(db, { id: coder.id, email: coder.email, name: coder.name, role: coder.role, created_at: coder.created_at, disabled_at: null }, { consultationId: ENGAGEMENT, responseId: uncoded.id, themeCode: "T12", pass: 1, stance: "supports", evidenceRich: false, origin: "coder" });
    await saveTheme(db, { code: "T12", title: "Protocols, audit and data", description: "Renamed after publication.", source: "Engagement 2016", status: "open" }, { id: coder.id, email: coder.email }, "update");

    const live = (await buildReport(db, ENGAGEMENT))!;
    expect(live.themes.find((t) => t.code === "T12")!.responses).toBe(before.themes.find((t) => t.code === "T12")!.responses + 1);
    expect(live.themes.find((t) => t.code === "T12")!.title).toBe("Protocols, audit and data");

    const after = await seeded();
    expect(after).toEqual(before);
    const page = await (await call(h(reportPage.loader), `/consultations/${ENGAGEMENT}/report`, params(ENGAGEMENT))).json();
    expect(page.report.themes.find((t: { code: string }) => t.code === "T12").title).toBe("Protocols and audit burden");
  });

  it("is refused by the database if anything tries to rewrite or delete it", async () => {
    const db = await getDatabase();
    await expect(sql`UPDATE consultation_reports SET content_json = '{}' WHERE consultation_id = ${ENGAGEMENT}`.execute(db)).rejects.toThrow(/never changes/);
    await expect(sql`DELETE FROM consultation_reports WHERE consultation_id = ${ENGAGEMENT}`.execute(db)).rejects.toThrow(/never changes/);
  });
});

describe("the report page", () => {
  it("is public once published, with its files from the same snapshot", async () => {
    const response = await call(h(reportPage.loader), `/consultations/${ENGAGEMENT}/report`, params(ENGAGEMENT));
    expect(response.status).toBe(200);
    const page = await response.json();
    expect(page.draft).toBe(false);
    const snapshot = await seeded();
    expect(page.report).toEqual(snapshot);

    const json = await call(h(reportJson.loader), `/consultations/${ENGAGEMENT}/report.json`, params(ENGAGEMENT));
    expect(json.headers.get("Content-Type")).toMatch(/application\/json/);
    const { publishedAt, ...fromJson } = await json.json();
    expect(fromJson).toEqual(snapshot);
    expect(typeof publishedAt).toBe("string");

    const csv = await (await call(h(reportCsv.loader), `/consultations/${ENGAGEMENT}/report.csv`, params(ENGAGEMENT))).text();
    const travel = snapshot.themes.find((t) => t.code === "T01")!;
    expect(csv.split("\r\n")[0]).toBe("section,theme,item,count,text");
    expect(csv).toContain(`theme,Travel and access,Responses,${travel.responses},`);

    const docx = await call(h(reportDocx.loader), `/consultations/${ENGAGEMENT}/report.docx`, params(ENGAGEMENT));
    expect(docx.headers.get("Content-Disposition")).toBe(`attachment; filename="${ENGAGEMENT}-report.docx"`);
    const files = unzipSync(new Uint8Array(await docx.arrayBuffer()));
    const xml = strFromU8(files["word/document.xml"]!);
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(" ");
    expect(text).toContain("Who responded");
    expect(text).toContain(`${travel.responses} responses`);
    expect(strFromU8(files["word/settings.xml"]!)).not.toContain("trackRevisions");
  });

  it("answers 404 with a plain message to the public before publication, and its files too", async () => {
    const response = await call(h(reportPage.loader), `/consultations/${CONSULTATION}/report`, params(CONSULTATION));
    expect(response.status).toBe(404);
    expect((await response.json()).message).toMatch(/has not been published yet/);
    for (const [route, suffix] of [[reportJson, "json"], [reportCsv, "csv"], [reportDocx, "docx"]] as const) {
      expect((await call(h(route.loader), `/consultations/${CONSULTATION}/report.${suffix}`, params(CONSULTATION))).status).toBe(404);
    }
    expect((await call(h(reportPage.loader), `/consultations/no-such-thing/report`, params("no-such-thing"))).status).toBe(404);
  });

  it("shows staff a live draft, and only a commissioner the way to publish it", async () => {
    const asEditor = await (await call(h(reportPage.loader), `/consultations/${CONSULTATION}/report`, { ...params(CONSULTATION), cookie: editor })).json();
    expect(asEditor).toMatchObject({ draft: true, canPublish: false });
    const asCommissioner = await (await call(h(reportPage.loader), `/consultations/${CONSULTATION}/report?publish=confirm`, { ...params(CONSULTATION), cookie: commissioner })).json();
    expect(asCommissioner).toMatchObject({ draft: true, canPublish: true, confirming: true });
    const refused = await call(h(reportPage.action), `/consultations/${CONSULTATION}/report`, { ...params(CONSULTATION), cookie: editor, form: { intent: "publish" } });
    expect(refused.status).toBe(403);
    expect(await publishedReport(await getDatabase(), CONSULTATION)).toBeNull();
  });
});

describe("decisions and publishing", () => {
  it("refuses a decision without a reason, with the problem by field, and stores nothing", async () => {
    const response = await call(h(decisions.action), `/consultations/${CONSULTATION}/decisions`, { ...params(CONSULTATION), cookie: commissioner, form: { theme: "T01", decision: "adopted", reason: "  " } });
    expect(response.status).toBe(400);
    expect((await response.json()).fields.reason).toMatch(/Enter the reason/);
    const wrong = await call(h(decisions.action), `/consultations/${CONSULTATION}/decisions`, { ...params(CONSULTATION), cookie: commissioner, form: { theme: "T01", decision: "maybe", reason: "Because." } });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).fields.decision).toMatch(/Choose whether/);
    const db = await getDatabase();
    expect(await db.selectFrom("theme_decisions").selectAll().where("consultation_id", "=", CONSULTATION).execute()).toEqual([]);
  });

  it("answers bad input with a 4xx that says what is wrong: an unknown theme, a reason too long, a stray intent, an odd address", async () => {
    const post = (form: Record<string, string>, id = CONSULTATION) => call(h(decisions.action), `/consultations/${id}/decisions`, { ...params(id), cookie: commissioner, form });
    const unknown = await post({ theme: "T99", decision: "adopted", reason: "Because." });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toBe("There is no theme T99.");
    const long = await post({ theme: "T01", decision: "adopted", reason: "x".repeat(5001) });
    expect(long.status).toBe(400);
    expect((await long.json()).fields.reason).toMatch(/5,000 characters or fewer/);
    const nowhere = await post({ theme: "T01", decision: "adopted", reason: "Because." }, "no-such-consultation");
    expect(nowhere.status).toBe(404);
    const stray = await call(h(reportPage.action), `/consultations/${CONSULTATION}/report`, { ...params(CONSULTATION), cookie: commissioner, form: { intent: "delete" } });
    expect(stray.status).toBe(400);
    for (const id of ["%00", "../../etc", "x".repeat(5000)]) expect((await call(h(reportJson.loader), `/consultations/${encodeURIComponent(id)}/report.json`, params(id))).status).toBe(404);
    expect(await publishedReport(await getDatabase(), CONSULTATION)).toBeNull();
  });

  it("lets only a commissioner decide, then publish once; after that the decisions are fixed", async () => {
    const form = { theme: "T01", decision: "partly-adopted", reason: "Journeys stay as they are for common cancers." };
    expect((await call(h(decisions.loader), `/consultations/${CONSULTATION}/decisions`, { ...params(CONSULTATION), cookie: editor })).status).toBe(403);
    expect((await call(h(decisions.action), `/consultations/${CONSULTATION}/decisions`, { ...params(CONSULTATION), cookie: editor, form })).status).toBe(403);
    expect((await call(h(decisions.action), `/consultations/${CONSULTATION}/decisions`, { ...params(CONSULTATION), cookie: commissioner, form })).status).toBe(200);
    const page = await (await call(h(decisions.loader), `/consultations/${CONSULTATION}/decisions`, { ...params(CONSULTATION), cookie: commissioner })).json();
    expect(page.themes.find((t: { code: string }) => t.code === "T01")).toMatchObject({ decision: "partly-adopted", reason: form.reason });

    const published = await call(h(reportPage.action), `/consultations/${CONSULTATION}/report`, { ...params(CONSULTATION), cookie: commissioner, form: { intent: "publish" } });
    expect(published.status).toBe(303);
    expect(published.headers.get("Location")).toBe(`/consultations/${CONSULTATION}/report?published`);
    const report = (await publishedReport(await getDatabase(), CONSULTATION))!.report;
    expect(report.themes.find((t) => t.code === "T01")!.decision).toEqual({ decision: "partly-adopted", reason: form.reason });

    const again = await call(h(reportPage.action), `/consultations/${CONSULTATION}/report`, { ...params(CONSULTATION), cookie: commissioner, form: { intent: "publish" } });
    expect(again.status).toBe(409);
    const later = await call(h(decisions.action), `/consultations/${CONSULTATION}/decisions`, { ...params(CONSULTATION), cookie: commissioner, form: { ...form, decision: "adopted" } });
    expect(later.status).toBe(409);
    expect((await publishedReport(await getDatabase(), CONSULTATION))!.report).toEqual(report);
    const audit = await (await getDatabase()).selectFrom("audit_log").select(["action", "actor"]).where("object_id", "=", CONSULTATION).where("action", "=", "report.publish").execute();
    expect(audit).toEqual([{ action: "report.publish", actor: "commissioner@example.nhs.uk" }]);
  });
});

describe("themes grounded in published reports", () => {
  const SLUG = "adult-external-beam-radiotherapy";
  const range = { params: { slug: SLUG, range: "0.9...1.0" } };

  it("a theme's page shows, per published report, how many raised it, their views, quotes and the decision", async () => {
    const travel = (await seeded()).themes.find((t) => t.code === "T01")!;
    const page = await (await call(h(themePage.loader), "/themes/T01", { params: { code: "T01" } })).json();
    const inEngagement = page.reports.find((r: { consultation: { id: string } }) => r.consultation.id === ENGAGEMENT);
    expect(inEngagement.theme).toEqual(travel);
    expect(inEngagement.reportHref).toBe(`/consultations/${ENGAGEMENT}/report#theme_T01`);
    const list = await (await call(h(themeList.loader), "/themes")).json();
    expect(list.themes.find((t: { code: string }) => t.code === "T01").responses).toBeGreaterThanOrEqual(travel.responses);
  });

  it("“you said, we did” gains the counts and quotes of the report of the consultation on the earlier version, in its page, JSON and CSV", async () => {
    const travel = (await seeded()).themes.find((t) => t.code === "T01")!;
    const page = await (await call(h(youSaid.loader), `/specs/${SLUG}/compare/0.9...1.0/themes`, range)).json();
    expect(page.said.reportHref).toBe(`/consultations/${ENGAGEMENT}/report`);
    expect(page.said.byTheme.T01).toEqual(travel);
    const json = await (await call(h(youSaidJson.loader), `/specs/${SLUG}/compare/0.9...1.0/themes.json`, range)).json();
    expect(json.consultation).toMatchObject({ id: ENGAGEMENT });
    expect(json.themes.find((t: { code: string }) => t.code === "T01").said).toMatchObject({ responses: travel.responses, quotes: travel.quotes, decision: travel.decision });
    const csv = await (await call(h(youSaidCsv.loader), `/specs/${SLUG}/compare/0.9...1.0/themes.csv`, range)).text();
    expect(csv.split("\r\n")[0]).toBe("theme,theme title,clause id,old number,new number,what changed and why,responses that raised it,what people said,who said it");
    expect(csv).toContain(`T01,Travel and access,,,,,${travel.responses},${csvCell(travel.quotes[0]!.text)},${csvCell(travel.quotes[0]!.attribution)}`);
  });
});
