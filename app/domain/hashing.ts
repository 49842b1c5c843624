// Canonical JSON (sorted keys, no insignificant whitespace) and the sha256 hashes built on it.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { DocJSON } from "./schema";

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) sorted[key] = sortKeys(field);
    }
    return sorted;
  }
  return value;
}

const encoder = new TextEncoder();

export function sha256Of(text: string): string {
  return `sha256:${bytesToHex(sha256(encoder.encode(text)))}`;
}

/** A version's content hash: over its document tree only, never its label, date or status. */
export function contentHash(doc: DocJSON): string {
  return sha256Of(canonicalJson(doc));
}

export function shortHash(hash: string): string {
  return hash.replace(/^sha256:/, "").slice(0, 10);
}
