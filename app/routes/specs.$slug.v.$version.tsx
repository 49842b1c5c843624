// A published version: header, contents, numbered clauses with annotations, and its source file (.md).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { VersionDownloads } from "~/components/downloads";
import { ClauseAnnotations, clauseHighlights, OrphanedThreads, type AnnotationResult } from "~/components/version-annotations";
import { ErrorPage } from "~/components/error-page";
import { Breadcrumbs, ErrorSummary, StatusMessage } from "~/components/messages";
import { CheckThisVersion } from "~/components/check-version";
import { formatDate, STATUS_TAG, STATUS_TEXT } from "~/components/format";
import { ContentsList, SpecDocument } from "~/components/spec-document";
import { isPublic } from "~/domain/workflow";
import { fileDownload, forbidden, notFound, sentence, statusOf } from "~/http.server";
import { DomainError } from "~/domain/errors";
import { getDatabase } from "~/models/app-database.server";
import { findSpecification } from "~/models/specifications.server";
import { addAnnotation, listAnnotations, setAnnotationStatus, versionThreads } from "~/models/annotations.server";
import { listThemes } from "~/models/themes.server";
import { can } from "~/domain/permissions";
import { findVersion, latestPublicVersion, previousPublicVersion, versionSourceText } from "~/models/versions.server";
import { getUser, requireUser } from "~/session.server";
import { nextConsultationChangeOn, openConsultationsOn } from "~/models/consultations.server";
import { z } from "zod";
import { readForm } from "~/forms.server";
import { parseForm, wholeNumber } from "~/forms";
import { annotateSchemaFor, readAnnotateForm, readReplyForm } from "~/annotation-form";
import { londonDateTime } from "~/domain/london-time";
import { ApprovalRecord } from "~/components/approval-record";
import { approvalRecord } from "~/models/workflow.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && "version" in data ? `${data.version.title}, version ${data.version.number} – Specwork` : "Page not found – Specwork" },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const db = await getDatabase();
  const user = await getUser(request);
  const slug = params.slug ?? "";
  const requested = params.version ?? "";
  const wantsSource = requested.endsWith(".md");
  const number = wantsSource ? requested.slice(0, -3) : requested;
  const spec = await findSpecification(db, slug);
  if (!spec) throw notFound(`There is no specification called “${slug}”.`);
  const version = await findVersion(db, slug, number);
  if (!version || !isPublic(version.status)) {
    throw notFound(`${spec.title} has no published version “${number}”.`, {
      href: `/specs/${spec.slug}`,
      text: "See the versions of this specification",
    });
  }
  if (wantsSource) {
    return fileDownload(versionSourceText(version), "text/markdown; charset=utf-8", `${version.slug}-${version.number}.md`);
  }
  return {
    version: {
      slug: version.slug,
      number: version.number,
      title: version.title,
      reference: version.reference,
      label: version.label,
      date: version.date,
      status: version.status,
      contentHash: version.content_hash,
      clauseCount: version.clause_count,
      doc: version.doc,
      previous: await previousPublicVersion(db, spec.id, version.number),
      latest: version.status === "superseded" ? await latestPublicVersion(db, spec.id) : null,
      approval: await approvalRecord(db, version.id),
    },
    // Staff see every annotation; everyone else only public ones. Annotations made on earlier
    // published versions are carried here, or listed as orphaned when their clause is gone.
    ...(await versionThreads(db, version, user).then((t) => ({ annotations: t.byClause, orphaned: t.orphaned }))),
    tools: user ? { themes: (await listThemes(db)).map((t) => ({ code: t.code, title: t.title })) } : undefined,
    // "Comment on this clause" goes to the consultation open on this version that closes first.
    consultation: (await openConsultationsOn(db, version.id))[0] ?? null,
    freshUntil: await nextConsultationChangeOn(db, version.id),
  };
}

const Intent = z.object({ intent: z.enum(["annotate", "reply", "resolve", "reopen"], { error: "Choose one of the page's buttons" }) });
const ThreadFields = z.object({ annotationId: wholeNumber("Choose an annotation") });

/** What went wrong with a form on this page, for the error summary; or a problem beside one form. */
function refused(errors: Record<string, string>) {
  return data<ActionResult>({ error: Object.values(errors).join(" "), message: null }, { status: 400 });
}
type ActionResult = { error: string | null; message: string | null } & AnnotationResult;

