import { call, signIn, type Handler } from "./app";
import { beforeAll, describe, expect, it } from "vitest";
import { parseSpec } from "~/domain/source/parse";
import { csvCell } from "~/exports/csv";
import { fileResponse, fileDownload } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import * as apiAnnotations from "~/routes/api.specs.$slug.versions.$version.annotations";
import * as apiDraft from "~/routes/api.drafts.$draftId";
import * as clauseHistory from "~/routes/specs.$slug.clauses.$clauseId";
import * as compare from "~/routes/specs.$slug.compare.$range";
import * as compareIndex from "~/routes/specs.$slug.compare._index";
import * as submitPage from "~/routes/specs.$slug.drafts_.$draftId_.submit";
import * as approvePage from "~/routes/specs.$slug.drafts_.$draftId_.approve";
import * as publishPage from "~/routes/specs.$slug.drafts_.$draftId_.publish";
import * as draftPage from "~/routes/specs.$slug.drafts_.$draftId";
import * as drafts from "~/routes/specs.$slug.drafts";
import * as login from "~/routes/login";
import * as spec from "~/routes/specs.$slug._index";
import * as themesJson from "~/routes/specs.$slug.compare.$range_.themes[.]json";
import * as versionPage from "~/routes/specs.$slug.v.$version";
import * as adminUsers from "~/routes/admin.users";
import * as adminThemes from "~/routes/admin.themes";
import { snapshot } from "./database";

// Hostile and malformed input, each expecting a clear refusal and an unchanged database.
const SLUG = "adult-external-beam-radiotherapy";
const FRONT = "---\nslug: x\ntitle: X\nversion: 1.0\n---\n";
const h = (fn: unknown) => fn as Handler;

let editor: string;
let admin: string;
let commissioner: string;
let draftId: number;
let doc: unknown;

/** Every row the app keeps, to compare before and after a refused request. */
const everything = async () => snapshot(await getDatabase());

beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
  admin = await signIn("admin@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
  const created = await call(h(drafts.action), `/specs/${SLUG}/drafts`, { cookie: editor, form: { from: "1.0" }, params: { slug: SLUG } });
  draftId = Number(/(\d+)$/.exec(created.headers.get("Location") ?? "")![1]);
  doc = ((await (await call(h(apiDraft.loader), `/api/drafts/${draftId}`, { cookie: editor, params: { draftId: String(draftId) } })).json()) as { doc: unknown }).doc;
});

const SOURCE_FILES: [string, string][] = [
  ["no front matter", "# S {#s}\n"],
  ["unclosed front matter", "---\nslug: x\n"],
  ["unknown key", FRONT.replace("version: 1.0", "version: 1.0\nowner: x")],
  ["missing slug", FRONT.replace("slug: x\n", "")],
  ["script in a slug", FRONT.replace("slug: x", "slug: <script>")],
  ["path traversal in a slug", FRONT.replace("slug: x", "slug: ../../etc")],
  ["version with letters", FRONT.replace("version: 1.0", "version: 1.0; DROP TABLE versions")],
  ["duplicate ids", `${FRONT}\n# S {#s}\n\n{#a} A.\n\n{#a} B.\n`],
  ["skipped level", `${FRONT}\n# S {#s}\n\n### T {#t}\n`],
  ["javascript link", `${FRONT}\n# S {#s}\n\n{#a} [x](javascript:alert(1))\n`],
  ["data link", `${FRONT}\n# S {#s}\n\n{#a} [x](data:text/html;base64,PHNjcmlwdD4=)\n`],
  ["vbscript link", `${FRONT}\n# S {#s}\n\n{#a} [x](vbscript:msgbox)\n`],
  ["link with quotes", `${FRONT}\n# S {#s}\n\n{#a} [x](https://a.org/"onmouseover="x)\n`],
  ["NUL byte", `${FRONT}\n# S {#s}\n\n{#a} A\u0000B\n`],
  ["escape character", `${FRONT}\n# S {#s}\n\n{#a} A\u001b[31mB\n`],
  ["lone carriage return", `${FRONT}\n# S {#s}\n\n{#a} A\rB\n`],
  ["unpaired surrogate", `${FRONT}\n# S {#s}\n\n{#a} A\ud800B\n`],
  ["uppercase id", `${FRONT}\n# S {#s}\n\n{#ABC} A.\n`],
  ["id with a quote", `${FRONT}\n# S {#s"x}\n`],
  ["over-long id", `${FRONT}\n# S {#${"a".repeat(101)}}\n`],
  ["text before any heading", `${FRONT}\n<script>alert(1)</script>\n`],
];

