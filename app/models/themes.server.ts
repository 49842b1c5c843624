// The theme register in the database.
import { sql } from "kysely";
import { conflict, invalid } from "~/domain/errors";
import type { Db, ThemeRow } from "./db.server";
import { inTransaction, now } from "./db.server";
import { ThemeFieldsSchema, type Theme, type ThemeFields } from "~/domain/themes";
import { PUBLIC_STATUSES } from "~/domain/workflow";
import { inTextOrder } from "~/domain/text-order";
import { recordAudit } from "./audit.server";

/**
 * Adds themes whose codes are new. A registered theme given again must match what is stored;
 * otherwise nothing is imported and the error names the differing fields.
 */
export async function importThemes(db: Db, themes: Theme[]): Promise<{ created: number; unchanged: number }> {
  const stored = new Map((await db.selectFrom("themes").selectAll().execute()).map((row) => [row.code, row]));
  const conflicts: string[] = [];
  for (const theme of themes) {
    const row = stored.get(theme.code);
    if (!row) continue;
    const fields = (["title", "description", "source", "status"] as const).filter((field) => row[field] !== theme[field]);
    if (fields.length) conflicts.push(`theme ${theme.code} is already registered with a different ${fields.join(", ")}; nothing was changed (admins edit registered themes)`);
  }
  if (conflicts.length) throw conflict(conflicts.join("\n"));
  let created = 0;
  for (const theme of themes) {
    const result = await db
      .insertInto("themes")
      .values({
        code: theme.code,
        title: theme.title,
        description: theme.description,
        source: theme.source,
        status: theme.status,
        created_at: now(),
      })
      .onConflict((oc) => oc.column("code").doNothing())
      .executeTakeFirst();
    created += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  // Every change writes an audit entry; the public page cache is keyed by the latest one.
  if (created) await recordAudit(db, { actor: { id: null, email: "system" }, action: "themes.import", objectType: "theme", objectId: "register", details: { created } });
  return { created, unchanged: themes.length - created };
}

export async function listThemes(db: Db): Promise<ThemeRow[]> {
  return inTextOrder(await db.selectFrom("themes").selectAll().execute(), (t) => t.code);
}

export interface ThemeChange {
  slug: string;
  versionNumber: string;
  versionLabel: string | null;
  clauseId: string;
  /** The clause's number in that version, or null when the change removed it. */
  number: string | null;
  rationale: string;
}

export interface ThemeAnnotation {
  slug: string;
  versionNumber: string;
  clauseId: string;
  number: string | null;
  quote: string | null;
  kind: string;
  body: string;
  author: string;
}

/** Published clause changes and public annotations linked to a theme. */
export async function themeLinks(db: Db, code: string): Promise<{ changes: ThemeChange[]; annotations: ThemeAnnotation[]; outcomes: { slug: string; versionNumber: string; outcome: string }[] }> {
  const changes = await db
    .selectFrom("change_note_themes as link")
    .innerJoin("change_notes as note", (j) => j.onRef("note.version_id", "=", "link.version_id").onRef("note.clause_id", "=", "link.clause_id"))
    .innerJoin("versions", "versions.id", "link.version_id")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .leftJoin("version_items as item", (j) => j.onRef("item.version_id", "=", "link.version_id").onRef("item.item_id", "=", "link.clause_id"))
    .select(["specifications.slug", "versions.number as versionNumber", "versions.label as versionLabel", "link.clause_id as clauseId", "item.number as number", "note.rationale"])
    .where("link.theme_code", "=", code)
    .where("versions.status", "in", PUBLIC_STATUSES)
    .orderBy("versions.id")
    // A change that removed its clause has no item: first, said outright, since SQLite puts a
    // missing ordinal first and PostgreSQL last.
    .orderBy(sql`case when item.ordinal is null then 0 else 1 end`)
    .orderBy("item.ordinal")
    .execute();
  const annotations = await db
    .selectFrom("annotation_themes as link")
    .innerJoin("annotations as a", "a.id", "link.annotation_id")
    .innerJoin("versions", "versions.id", "a.version_id")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .leftJoin("version_items as item", (j) => j.onRef("item.version_id", "=", "a.version_id").onRef("item.item_id", "=", "a.clause_id"))
    .select(["specifications.slug", "versions.number as versionNumber", "a.clause_id as clauseId", "item.number as number", "a.quote", "a.kind", "a.body", "a.author_name as author"])
    .where("link.theme_code", "=", code)
    .where("a.visibility", "=", "public")
    .where("versions.status", "in", PUBLIC_STATUSES)
    .orderBy("a.id")
    .execute();
  const outcomes = await db
    .selectFrom("theme_outcomes as o")
    .innerJoin("versions", "versions.id", "o.version_id")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .select(["specifications.slug", "versions.number as versionNumber", "o.outcome"])
    .where("o.theme_code", "=", code)
    .where("versions.status", "in", PUBLIC_STATUSES)
    .orderBy("versions.id")
    .execute();
  return { changes, annotations, outcomes };
}

export async function findTheme(db: Db, code: string): Promise<ThemeRow | undefined> {
  return db.selectFrom("themes").selectAll().where("code", "=", code).executeTakeFirst();
}

/** Change notes of a version with their themes, by clause id (for the compare page and histories). */
export async function changeNotes(db: Db, versionId: number): Promise<Map<string, { rationale: string; themes: string[] }>> {
  const notes = await db.selectFrom("change_notes").select(["clause_id", "rationale"]).where("version_id", "=", versionId).execute();
  const rows = await db.selectFrom("change_note_themes").select(["clause_id", "theme_code"]).where("version_id", "=", versionId).execute();
  const links = inTextOrder(rows, (l) => l.theme_code);
  return new Map(notes.map((n) => [n.clause_id, { rationale: n.rationale, themes: links.filter((l) => l.clause_id === n.clause_id).map((l) => l.theme_code) }]));
}

/** One clause's change notes with their themes (as changeNotes gives them), in several versions: by version id. */
export async function clauseNotes(db: Db, versionIds: readonly number[], clauseId: string): Promise<Map<number, { rationale: string; themes: string[] }>> {
  if (!versionIds.length) return new Map();
  const notes = await db.selectFrom("change_notes").select(["version_id", "rationale"]).where("clause_id", "=", clauseId).where("version_id", "in", versionIds).execute();
  if (!notes.length) return new Map();
  const rows = await db.selectFrom("change_note_themes").select(["version_id", "theme_code"]).where("clause_id", "=", clauseId).where("version_id", "in", notes.map((n) => n.version_id)).execute();
  const links = inTextOrder(rows, (l) => l.theme_code);
  return new Map(notes.map((n) => [n.version_id, { rationale: n.rationale, themes: links.filter((l) => l.version_id === n.version_id).map((l) => l.theme_code) }]));
}

export async function themeOutcomes(db: Db, versionId: number): Promise<Map<string, string>> {
  const rows = await db.selectFrom("theme_outcomes").select(["theme_code", "outcome"]).where("version_id", "=", versionId).execute();
  return new Map(rows.map((r) => [r.theme_code, r.outcome]));
}

/** Adds a theme to the register, or changes one; the same rules as the register file. */
export function saveTheme(db: Db, input: ThemeFields, actor: { id: number; email: string }, mode: "create" | "update"): Promise<string> {
  return inTransaction(db, (trx) => storeTheme(trx, input, actor, mode));
}

async function storeTheme(db: Db, input: ThemeFields, actor: { id: number; email: string }, mode: "create" | "update"): Promise<string> {
  // The register's own rules, checked again whatever the caller checked.
  const parsed = ThemeFieldsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(`${issue.path.join(".")}: ${issue.message}`);
  }
  const theme = parsed.data;
  const existing = await db.selectFrom("themes").select("code").where("code", "=", theme.code).executeTakeFirst();
  if (mode === "create" && existing) throw invalid(`there is already a theme ${theme.code}`);
  if (mode === "update" && !existing) throw invalid(`there is no theme ${theme.code}`);
  if (mode === "create") {
    await db.insertInto("themes").values({ ...theme, created_at: now() }).execute();
  } else {
    await db.updateTable("themes").set({ title: theme.title, description: theme.description, source: theme.source, status: theme.status }).where("code", "=", theme.code).execute();
  }
  await recordAudit(db, { actor, action: mode === "create" ? "theme.create" : "theme.update", objectType: "theme", objectId: theme.code, details: { title: theme.title, status: theme.status } });
  return theme.code;
}