// Signed-in readers annotate clauses, reply, and resolve or reopen threads.
export async function action({ params, request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDatabase();
  const version = await findVersion(db, params.slug ?? "", params.version ?? "");
  // The same rule as the loader: this address names published versions only.
  if (!version || !isPublic(version.status) || !can(user.role, "read", version.status)) throw notFound(`There is no published version “${params.version}”.`);
  const form = await readForm(request);
  const intent = parseForm(form, Intent);
  if (!intent.ok) return refused(intent.errors);
  const action = intent.data.intent === "resolve" || intent.data.intent === "reopen" ? "resolveAnnotation" : "annotate";
  if (!can(user.role, action, version.status)) throw forbidden(`Your role (${user.role}) cannot do this.`);
  const target = { id: version.id, doc: version.doc, slug: version.slug, number: version.number };
  const author = { id: user.id, name: user.name, email: user.email };
  try {
    switch (intent.data.intent) {
      case "annotate": {
        const fields = readAnnotateForm(form, annotateSchemaFor(version.doc, (await listThemes(db)).map((t) => t.code)));
        if (!fields.ok) return data<ActionResult>({ error: null, message: null, failure: fields.failure }, { status: 400 });
        const id = await addAnnotation(db, target, author, fields.data);
        return data<ActionResult>({ error: null, message: null, done: { clauseId: fields.data.clauseId, id, message: "Your annotation is added." } });
      }
      case "reply": {
        const fields = readReplyForm(form);
        if (!fields.ok) return data<ActionResult>({ error: null, message: null, failure: fields.failure }, { status: 400 });
        const parent = (await listAnnotations(db, version.id, user)).find((a) => a.id === fields.data.parentId && a.parentId === null);
        if (!parent) return data<ActionResult>({ error: "There is no such annotation to reply to.", message: null }, { status: 404 });
        await addAnnotation(db, target, author, { clauseId: parent.clauseId, kind: "comment", body: fields.data.body, visibility: parent.visibility, parentId: parent.id });
        return data<ActionResult>({ error: null, message: null, done: { clauseId: parent.clauseId, id: parent.id, message: parent.visibility === "public" ? "Your reply is added. Everyone who reads this version can see it." : "Your reply is added." } });
      }
      case "resolve":
      case "reopen": {
        const fields = parseForm(form, ThreadFields);
        if (!fields.ok) return refused(fields.errors);
        const resolving = intent.data.intent === "resolve";
        await setAnnotationStatus(db, user, target, fields.data.annotationId, resolving ? "resolved" : "open");
        return data<ActionResult>({ error: null, message: resolving ? "The thread is marked resolved." : "The thread is open again." });
      }
    }
  } catch (error) {
    if (error instanceof DomainError) return data<ActionResult>({ error: sentence(error.message), message: null }, { status: statusOf(error.kind) });
    throw error;
  }
}

interface ClauseSelection {
  text: string;
  selection: Selection;
  /** Where the selection starts. */
  anchor: Element;
  body: Element;
  clause: Element;
}

const clauseNumberOf = (clause: Element) => clause.querySelector(".sw-clause__number")?.textContent?.replace("Clause ", "") ?? "";

/**
 * With JavaScript: each time the reader selects words inside one clause's text, `use` is given
 * them; what it returns is announced to screen readers.
 */
function useClauseSelection(enabled: boolean, use: (selected: ClauseSelection) => string | null): string | null {
  const [announced, setAnnounced] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const onSelect = () => {
      const selection = window.getSelection();
      const text = selection?.toString().trim();
      if (!selection || !text || selection.rangeCount === 0) return;
      const anchor = selection.anchorNode instanceof Element ? selection.anchorNode : selection.anchorNode?.parentElement;
      const body = anchor?.closest(".sw-clause__body");
      const clause = body?.closest(".sw-clause");
      if (!anchor || !body || !clause?.id || !body.contains(selection.focusNode)) return;
      const message = use({ text, selection, anchor, body, clause });
      if (message) setAnnounced(message);
    };
    document.addEventListener("mouseup", onSelect);
    document.addEventListener("keyup", onSelect);
    return () => {
      document.removeEventListener("mouseup", onSelect);
      document.removeEventListener("keyup", onSelect);
    };
  }, [enabled, use]);
  return announced;
}

/**
 * Selected words go into that clause's annotation form. A form not yet drawn is drawn when its
 * details opens, and takes the words left on the details for it.
 */
function quoteInAnnotationForm({ text, clause }: ClauseSelection): string | null {
  const input = document.getElementById(`quote_${clause.id}`) as HTMLInputElement | null;
  const details = document.getElementById(`annotate_${clause.id}`) as HTMLDetailsElement | null;
  if (!details) return null;
  if (input) input.value = text;
  else details.dataset.quote = text;
  details.open = true;
  return `The selected words are in the annotation form for clause ${clauseNumberOf(clause)}.`;
}

/**
 * While a consultation is open: selected words (and where they start) go with that clause's
 * "Comment on this clause" link, so the response form quotes them.
 */
function quoteInCommentLink({ text, selection, anchor, body, clause }: ClauseSelection): string | null {
  if (anchor.closest("details, form, a:not(.sw-highlight a)")) return null;
  const link = document.getElementById(`comment_${clause.id}`) as HTMLAnchorElement | null;
  if (!link?.dataset.href) return null;
  // Where the words start in the clause's text: a hint the server uses to tell repeats apart.
  const range = selection.getRangeAt(0);
  const before = document.createRange();
  before.selectNodeContents(body);
  before.setEnd(range.startContainer, range.startOffset);
  const href = new URL(link.dataset.href, window.location.href);
  href.searchParams.set("quote", text.slice(0, 2000));
  href.searchParams.set("start", String(before.toString().length));
  link.href = href.pathname + href.search;
  return `The “Comment on this clause” link for clause ${clauseNumberOf(clause)} now quotes the words you selected.`;
}

