export { redline, type VersionInput } from "./redline";
export type { ItemPlace, ItemStatus, Redline, RedlineItem, RedlineSummary, Segment, SegmentOp } from "./types";
export { wordSegments, DEFAULT_BUDGET_MS } from "./word-diff";
export { tokenize } from "./tokens";
export { displaySegments } from "./display";
export { acceptAll, isChange, redlineRows, rejectAll, type RedlineRow } from "./view";
