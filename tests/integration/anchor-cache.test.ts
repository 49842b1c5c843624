// Placements of carried annotations (issue 13): a published version keeps each thread's placement
// the first time a page works it out (annotation_anchors, migration 011) and reads it from there
// after; a draft reuses its starting point's placements only where a thread's clause reads the
// same. Whatever is kept, every page shows what anchoring the two versions' texts gives.
import { call, signIn } from "./app";
import { editClause, h, SLUG, startDraft } from "./drafting";
import { beforeAll, describe, expect, it } from "vitest";
import * as versionPage from "~/routes/specs.$slug.v.$version";
import * as draftPage from "~/routes/specs.$slug.drafts_.$draftId";
import { getDatabase } from "~/models/app-database.server";
import { addAnnotation, carriedAnnotations, type CarriedAnnotation } from "~/models/annotations.server";
import { findVersion, type Version } from "~/models/versions.server";
import { findUser } from "~/models/users.server";
import { reanchor } from "~/domain/anchoring";
import { itemTexts } from "~/domain/document";
import type { DocJSON } from "~/domain/schema";
import { ANNOTATION_KINDS } from "~/domain/annotations";
import { seededRandom } from "../unit/random";

let editorCookie: string;
let older: Version;
let newer: Version;

const staff = async () => {
  const db = await getDatabase();
  const row = await db.selectFrom("users").select("id").where("email", "=", "editor@example.nhs.uk").executeTakeFirstOrThrow();
  return (await findUser(db, row.id))!;
};
const kept = async (versionId: number) =>
  (await getDatabase()).selectFrom("annotation_anchors").selectAll().where("version_id", "=", versionId).orderBy("annotation_id").execute();