describe("source files", () => {
  it.each(SOURCE_FILES)("refuses a file with %s, saying where", (_name, text) => {
    const result = parseSpec(text, "bad.md");
    expect(result.ok).toBe(false);
    if (!result.ok) for (const problem of result.problems) expect(problem.message.length).toBeGreaterThan(10);
  });

  it("refuses invalid UTF-8 and UTF-16", () => {
    expect(parseSpec(new Uint8Array([0x2d, 0x2d, 0x2d, 0xff, 0xfe]), "a.md").ok).toBe(false);
    expect(parseSpec(new Uint8Array([0xff, 0xfe, 0x2d, 0x00]), "a.md").ok).toBe(false);
  });
});

describe("requests", () => {
  const tamper = (replace: [string, string]) => JSON.parse(JSON.stringify(doc).replace(replace[0], replace[1]));
  const cases: [string, () => Promise<Response>][] = [
    // The document JSON the editor posts.
    ["doc: not an object", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: "<script>" }, params: { draftId: String(draftId) } })],
    ["doc: array", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: [] }, params: { draftId: String(draftId) } })],
    ["doc: null", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: null }, params: { draftId: String(draftId) } })],
    ["doc: unknown node", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: tamper(['"type":"paragraph"', '"type":"iframe"']) }, params: { draftId: String(draftId) } })],
    ["doc: unknown mark", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: tamper(['"type":"strong"', '"type":"script"']) }, params: { draftId: String(draftId) } })],
    ["doc: onclick attribute", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: tamper(['"appendix":false', '"appendix":false,"onclick":"x"']) }, params: { draftId: String(draftId) } })],
    ["doc: javascript link", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: tamper(['"type":"strong"', '"type":"link","attrs":{"href":"javascript:alert(1)"}']) }, params: { draftId: String(draftId) } })],
    ["doc: duplicate id", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: tamper(['"id":"current-provision"', '"id":"role-of-radiotherapy"']) }, params: { draftId: String(draftId) } })],
    ["doc: id with markup", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: tamper(['"id":"current-provision"', '"id":"<b>x</b>"']) }, params: { draftId: String(draftId) } })],
    ["doc: appendix as a string", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: tamper(['"appendix":false', '"appendix":"yes"']) }, params: { draftId: String(draftId) } })],
    ["doc: control character", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: tamper(["Radiotherapy is one", "Radiotherapy\\u0007 is one"]) }, params: { draftId: String(draftId) } })],
    ["doc: deeply nested", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: JSON.parse('{"type":"doc","content":'.repeat(60) + "[]" + "}".repeat(60)) }, params: { draftId: String(draftId) } })],
    ["save: negative baseRevision", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: -1, doc }, params: { draftId: String(draftId) } })],
    ["save: baseRevision as text", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: "0", doc }, params: { draftId: String(draftId) } })],
    ["save: huge requestId", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc, requestId: "x".repeat(500) }, params: { draftId: String(draftId) } })],
    ["save: POST instead of PUT", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "POST", cookie: editor, json: { baseRevision: 0, doc }, params: { draftId: String(draftId) } })],
    ["save: prototype pollution", () => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, body: '{"baseRevision":0,"doc":{"type":"doc","__proto__":{"x":1}}}', params: { draftId: String(draftId) } })],
    // Form fields.
    ["login: no fields", () => call(h(login.action), "/login", { form: {} })],
    ["login: SQL in the email", () => call(h(login.action), "/login", { form: { email: "' OR 1=1 --", password: "x" }, address: "10.9.0.1" })],
    ["login: huge password", () => call(h(login.action), "/login", { form: { email: "editor@example.nhs.uk", password: "x".repeat(10_000) }, address: "10.9.0.2" })],
    ["draft: no version", () => call(h(drafts.action), `/specs/${SLUG}/drafts`, { cookie: editor, form: {}, params: { slug: SLUG } })],
    ["draft: unknown version", () => call(h(drafts.action), `/specs/${SLUG}/drafts`, { cookie: editor, form: { from: "9.9" }, params: { slug: SLUG } })],
    ["draft: traversal in the version", () => call(h(drafts.action), `/specs/${SLUG}/drafts`, { cookie: editor, form: { from: "../1.0" }, params: { slug: SLUG } })],
    ["note: unknown clause", () => call(h(draftPage.action), `/specs/${SLUG}/drafts/${draftId}`, { cookie: editor, form: { intent: "note", clauseId: "nope", rationale: "x" }, params: { slug: SLUG, draftId: String(draftId) } })],
    ["note: over-long rationale", () => call(h(draftPage.action), `/specs/${SLUG}/drafts/${draftId}`, { cookie: editor, form: { intent: "note", clauseId: "host-provider", rationale: "x".repeat(6000) }, params: { slug: SLUG, draftId: String(draftId) } })],
    ["note: unknown theme", () => call(h(draftPage.action), `/specs/${SLUG}/drafts/${draftId}`, { cookie: editor, form: { intent: "note", clauseId: "host-provider", rationale: "x", themes: "T99" }, params: { slug: SLUG, draftId: String(draftId) } })],
    ["workflow: unknown intent", () => call(h(draftPage.action), `/specs/${SLUG}/drafts/${draftId}`, { cookie: editor, form: { intent: "delete-everything" }, params: { slug: SLUG, draftId: String(draftId) } })],
    ["workflow: publish a draft", () => call(h(publishPage.action), `/specs/${SLUG}/drafts/${draftId}/publish`, { cookie: editor, form: { intent: "publish", number: "9.0", label: "x" }, params: { slug: SLUG, draftId: String(draftId) } })],
    ["workflow: publish with a number that is not one", () => call(h(publishPage.action), `/specs/${SLUG}/drafts/${draftId}/publish`, { cookie: commissioner, form: { intent: "check", number: "1.0.<b>", label: "x" }, params: { slug: SLUG, draftId: String(draftId) } })],
    ["workflow: publish with an unknown intent", () => call(h(publishPage.action), `/specs/${SLUG}/drafts/${draftId}/publish`, { cookie: commissioner, form: { intent: "explode" }, params: { slug: SLUG, draftId: String(draftId) } })],
    ["workflow: approve a draft", () => call(h(approvePage.action), `/specs/${SLUG}/drafts/${draftId}/approve`, { cookie: editor, form: {}, params: { slug: SLUG, draftId: String(draftId) } })],
    ["workflow: submit with a confirmation that is not a number", () => call(h(submitPage.action), `/specs/${SLUG}/drafts/${draftId}/submit`, { cookie: editor, form: { confirmUnexplained: "all of them" }, params: { slug: SLUG, draftId: String(draftId) } })],
    ["workflow: an over-long summary", () => call(h(draftPage.action), `/specs/${SLUG}/drafts/${draftId}`, { cookie: editor, form: { intent: "summary", summary: "x".repeat(5000) }, params: { slug: SLUG, draftId: String(draftId) } })],
    ["admin: create with no role", () => call(h(adminUsers.action), "/admin/users", { cookie: admin, form: { intent: "create", email: "a@b.c", name: "A", password: "a-long-password" } })],
    ["admin: create with a bad email", () => call(h(adminUsers.action), "/admin/users", { cookie: admin, form: { intent: "create", email: "not an email", name: "A", role: "editor", password: "a-long-password" } })],
    ["admin: create as an editor", () => call(h(adminUsers.action), "/admin/users", { cookie: editor, form: { intent: "create", email: "x@y.z", name: "X", role: "admin", password: "a-long-password" } })],
    ["admin: a role that does not exist", () => call(h(adminUsers.action), "/admin/users", { cookie: admin, form: { intent: "update", userId: "1", role: "superuser" } })],
    ["themes: bad code", () => call(h(adminThemes.action), "/admin/themes", { cookie: admin, form: { intent: "create", code: "t-1!", title: "A", description: "B", source: "C", status: "open" } })],
    ["themes: bad status", () => call(h(adminThemes.action), "/admin/themes", { cookie: admin, form: { intent: "create", code: "T77", title: "A", description: "B", source: "C", status: "maybe" } })],
    ["themes: update a theme that does not exist", () => call(h(adminThemes.action), "/admin/themes", { cookie: admin, form: { intent: "update", code: "T88", title: "A", description: "B", source: "C", status: "open" } })],
    // Ids in addresses.
    ["url: unknown specification", () => call(h(spec.loader), "/specs/%3Cscript%3E", { params: { slug: "<script>" } })],
    ["url: version with traversal", () => call(h(versionPage.loader), `/specs/${SLUG}/v/..%2F..%2Fetc`, { params: { slug: SLUG, version: "../../etc" } })],
    ["url: version with NUL", () => call(h(versionPage.loader), `/specs/${SLUG}/v/1.0%00`, { params: { slug: SLUG, version: "1.0\u0000" } })],
    ["url: compare without a range", () => call(h(compare.loader), `/specs/${SLUG}/compare/nonsense`, { params: { slug: SLUG, range: "nonsense" } })],
    ["url: compare a draft", () => call(h(compare.loader), `/specs/${SLUG}/compare/1.0...1.1`, { params: { slug: SLUG, range: "1.0...1.1" } })],
    ["url: compare form with script", () => call(h(compareIndex.loader), `/specs/${SLUG}/compare?from=<b>&to=1.0`, { params: { slug: SLUG } })],
    ["url: clause id with markup", () => call(h(clauseHistory.loader), `/specs/${SLUG}/clauses/%3Cimg%3E`, { params: { slug: SLUG, clauseId: "<img>" } })],
    ["url: draft id that is not a number", () => call(h(apiDraft.loader), "/api/drafts/1e3", { cookie: editor, params: { draftId: "1e3" } })],
    ["url: draft id out of range", () => call(h(apiDraft.loader), "/api/drafts/99999999999999999999", { cookie: editor, params: { draftId: "99999999999999999999" } })],
    ["url: themes of an unknown range", () => call(h(themesJson.loader), `/specs/${SLUG}/compare/x/themes.json`, { params: { slug: SLUG, range: "x" } })],
    // Annotation bodies.
    ["annotation: not JSON", () => call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/1.0/annotations`, { cookie: editor, body: "<xml/>", params: { slug: SLUG, version: "1.0" } })],
    ["annotation: empty body", () => call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/1.0/annotations`, { cookie: editor, json: { clauseId: "host-provider", kind: "comment", body: "", visibility: "public" }, params: { slug: SLUG, version: "1.0" } })],
    ["annotation: huge body", () => call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/1.0/annotations`, { cookie: editor, json: { clauseId: "host-provider", kind: "comment", body: "x".repeat(20_000), visibility: "public" }, params: { slug: SLUG, version: "1.0" } })],
    ["annotation: range past the text", () => call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/1.0/annotations`, { cookie: editor, json: { clauseId: "host-provider", start: 0, end: 100_000, kind: "comment", body: "x", visibility: "public" }, params: { slug: SLUG, version: "1.0" } })],
    ["annotation: start without end", () => call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/1.0/annotations`, { cookie: editor, json: { clauseId: "host-provider", start: 3, kind: "comment", body: "x", visibility: "public" }, params: { slug: SLUG, version: "1.0" } })],
    ["annotation: fractional offsets", () => call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/1.0/annotations`, { cookie: editor, json: { clauseId: "host-provider", start: 0.5, end: 3, kind: "comment", body: "x", visibility: "public" }, params: { slug: SLUG, version: "1.0" } })],
    ["annotation: quote not in the clause", () => call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/1.0/annotations`, { cookie: editor, json: { clauseId: "host-provider", quote: "not there at all", kind: "comment", body: "x", visibility: "public" }, params: { slug: SLUG, version: "1.0" } })],
    ["annotation: reply to nothing", () => call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/1.0/annotations`, { cookie: editor, json: { clauseId: "host-provider", kind: "comment", body: "x", visibility: "public", parentId: 999999 }, params: { slug: SLUG, version: "1.0" } })],
    ["annotation: too many themes", () => call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/1.0/annotations`, { cookie: editor, json: { clauseId: "host-provider", kind: "comment", body: "x", visibility: "public", themes: Array.from({ length: 30 }, (_, i) => `T${i}`) }, params: { slug: SLUG, version: "1.0" } })],
    ["annotation: on a version that does not exist", () => call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/7.7/annotations`, { cookie: editor, json: { clauseId: "host-provider", kind: "comment", body: "x", visibility: "public" }, params: { slug: SLUG, version: "7.7" } })],
    ["annotation: form without a kind", () => call(h(versionPage.action), `/specs/${SLUG}/v/1.0`, { cookie: editor, form: { intent: "annotate", clauseId: "host-provider", body: "x", visibility: "public" }, params: { slug: SLUG, version: "1.0" } })],
    ["annotation: resolve one that does not exist", () => call(h(versionPage.action), `/specs/${SLUG}/v/1.0`, { cookie: editor, form: { intent: "resolve", annotationId: "999999" }, params: { slug: SLUG, version: "1.0" } })],
  ];

  it(`has at least 60 hostile or malformed inputs in all (${SOURCE_FILES.length + 2 + cases.length + 6})`, () => {
    expect(SOURCE_FILES.length + 2 + cases.length + 6).toBeGreaterThanOrEqual(60);
  });

  it.each(cases)("refuses %s with a 4xx and a message, changing nothing", async (_name, send) => {
    const before = await everything();
    const response = await send();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const text = await response.text();
    expect(text.length).toBeGreaterThan(10);
    expect(await everything()).toEqual(before);
  });
});

describe("exports", () => {
  it.each([
    ["=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\""],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tindent", "'\tindent"],
    ["plain, with a comma", "\"plain, with a comma\""],
  ])("defuses the CSV cell %j as %j", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['spec"; rm -rf /.md', 'attachment; filename="spec___rm_-rf__.md"'],
    ["../../etc/passwd", 'attachment; filename=".._.._etc_passwd"'],
    ["name\r\nSet-Cookie: x=1", 'attachment; filename="name__Set-Cookie__x_1"'],
  ])("keeps the download file name %j safe in the header", (name, header) => {
    expect(fileResponse(fileDownload("x", "text/plain", name)).headers.get("Content-Disposition")).toBe(header);
  });
});
