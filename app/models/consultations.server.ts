// Consultations on published versions: creating and editing them (one command each, with its
// audit entry), the audience lists, and reading a consultation with its events and questions.
import { sql } from "kysely";
import { conflict, forbidden, invalid, notFound } from "~/domain/errors";
import { can } from "~/domain/permissions";
import { isPublic, PUBLIC_STATUSES } from "~/domain/workflow";
import { compareVersionNumbers } from "~/domain/version-number";
import {
  nextClockChange,
  questionsFrozen,
  type ConsultationEvent,
  type ConsultationFields,
  type ConsultationKind,
  type Question,
} from "~/domain/consultations";
import type { AudienceRow, Db } from "./db.server";
import { inTransaction, now } from "./db.server";
import { recordAudit } from "./audit.server";
import type { PublicUser } from "./users.server";

export interface Consultation {
  id: string;
  versionId: number;
  slug: string;
  specificationTitle: string;
  versionNumber: string;
  versionLabel: string | null;
  /** The published version before this one, which its redline compares against. */
  parentNumber: string | null;
  title: string;
  kind: ConsultationKind;
  summary: string;
  whyItMatters: string;
  opensAt: string;
  closesAt: string;
  otherFormatCount: number;
  doubleCodePercent: number;
  events: (ConsultationEvent & { id: number })[];
  audiences: { code: string; name: string; list: "audience" | "interest" }[];
  questions: Question[];
  /** When the engagement report was published, or null. */
  reportPublishedAt: string | null;
}

export interface ConsultationSummary {
  id: string;
  title: string;
  kind: ConsultationKind;
  slug: string;
  specificationTitle: string;
  versionNumber: string;
  opensAt: string;
  closesAt: string;
  reportPublishedAt: string | null;
}

export interface ConsultationInput {
  id: string;
  slug: string;
  versionNumber: string;
  fields: ConsultationFields;
  events: ConsultationEvent[];
  audiences: string[];
  questions: Question[];
  otherFormatCount?: number;
}

const actorOf = (user: PublicUser | null) => (user ? { id: user.id, email: user.email } : { id: null, email: "system" });

/** The audience and interest lists, in the order an admin keeps them. */
export async function listAudiences(db: Db, { includeRetired = false } = {}): Promise<AudienceRow[]> {
  let query = db.selectFrom("audiences").selectAll().orderBy("list").orderBy("position");
  if (!includeRetired) query = query.where("retired_at", "is", null);
  return query.execute();
}

/** Adds an audience or interest to the end of its list (admins). */
export async function addAudience(db: Db, user: PublicUser, input: { code: string; name: string; list: "audience" | "interest" }): Promise<void> {
  if (!can(user.role, "manageAudiences")) throw forbidden("only an admin keeps the audience lists");
  return inTransaction(db, async (trx) => {
    // Names are compared here rather than with SQL's lower(), which folds only A to Z on SQLite
    // but every letter on a PostgreSQL database with a language's locale: "Ärzte" and "ärzte"
    // are the same name on either. The lists are short.
    const name = input.name.toLowerCase();
    const clash = (await trx.selectFrom("audiences").select(["code", "name"]).execute()).some((a) => a.code === input.code || a.name.toLowerCase() === name);
    if (clash) throw conflict(`there is already an audience called ${input.name}`);
    const last = await trx.selectFrom("audiences").select(sql<number>`coalesce(max(position), 0)`.as("p")).where("list", "=", input.list).executeTakeFirstOrThrow();
    await trx.insertInto("audiences").values({ code: input.code, name: input.name, list: input.list, position: last.p + 1, created_at: now(), retired_at: null }).execute();
    await recordAudit(trx, { actor: actorOf(user), action: "audience.add", objectType: "audience", objectId: input.code, details: { name: input.name, list: input.list } });
  });
}

/** Retires an audience (it stays on responses that chose it) or brings it back. */
export async function setAudienceRetired(db: Db, user: PublicUser, code: string, retired: boolean): Promise<void> {
  if (!can(user.role, "manageAudiences")) throw forbidden("only an admin keeps the audience lists");
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom("audiences").select("code").where("code", "=", code).executeTakeFirst();
    if (!row) throw notFound("there is no such audience");
    await trx.updateTable("audiences").set({ retired_at: retired ? now() : null }).where("code", "=", code).execute();
    await recordAudit(trx, { actor: actorOf(user), action: retired ? "audience.retire" : "audience.restore", objectType: "audience", objectId: code });
  });
}

