import { call, signIn, type Handler } from "./app";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { DocJSON } from "~/domain/schema";
import { getDatabase } from "~/models/app-database.server";
import { verifyChain } from "~/models/workflow.server";
import * as apiDraft from "~/routes/api.drafts.$draftId";
import * as draftPage from "~/routes/specs.$slug.drafts_.$draftId";
import * as drafts from "~/routes/specs.$slug.drafts";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as versionPage from "~/routes/specs.$slug.v.$version";
import { snapshot } from "./database";
import * as drafting from "./drafting";
import { clauseText, withClauseText } from "./drafting";

const SLUG = "adult-external-beam-radiotherapy";
const h = (fn: unknown) => fn as Handler;

let editor: string;
let commissioner: string;
let admin: string;

beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
  admin = await signIn("admin@example.nhs.uk");
});

const startDraft = (cookie = editor, from = "1.0") => drafting.startDraft(cookie, from);
const getDraft = (id: number, cookie = editor) => drafting.getDraft(id, cookie);
const put = (id: number, body: unknown, cookie = editor) => drafting.put(id, body, cookie);
/** Acts on a draft through its page or its submit, approve and publish pages. */
const actOn = (id: number) => (cookie: string, form: Record<string, string>) => drafting.act(id, cookie, form);
/** A draft from 1.0 (or `from`) with one clause changed, so that it has something to submit. */
const changedDraft = async (cookie = editor, from = "1.0") => {
  const id = await startDraft(cookie, from);
  expect(await drafting.editClause(id, cookie, "host-provider", `Changed wording in draft ${id}.`)).toBe(200);
  return id;
};

describe("signing in and out", () => {
  it("refuses a wrong password with a message, and sets an http-only SameSite=Lax cookie on success", async () => {
    const wrong = await call(h(login.action), "/login", { form: { email: "editor@example.nhs.uk", password: "not-the-password" }, address: "10.0.0.1" });
    expect(wrong.status).toBe(401);
    // The email address typed comes back to the form; the password never does.
    expect(await wrong.json()).toEqual({ error: "The email address or password is not right.", values: { email: "editor@example.nhs.uk" } });
    const right = await call(h(login.action), "/login", { form: { email: "Editor@Example.nhs.uk ", password: "specwork-demo", next: "/audit" }, address: "10.0.0.1" });
    expect(right.status).toBe(302);
    expect(right.headers.get("Location")).toBe("/audit");
    expect(right.headers.get("Set-Cookie")).toMatch(/^specwork_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/);
  });

  it("never redirects off the site after signing in", async () => {
    const response = await call(h(login.action), "/login", { form: { email: "editor@example.nhs.uk", password: "specwork-demo", next: "//evil.example/" } });
    expect(response.headers.get("Location")).toBe("/");
  });

  it("limits failed attempts per account, then per address", async () => {
    const attempt = (email: string, address: string) => call(h(login.action), "/login", { form: { email, password: "wrong-password!" }, address });
    for (let i = 0; i < 5; i++) expect((await attempt("nobody@example.nhs.uk", `10.1.0.${i}`)).status).toBe(401);
    expect((await attempt("nobody@example.nhs.uk", "10.1.0.99")).status).toBe(429);
    for (let i = 0; i < 20; i++) await attempt(`someone${i}@example.nhs.uk`, "10.2.0.1");
    const limited = await attempt("editor@example.nhs.uk", "10.2.0.1");
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ error: "Too many failed attempts. Wait 15 minutes, then try again.", values: { email: "editor@example.nhs.uk" } });
  }, 60_000);

  it("ends the session on the server when signing out", async () => {
    const cookie = await signIn("editor@example.nhs.uk");
    const id = await startDraft(editor);
    expect((await call(h(apiDraft.loader), `/api/drafts/${id}`, { cookie, params: { draftId: String(id) } })).status).toBe(200);
    const out = await call(h(logout.action), "/logout", { method: "POST", cookie });
    expect(out.headers.get("Set-Cookie")).toContain("Max-Age=0");
    expect((await call(h(apiDraft.loader), `/api/drafts/${id}`, { cookie, params: { draftId: String(id) } })).status).toBe(401);
  });
});

