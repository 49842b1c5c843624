import { call, signIn } from "./app";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase } from "~/models/app-database.server";
import { createUser, findUserByEmail, type PublicUser } from "~/models/users.server";
import { approvalRecord, cancelScheduledPublication, publishDueVersions, publishVersion, setVersionSummary, submitVersion, todayInLondon } from "~/models/workflow.server";
import { DomainError } from "~/domain/errors";
import * as draftPage from "~/routes/specs.$slug.drafts_.$draftId";
import * as changesPage from "~/routes/specs.$slug.drafts_.$draftId_.changes";
import * as submitPage from "~/routes/specs.$slug.drafts_.$draftId_.submit";
import * as approvePage from "~/routes/specs.$slug.drafts_.$draftId_.approve";
import * as publishPage from "~/routes/specs.$slug.drafts_.$draftId_.publish";
import * as versionPage from "~/routes/specs.$slug.v.$version";
import * as specPage from "~/routes/specs.$slug._index";
import { cachedPage, currentStamp, remember } from "~/page-cache.server";
import { act, editClause, h, SLUG, startDraft } from "./drafting";

// A commissioner's review and the rules of publishing: nothing unchanged goes through, reasons
// are asked for, numbers only go up, dates keep history in order, a later date schedules.

let editor: string;
let commissioner: string;
let editorUser: PublicUser;
let commissionerUser: PublicUser;

beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
  const db = await getDatabase();
  editorUser = (await findUserByEmail(db, "editor@example.nhs.uk"))!;
  commissionerUser = (await findUserByEmail(db, "commissioner@example.nhs.uk"))!;
  await createUser(db, { email: "other.editor@example.nhs.uk", name: "Other Editor", role: "editor", password: "another-long-password" }, { id: null, email: "test" });
});

const params = (id: number) => ({ slug: SLUG, draftId: String(id) });
const page = (id: number, cookie = editor) => call(h(draftPage.loader), `/specs/${SLUG}/drafts/${id}`, { cookie, params: params(id) });

/** A draft from 1.0 with `clauses` changed by the editor; notes on the first `noted` of them. */
async function changedDraft(clauses = ["host-provider"], noted = clauses.length): Promise<number> {
  const id = await startDraft(editor, "1.0");
  for (const [i, clause] of clauses.entries()) {
    expect(await editClause(id, editor, clause, `Revised wording ${i} of draft ${id}.`)).toBe(200);
    if (i < noted) expect((await act(id, editor, { intent: "note", clauseId: clause, rationale: `Because of feedback ${i}.`, themes: "T05" })).status).toBe(200);
  }
  return id;
}

/** A changed draft, submitted and approved by the commissioner. */
async function approvedDraft(): Promise<number> {
  const id = await changedDraft();
  expect((await act(id, editor, { intent: "submit" })).status).toBe(302);
  expect((await act(id, commissioner, { intent: "approve" })).status).toBe(302);
  return id;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).message;
}

/** A version number above every one the specification has, major-numbered. */
async function nextMajor(): Promise<string> {
  const numbers = (await (await getDatabase()).selectFrom("versions").select("number").execute()).map((r) => Number(r.number.split(".")[0]));
  return `${Math.max(...numbers) + 1}.0`;
}

