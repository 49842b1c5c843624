// The tracked revision for people: summary, list of changes, and each item with <ins>/<del>.
// Changes are told apart without colour (underline, strike-through, a dotted underline for
// formatting, words for screen readers) and every change links to the previous and next one,
// so it reads well from the keyboard.
import { Fragment } from "react";
import {
  acceptAll,
  changeName,
  changeNameText,
  isChange,
  rejectAll,
  whatHappened,
  type ChangeDescription,
  type DisplaySegment,
  type FormattingChange,
  type RedlineRow,
  type RedlineSummary,
} from "~/domain/redline";

export type RedlineViewMode = "changes" | "all";

const STATUS_LABEL: Record<RedlineRow["status"], string> = {
  unchanged: "Not changed",
  modified: "Changed",
  inserted: "New",
  deleted: "Removed",
  moved: "Moved",
};

const STATUS_TAG: Record<RedlineRow["status"], string> = {
  unchanged: "nhsuk-tag nhsuk-tag--grey",
  modified: "nhsuk-tag nhsuk-tag--blue",
  inserted: "nhsuk-tag nhsuk-tag--green",
  deleted: "nhsuk-tag nhsuk-tag--red",
  moved: "nhsuk-tag nhsuk-tag--purple",
};

/** Anchor of an item on the compare page; "_" keeps it apart from any specification id. */
export function rowAnchor(row: Pick<RedlineRow, "kind" | "id">): string {
  return `${row.kind === "section" ? "s" : "c"}_${row.id}`;
}

/** The status as a tag says it; beside a heading, a changed section reads "Renamed". */
function statusLabel(row: Pick<RedlineRow, "status" | "formatting">, heading = false): string {
  if (row.status === "unchanged" && row.formatting?.length) return "Formatting changed";
  return heading && row.status === "modified" ? "Renamed" : STATUS_LABEL[row.status];
}

function statusTag(row: Pick<RedlineRow, "status" | "formatting">): string {
  return row.status === "unchanged" && row.formatting?.length ? "nhsuk-tag nhsuk-tag--yellow" : STATUS_TAG[row.status];
}

export function SegmentText({ segments }: { segments: DisplaySegment[] }) {
  return (
    <>
      {segments.map((segment, index) => {
        if (segment.op === "equal" && segment.formatting !== undefined) {
          return (
            <span key={index} className="sw-format-change">
              <span className="nhsuk-u-visually-hidden">[formatting changed: </span>
              {segment.text}
              <span className="nhsuk-u-visually-hidden">]</span>
            </span>
          );
        }
        if (segment.op === "equal") return <Fragment key={index}>{segment.text}</Fragment>;
        if (segment.op === "insert") {
          return (
            <ins key={index}>
              <span className="nhsuk-u-visually-hidden">[inserted: </span>
              {segment.text}
              <span className="nhsuk-u-visually-hidden">]</span>
            </ins>
          );
        }
        return (
          <del key={index}>
            <span className="nhsuk-u-visually-hidden">[deleted: </span>
            {segment.text}
            <span className="nhsuk-u-visually-hidden">]</span>
          </del>
        );
      })}
    </>
  );
}

/** "3.2.15 → 3.2.14", "3.2.9", "new 1.1.3" or "was 3.1.2". */
export function NumberChange({ row }: { row: Pick<RedlineRow, "from" | "to" | "appendix" | "depth" | "kind"> }) {
  const prefix = row.kind === "section" && row.appendix && row.depth === 1 ? "Appendix " : "";
  if (!row.from) return <>{`${prefix}${row.to!.number}`}</>;
  if (!row.to) return <>{`${prefix}${row.from.number}`}</>;
  if (row.from.number === row.to.number) return <>{`${prefix}${row.to.number}`}</>;
  return (
    <>
      {prefix}
      <del className="sw-number-old">
        <span className="nhsuk-u-visually-hidden">was </span>
        {row.from.number}
      </del>{" "}
      <span aria-hidden="true">→</span> <span className="nhsuk-u-visually-hidden">now </span>
      {row.to.number}
    </>
  );
}

/**
 * The contract's counts; `formatted` (how many items changed formatting, whatever else changed)
 * shows only when there are some.
 */
