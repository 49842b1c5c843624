// Comparing two published versions of a specification: the redline and what each page shows.
import type { Db } from "./db.server";
import { findSpecification } from "./specifications.server";
import { findVersion, listPublicVersions, type Version } from "./versions.server";
import { numberById } from "~/domain/numbering";
import { redline, redlineRows, type Redline, type RedlineRow } from "~/domain/redline";
import { sectionChildren, type ClauseJSON, type DocJSON, type SectionJSON } from "~/domain/schema";
import { isPublic } from "~/domain/workflow";
import { compareVersionNumbers } from "~/domain/version-number";

export interface Comparison {
  specification: { slug: string; title: string; reference: string };
  from: Version;
  to: Version;
  redline: Redline;
  rows: RedlineRow[];
}

export type ComparisonResult = { ok: true; comparison: Comparison } | { ok: false; missing: "specification" | "from" | "to"; title?: string };

/** The redline between two public versions, or which of the three things was not found. */
export async function comparePublicVersions(db: Db, slug: string, fromNumber: string, toNumber: string): Promise<ComparisonResult> {
  const spec = await findSpecification(db, slug);
  if (!spec) return { ok: false, missing: "specification" };
  const from = await findVersion(db, slug, fromNumber);
  if (!from || !isPublic(from.status)) return { ok: false, missing: "from", title: spec.title };
  const to = await findVersion(db, slug, toNumber);
  if (!to || !isPublic(to.status)) return { ok: false, missing: "to", title: spec.title };
  const result = redline({ version: from.number, doc: from.doc, hash: from.content_hash }, { version: to.number, doc: to.doc, hash: to.content_hash });
  return {
    ok: true,
    comparison: {
      specification: { slug: spec.slug, title: spec.title, reference: spec.reference },
      from,
      to,
      redline: result,
      rows: redlineRows(result, from.doc, to.doc),
    },
  };
}

/** The default pair to compare: the newest published version against the one before it. */
export async function defaultComparison(db: Db, specificationId: number): Promise<{ from: string; to: string } | null> {
  const versions = (await listPublicVersions(db, specificationId)).sort((a, b) => compareVersionNumbers(a.number, b.number));
  if (versions.length < 2) return null;
  return { from: versions[versions.length - 2]!.number, to: versions[versions.length - 1]!.number };
}

export interface ClauseStep {
  version: { number: string; label: string | null; date: string | null };
  /** The clause as it stands in this version, or null when the version does not have it. */
  clause: { number: string; content: ClauseJSON } | null;
  /** How this version changed the clause from the previous one; null for the first version. */
  change: RedlineRow | null;
}

/** A clause through every published version, oldest first; null when no version has it. */
export async function clauseHistory(
  db: Db,
  slug: string,
  clauseId: string,
): Promise<{ specification: { slug: string; title: string }; steps: ClauseStep[] } | null> {
  const spec = await findSpecification(db, slug);
  if (!spec) return null;
  const summaries = (await listPublicVersions(db, spec.id)).sort((a, b) => compareVersionNumbers(a.number, b.number));
  const versions: Version[] = [];
  for (const summary of summaries) versions.push((await findVersion(db, slug, summary.number))!);
  const steps: ClauseStep[] = versions.map((version, index) => {
    const found = findClause(version.doc, clauseId);
    let change: RedlineRow | null = null;
    const previous = versions[index - 1];
    if (previous && (found || findClause(previous.doc, clauseId))) {
      const result = redline({ version: previous.number, doc: previous.doc, hash: previous.content_hash }, { version: version.number, doc: version.doc, hash: version.content_hash });
      change = redlineRows(result, previous.doc, version.doc).find((row) => row.kind === "clause" && row.id === clauseId) ?? null;
    }
    return { version: { number: version.number, label: version.label, date: version.date }, clause: found, change };
  });
  if (!steps.some((step) => step.clause)) return null;
  return { specification: { slug: spec.slug, title: spec.title }, steps };
}

function findClause(doc: DocJSON, id: string): { number: string; content: ClauseJSON } | null {
  const number = numberById(doc).get(id);
  if (!number) return null;
  let found: ClauseJSON | null = null;
  const visit = (section: SectionJSON) => {
    for (const child of sectionChildren(section)) {
      if (child.type === "section") visit(child);
      else if (child.attrs.id === id) found = child;
    }
  };
  (doc.content ?? []).forEach(visit);
  return found ? { number, content: found } : null;
}
