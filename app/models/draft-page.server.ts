// Everything the draft page shows, read in one place: the draft, what changed from the version it
// started from (a page of it at a time), change notes and their themes, annotations carried from
// published versions, warnings, and what the person asking may do.
import { forbidden, notFound } from "~/domain/errors";
import { carriedAnnotations } from "./annotations.server";
import { pendingAuthors } from "./contributions.server";
import type { Db } from "./db.server";
import { findDraft } from "./drafts.server";
import { changeNotes, listThemes, themeOutcomes } from "./themes.server";
import { citedReferences } from "./reports.server";
import type { PublicUser } from "./users.server";
import { findVersion, listPublicVersions } from "./versions.server";
import { approvalRecord, lastReturn, outcomeClashes } from "./workflow.server";
import { numberById, outline } from "~/domain/numbering";
import { can, canApprove } from "~/domain/permissions";
import { acceptAll, isChange, redline, redlineRows, rejectAll, type RedlineRow, type RedlineSummary } from "~/domain/redline";
import type { DocJSON } from "~/domain/schema";
import { compareVersionNumbers } from "~/domain/version-number";
import { isPublic } from "~/domain/workflow";
import type { Draft } from "./drafts.server";

/** Changed clauses shown on one page of the list, so the page stays small for a large draft. */
export const CHANGES_PER_PAGE = 25;

export interface DraftPageQuery {
  /** Only changes linked to this theme. */
  theme: string | null;
  /** 1-based page of the list of changes. */
  page: number;
}

/** One change of a draft as its review lists it: where it is, what it says, and why. */
export interface ReviewChange {
  id: string;
  status: RedlineRow["status"];
  formattingOnly: boolean;
  fromNumber: string | null;
  toNumber: string | null;
  /** The heading of the section the clause sits in. */
  section: string;
  /** The clause's first words (as it now reads, or as it read when removed). */
  words: string;
  note: { rationale: string; themes: { code: string; title: string }[] } | null;
  /** The page of the draft's list of changes on which its note form is. */
  page: number;
}

export interface DraftReview {
  parentNumber: string | null;
  summary: RedlineSummary;
  /** Every changed clause, in document order. */
  changes: ReviewChange[];
  /** How many changed clauses have no note yet. */
  unexplained: number;
  /** The changed sections and clauses, for the redline. */
  rows: RedlineRow[];
  notes: Record<string, { rationale: string; themes: { code: string; title: string }[] }>;
}

const EMPTY_SUMMARY: RedlineSummary = { inserted: 0, deleted: 0, modified: 0, moved: 0, renumbered: 0, unchanged: 0 };

/** The first dozen words of a text, with an ellipsis when there are more. */
function firstWords(text: string, count = 12): string {
  const words = text.replace(/\s+/g, " ").trim().split(" ").filter(Boolean);
  return words.length > count ? `${words.slice(0, count).join(" ")}…` : words.join(" ");
}

/**
 * What a draft changed from the version it started from, for its review: the counts, each
 * changed clause with its section, first words and note, and the redline's changed rows.
 */
