// The engagement report: built from the consultation's responses, codings and decisions with a
// few aggregate queries (never one query per response), and published once as a fixed snapshot
// that every public page and file of the report reads. Theme decisions are set here too.
import { sql } from "kysely";
import { conflict, forbidden, invalid, notFound } from "~/domain/errors";
import { can } from "~/domain/permissions";
import { CAPACITIES, consultationState, mayQuote, quoteAttribution, type Capacity, type Consent } from "~/domain/consultations";
import { DECISIONS, termsOf, type Decision, type Stance } from "~/domain/coding";
import {
  countsInOrder,
  emptyStances,
  excerptFor,
  kappaFromCounts,
  MIN_AGREEMENT_SAMPLE,
  orderThemes,
  OTHER_AUDIENCE,
  QUOTES_PER_THEME,
  QUOTE_LENGTH,
  shorten,
  type CitedResponse,
  type EngagementReport,
  type ReportChange,
  type ReportQuote,
  type ReportTheme,
} from "~/domain/engagement-report";
import { PUBLIC_STATUSES } from "~/domain/workflow";
import { inTextOrder } from "~/domain/text-order";
import { compareVersionNumbers } from "~/domain/version-number";
import type { Db } from "./db.server";
import { inTransaction, joinInOrder, now } from "./db.server";
import { recordAudit } from "./audit.server";
import { getConsultation, type Consultation } from "./consultations.server";
import type { PublicUser } from "./users.server";

/** How many of a theme's quotable responses are read to choose its quotes. */
const QUOTE_CANDIDATES = 40;

const capacityLabel = (capacity: Capacity) => (capacity === "individual" ? "Individuals" : "Organisations");

