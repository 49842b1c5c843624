// Why a rule refused something, as a kind and a message in words. The domain and the models
// throw these; each route turns the kind into its HTTP status (invalid 400, forbidden 403,
// not-found 404, conflict 409), so no model knows about HTTP.

export const FAILURE_KINDS = ["invalid", "forbidden", "not-found", "conflict"] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** Input that breaks a rule: say which, and how to put it right. */
export const invalid = (message: string) => new DomainError("invalid", message);
/** The person asking may not do this. */
export const forbidden = (message: string) => new DomainError("forbidden", message);
/** There is no such thing, or not for the person asking. */
export const notFound = (message: string) => new DomainError("not-found", message);
/** It cannot be done in the state things are in now. */
export const conflict = (message: string) => new DomainError("conflict", message);
