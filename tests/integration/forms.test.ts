import { call, signIn, type Call, type Handler } from "./app";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase } from "~/models/app-database.server";
import * as adminThemes from "~/routes/admin.themes";
import * as adminUsers from "~/routes/admin.users";
import * as apiDraft from "~/routes/api.drafts.$draftId";
import * as draftPage from "~/routes/specs.$slug.drafts_.$draftId";
import * as drafts from "~/routes/specs.$slug.drafts";
import * as login from "~/routes/login";
import * as versionPage from "~/routes/specs.$slug.v.$version";
import * as codingQueue from "~/routes/consultations_.$id_.coding";
import * as moderation from "~/routes/consultations_.$id_.moderation";
import * as respond from "~/routes/consultations.$id.respond";
import * as newConsultation from "~/routes/consultations.new";
import * as editConsultation from "~/routes/consultations.$id.edit";
import * as adminAudiences from "~/routes/admin.audiences";
import { createConsultation } from "~/models/consultations.server";
import * as decisions from "~/routes/consultations.$id_.decisions";
import * as reportPage from "~/routes/consultations.$id_.report";
import * as importMap from "~/routes/consultations.$id_.import_.map";
import { keepUpload } from "~/models/response-import.server";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { snapshot } from "./database";
import * as submitPage from "~/routes/specs.$slug.drafts_.$draftId_.submit";
import * as approvePage from "~/routes/specs.$slug.drafts_.$draftId_.approve";
import * as publishPage from "~/routes/specs.$slug.drafts_.$draftId_.publish";
import * as outcomesPage from "~/routes/specs.$slug.drafts_.$draftId_.outcomes";
import { act, editClause, startDraft } from "./drafting";

// Every action that reads a form, sent what is not a form: each answers 4xx with a message and
// changes nothing.
const SLUG = "adult-external-beam-radiotherapy";
const ENGAGEMENT = "radiotherapy-engagement-2016";
const h = (fn: unknown) => fn as Handler;

let editor: string;
let admin: string;
let commissioner: string;
const OPEN = "forms-open-consultation";
let draftId: string;
/** A changed draft to submit, a submitted one to approve and an approved one to publish. */
const ready = { submit: "", approve: "", publish: "" };
let uploadToken: string;
const CONSULTATION = "radiotherapy-consultation-2017";

beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
  admin = await signIn("admin@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
  const day = 86_400_000;
  await createConsultation(await getDatabase(), null, {
    id: OPEN,
    slug: SLUG,
    versionNumber: "1.0",
    fields: { title: "Open", kind: "consultation", summary: "S.", whyItMatters: "W.", opensAt: new Date(Date.now() - day).toISOString(), closesAt: new Date(Date.now() + 30 * day).toISOString() },
    events: [],
    audiences: ["carers"],
    questions: [{ id: "q1", kind: "free-text", text: "Why?", itemId: null }],
  });
  const created = await call(h(drafts.action), `/specs/${SLUG}/drafts`, { cookie: editor, form: { from: "1.0" }, params: { slug: SLUG } });
  draftId = /(\d+)$/.exec(created.headers.get("Location") ?? "")![1]!;
  for (const step of ["submit", "approve", "publish"] as const) {
    const id = await startDraft(editor, "1.0");
    expect(await editClause(id, editor, "host-provider", `Wording for the ${step} form.`)).toBe(200);
    if (step !== "submit") expect((await act(id, editor, { intent: "submit" })).status).toBe(302);
    if (step === "publish") expect((await act(id, commissioner, { intent: "approve" })).status).toBe(302);
    ready[step] = String(id);
  }
  // An upload waiting for its mapping, as the import page leaves one.
  const file = path.join(mkdtempSync(path.join(tmpdir(), "specwork-forms-")), "export.csv");
  writeFileSync(file, "Q2\nhello\n");
  const user = await (await getDatabase()).selectFrom("users").select("id").where("email", "=", "commissioner@example.nhs.uk").executeTakeFirstOrThrow();
  const kept = await keepUpload(user, CONSULTATION, file, "export.csv");
  if (!kept.ok) throw new Error(kept.problem.message);
  uploadToken = kept.token;
});

/** Every row the app keeps, sign-in attempts too, to compare before and after a refused request. */
async function everything() {
  const db = await getDatabase();
  return { ...(await snapshot(db)), attempts: await db.selectFrom("sign_in_attempts").select(["id", "key"]).orderBy("id").execute() };
}