/** The report as it would be published now: a live preview for staff, or what publishing stores. */
export async function buildReport(db: Db, consultationId: string): Promise<EngagementReport | null> {
  const consultation = await getConsultation(db, consultationId);
  if (!consultation) return null;
  const spec = await db
    .selectFrom("versions")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .select(["specifications.reference", "specifications.id as specification_id"])
    .where("versions.id", "=", consultation.versionId)
    .executeTakeFirstOrThrow();

  const audiences = await db.selectFrom("audiences").select(["code", "name", "position"]).where("list", "=", "audience").orderBy("position").execute();
  const audienceName = new Map(audiences.map((a) => [a.code, a.name]));
  const audienceOrder = [...audiences.map((a) => a.name), OTHER_AUDIENCE];
  const nameOf = (code: string | null) => (code && audienceName.get(code)) || OTHER_AUDIENCE;

  // Who responded: one pass over the responses, grouped.
  const groups = await db
    .selectFrom("consultation_responses")
    .select(["capacity", "audience_code", "channel", sql<number>`count(*)`.as("n")])
    .where("consultation_id", "=", consultationId)
    .groupBy(["capacity", "audience_code", "channel"])
    .execute();
  const byCapacity = new Map<string, number>();
  const byAudience = new Map<string, number>();
  let online = 0;
  let otherStored = 0;
  for (const g of groups) {
    add(byCapacity, capacityLabel(g.capacity), g.n);
    add(byAudience, nameOf(g.audience_code), g.n);
    if (g.channel === "online") online += g.n;
    else otherStored += g.n;
  }

  // Each theme: responses by audience, capacity and stance, in one grouped query. On SQLite the
  // join keeps its order (see joinInOrder): responses in id order, each one's codings from the
  // covering index (migration 009), so no table row is read.
  const themeGroups = (
    await sql<{ theme_code: string; audience_code: string | null; capacity: Capacity; stance: Stance; n: number; evidence: number }>`
      SELECT c.theme_code, r.audience_code, r.capacity, c.stance, count(*) AS n, sum(c.evidence_rich) AS evidence
      FROM consultation_responses r ${joinInOrder(db)} codings c
        ON c.consultation_id = r.consultation_id AND c.pass = 1 AND c.response_id = r.id AND c.removed_at IS NULL
      WHERE r.consultation_id = ${consultationId}
      GROUP BY c.theme_code, r.audience_code, r.capacity, c.stance`.execute(db)
  ).rows;
  const coded = await db
    .selectFrom("codings")
    .select(sql<number>`count(distinct response_id)`.as("n"))
    .where("consultation_id", "=", consultationId)
    .where("pass", "=", 1)
    .where("removed_at", "is", null)
    .executeTakeFirstOrThrow();

  const agreement = await agreementByTheme(db, consultationId);
  // Agreement over a handful of responses says nothing (one response gives a kappa of -1 or 1).
  const measurable = agreement.responses >= MIN_AGREEMENT_SAMPLE;
  const decisions = new Map(
    (await db.selectFrom("theme_decisions").select(["theme_code", "decision", "reason"]).where("consultation_id", "=", consultationId).execute()).map((d) => [d.theme_code, { decision: d.decision, reason: d.reason }]),
  );
  const { revisions, changes, outcomes } = await whatChanged(db, consultation, spec.specification_id);
  const themeRows = inTextOrder(await db.selectFrom("themes").select(["code", "title", "description"]).execute(), (t) => t.code);

  const tally = new Map<string, { responses: number; audience: Map<string, number>; capacity: Map<string, number>; stances: Record<Stance, number>; evidence: number }>();
  for (const g of themeGroups) {
    let t = tally.get(g.theme_code);
    if (!t) tally.set(g.theme_code, (t = { responses: 0, audience: new Map(), capacity: new Map(), stances: emptyStances(), evidence: 0 }));
    t.responses += g.n;
    add(t.audience, nameOf(g.audience_code), g.n);
    add(t.capacity, capacityLabel(g.capacity), g.n);
    t.stances[g.stance] += g.n;
    t.evidence += g.evidence ?? 0;
  }
  const reported = themeRows.filter((t) => tally.has(t.code) || decisions.has(t.code) || changes.has(t.code));
  const quotes = await chooseQuotes(db, consultation, reported);

  const themes: ReportTheme[] = reported.map((theme) => {
    const t = tally.get(theme.code);
    const a = agreement.byTheme.get(theme.code);
    return {
      code: theme.code,
      title: theme.title,
      description: theme.description,
      responses: t?.responses ?? 0,
      byAudience: t ? countsInOrder(audienceOrder, t.audience).filter((c) => c.count > 0) : [],
      byCapacity: t ? countsInOrder(CAPACITIES.map(capacityLabel), t.capacity) : [],
      stances: t?.stances ?? emptyStances(),
      evidenceRich: t?.evidence ?? 0,
      quotes: quotes.get(theme.code) ?? [],
      decision: decisions.get(theme.code) ?? null,
      changes: changes.get(theme.code) ?? [],
      outcome: outcomes.get(theme.code) ?? null,
      agreement: { responses: agreement.responses, kappa: a && measurable ? kappaFromCounts(agreement.responses, a.first, a.second, a.both) : null },
    };
  });

  return {
    consultation: {
      id: consultation.id,
      title: consultation.title,
      kind: consultation.kind,
      summary: consultation.summary,
      whyItMatters: consultation.whyItMatters,
      opensAt: consultation.opensAt,
      closesAt: consultation.closesAt,
      events: consultation.events.map((e) => ({ kind: e.kind, place: e.place, startsAt: e.startsAt, endsAt: e.endsAt })),
      audiences: consultation.audiences.map((a) => a.name),
      questions: consultation.questions.map((q) => ({ id: q.id, text: q.text })),
    },
    specification: { slug: consultation.slug, title: consultation.specificationTitle, reference: spec.reference, version: consultation.versionNumber, versionLabel: consultation.versionLabel },
    revisions,
    respondents: {
      total: online + otherStored + consultation.otherFormatCount,
      stored: online + otherStored,
      online,
      otherFormats: otherStored + consultation.otherFormatCount,
      byCapacity: countsInOrder(CAPACITIES.map(capacityLabel), byCapacity),
      byAudience: countsInOrder(audienceOrder, byAudience).filter((c) => c.count > 0),
    },
    coding: { coded: coded.n, doubleCoded: agreement.responses, kappa: measurable ? agreement.pooled : null },
    themes: orderThemes(themes),
    builtAt: now(),
  };
}

