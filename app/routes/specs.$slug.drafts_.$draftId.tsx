import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { ErrorPage } from "~/components/error-page";
import { Breadcrumbs, ErrorSummary, StatusMessage } from "~/components/messages";
import { formatDate, STATUS_TAG, STATUS_TEXT } from "~/components/format";
import { isChange, NumberChange, SegmentText } from "~/components/redline-view";
import { SpecDocument } from "~/components/spec-document";
import { DraftEditor } from "~/editor/editor.client";
import { can, canApprove } from "~/domain/permissions";
import { redline, redlineRows } from "~/domain/redline";
import { forbidden, notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { DraftError, findDraft, setChangeNote, versionEditors } from "~/models/drafts.server";
import { changeNotes, listThemes } from "~/models/themes.server";
import { carriedAnnotations } from "~/models/annotations.server";
import { findVersion, listPublicVersions } from "~/models/versions.server";
import { numberById } from "~/domain/numbering";
import { compareVersionNumbers } from "~/domain/version-number";
import { approveVersion, lastReturn, publishVersion, returnVersion, submitVersion, withdrawVersion } from "~/models/workflow.server";
import { requireUser } from "~/session.server";
import { readForm } from "~/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Draft version ${data.draft.number} – Specwork` : "Draft – Specwork" }];

async function loadDraft(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requireUser(request);
  const id = Number(params.draftId);
  const draft = Number.isSafeInteger(id) && id > 0 ? await findDraft(await getDatabase(), id) : undefined;
  if (!draft || draft.slug !== params.slug) {
    throw notFound(`There is no draft ${params.draftId} of this specification.`, { href: `/specs/${params.slug}/drafts`, text: "See the drafts" });
  }
  if (!can(user.role, "read", draft.status)) throw forbidden("Your role cannot read drafts.");
  return { user, draft };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, draft } = await loadDraft(request, params);
  const db = await getDatabase();
  const editors = await versionEditors(db, draft.id);
  const notes = await changeNotes(db, draft.id);
  const themes = (await listThemes(db)).map((t) => ({ code: t.code, title: t.title }));
  const filter = new URL(request.url).searchParams.get("theme") || null;
  // Annotations made on published versions, placed on this draft (staff see them all here).
  const earlier = [];
  const found = await findVersion(db, draft.slug, draft.parentNumber ?? "");
  if (found) {
    for (const v of await listPublicVersions(db, found.specification_id)) {
      const version = await findVersion(db, draft.slug, v.number);
      if (version) earlier.push({ id: version.id, number: version.number, doc: version.doc });
    }
  }
  const carried = found ? await carriedAnnotations(db, { id: draft.id, specification_id: found.specification_id, doc: draft.doc }, user, earlier) : { placed: [], orphaned: [] };
  const numbers = numberById(draft.doc);
  const latest = found ? (await listPublicVersions(db, found.specification_id))[0] : undefined;
  const returned = draft.status === "draft" ? await lastReturn(db, draft.id) : null;
  const changes = draft.parentDoc
    ? redlineRows(redline({ version: draft.parentNumber ?? "", doc: draft.parentDoc }, { version: draft.number, doc: draft.doc }), draft.parentDoc, draft.doc).filter(
        (row) => isChange(row) && row.kind === "clause",
      )
    : [];
  return {
    draft: { id: draft.id, slug: draft.slug, title: draft.title, number: draft.number, status: draft.status, revision: draft.revision, doc: draft.doc, parentNumber: draft.parentNumber, createdBy: draft.createdBy, notes: draft.notes },
    changes: filter ? changes.filter((row) => notes.get(row.id)?.themes.includes(filter)) : changes,
    noteThemes: Object.fromEntries([...notes].map(([clauseId, note]) => [clauseId, note.themes])),
    themes,
    filter,
    carried: [...carried.placed, ...carried.orphaned].map((a) => ({
      id: a.id,
      fromVersion: a.fromVersion,
      placement: a.placement,
      number: a.placement === "orphaned" ? null : (numbers.get(a.clauseId) ?? null),
      quote: a.quote,
      body: a.body,
      author: a.author,
      visibility: a.visibility,
      themes: a.themes,
    })),
    returned,
    // Publishing a draft from an older version would undo what was published since.
    staleBase: latest && draft.parentNumber && latest.number !== draft.parentNumber && compareVersionNumbers(latest.number, draft.parentNumber) > 0 ? latest.number : null,
    may: {
      // A submitted version is not edited in place: it is withdrawn first, on purpose.
      edit: draft.status === "draft" && can(user.role, "editDraft", draft.status),
      withdraw: draft.status === "submitted" && can(user.role, "editDraft", draft.status),
      submit: can(user.role, "submit", draft.status),
      approve: canApprove(user.role, draft.status, user.id, editors),
      approveBlockedAsEditor: can(user.role, "approve", draft.status) && editors.includes(user.id),
      return: can(user.role, "return", draft.status),
      publish: can(user.role, "publish", draft.status),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, draft } = await loadDraft(request, params);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const db = await getDatabase();
  try {
    switch (intent) {
      case "note": {
        const clauseId = String(form.get("clauseId") ?? "");
        try {
          await setChangeNote(db, user, draft.id, clauseId, String(form.get("rationale") ?? ""), form.getAll("themes").map(String));
        } catch (error) {
          // Shown beside the note it is about, not at the top of a long page.
          if (error instanceof DraftError) return data({ ok: false as const, message: null, error: null, noteError: error.message, clauseId }, { status: error.status });
          throw error;
        }
        return data({ ok: true as const, message: null, error: null, noteSaved: true, clauseId });
      }
      case "submit":
        await submitVersion(db, user, draft.id);
        break;
      case "withdraw":
        await withdrawVersion(db, user, draft.id);
        break;
      case "approve":
        await approveVersion(db, user, draft.id);
        break;
      case "return":
        await returnVersion(db, user, draft.id, String(form.get("comment") ?? ""));
        break;
      case "publish":
        await publishVersion(db, user, draft.id, { label: String(form.get("label") ?? ""), date: String(form.get("date") ?? "") });
        return redirect(`/specs/${draft.slug}/v/${draft.number}`);
      default:
        return data({ ok: false as const, message: null, error: `Unknown action “${intent}”.` }, { status: 400 });
    }
    return redirect(`/specs/${draft.slug}/drafts/${draft.id}`);
  } catch (error) {
    if (error instanceof DraftError) return data({ ok: false as const, message: null, error: error.message }, { status: error.status });
    throw error;
  }
}

function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

export default function DraftPage() {
  const { draft, changes, may, noteThemes, themes, filter, carried, returned, staleBase } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const hydrated = useHydrated();
  const revalidator = useRevalidator();
  // After a save, reload the list of changed clauses and their notes.
  const refresh = useCallback(() => revalidator.revalidate(), [revalidator]);
  return (
    <>
      <Breadcrumbs items={[{ href: `/specs/${draft.slug}`, text: draft.title }, { href: `/specs/${draft.slug}/drafts`, text: "Drafts" }]} />
      <span className="nhsuk-caption-l">{draft.title}</span>
      <h1>
        Version {draft.number} <strong className={STATUS_TAG[draft.status]}>{STATUS_TEXT[draft.status]}</strong>
      </h1>
      <p>
        Started by {draft.createdBy}
        {draft.parentNumber ? ` from version ${draft.parentNumber}` : ""}. Saved {draft.revision} {draft.revision === 1 ? "time" : "times"}.
      </p>
      <ErrorSummary message={result && "error" in result ? result.error : null} />
      <StatusMessage message={result && "message" in result ? result.message : null} />

      {returned ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Returned to draft
            </span>
          </h2>
          <p>
            {returned.by} returned this version on {formatDate(returned.at)}: “{returned.comment}”
          </p>
        </div>
      ) : null}
      {staleBase ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Started from an older version
            </span>
          </h2>
          <p>
            This draft started from version {draft.parentNumber}, but version {staleBase} has been published since. Publishing this draft would replace
            version {staleBase} and undo its changes. Consider starting a new draft from version {staleBase}.
          </p>
        </div>
      ) : null}
      <Workflow may={may} status={draft.status} />

      {may.edit ? (
        hydrated ? (
          <DraftEditor draftId={draft.id} initialDoc={draft.doc} initialRevision={draft.revision} onSaved={refresh} highlight={filter ? changes.map((c) => c.id) : null} />
        ) : (
          <>
            <div className="nhsuk-inset-text">
              <p>The editor needs JavaScript. Without it you can read the draft, write change notes and use the workflow buttons.</p>
            </div>
            <SpecDocument doc={draft.doc} />
          </>
        )
      ) : (
        <SpecDocument doc={draft.doc} />
      )}

      {carried.length ? (
        <section aria-labelledby="sw_carried">
          <h2 id="sw_carried">Annotations on published versions</h2>
          <p>Where each annotation falls in this draft. An orphaned one lost its words in the draft.</p>
          <ul className="sw-annotations__list">
            {carried.map((a) => (
              <li key={`${a.fromVersion}-${a.id}`} className="sw-annotation">
                <p className="sw-annotation__meta">
                  {a.number ? `Clause ${a.number}` : "Orphaned"} · from {a.author} on version {a.fromVersion} · {a.placement}
                  {a.visibility === "staff" ? " · staff only" : ""}
                  {a.themes.length ? ` · ${a.themes.join(", ")}` : ""}
                </p>
                {a.quote ? <blockquote className="sw-said__quote">{a.quote}</blockquote> : null}
                <p>{a.body}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <h2 id="sw_changes">What changed and why</h2>
      <form method="get" className="sw-compare-form" aria-label="Show the changes for one theme">
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="sw_theme-filter">
            Show changes linked to
          </label>
          <select className="nhsuk-select" id="sw_theme-filter" name="theme" defaultValue={filter ?? ""}>
            <option value="">Every theme</option>
            {themes.map((t) => (
              <option key={t.code} value={t.code}>
                {t.code} {t.title}
              </option>
            ))}
          </select>
        </div>
        <div className="nhsuk-form-group">
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Show
          </button>
        </div>
      </form>
      {changes.length === 0 ? (
        <p>{filter ? `No changed clause is linked to ${filter} yet.` : `No clause has changed from version ${draft.parentNumber} yet.`}</p>
      ) : (
        <ol className="sw-notes">
          {changes.map((row) => (
            <li key={row.id} className="sw-notes__item" id={`note_${row.id}`}>
              <h3 className="nhsuk-heading-s">
                Clause <NumberChange row={row} />
              </h3>
              <p className="sw-redline__text">
                <SegmentText segments={row.display} />
              </p>
              {may.edit ? (
                <Form method="post" className="sw-note-form">
                  <input type="hidden" name="intent" value="note" />
                  <input type="hidden" name="clauseId" value={row.id} />
                  <div className="nhsuk-form-group">
                    <label className="nhsuk-label" htmlFor={`rationale_${row.id}`}>
                      What changed and why
                    </label>
                    <textarea className="nhsuk-textarea" id={`rationale_${row.id}`} name="rationale" rows={3} defaultValue={draft.notes[row.id] ?? ""} />
                  </div>
                  <fieldset className="nhsuk-fieldset sw-theme-choices">
                    <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">In response to</legend>
                    <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                      {themes.map((t) => (
                        <div className="nhsuk-checkboxes__item" key={t.code}>
                          <input
                            className="nhsuk-checkboxes__input"
                            id={`theme_${row.id}_${t.code}`}
                            name="themes"
                            type="checkbox"
                            value={t.code}
                            defaultChecked={noteThemes[row.id]?.includes(t.code) ?? false}
                          />
                          <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`theme_${row.id}_${t.code}`}>
                            {t.code} {t.title}
                          </label>
                        </div>
                      ))}
                    </div>
                  </fieldset>
                  <button className="nhsuk-button nhsuk-button--secondary" type="submit">
                    Save note<span className="nhsuk-u-visually-hidden"> for clause {row.to?.number ?? row.from?.number}</span>
                  </button>
                  {result && "clauseId" in result && result.clauseId === row.id ? (
                    <p className={"noteError" in result ? "nhsuk-error-message" : "sw-note-saved"} role="status">
                      {"noteError" in result ? result.noteError : "The change note is saved."}
                    </p>
                  ) : null}
                </Form>
              ) : draft.notes[row.id] ? (
                <p>
                  <strong>Why:</strong> {draft.notes[row.id]}
                  {noteThemes[row.id]?.length ? ` (${noteThemes[row.id]!.join(", ")})` : ""}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function Workflow({ may, status }: { may: { submit: boolean; withdraw: boolean; approve: boolean; approveBlockedAsEditor: boolean; return: boolean; publish: boolean }; status: string }) {
  if (!may.submit && !may.withdraw && !may.approve && !may.return && !may.publish && !may.approveBlockedAsEditor) return null;
  return (
    <section className="sw-workflow" aria-labelledby="sw_workflow-heading">
      <h2 id="sw_workflow-heading" className="nhsuk-heading-m">
        Approval
      </h2>
      {may.submit ? (
        <Form method="post">
          <input type="hidden" name="intent" value="submit" />
          <p>When the draft is ready, submit it for a commissioner to approve.</p>
          <button className="nhsuk-button" type="submit">
            Submit for approval
          </button>
        </Form>
      ) : null}
      {status === "submitted" ? <p>Submitted for approval. It cannot be edited unless it is withdrawn or returned.</p> : null}
      {may.withdraw ? (
        <Form method="post">
          <input type="hidden" name="intent" value="withdraw" />
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Withdraw and edit
          </button>
        </Form>
      ) : null}
      {may.approveBlockedAsEditor ? <p>You changed this version, so another commissioner must approve it.</p> : null}
      {may.approve ? (
        <Form method="post">
          <input type="hidden" name="intent" value="approve" />
          <button className="nhsuk-button" type="submit">
            Approve this version
          </button>
        </Form>
      ) : null}
      {may.return ? (
        <Form method="post">
          <input type="hidden" name="intent" value="return" />
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="sw_return-comment">
              Why return it to the editors?
            </label>
            <textarea className="nhsuk-textarea" id="sw_return-comment" name="comment" rows={3} />
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Return to draft
          </button>
        </Form>
      ) : null}
      {may.publish ? (
        <Form method="post">
          <input type="hidden" name="intent" value="publish" />
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="sw_publish-label">
              Label
            </label>
            <div className="nhsuk-hint" id="sw_publish-label-hint">
              For example: Consultation draft, open 18 Oct 2017 to 24 Jan 2018
            </div>
            <input className="nhsuk-input" id="sw_publish-label" name="label" aria-describedby="sw_publish-label-hint" />
          </div>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="sw_publish-date">
              Publication date
            </label>
            <div className="nhsuk-hint" id="sw_publish-date-hint">
              As 2017-10-18; today if left empty
            </div>
            <input className="nhsuk-input nhsuk-input--width-10" id="sw_publish-date" name="date" aria-describedby="sw_publish-date-hint" />
          </div>
          <button className="nhsuk-button" type="submit">
            Publish
          </button>
        </Form>
      ) : null}
      {status === "approved" && !may.publish ? <p>Approved; waiting for a commissioner to publish it.</p> : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
