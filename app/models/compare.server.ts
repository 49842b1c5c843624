// Comparing two published versions of a specification: the redline and what each page shows.
import type { Db } from "./db.server";
import { listAnnotations } from "./annotations.server";
import { findSpecification } from "./specifications.server";
import { changeNotes, clauseNotes, keptThemes, listThemes, themeOutcomes, themesAsShown, type ThemeAsShown } from "./themes.server";
import { findVersion, listPublicVersions, type Version } from "./versions.server";
import { describeChanges, isChange, plainClauseChange, redline, redlineRows, restoredRow, type ChangeDescription, type KeptRow, type Redline, type RedlineRow } from "~/domain/redline";
import type { ClauseJSON } from "~/domain/schema";
import { isPublic } from "~/domain/workflow";
import { compareVersionNumbers } from "~/domain/version-number";
import type { CitedResponse, ReportTheme } from "~/domain/engagement-report";
import { clauseCitations, publicCitations, reportOnVersion } from "./reports.server";
import { fillClauseHistory, keptClause, keptClauseChanges } from "./clause-history.server";

export interface Comparison {
  specification: { slug: string; title: string; reference: string };
  from: Version;
  to: Version;
  redline: Redline;
  rows: RedlineRow[];
  /** Each item in plain words (name, what happened, why no reason is needed), by item id. */
  described: Record<string, ChangeDescription>;
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
  const rows = redlineRows(result, from.doc, to.doc);
  return {
    ok: true,
    comparison: {
      specification: { slug: spec.slug, title: spec.title, reference: spec.reference },
      from,
      to,
      redline: result,
      rows,
      described: describeChanges(rows, from.doc, to.doc),
    },
  };
}

/** The default pair to compare: the newest published version against the one before it. */
export async function defaultComparison(db: Db, specificationId: number): Promise<{ from: string; to: string } | null> {
  const versions = (await listPublicVersions(db, specificationId)).sort((a, b) => compareVersionNumbers(a.number, b.number));
  if (versions.length < 2) return null;
  return { from: versions[versions.length - 2]!.number, to: versions[versions.length - 1]!.number };
}

/** A revision a comparison passes through, with the editors' summary of it ("" when none). */
export interface Revision {
  number: string;
  label: string | null;
  date: string | null;
  summary: string;
}

/** Why a version changed an item: its change note, the themes it answers and the responses it cites. */
export interface Reason {
  /** The version whose note it is: "In version 1.0: …". */
  version: string;
  rationale: string;
  /** Each theme as that version showed it when it was sealed. */
  themes: { code: string; title: string }[];
  responses: CitedResponse[];
}

export interface ReasonsOnTheWay {
  /** Every public version after the older one, up to and including the newer, oldest first. */
  revisions: Revision[];
  /** Every reason recorded on the way, by item id, oldest first. */
  reasons: Record<string, Reason[]>;
  /** "No change because…" for a theme, by theme code, oldest first. */
  outcomes: Record<string, { version: string; outcome: string }[]>;
  /** The themes those versions name, as the newest of them showed each; in code order. */
  themes: ThemeAsShown[];
}

/** The public versions a comparison passes through: after the older of the two, up to the newer. */
async function versionsOnTheWay(db: Db, comparison: Comparison): Promise<Version[]> {
  const [older, newer] = compareVersionNumbers(comparison.from.number, comparison.to.number) <= 0 ? [comparison.from, comparison.to] : [comparison.to, comparison.from];
  const numbers = (await listPublicVersions(db, older.specification_id))
    .map((v) => v.number)
    .filter((n) => compareVersionNumbers(n, older.number) > 0 && compareVersionNumbers(n, newer.number) <= 0)
    .sort(compareVersionNumbers);
  const versions: Version[] = [];
  for (const number of numbers) versions.push(number === newer.number ? newer : (await findVersion(db, comparison.specification.slug, number))!);
  return versions;
}

/**
 * Every reason recorded between the two versions of a comparison, so that comparing 0.9 with
 * 1.1 keeps what 1.0 said about each change as well as what 1.1 said; with each revision's
 * summary, and the themes as each version showed them when it was sealed.
 */