describe("who may do what", () => {
  it("refuses the API without a session (401) and edits from an admin (403)", async () => {
    const id = await startDraft();
    const { doc } = await getDraft(id);
    expect((await call(h(apiDraft.loader), `/api/drafts/${id}`, { params: { draftId: String(id) } })).status).toBe(401);
    const response = await put(id, { baseRevision: 0, doc }, admin);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "your role cannot edit drafts" });
  });

  it("sends someone without a session to sign in, and keeps drafts from the public", async () => {
    const id = await startDraft();
    const page = await call(h(draftPage.loader), `/specs/${SLUG}/drafts/${id}`, { params: { slug: SLUG, draftId: String(id) } });
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe(`/login?next=${encodeURIComponent(`/specs/${SLUG}/drafts/${id}`)}`);
    const create = await call(h(drafts.action), `/specs/${SLUG}/drafts`, { form: { from: "1.0" }, params: { slug: SLUG } });
    expect(create.status).toBe(302);
    const draftNumber = (await (await getDatabase()).selectFrom("versions").select("number").where("id", "=", id).executeTakeFirstOrThrow()).number;
    expect((await call(h(versionPage.loader), `/specs/${SLUG}/v/${draftNumber}`, { params: { slug: SLUG, version: draftNumber } })).status).toBe(404);
  });

  it("refuses an editor's approval and an admin's draft", async () => {
    const id = await changedDraft();
    expect((await actOn(id)(editor, { intent: "submit" })).status).toBe(302);
    const approve = await actOn(id)(editor, { intent: "approve" });
    expect(approve.status).toBe(403);
    // The draft page itself no longer approves: that is done from the approve page only.
    const direct = await call(h(draftPage.action), `/specs/${SLUG}/drafts/${id}`, { cookie: commissioner, form: { intent: "approve" }, params: { slug: SLUG, draftId: String(id) } });
    expect(direct.status).toBe(400);
    const adminDraft = await call(h(drafts.action), `/specs/${SLUG}/drafts`, { cookie: admin, form: { from: "1.0" }, params: { slug: SLUG } });
    expect(adminDraft.status).toBe(403);
  });

  it("answers 404 for a draft that does not exist or belongs to another specification", async () => {
    expect((await put(999_999, { baseRevision: 0, doc: {} })).status).toBe(404);
    expect((await call(h(apiDraft.loader), "/api/drafts/abc", { cookie: editor, params: { draftId: "abc" } })).status).toBe(404);
    const id = await startDraft();
    const other = await call(h(draftPage.loader), `/specs/other/drafts/${id}`, { cookie: editor, params: { slug: "other", draftId: String(id) } });
    expect(other.status).toBe(404);
  });
});