/** Each form action with a form that it would act on, and who must be signed in. */
const ACTIONS: { route: string; handler: () => Handler; url: () => string; params: () => Record<string, string>; cookie: () => string | undefined; form: Record<string, string> }[] = [
  { route: "login", handler: () => h(login.action), url: () => "/login", params: () => ({}), cookie: () => undefined, form: { email: "editor@example.nhs.uk", password: "specwork-demo", next: "/" } },
  { route: "admin.themes", handler: () => h(adminThemes.action), url: () => "/admin/themes", params: () => ({}), cookie: () => admin, form: { intent: "create", code: "T90", title: "A theme", description: "What was said", source: "Consultation 2017", status: "open" } },
  { route: "admin.users", handler: () => h(adminUsers.action), url: () => "/admin/users", params: () => ({}), cookie: () => admin, form: { intent: "create", email: "new@example.nhs.uk", name: "New Person", role: "editor", password: "a-long-password" } },
  { route: "specs.$slug.drafts", handler: () => h(drafts.action), url: () => `/specs/${SLUG}/drafts`, params: () => ({ slug: SLUG }), cookie: () => editor, form: { from: "1.0" } },
  { route: "specs.$slug.drafts_.$draftId", handler: () => h(draftPage.action), url: () => `/specs/${SLUG}/drafts/${draftId}`, params: () => ({ slug: SLUG, draftId }), cookie: () => editor, form: { intent: "note", clauseId: "host-provider", rationale: "Because people asked." } },
  { route: "consultations_.$id_.coding", handler: () => h(codingQueue.action), url: () => `/consultations/${ENGAGEMENT}/coding`, params: () => ({ id: ENGAGEMENT }), cookie: () => editor, form: { intent: "apply", responseId: "1", pass: "1", theme: "15", stance: "supports" } },
  { route: "consultations_.$id_.moderation", handler: () => h(moderation.action), url: () => `/consultations/${ENGAGEMENT}/moderation`, params: () => ({ id: ENGAGEMENT }), cookie: () => commissioner, form: { responseId: "1", decision: "rejected" } },
  { route: "consultations.$id.respond", handler: () => h(respond.action), url: () => `/consultations/${OPEN}/respond`, params: () => ({ id: OPEN }), cookie: () => undefined, form: { intent: "add-comment", "answer-q1": "Because." } },
  { route: "consultations.new", handler: () => h(newConsultation.action), url: () => "/consultations/new", params: () => ({}), cookie: () => commissioner, form: { intent: "add-event", version: `${SLUG}/1.0`, title: "A title" } },
  { route: "consultations.$id.edit", handler: () => h(editConsultation.action), url: () => `/consultations/${OPEN}/edit`, params: () => ({ id: OPEN }), cookie: () => commissioner, form: { intent: "add-event", title: "A title" } },
  { route: "admin.audiences", handler: () => h(adminAudiences.action), url: () => "/admin/audiences", params: () => ({}), cookie: () => admin, form: { intent: "add", name: "Radiographers", list: "audience" } },
  // A decision, then publishing (which fixes the decisions): in this order.
  { route: "consultations.$id_.decisions", handler: () => h(decisions.action), url: () => "/consultations/radiotherapy-consultation-2017/decisions", params: () => ({ id: "radiotherapy-consultation-2017" }), cookie: () => commissioner, form: { theme: "T01", decision: "adopted", reason: "Because people asked." } },
  { route: "consultations.$id_.report", handler: () => h(reportPage.action), url: () => "/consultations/radiotherapy-consultation-2017/report", params: () => ({ id: "radiotherapy-consultation-2017" }), cookie: () => commissioner, form: { intent: "publish" } },
  { route: "consultations.$id_.import_.map", handler: () => h(importMap.action), url: () => `/consultations/${CONSULTATION}/import/map`, params: () => ({ id: CONSULTATION }), cookie: () => commissioner, get form() { return { upload: uploadToken, step: "columns", channel: "online", "col-0": "q:q2" }; } },
  { route: "specs.$slug.drafts_.$draftId_.submit", handler: () => h(submitPage.action), url: () => `/specs/${SLUG}/drafts/${ready.submit}/submit`, params: () => ({ slug: SLUG, draftId: ready.submit }), cookie: () => editor, form: { confirmUnexplained: "1" } },
  { route: "specs.$slug.drafts_.$draftId_.approve", handler: () => h(approvePage.action), url: () => `/specs/${SLUG}/drafts/${ready.approve}/approve`, params: () => ({ slug: SLUG, draftId: ready.approve }), cookie: () => commissioner, form: { confirm: "yes" } },
  { route: "specs.$slug.drafts_.$draftId_.publish", handler: () => h(publishPage.action), url: () => `/specs/${SLUG}/drafts/${ready.publish}/publish`, params: () => ({ slug: SLUG, draftId: ready.publish }), cookie: () => commissioner, form: { intent: "check", number: "7.0", label: "A label" } },
  { route: "specs.$slug.drafts_.$draftId_.outcomes", handler: () => h(outcomesPage.action), url: () => `/specs/${SLUG}/drafts/${draftId}/outcomes`, params: () => ({ slug: SLUG, draftId }), cookie: () => editor, form: { intent: "save", theme: "T03", outcome: "No change is needed." } },
  { route: "specs.$slug.v.$version", handler: () => h(versionPage.action), url: () => `/specs/${SLUG}/v/1.0`, params: () => ({ slug: SLUG, version: "1.0" }), cookie: () => editor, form: { intent: "annotate", clauseId: "host-provider", kind: "comment", visibility: "staff", body: "A comment." } },
];

