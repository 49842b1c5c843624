// A clause's history read from what is kept per version and per pair of neighbouring versions
// (migration 012) is the history that redlining the whole documents gives: the same data, to the
// byte, for every id that was ever a clause. The old algorithm is kept below as the reference.
// Also: the rows kept when a version is published are those a late fill makes, and two fills at
// once both succeed and leave one set of rows.
import { call, signIn } from "./app";
import { beforeAll, describe, expect, it } from "vitest";
import { itemTexts } from "~/domain/document";
import { numberById } from "~/domain/numbering";
import { clauseChange, type ChangeDescription, type RedlineRow } from "~/domain/redline";
import { sectionChildren, type ClauseJSON, type DocJSON, type SectionJSON } from "~/domain/schema";
import { parseSpec } from "~/domain/source/parse";
import { compareVersionNumbers } from "~/domain/version-number";
import { PUBLIC_STATUSES } from "~/domain/workflow";
import type { ThemeFields } from "~/domain/themes";
import { getDatabase } from "~/models/app-database.server";
import { fillClauseHistory } from "~/models/clause-history.server";
import { clauseHistory, type ClauseStep } from "~/models/compare.server";
import { inTransaction, type Db } from "~/models/db.server";
import { publicCitations } from "~/models/reports.server";
import { findSpecification } from "~/models/specifications.server";
import { changeNotes, findTheme, saveTheme, themesAsShown } from "~/models/themes.server";
import { findUserByEmail } from "~/models/users.server";
import { findVersion, importVersion, listPublicVersions, sealFixedVersions, type Version } from "~/models/versions.server";
import * as clausePage from "~/routes/specs.$slug.clauses.$clauseId";
import { act, editClause, h, SLUG as RADIOTHERAPY, startDraft } from "./drafting";

/** The history as the page computed it before migration 012: every version's whole document, redlined pair by pair. */
async function clauseHistoryFromDocuments(db: Db, slug: string, clauseId: string): Promise<{ specification: { slug: string; title: string }; steps: ClauseStep[] } | null> {
  const spec = await findSpecification(db, slug);
  if (!spec) return null;
  const summaries = (await listPublicVersions(db, spec.id)).sort((a, b) => compareVersionNumbers(a.number, b.number));
  const versions: Version[] = [];
  for (const summary of summaries) versions.push((await findVersion(db, slug, summary.number))!);
  const items = versions.map((version) => itemTexts(version.doc));
  const steps: ClauseStep[] = versions.map((version, index) => {
    const found = findClause(version.doc, clauseId);
    let change: RedlineRow | null = null;
    let described: ChangeDescription | null = null;
    const previous = versions[index - 1];
    if (previous && (found || findClause(previous.doc, clauseId))) {
      ({ change, described } = clauseChange(
        { version: previous.number, doc: previous.doc, hash: previous.content_hash, items: items[index - 1] },
        { version: version.number, doc: version.doc, hash: version.content_hash, items: items[index] },
        clauseId,
      ));
    }
    return { version: { number: version.number, label: version.label, date: version.date }, clause: found, change, described, note: null };
  });
  for (const [index, version] of versions.entries()) {
    const note = (await changeNotes(db, version.id)).get(clauseId);
    if (!note) continue;
    const shown = await themesAsShown(db, version);
    steps[index]!.note = {
      rationale: note.rationale,
      themes: note.themes.map((code) => ({ code, title: shown.get(code)?.title ?? "" })),
      responses: (await publicCitations(db, version.id)).get(clauseId) ?? [],
    };
  }
  if (!steps.some((step) => step.clause)) return null;
  return { specification: { slug: spec.slug, title: spec.title }, steps };
}

