// Re-validates a document sent by the editor instead of trusting it: the schema, every id,
// every link, the text itself and the size; then gives it in canonical form, the form that
// the source format writes and reads back unchanged.
import { clauseCount, MAX_CLAUSES } from "./document";
import { canonicalJson } from "./hashing";
import { isValidId } from "./ids";
import { specSchema, type DocJSON } from "./schema";
import { parseSpec } from "./source/parse";
import { writeSpec } from "./source/write";

export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

export type DocumentCheck = { ok: true; doc: DocJSON; normalized: boolean } | { ok: false; error: string };

interface NodeLike {
  type?: unknown;
  attrs?: unknown;
  content?: unknown;
  marks?: unknown;
  text?: unknown;
}

function attrProblem(kind: string, name: string, attrs: unknown, allowed: string[]): string | null {
  if (attrs === undefined) return null;
  if (typeof attrs !== "object" || attrs === null || Array.isArray(attrs)) return `${kind} "${name}" has attributes that are not an object`;
  const unknown = Object.keys(attrs).filter((key) => !allowed.includes(key));
  return unknown.length ? `${kind} "${name}" has unknown attribute "${unknown[0]}"` : null;
}

/** Walks the raw JSON for what the schema would silently drop or cannot see. */
function shapeProblem(value: unknown, ids: Set<string>, depth = 0): string | null {
  if (depth > 40) return "the document is nested too deeply";
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "every node must be an object";
  const node = value as NodeLike;
  if (typeof node.type !== "string" || !specSchema.nodes[node.type]) return `unknown node type ${JSON.stringify(node.type)}`;
  const nodeType = specSchema.nodes[node.type]!;
  const problem = attrProblem("node", node.type, node.attrs, Object.keys(nodeType.spec.attrs ?? {}));
  if (problem) return problem;
  if (node.type === "section" || node.type === "clause") {
    const id = (node.attrs as { id?: unknown } | undefined)?.id;
    if (typeof id !== "string" || !isValidId(id)) return `a ${node.type} has an invalid id ${JSON.stringify(id)}: ids match [a-z0-9][a-z0-9-]*`;
    if (ids.has(id)) return `the id "${id}" is used twice`;
    ids.add(id);
  }
  if (node.type === "text") {
    if (typeof node.text !== "string" || node.text === "") return "a text node has no text";
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(node.text)) return "text may not contain line breaks or control characters";
  }
  if (node.marks !== undefined) {
    if (!Array.isArray(node.marks)) return "marks must be a list";
    for (const mark of node.marks as NodeLike[]) {
      if (typeof mark?.type !== "string" || !specSchema.marks[mark.type]) return `unknown mark ${JSON.stringify(mark?.type)}`;
      const markProblem = attrProblem("mark", mark.type, mark.attrs, Object.keys(specSchema.marks[mark.type]!.spec.attrs ?? {}));
      if (markProblem) return markProblem;
    }
  }
  if (node.content !== undefined) {
    if (!Array.isArray(node.content)) return "content must be a list";
    for (const child of node.content) {
      const childProblem = shapeProblem(child, ids, depth + 1);
      if (childProblem) return childProblem;
    }
  }
  return null;
}

export function checkDocument(value: unknown): DocumentCheck {
  const size = new TextEncoder().encode(JSON.stringify(value) ?? "").length;
  if (size > MAX_DOCUMENT_BYTES) return { ok: false, error: `the document is ${size} bytes; the limit is ${MAX_DOCUMENT_BYTES}` };
  const shape = shapeProblem(value, new Set());
  if (shape) return { ok: false, error: shape };
  if ((value as NodeLike).type !== "doc") return { ok: false, error: "the top node must be a doc" };
  try {
    specSchema.nodeFromJSON(value).check();
  } catch (error) {
    return { ok: false, error: `the document does not fit the schema: ${error instanceof Error ? error.message : String(error)}` };
  }
  const doc = value as DocJSON;
  if (!doc.attrs?.title?.trim()) return { ok: false, error: "the specification needs a title" };
  const clauses = clauseCount(doc);
  if (clauses > MAX_CLAUSES) return { ok: false, error: `the document has ${clauses} clauses; the limit is ${MAX_CLAUSES}` };
  // The canonical form: written in the source format and read back.
  const written = writeSpec({ meta: { slug: "check", version: "0", label: null, date: null, status: null }, doc });
  const reread = parseSpec(written, "document");
  if (!reread.ok) {
    const first = reread.problems[0]!.message;
    return { ok: false, error: first === "heading has no text: expected # Title {#id}" ? "every section needs a heading" : first };
  }
  const normalized = canonicalJson(reread.source.doc) !== canonicalJson(doc);
  return { ok: true, doc: reread.source.doc, normalized };
}
