// Who approved a version and who published it, and when, in one sentence: "Approved by Dr A
// Commissioner on 12 October 2017; published by … on 18 October 2017." Names only, never
// emails; a version with no such record (one imported as it was) says nothing.
import { formatDate } from "~/components/format";
import { londonDate } from "~/domain/london-time";

export interface ApprovalRecordView {
  approvedBy: string | null;
  approvedAt: string | null;
  publishedBy: string | null;
  publishedOn: string | null;
}

export function approvalSentence(record: ApprovalRecordView | null | undefined): string | null {
  if (!record) return null;
  const approved = record.approvedBy && record.approvedAt ? `approved by ${record.approvedBy} on ${londonDate(record.approvedAt)}` : null;
  const published = record.publishedBy && record.publishedOn ? `published by ${record.publishedBy} on ${formatDate(record.publishedOn)}` : null;
  const text = [approved, published].filter(Boolean).join("; ");
  return text ? `${text[0]!.toUpperCase()}${text.slice(1)}.` : null;
}

export function ApprovalRecord({ record, className = "sw-approval-record" }: { record: ApprovalRecordView | null | undefined; className?: string }) {
  const text = approvalSentence(record);
  return text ? <p className={className}>{text}</p> : null;
}