function findClause(doc: DocJSON, id: string): { number: string; content: ClauseJSON } | null {
  const number = numberById(doc).get(id);
  if (!number) return null;
  let found: ClauseJSON | null = null;
  const visit = (section: SectionJSON) => {
    for (const child of sectionChildren(section)) {
      if (child.type === "section") visit(child);
      else if (child.attrs.id === id) found = child;
    }
  };
  (doc.content ?? []).forEach(visit);
  return found ? { number, content: found } : null;
}

// A history made to move, renumber, remove, bring back, reformat and change the kind of clauses.
const HISTORY = "clause-history-sample";
const front = (version: string, status: string) =>
  `---\nslug: ${HISTORY}\ntitle: Clause history sample\nreference: SAMPLE-CH-0001\nversion: ${version}\nlabel: Version ${version}\ndate: 2019-01-${version.replace(/\D/g, "").padStart(2, "0").slice(-2)}\nstatus: ${status}\n---\n\n`;
const VERSIONS: [string, string, string][] = [
  [
    "1.0",
    "superseded",
    "# Scope {#scope}\n\n{#a} Alpha clause with **bold** words and [a link](https://example.org/a).\n\n{#b} Bravo clause.\n\n{#c} Charlie clause:\n\n1. the first step;\n2. the second step.\n\n{#d} Delta clause.\n\n" +
      "## Details {#details}\n\n{#e} Echo clause.\n\n{#k} Kilo clause, which becomes a section.\n\n# Premises {#premises}\n\n{#f} Foxtrot clause.\n\n# Glossary {#glossary .appendix}\n\n{#g} Golf: a term.\n",
  ],
  [
    // A clause added before b (renumbering b, c, d), d reworded, a's formatting only, f moved, e removed.
    "1.1",
    "superseded",
    "# Scope {#scope}\n\n{#a} Alpha clause with *bold* words and [a link](https://example.org/b).\n\n{#n} New clause.\n\n{#b} Bravo clause.\n\n{#c} Charlie clause:\n\n1. the first step;\n2. the second step.\n\n{#d} Delta clause, reworded.\n\n{#f} Foxtrot clause.\n\n" +
      "## Details {#details}\n\n{#k} Kilo clause, which becomes a section.\n\n# Premises {#premises}\n\n{#p} Papa clause.\n\n# Glossary {#glossary .appendix}\n\n{#g} Golf: a term.\n",
  ],
  [
    // e back (in another section), k now a section, c and d swapped, c's list now bullets.
    "1.2",
    "superseded",
    "# Scope {#scope}\n\n{#a} Alpha clause with *bold* words and [a link](https://example.org/b).\n\n{#n} New clause.\n\n{#b} Bravo clause.\n\n{#d} Delta clause, reworded.\n\n{#c} Charlie clause:\n\n- the first step;\n- the second step.\n\n{#f} Foxtrot clause.\n\n" +
      "## Details {#details}\n\n### Kilo {#k}\n\n{#k1} Kilo's first clause.\n\n# Premises {#premises}\n\n{#p} Papa clause.\n\n{#e} Echo clause.\n\n# Glossary {#glossary .appendix}\n\n{#g} Golf: a term.\n",
  ],
  [
    // The Details heading renamed, Premises removed with e and p, a reworded, g's words the same.
    "1.3",
    "superseded",
    "# Scope {#scope}\n\n{#a} Alpha clause, reworded, with *bold* words.\n\n{#n} New clause.\n\n{#b} Bravo clause.\n\n{#d} Delta clause, reworded.\n\n{#c} Charlie clause:\n\n- the first step;\n- the second step.\n\n{#f} Foxtrot clause.\n\n" +
      "## More details {#details}\n\n### Kilo {#k}\n\n{#k1} Kilo's first clause.\n\n# Glossary {#glossary .appendix}\n\n{#g} Golf: a term.\n",
  ],
  // A draft between the public versions: not part of any history.
  ["1.4", "draft", "# Scope {#scope}\n\n{#a} Alpha clause, reworded, with *bold* words.\n\n{#z} Zulu clause, only ever in a draft.\n"],
  [
    // k a clause again, a new first section renumbering everything, g moved out of the appendix.
    "1.5",
    "published",
    "# Introduction {#intro}\n\n{#i} Introductory clause.\n\n# Scope {#scope}\n\n{#a} Alpha clause, reworded, with *bold* words.\n\n{#n} New clause.\n\n{#b} Bravo clause.\n\n{#d} Delta clause, reworded.\n\n{#c} Charlie clause:\n\n- the first step;\n- the second step.\n\n{#f} Foxtrot clause.\n\n{#g} Golf: a term.\n\n" +
      "## More details {#details}\n\n{#k} Kilo clause again.\n\n{#k1} Kilo's first clause.\n",
  ],
];
// Imported afterwards between 1.2 and 1.3, so that two new pairs replace one.
const LATE: [string, string, string] = [
  "1.2.5",
  "superseded",
  "# Scope {#scope}\n\n{#a} Alpha clause with *bold* words.\n\n{#n} New clause.\n\n{#b} Bravo clause.\n\n{#d} Delta clause, reworded.\n\n{#c} Charlie clause:\n\n- the first step;\n- the second step.\n\n{#f} Foxtrot clause.\n\n" +
    "## Details {#details}\n\n### Kilo {#k}\n\n{#k1} Kilo's first clause.\n\n# Premises {#premises}\n\n{#p} Papa clause.\n\n# Glossary {#glossary .appendix}\n\n{#g} Golf: a term.\n",
];

