// The redline (tracked revision) as the contract defines it (format §2).
import type { MarkJSON } from "../schema";

export type SegmentOp = "equal" | "delete" | "insert";

export interface Segment {
  op: SegmentOp;
  text: string;
}

export type ItemStatus = "unchanged" | "modified" | "inserted" | "deleted" | "moved";

export interface ItemPlace {
  number: string;
  parent: string | null;
}

export interface RedlineItem {
  kind: "clause" | "section";
  id: string;
  status: ItemStatus;
  from: ItemPlace | null;
  to: ItemPlace | null;
  segments: Segment[];
  /** Present (true) when the item could not be compared within the time budget. */
  fallback?: true;
  /** Present when text both versions share changed its bold, italic or link (README, "Formatting changes"). */
  formatting?: FormattingChange[];
}

/** One stretch of shared text whose marks changed, placed in each version's plain text. */
export interface FormattingChange {
  text: string;
  from: FormattingPlace;
  to: FormattingPlace;
}

export interface FormattingPlace {
  /** UTF-16 offsets in the item's plain text in that version, as annotation anchors use. */
  start: number;
  end: number;
  /** As in the document tree: link, strong, em, in that order; empty for none. */
  marks: MarkJSON[];
}

export interface RedlineSummary {
  inserted: number;
  deleted: number;
  modified: number;
  moved: number;
  renumbered: number;
  unchanged: number;
}

export interface Redline {
  from: { version: string; hash: string };
  to: { version: string; hash: string };
  items: RedlineItem[];
  summary: RedlineSummary;
}
