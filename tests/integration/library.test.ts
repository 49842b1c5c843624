import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { contentHash } from "~/domain/hashing";
import { parseSpec } from "~/domain/source/parse";
import { writeSpec } from "~/domain/source/write";
import { findLibraryFiles, importLibraryFiles, seedIfEmpty } from "~/models/library.server";
import { findSpecification, listSpecifications } from "~/models/specifications.server";
import { listThemes } from "~/models/themes.server";
import { findVersion, listPublicVersions, listVersionItems } from "~/models/versions.server";
import { freshDatabase, snapshot } from "./database";
import { testPostgresURL } from "../support/test-postgres";

const onPostgres = testPostgresURL() !== undefined;

const SPECS = path.resolve("specs");
const SLUG = "adult-external-beam-radiotherapy";

describe("the database", () => {
  it.skipIf(onPostgres)("is opened with WAL, full sync, foreign keys and a busy timeout", async () => {
    const { db } = await freshDatabase();
    const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
    expect(await pragma("journal_mode")).toBe("wal");
    expect(await pragma("synchronous")).toBe(2);
    expect(await pragma("foreign_keys")).toBe(1);
    expect(await pragma("busy_timeout")).toBe(5000);
  });

  it.runIf(onPostgres)("on PostgreSQL, gives counts, totals and ids as numbers, and refuses what breaks a rule", async () => {
    const { db } = await freshDatabase();
    const row = await db.selectFrom("audit_log").select((eb) => [eb.fn.countAll().as("n"), eb.fn.sum("id").as("total"), sql`avg(1)`.as("mean")]).executeTakeFirstOrThrow();
    expect(row).toEqual({ n: 0, total: null, mean: null });
    const { id } = await db.insertInto("specifications").values({ slug: "s", title: "S", reference: "", created_at: "2026-01-01" }).returning("id").executeTakeFirstOrThrow();
    expect(typeof id).toBe("number");
    const again = await db.selectFrom("specifications").select((eb) => [eb.fn.countAll().as("n"), eb.fn.max("id").as("max"), sql`avg(id)`.as("mean")]).executeTakeFirstOrThrow();
    expect(again).toEqual({ n: 1, max: id, mean: id });
    // Foreign keys and the triggers hold, as on SQLite.
    await expect(db.insertInto("versions").values({ specification_id: 999, number: "1.0", label: null, date: null, status: "draft", parent_id: null, parent_hash: null, title: "T", content_json: "{}", content_hash: "h", clause_count: 0, created_at: "x", created_by: "y" }).execute()).rejects.toThrow(/foreign key/);
    await db.insertInto("audit_log").values({ at: "x", actor_id: null, actor: "system", action: "a", object_type: "o", object_id: "1", specification_slug: null, version_number: null, content_hash: null }).execute();
    await expect(db.deleteFrom("audit_log").execute()).rejects.toThrow("the audit log is append-only");
  });
});

