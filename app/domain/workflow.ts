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
