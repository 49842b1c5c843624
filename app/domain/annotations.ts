// What an annotation is: its kinds, who may read it, and whether its thread is open. Each list
// is defined here once; the database, the forms, the APIs and the pages all take it from here.

export const ANNOTATION_KINDS = ["comment", "question", "proposal"] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/** Staff annotations never leave staff pages; public ones show on published pages. */
export const VISIBILITIES = ["staff", "public"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const THREAD_STATUSES = ["open", "resolved"] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

/** The longest annotation or reply. */
export const MAX_ANNOTATION_LENGTH = 10_000;

/** How each kind and visibility reads on a page. */
export const KIND_TEXT: Record<AnnotationKind, string> = { comment: "Comment", question: "Question", proposal: "Proposed wording" };
export const VISIBILITY_TEXT: Record<Visibility, string> = { staff: "Staff only", public: "Everyone (shown on public pages)" };

/**
 * An author's name as a page shows it. Names are never email addresses (the accounts form
 * refuses one), but an account made before that rule could have one: a page then says who in
 * general words rather than show the address.
 */
export function authorShown(name: string): string {
  return /\S+@\S+/.test(name) ? "A member of staff" : name;
}
