// The coding queue's keys, shared by the page's key legend and the script that listens for them.
import type { Stance } from "~/domain/coding";

/** The key that chooses each stance. */
export const STANCE_KEYS: Record<Stance, string> = { supports: "s", opposes: "o", mixed: "m", unclear: "u" };
/** The keys that apply the suggestions, in order (and so how many suggestions the queue shows). */
export const SUGGESTION_KEYS = ["a", "b", "c", "d"] as const;