async function publishedVersion(db: Db, slug: string, number: string) {
  const version = await db
    .selectFrom("versions")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .select(["versions.id", "versions.status", "versions.content_json"])
    .where("specifications.slug", "=", slug)
    .where("versions.number", "=", number)
    .executeTakeFirst();
  if (!version) throw notFound(`there is no version ${number} of ${slug}`);
  if (!isPublic(version.status)) throw invalid(`version ${number} is not published: a consultation is held on a published version`);
  return version;
}

async function checkItems(db: Db, versionId: number, questions: Question[]): Promise<void> {
  const wanted = questions.map((q) => q.itemId).filter((id): id is string => id !== null);
  if (!wanted.length) return;
  const found = new Set((await db.selectFrom("version_items").select("item_id").where("version_id", "=", versionId).where("item_id", "in", wanted).execute()).map((r) => r.item_id));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length) throw invalid(`the version has no section or clause ${missing.join(", ")}`);
}

function checkLists(input: Pick<ConsultationInput, "questions" | "audiences">, audiences: Set<string>): void {
  const ids = new Set<string>();
  for (const q of input.questions) {
    if (ids.has(q.id)) throw invalid(`two questions have the id ${q.id}`);
    ids.add(q.id);
  }
  const unknown = input.audiences.filter((code) => !audiences.has(code));
  if (unknown.length) throw invalid(`there is no audience ${unknown.join(", ")}`);
}

async function writeParts(db: Db, id: string, input: Pick<ConsultationInput, "events" | "audiences">, questions: Question[] | null): Promise<void> {
  await db.deleteFrom("consultation_events").where("consultation_id", "=", id).execute();
  for (const [position, event] of input.events.entries()) {
    await db.insertInto("consultation_events").values({ consultation_id: id, kind: event.kind, place: event.place, starts_at: event.startsAt, ends_at: event.endsAt, position }).execute();
  }
  await db.deleteFrom("consultation_audiences").where("consultation_id", "=", id).execute();
  for (const code of new Set(input.audiences)) await db.insertInto("consultation_audiences").values({ consultation_id: id, audience_code: code }).execute();
  if (questions) {
    await db.deleteFrom("consultation_questions").where("consultation_id", "=", id).execute();
    for (const [position, q] of questions.entries()) {
      await db.insertInto("consultation_questions").values({ consultation_id: id, id: q.id, position, text: q.text, kind: q.kind, item_id: q.itemId }).execute();
    }
  }
}

/**
 * Creates a consultation on a published version. `user` null is the seed or an import; a
 * person must be allowed to manage consultations.
 */
