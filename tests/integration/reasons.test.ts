// Reasons that travel, and theme titles that stay as they were published: comparing 0.9 with a
// later 1.1 keeps what 1.0 said about each change, and renaming a theme in the register never
// rewrites what a published version shows. Through the app's own loaders and actions.
import { call, signIn } from "./app";
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseResponses } from "~/domain/responses";
import { isChange } from "~/domain/redline";
import { getDatabase } from "~/models/app-database.server";
import { comparePublicVersions, reasonsOnTheWay } from "~/models/compare.server";
import { importResponses } from "~/models/responses.server";
import { saveTheme } from "~/models/themes.server";
import type { ThemeFields } from "~/domain/themes";
import { findUserByEmail } from "~/models/users.server";
import * as clausePage from "~/routes/specs.$slug.clauses.$clauseId";
import * as compare from "~/routes/specs.$slug.compare.$range";
import * as youSaid from "~/routes/specs.$slug.compare.$range_.themes";
import * as youSaidCsv from "~/routes/specs.$slug.compare.$range_.themes[.]csv";
import * as youSaidJson from "~/routes/specs.$slug.compare.$range_.themes[.]json";
import * as themePage from "~/routes/themes.$code";
import { act, editClause, h, SLUG, startDraft } from "./drafting";

const OLD_TITLE = "Travel and access";
const NEW_TITLE = "Journeys to treatment";
const SEED = JSON.parse(readFileSync("specs/adult-external-beam-radiotherapy/responses-1.0.json", "utf8")) as { summary: string; changes: { clauseId: string; rationale: string }[] };
const seededReason = (id: string) => SEED.changes.find((c) => c.clauseId === id)!.rationale;
const NEW_REASON = "Subspecialist advice is now given within two working days, as respondents to the 2017 consultation asked.";

type Reason = { version: string; rationale: string; themes: { code: string; title: string }[] };
const page = async (range: string) => (await call(h(compare.loader), `/specs/${SLUG}/compare/${range}`, { params: { slug: SLUG, range } })).json();
const themes = async (range: string) => (await call(h(youSaid.loader), `/specs/${SLUG}/compare/${range}/themes`, { params: { slug: SLUG, range } })).json();
const text = async (handler: unknown, range: string, suffix: string) => (await call(h(handler), `/specs/${SLUG}/compare/${range}/themes${suffix}`, { params: { slug: SLUG, range } })).text();

let editor: string;
let commissioner: string;
let later: string;

beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
});

describe("the seed's reasons and summary", () => {
  it("gives every change on the public 0.9...1.0 redline a reason, or says in plain words why it needs none", async () => {
    const data = await page("0.9...1.0");
    const changes = data.rows.filter(isChange);
    expect(changes).toHaveLength(31);
    const unexplained = changes.filter((row: { id: string }) => !data.reasons[row.id]?.length && !data.described[row.id].noReason);
    expect(unexplained.map((row: { id: string }) => row.id)).toEqual([]);
    expect(data.reasons["growth-in-demand"][0].rationale).toBe(seededReason("growth-in-demand"));
  });

  it("shows 1.0's revision summary at the top of its compare page", async () => {
    const data = await page("0.9...1.0");
    expect(data.revisions).toEqual([expect.objectContaining({ number: "1.0", summary: SEED.summary })]);
    expect(SEED.summary.length).toBeGreaterThan(100);
  });

  it("names each change by number, heading and first words, and says what happened in plain words", async () => {
    const { described } = await page("0.9...1.0");
    expect(described["less-common-cancers"]).toMatchObject({ name: expect.stringMatching(/^3\.2\.9 Service description and care pathway: \S.+…$/), status: "Changed", place: null });
    expect(described["growth-in-demand"]).toMatchObject({ name: expect.stringMatching(/^1\.1\.5 National context: Demand for radiotherapy will continue/), status: "Changed", place: "Number changed from 1.1.4" });
    expect(described["operating-hours"]).toMatchObject({ status: "Moved from 3.2.15" });
    expect(described["aim-concentrate-expertise"]).toMatchObject({ status: "Removed" });
    expect(described["access-to-radiotherapy"]).toMatchObject({ status: "New" });
    expect(described["local-outcomes"]).toMatchObject({ name: "2.2 Local outcome measures", status: "Renamed" });
    for (const about of Object.values(described) as { status: string; place: string | null }[]) expect(`${about.status} ${about.place}`).not.toMatch(/Renumbered|Orphaned|modified|inserted|deleted/);
  });

  it("says why a clause whose number alone changed needs no reason, from what happened around it", async () => {
    const db = await getDatabase();
    const result = await comparePublicVersions(db, SLUG, "0.9", "1.0");
    if (!result.ok) throw new Error("no comparison");
    const renumbered = result.comparison.rows.filter((row) => row.kind === "clause" && row.status === "unchanged" && row.from!.number !== row.to!.number);
    expect(renumbered.length).toBeGreaterThan(0);
    for (const row of renumbered) expect(result.comparison.described[row.id]!.noReason).toMatch(/^Only its number changed, because (a clause was added before it|\d+ clauses were added before it|a clause before it was (removed|moved elsewhere)|.+)\.$/);
    // 1.1.5 … 1.1.n moved down because access-to-radiotherapy was added at 1.1.2.
    const after = renumbered.find((row) => row.to!.parent === "national-context");
    if (after) expect(result.comparison.described[after.id]!.noReason).toBe("Only its number changed, because a clause was added before it.");
  });

  it("keeps older responses files without a summary valid, and refuses a different summary for the sealed 1.0", async () => {
    const { summary: _, ...old } = JSON.parse(readFileSync("specs/adult-external-beam-radiotherapy/responses-1.0.json", "utf8"));
    const parsed = parseResponses(JSON.stringify(old));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const db = await getDatabase();
    await expect(importResponses(db, parsed.responses)).resolves.toMatchObject({ stored: 0 });
    await expect(importResponses(db, { ...parsed.responses, summary: "Something else entirely." })).rejects.toThrow(/summary of the revision differs/);
    expect((await db.selectFrom("versions").select("summary").where("number", "=", "1.0").executeTakeFirstOrThrow()).summary).toBe(SEED.summary);
  });
});

