// What the staff pages for coding read: a consultation's responses as a filtered list, the
// coding queue (one response at a time, in the first or second coding), groups of uncoded
// responses, agreement between the two codings, and responses waiting for moderation.
import { sql } from "kysely";
import { cohensKappa, groupBySharedTerms, type Agreement, type CodingOrigin, type CodingPass, type Stance, type Term } from "~/domain/coding";
import { inDoubleCodingSample, type Capacity, type Consent, type ModerationStatus } from "~/domain/consultations";
import type { Db } from "./db.server";
import type { Consultation } from "./consultations.server";
import { responseTextQuery } from "./codings.server";
import { compareText, inTextOrder } from "~/domain/text-order";

export const RESPONSES_PER_PAGE = 50;

export interface CodingTheme {
  /** 1, 2, 3 … in code order: what a coder types to apply it. */
  number: number;
  code: string;
  title: string;
}

/** Every theme in the register, numbered in code order, as the queue's key shows them. */
export async function codingThemes(db: Db): Promise<CodingTheme[]> {
  const themes = inTextOrder(await db.selectFrom("themes").select(["code", "title"]).execute(), (t) => t.code);
  return themes.map((t, i) => ({ number: i + 1, code: t.code, title: t.title }));
}

export interface ResponseListFilter {
  coded: "coded" | "uncoded" | null;
  theme: string | null;
  page: number;
}

export interface ResponseListRow {
  id: number;
  reference: string;
  submittedAt: string;
  capacity: Capacity;
  audience: string | null;
  consent: Consent;
  moderation: ModerationStatus;
  themes: string[];
}

/** A page of a consultation's responses, oldest first, as the filter asks. */
export async function listResponses(db: Db, consultationId: string, filter: ResponseListFilter): Promise<{ rows: ResponseListRow[]; matching: number; pages: number }> {
  let query = db.selectFrom("consultation_responses as r").where("r.consultation_id", "=", consultationId);
  const codedExists = sql<boolean>`exists (select 1 from codings c where c.response_id = r.id and c.pass = 1 and c.removed_at is null)`;
  if (filter.coded === "coded") query = query.where(codedExists);
  if (filter.coded === "uncoded") query = query.where(sql<boolean>`not ${codedExists}`);
  if (filter.theme) query = query.where(sql<boolean>`exists (select 1 from codings c where c.response_id = r.id and c.pass = 1 and c.removed_at is null and c.theme_code = ${filter.theme})`);
  const { n } = await query.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  const pages = Math.max(1, Math.ceil(n / RESPONSES_PER_PAGE));
  const page = Math.min(Math.max(1, filter.page), pages);
  const rows = await query
    .leftJoin("audiences as a", "a.code", "r.audience_code")
    .select([
      "r.id",
      "r.reference",
      "r.submitted_at",
      "r.capacity",
      "r.consent",
      "r.moderation",
      "a.name as audience_name",
      "r.audience_text",
      sql<string | null>`(select string_agg(c.theme_code, ' ' order by c.theme_code) from codings c where c.response_id = r.id and c.pass = 1 and c.removed_at is null)`.as("themes"),
    ])
    .orderBy("r.id")
    .limit(RESPONSES_PER_PAGE)
    .offset((page - 1) * RESPONSES_PER_PAGE)
    .execute();
  return {
    matching: n,
    pages,
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      submittedAt: r.submitted_at,
      capacity: r.capacity,
      audience: r.audience_name ?? r.audience_text,
      consent: r.consent,
      moderation: r.moderation,
      themes: r.themes ? r.themes.split(" ").sort(compareText) : [],
    })),
  };
}

export interface QueueAnswer {
  questionId: string;
  question: string;
  /** The section or clause the question is about, by number ("3.2.8"), or null. */
  itemNumber: string | null;
  itemKind: "section" | "clause" | null;
  scale: string | null;
  text: string | null;
}

export interface QueueComment {
  id: number;
  clauseNumber: string | null;
  clauseText: string | null;
  quote: string | null;
  body: string;
}

export interface QueueCoding {
  themeCode: string;
  stance: Stance;
  evidenceRich: boolean;
  origin: CodingOrigin;
  codedBy: string;
  codedAt: string;
}