const SPEC_PAGE = `/specs/${SLUG}`;
const dayAfter = (date: string, days = 1) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe("the draft page opens with its review", () => {
  it("counts the changes and lists each with its clause number, section, first words and note, or none", async () => {
    const id = await changedDraft(["host-provider", "oversight-group"], 1);
    const body = (await (await page(id)).json()) as {
      draft: { createdBy: string };
      review: { total: number; unexplained: number; summary: { modified: number }; changes: { id: string; toNumber: string; section: string; words: string; note: { rationale: string; themes: { code: string; title: string }[] } | null }[]; rows: unknown[] };
    };
    expect(body.review).toMatchObject({ total: 2, unexplained: 1, summary: { modified: 2 } });
    const [first, second] = body.review.changes;
    expect(first).toMatchObject({ id: "host-provider", words: `Revised wording 0 of draft ${id}.`, note: { rationale: "Because of feedback 0.", themes: [{ code: "T05", title: expect.any(String) }] } });
    expect(first!.toNumber).toMatch(/^\d+\.\d+\.\d+$/);
    expect(first!.section.length).toBeGreaterThan(0);
    expect(second).toMatchObject({ id: "oversight-group", note: null });
    expect(body.review.rows.length).toBeGreaterThanOrEqual(2);
    // Who started it, by name rather than by address.
    expect(body.draft.createdBy).toBe("Demo Editor");
  });

  it("keeps the revision summary, refusing it once submitted and for ever once approved", async () => {
    const db = await getDatabase();
    const id = await changedDraft();
    const saved = await act(id, editor, { intent: "summary", summary: "  We made each network name a host provider.  " });
    expect(saved.status).toBe(302);
    expect(((await (await page(id)).json()) as { draft: { summary: string } }).draft.summary).toBe("We made each network name a host provider.");
    const tooLong = await act(id, editor, { intent: "summary", summary: "x".repeat(1001) });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { fields: { summary: string }; typed: { summary: string } })).toMatchObject({ fields: { summary: "Write at most 1,000 characters" }, typed: { summary: "x".repeat(1001) } });
    expect((await act(id, editor, { intent: "submit" })).status).toBe(302);
    expect(await refusal(setVersionSummary(db, editorUser, id, "Changed after submission."))).toMatch(/withdraw it to draft/);
    expect((await act(id, commissioner, { intent: "approve" })).status).toBe(302);
    expect(await refusal(setVersionSummary(db, editorUser, id, "Changed after approval."))).toMatch(/approved: its summary can no longer change/);
    await expect(sql`UPDATE versions SET summary = 'rewritten' WHERE id = ${id}`.execute(db)).rejects.toThrow("cannot change");
    const audit = await db.selectFrom("audit_log").select("action").where("object_id", "=", String(id)).where("action", "=", "version.summary").execute();
    expect(audit).toHaveLength(1);
  });

  it("refuses an empty note where there was none, keeping what was typed, and uses checkboxes for themes", async () => {
    const id = await changedDraft(["host-provider"], 0);
    const empty = await act(id, editor, [["intent", "note"], ["clauseId", "host-provider"], ["rationale", "  "], ["themes", "T01"], ["themes", "T02"]]);
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ note: { clauseId: "host-provider", error: "Write what changed and why", field: "rationale", typed: { themes: ["T01", "T02"] } } });
    const badTheme = await act(id, editor, [["intent", "note"], ["clauseId", "host-provider"], ["rationale", "A reason."], ["themes", "T99"]]);
    expect(badTheme.status).toBe(400);
    expect(await badTheme.json()).toMatchObject({ note: { typed: { rationale: "A reason.", themes: ["T99"] } } });
    // What is put back never carries the character the message refuses.
    const invisible = await act(id, editor, { intent: "note", clauseId: "host-provider", rationale: "zero\u200bwidth" });
    expect(invisible.status).toBe(400);
    const body = (await invisible.json()) as { note: { error: string; typed: { rationale: string } } };
    expect(body.note.error).toContain("U+200B");
    expect(body.note.typed.rationale).toBe("zerowidth");
  });
});

