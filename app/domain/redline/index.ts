export { redline, type VersionInput } from "./redline";
export type { FormattingChange, FormattingPlace, ItemPlace, ItemStatus, Redline, RedlineItem, RedlineSummary, Segment, SegmentOp } from "./types";
export { wordSegments, DEFAULT_BUDGET_MS } from "./word-diff";
export { tokenize } from "./tokens";
export { displaySegments, type DisplaySegment } from "./display";
export { acceptAll, isChange, redlineRows, rejectAll, type RedlineRow } from "./view";
