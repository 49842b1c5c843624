// Re-validates a document sent by the editor instead of trusting it: the schema, every id,
// every link, the text itself and the size; then gives it in canonical form, the form that
// the source format writes and reads back unchanged.
import { clauseCount, MAX_CLAUSES } from "./document";
import { canonicalJson } from "./hashing";
import { isValidId } from "./ids";
import { specSchema, type DocJSON } from "./schema";
import { parseSpec } from "./source/parse";
import { writeSpec } from "./source/write";
import { textProblem } from "./text-policy";

export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

export type DocumentCheck = { ok: true; doc: DocJSON; normalized: boolean } | { ok: false; error: string };

interface NodeLike {
  type?: unknown;
  attrs?: unknown;
  content?: unknown;
  marks?: unknown;
  text?: unknown;
}

function attrProblem(kind: string, name: string, attrs: unknown, allowed: string[], within = "the document"): string | null {
  if (attrs === undefined) return null;
  if (typeof attrs !== "object" || attrs === null || Array.isArray(attrs)) return `${kind} "${name}" has attributes that are not an object`;
  const unknown = Object.keys(attrs).filter((key) => !allowed.includes(key));
  if (unknown.length) return `${kind} "${name}" has unknown attribute "${unknown[0]}"`;
  // Titles, references and link addresses are shown as text too, so the text policy holds.
  for (const [key, value] of Object.entries(attrs)) {
    const problem = typeof value === "string" ? textProblem(value) : null;
    if (!problem) continue;
    const what = name === "doc" ? `the specification's ${key}` : key === "href" ? `a link address in ${within}` : `the ${key} of a ${name} in ${within}`;
    return `${what} ${problem}`;
  }
  return null;
}

/**
 * Walks the raw JSON for what the schema would silently drop or cannot see. `within` names the
 * nearest clause or section, so that a problem says where it is without quoting the text.
 */
function shapeProblem(value: unknown, ids: Set<string>, depth = 0, within = "the document"): string | null {
  if (depth > 40) return "the document is nested too deeply";
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "every node must be an object";
  const node = value as NodeLike;
  if (typeof node.type !== "string" || !specSchema.nodes[node.type]) return `unknown node type ${JSON.stringify(node.type)}`;
  const nodeType = specSchema.nodes[node.type]!;
  const problem = attrProblem("node", node.type, node.attrs, Object.keys(nodeType.spec.attrs ?? {}), within);
  if (problem) return problem;
  if (node.type === "section" || node.type === "clause") {
    const id = (node.attrs as { id?: unknown } | undefined)?.id;
    if (typeof id !== "string" || !isValidId(id)) return `a ${node.type} has an invalid id ${JSON.stringify(id)}: ids match [a-z0-9][a-z0-9-]*`;
    if (ids.has(id)) return `the id "${id}" is used twice`;
    ids.add(id);
    within = `${node.type} “${id}”`;
  }
  if (node.type === "text") {
    if (typeof node.text !== "string" || node.text === "") return "a text node has no text";
    const problem = textProblem(node.text);
    if (problem) return `text in ${within} ${problem}`;
  }
  if (node.marks !== undefined) {
    if (!Array.isArray(node.marks)) return "marks must be a list";
    for (const mark of node.marks as NodeLike[]) {
      if (typeof mark?.type !== "string" || !specSchema.marks[mark.type]) return `unknown mark ${JSON.stringify(mark?.type)}`;
      const markProblem = attrProblem("mark", mark.type, mark.attrs, Object.keys(specSchema.marks[mark.type]!.spec.attrs ?? {}), within);
      if (markProblem) return markProblem;
    }
  }
  if (node.content !== undefined) {
    if (!Array.isArray(node.content)) return "content must be a list";
    for (const child of node.content) {
      const childProblem = shapeProblem(child, ids, depth + 1, within);
      if (childProblem) return childProblem;
    }
  }
  return null;
}

export function checkDocument(value: unknown): DocumentCheck {
  // The shape first: its walk stops at a depth limit, while measuring the size (JSON.stringify)
  // recurses as deep as the value goes and overflows the stack on a hostile one.
  const shape = shapeProblem(value, new Set());
  if (shape) return { ok: false, error: shape };
  const size = new TextEncoder().encode(JSON.stringify(value)).length;
  if (size > MAX_DOCUMENT_BYTES) return { ok: false, error: `the document is ${size} bytes; the limit is ${MAX_DOCUMENT_BYTES}` };
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