describe("theme titles as they stood when a version was sealed", () => {
  beforeAll(async () => {
    const db = await getDatabase();
    const admin = (await findUserByEmail(db, "admin@example.nhs.uk"))!;
    const t01 = (await db.selectFrom("themes").selectAll().where("code", "=", "T01").executeTakeFirstOrThrow());
    expect(t01.title).toBe(OLD_TITLE);
    await saveTheme(db, { code: "T01", title: NEW_TITLE, description: "Entirely new words for the register.", source: t01.source, status: t01.status as ThemeFields["status"] }, { id: admin.id, email: admin.email }, "update");
  });

  it("keep the old title on the 0.9...1.0 “you said, we did” page, CSV and JSON after T01 is renamed", async () => {
    const report = await themes("0.9...1.0");
    const t01 = report.themes.find((t: { code: string }) => t.code === "T01");
    expect(t01).toMatchObject({ title: OLD_TITLE });
    expect(t01.description).not.toBe("Entirely new words for the register.");
    const csv = await text(youSaidCsv.loader, "0.9...1.0", ".csv");
    expect(csv).toContain(`T01,${OLD_TITLE},`);
    expect(csv).not.toContain(NEW_TITLE);
    const json = JSON.parse(await text(youSaidJson.loader, "0.9...1.0", ".json"));
    expect(json.themes.find((t: { code: string }) => t.code === "T01").title).toBe(OLD_TITLE);
    expect(JSON.stringify(json)).not.toContain(NEW_TITLE);
  });

  it("keep the old title beside each change on the compare page and in a clause's history, while the register shows the new one", async () => {
    const data = await page("0.9...1.0");
    expect(data.reasons["less-common-cancers"][0].themes).toContainEqual({ code: "T01", title: OLD_TITLE });
    expect(JSON.stringify(data)).not.toContain(NEW_TITLE);
    const history = await (await call(h(clausePage.loader), `/specs/${SLUG}/clauses/less-common-cancers`, { params: { slug: SLUG, clauseId: "less-common-cancers" } })).json();
    expect(history.steps[1].note.themes).toContainEqual({ code: "T01", title: OLD_TITLE });
    const register = await (await call(h(themePage.loader), "/themes/T01", { params: { code: "T01" } })).json();
    expect(register.theme.title).toBe(NEW_TITLE);
  });
});

