// Identity rules: the ids that tie a clause or section across versions, slugs, and allowed links.

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const MAX_ID_LENGTH = 100;

export function isValidId(value: string): boolean {
  return value.length <= MAX_ID_LENGTH && ID_PATTERN.test(value);
}

/** Specification slugs follow the id rule, so they are safe in URLs and file names. */
export const isValidSlug = isValidId;

const ALLOWED_HREF = /^(https?:\/\/[^\s/?#<>"]+[^\s<>"]*|mailto:[^\s<>"]+)$/i;

/** Only http and https links with a host, and mailto links with an address. */
export function isAllowedHref(href: string): boolean {
  return ALLOWED_HREF.test(href);
}

/** Why a link is refused, in words, or null when it is allowed. */
export function hrefProblem(href: string): string | null {
  if (isAllowedHref(href)) return null;
  const scheme = schemeOf(href);
  if (!scheme) return `link "${href}" has no scheme: only http, https and mailto links are allowed`;
  if (!["http", "https", "mailto"].includes(scheme)) return `link scheme "${scheme}:" is not allowed: only http, https and mailto links`;
  if (/[\s<>"]/.test(href)) return `link "${href}" contains a space, quote mark or angle bracket: encode it (for example %20)`;
  return scheme === "mailto" ? `link "${href}" needs an email address after mailto:` : `link "${href}" needs a host after ${scheme}://`;
}

export function schemeOf(href: string): string | null {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(href);
  return match ? match[1]!.toLowerCase() : null;
}

/** A readable id from text: lower case, ASCII letters and digits joined by hyphens. */
const LETTERS: Record<string, string> = { æ: "ae", ø: "o", œ: "oe", ß: "ss", đ: "d", ð: "d", ł: "l", þ: "th", ı: "i" };

export function slugify(text: string, maxWords = 6): string {
  const words = text
    .toLowerCase()
    .replace(/[æøœßđðłþı]/g, (ch) => LETTERS[ch]!)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, maxWords);
  return words.join("-").slice(0, 60).replace(/-+$/, "");
}

/**
 * A new id derived from `text` that is not in `taken` (which it then joins).
 * Deterministic, so importing the same file twice gives the same ids.
 */
export function newId(text: string, prefix: string, taken: Set<string>): string {
  const base = `${prefix}${slugify(text) || "untitled"}`;
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
  taken.add(candidate);
  return candidate;
}
