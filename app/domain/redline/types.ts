// The redline (tracked revision) as the contract defines it (format §2).

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
