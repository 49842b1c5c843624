// Suggested themes for a response, worked out offline from the project's own data: the
// response's terms are matched against each theme's search document (theme_search, FTS5) and the
// themes ranked by BM25; the reason given is the terms the response and the theme share.
import { sql } from "kysely";
import { termsOf, type Term } from "~/domain/coding";
import type { Db } from "./db.server";
import { responseTextQuery } from "./codings.server";

export interface ThemeSuggestion {
  themeCode: string;
  title: string;
  /** The response's own words that the theme's document holds too, most telling first. */
  sharedWords: string[];
}

/** How many of a response's terms a query uses: enough for any real answer, bounded for speed. */
const MAX_QUERY_TERMS = 80;
/** How many shared words a suggestion's reason shows. */
const REASON_WORDS = 4;

/** An FTS5 query matching any of the terms: each quoted, so no word is read as an operator. */
export function matchQuery(terms: readonly Term[]): string {
  return terms.map((t) => `"${t.stem.replaceAll('"', '""')}"`).join(" OR ");
}

/**
 * The themes most like a response, best first, leaving out the themes it is already coded to
 * (in the first coding). At most `limit`; none when the response has no meaningful words.
 */
export async function suggestThemes(db: Db, consultationId: string, responseId: number, { limit = 4 } = {}): Promise<ThemeSuggestion[]> {
  const response = await responseTextQuery(db).where("r.id", "=", responseId).where("r.consultation_id", "=", consultationId).executeTakeFirst();
  if (!response) return [];
  const terms = termsOf(response.text).slice(0, MAX_QUERY_TERMS);
  if (!terms.length) return [];
  const coded = new Set(
    (await db.selectFrom("codings").select("theme_code").where("response_id", "=", responseId).where("pass", "=", 1).where("removed_at", "is", null).execute()).map((c) => c.theme_code),
  );
  const ranked = await sql<{ theme_code: string; score: number }>`
    SELECT theme_code, bm25(theme_search) AS score FROM theme_search WHERE theme_search MATCH ${matchQuery(terms)} ORDER BY score`.execute(db);
  const top = ranked.rows.filter((r) => !coded.has(r.theme_code)).slice(0, limit);
  if (!top.length) return [];

  // What each shared term adds to a theme's score (BM25 of the term alone): the reason names the
  // terms that weigh most in the ranking, which is the honest account of why it was suggested.
  const weightOf = new Map<string, Map<string, number>>();
  for (const term of terms) {
    const rows = await sql<{ theme_code: string; score: number }>`SELECT theme_code, bm25(theme_search) AS score FROM theme_search WHERE theme_search MATCH ${matchQuery([term])}`.execute(db);
    weightOf.set(term.stem, new Map(rows.rows.map((r) => [r.theme_code, -r.score])));
  }
  const titles = new Map((await db.selectFrom("themes").select(["code", "title"]).where("code", "in", top.map((t) => t.theme_code)).execute()).map((t) => [t.code, t.title]));
  return top.map(({ theme_code }) => ({
    themeCode: theme_code,
    title: titles.get(theme_code) ?? theme_code,
    sharedWords: terms
      .map((term, order) => ({ term, order, weight: weightOf.get(term.stem)!.get(theme_code) }))
      .filter((t): t is typeof t & { weight: number } => t.weight !== undefined)
      .sort((a, b) => b.weight - a.weight || a.order - b.order)
      .slice(0, REASON_WORDS)
      .map((t) => t.term.word),
  }));
}
