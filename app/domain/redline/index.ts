// The redline's public face: compare two versions, and read the result as rows, segments and text.
export { redline, type RedlineOptions, type VersionInput } from "./redline";
export { clauseChange } from "./one-clause";
export type { FormattingChange, FormattingPlace, ItemPlace, ItemStatus, Redline, RedlineItem, RedlineSummary, Segment, SegmentOp } from "./types";
export { wordSegments } from "./word-diff";
export type { DisplaySegment } from "./display";
export { acceptAll, isChange, redlineRows, rejectAll, type RedlineRow } from "./view";
export { changeName, changeNameText, describeChanges, firstWords, sameWords, whatHappened, whyNoReasonNeeded, type ChangeDescription, type ChangeName } from "./plain-words";
export { clauseRecords, pairClauseChanges, plainClauseChange, restoredRow, type ClauseChange, type ClauseRecord, type KeptRow } from "./clause-history";