export interface QueueItem {
  response: {
    id: number;
    reference: string;
    submittedAt: string;
    channel: "online" | "other";
    capacity: Capacity;
    organisation: string | null;
    audience: string | null;
    consent: Consent;
  };
  answers: QueueAnswer[];
  comments: QueueComment[];
  /** The codings of this pass (the second coding never shows the first). */
  codings: QueueCoding[];
  position: { index: number; total: number; previousId: number | null; nextId: number | null; done: number };
}

/**
 * The double-coding sample (domain inDoubleCodingSample) as SQL over a response id column: the
 * same multiplicative hash, worked in SQLite's 64-bit integers (ids times 2^32 stay far inside).
 */
export function inSampleSql(column: string, percent: number) {
  return sql<boolean>`((${sql.ref(column)} * 2654435761) % 4294967296) % 100 < ${percent}`;
}

const codedIn = (pass: CodingPass) => sql<boolean>`exists (select 1 from codings c where c.response_id = r.id and c.pass = ${pass} and c.removed_at is null)`;

/**
 * The responses a coder works through in a pass, in id order: every response in the first
 * coding; in the second, only the double-coding sample's responses coded first by someone else.
 * Worked out in SQL, a response at a time, so that the queue stays quick over 100,000 responses.
 */
function queue(db: Db, consultation: Consultation, pass: CodingPass, coderId: number) {
  let query = db.selectFrom("consultation_responses as r").where("r.consultation_id", "=", consultation.id);
  if (pass === 2) {
    query = query
      .where(inSampleSql("r.id", consultation.doubleCodePercent))
      .where(codedIn(1))
      .where(sql<boolean>`not exists (select 1 from codings c where c.response_id = r.id and c.pass = 1 and c.removed_at is null and c.coded_by = ${coderId})`);
  }
  return query;
}

/**
 * One response of the queue with what a coder needs beside it: `responseId` when asked for,
 * else the first not yet coded in this pass. Null when the queue is empty, or the response
 * asked for is not in it.
 */
