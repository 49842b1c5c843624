// The theme register in the database.
import type { Db, ThemeRow } from "./db.server";
import { now } from "./db.server";
import type { Theme } from "~/domain/themes";

/** Adds themes whose codes are new; themes already registered are left as they are. */
export async function importThemes(db: Db, themes: Theme[]): Promise<{ created: number; unchanged: number }> {
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
