// Suggested themes for a response, worked out offline from the project's own data: the
// response's terms are matched against each theme's search document (theme_search; see
// full-text.server.ts) and the themes ranked; the reason given is the terms the response and the
// theme share.
import { termsOf } from "~/domain/coding";
import type { Db } from "./db.server";
import { responseTextQuery } from "./codings.server";
import { rankThemes } from "./full-text.server";

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
  const ranked = await rankThemes(db, terms);
  const top = ranked.filter((r) => !coded.has(r.theme_code)).slice(0, limit);
  if (!top.length) return [];

  // What each shared term adds to a theme's score (its rank alone): the reason names the
  // terms that weigh most in the ranking, which is the honest account of why it was suggested.
  const weightOf = new Map<string, Map<string, number>>();
  for (const term of terms) {
    weightOf.set(term.stem, new Map((await rankThemes(db, [term])).map((r) => [r.theme_code, r.score])));
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
