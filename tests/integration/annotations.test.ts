import { call, signIn, type Handler } from "./app";
import { beforeAll, describe, expect, it } from "vitest";
import * as api from "~/routes/api.specs.$slug.versions.$version.annotations";
import * as themesJson from "~/routes/specs.$slug.compare.$range_.themes[.]json";
import * as themesCsv from "~/routes/specs.$slug.compare.$range_.themes[.]csv";
import * as report from "~/routes/specs.$slug.compare.$range_.themes";
import * as themePage from "~/routes/themes.$code";
import * as drafts from "~/routes/specs.$slug.drafts";

const SLUG = "adult-external-beam-radiotherapy";
const h = (fn: unknown) => fn as Handler;
const STAFF_NOTE = "Make this a requirement: without image transfer and remote planning the network cannot work as one.";
const url = (version: string) => `/api/specs/${SLUG}/versions/${version}/annotations`;
const params = (version: string) => ({ slug: SLUG, version });

let editor: string;
beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
});

const list = async (version: string, cookie?: string) => {
  const response = await call(h(api.loader), url(version), { cookie, params: params(version) });
  return { status: response.status, body: (await response.json()) as { annotations?: { body: string; visibility: string; themes: string[]; quote: string | null; start: number | null }[]; error?: string } };
};
const post = (version: string, json: unknown, cookie: string | undefined = editor) => call(h(api.action), url(version), { cookie, json, params: params(version) });

describe("annotations: who sees what", () => {
  it("shows the public only public annotations, and staff all of them", async () => {
    const publicView = await list("0.9");
    expect(publicView.status).toBe(200);
    expect(publicView.body.annotations!.map((a) => a.visibility)).toEqual(["public", "public", "public"]);
    expect(JSON.stringify(publicView.body)).not.toContain(STAFF_NOTE);
    const staffView = await list("0.9", editor);
    expect(staffView.body.annotations).toHaveLength(4);
    expect(staffView.body.annotations!.some((a) => a.body === STAFF_NOTE && a.visibility === "staff")).toBe(true);
  });

  it("keeps staff annotations out of every public page and export", async () => {
    const json = await (await call(h(themesJson.loader), `/specs/${SLUG}/compare/0.9...1.0/themes.json`, { params: { slug: SLUG, range: "0.9...1.0" } })).text();
    const csv = await (await call(h(themesCsv.loader), `/specs/${SLUG}/compare/0.9...1.0/themes.csv`, { params: { slug: SLUG, range: "0.9...1.0" } })).text();
    const page = await (await call(h(report.loader), `/specs/${SLUG}/compare/0.9...1.0/themes`, { params: { slug: SLUG, range: "0.9...1.0" } })).text();
    const theme = await (await call(h(themePage.loader), "/themes/T07", { params: { code: "T07" } })).text();
    for (const output of [json, csv, page, theme]) expect(output).not.toContain("without image transfer");
    expect(json).toContain("Several people said that moving radical treatment");
  });

  it("keeps drafts' annotations from the public: a draft is not found", async () => {
    const created = await call(h(drafts.action), `/specs/${SLUG}/drafts`, { cookie: editor, form: { from: "1.0" }, params: { slug: SLUG } });
    expect(created.status).toBe(302);
    expect((await list("1.1")).status).toBe(404);
    expect((await list("1.1", editor)).status).toBe(200);
  });
});

describe("adding annotations", () => {
  it("adds an annotation on a passage, taking the quote and context from the clause", async () => {
    const response = await post("1.0", { clauseId: "host-provider", start: 0, end: 38, kind: "question", body: "Who appoints the host provider?", visibility: "public", themes: ["T05"] });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: number };
    expect(id).toBeGreaterThan(0);
    const added = (await list("1.0")).body.annotations!.find((a) => a.body === "Who appoints the host provider?")!;
    expect(added).toMatchObject({ quote: "Each network will have a host provider", start: 0, themes: ["T05"], visibility: "public" });
  });

  it("needs a session", async () => {
    const response = await post("1.0", { clauseId: "host-provider", kind: "comment", body: "Hello", visibility: "public" }, "");
    expect(response.status).toBe(401);
  });

  it.each([
    [{ clauseId: "nope", kind: "comment", body: "x", visibility: "public" }, 400, "there is no clause “nope” in version 1.0"],
    [{ clauseId: "host-provider", start: 10, end: 5, kind: "comment", body: "x", visibility: "public" }, 400, "start and end must mark text within the clause"],
    [{ clauseId: "host-provider", start: 0, end: 4, quote: "Nope", kind: "comment", body: "x", visibility: "public" }, 400, "the quote does not match the clause's text at 0–4"],
    [{ clauseId: "host-provider", kind: "shout", body: "x", visibility: "public" }, 400, "kind: Invalid option"],
    [{ clauseId: "host-provider", kind: "comment", body: "   ", visibility: "public" }, 400, "write something in the annotation"],
    [{ clauseId: "host-provider", kind: "comment", body: "x", visibility: "everyone" }, 400, "visibility: Invalid option"],
    [{ clauseId: "host-provider", kind: "comment", body: "x", visibility: "public", themes: ["T99"] }, 400, "unknown theme T99"],
    [{ clauseId: "host-provider", kind: "comment", body: "x", visibility: "public", extra: 1 }, 400, "body: Unrecognized key"],
    [{ clauseId: "host-provider", kind: "comment", body: "a\u0000b", visibility: "public" }, 400, "the annotation has a control character U+0000 (null) at character 2"],
    [{ clauseId: "host-provider", kind: "comment", body: "a\u202eb", visibility: "public" }, 400, "the annotation has an invisible text-direction character U+202E (right-to-left override) at character 2"],
  ])("refuses %j with %i", async (json, status, message) => {
    const before = (await list("1.0", editor)).body.annotations!.length;
    const response = await post("1.0", json);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toContain(message);
    expect((await list("1.0", editor)).body.annotations).toHaveLength(before);
  });
});