function source([number, status, body]: [string, string, string]) {
  const parsed = parseSpec(front(number, status) + body, `${number}.md`);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join("; "));
  return parsed.source;
}

/** Every id ever stored for a specification (sections and draft-only clauses too), and one never used. */
async function everyId(db: Db, slug: string): Promise<string[]> {
  const rows = await db
    .selectFrom("version_items")
    .innerJoin("versions", "versions.id", "version_items.version_id")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .select("version_items.item_id")
    .distinct()
    .where("specifications.slug", "=", slug)
    .execute();
  return [...rows.map((r) => r.item_id).sort(), "never-a-clause", ""];
}

/** What is kept, for the pairs that are neighbours now (a pair that a later import split stays kept, unread). */
async function keptRows(db: Db) {
  const adjacent = new Set<string>();
  for (const spec of await db.selectFrom("specifications").select("id").execute()) {
    const versions = (await db.selectFrom("versions").select(["id", "number"]).where("specification_id", "=", spec.id).where("status", "in", PUBLIC_STATUSES).execute()).sort((a, b) => compareVersionNumbers(a.number, b.number));
    for (let k = 1; k < versions.length; k++) adjacent.add(`${versions[k - 1]!.id} ${versions[k]!.id}`);
  }
  return {
    clauses: await db.selectFrom("version_clauses").selectAll().orderBy("version_id").orderBy("item_id").execute(),
    changes: (await db.selectFrom("clause_changes").selectAll().orderBy("from_version_id").orderBy("to_version_id").orderBy("item_id").execute()).filter((r) => adjacent.has(`${r.from_version_id} ${r.to_version_id}`)),
  };
}

async function expectSameAsDocuments(db: Db, slug: string): Promise<number> {
  let shown = 0;
  for (const id of await everyId(db, slug)) {
    const expected = await clauseHistoryFromDocuments(db, slug, id);
    const actual = await clauseHistory(db, slug, id);
    expect(actual, `clause ${id}`).toEqual(expected);
    // The same to the byte, key order too, as the page's data carries it.
    expect(JSON.stringify(actual), `clause ${id}`).toBe(JSON.stringify(expected));
    if (actual) shown++;
  }
  return shown;
}

let editor: string;
let commissioner: string;

beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
  const db = await getDatabase();
  const system = (await db.selectFrom("users").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
  const response = (await db.selectFrom("consultation_responses").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
  await inTransaction(db, async (trx) => {
    for (const version of VERSIONS) await importVersion(trx, source(version), "test");
    // Reasons on the history's versions before they are sealed: with themes, and one citing a response.
    const id = async (number: string) => (await trx.selectFrom("versions").innerJoin("specifications", "specifications.id", "versions.specification_id").select("versions.id").where("slug", "=", HISTORY).where("number", "=", number).executeTakeFirstOrThrow()).id;
    const notes = [
      { version: "1.1", clause: "d", rationale: "Delta reworded, as respondents asked.", themes: ["T01", "T04"], cite: true },
      { version: "1.1", clause: "e", rationale: "Echo removed.", themes: [], cite: false },
      { version: "1.3", clause: "a", rationale: "Alpha reworded.", themes: ["T10"], cite: false },
      { version: "1.5", clause: "k", rationale: "Kilo is a clause again.", themes: ["T04"], cite: true },
    ];
    for (const note of notes) {
      const versionId = await id(note.version);
      await trx.insertInto("change_notes").values({ version_id: versionId, clause_id: note.clause, rationale: note.rationale, updated_by: system, updated_at: "2019-01-01T00:00:00.000Z" }).execute();
      for (const code of note.themes) await trx.insertInto("change_note_themes").values({ version_id: versionId, clause_id: note.clause, theme_code: code }).execute();
      if (note.cite) await trx.insertInto("change_note_responses").values({ version_id: versionId, clause_id: note.clause, response_id: response }).execute();
    }
    await sealFixedVersions(trx);
  });
  // A theme renamed after the versions were sealed: each version shows the title it kept.
  const theme = (await findTheme(db, "T04"))!;
  const admin = (await findUserByEmail(db, "admin@example.nhs.uk"))!;
  await saveTheme(db, { code: theme.code, title: `${theme.title} (renamed)`, description: theme.description, source: theme.source, status: theme.status as ThemeFields["status"] }, { id: admin.id, email: admin.email }, "update");
});