function add(map: Map<string, number>, key: string, n: number) {
  map.set(key, (map.get(key) ?? 0) + n);
}

/**
 * For each theme, over the responses both coders coded: how many the first coder gave the theme,
 * how many the second did, and how many both did; and kappa pooled over every theme either used.
 */
async function agreementByTheme(db: Db, consultationId: string) {
  // The responses coded a second time, and for those only, both passes' themes: a few seeks
  // into the covering index per response, however many responses were coded once.
  const rows = (
    await sql<{ theme_code: string; response_id: number; p1: number; p2: number }>`
      SELECT theme_code, response_id, max(CASE WHEN pass = 1 THEN 1 ELSE 0 END) AS p1, max(CASE WHEN pass = 2 THEN 1 ELSE 0 END) AS p2 FROM codings
      WHERE consultation_id = ${consultationId} AND pass IN (1, 2) AND removed_at IS NULL
        AND response_id IN (SELECT response_id FROM codings WHERE consultation_id = ${consultationId} AND pass = 2 AND removed_at IS NULL)
      GROUP BY theme_code, response_id`.execute(db)
  ).rows;
  const first = new Set<number>();
  const second = new Set<number>();
  for (const r of rows) {
    if (r.p1) first.add(r.response_id);
    if (r.p2) second.add(r.response_id);
  }
  // Only responses both coders coded count: a response the first coder has not reached is left out.
  const both = (id: number) => first.has(id) && second.has(id);
  const n = [...second].filter(both).length;
  const byTheme = new Map<string, { first: number; second: number; both: number }>();
  for (const r of rows) {
    if (!both(r.response_id)) continue;
    const t = byTheme.get(r.theme_code) ?? { first: 0, second: 0, both: 0 };
    t.first += r.p1;
    t.second += r.p2;
    t.both += r.p1 * r.p2;
    byTheme.set(r.theme_code, t);
  }
  const totals = [...byTheme.values()].reduce((s, t) => ({ first: s.first + t.first, second: s.second + t.second, both: s.both + t.both }), { first: 0, second: 0, both: 0 });
  const pooled = byTheme.size ? kappaFromCounts(n * byTheme.size, totals.first, totals.second, totals.both) : null;
  return { responses: n, byTheme, pooled };
}

