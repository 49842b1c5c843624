// Annotations on a version page: each clause's threads (author, dates, status, the words they
// quote), the form that adds one, replies, and the clause text's highlights of quoted words.
// Problems with a form are shown beside it, in the NHS.UK pattern, with what was typed kept.
import { Form, useLocation } from "@remix-run/react";
import { Fragment, useEffect, useRef, useState, type SyntheticEvent } from "react";
import { annotateFieldIds, replyFieldIds, type AnnotationFailure } from "~/annotation-form";
import { AnnotationNote } from "~/components/annotation-note";
import { CharacterCount, Checkboxes, Radios, Select, TextInput } from "~/components/fields";
import { ErrorSummary, fieldErrors } from "~/components/messages";
import { ANNOTATION_KINDS, KIND_TEXT, MAX_ANNOTATION_LENGTH, VISIBILITY_TEXT, type AnnotationKind } from "~/domain/annotations";
import type { QuotedRange } from "~/domain/highlights";
import { londonDate } from "~/domain/london-time";
import type { OrphanedThread, PageThread } from "~/models/annotations.server";

/** What a signed-in reader may do with annotations here; absent for the public. */
export interface AnnotationTools {
  themes: { code: string; title: string }[];
}

/** What the page's last form sent back: a problem beside one form, or what was done. */
export interface AnnotationResult {
  failure?: AnnotationFailure | null;
  /** The clause (and thread) whose form just succeeded, for the message beside it. */
  done?: { clauseId: string; message: string; id: number } | null;
}

/** The highlight ranges of a clause's threads, each labelled for the link to its thread. */
export function clauseHighlights(threads: readonly PageThread[] | undefined): (QuotedRange & { label: string })[] {
  return (threads ?? []).flatMap((t) => (t.range ? [{ id: t.id, ...t.range, label: `${KIND_TEXT[t.kind].toLowerCase()} from ${t.author}` }] : []));
}

/** A thread's element id, which each highlight of its words links to. */
export const threadId = (id: number) => `annotation_${id}`;

/**
 * A details element that opens when `opened` becomes true and then stays as the reader leaves
 * it: following a highlight's link (a new location, so the last form's answer is gone) must not
 * close the threads it just opened.
 */
function useDetailsOpen(opened: boolean, { afterHydration = false }: { afterHydration?: boolean } = {}) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (opened || afterHydration) setOpen(true);
  }, [opened, afterHydration]);
  // `opened` is known to the server too; what only the browser knows (the address's #fragment)
  // waits for the effect, so the page hydrates as the server drew it.
  return { open: open || opened, onToggle: (event: SyntheticEvent<HTMLDetailsElement>) => setOpen(event.currentTarget.open) };
}

/**
 * A clause's "Annotate" details. Its form (a dozen fields and a checkbox per theme) is drawn only
 * when it is wanted, since a long version has hundreds of clauses and their forms would be most
 * of the page: when the address asks for it (`?annotate=<clause>`), when it has just been sent
 * with a problem, or, with JavaScript, as soon as the reader opens the details. Otherwise the
 * details holds a link to the address that asks for it, which works without JavaScript.
 */