export async function createConsultation(db: Db, user: PublicUser | null, input: ConsultationInput): Promise<void> {
  if (user && !can(user.role, "manageConsultations")) throw forbidden("only a commissioner runs consultations");
  return inTransaction(db, async (trx) => {
    const version = await publishedVersion(trx, input.slug, input.versionNumber);
    const taken = await trx.selectFrom("consultations").select("id").where("id", "=", input.id).executeTakeFirst();
    if (taken) throw conflict(`there is already a consultation at /consultations/${input.id}`);
    checkLists(input, new Set((await listAudiences(trx, { includeRetired: true })).map((a) => a.code)));
    await checkItems(trx, version.id, input.questions);
    const at = now();
    await trx
      .insertInto("consultations")
      .values({
        id: input.id,
        version_id: version.id,
        title: input.fields.title,
        kind: input.fields.kind,
        summary: input.fields.summary,
        why_it_matters: input.fields.whyItMatters,
        opens_at: input.fields.opensAt,
        closes_at: input.fields.closesAt,
        other_format_count: input.otherFormatCount ?? 0,
        created_by: user?.id ?? null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await writeParts(trx, input.id, input, input.questions);
    await recordAudit(trx, { actor: actorOf(user), action: "consultation.create", objectType: "consultation", objectId: input.id, slug: input.slug, version: input.versionNumber, details: { title: input.fields.title } });
  });
}

/**
 * Changes a consultation. Once it has opened its questions are frozen (people may have
 * answered them) and its opening time stays; it may still close later or earlier.
 */
export async function updateConsultation(
  db: Db,
  user: PublicUser,
  id: string,
  change: { fields: ConsultationFields; events: ConsultationEvent[]; audiences: string[]; questions: Question[]; otherFormatCount?: number },
  at: Date = new Date(),
): Promise<void> {
  if (!can(user.role, "manageConsultations")) throw forbidden("only a commissioner runs consultations");
  return inTransaction(db, async (trx) => {
    const current = await getConsultation(trx, id);
    if (!current) throw notFound("there is no such consultation");
    if (current.reportPublishedAt) throw conflict("the report of this consultation is published: it can no longer change");
    const frozen = questionsFrozen(current, at);
    if (frozen && change.fields.opensAt !== current.opensAt) throw conflict("the consultation has opened: its opening date can no longer change");
    if (frozen && JSON.stringify(change.questions) !== JSON.stringify(current.questions)) throw conflict("the consultation has opened: its questions are frozen, because people may already have answered them");
    checkLists(change, new Set((await listAudiences(trx, { includeRetired: true })).map((a) => a.code)));
    await checkItems(trx, current.versionId, change.questions);
    await trx
      .updateTable("consultations")
      .set({
        title: change.fields.title,
        kind: change.fields.kind,
        summary: change.fields.summary,
        why_it_matters: change.fields.whyItMatters,
        opens_at: change.fields.opensAt,
        closes_at: change.fields.closesAt,
        other_format_count: change.otherFormatCount ?? current.otherFormatCount,
        updated_at: now(),
      })
      .where("id", "=", id)
      .execute();
    await writeParts(trx, id, change, frozen ? null : change.questions);
    await recordAudit(trx, { actor: actorOf(user), action: "consultation.update", objectType: "consultation", objectId: id, slug: current.slug, version: current.versionNumber, details: { title: change.fields.title } });
  });
}

export async function getConsultation(db: Db, id: string): Promise<Consultation | null> {
  const row = await db
    .selectFrom("consultations")
    .innerJoin("versions", "versions.id", "consultations.version_id")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .leftJoin("versions as parent", "parent.id", "versions.parent_id")
    .leftJoin("consultation_reports", "consultation_reports.consultation_id", "consultations.id")
    .select([
      "consultations.id",
      "consultations.version_id",
      "consultations.title",
      "consultations.kind",
      "consultations.summary",
      "consultations.why_it_matters",
      "consultations.opens_at",
      "consultations.closes_at",
      "consultations.other_format_count",
      "consultations.double_code_percent",
      "specifications.slug",
      "specifications.title as specification_title",
      "versions.number",
      "versions.label",
      "parent.number as parent_number",
      "parent.status as parent_status",
      "consultation_reports.published_at",
    ])
    .where("consultations.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const [events, audiences, questions] = await Promise.all([
    db.selectFrom("consultation_events").selectAll().where("consultation_id", "=", id).orderBy("position").execute(),
    db
      .selectFrom("consultation_audiences")
      .innerJoin("audiences", "audiences.code", "consultation_audiences.audience_code")
      .select(["audiences.code", "audiences.name", "audiences.list"])
      .where("consultation_audiences.consultation_id", "=", id)
      .orderBy("audiences.list")
      .orderBy("audiences.position")
      .execute(),
    db.selectFrom("consultation_questions").selectAll().where("consultation_id", "=", id).orderBy("position").execute(),
  ]);
  return {
    id: row.id,
    versionId: row.version_id,
    slug: row.slug,
    specificationTitle: row.specification_title,
    versionNumber: row.number,
    versionLabel: row.label,
    parentNumber: row.parent_number && row.parent_status && isPublic(row.parent_status) ? row.parent_number : null,
    title: row.title,
    kind: row.kind,
    summary: row.summary,
    whyItMatters: row.why_it_matters,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    otherFormatCount: row.other_format_count,
    doubleCodePercent: row.double_code_percent,
    events: events.map((e) => ({ id: e.id, kind: e.kind, place: e.place, startsAt: e.starts_at, endsAt: e.ends_at })),
    audiences,
    questions: questions.map((q) => ({ id: q.id, text: q.text, kind: q.kind, itemId: q.item_id })),
    reportPublishedAt: row.published_at ?? null,
  };
}

/** Every consultation, newest opening first. */
export async function listConsultations(db: Db): Promise<ConsultationSummary[]> {
  const rows = await db
    .selectFrom("consultations")
    .innerJoin("versions", "versions.id", "consultations.version_id")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .leftJoin("consultation_reports", "consultation_reports.consultation_id", "consultations.id")
    .select(["consultations.id", "consultations.title", "consultations.kind", "consultations.opens_at", "consultations.closes_at", "specifications.slug", "specifications.title as specification_title", "versions.number", "consultation_reports.published_at"])
    .orderBy("consultations.opens_at", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    slug: r.slug,
    specificationTitle: r.specification_title,
    versionNumber: r.number,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    reportPublishedAt: r.published_at ?? null,
  }));
}

