// The version page's annotation forms: a problem comes back beside the form (400, the message on
// its field, what was typed kept, nothing stored), and a thread's quoted words are placed in
// its clause's text for the highlight.
import { call, signIn, type Handler } from "./app";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase } from "~/models/app-database.server";
import * as versionPage from "~/routes/specs.$slug.v.$version";
import type { AnnotationResult } from "~/components/version-annotations";
import type { PageThread } from "~/models/annotations.server";
import { snapshot } from "./database";
import { addAnnotation } from "~/models/annotations.server";
import { findVersion } from "~/models/versions.server";
import { numberById } from "~/domain/numbering";

const SLUG = "adult-external-beam-radiotherapy";
const h = (fn: unknown) => fn as Handler;
const params = { slug: SLUG, version: "1.0" };
const url = `/specs/${SLUG}/v/1.0`;
const QUOTE = "agreed with NHS England";

let editor: string;
beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
});

const send = (form: [string, string][], cookie = editor) => call(h(versionPage.action), url, { cookie, form, params });
const annotate = (fields: Record<string, string>, themes: string[] = []) =>
  send([...Object.entries({ intent: "annotate", clauseId: "host-provider", quote: QUOTE, kind: "question", visibility: "public", body: "Who agrees it?", ...fields }), ...themes.map((t): [string, string] => ["themes", t])]);
const page = async (cookie?: string) => (await (await call(h(versionPage.loader), url, { cookie, params })).json()) as { annotations: Record<string, PageThread[]>; orphaned: { clauseNumber: string }[] };
const everything = async () => snapshot(await getDatabase());

describe("a new annotation's problems, beside its form", () => {
  it.each([
    ["an empty body", { body: "   " }, [], "body", "Enter your annotation"],
    ["a body too long", { body: "x".repeat(10_001) }, [], "body", "Your annotation must be 10,000 characters or fewer"],
    ["a body with a text-direction override", { body: "a\u202eb" }, [], "body", "Your annotation has an invisible text-direction character U+202E (right-to-left override) at character 2"],
    ["a theme not in the register", {}, ["T05", "T99"], "themes", "Choose themes from the list"],
    ["a quote that is not in the clause", { quote: "words from somewhere else" }, ["T05"], "quote", "The quoted words are not in this clause: select them in the clause's text, or leave this empty"],
    ["an unknown kind", { kind: "shout" }, [], "kind", "Choose what kind of annotation this is"],
  ] as [string, Partial<Record<"body" | "quote" | "kind", string>>, string[], string, string][])("answers %s with 400, the message on its field, what was typed kept, and nothing stored", async (_case, fields, themes, field, message) => {
    const before = await everything();
    const response = await annotate(fields, themes);
    expect(response.status).toBe(400);
    const result = (await response.json()) as AnnotationResult & { error: string | null };
    expect(result.error).toBeNull();
    expect(result.failure).toMatchObject({ form: "annotate", clauseId: "host-provider" });
    const failure = result.failure as Extract<NonNullable<AnnotationResult["failure"]>, { form: "annotate" }>;
    expect(failure.fields[field]).toContain(message);
    expect(failure.fields[field]).toMatch(/^[A-Z]/);
    // What was typed comes back, less any character the text policy refuses.
    expect(failure.values).toEqual({ quote: fields.quote ?? QUOTE, kind: fields.kind ?? "question", visibility: "public", body: (fields.body ?? "Who agrees it?").replace("\u202e", ""), themes });
    expect(await everything()).toEqual(before);
  });

  it("refuses a clause this version does not have, for the summary, storing nothing", async () => {
    const before = await everything();
    const response = await annotate({ clauseId: "no-such-clause" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as AnnotationResult).failure?.fields.clauseId).toBe("Choose a clause of this version");
    expect(await everything()).toEqual(before);
  });

  it("answers an empty reply beside its thread, keeping nothing but the problem", async () => {
    const thread = (await page(editor)).annotations["host-provider"]!.find((t) => !t.carried) ?? null;
    const parentId = thread?.id ?? (await page(editor)).annotations["host-provider"]![0]!.id;
    const before = await everything();
    const response = await send([["intent", "reply"], ["parentId", String(parentId)], ["body", ""]]);
    expect(response.status).toBe(400);
    expect(((await response.json()) as AnnotationResult).failure).toEqual({ form: "reply", parentId, fields: { body: "Enter your reply" }, values: { body: "" } });
    expect(await everything()).toEqual(before);
  });
});

