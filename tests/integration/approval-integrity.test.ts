import { call, signIn } from "./app";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase } from "~/models/app-database.server";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { importLibraryFiles } from "~/models/library.server";
import { createUser, findUserByEmail, SYSTEM_EMAIL, updateUser } from "~/models/users.server";
import { findVersion, versionSourceText } from "~/models/versions.server";
import { DomainError } from "~/domain/errors";
import * as versionPage from "~/routes/specs.$slug.v.$version";
import { act, editClause, h, SLUG, startDraft } from "./drafting";

let editor: string;
let commissioner: string;
let second: string;

beforeAll(async () => {
  const db = await getDatabase();
  await createUser(db, { email: "second.commissioner@example.nhs.uk", name: "Second Commissioner", role: "commissioner", password: "another-long-password" }, { id: null, email: "test" });
  editor = await signIn("editor@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
  second = await signIn("second.commissioner@example.nhs.uk", "another-long-password");
});

const REFUSED = "This version holds wording or change notes you wrote, so someone else must approve it.";

async function approve(id: number, cookie: string) {
  const response = await act(id, cookie, { intent: "approve" });
  return { status: response.status, body: response.status === 302 ? null : ((await response.json()) as { error?: string }) };
}

async function submit(id: number, cookie = editor) {
  expect((await act(id, cookie, { intent: "submit" })).status).toBe(302);
}

describe("nobody approves wording they wrote", () => {
  it("refuses a commissioner whose edit reached the version through an earlier draft", async () => {
    const a = await startDraft(commissioner, "1.0");
    expect(await editClause(a, commissioner, "host-provider", "The commissioner's own wording.")).toBe(200);
    // An editor starts B from A and changes another clause; B's own saves are all the editor's.
    const b = await startDraft(editor, String(await numberOf(a)));
    expect(await editClause(b, editor, "oversight-group", "The editor's wording.")).toBe(200);
    await submit(b);
    expect(await approve(b, commissioner)).toMatchObject({ status: 403, body: { error: REFUSED } });
    expect(await approve(b, second)).toEqual({ status: 302, body: null });
  });

  it("refuses them when they started the later draft themselves, with its revision 0 their only save", async () => {
    const a = await startDraft(commissioner, "1.0");
    expect(await editClause(a, commissioner, "annual-work-plan", "Written by the commissioner in A.")).toBe(200);
    const b = await startDraft(commissioner, String(await numberOf(a)));
    // An unchanged draft cannot be submitted, so an editor changes another clause of B.
    expect(await editClause(b, editor, "oversight-group", "The editor's wording in B.")).toBe(200);
    await submit(b, commissioner);
    expect((await approve(b, commissioner)).status).toBe(403);
  });

  it("lets them approve once their wording is gone from the version again", async () => {
    const a = await startDraft(commissioner, "1.0");
    const original = await clauseTextIn(a, "host-provider");
    expect(await editClause(a, commissioner, "host-provider", "Briefly the commissioner's.")).toBe(200);
    const b = await startDraft(editor, String(await numberOf(a)));
    expect(await editClause(b, editor, "host-provider", original)).toBe(200);
    expect(await editClause(b, editor, "oversight-group", "Only the editor's change remains.")).toBe(200);
    await submit(b);
    expect((await approve(b, commissioner)).status).toBe(302);
  });

  it("does not count starting a draft without changing it", async () => {
    const a = await startDraft(commissioner, "1.0");
    const b = await startDraft(editor, String(await numberOf(a)));
    expect(await editClause(b, editor, "oversight-group", "The editor's change.")).toBe(200);
    await submit(b);
    expect((await approve(b, commissioner)).status).toBe(302);
  });

  it("keeps every author a change note ever had, even after it was rewritten or cleared", async () => {
    const id = await startDraft(editor, "1.0");
    expect(await editClause(id, editor, "host-provider", "The editor's wording.")).toBe(200);
    expect((await act(id, commissioner, { intent: "note", clauseId: "host-provider", rationale: "The commissioner's reason." })).status).toBe(200);
    expect((await act(id, editor, { intent: "note", clauseId: "host-provider", rationale: "The editor's own reason." })).status).toBe(200);
    const other = await startDraft(editor, "1.0");
    expect(await editClause(other, editor, "host-provider", "Another change.")).toBe(200);
    expect((await act(other, commissioner, { intent: "note", clauseId: "host-provider", rationale: "Written, then cleared." })).status).toBe(200);
    expect((await act(other, editor, { intent: "note", clauseId: "host-provider", rationale: "" })).status).toBe(200);
    for (const version of [id, other]) {
      await submit(version);
      expect((await approve(version, commissioner)).status).toBe(403);
      expect((await approve(version, second)).status).toBe(302);
    }
  });

  it("counts wording that came back in through spec import of a copy of an unpublished draft", async () => {
    const a = await startDraft(commissioner, "1.0");
    expect(await editClause(a, commissioner, "role-of-radiotherapy", "Commissioner wording inserted here.")).toBe(200);
    const db = await getDatabase();
    const stored = (await findVersion(db, SLUG, await numberOf(a)))!;
    const copyNumber = `${stored.number}.1`;
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-copy-"));
    writeFileSync(path.join(dir, "copy.md"), versionSourceText({ ...stored, number: copyNumber, status: "draft" }));
    expect((await importLibraryFiles(db, [path.join(dir, "copy.md")], "spec import")).ok).toBe(true);
    const copy = (await findVersion(db, SLUG, copyNumber))!;
    // An unchanged copy cannot be submitted, so an editor changes another clause of it.
    expect(await editClause(copy.id, editor, "oversight-group", "The editor's wording in the copy.")).toBe(200);
    await submit(copy.id, commissioner);
    expect(await approve(copy.id, commissioner)).toMatchObject({ status: 403, body: { error: REFUSED } });
    expect((await approve(copy.id, second)).status).toBe(302);
  });

  it("refuses a change note on a submitted version (withdraw it first), and a note on a section", async () => {
    const id = await startDraft(editor, "1.0");
    expect(await editClause(id, editor, "host-provider", "Changed.")).toBe(200);
    expect((await act(id, editor, { intent: "note", clauseId: "host-provider", rationale: "Original reason." })).status).toBe(200);
    expect((await act(id, editor, { intent: "note", clauseId: "care-pathway", rationale: "A section is not a clause." })).status).toBe(400);
    await submit(id);
    const late = await act(id, editor, { intent: "note", clauseId: "host-provider", rationale: "Swapped after submission." });
    expect(late.status).toBe(409);
    const db = await getDatabase();
    expect((await db.selectFrom("change_notes").select("rationale").where("version_id", "=", id).executeTakeFirstOrThrow()).rationale).toBe("Original reason.");
    expect((await db.selectFrom("versions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("submitted");
  });

  it("keeps the record of contributions append-only", async () => {
    const db = await getDatabase();
    await expect(sql`DELETE FROM contributions`.execute(db)).rejects.toThrow("contributions are append-only");
    await expect(sql`UPDATE contributions SET user_id = 1`.execute(db)).rejects.toThrow("contributions are append-only");
  });
});

describe("what a published version shows is fixed", () => {
  const tables = ["change_notes", "change_note_themes", "theme_outcomes"] as const;

  it("refuses deleting, re-inserting or changing the change notes, their themes and the theme outcomes of 1.0", async () => {
    const db = await getDatabase();
    const v10 = (await db.selectFrom("versions").select("id").where("number", "=", "1.0").executeTakeFirstOrThrow()).id;
    const before = await Promise.all(tables.map((t) => sql`SELECT * FROM ${sql.table(t)} WHERE version_id = ${v10} ORDER BY 2, 3`.execute(db)));
    expect(before.every((rows) => rows.rows.length > 0)).toBe(true);
    const message = "what an approved or published version shows cannot change";
    await expect(sql`DELETE FROM change_notes WHERE version_id = ${v10}`.execute(db)).rejects.toThrow(message);
    await expect(sql`DELETE FROM change_note_themes WHERE version_id = ${v10}`.execute(db)).rejects.toThrow(message);
    await expect(sql`DELETE FROM theme_outcomes WHERE version_id = ${v10}`.execute(db)).rejects.toThrow(message);
    await expect(sql`INSERT INTO change_note_themes (version_id, clause_id, theme_code) VALUES (${v10}, 'host-provider', 'T15')`.execute(db)).rejects.toThrow(message);
    await expect(sql`INSERT INTO change_notes (version_id, clause_id, rationale, updated_by, updated_at) VALUES (${v10}, 'glossary-terms', 'x', 1, 'now')`.execute(db)).rejects.toThrow(message);
    await expect(sql`INSERT INTO theme_outcomes (version_id, theme_code, outcome) VALUES (${v10}, 'T15', 'x')`.execute(db)).rejects.toThrow(message);
    await expect(sql`UPDATE theme_outcomes SET outcome = 'rewritten' WHERE version_id = ${v10}`.execute(db)).rejects.toThrow(message);
    await expect(sql`UPDATE change_note_themes SET theme_code = 'T15' WHERE version_id = ${v10}`.execute(db)).rejects.toThrow(message);
    await expect(sql`INSERT INTO version_items (version_id, item_id, kind, number, parent_id, position, ordinal, plain_text, text_hash) VALUES (${v10}, 'x', 'clause', '9.9', NULL, 0, 999, 'x', 'x')`.execute(db)).rejects.toThrow(message);
    await expect(sql`UPDATE versions SET sealed_at = NULL WHERE id = ${v10}`.execute(db)).rejects.toThrow("a sealed version stays sealed");
    await expect(sql`DELETE FROM approvals`.execute(db)).rejects.toThrow("an approval cannot be deleted, only voided");
    const after = await Promise.all(tables.map((t) => sql`SELECT * FROM ${sql.table(t)} WHERE version_id = ${v10} ORDER BY 2, 3`.execute(db)));
    expect(after.map((r) => r.rows)).toEqual(before.map((r) => r.rows));
  });

  it("seals a version's notes when it is approved: they can no longer be written through the app or SQL", async () => {
    const id = await startDraft(editor, "1.0");
    expect(await editClause(id, editor, "host-provider", "Approved wording.")).toBe(200);
    expect((await act(id, editor, { intent: "note", clauseId: "host-provider", rationale: "Why it changed." })).status).toBe(200);
    await submit(id);
    expect((await approve(id, commissioner)).status).toBe(302);
    const db = await getDatabase();
    expect((await db.selectFrom("versions").select("sealed_at").where("id", "=", id).executeTakeFirstOrThrow()).sealed_at).not.toBeNull();
    expect((await act(id, editor, { intent: "note", clauseId: "host-provider", rationale: "Rewritten after approval." })).status).toBe(403);
    await expect(sql`DELETE FROM change_notes WHERE version_id = ${id}`.execute(db)).rejects.toThrow("cannot change");
    expect((await db.selectFrom("change_notes").select("rationale").where("version_id", "=", id).executeTakeFirstOrThrow()).rationale).toBe("Why it changed.");
  });
});

describe("resolving and reopening act only on the annotation of the version in the address", () => {
  const post = (version: string, form: Record<string, string>, cookie = editor) =>
    call(h(versionPage.action), `/specs/${SLUG}/v/${version}`, { cookie, form, params: { slug: SLUG, version } });

  it("refuses an annotation of 0.9 resolved through 1.0, and resolves it through 0.9 with the version in the audit entry", async () => {
    const db = await getDatabase();
    const v09 = (await db.selectFrom("versions").select("id").where("number", "=", "0.9").executeTakeFirstOrThrow()).id;
    const thread = await db.selectFrom("annotations").select(["id", "status"]).where("version_id", "=", v09).where("parent_id", "is", null).where("status", "=", "open").executeTakeFirstOrThrow();
    const wrong = await post("1.0", { intent: "resolve", annotationId: String(thread.id) });
    expect(wrong.status).toBe(404);
    expect((await db.selectFrom("annotations").select("status").where("id", "=", thread.id).executeTakeFirstOrThrow()).status).toBe("open");
    expect((await post("0.9", { intent: "resolve", annotationId: String(thread.id) })).status).toBe(200);
    expect((await db.selectFrom("annotations").select("status").where("id", "=", thread.id).executeTakeFirstOrThrow()).status).toBe("resolved");
    const entry = await db.selectFrom("audit_log").select(["action", "specification_slug", "version_number"]).where("object_type", "=", "annotation").where("object_id", "=", String(thread.id)).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(entry).toEqual({ action: "annotation.resolve", specification_slug: SLUG, version_number: "0.9" });
    expect((await post("0.9", { intent: "reopen", annotationId: String(thread.id) })).status).toBe(200);
  });

  it("answers 404 on a draft's address, as its page does, and changes nothing", async () => {
    const id = await startDraft(editor, "1.0");
    const db = await getDatabase();
    const draft = await db.selectFrom("versions").select("number").where("id", "=", id).executeTakeFirstOrThrow();
    const count = async () => Number((await db.selectFrom("annotations").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const before = await count();
    const response = await post(draft.number, { intent: "annotate", clauseId: "host-provider", kind: "comment", visibility: "staff", body: "On a draft's public address." });
    expect(response.status).toBe(404);
    expect(await count()).toBe(before);
  });
});

describe("the import account", () => {
  it("cannot be made as a person's account, and cannot sign in", async () => {
    const db = await getDatabase();
    await expect(createUser(db, { email: SYSTEM_EMAIL, name: "Someone", role: "commissioner", password: "a-long-password-here" }, { id: null, email: "test" })).rejects.toThrow("are kept for accounts that are not a person's");
    await expect(createUser(db, { email: "sample-coder-1@specwork.invalid", name: "Someone", role: "editor", password: "a-long-password-here" }, { id: null, email: "test" })).rejects.toThrow("are kept for accounts that are not a person's");
    const { signIn: signInModel } = await import("~/models/sign-in.server");
    expect(await signInModel(db, SYSTEM_EMAIL, "!disabled", "10.9.9.9")).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("can never be turned on or given another role", async () => {
    const db = await getDatabase();
    const system = (await findUserByEmail(db, SYSTEM_EMAIL))!;
    const admin = (await findUserByEmail(db, "admin@example.nhs.uk"))!;
    await expect(updateUser(db, system.id, { disabled: false }, { id: admin.id, email: admin.email })).rejects.toThrow(DomainError);
    await expect(updateUser(db, system.id, { role: "commissioner" }, { id: admin.id, email: admin.email })).rejects.toThrow("there is no such user");
    expect((await findUserByEmail(db, SYSTEM_EMAIL))).toMatchObject({ disabled_at: system.disabled_at, role: system.role });
  });
});

async function numberOf(id: number): Promise<string> {
  const db = await getDatabase();
  return (await db.selectFrom("versions").select("number").where("id", "=", id).executeTakeFirstOrThrow()).number;
}

async function clauseTextIn(id: number, clauseId: string): Promise<string> {
  const { getDraft, clauseText } = await import("./drafting");
  return clauseText((await getDraft(id, editor)).doc, clauseId);
}