const auditCount = async () => Number((await (await getDatabase()).selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

/** What anchoring gives for every thread of `from` placed on `to`, by annotation id. */
async function expected(from: Version, to: DocJSON): Promise<Map<number, { placement: string; clauseId: string | null; start: number | null; end: number | null }>> {
  const threads = await (await getDatabase()).selectFrom("annotations").selectAll().where("version_id", "=", from.id).where("parent_id", "is", null).orderBy("id").execute();
  const placed = reanchor(
    threads.map((t) => ({ id: String(t.id), clauseId: t.clause_id, start: t.start, end: t.end, quote: t.quote })),
    from.doc,
    to,
  );
  return new Map(placed.map((p) => [Number(p.id), { placement: p.status, clauseId: p.clauseId, start: p.start, end: p.end }]));
}

const shown = (carried: { placed: CarriedAnnotation[]; orphaned: CarriedAnnotation[] }) =>
  new Map([...carried.placed, ...carried.orphaned].map((a) => [a.id, { placement: a.placement, clauseId: a.placement === "orphaned" ? null : a.clauseId, start: a.start, end: a.end }]));

beforeAll(async () => {
  editorCookie = await signIn("editor@example.nhs.uk");
  const db = await getDatabase();
  older = (await findVersion(db, SLUG, "0.9"))!;
  newer = (await findVersion(db, SLUG, "1.0"))!;
  // Threads on 0.9 of every sort: a quote in many clauses (some changed by 1.0, some gone),
  // whole-clause comments, public and staff, and a reply or two.
  const author = await staff();
  const r = seededRandom(2016);
  const clauses = itemTexts(older.doc).filter((i) => i.kind === "clause" && i.plainText.length > 60);
  for (let i = 0; i < 60; i++) {
    const clause = r.pick(clauses);
    const ranged = r.chance(0.7);
    const start = ranged ? r.int(clause.plainText.length - 40) : null;
    const visibility = r.chance(0.6) ? "public" : "staff";
    const id = await addAnnotation(db, { id: older.id, doc: older.doc, slug: SLUG, number: "0.9" }, author, {
      clauseId: clause.id,
      start,
      end: start === null ? null : start + 10 + r.int(30),
      kind: r.pick(ANNOTATION_KINDS),
      body: `Thread ${i} on ${clause.id}.`,
      visibility,
    });
    if (i % 10 === 0) await addAnnotation(db, { id: older.id, doc: older.doc, slug: SLUG, number: "0.9" }, author, { clauseId: clause.id, kind: "comment", body: `A reply to thread ${i}.`, visibility, parentId: id });
  }
});

describe("a published version's placements", () => {
  it("are worked out on the first request, kept with no audit entry, and read back the same", async () => {
    const db = await getDatabase();
    const viewer = await staff();
    const want = await expected(older, newer.doc);
    expect(want.size).toBeGreaterThan(60);
    expect(new Set([...want.values()].map((p) => p.placement)).size).toBeGreaterThan(2);

    // The public first: only public threads are placed and kept.
    const audit = await auditCount();
    await db.deleteFrom("annotation_anchors").execute();
    const publicPage = await call(h(versionPage.loader), `/specs/${SLUG}/v/1.0`, { params: { slug: SLUG, version: "1.0" } });
    expect(publicPage.status).toBe(200);
    const publicIds = new Set((await db.selectFrom("annotations").select("id").where("version_id", "=", older.id).where("parent_id", "is", null).where("visibility", "=", "public").execute()).map((r) => r.id));
    expect(new Set((await kept(newer.id)).map((r) => r.annotation_id))).toEqual(publicIds);

    const cold = shown(await carriedAnnotations(db, { ...newer, fixed: true }, viewer, [{ id: older.id, number: "0.9" }]));
    expect(cold).toEqual(want);
    const rows = await kept(newer.id);
    expect(rows.length).toBe(want.size);
    for (const row of rows) expect({ placement: row.placement, clauseId: row.clause_id, start: row.start, end: row.end }).toEqual(want.get(row.annotation_id));
    expect(await auditCount()).toBe(audit);

    // Read back: the same, and really from the table (a kept placement is what the page shows).
    const warm = shown(await carriedAnnotations(db, { ...newer, fixed: true }, viewer, [{ id: older.id, number: "0.9" }]));
    expect(warm).toEqual(want);
    const sample = rows.find((row) => row.start !== null)!;
    await db.updateTable("annotation_anchors").set({ start: sample.start! + 1 }).where("annotation_id", "=", sample.annotation_id).where("version_id", "=", newer.id).execute();
    const tampered = shown(await carriedAnnotations(db, { ...newer, fixed: true }, viewer, [{ id: older.id, number: "0.9" }]));
    expect(tampered.get(sample.annotation_id)!.start).toBe(sample.start! + 1);
    await db.updateTable("annotation_anchors").set({ start: sample.start }).where("annotation_id", "=", sample.annotation_id).where("version_id", "=", newer.id).execute();
  });

  it("give the same version page whether worked out or read back", async () => {
    const db = await getDatabase();
    const load = async () => (await call(h(versionPage.loader), `/specs/${SLUG}/v/1.0`, { cookie: editorCookie, params: { slug: SLUG, version: "1.0" } })).json();
    await db.deleteFrom("annotation_anchors").execute();
    const cold = await load();
    expect((await kept(newer.id)).length).toBeGreaterThan(0);
    expect(await load()).toEqual(cold);
  });

  it("include a thread added to the earlier version after the others were kept", async () => {
    const db = await getDatabase();
    const before = (await kept(newer.id)).length;
    const clause = itemTexts(older.doc).find((i) => i.kind === "clause" && i.id === "host-provider")!;
    const id = await addAnnotation(db, { id: older.id, doc: older.doc, slug: SLUG, number: "0.9" }, await staff(), { clauseId: clause.id, kind: "comment", body: "Added later.", visibility: "public" });
    const page = (await (await call(h(versionPage.loader), `/specs/${SLUG}/v/1.0`, { params: { slug: SLUG, version: "1.0" } })).json()) as { annotations: Record<string, { id: number }[]> };
    expect(Object.values(page.annotations).flat().some((t) => t.id === id)).toBe(true);
    expect((await kept(newer.id)).length).toBe(before + 1);
  });
});

describe("a draft's placements", () => {
  it("are what anchoring on the draft's own text gives, also where the draft changed a thread's clause", async () => {
    const db = await getDatabase();
    const draftId = await startDraft(editorCookie, "1.0");
    // A clause of 1.0 on which a 0.9 thread with a quote was placed exactly: reworded on the draft.
    const placements = await kept(newer.id);
    const threads = await db.selectFrom("annotations").selectAll().where("version_id", "=", older.id).where("parent_id", "is", null).where("start", "is not", null).execute();
    const target = threads.find((t) => placements.some((p) => p.annotation_id === t.id && p.placement === "exact" && p.clause_id === t.clause_id))!;
    expect(target).toBeDefined();
    expect(await editClause(draftId, editorCookie, target.clause_id, "Wholly new words for this clause, none of the old ones.")).toBe(200);

    const page = (await (await call(h(draftPage.loader), `/specs/${SLUG}/drafts/${draftId}`, { cookie: editorCookie, params: { slug: SLUG, draftId: String(draftId) } })).json()) as {
      draft: { doc: DocJSON };
      carried: { id: number; clauseId: string; start: number | null; placement: string }[];
    };
    const want = new Map([...(await expected(older, page.draft.doc)), ...(await expected(newer, page.draft.doc))]);
    expect(page.carried.length).toBe(want.size);
    for (const thread of page.carried) {
      const w = want.get(thread.id)!;
      expect({ id: thread.id, placement: thread.placement, start: thread.start, clauseId: w.placement === "orphaned" ? null : thread.clauseId }).toEqual({ id: thread.id, placement: w.placement, start: w.start, clauseId: w.clauseId });
    }
    // The reworded clause's thread was placed again, not taken from 1.0.
    const moved = page.carried.find((t) => t.id === target.id)!;
    expect(moved.placement).not.toBe("exact");
    // Nothing is kept for a draft.
    expect(await kept(draftId)).toEqual([]);
  });

  it("place again a thread whose words moved to a clause new since its version, when the draft rewords that clause", async () => {
    const db = await getDatabase();
    // Seeded: a 0.9 thread quoting "help with travel costs", whose words 1.0 moved to a new clause.
    const movedThread = (await kept(newer.id)).find((p) => p.placement === "moved" && p.clause_id === "travel-costs-and-accommodation")!;
    expect(movedThread).toBeDefined();
    const draftId = await startDraft(editorCookie, "1.0");
    expect(await editClause(draftId, editorCookie, "travel-costs-and-accommodation", "Patients are told what support there is for getting to treatment.")).toBe(200);
    const page = (await (await call(h(draftPage.loader), `/specs/${SLUG}/drafts/${draftId}`, { cookie: editorCookie, params: { slug: SLUG, draftId: String(draftId) } })).json()) as {
      draft: { doc: DocJSON };
      carried: { id: number; clauseId: string; start: number | null; placement: string }[];
    };
    const want = await expected(older, page.draft.doc);
    const thread = page.carried.find((t) => t.id === movedThread.annotation_id)!;
    expect(thread.placement).toBe(want.get(movedThread.annotation_id)!.placement);
    expect(thread.placement).not.toBe("moved");
    for (const t of page.carried.filter((c) => want.has(c.id))) expect([t.id, t.placement, t.start]).toEqual([t.id, want.get(t.id)!.placement, want.get(t.id)!.start]);
  });
});