/** The change notes and outcomes of the published revisions that followed the version consulted on. */
async function whatChanged(db: Db, consultation: Consultation, specificationId: number) {
  const following = (
    await db
      .selectFrom("versions")
      .select(["id", "number", "label"])
      .where("specification_id", "=", specificationId)
      .where("parent_id", "=", consultation.versionId)
      .where("status", "in", PUBLIC_STATUSES)
      .execute()
  ).sort((a, b) => compareVersionNumbers(a.number, b.number));
  const base = `/specs/${consultation.slug}/compare/${consultation.versionNumber}...`;
  const revisions = following.map((v) => ({ version: v.number, label: v.label, compareHref: `${base}${v.number}` }));
  const changes = new Map<string, ReportChange[]>();
  const outcomes = new Map<string, string>();
  if (!following.length) return { revisions, changes, outcomes };
  const ids = following.map((v) => v.id);
  const numberOf = new Map(following.map((v) => [v.id, v.number]));
  const notes = await db
    .selectFrom("change_note_themes as link")
    .innerJoin("change_notes as note", (j) => j.onRef("note.version_id", "=", "link.version_id").onRef("note.clause_id", "=", "link.clause_id"))
    .leftJoin("version_items as after", (j) => j.onRef("after.version_id", "=", "link.version_id").onRef("after.item_id", "=", "link.clause_id"))
    .leftJoin("version_items as before", (j) => j.on("before.version_id", "=", consultation.versionId).onRef("before.item_id", "=", "link.clause_id"))
    .select(["link.version_id", "link.theme_code", "link.clause_id", "note.rationale", "after.number as to_number", "before.number as from_number", "after.ordinal as to_ordinal", "before.ordinal as from_ordinal"])
    .where("link.version_id", "in", ids)
    .execute();
  notes.sort((a, b) => a.version_id - b.version_id || (a.to_ordinal ?? a.from_ordinal ?? 0) - (b.to_ordinal ?? b.from_ordinal ?? 0));
  for (const n of notes) {
    const version = numberOf.get(n.version_id)!;
    const list = changes.get(n.theme_code) ?? [];
    list.push({ clauseId: n.clause_id, fromNumber: n.from_number, toNumber: n.to_number, rationale: n.rationale, href: `${base}${version}#c_${n.clause_id}`, version });
    changes.set(n.theme_code, list);
  }
  for (const o of await db.selectFrom("theme_outcomes").select(["theme_code", "outcome", "version_id"]).where("version_id", "in", ids).orderBy("version_id").execute()) {
    outcomes.set(o.theme_code, o.outcome);
  }
  return { revisions, changes, outcomes };
}

/**
 * Up to QUOTES_PER_THEME quotes for each theme, only from responses whose consent allows it and
 * that a moderator approved: for each, the sentence of its answers or clause comments that says
 * most about the theme: the closest first, then evidence-rich ones; no response or words quoted twice.
 */