const encoded = (form: Record<string, string>) => new URLSearchParams(form).toString();
const bytes = (text: string) => new TextEncoder().encode(text);
const MULTIPART_FILE = (form: Record<string, string>) =>
  [...Object.entries(form).map(([k, v]) => `--b1\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`), '--b1\r\nContent-Disposition: form-data; name="upload"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--\r\n'].join("");

/** Ways of sending a form that are not a form, or not one any action takes. */
const BAD: [string, number, (form: Record<string, string>) => Call][] = [
  ["as application/json", 415, (form) => ({ body: JSON.stringify(form), headers: { "Content-Type": "application/json" } })],
  ["as text/plain", 415, (form) => ({ body: encoded(form), headers: { "Content-Type": "text/plain" } })],
  ["with no Content-Type", 415, (form) => ({ body: bytes(encoded(form)) })],
  ["with an empty Content-Type", 415, (form) => ({ body: encoded(form), headers: { "Content-Type": "" } })],
  ["as broken multipart", 400, () => ({ body: "this is not multipart at all", headers: { "Content-Type": "multipart/form-data; boundary=xyz" } })],
  ["as multipart with no boundary", 400, (form) => ({ body: encoded(form), headers: { "Content-Type": "multipart/form-data" } })],
  ["as multipart with a file", 400, (form) => ({ body: MULTIPART_FILE(form), headers: { "Content-Type": "multipart/form-data; boundary=b1" } })],
  ["with a NUL in a field", 400, (form) => ({ body: encoded(form).replace("=", "=%00"), headers: { "Content-Type": "application/x-www-form-urlencoded" } })],
  ["with U+0085 in a field", 400, (form) => ({ body: encoded(form).replace("=", "=%C2%85"), headers: { "Content-Type": "application/x-www-form-urlencoded" } })],
  ["with an escape in a field's name", 400, (form) => ({ body: `${encoded(form)}&x%1B=1`, headers: { "Content-Type": "application/x-www-form-urlencoded" } })],
];

describe("form actions sent something other than a form", () => {
  const cases = ACTIONS.flatMap((action) => BAD.map(([kind, status, make]) => [action.route, kind, status, action, make] as const));

  it.each(cases)("%s, sent %s, answers %i with a message and changes nothing", async (_route, _kind, status, action, make) => {
    const before = await everything();
    const response = await call(action.handler(), action.url(), { method: "POST", cookie: action.cookie(), params: action.params(), address: "10.70.0.1", ...make(action.form) });
    expect(response.status).toBe(status);
    const body = (await response.json()) as { message?: string };
    expect(body.message).toMatch(/^(This address takes a form|The form could not be read|The field “\w+” is a file|The field “\w+” has a control character|A field's name has a control character)/);
    expect(body.message).not.toMatch(/[\u0000-\u001f\u0085]/);
    expect(await everything()).toEqual(before);
  });

  it("still takes each form as a form (so the refusals above are about the encoding alone)", async () => {
    for (const action of ACTIONS) {
      const response = await call(action.handler(), action.url(), { method: "POST", cookie: action.cookie(), params: action.params(), address: "10.70.0.2", form: action.form });
      expect(response.status, action.route).toBeLessThan(400);
    }
  });

  it("covers every route whose action reads a form, and no action reads a form any other way", () => {
    const dir = path.resolve("app/routes");
    const readers = readdirSync(dir).filter((file) => /readForm\(request\)/.test(readFileSync(path.join(dir, file), "utf8")));
    expect(readers.map((file) => file.replace(/\.tsx?$/, "")).sort()).toEqual(ACTIONS.map((a) => a.route).sort());
    const rawReaders = readdirSync(dir).filter((file) => /\.formData\(\)/.test(readFileSync(path.join(dir, file), "utf8")));
    expect(rawReaders).toEqual([]);
  });
});

describe("JSON that nests without end", () => {
  it("answers a draft nested 10,000 deep with 400 and a message", async () => {
    const deep = '{"type":"doc","content":['.repeat(10_000) + "]}".repeat(10_000);
    const before = await everything();
    const response = await call(h(apiDraft.action), `/api/drafts/${draftId}`, {
      method: "PUT",
      cookie: editor,
      params: { draftId },
      body: `{"baseRevision":0,"doc":${deep}}`,
      headers: { "Content-Type": "application/json" },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "the JSON is nested more than 128 levels deep" });
    expect(await everything()).toEqual(before);
  });
});