function AnnotateForm({ clauseId, number, tools, failure, asked, openOnLoad }: { clauseId: string; number: string; tools: AnnotationTools; failure: Extract<AnnotationFailure, { form: "annotate" }> | null; asked: boolean; openOnLoad: boolean }) {
  const ids = annotateFieldIds(clauseId);
  const errors = failure?.fields ?? {};
  const values = failure?.values;
  const details = useDetailsOpen(Boolean(failure) || openOnLoad);
  const ref = useRef<HTMLDetailsElement>(null);
  // Set only in the browser, so the first render matches the server's.
  const [opened, setOpened] = useState(false);
  // Words selected in the clause before the form was drawn (see quoteInAnnotationForm).
  const [quote, setQuote] = useState<string | undefined>(undefined);
  const reveal = (element: HTMLDetailsElement) => {
    if (!element.open) return;
    if (element.dataset.quote !== undefined) {
      setQuote(element.dataset.quote);
      delete element.dataset.quote;
    }
    setOpened(true);
  };
  // A reader may open the details before the page has hydrated, when no toggle is heard.
  useEffect(() => {
    if (ref.current) reveal(ref.current);
  }, []);
  const onToggle = (event: SyntheticEvent<HTMLDetailsElement>) => {
    details.onToggle(event);
    reveal(event.currentTarget);
  };
  const shown = Boolean(failure) || asked || opened;
  const href = `?annotate=${encodeURIComponent(clauseId)}#annotate_${encodeURIComponent(clauseId)}`;
  return (
    <details className="nhsuk-details sw-annotate" id={`annotate_${clauseId}`} ref={ref} open={details.open} onToggle={onToggle}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          Annotate<span className="nhsuk-u-visually-hidden"> clause {number}</span>
        </span>
      </summary>
      <div className="nhsuk-details__text">
        {!shown ? (
          <p>
            <a href={href}>Write an annotation on clause {number}</a>
          </p>
        ) : (
          <>
            {failure ? <ErrorSummary id={`annotate-problem_${clauseId}`} message={errors.clauseId ?? errors.intent} errors={fieldErrors(errors, ids)} answer={failure} /> : null}
            <Form method="post" className="sw-annotate__form" preventScrollReset>
              <input type="hidden" name="intent" value="annotate" />
              <input type="hidden" name="clauseId" value={clauseId} />
              <TextInput
                id={ids.quote!}
                name="quote"
                label="The words you are commenting on (optional)"
                hint="Select words in the clause to fill this in, or type or paste them."
                defaultValue={values?.quote ?? quote}
                error={errors.quote}
              />
              <Select
                id={ids.kind!}
                name="kind"
                label="Kind"
                defaultValue={values?.kind || "comment"}
                options={ANNOTATION_KINDS.map((kind) => ({ value: kind, text: KIND_TEXT[kind] }))}
                error={errors.kind}
              />
              <CharacterCount id={ids.body!} name="body" label="Your annotation" rows={3} maxLength={MAX_ANNOTATION_LENGTH} defaultValue={values?.body} error={errors.body} />
              <Radios
                id={ids.visibility!}
                name="visibility"
                legend="Who can read it"
                value={values?.visibility || "staff"}
                small
                options={[
                  { value: "staff", text: VISIBILITY_TEXT.staff },
                  { value: "public", text: VISIBILITY_TEXT.public, hint: "It will be shown to everyone who reads this version." },
                ]}
                error={errors.visibility}
              />
              <div className="sw-theme-choices">
                <Checkboxes
                  id={ids.themes!}
                  name="themes"
                  legend="Themes it relates to (optional)"
                  hint="Select all that apply."
                  small
                  values={values?.themes}
                  options={tools.themes.map((t) => ({ value: t.code, text: `${t.code} ${t.title}` }))}
                  error={errors.themes}
                />
              </div>
              <button className="nhsuk-button nhsuk-button--secondary" type="submit">
                Add annotation<span className="nhsuk-u-visually-hidden"> to clause {number}</span>
              </button>
            </Form>
          </>
        )}
      </div>
    </details>
  );
}

const dateOf = (iso: string) => <time dateTime={iso}>{londonDate(iso)}</time>;

function ThreadMeta({ thread, staff }: { thread: PageThread; staff: boolean }) {
  return (
    <>
      <p className="sw-annotation__meta">
        <strong>{KIND_TEXT[thread.kind]}</strong> from {thread.author}{" "}
        <strong className={thread.status === "resolved" ? "nhsuk-tag nhsuk-tag--grey" : "nhsuk-tag nhsuk-tag--blue"}>{thread.status === "resolved" ? "Resolved" : "Open"}</strong>
        {staff ? <> · {thread.visibility === "staff" ? "Staff only" : "Public"}</> : null}
      </p>
      <p className="sw-annotation__meta">
        Added on {dateOf(thread.createdAt)}
        {thread.lastReplyAt ? <> · last reply on {dateOf(thread.lastReplyAt)}</> : null}
        {thread.carried ? <> · made on version {thread.carried.fromVersion}</> : null}
        {thread.themes.length ? (
          <>
            {" · "}themes:{" "}
            {thread.themes.map((code, i) => (
              <Fragment key={code}>
                {i ? ", " : ""}
                <a href={`/themes/${code}`}>{code}</a>
              </Fragment>
            ))}
          </>
        ) : null}
      </p>
    </>
  );
}

function ReplyForm({ thread, failure }: { thread: PageThread; failure: Extract<AnnotationFailure, { form: "reply" }> | null }) {
  const ids = replyFieldIds(thread.id);
  const hint = thread.visibility === "public" ? "Your reply will be shown to everyone who reads this version." : "Only staff will see your reply.";
  return (
    <>
      {failure ? <ErrorSummary id={`reply-problem_${thread.id}`} errors={fieldErrors(failure.fields, ids)} answer={failure} /> : null}
      <Form method="post" className="sw-reply" preventScrollReset>
        <input type="hidden" name="intent" value="reply" />
        <input type="hidden" name="parentId" value={thread.id} />
        <CharacterCount id={ids.body!} name="body" label={`Reply to the ${KIND_TEXT[thread.kind].toLowerCase()} from ${thread.author}`} hint={hint} rows={2} maxLength={MAX_ANNOTATION_LENGTH} defaultValue={failure?.values.body} error={failure?.fields.body} />
        <button className="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit">
          {thread.visibility === "public" ? "Send public reply" : "Send reply"}
        </button>
      </Form>
    </>
  );
}