async function chooseQuotes(db: Db, consultation: Consultation, themes: readonly { code: string; title: string; description: string }[]): Promise<Map<string, ReportQuote[]>> {
  const candidates: { theme: string; id: number; consent: Consent; capacity: Capacity; organisation: string | null; audience: string | null; evidence: number }[] = [];
  for (const theme of themes) {
    const rows = await db
      .selectFrom("codings as c")
      .innerJoin("consultation_responses as r", "r.id", "c.response_id")
      .leftJoin("audiences as a", "a.code", "r.audience_code")
      .select(["r.id", "r.consent", "r.capacity", "r.organisation", "r.moderation", "a.name as audience", "c.evidence_rich"])
      .where("c.theme_code", "=", theme.code)
      .where("c.removed_at", "is", null)
      .where("c.consultation_id", "=", consultation.id)
      .where("c.pass", "=", 1)
      .where("r.consent", "<>", "none")
      .where("r.moderation", "=", "approved")
      .orderBy("c.id")
      .limit(QUOTE_CANDIDATES)
      .execute();
    for (const r of rows) {
      // The rule itself, checked again whatever the query said.
      if (!mayQuote({ consent: r.consent, moderation: r.moderation })) continue;
      candidates.push({ theme: theme.code, id: r.id, consent: r.consent, capacity: r.capacity, organisation: r.organisation, audience: r.audience ?? null, evidence: r.evidence_rich });
    }
  }
  const out = new Map<string, ReportQuote[]>();
  if (!candidates.length) return out;
  const responseIds = [...new Set(candidates.map((c) => c.id))];
  const texts = new Map<number, { text: string; context: string | null }[]>();
  const questionText = new Map(consultation.questions.map((q) => [q.id, q.text]));
  const clauseNumbers = new Map(
    (await db.selectFrom("version_items").select(["item_id", "number"]).where("version_id", "=", consultation.versionId).execute()).map((i) => [i.item_id, i.number]),
  );
  for (let i = 0; i < responseIds.length; i += 500) {
    const chunk = responseIds.slice(i, i + 500);
    const [answers, comments] = await Promise.all([
      db.selectFrom("response_answers").select(["response_id", "question_id", "text"]).where("response_id", "in", chunk).where("text", "is not", null).execute(),
      db.selectFrom("response_clause_comments").select(["response_id", "clause_id", "body"]).where("response_id", "in", chunk).orderBy("position").execute(),
    ]);
    for (const a of answers) push(texts, a.response_id, { text: a.text!, context: questionText.get(a.question_id) ?? null });
    for (const c of comments) {
      const number = clauseNumbers.get(c.clause_id);
      push(texts, c.response_id, { text: c.body, context: number ? `A comment on clause ${number}` : null });
    }
  }
  const quoted = new Set<number>();
  // A term most themes share ("patients", "centres") says nothing about any one of them.
  const termSets = new Map(themes.map((t) => [t.code, new Set(termsOf(`${t.title} ${t.description}`).map((term) => term.stem))]));
  const spread = new Map<string, number>();
  for (const set of termSets.values()) for (const stem of set) spread.set(stem, (spread.get(stem) ?? 0) + 1);
  const common = Math.max(2, Math.ceil(themes.length / 4));
  for (const theme of themes) {
    const terms = new Set([...termSets.get(theme.code)!].filter((stem) => spread.get(stem)! < common));
    const scored: { quote: ReportQuote; score: number; id: number; evidence: number }[] = [];
    for (const c of candidates.filter((c) => c.theme === theme.code)) {
      let best: { quote: ReportQuote; score: number } | null = null;
      for (const part of texts.get(c.id) ?? []) {
        const excerpt = excerptFor(part.text, terms, termsOf);
        if (excerpt && (!best || excerpt.score > best.score)) {
          best = { quote: { text: excerpt.text, attribution: quoteAttribution({ consent: c.consent, capacity: c.capacity, organisation: c.organisation, audienceName: c.audience }), context: part.context }, score: excerpt.score };
        }
      }
      if (best) scored.push({ ...best, id: c.id, evidence: c.evidence });
    }
    scored.sort((a, b) => b.score - a.score || b.evidence - a.evidence || a.id - b.id);
    const chosen: ReportQuote[] = [];
    const said = new Set<string>();
    for (const s of scored) {
      if (chosen.length >= QUOTES_PER_THEME) break;
      // The same words with a different opening ("Speaking from experience, …") are the same quote.
      const key = s.quote.text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim().slice(-48);
      if (quoted.has(s.id) || said.has(key)) continue;
      quoted.add(s.id);
      said.add(key);
      chosen.push(s.quote);
    }
    out.set(theme.code, chosen);
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The published report of a consultation, or null before it is published. */
export async function publishedReport(db: Db, consultationId: string): Promise<{ report: EngagementReport; publishedAt: string } | null> {
  const row = await db.selectFrom("consultation_reports").select(["content_json", "published_at"]).where("consultation_id", "=", consultationId).executeTakeFirst();
  return row ? { report: JSON.parse(row.content_json) as EngagementReport, publishedAt: row.published_at } : null;
}

/** Every published report, oldest consultation first (for theme pages). */
export async function publishedReports(db: Db): Promise<{ report: EngagementReport; publishedAt: string }[]> {
  const rows = await db
    .selectFrom("consultation_reports as r")
    .innerJoin("consultations as c", "c.id", "r.consultation_id")
    .select(["r.content_json", "r.published_at"])
    .orderBy("c.opens_at")
    .execute();
  return rows.map((r) => ({ report: JSON.parse(r.content_json) as EngagementReport, publishedAt: r.published_at }));
}

/**
 * Publishes the engagement report: once, only after the consultation has closed, by a
 * commissioner (`user` null is the seed). What it stores never changes afterwards.
 */
export async function publishReport(db: Db, user: PublicUser | null, consultationId: string, at: Date = new Date()): Promise<EngagementReport> {
  if (user && !can(user.role, "publishReport")) throw forbidden("only a commissioner publishes the engagement report");
  return inTransaction(db, async (trx) => {
    const consultation = await trx.selectFrom("consultations").select(["opens_at", "closes_at"]).where("id", "=", consultationId).executeTakeFirst();
    if (!consultation) throw notFound("there is no such consultation");
    if (consultationState({ opensAt: consultation.opens_at, closesAt: consultation.closes_at }, at) !== "closed") throw conflict("the report can be published only after the consultation has closed");
    if (await trx.selectFrom("consultation_reports").select("consultation_id").where("consultation_id", "=", consultationId).executeTakeFirst()) {
      throw conflict("the report of this consultation is already published, and a published report never changes");
    }
    const report = (await buildReport(trx, consultationId))!;
    const publishedAt = at.toISOString();
    await trx.insertInto("consultation_reports").values({ consultation_id: consultationId, published_at: publishedAt, published_by: user?.id ?? null, content_json: JSON.stringify(report) }).execute();
    await recordAudit(trx, {
      actor: user ? { id: user.id, email: user.email } : { id: null, email: "specwork seed" },
      action: "report.publish",
      objectType: "consultation",
      objectId: consultationId,
      slug: report.specification.slug,
      version: report.specification.version,
      details: { responses: report.respondents.total, themes: report.themes.length },
    });
    return report;
  });
}

export interface DecisionInput {
  theme: string;
  decision: Decision;
  reason: string;
}

/** The decision on each theme of a consultation as it stands, with the themes coded to it. */
export async function decisionsOf(db: Db, consultationId: string): Promise<{ code: string; title: string; responses: number; decision: Decision | null; reason: string }[]> {
  const themes = inTextOrder(await db.selectFrom("themes").select(["code", "title"]).execute(), (t) => t.code);
  const counts = new Map(
    (
      await db
        .selectFrom("codings")
        .select(["theme_code", sql<number>`count(*)`.as("n")])
        .where("consultation_id", "=", consultationId)
        .where("pass", "=", 1)
        .where("removed_at", "is", null)
        .groupBy("theme_code")
        .execute()
    ).map((r) => [r.theme_code, r.n]),
  );
  const decided = new Map((await db.selectFrom("theme_decisions").selectAll().where("consultation_id", "=", consultationId).execute()).map((d) => [d.theme_code, d]));
  return themes.map((t) => ({ code: t.code, title: t.title, responses: counts.get(t.code) ?? 0, decision: decided.get(t.code)?.decision ?? null, reason: decided.get(t.code)?.reason ?? "" }));
}

/**
 * Sets the decision and public reason for one theme of a consultation (a commissioner, before
 * the report is published: after that the triggers refuse it too).
 */
export async function decideTheme(db: Db, user: PublicUser, consultationId: string, input: DecisionInput): Promise<void> {
  if (!can(user.role, "decideThemes")) throw forbidden("only a commissioner decides on themes");
  if (!DECISIONS.includes(input.decision)) throw invalid("choose adopted, partly adopted or not adopted");
  return inTransaction(db, async (trx) => {
    const consultation = await trx.selectFrom("consultations").select("id").where("id", "=", consultationId).executeTakeFirst();
    if (!consultation) throw notFound("there is no such consultation");
    if (await trx.selectFrom("consultation_reports").select("consultation_id").where("consultation_id", "=", consultationId).executeTakeFirst()) {
      throw conflict("the report is published, so its decisions can no longer change");
    }
    const theme = await trx.selectFrom("themes").select("code").where("code", "=", input.theme).executeTakeFirst();
    if (!theme) throw invalid(`there is no theme ${input.theme}`);
    const before = await trx.selectFrom("theme_decisions").select(["decision", "reason"]).where("consultation_id", "=", consultationId).where("theme_code", "=", input.theme).executeTakeFirst();
    if (before && before.decision === input.decision && before.reason === input.reason) return;
    await trx
      .insertInto("theme_decisions")
      .values({ consultation_id: consultationId, theme_code: input.theme, decision: input.decision, reason: input.reason, decided_by: user.id, decided_at: now() })
      .onConflict((oc) => oc.columns(["consultation_id", "theme_code"]).doUpdateSet({ decision: input.decision, reason: input.reason, decided_by: user.id, decided_at: now() }))
      .execute();
    await recordAudit(trx, {
      actor: { id: user.id, email: user.email },
      action: before ? "theme-decision.change" : "theme-decision.add",
      objectType: "consultation",
      objectId: consultationId,
      details: { theme: input.theme, decision: input.decision, ...(before ? { was: before.decision } : {}) },
    });
  });
}

/** One theme as a published report counted it, with the consultation the report is of. */
export interface ThemeInReport {
  consultation: { id: string; title: string; kind: EngagementReport["consultation"]["kind"]; closesAt: string };
  specification: { slug: string; version: string };
  reportHref: string;
  publishedAt: string;
  /** Responses coded in that consultation, for shares. */
  coded: number;
  theme: ReportTheme;
}

/** A theme in every published report that counted it, oldest consultation first. */
export async function themeInReports(db: Db, code: string): Promise<ThemeInReport[]> {
  const out: ThemeInReport[] = [];
  for (const { report, publishedAt } of await publishedReports(db)) {
    const theme = report.themes.find((t) => t.code === code);
    if (!theme) continue;
    out.push({
      consultation: { id: report.consultation.id, title: report.consultation.title, kind: report.consultation.kind, closesAt: report.consultation.closesAt },
      specification: { slug: report.specification.slug, version: report.specification.version },
      reportHref: `/consultations/${report.consultation.id}/report#theme_${code}`,
      publishedAt,
      coded: report.coding.coded,
      theme,
    });
  }
  return out;
}

/** How many responses raised each theme, over every published report. */
export async function responsesByTheme(db: Db): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { report } of await publishedReports(db)) for (const t of report.themes) add(counts, t.code, t.responses);
  return counts;
}

