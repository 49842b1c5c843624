// The theme register in the database.
import type { Db, ThemeRow } from "./db.server";
import { now } from "./db.server";
import type { Theme } from "~/domain/themes";

export class ThemeConflictError extends Error {
  override name = "ThemeConflictError";
}

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
  if (conflicts.length) throw new ThemeConflictError(conflicts.join("\n"));
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
  return { created, unchanged: themes.length - created };
}

export async function listThemes(db: Db): Promise<ThemeRow[]> {
  return db.selectFrom("themes").selectAll().orderBy("code").execute();
}
