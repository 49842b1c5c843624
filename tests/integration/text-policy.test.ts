import { call, signIn, type Handler } from "./app";
import { beforeAll, describe, expect, it } from "vitest";
import { parseResponses } from "~/domain/responses";
import { parseThemeRegister } from "~/domain/themes";
import { getDatabase } from "~/models/app-database.server";
import { createUser } from "~/models/users.server";
import { DomainError } from "~/domain/errors";
import * as adminThemes from "~/routes/admin.themes";
import * as adminUsers from "~/routes/admin.users";
import * as apiAnnotations from "~/routes/api.specs.$slug.versions.$version.annotations";
import * as apiDraft from "~/routes/api.drafts.$draftId";
import * as publishPage from "~/routes/specs.$slug.drafts_.$draftId_.publish";
import * as draftPage from "~/routes/specs.$slug.drafts_.$draftId";
import * as drafts from "~/routes/specs.$slug.drafts";
import * as versionPage from "~/routes/specs.$slug.v.$version";
import { snapshot } from "./database";

// The text policy wherever text enters: each field that reaches a page refuses each class of
// character with a 4xx and a message, and nothing is stored.
const SLUG = "adult-external-beam-radiotherapy";
const h = (fn: unknown) => fn as Handler;

/** One sample of each class the policy refuses, with the code point its message must name. */
const CLASSES: [string, string, string][] = [
  ["a NUL", "\u0000", "U+0000"],
  ["an escape", "\u001b", "U+001B"],
  ["next line (U+0085)", "\u0085", "U+0085"],
  ["a line separator", "\u2028", "U+2028"],
  ["a right-to-left override", "\u202e", "U+202E"],
  ["a first strong isolate", "\u2068", "U+2068"],
  ["a zero-width space", "\u200b", "U+200B"],
  ["a zero-width joiner between letters", "\u200d", "U+200D"],
  ["a byte-order mark", "\ufeff", "U+FEFF"],
];

let editor: string;
let commissioner: string;
let admin: string;
let draftId: string;
let doc: { content: unknown[]; attrs: Record<string, string> };

beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
  admin = await signIn("admin@example.nhs.uk");
  const created = await call(h(drafts.action), `/specs/${SLUG}/drafts`, { cookie: editor, form: { from: "1.0" }, params: { slug: SLUG } });
  draftId = /(\d+)$/.exec(created.headers.get("Location") ?? "")![1]!;
  doc = ((await (await call(h(apiDraft.loader), `/api/drafts/${draftId}`, { cookie: editor, params: { draftId } })).json()) as { doc: typeof doc }).doc;
});

/** Every row the app keeps, to compare before and after a refused request. */
const everything = async () => snapshot(await getDatabase());

/** The message of any answer: pages give { message } or { error }, the APIs { error }. */
async function messageOf(response: Response): Promise<string> {
  const body = (await response.json()) as { error?: string | null; message?: string | null; note?: { error: string | null } | null; fields?: Record<string, string>; failure?: { fields: Record<string, string> } | null };
  // The version page's annotation forms answer beside the form: { failure: { fields } }.
  return body.note?.error ?? body.error ?? Object.values(body.fields ?? body.failure?.fields ?? {})[0] ?? body.message ?? "";
}

const text = (bad: string) => `Before${bad}after`;
/** The text as it stands inside a JSON string, so that it can be put into the document's JSON. */
const inJson = (value: string) => JSON.stringify(value).slice(1, -1);
const withText = (bad: string) => JSON.parse(JSON.stringify(doc).replace("Each network will have a host provider", `Each network will have a ${inJson(text(bad))} host provider`));

