// Everything the draft page shows, read in one place: the draft, what changed from the version it
// started from (a page of it at a time), change notes and their themes, annotations carried from
// published versions, warnings, and what the person asking may do.
import { forbidden, notFound } from "~/domain/errors";
import { carriedAnnotations } from "./annotations.server";
import { pendingAuthors } from "./contributions.server";
import type { Db } from "./db.server";
import { findDraft } from "./drafts.server";
import { changeNotes, listThemes } from "./themes.server";
import { citedReferences } from "./reports.server";
import type { PublicUser } from "./users.server";
import { findVersion, listPublicVersions } from "./versions.server";
import { lastReturn } from "./workflow.server";
import { numberById } from "~/domain/numbering";
import { can, canApprove } from "~/domain/permissions";
import { isChange, redline, redlineRows, type RedlineRow } from "~/domain/redline";
import { compareVersionNumbers } from "~/domain/version-number";

/** Changed clauses shown on one page of the list, so the page stays small for a large draft. */
export const CHANGES_PER_PAGE = 25;

export interface DraftPageQuery {
  /** Only changes linked to this theme. */
  theme: string | null;
  /** 1-based page of the list of changes. */
  page: number;
}

export async function draftPage(db: Db, user: PublicUser, slug: string, id: number, query: DraftPageQuery) {
  const draft = await findDraft(db, id);
  if (!draft || draft.slug !== slug) throw notFound(`There is no draft ${id} of this specification.`);
  if (!can(user.role, "read", draft.status)) throw forbidden("Your role cannot read drafts.");

  const authors = await pendingAuthors(db, draft.id);
  const notes = await changeNotes(db, draft.id);
  const cited = await citedReferences(db, draft.id);
  const themes = (await listThemes(db)).map((t) => ({ code: t.code, title: t.title }));
  const parent = await findVersion(db, draft.slug, draft.parentNumber ?? "");
  const published = parent ? await listPublicVersions(db, parent.specification_id) : [];

  // Annotations made on published versions, placed on this draft (staff see them all here).
  const earlier = [];
  for (const v of published) {
    const version = await findVersion(db, draft.slug, v.number);
    if (version) earlier.push({ id: version.id, number: version.number, doc: version.doc });
  }
  const carried = parent ? await carriedAnnotations(db, { id: draft.id, specification_id: parent.specification_id, doc: draft.doc }, user, earlier) : { placed: [], orphaned: [] };
  const numbers = numberById(draft.doc);

  const allChanges: RedlineRow[] = draft.parentDoc
    ? redlineRows(redline({ version: draft.parentNumber ?? "", doc: draft.parentDoc }, { version: draft.number, doc: draft.doc }), draft.parentDoc, draft.doc).filter(
        (row) => isChange(row) && row.kind === "clause",
      )
    : [];
  const filtered = query.theme ? allChanges.filter((row) => notes.get(row.id)?.themes.includes(query.theme!)) : allChanges;
  const pages = Math.max(1, Math.ceil(filtered.length / CHANGES_PER_PAGE));
  const page = Math.min(Math.max(1, query.page), pages);
  const changes = filtered.slice((page - 1) * CHANGES_PER_PAGE, page * CHANGES_PER_PAGE);
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
    },
    changes: changes.map((row) => ({ ...row, note: notes.get(row.id) ?? null, responses: cited.get(row.id) ?? [] })),
    paging: { page, pages, total: filtered.length, perPage: CHANGES_PER_PAGE },
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