describe("reasons that travel", () => {
  beforeAll(async () => {
    const id = await startDraft(editor, "1.0");
    expect(await editClause(id, editor, "less-common-cancers", "Less common cancers will be planned with subspecialist advice given within two working days.")).toBe(200);
    expect((await act(id, editor, [["intent", "note"], ["clauseId", "less-common-cancers"], ["rationale", NEW_REASON], ["themes", "T01"], ["themes", "T09"]])).status).toBe(200);
    const db = await getDatabase();
    await db.updateTable("versions").set({ summary: "Faster subspecialist advice for less common cancers." }).where("id", "=", id).execute();
    expect((await act(id, editor, { intent: "submit" })).status).toBe(302);
    expect((await act(id, commissioner, { intent: "approve" })).status).toBe(302);
    expect((await act(id, commissioner, { intent: "publish", label: "Revision", "date-day": "1", "date-month": "3", "date-year": "2018" })).status).toBe(302);
    later = (await db.selectFrom("versions").select("number").where("id", "=", id).executeTakeFirstOrThrow()).number;
  });

  it("shows, comparing 0.9 with the later version, 1.0's reason and the later one's, each with its version, in order", async () => {
    const data = await page(`0.9...${later}`);
    const reasons: Reason[] = data.reasons["less-common-cancers"];
    expect(reasons.map((r) => [r.version, r.rationale])).toEqual([
      ["1.0", seededReason("less-common-cancers")],
      [later, NEW_REASON],
    ]);
    // Each reason names its themes as its own version showed them: T01 was renamed after 1.0 was sealed, before the later one was.
    expect(reasons[0]!.themes).toContainEqual({ code: "T01", title: OLD_TITLE });
    expect(reasons[1]!.themes).toEqual([
      { code: "T01", title: NEW_TITLE },
      { code: "T09", title: expect.any(String) },
    ]);
    // A clause only 1.0 changed keeps 1.0's reason on the longer comparison.
    expect(data.reasons["host-provider"]).toEqual([expect.objectContaining({ version: "1.0", rationale: seededReason("host-provider") })]);
    expect(data.revisions.map((r: { number: string; summary: string }) => [r.number, r.summary])).toEqual([
      ["1.0", SEED.summary],
      [later, "Faster subspecialist advice for less common cancers."],
    ]);
  });

  it("keeps 1.0's reasons in “you said, we did” for the longer comparison, with each change once", async () => {
    const report = await themes(`0.9...${later}`);
    const ids = report.changes.map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const change = report.changes.find((c: { id: string }) => c.id === "less-common-cancers");
    expect(change.reasons.map((r: Reason) => r.version)).toEqual(["1.0", later]);
    const t09 = report.themes.find((t: { code: string }) => t.code === "T09");
    expect(t09.changes).toContain("less-common-cancers");
    const json = JSON.parse(await text(youSaidJson.loader, `0.9...${later}`, ".json"));
    const travel = json.themes.find((t: { code: string }) => t.code === "T01").changes.find((c: { clauseId: string }) => c.clauseId === "less-common-cancers");
    expect(travel.reasons.map((r: { version: string }) => r.version)).toEqual(["1.0", later]);
    expect(travel.rationale).toBe(`In version 1.0: ${seededReason("less-common-cancers")} In version ${later}: ${NEW_REASON}`);
  });

  it("keeps the title each version was approved with when the theme is renamed again afterwards", async () => {
    const db = await getDatabase();
    const admin = (await findUserByEmail(db, "admin@example.nhs.uk"))!;
    const t01 = await db.selectFrom("themes").selectAll().where("code", "=", "T01").executeTakeFirstOrThrow();
    await saveTheme(db, { code: "T01", title: "A third title", description: t01.description, source: t01.source, status: t01.status as ThemeFields["status"] }, { id: admin.id, email: admin.email }, "update");
    const data = await page(`0.9...${later}`);
    const titles = data.reasons["less-common-cancers"].map((r: Reason) => r.themes.find((t) => t.code === "T01")!.title);
    expect(titles).toEqual([OLD_TITLE, NEW_TITLE]);
    expect(JSON.stringify(await themes(`0.9...${later}`))).not.toContain("A third title");
  });

  it("computes the chain in the model from the published versions between the two, whichever way round they are given", async () => {
    const db = await getDatabase();
    const result = await comparePublicVersions(db, SLUG, later, "0.9");
    if (!result.ok) throw new Error("no comparison");
    const way = await reasonsOnTheWay(db, result.comparison);
    expect(way.revisions.map((r) => r.number)).toEqual(["1.0", later]);
    const onlyLater = await comparePublicVersions(db, SLUG, "1.0", later);
    if (!onlyLater.ok) throw new Error("no comparison");
    expect((await reasonsOnTheWay(db, onlyLater.comparison)).reasons["less-common-cancers"]!.map((r) => r.version)).toEqual([later]);
  });
});
