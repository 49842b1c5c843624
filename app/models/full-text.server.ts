// Full-text search of the theme documents (theme_search), the one feature whose SQL differs by
// database: SQLite's FTS5 table ranked by BM25, or on PostgreSQL a tsvector column with a GIN
// index ranked by ts_rank. Both index the same normalised terms (domain/coding indexText), so
// both find the same themes; the rankings are each engine's own.
import { sql } from "kysely";
import type { Term } from "~/domain/coding";
import { dialectOf, type Db } from "./db.server";

export interface ThemeScore {
  theme_code: string;
  /** Higher is a better match. */
  score: number;
}

/** Replaces one theme's search document with `body`. */
export async function storeThemeDocument(db: Db, themeCode: string, body: string): Promise<void> {
  await sql`DELETE FROM theme_search WHERE theme_code = ${themeCode}`.execute(db);
  await sql`INSERT INTO theme_search (theme_code, body) VALUES (${themeCode}, ${body})`.execute(db);
}

/** An FTS5 query matching any of the terms: each quoted, so no word is read as an operator. */
export function matchQuery(terms: readonly Term[]): string {
  return terms.map((t) => `"${t.stem.replaceAll('"', '""')}"`).join(" OR ");
}

/** The same for PostgreSQL's to_tsquery: each term a quoted lexeme, any of them. */
export function tsQuery(terms: readonly Term[]): string {
  return terms.map((t) => `'${t.stem.replaceAll("'", "''")}'`).join(" | ");
}

/** The themes whose documents hold any of the terms, best first. */
export async function rankThemes(db: Db, terms: readonly Term[]): Promise<ThemeScore[]> {
  if (!terms.length) return [];
  if (dialectOf(db) === "postgres") {
    // Normalisation 1 divides by the log of the document's length, as BM25 weighs long documents less.
    const { rows } = await sql<ThemeScore>`
      SELECT theme_code, ts_rank(words, q, 1) AS score FROM theme_search, to_tsquery('simple', ${tsQuery(terms)}) q
      WHERE words @@ q ORDER BY score DESC, theme_code`.execute(db);
    return rows.map((r) => ({ theme_code: r.theme_code, score: Number(r.score) }));
  }
  // FTS5's bm25() is lower for better matches.
  const { rows } = await sql<ThemeScore>`
    SELECT theme_code, -bm25(theme_search) AS score FROM theme_search WHERE theme_search MATCH ${matchQuery(terms)} ORDER BY score DESC, theme_code`.execute(db);
  return rows;
}