describe("an annotation added with its quote and two themes", () => {
  it("is stored with both themes, and the page places its quoted words in the clause's text", async () => {
    const response = await annotate({ body: "Who agrees the host provider?" }, ["T05", "T06"]);
    expect(response.status).toBe(200);
    const result = (await response.json()) as AnnotationResult;
    expect(result.done).toMatchObject({ clauseId: "host-provider", message: "Your annotation is added." });
    const thread = (await page()).annotations["host-provider"]!.find((t) => t.body === "Who agrees the host provider?")!;
    expect(thread).toMatchObject({ author: "Demo Editor", quote: QUOTE, themes: ["T05", "T06"], status: "open", visibility: "public", lastReplyAt: null, carried: null });
    const clause = "Each network will have a host provider, agreed with NHS England, which is accountable";
    expect(thread.range).toEqual({ start: clause.indexOf(QUOTE), end: clause.indexOf(QUOTE) + QUOTE.length });
  });

  it("shows a reply's date as the thread's last reply", async () => {
    const thread = (await page()).annotations["host-provider"]!.find((t) => t.body === "Who agrees the host provider?")!;
    const response = await send([["intent", "reply"], ["parentId", String(thread.id)], ["body", "The commissioner does."]]);
    expect(response.status).toBe(200);
    const after = (await page()).annotations["host-provider"]!.find((t) => t.id === thread.id)!;
    expect(after.replies.map((r) => r.body)).toEqual(["The commissioner does."]);
    expect(after.lastReplyAt).toBe(after.replies[0]!.createdAt);
  });
});

describe("threads carried from 0.9", () => {
  const carried = async (clauseId: string, cookie?: string) => (await page(cookie)).annotations[clauseId]?.filter((t) => t.carried) ?? [];

  it("highlights a quote that moved to another clause where it stands now", async () => {
    const [moved] = await carried("travel-costs-and-accommodation");
    expect(moved).toMatchObject({ quote: "help with travel costs", carried: { fromVersion: "0.9", placement: "moved" } });
    const row = await (await getDatabase()).selectFrom("version_items").innerJoin("versions", "versions.id", "version_items.version_id").select("version_items.plain_text").where("versions.number", "=", "1.0").where("version_items.item_id", "=", "travel-costs-and-accommodation").executeTakeFirstOrThrow();
    expect(row.plain_text.slice(moved!.range!.start, moved!.range!.end)).toBe("help with travel costs");
  });

  it("keeps a thread whose quoted words are gone on its clause, with no range (the page says they are no longer there)", async () => {
    const [gone] = await carried("less-common-cancers");
    expect(gone).toMatchObject({ quote: "centralise radical treatment of these cancers", range: null, carried: { placement: "orphaned" } });
    expect((await page()).orphaned).toEqual([]);
  });

  it("shows the public only public threads, and staff the staff one too", async () => {
    const publicThreads = Object.values((await page()).annotations).flat();
    expect(publicThreads.length).toBeGreaterThan(0);
    expect(publicThreads.every((t) => t.visibility === "public")).toBe(true);
    const staffThreads = Object.values((await page(editor)).annotations).flat();
    expect(staffThreads.some((t) => t.visibility === "staff")).toBe(true);
  });
});

describe("an author's name on the page", () => {
  it("is never an email address, even for an account named with one before names were checked", async () => {
    const db = await getDatabase();
    await db.updateTable("users").set({ name: "old.account@example.nhs.uk" }).where("email", "=", "commissioner@example.nhs.uk").execute();
    const commissioner = await signIn("commissioner@example.nhs.uk");
    const response = await send([["intent", "annotate"], ["clauseId", "oversight-group"], ["kind", "comment"], ["visibility", "public"], ["body", "Named with an address."]], commissioner);
    expect(response.status).toBe(200);
    const thread = (await page()).annotations["oversight-group"]!.find((t) => t.body === "Named with an address.")!;
    expect(thread.author).toBe("A member of staff");
    expect(JSON.stringify(await page())).not.toContain("old.account@");
  });
});

describe("a thread whose clause is gone", () => {
  it("is listed as orphaned with the clause's number in the version it was made on", async () => {
    const db = await getDatabase();
    const older = (await findVersion(db, SLUG, "0.9"))!;
    const author = (await db.selectFrom("users").select(["id", "name", "email"]).where("email", "=", "editor@example.nhs.uk").executeTakeFirstOrThrow());
    // 1.0 dropped this clause of 0.9.
    await addAnnotation(db, { id: older.id, doc: older.doc, slug: SLUG, number: "0.9" }, author, { clauseId: "aim-concentrate-expertise", kind: "comment", body: "Which centres?", visibility: "public" });
    const orphaned = (await page()).orphaned as { body: string; fromVersion: string; clauseNumber: string }[];
    expect(orphaned).toEqual([expect.objectContaining({ body: "Which centres?", fromVersion: "0.9", clauseNumber: numberById(older.doc).get("aim-concentrate-expertise") })]);
    expect(orphaned[0]!.clauseNumber).toMatch(/^\d+(\.\d+)+$/);
  });
});