/** Each field, sent through the way people send it, with the text to put in it. */
const FIELDS: [string, (bad: string) => Promise<Response>][] = [
  ["document text (the draft API)", (bad) => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: withText(bad) }, params: { draftId } })],
  [
    "a link address (the draft API)",
    (bad) =>
      call(h(apiDraft.action), `/api/drafts/${draftId}`, {
        method: "PUT",
        cookie: editor,
        json: { baseRevision: 0, doc: JSON.parse(JSON.stringify(doc).replace('"text":"Each network will have a host provider', `"text":"x","marks":[{"type":"link","attrs":{"href":"https://www.england.nhs.uk/${inJson(text(bad))}"}}]},{"type":"text","text":"Each network will have a host provider`)) },
        params: { draftId },
      }),
  ],
  ["the specification's title (the draft API)", (bad) => call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: { ...doc, attrs: { ...doc.attrs, title: text(bad) } } }, params: { draftId } })],
  ["a change note", (bad) => call(h(draftPage.action), `/specs/${SLUG}/drafts/${draftId}`, { cookie: editor, form: { intent: "note", clauseId: "host-provider", rationale: text(bad) }, params: { slug: SLUG, draftId } })],
  ["a return comment", (bad) => call(h(draftPage.action), `/specs/${SLUG}/drafts/${draftId}`, { cookie: commissioner, form: { intent: "return", comment: text(bad) }, params: { slug: SLUG, draftId } })],
  ["a publication label", (bad) => call(h(publishPage.action), `/specs/${SLUG}/drafts/${draftId}/publish`, { cookie: commissioner, form: { intent: "publish", number: "9.0", label: text(bad) }, params: { slug: SLUG, draftId } })],
  ["a revision summary", (bad) => call(h(draftPage.action), `/specs/${SLUG}/drafts/${draftId}`, { cookie: editor, form: { intent: "summary", summary: text(bad) }, params: { slug: SLUG, draftId } })],
  ["a theme's title (admin form)", (bad) => call(h(adminThemes.action), "/admin/themes", { cookie: admin, form: { intent: "create", code: "T80", title: text(bad), description: "What was said", source: "Consultation 2017", status: "open" } })],
  ["a theme's description (admin form)", (bad) => call(h(adminThemes.action), "/admin/themes", { cookie: admin, form: { intent: "update", code: "T01", title: "Travel and access", description: text(bad), source: "Engagement 2016", status: "open" } })],
  ["a theme's source (admin form)", (bad) => call(h(adminThemes.action), "/admin/themes", { cookie: admin, form: { intent: "create", code: "T81", title: "A theme", description: "What was said", source: text(bad), status: "open" } })],
  ["an annotation (the API)", (bad) => call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/1.0/annotations`, { cookie: editor, json: { clauseId: "host-provider", kind: "comment", body: text(bad), visibility: "public" }, params: { slug: SLUG, version: "1.0" } })],
  ["an annotation (the reading page's form)", (bad) => call(h(versionPage.action), `/specs/${SLUG}/v/1.0`, { cookie: editor, form: { intent: "annotate", clauseId: "host-provider", kind: "comment", visibility: "public", body: text(bad) }, params: { slug: SLUG, version: "1.0" } })],
  ["a user's name (admin form)", (bad) => call(h(adminUsers.action), "/admin/users", { cookie: admin, form: { intent: "create", email: "new.person@example.nhs.uk", name: text(bad), role: "editor", password: "a-long-password" } })],
  ["a user's email address (admin form)", (bad) => call(h(adminUsers.action), "/admin/users", { cookie: admin, form: { intent: "create", email: `new${bad}person@example.nhs.uk`, name: "New Person", role: "editor", password: "a-long-password" } })],
];

describe("fields that reach a page", () => {
  const cases = FIELDS.flatMap(([field, send]) => CLASSES.map(([kind, bad, codePoint]) => [field, kind, bad, codePoint, send] as const));

  it.each(cases)("%s with %s is refused with a 4xx that names the character, and nothing is stored", async (_field, _kind, bad, codePoint, send) => {
    const before = await everything();
    const response = await send(bad);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const message = await messageOf(response);
    expect(message).toContain(codePoint);
    // The message never carries the character it refuses.
    expect(message).not.toContain(bad);
    expect(await everything()).toEqual(before);
  });

  it("takes the same fields with emoji sequences, accented names and Persian text", async () => {
    const fine = "Siân’s 👩🏽‍⚕️ team: می‌خواهم";
    expect((await call(h(draftPage.action), `/specs/${SLUG}/drafts/${draftId}`, { cookie: editor, form: { intent: "note", clauseId: "host-provider", rationale: fine }, params: { slug: SLUG, draftId } })).status).toBe(200);
    expect((await call(h(apiAnnotations.action), `/api/specs/${SLUG}/versions/1.0/annotations`, { cookie: editor, json: { clauseId: "host-provider", kind: "comment", body: fine, visibility: "staff" }, params: { slug: SLUG, version: "1.0" } })).status).toBe(201);
    expect((await call(h(apiDraft.action), `/api/drafts/${draftId}`, { method: "PUT", cookie: editor, json: { baseRevision: 0, doc: withText("👩🏽‍⚕️") }, params: { draftId } })).status).toBe(200);
    const db = await getDatabase();
    expect((await db.selectFrom("change_notes").select("rationale").where("clause_id", "=", "host-provider").where("version_id", "=", Number(draftId)).executeTakeFirstOrThrow()).rationale).toBe(fine);
  });
});

describe("files and the command line", () => {
  it.each(CLASSES)("refuses a theme register whose title has %s", (_kind, bad, codePoint) => {
    const result = parseThemeRegister(JSON.stringify({ themes: [{ code: "T01", title: text(bad), description: "d", source: "s", status: "open" }] }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toMatch(new RegExp(`^themes\\.0\\.title: has an? .*${codePoint.replace("+", "\\+")}`));
  });

  const responses = (change: Record<string, unknown>) => JSON.stringify({ slug: SLUG, version: "1.0", changes: [], outcomes: [], annotations: [], ...change });
  it.each(CLASSES)("refuses a responses file with %s in a rationale, an outcome, an author or an annotation", (_kind, bad, codePoint) => {
    for (const file of [
      responses({ changes: [{ clauseId: "host-provider", themes: [], rationale: text(bad) }] }),
      responses({ outcomes: [{ theme: "T01", outcome: text(bad) }] }),
      responses({ annotations: [{ version: "1.0", clauseId: "host-provider", kind: "comment", visibility: "public", author: text(bad), body: "b" }] }),
      responses({ annotations: [{ version: "1.0", clauseId: "host-provider", kind: "comment", visibility: "public", author: "a", body: text(bad) }] }),
    ]) {
      const result = parseResponses(file);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems.join("\n")).toContain(codePoint);
    }
  });

  it.each(CLASSES)("refuses an account (spec user add) whose name has %s", async (_kind, bad, codePoint) => {
    const db = await getDatabase();
    await expect(createUser(db, { email: "cli@example.nhs.uk", name: text(bad), role: "editor", password: "a-long-password" }, { id: null, email: "system" })).rejects.toThrow(DomainError);
    await expect(createUser(db, { email: "cli@example.nhs.uk", name: text(bad), role: "editor", password: "a-long-password" }, { id: null, email: "system" })).rejects.toThrow(codePoint);
    expect(await db.selectFrom("users").select("id").where("email", "=", "cli@example.nhs.uk").executeTakeFirst()).toBeUndefined();
  });
});