/** The published report of the consultation held on a version (the one that closed last), or null. */
export async function reportOnVersion(db: Db, versionId: number): Promise<{ report: EngagementReport; publishedAt: string } | null> {
  const row = await db
    .selectFrom("consultation_reports as r")
    .innerJoin("consultations as c", "c.id", "r.consultation_id")
    .select(["r.content_json", "r.published_at"])
    .where("c.version_id", "=", versionId)
    .orderBy("c.closes_at", "desc")
    .executeTakeFirst();
  return row ? { report: JSON.parse(row.content_json) as EngagementReport, publishedAt: row.published_at } : null;
}

/**
 * The ids of responses a change note on a draft may cite: responses to a consultation held on
 * the version the draft started from. Throws, naming them, when a reference is not one.
 */
export async function citableResponseIds(db: Db, parentVersionId: number | null, references: readonly string[]): Promise<number[]> {
  if (!references.length) return [];
  const rows = parentVersionId
    ? await db
        .selectFrom("consultation_responses as r")
        .innerJoin("consultations as c", "c.id", "r.consultation_id")
        .select(["r.id", "r.reference"])
        .where("c.version_id", "=", parentVersionId)
        .where("r.reference", "in", [...references])
        .execute()
    : [];
  const found = new Set(rows.map((r) => r.reference));
  const missing = references.filter((ref) => !found.has(ref));
  if (missing.length) throw invalid(`${missing.join(", ")} ${missing.length === 1 ? "is not a response" : "are not responses"} to a consultation on the version this draft started from`);
  return rows.map((r) => r.id);
}