export async function draftReview(db: Db, draft: Pick<Draft, "id" | "number" | "doc" | "parentNumber" | "parentDoc" | "contentHash" | "parentHash">): Promise<DraftReview> {
  const themeTitles = new Map((await listThemes(db)).map((t) => [t.code, t.title]));
  const stored = await changeNotes(db, draft.id);
  const notes = Object.fromEntries([...stored].map(([id, n]) => [id, { rationale: n.rationale, themes: n.themes.map((code) => ({ code, title: themeTitles.get(code) ?? "" })) }]));
  if (!draft.parentDoc) return { parentNumber: null, summary: EMPTY_SUMMARY, changes: [], unexplained: 0, rows: [], notes };
  // The stored hashes, so the redline does not hash both documents again.
  const result = redline({ version: draft.parentNumber ?? "", doc: draft.parentDoc, hash: draft.parentHash ?? undefined }, { version: draft.number, doc: draft.doc, hash: draft.contentHash });
  const rows = redlineRows(result, draft.parentDoc, draft.doc).filter(isChange);
  const sections = (doc: DocJSON) => new Map(outline(doc).filter((e) => e.kind === "section").map((e) => [e.id, e.title]));
  const fromSections = sections(draft.parentDoc);
  const toSections = sections(draft.doc);
  const changes = rows
    .filter((row) => row.kind === "clause")
    .map((row, index): ReviewChange => ({
      id: row.id,
      status: row.status,
      formattingOnly: row.status === "unchanged",
      fromNumber: row.from?.number ?? null,
      toNumber: row.to?.number ?? null,
      section: (row.to?.parent ? toSections.get(row.to.parent) : undefined) ?? (row.from?.parent ? fromSections.get(row.from.parent) : undefined) ?? "",
      words: firstWords(row.status === "deleted" ? rejectAll(row.segments) : acceptAll(row.segments)),
      note: notes[row.id] ?? null,
      page: Math.floor(index / CHANGES_PER_PAGE) + 1,
    }));
  return { parentNumber: draft.parentNumber, summary: result.summary, changes, unexplained: changes.filter((c) => !c.note).length, rows, notes };
}

/** A draft of the specification named in the address, for a person who may read drafts; or a refusal. */
export async function readableDraft(db: Db, user: PublicUser, slug: string, id: number): Promise<Draft> {
  const draft = await findDraft(db, id);
  if (!draft || draft.slug !== slug) throw notFound(`There is no draft ${id} of this specification.`);
  if (!can(user.role, "read", draft.status)) throw forbidden("Your role cannot read drafts.");
  return draft;
}

/** What the staff redline of a draft against its base shows. */
export async function draftChangesPage(db: Db, user: PublicUser, slug: string, id: number) {
  const draft = await readableDraft(db, user, slug, id);
  const review = await draftReview(db, draft);
  return { draft: { id: draft.id, slug: draft.slug, title: draft.title, number: draft.number, status: draft.status, parentNumber: draft.parentNumber, summary: draft.summary }, review };
}

/**
 * What the check-your-answers, approve and publish pages show: the draft, its review, who is
 * asking, and what they may do (and, for publishing, the version it would replace).
 */
export async function draftDecisionPage(db: Db, user: PublicUser, slug: string, id: number) {
  const draft = await readableDraft(db, user, slug, id);
  const review = await draftReview(db, draft);
  const authors = await pendingAuthors(db, draft.id);
  const parent = await findVersion(db, draft.slug, draft.parentNumber ?? "");
  const current = parent ? (await listPublicVersions(db, parent.specification_id)).find((v) => v.status === "published") ?? null : null;
  return {
    draft: { id: draft.id, slug: draft.slug, title: draft.title, number: draft.number, status: draft.status, parentNumber: draft.parentNumber, summary: draft.summary, contentHash: draft.contentHash, unchanged: draft.parentHash !== null && draft.parentHash === draft.contentHash, label: draft.label, date: draft.date },
    review,
    outcomes: await outcomeCount(db, draft.id),
    // Themes with a no-change reason that a change answers too: to settle before submitting.
    outcomeClashes: await outcomeClashes(db, draft.id),
    user: { name: user.name },
    replaces: current ? { number: current.number, date: current.date } : null,
    record: await approvalRecord(db, draft.id),
    may: {
      submit: can(user.role, "submit", draft.status),
      approve: canApprove(user.role, draft.status, user.id, authors),
      approveBlockedAsAuthor: can(user.role, "approve", draft.status) && authors.includes(user.id),
      publish: can(user.role, "publish", draft.status),
    },
  };
}

export type DraftDecisionPage = Awaited<ReturnType<typeof draftDecisionPage>>;

