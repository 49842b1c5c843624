// What the compare page, the HTML output and the Word export show for each redline item:
// its depth in the document and segments with real list markers.
import { outline } from "../numbering";
import { clauseLineMarkers, type LineMarker } from "../plain-text";
import { sectionChildren, type ClauseJSON, type DocJSON, type SectionJSON } from "../schema";
import { displaySegments, type DisplaySegment } from "./display";
import type { FormattingChange, Redline, RedlineItem, Segment } from "./types";

export interface RedlineRow extends RedlineItem {
  /** 1 for a top-level section; a clause sits one below its section. */
  depth: number;
  appendix: boolean;
  /** Segments with real list markers; shared text whose formatting changed is its own segment. */
  display: DisplaySegment[];
}

function clausesById(doc: DocJSON): Map<string, ClauseJSON> {
  const clauses = new Map<string, ClauseJSON>();
  const visit = (section: SectionJSON) => {
    for (const child of sectionChildren(section)) {
      if (child.type === "section") visit(child);
      else clauses.set(child.attrs.id, child);
    }
  };
  (doc.content ?? []).forEach(visit);
  return clauses;
}

export function redlineRows(result: Redline, fromDoc: DocJSON, toDoc: DocJSON): RedlineRow[] {
  const places = new Map<string, { depth: number; appendix: boolean }>();
  for (const entry of [...outline(fromDoc), ...outline(toDoc)]) {
    places.set(`${entry.kind}:${entry.id}`, { depth: entry.depth, appendix: entry.appendix });
  }
  const fromClauses = clausesById(fromDoc);
  const toClauses = clausesById(toDoc);
  return result.items.map((item) => {
    const place = places.get(`${item.kind}:${item.id}`) ?? { depth: 1, appendix: false };
    const display = item.kind === "clause" ? clauseDisplay(item, fromClauses.get(item.id), toClauses.get(item.id)) : item.formatting ? splitAtFormatting(item.segments, item.formatting) : item.segments;
    return { ...item, depth: place.depth, appendix: place.appendix, display };
  });
}

/** A clause row's display segments, from its segments and the clause as each version has it (if it does). */
export function clauseDisplay(item: Pick<RedlineItem, "segments" | "formatting">, fromClause: ClauseJSON | undefined, toClause: ClauseJSON | undefined): DisplaySegment[] {
  const markers = (clause: ClauseJSON | undefined): LineMarker[] => (clause ? clauseLineMarkers(clause) : []);
  const segments = item.formatting ? splitAtFormatting(item.segments, item.formatting) : item.segments;
  return displaySegments(segments, markers(fromClause), markers(toClause));
}

/** A change to show: its words or place changed, or only its formatting (a renumbered item alone is not one). */
export function isChange(row: Pick<RedlineItem, "status" | "formatting">): boolean {
  return row.status !== "unchanged" || Boolean(row.formatting?.length);
}

/** Cuts the shared segments where formatting changes begin and end (offsets in the newer text). */
function splitAtFormatting(segments: Segment[], changes: FormattingChange[]): DisplaySegment[] {
  const out: DisplaySegment[] = [];
  let at = 0;
  for (const segment of segments) {
    if (segment.op === "delete") {
      out.push(segment);
      continue;
    }
    const start = at;
    const end = at + segment.text.length;
    at = end;
    if (segment.op === "insert") {
      out.push(segment);
      continue;
    }
    let cut = start;
    changes.forEach((change, index) => {
      if (change.to.end <= start || change.to.start >= end) return;
      if (change.to.start > cut) out.push({ op: "equal", text: segment.text.slice(cut - start, change.to.start - start) });
      out.push({ op: "equal", text: segment.text.slice(change.to.start - start, change.to.end - start), formatting: index });
      cut = change.to.end;
    });
    if (cut < end) out.push({ op: "equal", text: segment.text.slice(cut - start) });
  }
  return out;
}

/** Accept all changes: the text as it stands in the newer version. */
export function acceptAll(segments: Segment[]): string {
  return segments.filter((s) => s.op !== "delete").map((s) => s.text).join("");
}

/** Reject all changes: the text as it stood in the older version. */
export function rejectAll(segments: Segment[]): string {
  return segments.filter((s) => s.op !== "insert").map((s) => s.text).join("");
}
