// The version lifecycle: draft → submitted → approved → published → superseded.

export const VERSION_STATUSES = ["draft", "submitted", "approved", "published", "superseded"] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export function isVersionStatus(value: string): value is VersionStatus {
  return (VERSION_STATUSES as readonly string[]).includes(value);
}

/** Statuses the public may read: everything that was ever published. */
export const PUBLIC_STATUSES: readonly VersionStatus[] = ["published", "superseded"];

export function isPublic(status: VersionStatus): boolean {
  return PUBLIC_STATUSES.includes(status);
}

/** The longest comment returning a version may carry, label a published one may have, and change note. */
export const MAX_COMMENT_LENGTH = 5000;
export const MAX_LABEL_LENGTH = 300;
export const MAX_RATIONALE_LENGTH = 5000;
/** The longest plain-English summary of a revision the editors may write. */
export const MAX_SUMMARY_LENGTH = 1000;

/**
 * An approved version that has a publisher and a date but is not yet published is scheduled: it
 * goes live on its date (a London date, YYYY-MM-DD).
 */
export function isScheduled(version: { status: VersionStatus; publishedBy: number | null; date: string | null }): boolean {
  return version.status === "approved" && version.publishedBy !== null && version.date !== null;
}

/** Whether a scheduled date has come: dates compare as text in ISO 8601. */
export function isDue(date: string, today: string): boolean {
  return date <= today;
}

export type WorkflowAction = "submit" | "approve" | "return" | "publish" | "edit";

/** The state a version moves to, or null when the action does not apply in its state. */
export function nextStatus(status: VersionStatus, action: WorkflowAction): VersionStatus | null {
  switch (action) {
    case "submit":
      return status === "draft" ? "submitted" : null;
    case "approve":
      return status === "submitted" ? "approved" : null;
    case "return":
      return status === "submitted" ? "draft" : null;
    case "publish":
      return status === "approved" ? "published" : null;
    case "edit":
      // An edit after submission returns the version to draft; approved content never changes.
      return status === "draft" || status === "submitted" ? "draft" : null;
  }
}

/** A version reaching these states is sealed: what it shows is fixed for ever. */
export const SEALED_STATUSES: readonly VersionStatus[] = ["approved", "published", "superseded"];
