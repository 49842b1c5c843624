// Identity rules: the ids that tie a clause or section across versions, slugs, and allowed links.

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const MAX_ID_LENGTH = 100;

export function isValidId(value: string): boolean {
  return value.length <= MAX_ID_LENGTH && ID_PATTERN.test(value);
}

/** Specification slugs follow the id rule, so they are safe in URLs and file names. */
export const isValidSlug = isValidId;

const ALLOWED_SCHEME = /^(https?|mailto):/i;

/** Only http, https and mailto links may appear in a specification. */
export function isAllowedHref(href: string): boolean {
  return ALLOWED_SCHEME.test(href) && !/[\s<>"]/.test(href);
}

export function schemeOf(href: string): string | null {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(href);
  return match ? match[1]!.toLowerCase() : null;
}

/** A readable id from text: lower case, ASCII letters and digits joined by hyphens. */
export function slugify(text: string, maxWords = 6): string {
  const words = text
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