describe("saving drafts", () => {
  it("saves, and a retried request with the same requestId does not save twice", async () => {
    const id = await startDraft();
    const { doc } = await getDraft(id);
    const edited = withClauseText(doc, "host-provider", "Each network has a host provider.");
    const first = await put(id, { baseRevision: 0, doc: edited, requestId: "req-1" });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ revision: 1 });
    const retry = await put(id, { baseRevision: 0, doc: edited, requestId: "req-1" });
    expect(await retry.json()).toEqual({ revision: 1 });
    const reused = await put(id, { baseRevision: 1, doc: withClauseText(doc, "host-provider", "Something else."), requestId: "req-1" });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual({ error: 'requestId "req-1" was already used for a different save (revision 1); use a new id for each save' });
    const db = await getDatabase();
    expect((await db.selectFrom("draft_revisions").select("revision").where("version_id", "=", id).execute()).map((r) => r.revision)).toEqual([0, 1]);
    expect(clauseText((await getDraft(id)).doc, "host-provider")).toBe("Each network has a host provider.");
  });

  it("adds no revision for a save that changes nothing", async () => {
    const id = await startDraft();
    const { doc } = await getDraft(id);
    const response = await put(id, { baseRevision: 0, doc });
    expect(await response.json()).toEqual({ revision: 0 });
    expect((await getDraft(id)).revision).toBe(0);
  });

  it("merges two people's edits to different clauses from the same base", async () => {
    const id = await startDraft();
    const { doc } = await getDraft(id);
    expect((await put(id, { baseRevision: 0, doc: withClauseText(doc, "host-provider", "Theirs.") })).status).toBe(200);
    const mine = await put(id, { baseRevision: 0, doc: withClauseText(doc, "oversight-group", "Mine.") });
    expect(mine.status).toBe(200);
    const body = (await mine.json()) as { revision: number; doc: DocJSON };
    expect(body.revision).toBe(2);
    const stored = (await getDraft(id)).doc;
    expect([clauseText(stored, "host-provider"), clauseText(stored, "oversight-group")]).toEqual(["Theirs.", "Mine."]);
  });

  it("answers 409 with their version when two people change the same clause, and keeps theirs", async () => {
    const id = await startDraft();
    const { doc } = await getDraft(id);
    await put(id, { baseRevision: 0, doc: withClauseText(doc, "host-provider", "Theirs.") });
    const clash = await put(id, { baseRevision: 0, doc: withClauseText(doc, "host-provider", "Mine.") });
    expect(clash.status).toBe(409);
    const body = (await clash.json()) as { error: string; conflict: { items: unknown[]; revision: number; doc: DocJSON } };
    expect(body.conflict.items).toEqual([{ id: "host-provider", what: "content" }]);
    expect(body.conflict.revision).toBe(1);
    expect(clauseText(body.conflict.doc, "host-provider")).toBe("Theirs.");
    expect(clauseText((await getDraft(id)).doc, "host-provider")).toBe("Theirs.");
  });

  it("lets exactly one of many concurrent saves of one clause from one base win", async () => {
    const id = await startDraft();
    const { doc } = await getDraft(id);
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => put(id, { baseRevision: 0, doc: withClauseText(doc, "host-provider", `Version ${i}.`), requestId: `c-${i}` })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect((await getDraft(id)).revision).toBe(1);
  });

  const refusals: [string, unknown][] = [
    ["an unknown node", { type: "doc", attrs: { title: "T", reference: "" }, content: [{ type: "table" }] }],
    ["an unknown attribute", { type: "doc", attrs: { title: "T", reference: "", colour: "red" } }],
    ["a javascript: link", "LINK"],
    ["a duplicate id", "DUPLICATE"],
    ["a malformed id", "MALFORMED"],
  ];
  it.each(refusals)("refuses %s with 400 and changes nothing", async (_name, value) => {
    const id = await startDraft();
    const { doc } = await getDraft(id);
    let sent = value;
    if (value === "LINK") sent = JSON.parse(JSON.stringify(doc).replace('"text":"Radiotherapy is one', '"marks":[{"type":"link","attrs":{"href":"javascript:alert(1)"}}],"text":"Radiotherapy is one'));
    if (value === "DUPLICATE") sent = JSON.parse(JSON.stringify(doc).replace('"id":"current-provision"', '"id":"role-of-radiotherapy"'));
    if (value === "MALFORMED") sent = JSON.parse(JSON.stringify(doc).replace('"id":"current-provision"', '"id":"Current Provision"'));
    const before = await snapshot(await getDatabase());
    const response = await put(id, { baseRevision: 0, doc: sent });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error.length).toBeGreaterThan(10);
    const after = await snapshot(await getDatabase());
    expect(after.versions).toEqual(before.versions);
  });

  it.each([
    ["a body that is not JSON", "{not json", 400, "the body is not valid JSON"],
    ["a missing baseRevision", JSON.stringify({ doc: {} }), 400, "baseRevision: Invalid input: expected number, received undefined"],
    ["a baseRevision from the future", JSON.stringify({ baseRevision: 7, doc: { type: "doc", attrs: { title: "T", reference: "" } } }), 400, "baseRevision 7 does not exist: the draft is at revision 0"],
    ["an oversized body", JSON.stringify({ baseRevision: 0, doc: "x".repeat(3_200_000) }), 413, "the request is over the limit of 3145728 bytes"],
  ])("refuses %s", async (_name, body, status, message) => {
    const id = await startDraft();
    const response = await call(h(apiDraft.action), `/api/drafts/${id}`, { method: "PUT", cookie: editor, body, params: { draftId: String(id) } });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: message });
  });
});

