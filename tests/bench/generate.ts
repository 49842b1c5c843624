// A seeded, realistic-looking specification of a given size, for benchmarks.
import type { BlockJSON, ClauseJSON, DocJSON, SectionJSON } from "~/domain/schema";
import type { SpecSource } from "~/domain/source/parse";
import { seededRandom } from "../unit/random";

const VOCABULARY = (
  "the provider must ensure that each network will deliver radiotherapy treatment for patients with cancer " +
  "across member sites using agreed protocols peer review of contours and plans image guided intensity modulated " +
  "stereotactic ablative linear accelerator replacement workforce training research trials quality management " +
  "travel transport accommodation support commissioners oversight group host provider annual work plan data " +
  "dashboard audit waiting times standards equality rural coastal access local services specialist teams " +
  "– £130m 10\u00a0years ‘curly’ “quotes” Röntgen"
).split(" ");

export function generateSpecification(seed: number, { clauses = 600, words = 50_000 } = {}): SpecSource {
  const r = seededRandom(seed);
  const wordsPerClause = Math.max(1, Math.round(words / clauses));
  const sentence = (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(r.pick(VOCABULARY));
    return out.join(" ");
  };
  const clause = (index: number): ClauseJSON => {
    const blocks: BlockJSON[] = [];
    const listed = r.chance(0.15) ? 3 : 0;
    const mainWords = wordsPerClause - listed * 6;
    blocks.push({ type: "paragraph", content: [{ type: "text", text: `${sentence(Math.max(1, mainWords))}.` }] });
    if (listed) {
      blocks.push({
        type: "bullet_list",
        content: Array.from({ length: listed }, () => ({
          type: "list_item" as const,
          content: [{ type: "paragraph" as const, content: [{ type: "text" as const, text: `${sentence(6)};` }] }] as [
            { type: "paragraph"; content: { type: "text"; text: string }[] },
          ],
        })),
      });
    }
    return { type: "clause", attrs: { id: `c${index}` }, content: blocks as ClauseJSON["content"] };
  };
  const sections: SectionJSON[] = [];
  let made = 0;
  for (let s = 1; made < clauses; s++) {
    const subsections: SectionJSON[] = [];
    for (let sub = 1; sub <= 5 && made < clauses; sub++) {
      const children: ClauseJSON[] = [];
      for (let c = 0; c < 20 && made < clauses; c++) children.push(clause(made++));
      subsections.push({ type: "section", attrs: { id: `s${s}-${sub}`, appendix: false }, content: [{ type: "heading", content: [{ type: "text", text: sentence(3) }] }, ...children] });
    }
    sections.push({ type: "section", attrs: { id: `s${s}`, appendix: false }, content: [{ type: "heading", content: [{ type: "text", text: sentence(2) }] }, ...subsections] });
  }
  const doc: DocJSON = { type: "doc", attrs: { title: "Benchmark specification", reference: "SAMPLE-BENCH-0001S" }, content: sections };
  return { meta: { slug: "benchmark-specification", version: "1.0", label: null, date: null, status: "published" }, doc };
}

/**
 * A copy of a specification with about `fraction` of its words changed: each chosen word is
 * replaced, deleted, or has a word inserted after it.
 */
export function changeWords(source: SpecSource, fraction: number, seed: number): SpecSource {
  const r = seededRandom(seed);
  const doc = structuredClone(source.doc);
  const visit = (node: { type: string; text?: string; content?: unknown[] }) => {
    if (node.type === "text" && node.text) {
      const parts = node.text.split(/(\s+)/);
      for (let i = 0; i < parts.length; i += 2) {
        if (!r.chance(fraction)) continue;
        const choice = r.int(3);
        if (choice === 0) parts[i] = r.pick(VOCABULARY);
        else if (choice === 1 && parts.length > 1) parts[i] = "";
        else parts[i] = `${parts[i]} ${r.pick(VOCABULARY)}`;
      }
      node.text = parts.join("").replace(/ {2,}/g, " ") || "x";
    }
    for (const child of (node.content ?? []) as { type: string }[]) visit(child);
  };
  visit(doc as never);
  return { meta: { ...source.meta, version: "1.1" }, doc };
}