export async function reasonsOnTheWay(db: Db, comparison: Comparison): Promise<ReasonsOnTheWay> {
  const out: ReasonsOnTheWay = {
    revisions: [],
    reasons: {},
    outcomes: {},
    themes: [],
  };
  const themes = new Map<string, ThemeAsShown>();
  for (const version of await versionsOnTheWay(db, comparison)) {
    out.revisions.push({
      number: version.number,
      label: version.label,
      date: version.date,
      summary: version.summary,
    });
    const shown = await themesAsShown(db, version);
    const title = (code: string) => ({
      code,
      title: shown.get(code)?.title ?? "",
    });
    const cited = await publicCitations(db, version.id);
    for (const [id, note] of await changeNotes(db, version.id)) {
      (out.reasons[id] ??= []).push({
        version: version.number,
        rationale: note.rationale,
        themes: note.themes.map(title),
        responses: cited.get(id) ?? [],
      });
      for (const code of note.themes) if (shown.has(code)) themes.set(code, shown.get(code)!);
    }
    for (const [code, outcome] of await themeOutcomes(db, version.id)) {
      (out.outcomes[code] ??= []).push({ version: version.number, outcome });
      if (shown.has(code)) themes.set(code, shown.get(code)!);
    }
    if (version.sealed_at !== null) for (const theme of await keptThemes(db, version.id)) themes.set(theme.code, theme);
  }
  out.themes = [...themes.values()].sort((a, b) => a.code.localeCompare(b.code));
  return out;
}

export interface ClauseStep {
  version: { number: string; label: string | null; date: string | null };
  /** Why this version changed the clause, the themes it answers (as that version showed them) and the responses it cites. */
  note: {
    rationale: string;
    themes: { code: string; title: string }[];
    responses: CitedResponse[];
  } | null;
  /** The clause as it stands in this version, or null when the version does not have it. */
  clause: { number: string; content: ClauseJSON } | null;
  /** How this version changed the clause from the previous one; null for the first version. */
  change: RedlineRow | null;
  /** What happened to it in plain words, and why no reason is needed when only its number or place changed. */
  described: ChangeDescription | null;
}

/**
 * A clause through every published version, oldest first; null when no version has it.
 *
 * Read from what is kept per version and per pair of neighbouring versions
 * (clause-history.server.ts): the clause as each version has it, and its redline row where it did
 * not simply stay the same; so the work is one clause in each version, whatever the documents'
 * size. A pair with no row of its own for the clause had no change, and its row is built again
 * from the clause in the two versions (plainClauseChange), as the redline would give it.
 */
export async function clauseHistory(
  db: Db,
  slug: string,
  clauseId: string
): Promise<{
  specification: { slug: string; title: string };
  steps: ClauseStep[];
} | null> {
  const spec = await findSpecification(db, slug);
  if (!spec) return null;
  const versions = await fillClauseHistory(db, spec.id);
  const ids = versions.map((v) => v.id);
  const kept = await keptClause(db, ids, clauseId);
  if (!kept.size) return null;
  const changes = await keptClauseChanges(db, ids, clauseId);
  const steps: ClauseStep[] = versions.map((version, index) => {
    const record = kept.get(version.id);
    const previous = versions[index - 1];
    const before = previous ? kept.get(previous.id) : undefined;
    let change: RedlineRow | null = null;
    let described: ChangeDescription | null = null;
    if (previous && (record || before)) {
      const row = changes.get(`${previous.id} ${version.id}`);
      if (row) {
        change = restoredRow(JSON.parse(row.change_json) as KeptRow, before, record);
        described = JSON.parse(row.described_json) as ChangeDescription | null;
      } else if (record && before) {
        ({ change, described } = plainClauseChange(before, record));
      } else {
        // The pair's marker is there (fillClauseHistory), so its rows are all there: an added or
        // removed clause always has one.
        throw new Error(`clause ${clauseId} has no kept change between versions ${previous.number} and ${version.number}`);
      }
    }
    return {
      version: {
        number: version.number,
        label: version.label,
        date: version.date,
      },
      clause: record ? { number: record.number, content: record.content } : null,
      change,
      described,
      note: null,
    };
  });
  // The reasons, for every version at once: notes, the themes as each version showed them, citations.
  const notes = await clauseNotes(db, ids, clauseId);
  if (notes.size) {
    const noted = versions.filter((v) => notes.has(v.id));
    const current = new Map((await listThemes(db)).map((t) => [t.code, t.title]));
    const sealed = noted.filter((v) => v.sealed_at !== null).map((v) => v.id);
    const keptTitles = sealed.length ? await db.selectFrom("version_themes").select(["version_id", "code", "title"]).where("version_id", "in", sealed).execute() : [];
    const cited = await clauseCitations(db, noted.map((v) => v.id), clauseId);
    for (const [index, version] of versions.entries()) {
      const note = notes.get(version.id);
      if (!note) continue;
      const titles = new Map(current);
      if (version.sealed_at !== null) for (const t of keptTitles) if (t.version_id === version.id) titles.set(t.code, t.title);
      steps[index]!.note = {
        rationale: note.rationale,
        themes: note.themes.map((code) => ({
          code,
          title: titles.get(code) ?? "",
        })),
        responses: cited.get(version.id) ?? [],
      };
    }
  }
  return { specification: { slug: spec.slug, title: spec.title }, steps };
}