export default function VersionPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const announcedQuote = useClauseSelection("tools" in data && data.tools !== undefined, quoteInAnnotationForm);
  const announcedComment = useClauseSelection("consultation" in data && data.consultation !== null, quoteInCommentLink);
  const announced = announcedQuote ?? announcedComment;
  // `?annotate=<clause>` asks for that clause's form (the link in each closed "Annotate" leads
  // here without JavaScript); an id that is no clause's matches nothing.
  const [searchParams] = useSearchParams();
  const annotateAsked = searchParams.get("annotate");
  // Only a .md request gets a file, and entry.server answers that before any rendering.
  if (!("version" in data)) return null;
  const { version, annotations, tools, orphaned, consultation } = data;
  return (
    <>
      <Breadcrumbs items={[{ href: "/", text: "Specifications" }, { href: `/specs/${version.slug}`, text: version.title }]} />
      <span className="nhsuk-caption-l">
        Version {version.number}
        {version.label ? ` – ${version.label}` : ""}
      </span>
      <h1>{version.title}</h1>
      <ErrorSummary message={result?.error} />
      <StatusMessage message={result?.message} />
      <p className="nhsuk-u-visually-hidden" role="status" aria-live="polite">
        {announced ?? ""}
      </p>
      {version.latest && version.latest.number !== version.number ? (
        <div className="nhsuk-inset-text sw-superseded">
          <p>
            This version has been replaced. The latest is{" "}
            <a href={`/specs/${version.slug}/v/${version.latest.number}`}>
              version {version.latest.number}
              {version.latest.label ? ` – ${version.latest.label}` : ""}
            </a>
            .
          </p>
        </div>
      ) : null}
      <table className="nhsuk-table sw-header-table">
        <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">About this version</caption>
        <tbody className="nhsuk-table__body">
          <HeaderRow label="Specification number">{version.reference || "Not assigned"}</HeaderRow>
          <HeaderRow label="Service">{version.title}</HeaderRow>
          <HeaderRow label="Version">
            {version.number}
            {version.label ? ` – ${version.label}` : ""}
          </HeaderRow>
          <HeaderRow label="Status">
            <strong className={STATUS_TAG[version.status]}>{STATUS_TEXT[version.status]}</strong>
          </HeaderRow>
          <HeaderRow label="Date">{version.date ? <time dateTime={version.date}>{formatDate(version.date)}</time> : "Not dated"}</HeaderRow>
          <HeaderRow label="Clauses">{version.clauseCount}</HeaderRow>
        </tbody>
      </table>
      <ApprovalRecord record={version.approval} />
      <ul className="nhsuk-list sw-no-print">
        {version.previous ? (
          <li>
            <a href={`/specs/${version.slug}/compare/${version.previous}...${version.number}`}>
              What changed from version {version.previous} to {version.number}
            </a>
          </li>
        ) : null}
        <VersionDownloads slug={version.slug} number={version.number} doc={version.doc} />
        <li>
          <a href={`/specs/${version.slug}/v/${version.number}.md`} download>
            Download this version as a source file (.md)
          </a>
        </li>
      </ul>
      {consultation ? (
        <div className="nhsuk-inset-text sw-no-print">
          <p>
            <a href={`/consultations/${consultation.id}`}>{consultation.title}</a> is open until {londonDateTime(consultation.closesAt)}. You can comment on
            any clause below, or <a href={`/consultations/${consultation.id}/respond`}>respond to the whole consultation</a>.
          </p>
        </div>
      ) : null}
      <CheckThisVersion versions={[{ number: version.number, hash: version.contentHash }]} />
      <ContentsList doc={version.doc} />
      <SpecDocument
        doc={version.doc}
        highlights={Object.fromEntries(Object.entries(annotations).map(([id, threads]) => [id, clauseHighlights(threads)]))}
        extras={(id, number) => <ClauseAnnotations clauseId={id} number={number} threads={annotations[id]} tools={tools} result={result} annotateAsked={annotateAsked === id} />}
        historyHref={(id) => `/specs/${version.slug}/clauses/${id}`}
        commentHref={consultation ? (id) => `/consultations/${consultation.id}/respond?clause=${encodeURIComponent(id)}` : undefined}
      />
      <OrphanedThreads threads={orphaned} />
    </>
  );
}

function HeaderRow({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <tr className="nhsuk-table__row">
      <th className="nhsuk-table__header" scope="row">
        {label}
      </th>
      <td className="nhsuk-table__cell">{children}</td>
    </tr>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