describe("review, approval and publication", () => {
  it("goes from draft to published, with the public seeing the new version", async () => {
    const id = await startDraft();
    const { doc } = await getDraft(id);
    expect((await put(id, { baseRevision: 0, doc: withClauseText(doc, "host-provider", "Published wording.") })).status).toBe(200);
    const notePost = (form: URLSearchParams) =>
      draftPage.action({ request: new Request(`http://localhost:3000/specs/${SLUG}/drafts/${id}`, { method: "POST", headers: { Cookie: editor }, body: form }), params: { slug: SLUG, draftId: String(id) }, context: {} }).then(
        (r) => r as unknown as { init?: { status?: number } | null },
        (thrown: unknown) => thrown as { init?: { status?: number } | null },
      );
    const unknownTheme = await notePost(new URLSearchParams([["intent", "note"], ["clauseId", "host-provider"], ["rationale", "Why."], ["themes", "T99"]]));
    expect(unknownTheme.init?.status).toBe(400);
    await notePost(new URLSearchParams([["intent", "note"], ["clauseId", "host-provider"], ["rationale", "T05: a host provider is accountable."], ["themes", "T05"], ["themes", "T06"]]));
    const links = await (await getDatabase()).selectFrom("change_note_themes").select("theme_code").where("version_id", "=", id).orderBy("theme_code").execute();
    expect(links.map((l) => l.theme_code)).toEqual(["T05", "T06"]);
    const act = actOn(id);
    expect((await act(editor, { intent: "submit" })).status).toBe(302);
    expect((await act(commissioner, { intent: "return" })).status).toBe(400);
    expect((await act(commissioner, { intent: "approve" })).status).toBe(302);
    expect((await act(commissioner, { intent: "publish", label: "" })).status).toBe(400);
    const published = await act(commissioner, { intent: "publish", label: "Consultation draft, open 18 Oct 2017 to 24 Jan 2018", "date-day": "18", "date-month": "10", "date-year": "2017" });
    expect(published.status).toBe(302);
    const db = await getDatabase();
    const version = await db.selectFrom("versions").select(["number", "status", "label"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(version).toMatchObject({ status: "published", label: "Consultation draft, open 18 Oct 2017 to 24 Jan 2018" });
    const old = await db.selectFrom("versions").select("status").where("number", "=", "1.0").executeTakeFirstOrThrow();
    expect(old.status).toBe("superseded");
    const page = await call(h(versionPage.loader), `/specs/${SLUG}/v/${version.number}`, { params: { slug: SLUG, version: version.number } });
    expect(page.status).toBe(200);
    const actions = (await db.selectFrom("audit_log").select("action").where("object_id", "=", String(id)).orderBy("id").execute()).map((r) => r.action);
    expect(actions).toEqual(["draft.create", "draft.save", "version.submit", "version.approve", "version.publish"]);
    expect(await verifyChain(db)).toEqual([]);
  });

  it("never lets a commissioner approve a version they changed", async () => {
    const id = await startDraft(commissioner, "0.9");
    const { doc } = await getDraft(id, commissioner);
    await put(id, { baseRevision: 0, doc: withClauseText(doc, "host-provider", "Mine.") }, commissioner);
    const act = (form: Record<string, string>) => drafting.act(id, commissioner, form);
    expect((await act({ intent: "submit" })).status).toBe(302);
    const response = await act({ intent: "approve" });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "This version holds wording or change notes you wrote, so someone else must approve it." });
  });

  it("withdraws a submitted version on purpose, shows a returned version's comment, and warns about an out-of-date base", async () => {
    const id = await changedDraft(editor, "0.9");
    const act = actOn(id);
    const page = async () => (await call(h(draftPage.loader), `/specs/${SLUG}/drafts/${id}`, { cookie: editor, params: { slug: SLUG, draftId: String(id) } })).json() as Promise<{ may: { edit: boolean; withdraw: boolean }; returned: { comment: string } | null; staleBase: string | null }>;
    // Whatever is latest now (other tests publish too), it is newer than the 0.9 this started from.
    expect((await page()).staleBase).toMatch(/^1\.\d+$/);
    await act(editor, { intent: "submit" });
    expect((await page()).may).toMatchObject({ edit: false, withdraw: true });
    expect((await act(editor, { intent: "withdraw" })).status).toBe(302);
    expect((await page()).may).toMatchObject({ edit: true, withdraw: false });
    await act(editor, { intent: "submit" });
    await act(commissioner, { intent: "return", comment: "Please cite the network specification." });
    expect((await page()).returned).toMatchObject({ comment: "Please cite the network specification." });
  });

  it("refuses a publication date before the version it replaces", async () => {
    const id = await changedDraft();
    const act = actOn(id);
    expect((await act(editor, { intent: "submit" })).status).toBe(302);
    expect((await act(commissioner, { intent: "approve" })).status).toBe(302);
    const early = await act(commissioner, { intent: "publish", label: "Too early", "date-day": "1", "date-month": "1", "date-year": "2010" });
    expect(early.status).toBe(400);
    // Shown on the date field, with what was typed kept.
    const body = (await early.json()) as { fields: { date: string }; typed: Record<string, string> };
    expect(body.fields.date).toMatch(/^The publication date must be on or after \d{1,2} \w+ \d{4}, the date of version [\d.]+, which it replaces\.$/);
    expect(body.typed).toMatchObject({ label: "Too early", "date-year": "2010" });
  });

  it("returns a submitted version to draft when it is edited, voiding approvals", async () => {
    const id = await changedDraft();
    const act = actOn(id);
    expect((await act(editor, { intent: "submit" })).status).toBe(302);
    const { doc } = await getDraft(id);
    expect((await put(id, { baseRevision: 0, doc: withClauseText(doc, "oversight-group", "Late edit.") })).status).toBe(200);
    const db = await getDatabase();
    expect((await db.selectFrom("versions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("draft");
  });
});

describe("the database itself", () => {
  it("refuses changes to published content, off-path state changes and audit edits", async () => {
    const db = await getDatabase();
    await expect(sql`UPDATE versions SET content_json = '{}' WHERE number = '0.9'`.execute(db)).rejects.toThrow("approved and published content cannot change");
    await expect(sql`UPDATE versions SET status = 'draft' WHERE number = '0.9'`.execute(db)).rejects.toThrow("that change of state is not part of the workflow");
    await expect(sql`DELETE FROM versions WHERE number = '0.9'`.execute(db)).rejects.toThrow("approved and published versions cannot be deleted");
    await expect(sql`UPDATE version_items SET plain_text = 'x' WHERE version_id = 1`.execute(db)).rejects.toThrow("approved and published content cannot change");
    await expect(sql`UPDATE audit_log SET actor = 'someone else'`.execute(db)).rejects.toThrow("the audit log is append-only");
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow("the audit log is append-only");
  });

  it("lets spec verify find a content hash that does not match its content", async () => {
    const id = await startDraft();
    const db = await getDatabase();
    await db.updateTable("versions").set({ content_hash: "sha256:0000" }).where("id", "=", id).execute();
    expect((await verifyChain(db)).some((p) => p.includes("content hash is sha256:0000"))).toBe(true);
    // Put it right again so the other tests' chain stays valid.
    const { doc } = await getDraft(id);
    const { contentHash } = await import("~/domain/hashing");
    await db.updateTable("versions").set({ content_hash: contentHash(doc) }).where("id", "=", id).execute();
  });
});