export async function draftPage(db: Db, user: PublicUser, slug: string, id: number, query: DraftPageQuery) {
  const draft = await readableDraft(db, user, slug, id);

  const authors = await pendingAuthors(db, draft.id);
  const notes = await changeNotes(db, draft.id);
  const cited = await citedReferences(db, draft.id);
  const themes = (await listThemes(db)).map((t) => ({ code: t.code, title: t.title }));
  const parent = await findVersion(db, draft.slug, draft.parentNumber ?? "");
  const published = parent ? await listPublicVersions(db, parent.specification_id) : [];

  // Annotations made on published versions, placed on this draft (staff see them all here).
  // Only their ids: the clause texts anchoring needs come from the stored items, not each document.
  const ids = new Map(parent ? (await db.selectFrom("versions").select(["id", "number"]).where("specification_id", "=", parent.specification_id).execute()).map((v) => [v.number, v.id]) : []);
  const earlier = published.flatMap((v) => (ids.has(v.number) ? [{ id: ids.get(v.number)!, number: v.number }] : []));
  const carried = parent ? await carriedAnnotations(db, { id: draft.id, specification_id: parent.specification_id, doc: draft.doc, fixed: false, parent: isPublic(parent.status) ? { id: parent.id, number: parent.number, doc: parent.doc } : null }, user, earlier) : { placed: [], orphaned: [] };
  const numbers = numberById(draft.doc);

  const review = await draftReview(db, draft);
  const allChanges: RedlineRow[] = review.rows.filter((row) => row.kind === "clause");
  const filtered = query.theme ? allChanges.filter((row) => notes.get(row.id)?.themes.includes(query.theme!)) : allChanges;
  const pages = Math.max(1, Math.ceil(filtered.length / CHANGES_PER_PAGE));
  const page = Math.min(Math.max(1, query.page), pages);
  const changes = filtered.slice((page - 1) * CHANGES_PER_PAGE, page * CHANGES_PER_PAGE);
  // The review shows one page of changes too, so that the page stays proportionate to the draft;
  // the counts cover them all, and the staff redline page shows every change at once.
  const reviewPages = Math.max(1, Math.ceil(review.changes.length / CHANGES_PER_PAGE));
  const reviewPage = Math.min(Math.max(1, query.page), reviewPages);
  const shownChanges = review.changes.filter((c) => c.page === reviewPage);
  const shownIds = new Set(shownChanges.map((c) => c.id));
  const shownRows = review.rows.filter((row) => (row.kind === "clause" ? shownIds.has(row.id) : reviewPage === 1));
  const latest = published[0];

  return {
    draft: {
      id: draft.id,
      slug: draft.slug,
      title: draft.title,
      number: draft.number,
      status: draft.status,
      revision: draft.revision,
      doc: draft.doc,
      parentNumber: draft.parentNumber,
      // The editor marks the draft's changes against it as they are typed.
      parentDoc: draft.parentDoc,
      createdBy: draft.createdBy,
      summary: draft.summary,
      scheduledFor: draft.status === "approved" && draft.publishedBy !== null ? draft.date : null,
    },
    review: {
      summary: review.summary,
      total: review.changes.length,
      unexplained: review.unexplained,
      changes: shownChanges,
      rows: shownRows,
      notes: Object.fromEntries(Object.entries(review.notes).filter(([id]) => shownIds.has(id))),
      paging: { page: reviewPage, pages: reviewPages },
    },
    changes: changes.map((row) => ({ ...row, note: notes.get(row.id) ?? null, responses: cited.get(row.id) ?? [] })),
    paging: { page, pages, total: filtered.length, perPage: CHANGES_PER_PAGE },
    // How many themes the draft says led to no change, and why (on their own page).
    outcomes: await outcomeCount(db, draft.id),
    // Clauses the theme filter picks out in the editor (every page of them).
    highlighted: query.theme ? filtered.map((row) => row.id) : null,
    themes,
    filter: query.theme,
    carried: [...carried.placed, ...carried.orphaned].map((a) => ({
      id: a.id,
      // Where its words stand, for the editor's highlights.
      clauseId: a.clauseId,
      start: a.start,
      status: a.status,
      fromVersion: a.fromVersion,
      placement: a.placement,
      number: a.placement === "orphaned" ? null : (numbers.get(a.clauseId) ?? null),
      quote: a.quote,
      body: a.body,
      author: a.author,
      visibility: a.visibility,
      themes: a.themes,
    })),
    returned: draft.status === "draft" ? await lastReturn(db, draft.id) : null,
    record: await approvalRecord(db, draft.id),
    // Publishing a draft from an older version would undo what was published since.
    staleBase: latest && draft.parentNumber && latest.number !== draft.parentNumber && compareVersionNumbers(latest.number, draft.parentNumber) > 0 ? latest.number : null,
    may: {
      // A submitted version is not edited in place: it is withdrawn first, on purpose.
      edit: draft.status === "draft" && can(user.role, "editDraft", draft.status),
      withdraw: draft.status === "submitted" && can(user.role, "editDraft", draft.status),
      submit: can(user.role, "submit", draft.status),
      approve: canApprove(user.role, draft.status, user.id, authors),
      approveBlockedAsAuthor: can(user.role, "approve", draft.status) && authors.includes(user.id),
      return: can(user.role, "return", draft.status),
      publish: can(user.role, "publish", draft.status),
    },
  };
}

