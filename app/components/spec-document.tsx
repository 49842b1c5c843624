// Renders a specification's document tree as numbered, linkable HTML, quoted words highlighted. React escapes all text;
// links are re-checked here so that only http, https and mailto ever reach the page.
import { Fragment, type ReactNode } from "react";
import { highlightPieces, type QuotedRange, type TextPiece } from "~/domain/highlights";
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

/** A highlighted quote's range in a clause, labelled for the link to its thread. */
export type Highlight = QuotedRange & { label: string };

/** What a clause's text needs to mark quoted words: its pieces, and each thread's label. */
interface Marking {
  pieces: Map<TextJSON, TextPiece[]>;
  labels: Map<number, string>;
}

function marked(text: string, marks: TextJSON["marks"], allowLinks = true) {
  let element = <>{text}</>;
  for (const mark of marks ?? []) {
    if (mark.type === "strong") element = <strong>{element}</strong>;
    else if (mark.type === "em") element = <em>{element}</em>;
    else if (mark.type === "link" && allowLinks && isAllowedHref(mark.attrs.href)) element = <a href={mark.attrs.href}>{element}</a>;
  }
  return element;
}

export function InlineText({ content, marking }: { content: TextJSON[] | undefined; marking?: Marking }) {
  return (
    <>
      {(content ?? []).map((node, index) => {
        const pieces = marking?.pieces.get(node);
        if (!pieces?.some((p) => p.annotations.length)) return <Fragment key={index}>{marked(node.text, node.marks)}</Fragment>;
        const inLink = (node.marks ?? []).some((m) => m.type === "link");
        return (
          <Fragment key={index}>
            {pieces.map((piece, k) => {
              if (!piece.annotations.length) return <Fragment key={k}>{marked(piece.text, piece.marks)}</Fragment>;
              const first = piece.annotations[0]!;
              const label = `${piece.text} (quoted in the ${marking!.labels.get(first) ?? "annotation"}${piece.annotations.length > 1 ? ` and ${piece.annotations.length - 1} more` : ""})`;
              // Words inside a link keep it; elsewhere the highlight links to its thread.
              return (
                <mark key={k} className="sw-highlight" data-annotations={piece.annotations.join(" ")}>
                  {inLink ? marked(piece.text, piece.marks) : <a href={`#annotation_${first}`} aria-label={label}>{marked(piece.text, piece.marks, false)}</a>}
                </mark>
              );
            })}
          </Fragment>
        );
      })}
    </>
  );
}

function List({ list, marking }: { list: ListJSON; marking?: Marking }) {
  const items = list.content.map((item, index) => {
    const [paragraph, ...nested] = item.content;
    return (
      <li key={index}>
        <InlineText content={paragraph.content} marking={marking} />
        {nested.map((sublist, k) => (
          <List key={k} list={sublist} marking={marking} />
        ))}
      </li>
    );
  });
  if (list.type === "bullet_list") return <ul>{items}</ul>;
  return <ol start={list.attrs.order === 1 ? undefined : list.attrs.order}>{items}</ol>;
}

function Block({ block, marking }: { block: BlockJSON; marking?: Marking }) {
  if (block.type === "paragraph") {
    return (
      <p>
        <InlineText content={block.content} marking={marking} />
      </p>
    );
  }
  return <List list={block} marking={marking} />;
}

/** A clause's text; with highlights, the quoted words of its annotations marked, each linking to its thread. */
export function ClauseBody({ clause, highlights }: { clause: ClauseJSON; highlights?: readonly Highlight[] }) {
  const marking = highlights?.length ? { pieces: highlightPieces(clause, highlights), labels: new Map(highlights.map((h) => [h.id, h.label])) } : undefined;
  return (
    <>
      {clause.content.map((block, index) => (
        <Block key={index} block={block} marking={marking} />
      ))}
    </>
  );
}

/** What a page adds beneath a clause's text (such as its annotations), given the clause's id and number. */
export type ClauseExtras = (clauseId: string, number: string) => ReactNode;

function Clause({ clause, number, historyHref, commentHref, highlights, extras }: { clause: ClauseJSON; number: string; historyHref?: (id: string) => string; commentHref?: (id: string) => string; highlights?: readonly Highlight[]; extras?: ClauseExtras }) {
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
        <ClauseBody clause={clause} highlights={highlights} />
        {commentHref ? (
          <a className="sw-clause__comment-link sw-no-print" id={`comment_${id}`} href={commentHref(id)} data-href={commentHref(id)}>
            Comment on this clause<span className="nhsuk-u-visually-hidden"> ({number})</span>
          </a>
        ) : null}
        {extras?.(id, number)}
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
  highlights?: Record<string, readonly Highlight[]>;
  extras?: ClauseExtras;
}

function Section({ section, numbers, depth, historyHref, commentHref, highlights, extras }: SectionProps) {
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
          <Section key={child.attrs.id} section={child} numbers={numbers} depth={depth + 1} historyHref={historyHref} commentHref={commentHref} highlights={highlights} extras={extras} />
        ) : (
          <Clause key={child.attrs.id} clause={child} number={numbers.get(child.attrs.id)!} historyHref={historyHref} commentHref={commentHref} highlights={highlights?.[child.attrs.id]} extras={extras} />
        ),
      )}
    </section>
  );
}

/**
 * The whole document; with historyHref, each clause links to its history across versions; with
 * commentHref (while a consultation is open on the version), to a response form on that clause;
 * with highlights (by clause id), quoted words marked; with extras, more beneath each clause.
 */
export function SpecDocument({
  doc,
  historyHref,
  commentHref,
  highlights,
  extras,
}: {
  doc: DocJSON;
  historyHref?: (id: string) => string;
  commentHref?: (id: string) => string;
  highlights?: Record<string, readonly Highlight[]>;
  extras?: ClauseExtras;
}) {
  const numbers = numberById(doc);
  if (!doc.content?.length) {
    return <p className="sw-empty">This version has no sections yet.</p>;
  }
  return (
    <div className="sw-document">
      {doc.content.map((section) => (
        <Section key={section.attrs.id} section={section} numbers={numbers} depth={1} historyHref={historyHref} commentHref={commentHref} highlights={highlights} extras={extras} />
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