export async function queueItem(db: Db, consultation: Consultation, { pass, coderId, responseId }: { pass: CodingPass; coderId: number; responseId: number | null }): Promise<QueueItem | null> {
  const base = queue(db, consultation, pass, coderId);
  const first = async (q: typeof base, direction: "asc" | "desc" = "asc") => (await q.select("r.id").orderBy("r.id", direction).limit(1).executeTakeFirst())?.id ?? null;
  const count = async (q: typeof base) => (await q.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n;
  const id = responseId ?? (await first(base.where(sql<boolean>`not ${codedIn(pass)}`))) ?? (await first(base));
  if (id === null || (await first(base.where("r.id", "=", id))) === null) return null;
  const [total, done, index, previousId, nextId] = await Promise.all([
    count(base),
    count(base.where(codedIn(pass))),
    count(base.where("r.id", "<=", id)),
    first(base.where("r.id", "<", id), "desc"),
    first(base.where("r.id", ">", id)),
  ]);
  const row = await db
    .selectFrom("consultation_responses as r")
    .leftJoin("audiences as a", "a.code", "r.audience_code")
    .select(["r.id", "r.reference", "r.submitted_at", "r.channel", "r.capacity", "r.organisation", "r.consent", "a.name as audience_name", "r.audience_text"])
    .where("r.id", "=", id)
    .executeTakeFirstOrThrow();
  const [answers, comments, codings, items] = await Promise.all([
    db.selectFrom("response_answers").selectAll().where("response_id", "=", id).execute(),
    db.selectFrom("response_clause_comments").selectAll().where("response_id", "=", id).orderBy("position").execute(),
    db
      .selectFrom("codings")
      .innerJoin("users", "users.id", "codings.coded_by")
      .select(["codings.theme_code", "codings.stance", "codings.evidence_rich", "codings.origin", "codings.coded_at", "users.name"])
      .where("codings.response_id", "=", id)
      .where("codings.pass", "=", pass)
      .where("codings.removed_at", "is", null)
      .execute(),
    db.selectFrom("version_items").select(["item_id", "kind", "number", "plain_text"]).where("version_id", "=", consultation.versionId).execute(),
  ]);
  const item = new Map(items.map((i) => [i.item_id, i]));
  const byQuestion = new Map(answers.map((a) => [a.question_id, a]));
  return {
    response: {
      id: row.id,
      reference: row.reference,
      submittedAt: row.submitted_at,
      channel: row.channel,
      capacity: row.capacity,
      organisation: row.capacity === "organisation" ? row.organisation : null,
      audience: row.audience_name ?? row.audience_text,
      consent: row.consent,
    },
    answers: consultation.questions
      .filter((q) => byQuestion.has(q.id))
      .map((q) => {
        const about = q.itemId ? item.get(q.itemId) : undefined;
        const answer = byQuestion.get(q.id)!;
        return { questionId: q.id, question: q.text, itemNumber: about?.number ?? null, itemKind: about?.kind ?? null, scale: answer.scale, text: answer.text };
      }),
    comments: comments.map((c) => ({ id: c.id, clauseNumber: item.get(c.clause_id)?.number ?? null, clauseText: item.get(c.clause_id)?.plain_text ?? null, quote: c.quote, body: c.body })),
    codings: inTextOrder(codings, (c) => c.theme_code).map((c) => ({ themeCode: c.theme_code, stance: c.stance, evidenceRich: c.evidence_rich === 1, origin: c.origin, codedBy: c.name, codedAt: c.coded_at })),
    position: { index, total, previousId, nextId, done },
  };
}

/** Whether a response is in a pass's queue for a coder (the second coding's sample rule). */
export async function inQueue(db: Db, consultation: Consultation, pass: CodingPass, coderId: number, responseId: number): Promise<boolean> {
  return (await queue(db, consultation, pass, coderId).select("r.id").where("r.id", "=", responseId).executeTakeFirst()) !== undefined;
}

export interface UncodedGroup {
  terms: Term[];
  count: number;
  excerpts: { id: number; reference: string; text: string }[];
}

const EXCERPT_LENGTH = 240;
const excerpt = (text: string) => (text.length <= EXCERPT_LENGTH ? text : `${text.slice(0, EXCERPT_LENGTH).replace(/\s+\S*$/, "")} …`);

/** How many uncoded responses the grouping reads at most, so the page stays quick after a large import. */
export const GROUPED_RESPONSES = 2000;

/**
 * Uncoded responses grouped by the terms they share, with a few excerpts of each group: the
 * first GROUPED_RESPONSES of them, oldest first.
 */
export async function uncodedGroups(db: Db, consultationId: string): Promise<{ uncoded: number; grouped: number; groups: UncodedGroup[] }> {
  const uncoded = sql<boolean>`not exists (select 1 from codings c where c.response_id = r.id and c.pass = 1 and c.removed_at is null)`;
  const { n } = await db.selectFrom("consultation_responses as r").select(sql<number>`count(*)`.as("n")).where("r.consultation_id", "=", consultationId).where(uncoded).executeTakeFirstOrThrow();
  const rows = await responseTextQuery(db)
    .select("r.reference")
    .where("r.consultation_id", "=", consultationId)
    .where(uncoded)
    .orderBy("r.id")
    .limit(GROUPED_RESPONSES)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const groups = groupBySharedTerms(rows.map((r) => ({ id: r.id, text: r.text })));
  return {
    uncoded: n,
    grouped: rows.length,
    groups: groups.map((g) => ({
      terms: g.terms,
      count: g.responseIds.length,
      excerpts: g.responseIds.slice(0, 3).map((id) => ({ id, reference: byId.get(id)!.reference, text: excerpt(byId.get(id)!.text.trim()) })),
    })),
  };
}

export interface ThemeAgreement extends Agreement {
  code: string;
  title: string;
  /** How many of the responses each coding gave the theme. */
  first: number;
  second: number;
}

/**
 * Agreement between the two codings, per theme, over the sample's responses both codings
 * coded: Cohen's kappa of "has the theme or not". Overall: kappa over every (response, theme)
 * pair, so each theme weighs by how many responses both coded.
 */
export async function agreement(db: Db, consultation: Consultation): Promise<{ responses: number; sample: number; themes: ThemeAgreement[]; overall: Agreement }> {
  // Only responses coded a second time can be compared; the sample's size is counted in SQL.
  const rows = await db
    .selectFrom("codings")
    .select(["response_id", "theme_code", "pass"])
    .where("consultation_id", "=", consultation.id)
    .where("removed_at", "is", null)
    .where("response_id", "in", (eb) => eb.selectFrom("codings").select("response_id").where("consultation_id", "=", consultation.id).where("pass", "=", 2).where("removed_at", "is", null))
    .execute();
  const { sample } = await queue(db, consultation, 1, 0)
    .where(inSampleSql("r.id", consultation.doubleCodePercent))
    .where(codedIn(1))
    .select(sql<number>`count(*)`.as("sample"))
    .executeTakeFirstOrThrow();
  const passes = new Map<number, { 1: Set<string>; 2: Set<string> }>();
  for (const r of rows) {
    const entry = passes.get(r.response_id) ?? { 1: new Set<string>(), 2: new Set<string>() };
    entry[r.pass].add(r.theme_code);
    passes.set(r.response_id, entry);
  }
  const both = [...passes].filter(([id, p]) => p[1].size > 0 && p[2].size > 0 && inDoubleCodingSample(id, consultation.doubleCodePercent)).map(([, p]) => p);
  const themes = await codingThemes(db);
  const all: [boolean, boolean][] = [];
  const perTheme = themes.map((t) => {
    const pairs = both.map((p) => [p[1].has(t.code), p[2].has(t.code)] as [boolean, boolean]);
    all.push(...pairs);
    return { code: t.code, title: t.title, first: pairs.filter(([a]) => a).length, second: pairs.filter(([, b]) => b).length, ...cohensKappa(pairs) };
  });
  const overall = cohensKappa(all);
  return { responses: both.length, sample, themes: perTheme, overall: { ...overall, responses: both.length } };
}

export interface ModerationRow {
  id: number;
  reference: string;
  consent: Consent;
  capacity: Capacity;
  organisation: string | null;
  audience: string | null;
  submittedAt: string;
  answers: { question: string; scale: string | null; text: string | null }[];
  comments: { clauseNumber: string | null; body: string }[];
}

/** Responses whose consent allows publication and that no moderator has looked at yet. */
export async function moderationQueue(db: Db, consultation: Consultation, { page }: { page: number }): Promise<{ rows: ModerationRow[]; waiting: number; pages: number; page: number }> {
  const base = db.selectFrom("consultation_responses as r").where("r.consultation_id", "=", consultation.id).where("r.moderation", "=", "pending").where("r.consent", "<>", "none");
  const { n } = await base.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  const perPage = 20;
  const pages = Math.max(1, Math.ceil(n / perPage));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await base
    .leftJoin("audiences as a", "a.code", "r.audience_code")
    .select(["r.id", "r.reference", "r.consent", "r.capacity", "r.organisation", "r.submitted_at", "a.name as audience_name", "r.audience_text", "r.moderation"])
    .orderBy("r.id")
    .limit(perPage)
    .offset((current - 1) * perPage)
    .execute();
  const ids = rows.map((r) => r.id);
  const [answers, comments, items] = ids.length
    ? await Promise.all([
        db.selectFrom("response_answers").selectAll().where("response_id", "in", ids).execute(),
        db.selectFrom("response_clause_comments").selectAll().where("response_id", "in", ids).orderBy("position").execute(),
        db.selectFrom("version_items").select(["item_id", "number"]).where("version_id", "=", consultation.versionId).execute(),
      ])
    : [[], [], []];
  const number = new Map(items.map((i) => [i.item_id, i.number]));
  const questionText = new Map(consultation.questions.map((q, i) => [q.id, { text: q.text, order: i }]));
  return {
    waiting: n,
    pages,
    page: current,
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      consent: r.consent,
      capacity: r.capacity,
      organisation: r.capacity === "organisation" ? r.organisation : null,
      audience: r.audience_name ?? r.audience_text,
      submittedAt: r.submitted_at,
      answers: answers
        .filter((a) => a.response_id === r.id)
        .sort((a, b) => (questionText.get(a.question_id)?.order ?? 0) - (questionText.get(b.question_id)?.order ?? 0))
        .map((a) => ({ question: questionText.get(a.question_id)?.text ?? "", scale: a.scale, text: a.text })),
      comments: comments.filter((c) => c.response_id === r.id).map((c) => ({ clauseNumber: number.get(c.clause_id) ?? null, body: c.body })),
    })),
  };
}
