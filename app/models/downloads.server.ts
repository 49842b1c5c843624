// What the downloads need from the database: a public version as a document to write, and for a
// comparison who wrote each change and each change's reason, and when.
import type { Db } from "./db.server";
import type { Comparison } from "./compare.server";
import { findSpecification } from "./specifications.server";
import { findVersion } from "./versions.server";
import { SYSTEM_EMAIL } from "./users.server";
import { orderPart } from "~/domain/document-parts";
import { outline } from "~/domain/numbering";
import { isPublic } from "~/domain/workflow";
import type { VersionDocumentInput } from "~/exports/version-facts";

export type VersionDocumentResult = { ok: true; input: VersionDocumentInput } | { ok: false; missing: "specification" } | { ok: false; missing: "version"; title: string; slug: string };

/** A published (or superseded) version, ready to write as a file; never a draft. */
export async function publicVersionDocument(db: Db, slug: string, number: string): Promise<VersionDocumentResult> {
  const spec = await findSpecification(db, slug);
  if (!spec) return { ok: false, missing: "specification" };
  const version = await findVersion(db, slug, number);
  if (!version || !isPublic(version.status)) return { ok: false, missing: "version", title: spec.title, slug: spec.slug };
  return {
    ok: true,
    input: { slug: version.slug, title: version.title, reference: version.reference, number: version.number, label: version.label, date: version.date, status: version.status, doc: version.doc, contentHash: version.content_hash },
  };
}

/** Who made a change (a person's name, never an email address) and when (ISO 8601). */
export interface Attribution {
  author: string;
  date: string;
}

export interface ChangeReason extends Attribution {
  clauseId: string;
  rationale: string;
  /** The version whose change note this is. */
  version: string;
}

export interface ComparisonAttribution {
  /** Who last wrote each item that differs, by item id. */
  items: Map<string, Attribution>;
  /** For changes nobody is recorded as writing: the publisher, or NHS England, on the version's date. */
  fallback: Attribution;
  /** Each change's reasons, by clause id, oldest version first. */
  reasons: Map<string, ChangeReason[]>;
}

const NEUTRAL = "NHS England";
/** A name fit to print: never an address, never the import account. */
const personName = (name: string | null | undefined, email: string | null | undefined) => (!name || !email || email === SYSTEM_EMAIL || name.includes("@") ? null : name.trim() || null);
const dayOf = (date: string | null) => (date ? `${date}T00:00:00Z` : null);

/**
 * The versions a comparison's changes were written in: `to` and its ancestors after `from`
 * (each draft that became a version keeps its contributions and change notes).
 */
async function versionsBetween(db: Db, comparison: Comparison): Promise<{ id: number; number: string; date: string | null; created_at: string; status: string }[]> {
  const out = [];
  let id: number | null = comparison.to.id;
  const seen = new Set<number>();
  while (id !== null && id !== comparison.from.id && !seen.has(id)) {
    seen.add(id);
    const row = await db.selectFrom("versions").select(["id", "number", "date", "created_at", "status", "parent_id"]).where("id", "=", id).executeTakeFirst();
    if (!row) break;
    out.push(row);
    id = row.parent_id;
  }
  // A version that does not descend from `from` (two unrelated versions): its own record only.
  if (id !== comparison.from.id) return out.slice(0, 1);
  return out;
}

export async function comparisonAttribution(db: Db, comparison: Comparison): Promise<ComparisonAttribution> {
  const { to } = comparison;
  const publisher = to.published_by === null ? undefined : await db.selectFrom("users").select(["name", "email"]).where("id", "=", to.published_by).executeTakeFirst();
  const fallback: Attribution = { author: personName(publisher?.name, publisher?.email) ?? NEUTRAL, date: dayOf(to.date) ?? to.published_at ?? to.created_at };
  const chain = await versionsBetween(db, comparison);
  const ids = chain.map((v) => v.id);
  const items = new Map<string, Attribution>();
  const reasons = new Map<string, ChangeReason[]>();
  if (!ids.length) return { items, fallback, reasons };

  // The latest writer of each part, across the versions between.
  const rows = await db
    .selectFrom("contributions")
    .innerJoin("users", "users.id", "contributions.user_id")
    .select(["contributions.part", "contributions.at", "users.name", "users.email"])
    .where("contributions.version_id", "in", ids)
    .orderBy("contributions.at")
    .orderBy("contributions.id")
    .execute();
  const parts = new Map<string, Attribution>();
  for (const row of rows) {
    const author = personName(row.name, row.email);
    if (author) parts.set(row.part, { author, date: row.at });
  }
  // An item's own part; failing that (a clause moved without a word changed) the order of the
  // section it now stands in.
  for (const entry of [...outline(comparison.from.doc), ...outline(to.doc)]) {
    const found = parts.get(entry.id) ?? parts.get(orderPart(entry.parentId ?? ""));
    if (found && !items.has(entry.id)) items.set(entry.id, found);
  }

  const byId = new Map(chain.map((v) => [v.id, v]));
  const notes = await db
    .selectFrom("change_notes")
    .innerJoin("users", "users.id", "change_notes.updated_by")
    .select(["change_notes.version_id", "change_notes.clause_id", "change_notes.rationale", "change_notes.updated_at", "users.name", "users.email"])
    .where("change_notes.version_id", "in", ids)
    .execute();
  for (const note of notes.sort((a, b) => b.version_id - a.version_id)) {
    if (!note.rationale.trim()) continue;
    const version = byId.get(note.version_id)!;
    const author = personName(note.name, note.email);
    // A note the seed or an import wrote has no real author or time: it is the version's.
    const reason: ChangeReason = {
      clauseId: note.clause_id,
      rationale: note.rationale,
      version: version.number,
      author: author ?? (version.id === to.id ? fallback.author : NEUTRAL),
      date: author ? note.updated_at : (dayOf(version.date) ?? version.created_at),
    };
    reasons.set(note.clause_id, [reason, ...(reasons.get(note.clause_id) ?? [])]);
  }
  return { items, fallback, reasons };
}
