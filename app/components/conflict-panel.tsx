// Two versions of the overlapping clauses side by side, when two people changed the same part of
// a draft: the person chooses which to keep for the overlap; nobody's other changes are lost.
import { SpecDocument } from "~/components/spec-document";
import type { Overlap } from "~/domain/save-protocol";
import { sectionChildren, type ClauseJSON, type DocJSON, type SectionJSON } from "~/domain/schema";

/** Only the given clauses and sections of a document (with the sections that hold them). */
export function pickItems(doc: DocJSON, ids: Set<string>): DocJSON {
  const filterSection = (section: SectionJSON): SectionJSON | null => {
    const children: (ClauseJSON | SectionJSON)[] = [];
    for (const child of sectionChildren(section)) {
      if (child.type === "section") {
        const inner = filterSection(child);
        if (inner) children.push(inner);
      } else if (ids.has(child.attrs.id)) {
        children.push(child);
      }
    }
    return ids.has(section.attrs.id) || children.length ? { ...section, content: [section.content[0], ...children] } : null;
  };
  const content = (doc.content ?? []).map(filterSection).filter((s): s is SectionJSON => s !== null);
  return { ...doc, content };
}

export function ConflictPanel({ overlap, mine, onKeepMine, onTakeTheirs }: { overlap: Overlap; mine: DocJSON; onKeepMine: () => void; onTakeTheirs: () => void }) {
  const ids = new Set(overlap.items.map((item) => item.id));
  return (
    <div className="nhsuk-warning-callout sw-conflict" role="alert">
      <h3 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>Your changes overlap someone else&apos;s
        </span>
      </h3>
      <p>
        {overlap.error}. Neither version is lost: compare them, then choose which to keep for these clauses. Everyone&apos;s other changes stay either
        way. You can copy text from either side.
      </p>
      <div className="sw-conflict__sides">
        <div>
          <h4>Saved by someone else (revision {overlap.revision})</h4>
          <SpecDocument doc={pickItems(overlap.theirs, ids)} />
        </div>
        <div>
          <h4>Yours (not saved yet)</h4>
          <SpecDocument doc={pickItems(mine, ids)} />
        </div>
      </div>
      <button type="button" className="nhsuk-button" onClick={onKeepMine}>
        Keep mine and save
      </button>{" "}
      <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onTakeTheirs}>
        Use theirs
      </button>
    </div>
  );
}
