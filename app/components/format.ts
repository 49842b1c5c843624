// One way to show dates and hashes on every page.
import { shortHash } from "~/domain/hashing";
import type { VersionStatus } from "~/domain/workflow";

const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** "28 October 2016" from an ISO 8601 date; the input unchanged when it is not a date. */
export function formatDate(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? iso : DATE.format(date);
}

export { shortHash };

export const STATUS_TEXT: Record<VersionStatus, string> = {
  draft: "Draft",
  submitted: "Submitted for approval",
  approved: "Approved",
  published: "Published",
  superseded: "Superseded",
};

export const STATUS_TAG: Record<VersionStatus, string> = {
  draft: "nhsuk-tag nhsuk-tag--grey",
  submitted: "nhsuk-tag nhsuk-tag--blue",
  approved: "nhsuk-tag nhsuk-tag--aqua-green",
  published: "nhsuk-tag nhsuk-tag--green",
  superseded: "nhsuk-tag nhsuk-tag--grey",
};