/** The reference numbers each change note of a version cites, by clause (for staff). */
export async function citedReferences(db: Db, versionId: number): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom("change_note_responses as n")
    .innerJoin("consultation_responses as r", "r.id", "n.response_id")
    .select(["n.clause_id", "r.reference"])
    .where("n.version_id", "=", versionId)
    .orderBy("r.reference")
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) push(out, r.clause_id, r.reference);
  return out;
}

/**
 * The responses each change note of a version cites, as the public may read them: a short
 * excerpt (the comment on that clause, else the first answer) with its attribution where consent
 * and moderation allow; otherwise only who it came from. Once the version is sealed, only words
 * approved by then are quoted: an approval given later does not add words to a published page
 * (an approval withdrawn later still takes them away).
 */
export async function publicCitations(db: Db, versionId: number): Promise<Map<string, CitedResponse[]>> {
  return (await citationsOf(db, [versionId], null)).get(versionId) ?? new Map();
}

/**
 * The responses one clause's change notes cite, as publicCitations gives them, for several
 * versions at once (a clause's history): by version id.
 */
export async function clauseCitations(db: Db, versionIds: readonly number[], clauseId: string): Promise<Map<number, CitedResponse[]>> {
  const byVersion = await citationsOf(db, versionIds, clauseId);
  return new Map([...byVersion].map(([id, byClause]) => [id, byClause.get(clauseId) ?? []]));
}

