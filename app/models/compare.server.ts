// Comparing two published versions of a specification: the redline and what each page shows.
import type { Db } from "./db.server";
import { listAnnotations } from "./annotations.server";
import { findSpecification } from "./specifications.server";
import { changeNotes, listThemes, themeOutcomes } from "./themes.server";
import { findVersion, listPublicVersions, type Version } from "./versions.server";
import { numberById } from "~/domain/numbering";
import { redline, redlineRows, type Redline, type RedlineRow } from "~/domain/redline";
import { sectionChildren, type ClauseJSON, type DocJSON, type SectionJSON } from "~/domain/schema";
import { isPublic } from "~/domain/workflow";
import { compareVersionNumbers } from "~/domain/version-number";
import type { ReportTheme } from "~/domain/engagement-report";
import { publicCitations, reportOnVersion } from "./reports.server";

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
  /** Why this version changed the clause, and the themes it answers. */
  note: { rationale: string; themes: string[]; responses?: { text: string | null; attribution: string }[] } | null;
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
    return { version: { number: version.number, label: version.label, date: version.date }, clause: found, change, note: null };
  });
  for (const [index, version] of versions.entries()) {
    const note = (await changeNotes(db, version.id)).get(clauseId);
    steps[index]!.note = note ? { ...note, responses: (await publicCitations(db, version.id)).get(clauseId) ?? [] } : null;
  }
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

export interface ThemeResponse {
  code: string;
  title: string;
  description: string;
  changes: { clauseId: string; fromNumber: string | null; toNumber: string | null; rationale: string; row: RedlineRow | null }[];
  annotations: { clauseId: string; number: string | null; quote: string | null; kind: string; body: string; author: string; version: string }[];
  outcome: string | null;
}

/**
 * "You said, we did" for a comparison: each theme with what people said (its description and
 * public annotations on either version) and each clause change made in response, with the reason.
 */
export async function youSaidWeDid(db: Db, comparison: Comparison): Promise<ThemeResponse[]> {
  const notes = await changeNotes(db, comparison.to.id);
  const outcomes = await themeOutcomes(db, comparison.to.id);
  const rows = new Map(comparison.rows.filter((r) => r.kind === "clause").map((r) => [r.id, r]));
  const themes = await listThemes(db);
  const annotations = [...(await listAnnotations(db, comparison.from.id, null)).map((a) => ({ ...a, version: comparison.from.number })), ...(await listAnnotations(db, comparison.to.id, null)).map((a) => ({ ...a, version: comparison.to.number }))];
  return themes.map((theme) => ({
    code: theme.code,
    title: theme.title,
    description: theme.description,
    changes: [...notes.entries()]
      .filter(([, note]) => note.themes.includes(theme.code))
      .map(([clauseId, note]) => {
        const row = rows.get(clauseId) ?? null;
        return { clauseId, fromNumber: row?.from?.number ?? null, toNumber: row?.to?.number ?? null, rationale: note.rationale, row };
      })
      .sort((a, b) => comparison.rows.indexOf(a.row!) - comparison.rows.indexOf(b.row!)),
    annotations: annotations
      .filter((a) => a.parentId === null && a.themes.includes(theme.code))
      .map((a) => ({ clauseId: a.clauseId, number: (a.version === comparison.from.number ? comparison.rows.find((r) => r.id === a.clauseId)?.from?.number : comparison.rows.find((r) => r.id === a.clauseId)?.to?.number) ?? null, quote: a.quote, kind: a.kind, body: a.body, author: a.author, version: a.version })),
    outcome: outcomes.get(theme.code) ?? null,
  }));
}

/** "0.9...1.0" from a compare address, or null when it is not a pair of versions. */
export function parseCompareRange(range: string): { from: string; to: string } | null {
  const match = /^(.+?)\.\.\.(.+)$/.exec(range);
  return match ? { from: match[1]!, to: match[2]! } : null;
}

/** What the published report of the consultation held on the `from` version counted, by theme. */
export interface ReportSaid {
  consultation: { id: string; title: string };
  reportHref: string;
  coded: number;
  byTheme: Record<string, ReportTheme>;
}

export type ThemeReportResult = { ok: true; comparison: Comparison; themes: ThemeResponse[]; said: ReportSaid | null } | { ok: false; message: string };

async function reportSaid(db: Db, versionId: number): Promise<ReportSaid | null> {
  const published = await reportOnVersion(db, versionId);
  if (!published) return null;
  const { report } = published;
  return {
    consultation: { id: report.consultation.id, title: report.consultation.title },
    reportHref: `/consultations/${report.consultation.id}/report`,
    coded: report.coding.coded,
    byTheme: Object.fromEntries(report.themes.map((t) => [t.code, t])),
  };
}

export async function themeReport(db: Db, slug: string, range: string): Promise<ThemeReportResult> {
  const pair = parseCompareRange(range);
  if (!pair) return { ok: false, message: `“${range}” is not a pair of versions such as 0.9...1.0.` };
  const result = await comparePublicVersions(db, slug, pair.from, pair.to);
  if (!result.ok) {
    if (result.missing === "specification") return { ok: false, message: `There is no specification called “${slug}”.` };
    return { ok: false, message: `${result.title} has no published version “${result.missing === "from" ? pair.from : pair.to}”.` };
  }
  return { ok: true, comparison: result.comparison, themes: await youSaidWeDid(db, result.comparison), said: await reportSaid(db, result.comparison.from.id) };
}

/**
 * The report as data (themes.json): what people said and what changed in response; with the
 * counts and quotes of the published report of the consultation on the earlier version.
 */
export function themeReportJson(themes: ThemeResponse[], said: ReportSaid | null = null) {
  const counted = (code: string) => {
    const t = said?.byTheme[code];
    return t ? { responses: t.responses, byAudience: t.byAudience, byCapacity: t.byCapacity, stances: t.stances, evidenceRich: t.evidenceRich, quotes: t.quotes, decision: t.decision } : null;
  };
  return {
    consultation: said ? { id: said.consultation.id, title: said.consultation.title, report: said.reportHref, coded: said.coded } : null,
    themes: themes.map((t) => ({
      said: counted(t.code),
      code: t.code,
      title: t.title,
      description: t.description,
      changes: t.changes.map((c) => ({ clauseId: c.clauseId, fromNumber: c.fromNumber, toNumber: c.toNumber, rationale: c.rationale })),
      annotations: t.annotations.map((a) => ({ version: a.version, clauseId: a.clauseId, number: a.number, quote: a.quote, kind: a.kind, body: a.body, author: a.author })),
      outcome: t.outcome,
    })),
  };
}
