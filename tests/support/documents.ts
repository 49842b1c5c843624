// Editing a document as a test's editor would: one clause's first paragraph replaced.
import type { DocJSON } from "~/domain/schema";

/** The document with one clause's first paragraph replaced by `text`. */
export function withClauseText<T extends DocJSON | unknown>(doc: T, clauseId: string, text: string): T {
  const copy = structuredClone(doc) as { content?: unknown[] };
  const visit = (nodes: unknown[]): void => {
    for (const node of nodes as { type: string; attrs?: { id?: string }; content?: unknown[] }[]) {
      if (node.type === "clause" && node.attrs?.id === clauseId) {
        (node.content as { content?: unknown }[])[0]!.content = [{ type: "text", text }];
      } else if (node.content) visit(node.content);
    }
  };
  visit(copy.content ?? []);
  return copy as T;
}