describe("submitting", () => {
  it("refuses an unchanged draft, in the model and on the page", async () => {
    const id = await startDraft(editor, "1.0");
    expect(await refusal(submitVersion(await getDatabase(), editorUser, id))).toMatch(/^there are no changes to submit/);
    const shown = (await (await call(h(submitPage.loader), `/specs/${SLUG}/drafts/${id}/submit`, { cookie: editor, params: params(id) })).json()) as { draft: { unchanged: boolean } };
    expect(shown.draft.unchanged).toBe(true);
    const sent = await call(h(submitPage.action), `/specs/${SLUG}/drafts/${id}/submit`, { cookie: editor, form: {}, params: params(id) });
    expect(sent.status).toBe(400);
    expect(((await sent.json()) as { error: string }).error).toMatch(/^There are no changes to submit/);
  });

  it("asks to confirm changes without a note, by their number as it stands", async () => {
    const db = await getDatabase();
    const id = await changedDraft(["host-provider", "oversight-group", "annual-work-plan"], 1);
    const shown = (await (await call(h(submitPage.loader), `/specs/${SLUG}/drafts/${id}/submit`, { cookie: editor, params: params(id) })).json()) as { review: { unexplained: number; changes: { id: string; note: unknown }[] } };
    expect(shown.review.unexplained).toBe(2);
    expect(shown.review.changes.filter((c) => !c.note).map((c) => c.id)).toEqual(["oversight-group", "annual-work-plan"]);
    const unconfirmed = await call(h(submitPage.action), `/specs/${SLUG}/drafts/${id}/submit`, { cookie: editor, form: {}, params: params(id) });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.json()).toMatchObject({ field: "confirmUnexplained", error: "Confirm that you are submitting with 2 changes unexplained, or write the missing notes first" });
    // A count confirmed before another change lost its note is not enough.
    expect(await refusal(submitVersion(db, editorUser, id, { confirmedUnexplained: 1 }))).toMatch(/^2 changes have no note/);
    expect((await db.selectFrom("versions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("draft");
    const confirmed = await call(h(submitPage.action), `/specs/${SLUG}/drafts/${id}/submit`, { cookie: editor, form: { confirmUnexplained: "2" }, params: params(id) });
    expect(confirmed.status).toBe(302);
    expect((await db.selectFrom("versions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("submitted");
  });

  it("needs no confirmation when every change has its note", async () => {
    const id = await changedDraft(["host-provider", "oversight-group"]);
    expect((await call(h(submitPage.action), `/specs/${SLUG}/drafts/${id}/submit`, { cookie: editor, form: {}, params: params(id) })).status).toBe(302);
  });
});

describe("approving", () => {
  it("shows the content hash and who approves, and records the theme titles before sealing", async () => {
    const db = await getDatabase();
    const id = await changedDraft();
    expect((await act(id, editor, { intent: "submit" })).status).toBe(302);
    const shown = (await (await call(h(approvePage.loader), `/specs/${SLUG}/drafts/${id}/approve`, { cookie: commissioner, params: params(id) })).json()) as { draft: { contentHash: string }; user: { name: string }; may: { approve: boolean } };
    const stored = await db.selectFrom("versions").select("content_hash").where("id", "=", id).executeTakeFirstOrThrow();
    expect(shown).toMatchObject({ draft: { contentHash: stored.content_hash }, user: { name: "Demo Commissioner" }, may: { approve: true } });
    // The draft page no longer approves.
    expect((await call(h(draftPage.action), `/specs/${SLUG}/drafts/${id}`, { cookie: commissioner, form: { intent: "approve" }, params: params(id) })).status).toBe(400);
    expect((await call(h(approvePage.action), `/specs/${SLUG}/drafts/${id}/approve`, { cookie: commissioner, form: {}, params: params(id) })).status).toBe(302);
    const kept = await db.selectFrom("version_themes").select(["code", "title"]).where("version_id", "=", id).execute();
    expect(kept.map((t) => t.code)).toEqual(["T05"]);
    expect(await approvalRecord(db, id)).toMatchObject({ approvedBy: "Demo Commissioner", publishedBy: null });
    expect(((await (await page(id)).json()) as { record: { approvedBy: string } }).record.approvedBy).toBe("Demo Commissioner");
  });
});

describe("publishing", () => {
  it("chooses the number: it must be a number, above every published one, and not another version's", async () => {
    const db = await getDatabase();
    const id = await approvedDraft();
    const publish = (number: string) => publishVersion(db, commissionerUser, id, { number, label: "Revision", date: "" });
    expect(await refusal(publish("1.x"))).toMatch(/whole numbers separated by full stops/);
    expect(await refusal(publish("1.0"))).toMatch(/^there is already a version 1.0/);
    expect(await refusal(publish("0.95"))).toMatch(/^the version number must be higher than 1.0/);
    // A draft's provisional number is taken too.
    const other = await startDraft(editor, "1.0");
    const taken = (await db.selectFrom("versions").select("number").where("id", "=", other).executeTakeFirstOrThrow()).number;
    expect(await refusal(publish(taken))).toMatch(new RegExp(`^there is already a version ${taken.replace(".", "\\.")}`));
    // From the page: the error is on the number field, with what was typed kept.
    const page = await call(h(publishPage.action), `/specs/${SLUG}/drafts/${id}/publish`, { cookie: commissioner, form: { intent: "check", number: "0.95", label: "Revision" }, params: params(id) });
    expect(page.status).toBe(400);
    expect(await page.json()).toMatchObject({ fields: { number: "The version number must be higher than 1.0, the highest published or scheduled version." }, typed: { number: "0.95", label: "Revision" } });
    const major = await nextMajor();
    const check = await call(h(publishPage.action), `/specs/${SLUG}/drafts/${id}/publish`, { cookie: commissioner, form: { intent: "check", number: major, label: "Revision" }, params: params(id) });
    expect(await check.json()).toMatchObject({ preview: { number: major, scheduled: false, replaces: "1.0", date: todayInLondon() } });
    expect((await db.selectFrom("versions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("approved");
    const done = await call(h(publishPage.action), `/specs/${SLUG}/drafts/${id}/publish`, { cookie: commissioner, form: { intent: "publish", number: major, label: "Revision" }, params: params(id) });
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`/specs/${SLUG}/v/${major}`);
    expect(await db.selectFrom("versions").select(["number", "status", "published_by", "date"]).where("id", "=", id).executeTakeFirstOrThrow()).toEqual({ number: major, status: "published", published_by: commissionerUser.id, date: todayInLondon() });
    expect(await refusal(publishVersion(db, commissionerUser, await approvedDraft(), { number: "1.99", label: "Lower", date: "" }))).toMatch(`must be higher than ${major}`);
  });

  it("says on the version page and the timeline who approved and who published, and nothing for seeded versions", async () => {
    const id = await approvedDraft();
    const number = await nextMajor();
    expect((await act(id, commissioner, { intent: "publish", number, label: "Recorded" })).status).toBe(302);
    const shown = (await (await call(h(versionPage.loader), `/specs/${SLUG}/v/${number}`, { params: { slug: SLUG, version: number } })).json()) as { version: { approval: Record<string, unknown> } };
    expect(shown.version.approval).toMatchObject({ approvedBy: "Demo Commissioner", publishedBy: "Demo Commissioner", publishedOn: todayInLondon() });
    expect(JSON.stringify(shown.version.approval)).not.toContain("@");
    const seeded = (await (await call(h(versionPage.loader), `/specs/${SLUG}/v/0.9`, { params: { slug: SLUG, version: "0.9" } })).json()) as { version: { approval: Record<string, unknown> } };
    expect(seeded.version.approval).toMatchObject({ approvedBy: null, publishedBy: null });
    const timeline = (await (await call(h(specPage.loader), `/specs/${SLUG}`, { params: { slug: SLUG } })).json()) as { versions: { number: string; approval: { approvedBy: string | null } | null }[] };
    expect(timeline.versions.find((v) => v.number === number)?.approval?.approvedBy).toBe("Demo Commissioner");
    expect(timeline.versions.find((v) => v.number === "1.0")?.approval?.approvedBy).toBeNull();
  });

  it("refuses an unchanged version, even when its parent has caught up with it since approval", async () => {
    const db = await getDatabase();
    const parent = await changedDraft();
    const child = await startDraft(editor, (await db.selectFrom("versions").select("number").where("id", "=", parent).executeTakeFirstOrThrow()).number);
    expect(await editClause(child, editor, "oversight-group", "The same words in both.")).toBe(200);
    expect((await act(child, editor, { intent: "note", clauseId: "oversight-group", rationale: "A reason." })).status).toBe(200);
    expect((await act(child, editor, { intent: "submit" })).status).toBe(302);
    expect((await act(child, commissioner, { intent: "approve" })).status).toBe(302);
    expect(await editClause(parent, editor, "oversight-group", "The same words in both.")).toBe(200);
    expect(await refusal(publishVersion(db, commissionerUser, child, { number: await nextMajor(), label: "Nothing new", date: "" }))).toMatch(/^there are no changes to publish/);
  });

  it("refuses a date before the version it replaces", async () => {
    const db = await getDatabase();
    const id = await approvedDraft();
    expect(await refusal(publishVersion(db, commissionerUser, id, { number: await nextMajor(), label: "Too early", date: "2010-01-01" }))).toMatch(/^the publication date must be on or after \d+ \w+ \d{4}, the date of version/);
  });

  it("schedules a later date, publishes it when the day comes with the scheduler named, and can cancel before", async () => {
    const db = await getDatabase();
    const today = todayInLondon();
    const tomorrow = dayAfter(today);

    // Cancelled before its date: back to plain approved.
    const cancelled = await approvedDraft();
    const cancelledNumber = await nextMajor();
    expect(await publishVersion(db, commissionerUser, cancelled, { number: cancelledNumber, label: "Later", date: dayAfter(today, 30) })).toMatchObject({ scheduled: true });
    await cancelScheduledPublication(db, commissionerUser, cancelled, today);
    expect(await db.selectFrom("versions").select(["status", "label", "date", "published_by", "published_at"]).where("id", "=", cancelled).executeTakeFirstOrThrow()).toEqual({ status: "approved", label: null, date: null, published_by: null, published_at: null });

    const id = await approvedDraft();
    const number = await nextMajor();
    const form = { intent: "publish", number, label: "Final specification", "date-day": tomorrow.slice(8), "date-month": tomorrow.slice(5, 7), "date-year": tomorrow.slice(0, 4) };
    const sent = await call(h(publishPage.action), `/specs/${SLUG}/drafts/${id}/publish`, { cookie: commissioner, form, params: params(id) });
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe(`/specs/${SLUG}/drafts/${id}`);
    const before = await db.selectFrom("versions").select(["number", "status", "label", "date", "published_by"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(before).toEqual({ number, status: "approved", label: "Final specification", date: tomorrow, published_by: commissionerUser.id });
    expect(((await (await page(id)).json()) as { draft: { scheduledFor: string | null } }).draft.scheduledFor).toBe(tomorrow);
    // Not public yet: the version page is a 404 and the current version is still published.
    expect((await call(h(versionPage.loader), `/specs/${SLUG}/v/${number}`, { params: { slug: SLUG, version: number } })).status).toBe(404);
    const current = await db.selectFrom("versions").select(["id", "number"]).where("status", "=", "published").executeTakeFirstOrThrow();
    // Another publication cannot jump in ahead of it, and it cannot be cancelled on its day.
    expect(await refusal(publishVersion(db, commissionerUser, cancelled, { number: await nextMajor(), label: "Ahead", date: "" }))).toMatch(/on or after .*, the date of version/);
    expect(await refusal(cancelScheduledPublication(db, commissionerUser, id, tomorrow))).toMatch(/due to be published today/);

    expect(await publishDueVersions(db, today)).toEqual({ published: [], problems: [] });
    // A public page rendered before the day came is not served after the version goes live.
    remember(`${SPEC_PAGE}`, await listeningStamp(), 200, new Headers(), Buffer.from("the page showing the old current version"));
    expect(await cachedPage(SPEC_PAGE)).toBeDefined();
    const stamp = await db.selectFrom("audit_log").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow();
    expect(await publishDueVersions(db, tomorrow)).toEqual({ published: [{ slug: SLUG, number }], problems: [] });
    expect((await db.selectFrom("versions").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("published");
    expect(await cachedPage(SPEC_PAGE)).toBeUndefined();
    expect((await db.selectFrom("versions").select("status").where("id", "=", current.id).executeTakeFirstOrThrow()).status).toBe("superseded");
    // The audit entries (which also tell the public page cache to render afresh) name the scheduler.
    const entries = await db.selectFrom("audit_log").select(["action", "actor", "version_number"]).where("id", ">", Number(stamp.id)).orderBy("id").execute();
    expect(entries).toEqual([
      { action: "version.supersede", actor: "commissioner@example.nhs.uk", version_number: current.number },
      { action: "version.publish", actor: "commissioner@example.nhs.uk", version_number: number },
    ]);
    expect(await approvalRecord(db, id)).toMatchObject({ publishedBy: "Demo Commissioner", publishedOn: tomorrow, scheduledFor: null });
    // Running again publishes nothing twice.
    expect(await publishDueVersions(db, tomorrow)).toEqual({ published: [], problems: [] });
  });
});

describe("who may see the review pages", () => {
  const pages = [
    ["changes", changesPage.loader],
    ["submit", submitPage.loader],
    ["approve", approvePage.loader],
    ["publish", publishPage.loader],
  ] as const;

  it.each(pages)("/%s answers staff privately, sends the public to sign in, and is a 404 for another specification or no draft", async (name, loader) => {
    const id = await changedDraft();
    const url = `/specs/${SLUG}/drafts/${id}/${name}`;
    const shown = await call(h(loader), url, { cookie: editor, params: params(id) });
    expect(shown.status).toBe(200);
    expect(shown.headers.get("Cache-Control")).toBe("private, no-store");
    const anonymous = await call(h(loader), url, { params: params(id) });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?next=/);
    expect((await call(h(loader), `/specs/other-spec/drafts/${id}/${name}`, { cookie: editor, params: { slug: "other-spec", draftId: String(id) } })).status).toBe(404);
    expect((await call(h(loader), `/specs/${SLUG}/drafts/999999/${name}`, { cookie: editor, params: { slug: SLUG, draftId: "999999" } })).status).toBe(404);
    expect((await call(h(loader), `/specs/${SLUG}/drafts/1e3/${name}`, { cookie: editor, params: { slug: SLUG, draftId: "1e3" } })).status).toBe(404);
  });

  it("shows the staff redline of a draft against its base, with each change's note", async () => {
    const id = await changedDraft(["host-provider", "oversight-group"], 1);
    const body = (await (await call(h(changesPage.loader), `/specs/${SLUG}/drafts/${id}/changes`, { cookie: commissioner, params: params(id) })).json()) as { draft: { parentNumber: string }; review: { rows: { id: string }[]; notes: Record<string, unknown>; changes: unknown[] } };
    expect(body.draft.parentNumber).toBe("1.0");
    expect(body.review.changes).toHaveLength(2);
    expect(body.review.rows.map((r) => r.id)).toEqual(expect.arrayContaining(["host-provider", "oversight-group"]));
    expect(Object.keys(body.review.notes)).toEqual(["host-provider"]);
  });

  it("refuses an editor on the approve and publish pages' actions", async () => {
    const id = await approvedDraft();
    expect((await call(h(publishPage.action), `/specs/${SLUG}/drafts/${id}/publish`, { cookie: editor, form: { intent: "publish", number: "99.0", label: "Mine" }, params: params(id) })).status).toBe(403);
    const other = await changedDraft();
    expect((await act(other, editor, { intent: "submit" })).status).toBe(302);
    expect((await call(h(approvePage.action), `/specs/${SLUG}/drafts/${other}/approve`, { cookie: editor, form: {}, params: params(other) })).status).toBe(403);
  });
});

/**
 * The page cache's stamp once it may cache: at once on SQLite; on PostgreSQL once this process
 * hears other servers' changes (its LISTEN connection is made on first use).
 */
async function listeningStamp(): Promise<string> {
  for (let tries = 0; tries < 400; tries++) {
    const stamp = await currentStamp();
    if (stamp !== null) return stamp;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the page cache never started hearing of changes");
}