/** What publicCitations says, by version id and clause id; of one clause only when `clauseId` is given. */
async function citationsOf(db: Db, versionIds: readonly number[], clauseId: string | null): Promise<Map<number, Map<string, CitedResponse[]>>> {
  const out = new Map<number, Map<string, CitedResponse[]>>();
  if (!versionIds.length) return out;
  let query = db
    .selectFrom("change_note_responses as n")
    .innerJoin("consultation_responses as r", "r.id", "n.response_id")
    .innerJoin("versions as v", "v.id", "n.version_id")
    .leftJoin("audiences as a", "a.code", "r.audience_code")
    .select(["n.version_id", "n.clause_id", "r.id", "r.consent", "r.moderation", "r.moderated_at", "v.sealed_at", "r.capacity", "r.organisation", "a.name as audience"])
    .where("n.version_id", "in", versionIds);
  if (clauseId !== null) query = query.where("n.clause_id", "=", clauseId);
  const rows = await query.orderBy("n.version_id").orderBy("n.clause_id").orderBy("r.id").execute();
  if (!rows.length) return out;
  const shown = (r: (typeof rows)[number]) => mayQuote(r) && (r.sealed_at === null || (r.moderated_at !== null && r.moderated_at <= r.sealed_at));
  const quotable = [...new Set(rows.filter(shown).map((r) => r.id))];
  // Each response's own comments and answers, whichever clauses are asked about: the words
  // quoted for a response do not depend on which others are read with it.
  const [comments, answers] = quotable.length
    ? await Promise.all([
        db.selectFrom("response_clause_comments").select(["response_id", "clause_id", "body"]).where("response_id", "in", quotable).orderBy("position").execute(),
        db.selectFrom("response_answers").select(["response_id", "text"]).where("response_id", "in", quotable).where("text", "is not", null).orderBy("question_id").execute(),
      ])
    : [[], []];
  for (const r of rows) {
    let cited: CitedResponse;
    if (shown(r)) {
      const words = comments.find((c) => c.response_id === r.id && c.clause_id === r.clause_id)?.body ?? comments.find((c) => c.response_id === r.id)?.body ?? answers.find((a) => a.response_id === r.id)?.text ?? null;
      cited = { text: words ? shorten(words, QUOTE_LENGTH) : null, attribution: quoteAttribution({ consent: r.consent, capacity: r.capacity, organisation: r.organisation, audienceName: r.audience ?? null }) };
    } else {
      cited = { text: null, attribution: r.audience ? `A response from ${/\p{Lu}/u.test(r.audience.slice(1)) ? r.audience : r.audience.toLowerCase()}` : "A response" };
    }
    let byClause = out.get(r.version_id);
    if (!byClause) out.set(r.version_id, (byClause = new Map()));
    push(byClause, r.clause_id, cited);
  }
  return out;
}