/**
 * Copies the title and description of every theme a version's change notes and outcomes name
 * into version_themes, as they stand now. Called just before the version is sealed (the
 * triggers refuse it afterwards), so renaming a theme later never rewrites what it shows.
 */
export async function snapshotVersionThemes(db: Db, versionId: number): Promise<void> {
  const codes = await db
    .selectFrom("change_note_themes")
    .select("theme_code as code")
    .where("version_id", "=", versionId)
    .union(db.selectFrom("theme_outcomes").select("theme_code as code").where("version_id", "=", versionId))
    .execute();
  if (!codes.length) return;
  const themes = await db.selectFrom("themes").select(["code", "title", "description"]).where("code", "in", codes.map((c) => c.code)).execute();
  for (const theme of themes) {
    await db
      .insertInto("version_themes")
      .values({ version_id: versionId, code: theme.code, title: theme.title, description: theme.description })
      .onConflict((oc) => oc.columns(["version_id", "code"]).doNothing())
      .execute();
  }
}

export interface ThemeAsShown {
  code: string;
  title: string;
  description: string;
}

/**
 * The themes as a version shows them, by code: for a sealed version the titles and descriptions
 * kept when it was sealed; for unsealed work (and any theme a sealed version did not keep) the
 * register's as they stand now.
 */
export async function themesAsShown(db: Db, version: { id: number; sealed_at: string | null }): Promise<Map<string, ThemeAsShown>> {
  const shown = new Map((await listThemes(db)).map((t) => [t.code, { code: t.code, title: t.title, description: t.description }]));
  if (version.sealed_at === null) return shown;
  const kept = await db.selectFrom("version_themes").select(["code", "title", "description"]).where("version_id", "=", version.id).execute();
  for (const theme of kept) shown.set(theme.code, theme);
  return shown;
}

/** The themes a sealed version kept when it was sealed, in code order (empty for unsealed work). */
export async function keptThemes(db: Db, versionId: number): Promise<ThemeAsShown[]> {
  return inTextOrder(await db.selectFrom("version_themes").select(["code", "title", "description"]).where("version_id", "=", versionId).execute(), (t) => t.code);
}
