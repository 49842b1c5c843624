// Renders a specification's document tree as numbered, linkable HTML. React escapes all text;
// links are re-checked here so that only http, https and mailto ever reach the page.
import { Fragment } from "react";
import { ANNOTATION_KINDS, KIND_TEXT, VISIBILITIES, VISIBILITY_TEXT, type AnnotationKind, type ThreadStatus, type Visibility } from "~/domain/annotations";
import { isAllowedHref } from "~/domain/ids";
import { numberById } from "~/domain/numbering";
import {
  sectionChildren,
  type BlockJSON,
  type ClauseJSON,
  type DocJSON,
  type ListJSON,
  type SectionJSON,
  type TextJSON,
} from "~/domain/schema";

export function InlineText({ content }: { content: TextJSON[] | undefined }) {
  return (
    <>
      {(content ?? []).map((node, index) => {
        let element = <>{node.text}</>;
        for (const mark of node.marks ?? []) {
          if (mark.type === "strong") element = <strong>{element}</strong>;
          else if (mark.type === "em") element = <em>{element}</em>;
          else if (mark.type === "link" && isAllowedHref(mark.attrs.href)) element = <a href={mark.attrs.href}>{element}</a>;
        }
        return <Fragment key={index}>{element}</Fragment>;
      })}
    </>
  );
}

function List({ list }: { list: ListJSON }) {
  const items = list.content.map((item, index) => {
    const [paragraph, ...nested] = item.content;
    return (
      <li key={index}>
        <InlineText content={paragraph.content} />
        {nested.map((sublist, k) => (
          <List key={k} list={sublist} />
        ))}
      </li>
    );
  });
  if (list.type === "bullet_list") return <ul>{items}</ul>;
  return <ol start={list.attrs.order === 1 ? undefined : list.attrs.order}>{items}</ol>;
}

function Block({ block }: { block: BlockJSON }) {
  if (block.type === "paragraph") {
    return (
      <p>
        <InlineText content={block.content} />
      </p>
    );
  }
  return <List list={block} />;
}

export function ClauseBody({ clause }: { clause: ClauseJSON }) {
  return (
    <>
      {clause.content.map((block, index) => (
        <Block key={index} block={block} />
      ))}
    </>
  );
}

/** An annotation as the reading pages show it. */
export interface ShownAnnotation {
  /** Set when the annotation was made on another version and carried here. */
  carried?: { fromVersion: string; placement: string };
  id: number;
  kind: AnnotationKind;
  body: string;
  author: string;
  quote: string | null;
  visibility: Visibility;
  status: ThreadStatus;
  themes: string[];
  replies: { id: number; body: string; author: string }[];
}


/** What a signed-in reader may do with annotations here; absent for the public. */
export interface AnnotationTools {
  themes: { code: string; title: string }[];
}

function AnnotateForm({ clauseId, number, tools }: { clauseId: string; number: string; tools: AnnotationTools }) {
  return (
    <details className="nhsuk-details sw-annotate" id={`annotate_${clauseId}`}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          Annotate<span className="nhsuk-u-visually-hidden"> clause {number}</span>
        </span>
      </summary>
      <div className="nhsuk-details__text">
        <form method="post" className="sw-annotate__form">
          <input type="hidden" name="intent" value="annotate" />
          <input type="hidden" name="clauseId" value={clauseId} />
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor={`quote_${clauseId}`}>
              The words you are commenting on (optional)
            </label>
            <div className="nhsuk-hint" id={`quote_${clauseId}-hint`}>
              Select words in the clause to fill this in, or type or paste them.
            </div>
            <input className="nhsuk-input" id={`quote_${clauseId}`} name="quote" aria-describedby={`quote_${clauseId}-hint`} />
          </div>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor={`kind_${clauseId}`}>
              Kind
            </label>
            <select className="nhsuk-select" id={`kind_${clauseId}`} name="kind" defaultValue="comment">
              {ANNOTATION_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {KIND_TEXT[kind]}
                </option>
              ))}
            </select>
          </div>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor={`body_${clauseId}`}>
              Your annotation
            </label>
            <textarea className="nhsuk-textarea" id={`body_${clauseId}`} name="body" rows={3} />
          </div>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor={`visibility_${clauseId}`}>
              Who can read it
            </label>
            <select className="nhsuk-select" id={`visibility_${clauseId}`} name="visibility" defaultValue="staff">
              {VISIBILITIES.map((visibility) => (
                <option key={visibility} value={visibility}>
                  {VISIBILITY_TEXT[visibility]}
                </option>
              ))}
            </select>
          </div>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor={`themes_${clauseId}`}>
              Themes it relates to (optional)
            </label>
            <select className="nhsuk-select sw-multi" id={`themes_${clauseId}`} name="themes" multiple size={4}>
              {tools.themes.map((t) => (
                <option key={t.code} value={t.code}>
                  {t.code} {t.title}
                </option>
              ))}
            </select>
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Add annotation<span className="nhsuk-u-visually-hidden"> to clause {number}</span>
          </button>
        </form>
      </div>
    </details>
  );
}