/** A change that answers one or more themes, shown once in "you said, we did". */
export interface AnsweringChange {
  id: string;
  row: RedlineRow;
  described: ChangeDescription;
  /** Every reason recorded for it on the way, oldest first. */
  reasons: Reason[];
  /** The codes of the themes its reasons answer. */
  themes: string[];
}

export interface ThemeResponse {
  code: string;
  title: string;
  description: string;
  /** The changes made in response, in document order; `rationale` joins the reasons that name the theme. */
  changes: {
    clauseId: string;
    fromNumber: string | null;
    toNumber: string | null;
    rationale: string;
    reasons: { version: string; rationale: string }[];
  }[];
  annotations: {
    clauseId: string;
    number: string | null;
    quote: string | null;
    kind: string;
    body: string;
    author: string;
    version: string;
  }[];
  /** Why it led to no change, joined over the versions on the way; null when none said. */
  outcome: string | null;
  outcomes: { version: string; outcome: string }[];
}

/** "Why" over several versions: one reason as it is; more as "In version 1.0: … In version 1.1: …". */
export function joinReasons(reasons: readonly { version: string; text: string }[]): string {
  if (reasons.length === 1) return reasons[0]!.text;
  return reasons.map((r) => `In version ${r.version}: ${r.text}`).join(" ");
}

export interface YouSaidWeDid {
  themes: ThemeResponse[];
  /** Each change that answers a theme, once, in document order. */
  changes: AnsweringChange[];
}

/**
 * "You said, we did" for a comparison: each theme with what people said (its description and
 * public annotations on either version), its outcome and the changes that answer it; and each of
 * those changes once, with every reason recorded on the way. Theme titles are those the versions
 * kept when they were sealed.
 */