describe("importing specs/", () => {
  it("stores both versions of the radiotherapy specification and the theme register", async () => {
    const { db } = await freshDatabase();
    expect(await seedIfEmpty(db, SPECS)).toBe(true);

    const [summary] = await listSpecifications(db);
    expect(summary).toMatchObject({ slug: SLUG, reference: "SAMPLE-RT-0001S", latestPublished: { number: "1.0", label: "Consultation draft", date: "2017-10-18" } });

    const spec = (await findSpecification(db, SLUG))!;
    const versions = await listPublicVersions(db, spec.id);
    expect(versions.map((v) => [v.number, v.status, v.clauseCount])).toEqual([
      ["1.0", "published", 75],
      ["0.9", "superseded", 72],
    ]);

    const draft = (await findVersion(db, SLUG, "0.9"))!;
    const revised = (await findVersion(db, SLUG, "1.0"))!;
    expect(revised.parent_id).toBe(draft.id);
    expect(revised.parent_hash).toBe(draft.content_hash);
    expect(draft.parent_id).toBeNull();

    const file = parseSpec(new Uint8Array(await import("node:fs").then((fs) => fs.readFileSync(path.join(SPECS, SLUG, "0.9.md")))));
    expect(file.ok && contentHash(file.source.doc)).toBe(draft.content_hash);
    expect(contentHash(draft.doc)).toBe(draft.content_hash);

    const items = await listVersionItems(db, draft.id);
    expect(items.filter((i) => i.kind === "clause")).toHaveLength(72);
    const byId = new Map(items.map((i) => [i.item_id, i]));
    // The numbers the theme register's domain brief uses for the engagement draft.
    expect(byId.get("less-common-cancers")).toMatchObject({ number: "3.2.9", parent_id: "care-pathway", kind: "clause" });
    expect(byId.get("travel-transport-accommodation")?.number).toBe("3.2.20");
    expect(byId.get("core-and-developmental-standards")?.number).toBe("4.4");
    expect(byId.get("glossary")).toMatchObject({ number: "A", kind: "section" });
    expect(byId.get("role-of-radiotherapy")?.plain_text).toContain("\n1. as the main curative treatment");

    const themes = await listThemes(db);
    expect(themes.map((t) => t.code)).toEqual(Array.from({ length: 15 }, (_, i) => `T${String(i + 1).padStart(2, "0")}`));
  });

  it("changes nothing when the same files are imported again", async () => {
    const { db } = await freshDatabase();
    await seedIfEmpty(db, SPECS);
    const before = await snapshot(db);
    const again = await importLibraryFiles(db, findLibraryFiles(SPECS), "second import");
    expect(again.ok && again.versions.map((v) => v.status)).toEqual(["unchanged", "unchanged"]);
    expect(again.ok && again.themes).toEqual({ created: 0, unchanged: 15 });
    expect(await snapshot(db)).toEqual(before);
    expect(await seedIfEmpty(db, SPECS)).toBe(false);
  });

  it("refuses different content under a stored version number and keeps what was stored", async () => {
    const { db } = await freshDatabase();
    await seedIfEmpty(db, SPECS);
    const before = await snapshot(db);
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-files-"));
    const stored = (await findVersion(db, SLUG, "1.0"))!;
    const altered = writeSpec({
      meta: { slug: SLUG, version: "1.0", label: null, date: null, status: "published" },
      doc: { ...stored.doc, attrs: { ...stored.doc.attrs, title: "Altered title" } },
    });
    const newer = altered.replace("version: 1.0", "version: 1.1").replace("Altered title", "Adult radiotherapy");
    writeFileSync(path.join(dir, "1.1.md"), newer);
    writeFileSync(path.join(dir, "1.0.md"), altered);
    const result = await importLibraryFiles(db, [path.join(dir, "1.1.md"), path.join(dir, "1.0.md")], "test");
    expect(result).toEqual({ ok: false, problems: [expect.stringMatching(/^version 1\.0 of adult-external-beam-radiotherapy is already stored with different content/)] });
    // 1.1 was valid, but a file set imports whole or not at all.
    expect(await snapshot(db)).toEqual(before);
  });

  it("imports nothing when one file of the set is invalid, and names the file and line", async () => {
    const { db } = await freshDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-files-"));
    writeFileSync(path.join(dir, "bad.md"), "---\nslug: x\ntitle: X\nversion: 1.0\n---\n\n# S {#s}\n\n{#Bad} Text.\n");
    const files = [path.join(SPECS, SLUG, "0.9.md"), path.join(dir, "bad.md")];
    const result = await importLibraryFiles(db, files, "test");
    expect(result).toEqual({
      ok: false,
      problems: [`${path.join(dir, "bad.md")}:9:3: invalid id "Bad": ids match [a-z0-9][a-z0-9-]* (lower case, at most 100 characters)`],
    });
    expect((await snapshot(db)).versions).toEqual([]);
  });

  it("refuses a re-import whose status, label or date differs from what is stored, and changes nothing", async () => {
    const { db } = await freshDatabase();
    await seedIfEmpty(db, SPECS);
    const before = await snapshot(db);
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-files-"));
    const text = (await import("node:fs")).readFileSync(path.join(SPECS, SLUG, "1.0.md"), "utf8").replace("status: published", "status: draft").replace("label: Consultation draft", "label: Renamed");
    writeFileSync(path.join(dir, "1.0.md"), text);
    const result = await importLibraryFiles(db, [path.join(dir, "1.0.md")], "test");
    expect(result).toEqual({
      ok: false,
      problems: [
        'version 1.0 of adult-external-beam-radiotherapy is already stored with the same content but status "published" (the file says "draft"), label "Consultation draft" (the file says "Renamed"); nothing was changed (a stored version\'s status, label and date change through the workflow, not by import)',
      ],
    });
    expect(await snapshot(db)).toEqual(before);
  });

  it("refuses a registered theme given again with different words", async () => {
    const { db } = await freshDatabase();
    await seedIfEmpty(db, SPECS);
    const before = await snapshot(db);
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-files-"));
    writeFileSync(path.join(dir, "themes.json"), JSON.stringify({ themes: [{ code: "T01", title: "Travel", description: "Other words.", source: "Engagement 2016", status: "open" }] }));
    const result = await importLibraryFiles(db, [path.join(dir, "themes.json")], "test");
    expect(result).toEqual({ ok: false, problems: ["theme T01 is already registered with a different title, description; nothing was changed (admins edit registered themes)"] });
    expect(await snapshot(db)).toEqual(before);
  });

  it("refuses two files that are the same version, naming both", async () => {
    const { db } = await freshDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-files-"));
    const one = "---\nslug: probe\ntitle: Probe\nversion: 1.0\n---\n\n# S {#s}\n\n{#a} One.\n";
    writeFileSync(path.join(dir, "a.md"), one);
    writeFileSync(path.join(dir, "b.md"), one.replace("One.", "Two."));
    const result = await importLibraryFiles(db, [path.join(dir, "a.md"), path.join(dir, "b.md")], "test");
    expect(result).toEqual({ ok: false, problems: [`${path.join(dir, "b.md")}:1:1: is version 1.0 of probe, and so is ${path.join(dir, "a.md")}: import one of them`] });
    expect((await snapshot(db)).versions).toEqual([]);
  });

  it("refuses a responses file that would change what a published version shows, naming each difference", async () => {
    const { db } = await freshDatabase();
    await seedIfEmpty(db, SPECS);
    const before = await snapshot(db);
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-files-"));
    const original = JSON.parse(readFileSync(path.join(SPECS, SLUG, "responses-1.0.json"), "utf8")) as { changes: { clauseId: string; rationale: string }[]; outcomes: { theme: string; outcome: string }[] };
    original.changes[0]!.rationale = "A rewritten reason.";
    original.outcomes.push({ theme: "T15", outcome: "A new outcome." });
    writeFileSync(path.join(dir, "responses-1.0.json"), JSON.stringify(original));
    const result = await importLibraryFiles(db, [path.join(dir, "responses-1.0.json")], "test");
    expect(result).toEqual({
      ok: false,
      problems: [
        `version 1.0 of ${SLUG} is published, so what it shows cannot change: the change note for “${original.changes[0]!.clauseId}” differs from the one stored`,
        `version 1.0 of ${SLUG} is published, so what it shows cannot change: the outcome for T15 is not stored`,
      ],
    });
    expect(await snapshot(db)).toEqual(before);
  });

  it("records theme, responses and consultation imports in the audit log, so cached pages are refreshed", async () => {
    const { db } = await freshDatabase();
    await seedIfEmpty(db, SPECS);
    const actions = (await db.selectFrom("audit_log").select("action").where("action", "not like", "annotation.%").orderBy("id").execute()).map((r) => r.action);
    expect(actions).toEqual(["version.import", "version.import", "themes.import", "responses.import", "consultation.create", "responses.sample", "report.publish", "consultation.create"]);
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-files-"));
    writeFileSync(path.join(dir, "themes.json"), JSON.stringify({ themes: [{ code: "T16", title: "Parking", description: "Hospital parking costs.", source: "Consultation 2017", status: "open" }] }));
    expect((await importLibraryFiles(db, [path.join(dir, "themes.json")], "test")).ok).toBe(true);
    const last = await db.selectFrom("audit_log").select(["action", "details"]).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(last).toEqual({ action: "themes.import", details: JSON.stringify({ created: 1 }) });
  });

  it("stores a responses file's notes on a draft, replacing an older import's wording", async () => {
    const { db } = await freshDatabase();
    await seedIfEmpty(db, SPECS);
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-files-"));
    const draft = readFileSync(path.join(SPECS, SLUG, "1.0.md"), "utf8").replace("version: 1.0", "version: 1.1").replace("status: published", "status: draft");
    writeFileSync(path.join(dir, "1.1.md"), draft);
    const responses = (rationale: string) => JSON.stringify({ slug: SLUG, version: "1.1", changes: [{ clauseId: "host-provider", themes: ["T05"], rationale }] });
    writeFileSync(path.join(dir, "r1.json"), responses("First reason."));
    expect((await importLibraryFiles(db, [path.join(dir, "1.1.md"), path.join(dir, "r1.json")], "test")).ok).toBe(true);
    writeFileSync(path.join(dir, "r2.json"), responses("Second reason."));
    expect((await importLibraryFiles(db, [path.join(dir, "r2.json")], "test")).ok).toBe(true);
    const v11 = (await findVersion(db, SLUG, "1.1"))!;
    expect(await db.selectFrom("change_notes").select("rationale").where("version_id", "=", v11.id).execute()).toEqual([{ rationale: "Second reason." }]);
    expect(v11.sealed_at).toBeNull();
  });
});