function Annotations({ items, number, tools }: { items: ShownAnnotation[]; number: string; tools?: AnnotationTools }) {
  return (
    <details className="nhsuk-details sw-annotations">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          {items.length} {items.length === 1 ? "annotation" : "annotations"}
          <span className="nhsuk-u-visually-hidden"> on clause {number}</span>
        </span>
      </summary>
      <div className="nhsuk-details__text">
        <ul className="sw-annotations__list">
          {items.map((a) => (
            <li key={a.id} className="sw-annotation">
              <p className="sw-annotation__meta">
                <strong>{KIND_TEXT[a.kind]}</strong> from {a.author}
                {a.carried ? ` · made on version ${a.carried.fromVersion}${a.carried.placement === "moved" ? ", moved here with its text" : a.carried.placement === "shifted" ? ", its words have changed or moved" : ""}` : ""}
                {a.visibility === "staff" ? " · staff only" : ""}
                {a.status === "resolved" ? " · resolved" : ""}
                {a.themes.length ? (
                  <>
                    {" · "}
                    {a.themes.map((code, i) => (
                      <Fragment key={code}>
                        {i ? ", " : ""}
                        <a href={`/themes/${code}`}>{code}</a>
                      </Fragment>
                    ))}
                  </>
                ) : null}
              </p>
              {a.quote ? <blockquote className="sw-said__quote">{a.quote}</blockquote> : null}
              <p>{a.body}</p>
              {a.replies.length ? (
                <ul className="sw-annotation__replies">
                  {a.replies.map((r) => (
                    <li key={r.id}>
                      <strong>{r.author}:</strong> {r.body}
                    </li>
                  ))}
                </ul>
              ) : null}
              {tools && !a.carried ? (
                <div className="sw-annotation__actions">
                  <form method="post" className="sw-reply">
                    <input type="hidden" name="intent" value="reply" />
                    <input type="hidden" name="parentId" value={a.id} />
                    <label className="nhsuk-label" htmlFor={`reply_${a.id}`}>
                      Reply
                    </label>
                    <textarea className="nhsuk-textarea" id={`reply_${a.id}`} name="body" rows={2} />
                    <button className="sw-link-button" type="submit">
                      Send reply
                    </button>
                  </form>
                  <form method="post">
                    <input type="hidden" name="intent" value={a.status === "resolved" ? "reopen" : "resolve"} />
                    <input type="hidden" name="annotationId" value={a.id} />
                    <button className="sw-link-button" type="submit">
                      {a.status === "resolved" ? "Reopen" : "Mark resolved"}
                      <span className="nhsuk-u-visually-hidden"> the annotation from {a.author}</span>
                    </button>
                  </form>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}

function Clause({ clause, number, historyHref, commentHref, annotations, tools }: { clause: ClauseJSON; number: string; historyHref?: (id: string) => string; commentHref?: (id: string) => string; annotations?: ShownAnnotation[]; tools?: AnnotationTools }) {
  const id = clause.attrs.id;
  return (
    <div className="sw-clause" id={id}>
      <div className="sw-clause__gutter">
        <a className="sw-clause__number" href={`#${id}`}>
          <span className="nhsuk-u-visually-hidden">Clause </span>
          {number}
        </a>
        {historyHref ? (
          <a className="sw-clause__history" href={historyHref(id)}>
            History<span className="nhsuk-u-visually-hidden"> of clause {number}</span>
          </a>
        ) : null}
      </div>
      <div className="sw-clause__body">
        <ClauseBody clause={clause} />
        {commentHref ? (
          <a className="sw-clause__comment-link sw-no-print" id={`comment_${id}`} href={commentHref(id)} data-href={commentHref(id)}>
            Comment on this clause<span className="nhsuk-u-visually-hidden"> ({number})</span>
          </a>
        ) : null}
        {annotations?.length ? <Annotations items={annotations} number={number} tools={tools} /> : null}
        {tools ? <AnnotateForm clauseId={id} number={number} tools={tools} /> : null}
      </div>
    </div>
  );
}

interface SectionProps {
  section: SectionJSON;
  numbers: Map<string, string>;
  depth: number;
  historyHref?: (id: string) => string;
  commentHref?: (id: string) => string;
  annotations?: Record<string, ShownAnnotation[]>;
  tools?: AnnotationTools;
}

function Section({ section, numbers, depth, historyHref, commentHref, annotations, tools }: SectionProps) {
  const Heading = (["h2", "h3", "h4", "h5", "h6"] as const)[Math.min(depth - 1, 4)]!;
  const number = numbers.get(section.attrs.id)!;
  return (
    <section className="sw-section" aria-labelledby={section.attrs.id}>
      <Heading className="sw-section__heading" id={section.attrs.id}>
        <span className="sw-section__number">{section.attrs.appendix && depth === 1 ? `Appendix ${number}` : number}</span>{" "}
        <InlineText content={section.content[0].content} />
      </Heading>
      {sectionChildren(section).map((child) =>
        child.type === "section" ? (
          <Section key={child.attrs.id} section={child} numbers={numbers} depth={depth + 1} historyHref={historyHref} commentHref={commentHref} annotations={annotations} tools={tools} />
        ) : (
          <Clause key={child.attrs.id} clause={child} number={numbers.get(child.attrs.id)!} historyHref={historyHref} commentHref={commentHref} annotations={annotations?.[child.attrs.id]} tools={tools} />
        ),
      )}
    </section>
  );
}

/**
 * The whole document; with historyHref, each clause links to its history across versions; with
 * commentHref (while a consultation is open on the version), to a response form on that clause.
 */
export function SpecDocument({
  doc,
  historyHref,
  commentHref,
  annotations,
  tools,
}: {
  doc: DocJSON;
  historyHref?: (id: string) => string;
  commentHref?: (id: string) => string;
  annotations?: Record<string, ShownAnnotation[]>;
  tools?: AnnotationTools;
}) {
  const numbers = numberById(doc);
  if (!doc.content?.length) {
    return <p className="sw-empty">This version has no sections yet.</p>;
  }
  return (
    <div className="sw-document">
      {doc.content.map((section) => (
        <Section key={section.attrs.id} section={section} numbers={numbers} depth={1} historyHref={historyHref} commentHref={commentHref} annotations={annotations} tools={tools} />
      ))}
    </div>
  );
}

/** Contents: top-level sections and their subsections, each linking to its heading. */
export function ContentsList({ doc }: { doc: DocJSON }) {
  const numbers = numberById(doc);
  const entry = (section: SectionJSON, depth: number) => {
    const subsections = sectionChildren(section).filter((c): c is SectionJSON => c.type === "section");
    const number = numbers.get(section.attrs.id)!;
    return (
      <li key={section.attrs.id} className="sw-contents__item">
        <a href={`#${section.attrs.id}`}>
          <span className="sw-contents__number">{section.attrs.appendix && depth === 1 ? `Appendix ${number}` : number}</span>{" "}
          <InlineText content={section.content[0].content} />
        </a>
        {subsections.length > 0 && depth < 2 ? <ol className="sw-contents__list">{subsections.map((s) => entry(s, depth + 1))}</ol> : null}
      </li>
    );
  };
  return (
    <nav className="sw-contents" aria-labelledby="sw_contents-heading">
      <h2 id="sw_contents-heading" className="nhsuk-heading-m">
        Contents
      </h2>
      <ol className="sw-contents__list">{(doc.content ?? []).map((s) => entry(s, 1))}</ol>
    </nav>
  );
}