/** The consultations open now on a version, for "Comment on this clause". */
export async function openConsultationsOn(db: Db, versionId: number, at: Date = new Date()): Promise<{ id: string; title: string; closesAt: string }[]> {
  const iso = at.toISOString();
  return (
    await db.selectFrom("consultations").select(["id", "title", "closes_at"]).where("version_id", "=", versionId).where("opens_at", "<=", iso).where("closes_at", ">", iso).orderBy("closes_at").execute()
  ).map((r) => ({ id: r.id, title: r.title, closesAt: r.closes_at }));
}


/** When the consultations on a version next open or close, so a page showing them knows how long it holds. */
export async function nextConsultationChangeOn(db: Db, versionId: number, at: Date = new Date()): Promise<string | null> {
  const rows = await db.selectFrom("consultations").select(["opens_at", "closes_at"]).where("version_id", "=", versionId).where("closes_at", ">", at.toISOString()).execute();
  return nextClockChange(rows.map((r) => ({ opensAt: r.opens_at, closesAt: r.closes_at })), at);
}

export interface ConsultationFormChoices {
  /** Every published version a consultation may be held on, newest first within each specification. */
  versions: { slug: string; number: string; text: string }[];
  audiences: { code: string; name: string; list: "audience" | "interest"; retired: boolean }[];
  /** The sections and clauses of the chosen version, for a question's "about" list. */
  items: { id: string; text: string }[];
}

/** What the staff form offers: the versions, the audience lists and the chosen version's items. */
export async function consultationFormChoices(db: Db, chosen: { slug: string; number: string } | null): Promise<ConsultationFormChoices> {
  const rows = await db
    .selectFrom("versions")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .select(["specifications.slug", "specifications.title", "versions.number", "versions.label", "versions.id"])
    .where("versions.status", "in", PUBLIC_STATUSES)
    .orderBy("specifications.title")
    .execute();
  rows.sort((a, b) => a.title.localeCompare(b.title) || compareVersionNumbers(b.number, a.number));
  const version = chosen ? rows.find((r) => r.slug === chosen.slug && r.number === chosen.number) : rows[0];
  const items = version
    ? await db.selectFrom("version_items").select(["item_id", "kind", "number", "plain_text"]).where("version_id", "=", version.id).orderBy("ordinal").execute()
    : [];
  return {
    versions: rows.map((r) => ({ slug: r.slug, number: r.number, text: `${r.title}, version ${r.number}${r.label ? ` – ${r.label}` : ""}` })),
    audiences: (await listAudiences(db, { includeRetired: true })).map((a) => ({ code: a.code, name: a.name, list: a.list, retired: a.retired_at !== null })),
    items: items.map((i) => ({ id: i.item_id, text: `${i.kind === "section" ? "Section" : "Clause"} ${i.number} – ${firstWords(i.plain_text)}` })),
  };
}

function firstWords(text: string, count = 8): string {
  const words = text.replace(/\s+/g, " ").trim().split(" ");
  return words.slice(0, count).join(" ") + (words.length > count ? "…" : "");
}