function Thread({ thread, tools, result }: { thread: PageThread; tools?: AnnotationTools; result?: AnnotationResult }) {
  const failure = result?.failure?.form === "reply" && result.failure.parentId === thread.id ? result.failure : null;
  return (
    <li className="sw-annotation" id={threadId(thread.id)} tabIndex={-1}>
      <ThreadMeta thread={thread} staff={Boolean(tools)} />
      {thread.quote ? (
        <>
          <blockquote className="sw-said__quote">{thread.quote}</blockquote>
          {!thread.range ? <p className="sw-annotation__gone">The quoted words are no longer in this clause.</p> : null}
        </>
      ) : null}
      <p>{thread.body}</p>
      {thread.replies.length ? (
        <ul className="sw-annotation__replies">
          {thread.replies.map((r) => (
            <li key={r.id}>
              <strong>{r.author}</strong> on {dateOf(r.createdAt)}: {r.body}
            </li>
          ))}
        </ul>
      ) : null}
      {tools && !thread.carried ? (
        <div className="sw-annotation__actions">
          <ReplyForm key={result?.done?.id === thread.id ? `sent-${thread.replies.length}` : "reply"} thread={thread} failure={failure} />
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value={thread.status === "resolved" ? "reopen" : "resolve"} />
            <input type="hidden" name="annotationId" value={thread.id} />
            <button className="sw-link-button" type="submit">
              {thread.status === "resolved" ? "Reopen" : "Mark resolved"}
              <span className="nhsuk-u-visually-hidden"> the annotation from {thread.author}</span>
            </button>
          </Form>
        </div>
      ) : null}
    </li>
  );
}

/**
 * What was just done, beside the clause, taking focus as a success banner does: on a long page
 * the reader (without JavaScript, back at the top of a fresh page) is brought to it.
 */
function DoneMessage({ message }: { message: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="nhsuk-inset-text sw-annotation-done" role="status" tabIndex={-1} ref={ref} autoFocus>
      <p>{message}</p>
    </div>
  );
}

/** Beneath a clause's text: its threads (collapsed unless a form in them has a problem) and the form to add one. */
export function ClauseAnnotations({ clauseId, number, threads = [], tools, result, annotateAsked = false }: { clauseId: string; number: string; threads?: readonly PageThread[]; tools?: AnnotationTools; result?: AnnotationResult; annotateAsked?: boolean }) {
  const failure = result?.failure;
  const replyHere = failure?.form === "reply" && threads.some((t) => t.id === failure.parentId);
  const annotateFailure = failure?.form === "annotate" && failure.clauseId === clauseId ? failure : null;
  const done = result?.done?.clauseId === clauseId ? result.done : null;
  // Open when a form in it has just been sent, or when the address names one of its threads.
  const { hash } = useLocation();
  const details = useDetailsOpen(replyHere || Boolean(done), { afterHydration: threads.some((t) => hash === `#${threadId(t.id)}`) });
  return (
    <>
      {done ? <DoneMessage key={`${done.id}-${threads.length}`} message={done.message} /> : null}
      {threads.length ? (
        <details className="nhsuk-details sw-annotations" {...details}>
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">
              {threads.length} {threads.length === 1 ? "annotation" : "annotations"}
              <span className="nhsuk-u-visually-hidden"> on clause {number}</span>
            </span>
          </summary>
          <div className="nhsuk-details__text">
            <ul className="sw-annotations__list">
              {threads.map((t) => (
                <Thread key={t.id} thread={t} tools={tools} result={result} />
              ))}
            </ul>
          </div>
        </details>
      ) : null}
      {/* A new key after each annotation added here, so the form opens empty and closed. */}
      {/* Asked for by the address, it opens, but not again once an annotation is added through it. */}
      {tools ? <AnnotateForm key={done ? `added-${done.id}` : "form"} clauseId={clauseId} number={number} tools={tools} failure={annotateFailure} asked={annotateAsked} openOnLoad={annotateAsked && !done} /> : null}
    </>
  );
}

/** Threads carried from earlier versions whose clause this version no longer has. */
export function OrphanedThreads({ threads }: { threads: readonly OrphanedThread[] }) {
  if (!threads.length) return null;
  return (
    <section aria-labelledby="sw_orphaned">
      <h2 id="sw_orphaned">Annotations on clauses this version no longer has</h2>
      <p>These were made on earlier versions, on clauses that have since been removed or rewritten.</p>
      <ul className="sw-annotations__list">
        {threads.map((a) => (
          <AnnotationNote
            key={a.id}
            meta={
              <>
                {KIND_TEXT[a.kind as AnnotationKind]} from {a.author}, on clause {a.clauseNumber || "(number not known)"} of version {a.fromVersion}
              </>
            }
            quote={a.quote}
            body={a.body}
          />
        ))}
      </ul>
    </section>
  );
}
