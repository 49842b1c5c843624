// The compare page and its Word download for a pair whose changes are formatting and a move,
// through the route's loader on a database seeded from a folder of our own.
import { NEWER, OLDER, SLUG } from "./formatting-specs";
import { call } from "./app";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { parseSpec } from "~/domain/source/parse";
import { fileResponse, isFileDownload } from "~/http.server";
import * as compare from "~/routes/specs.$slug.compare.$range";
import * as compareDocx from "~/routes/specs.$slug.compare.$range[.]docx";
import { formattedLines, readDocx } from "../unit/exports/docx-text";
import { versionFormattedLines } from "../unit/exports/readings";


const loader = compare.loader as (args: LoaderFunctionArgs) => unknown;
const doc = (source: string) => {
  const parsed = parseSpec(new TextEncoder().encode(source));
  if (!parsed.ok) throw new Error("the sample did not parse");
  return parsed.source.doc;
};

describe("comparing versions whose changes are formatting and a move", () => {
  it("lists the formatting-only clauses among the changes, with what changed", async () => {
    const response = await call(loader as never, `/specs/${SLUG}/compare/1.0...1.1`, { params: { slug: SLUG, range: "1.0...1.1" } });
    expect(response.status).toBe(200);
    const data = (await response.json()) as { formatted: number; summary: Record<string, number>; rows: { id: string; status: string; formatting?: { text: string }[] }[] };
    expect(data.formatted).toBe(2);
    expect(data.summary).toMatchObject({ modified: 0, moved: 1, unchanged: 4 });
    expect(data.rows.map((r) => [r.id, r.status, r.formatting?.map((f) => f.text) ?? []])).toEqual([
      ["c-sites", "moved", []],
      ["c-must", "unchanged", ["must", "NICE guidance", "national strategy"]],
      ["c-data", "unchanged", ["the dataset", "details"]],
    ]);
  });

  it("downloads a Word file that gives each version, with its formatting, when changes are accepted or rejected", async () => {
    // A download comes back as a file for entry.server to send.
    const file = await (compareDocx.loader as (args: LoaderFunctionArgs) => unknown)({ request: new Request(`http://localhost/specs/${SLUG}/compare/1.0...1.1.docx`), params: { slug: SLUG, range: "1.0...1.1" }, context: {} });
    if (!isFileDownload(file)) throw new Error("the loader did not answer with a file");
    const response = fileResponse(file);
    expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    const docx = new Uint8Array(await response.arrayBuffer());
    expect(formattedLines(readDocx(docx, "accept")).slice(2, -1)).toEqual(versionFormattedLines(doc(NEWER)));
    expect(formattedLines(readDocx(docx, "reject")).slice(2, -1)).toEqual(versionFormattedLines(doc(OLDER)));
  });
});