describe("a clause history from kept rows", () => {
  it("is the history the whole documents give, for every id of the made-up history", async () => {
    const db = await getDatabase();
    const shown = await expectSameAsDocuments(db, HISTORY);
    // Every id that was ever a clause of a public version has a history; the draft's own does not.
    expect(shown).toBe(["a", "b", "c", "d", "e", "f", "g", "i", "k", "k1", "n", "p"].length);
    expect(await clauseHistory(db, HISTORY, "z")).toBeNull();
    // The interesting steps are really there: a kind change, a re-insertion, a move, formatting only.
    const k = (await clauseHistory(db, HISTORY, "k"))!;
    expect(k.steps.map((s) => s.change?.status ?? null)).toEqual([null, "unchanged", "deleted", null, "inserted"]);
    const e = (await clauseHistory(db, HISTORY, "e"))!;
    expect(e.steps.map((s) => s.change?.status ?? null)).toEqual([null, "deleted", "inserted", "deleted", null]);
    const a = (await clauseHistory(db, HISTORY, "a"))!;
    expect(a.steps[1]!.change).toMatchObject({ status: "unchanged", formatting: expect.any(Array) });
    expect(a.steps[3]!.note).toMatchObject({ rationale: "Alpha reworded.", themes: [{ code: "T10" }] });
    const d = (await clauseHistory(db, HISTORY, "d"))!;
    expect(d.steps[1]!.note!.responses).toHaveLength(1);
    expect(d.steps[1]!.note!.themes.find((t) => t.code === "T04")!.title).not.toMatch(/renamed/);
  });

  it("is the history the whole documents give for the seeded specification, with its reasons and themes", async () => {
    const db = await getDatabase();
    expect(await expectSameAsDocuments(db, RADIOTHERAPY)).toBeGreaterThan(50);
  });

  it("stays the same when a version is imported between two others", async () => {
    const db = await getDatabase();
    await inTransaction(db, async (trx) => {
      await importVersion(trx, source(LATE), "test");
      await sealFixedVersions(trx);
    });
    const spec = (await findSpecification(db, HISTORY))!;
    const ids = new Map((await db.selectFrom("versions").select(["id", "number"]).where("specification_id", "=", spec.id).execute()).map((v) => [v.number, v.id]));
    // Its two pairs were worked out by the import itself.
    const markers = await db.selectFrom("clause_changes").select(["from_version_id", "to_version_id"]).where("item_id", "=", "").where((eb) => eb.or([eb("from_version_id", "=", ids.get("1.2.5")!), eb("to_version_id", "=", ids.get("1.2.5")!)])).execute();
    expect(markers.map((m) => [m.from_version_id, m.to_version_id]).sort()).toEqual([[ids.get("1.2")!, ids.get("1.2.5")!], [ids.get("1.2.5")!, ids.get("1.3")!]].sort());
    await expectSameAsDocuments(db, HISTORY);
  });

  it("keeps, on publication, the rows that a late fill makes again, and shows the page as before", async () => {
    const db = await getDatabase();
    const draft = await startDraft(editor, "1.0");
    expect(await editClause(draft, editor, "operating-hours", "Member sites offer treatment in the evening where patients need it.")).toBe(200);
    expect((await act(draft, editor, { intent: "note", clauseId: "operating-hours", rationale: "Evening treatment, as respondents asked.", themes: "T04" })).status).toBe(200);
    expect((await act(draft, editor, { intent: "submit" })).status).toBe(302);
    expect((await act(draft, commissioner, { intent: "approve" })).status).toBe(302);
    expect((await act(draft, commissioner, { intent: "publish", label: "Revision", "date-day": "1", "date-month": "3", "date-year": "2018" })).status).toBe(302);
    const published = (await db.selectFrom("versions").select(["id", "number", "status"]).where("id", "=", draft).executeTakeFirstOrThrow());
    expect(published.status).toBe("published");
    const atPublication = await keptRows(db);
    expect(atPublication.changes.some((r) => r.to_version_id === draft && r.item_id === "operating-hours")).toBe(true);
    expect(atPublication.clauses.some((r) => r.version_id === draft && r.item_id === "")).toBe(true);

    // As a database made before migration 012 would be: nothing kept; the page fills it.
    await db.deleteFrom("clause_changes").execute();
    await db.deleteFrom("version_clauses").execute();
    const audit = await db.selectFrom("audit_log").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow();
    const page = await call(h(clausePage.loader), `/specs/${RADIOTHERAPY}/clauses/operating-hours`, { params: { slug: RADIOTHERAPY, clauseId: "operating-hours" } });
    expect(page.status).toBe(200);
    const data = await page.json();
    expect(data.steps.at(-1)).toMatchObject({ version: { number: published.number }, change: { status: "modified" }, note: { rationale: "Evening treatment, as respondents asked." } });
    // Derived data, not a record: the late fill writes no audit entry.
    expect(await db.selectFrom("audit_log").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow()).toEqual(audit);
    // Only this specification was filled by its page; the other's rows come when its pages ask.
    await fillClauseHistory(db, (await findSpecification(db, HISTORY))!.id);
    expect(await keptRows(db)).toEqual(atPublication);
    await expectSameAsDocuments(db, RADIOTHERAPY);
  });

  it("lets two fills race: both succeed and one set of rows is kept", async () => {
    const db = await getDatabase();
    const before = await keptRows(db);
    await db.deleteFrom("clause_changes").execute();
    await db.deleteFrom("version_clauses").execute();
    const specs = await Promise.all([findSpecification(db, HISTORY), findSpecification(db, RADIOTHERAPY)]);
    const results = await Promise.allSettled([...specs, ...specs].map((spec) => fillClauseHistory(db, spec!.id)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(await keptRows(db)).toEqual(before);
    await expectSameAsDocuments(db, HISTORY);
  });
});