export function SummaryTable({ summary, formatted = 0 }: { summary: RedlineSummary; formatted?: number }) {
  const cells: [string, number][] = [
    ["Changed", summary.modified],
    ["New", summary.inserted],
    ["Removed", summary.deleted],
    ["Moved", summary.moved],
    ["Only the number changed", summary.renumbered],
    ["Not changed", summary.unchanged],
  ];
  if (formatted > 0) cells.push(["Formatting changed", formatted]);
  // The counts are over headings as well as clauses, so that a renamed section counts too.
  return (
    <>
      <p className="sw-summary__caption">Counting every section heading and clause:</p>
      <dl className="sw-summary">
        {cells.map(([label, count]) => (
          <div className="sw-summary__item" key={label}>
            <dt>{label}</dt>
            <dd>{count}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** A change's name and what happened to it, when the page was not given them: from the rows alone. */
function fallbackDescription(row: RedlineRow, headings: ReadonlyMap<string, string>): ChangeDescription {
  const happened = whatHappened(row);
  return { name: changeNameText(changeName(row, headings, row.appendix)), status: happened.status, place: happened.place, noReason: null };
}

/**
 * The list of changes, each named by its number, heading and first words, with what happened
 * to it in words, and linking to its place on the page.
 */
export function ChangeList({ rows, described = {} }: { rows: RedlineRow[]; described?: Record<string, ChangeDescription> }) {
  const changes = rows.filter(isChange);
  if (changes.length === 0) return <p>There are no changes between these versions.</p>;
  const headings = new Map(rows.filter((row) => row.kind === "section").map((row) => [row.id, acceptAll(row.segments) || rejectAll(row.segments)]));
  return (
    // role="list": without list markers, Safari stops announcing the list as one.
    <ol className="sw-change-list" role="list">
      {changes.map((row) => {
        const about = described[row.id] ?? fallbackDescription(row, headings);
        return (
          <li key={rowAnchor(row)}>
            <a href={`#${rowAnchor(row)}`}>{about.name}</a>{" "}
            <span className="sw-change-list__what">
              <strong className={statusTag(row)}>{about.status}</strong>
              {about.place ? (
                <>
                  {" "}
                  <span className="sw-change-list__place">{about.place}</span>
                </>
              ) : null}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** "now bold", "no longer in italics", "now links to …": what happened to one stretch of text. */
export function describeFormatting(change: FormattingChange): string {
  const has = (marks: FormattingChange["from"]["marks"], type: "strong" | "em") => marks.some((m) => m.type === type);
  const href = (marks: FormattingChange["from"]["marks"]) => marks.find((m) => m.type === "link")?.attrs.href ?? null;
  const parts: string[] = [];
  const styles: ["strong" | "em", string][] = [
    ["strong", "bold"],
    ["em", "in italics"],
  ];
  for (const [type, words] of styles) {
    const before = has(change.from.marks, type);
    const after = has(change.to.marks, type);
    if (after && !before) parts.push(`now ${words}`);
    if (before && !after) parts.push(`no longer ${words}`);
  }
  const oldLink = href(change.from.marks);
  const newLink = href(change.to.marks);
  if (newLink && oldLink && newLink !== oldLink) parts.push(`now links to ${newLink} instead of ${oldLink}`);
  else if (newLink && !oldLink) parts.push(`now links to ${newLink}`);
  else if (oldLink && !newLink) parts.push(`no longer links to ${oldLink}`);
  return `“${change.text.trim()}”: ${parts.join(", ")}`;
}

/** The formatting changes of an item in words, since the text above shows them only as marked. */
function FormattingNote({ changes }: { changes?: FormattingChange[] }) {
  if (!changes?.length) return null;
  return (
    <div className="sw-redline__note sw-format-note">
      <p>Formatting changed:</p>
      <ul>
        {changes.map((change, index) => (
          <li key={index}>{describeFormatting(change)}.</li>
        ))}
      </ul>
    </div>
  );
}

function ChangeNav({ previous, next }: { previous?: RedlineRow; next?: RedlineRow }) {
  return (
    <p className="sw-change-nav">
      {previous ? <a href={`#${rowAnchor(previous)}`}>Previous change</a> : <span className="sw-change-nav__none">First change</span>}
      {" · "}
      {next ? <a href={`#${rowAnchor(next)}`}>Next change</a> : <span className="sw-change-nav__none">Last change</span>}
    </p>
  );
}

export interface ChangeNote {
  rationale: string;
  themes: { code: string; title: string }[];
  /** Responses the note cites: their words where consent allows, else who they came from. */
  responses?: { text: string | null; attribution: string }[];
}

/** A change note with the version it was recorded in, for a comparison over several versions. */
export interface ChangeReason extends ChangeNote {
  version: string;
}

function ReasonDetail({ note }: { note: ChangeNote }) {
  return (
    <>
      {note.themes.length ? (
        <p className="sw-why__themes">
          In response to:{" "}
          {note.themes.map((theme, i) => (
            <Fragment key={theme.code}>
              {i ? ", " : ""}
              <a href={`/themes/${theme.code}`}>
                {theme.code} {theme.title}
              </a>
            </Fragment>
          ))}
        </p>
      ) : null}
      {note.responses?.length ? (
        <>
          <p className="sw-why__themes">Responses this change answers:</p>
          <ul className="sw-said">
            {note.responses.map((r, i) => (
              <li key={i}>
                {r.text ? <blockquote className="sw-said__quote">{r.text}</blockquote> : null}
                <p className="sw-said__source">{r.attribution}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/**
 * Why a change was made: its one reason, or each reason recorded on the way with the version it
 * came from ("In version 1.0: …"); else why it needs none, or that none was recorded.
 */
export function Why({ reasons, noReason, byVersion = false }: { reasons: ChangeReason[] | ChangeNote[]; noReason?: string | null; byVersion?: boolean }) {
  if (!reasons.length) {
    return (
      <div className="sw-why sw-why--none">
        <p>
          <strong>Why:</strong> {noReason ?? "No reason was recorded for this change."}
        </p>
      </div>
    );
  }
  if (!byVersion) {
    return (
      <div className="sw-why">
        {reasons.map((note, i) => (
          <Fragment key={i}>
            <p>
              <strong>Why:</strong> {note.rationale}
            </p>
            <ReasonDetail note={note} />
          </Fragment>
        ))}
      </div>
    );
  }
  return (
    <div className="sw-why">
      <p>
        <strong>Why:</strong>
      </p>
      {(reasons as ChangeReason[]).map((note) => (
        <div key={note.version} className="sw-why__reason">
          <p>
            <strong>In version {note.version}:</strong> {note.rationale}
          </p>
          <ReasonDetail note={note} />
        </div>
      ))}
    </div>
  );
}

export function RedlineBody({
  rows,
  mode,
  historyHref,
  notes = {},
  reasons,
  described = {},
  byVersion: saysVersion,
}: {
  rows: RedlineRow[];
  mode: RedlineViewMode;
  historyHref?: (clauseId: string) => string;
  /** Why each clause changed, and the themes it answers, by clause id. */
  notes?: Record<string, ChangeNote>;
  /**
   * Every reason recorded between the two versions, by item id, each with its version; when
   * given, each change says why (or why it needs no reason) and `notes` is not used.
   */
  reasons?: Record<string, ChangeReason[]>;
  /** Each item in plain words, by item id (what happened, why no reason is needed). */
  described?: Record<string, ChangeDescription>;
  /** Whether each reason says which version it came from: when the comparison spans several. */
  byVersion?: boolean;
}) {
  const changes = rows.filter(isChange);
  const position = new Map(changes.map((row, index) => [rowAnchor(row), index]));
  const shown = mode === "all" ? rows : changes;
  const byVersion = saysVersion ?? (reasons ? new Set(Object.values(reasons).flatMap((list) => list.map((r) => r.version))).size > 1 : false);
  const why = (row: RedlineRow) => {
    if (reasons) return <Why reasons={reasons[row.id] ?? []} noReason={described[row.id]?.noReason} byVersion={byVersion} />;
    return notes[row.id] ? <Why reasons={[notes[row.id]!]} /> : null;
  };
  const place = (row: RedlineRow) => {
    const text = described[row.id]?.place ?? (row.status === "moved" ? `Moved from ${row.from!.number}` : null);
    return text ? <p className="sw-redline__place">{text}</p> : null;
  };
  return (
    <div className="sw-redline">
      {shown.map((row) => {
        const index = position.get(rowAnchor(row));
        const changed = index !== undefined;
        const nav = changed ? <ChangeNav previous={changes[index - 1]} next={changes[index + 1]} /> : null;
        if (row.kind === "section") {
          const Heading = (["h2", "h3", "h4", "h5", "h6"] as const)[Math.min(row.depth - 1, 4)]!;
          return (
            <div key={rowAnchor(row)} className={`sw-redline__section sw-redline__item--${row.status}`}>
              <Heading id={rowAnchor(row)} className="sw-redline__heading" tabIndex={-1}>
                <span className="sw-section__number">
                  <NumberChange row={row} />
                </span>{" "}
                <SegmentText segments={row.display} />
              </Heading>
              {changed ? (
                <p className="sw-redline__status">
                  <strong className={statusTag(row)}>{statusLabel(row, true)}</strong>
                </p>
              ) : null}
              {changed ? place(row) : null}
              <FormattingNote changes={row.formatting} />
              {changed ? why(row) : null}
              {nav}
            </div>
          );
        }
        return (
          <div key={rowAnchor(row)} id={rowAnchor(row)} tabIndex={-1} className={`sw-clause sw-redline__item sw-redline__item--${row.status}`}>
            <div className="sw-clause__number">
              <span className="nhsuk-u-visually-hidden">Clause </span>
              <NumberChange row={row} />
              {changed ? (
                <div>
                  <strong className={statusTag(row)}>{statusLabel(row)}</strong>
                </div>
              ) : null}
            </div>
            <div className="sw-clause__body">
              {changed ? place(row) : null}
              <p className="sw-redline__text">
                <SegmentText segments={row.display} />
              </p>
              <FormattingNote changes={row.formatting} />
              {changed ? why(row) : null}
              {row.fallback ? <p className="sw-redline__note">This clause was too long to compare word by word, so it is shown as removed and re-added.</p> : null}
              {historyHref && row.status !== "deleted" ? (
                <p className="sw-redline__note">
                  <a href={historyHref(row.id)}>
                    History
                    <span className="nhsuk-u-visually-hidden"> of clause {row.to?.number ?? row.from?.number}</span>
                  </a>
                </p>
              ) : null}
              {nav}
            </div>
          </div>
        );
      })}
    </div>
  );
}