export type DraftPage = Awaited<ReturnType<typeof draftPage>>;

/** How many themes a version records as having led to no change. */
export async function outcomeCount(db: Db, versionId: number): Promise<number> {
  const row = await db.selectFrom("theme_outcomes").select((eb) => eb.fn.countAll<number>().as("n")).where("version_id", "=", versionId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A theme as the outcomes page lists it. */
export interface OutcomeTheme {
  code: string;
  title: string;
  /** Why it led to no change in this draft, or null when the draft says nothing. */
  outcome: string | null;
  /** What the version the draft started from said, offered as a starting point. */
  parentOutcome: string | null;
  /** The clauses whose change notes in this draft answer it ("3.2.1", "3.2.4 (removed)"). */
  clauses: string[];
}

/**
 * What the page for recording "no change because…" shows: the themes this draft's change notes
 * already answer (with their clauses), then every other theme in the register, each with what
 * the draft records for it and what the version it started from recorded.
 */
export async function draftOutcomesPage(db: Db, user: PublicUser, slug: string, id: number) {
  const draft = await readableDraft(db, user, slug, id);
  const parentId = (await db.selectFrom("versions").select("parent_id").where("id", "=", draft.id).executeTakeFirst())?.parent_id ?? null;
  const outcomes = await themeOutcomes(db, draft.id);
  const parentOutcomes = parentId === null ? new Map<string, string>() : await themeOutcomes(db, parentId);
  const notes = await changeNotes(db, draft.id);
  const numbers = numberById(draft.doc);
  const parentNumbers = draft.parentDoc ? numberById(draft.parentDoc) : new Map<string, string>();
  const clausesOf = new Map<string, { id: string; number: string }[]>();
  for (const [clauseId, note] of notes) {
    const number = numbers.get(clauseId) ?? (parentNumbers.has(clauseId) ? `${parentNumbers.get(clauseId)} (removed)` : clauseId);
    for (const code of note.themes) (clausesOf.get(code) ?? clausesOf.set(code, []).get(code)!).push({ id: clauseId, number });
  }
  const byNumber = (a: { number: string }, b: { number: string }) => a.number.localeCompare(b.number, "en", { numeric: true });
  const themes: OutcomeTheme[] = (await listThemes(db)).map((t) => ({
    code: t.code,
    title: t.title,
    outcome: outcomes.get(t.code) ?? null,
    parentOutcome: parentOutcomes.get(t.code) ?? null,
    clauses: (clausesOf.get(t.code) ?? []).sort(byNumber).map((c) => c.number),
  }));
  return {
    draft: { id: draft.id, slug: draft.slug, title: draft.title, number: draft.number, status: draft.status, parentNumber: draft.parentNumber },
    answered: themes.filter((t) => t.clauses.length),
    others: themes.filter((t) => !t.clauses.length),
    recorded: outcomes.size,
    may: { edit: draft.status === "draft" && can(user.role, "editDraft", draft.status) },
  };
}

export type DraftOutcomesPage = Awaited<ReturnType<typeof draftOutcomesPage>>;