export async function youSaidWeDid(db: Db, comparison: Comparison, onTheWay?: ReasonsOnTheWay, said: ReportSaid | null = null): Promise<YouSaidWeDid> {
  const way = onTheWay ?? (await reasonsOnTheWay(db, comparison));
  const themes = new Map(way.themes.map((t) => [t.code, t]));
  for (const t of Object.values(said?.byTheme ?? {}))
    if (!themes.has(t.code))
      themes.set(t.code, {
        code: t.code,
        title: t.title,
        description: t.description,
      });
  const changes: AnsweringChange[] = comparison.rows
    .filter((row) => isChange(row) && way.reasons[row.id]?.some((r) => r.themes.length))
    .map((row) => {
      const reasons = way.reasons[row.id]!;
      return {
        id: row.id,
        row,
        described: comparison.described[row.id]!,
        reasons,
        themes: [...new Set(reasons.flatMap((r) => r.themes.map((t) => t.code)))].sort(),
      };
    });
  const annotations = [
    ...(await listAnnotations(db, comparison.from.id, null)).map((a) => ({
      ...a,
      version: comparison.from.number,
    })),
    ...(await listAnnotations(db, comparison.to.id, null)).map((a) => ({
      ...a,
      version: comparison.to.number,
    })),
  ];
  const numberIn = (version: string, id: string) => {
    const row = comparison.rows.find((r) => r.id === id);
    return (version === comparison.from.number ? row?.from?.number : row?.to?.number) ?? null;
  };
  const list = [...themes.values()]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((theme) => {
      const outcomes = way.outcomes[theme.code] ?? [];
      return {
        code: theme.code,
        title: theme.title,
        description: theme.description,
        changes: changes
          .filter((c) => c.themes.includes(theme.code))
          .map((c) => {
            const reasons = c.reasons.filter((r) => r.themes.some((t) => t.code === theme.code)).map((r) => ({ version: r.version, rationale: r.rationale }));
            return {
              clauseId: c.id,
              fromNumber: c.row.from?.number ?? null,
              toNumber: c.row.to?.number ?? null,
              rationale: joinReasons(reasons.map((r) => ({ version: r.version, text: r.rationale }))),
              reasons,
            };
          }),
        annotations: annotations
          .filter((a) => a.parentId === null && a.themes.includes(theme.code))
          .map((a) => ({
            clauseId: a.clauseId,
            number: numberIn(a.version, a.clauseId),
            quote: a.quote,
            kind: a.kind,
            body: a.body,
            author: a.author,
            version: a.version,
          })),
        outcome: outcomes.length ? joinReasons(outcomes.map((o) => ({ version: o.version, text: o.outcome }))) : null,
        outcomes,
      };
    });
  return { themes: list, changes };
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

export type ThemeReportResult =
  | {
      ok: true;
      comparison: Comparison;
      themes: ThemeResponse[];
      changes: AnsweringChange[];
      revisions: Revision[];
      said: ReportSaid | null;
    }
  | { ok: false; message: string };

async function reportSaid(db: Db, versionId: number): Promise<ReportSaid | null> {
  const published = await reportOnVersion(db, versionId);
  if (!published) return null;
  const { report } = published;
  return {
    consultation: {
      id: report.consultation.id,
      title: report.consultation.title,
    },
    reportHref: `/consultations/${report.consultation.id}/report`,
    coded: report.coding.coded,
    byTheme: Object.fromEntries(report.themes.map((t) => [t.code, t])),
  };
}

export async function themeReport(db: Db, slug: string, range: string): Promise<ThemeReportResult> {
  const pair = parseCompareRange(range);
  if (!pair)
    return {
      ok: false,
      message: `“${range}” is not a pair of versions such as 0.9...1.0.`,
    };
  const result = await comparePublicVersions(db, slug, pair.from, pair.to);
  if (!result.ok) {
    if (result.missing === "specification")
      return {
        ok: false,
        message: `There is no specification called “${slug}”.`,
      };
    return {
      ok: false,
      message: `${result.title} has no published version “${result.missing === "from" ? pair.from : pair.to}”.`,
    };
  }
  const said = await reportSaid(db, result.comparison.from.id);
  const way = await reasonsOnTheWay(db, result.comparison);
  const { themes, changes } = await youSaidWeDid(db, result.comparison, way, said);
  return {
    ok: true,
    comparison: result.comparison,
    themes,
    changes,
    revisions: way.revisions,
    said,
  };
}

/**
 * The report as data (themes.json): what people said and what changed in response; with the
 * counts and quotes of the published report of the consultation on the earlier version.
 */
export function themeReportJson(themes: ThemeResponse[], said: ReportSaid | null = null) {
  const counted = (code: string) => {
    const t = said?.byTheme[code];
    return t
      ? {
          responses: t.responses,
          byAudience: t.byAudience,
          byCapacity: t.byCapacity,
          stances: t.stances,
          evidenceRich: t.evidenceRich,
          quotes: t.quotes,
          decision: t.decision,
        }
      : null;
  };
  return {
    consultation: said
      ? {
          id: said.consultation.id,
          title: said.consultation.title,
          report: said.reportHref,
          coded: said.coded,
        }
      : null,
    themes: themes.map((t) => ({
      said: counted(t.code),
      code: t.code,
      title: t.title,
      description: t.description,
      changes: t.changes.map((c) => ({
        clauseId: c.clauseId,
        fromNumber: c.fromNumber,
        toNumber: c.toNumber,
        rationale: c.rationale,
        reasons: c.reasons,
      })),
      annotations: t.annotations.map((a) => ({
        version: a.version,
        clauseId: a.clauseId,
        number: a.number,
        quote: a.quote,
        kind: a.kind,
        body: a.body,
        author: a.author,
      })),
      outcome: t.outcome,
      outcomes: t.outcomes,
    })),
  };
}
