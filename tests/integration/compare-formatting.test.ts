// The compare page and its Word download for a pair whose changes are formatting and a move,
// through the route's loader on a database seeded from a folder of our own.
import { call } from "./app";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { parseSpec } from "~/domain/source/parse";
import { fileResponse, isFileDownload } from "~/http.server";
import * as compare from "~/routes/specs.$slug.compare.$range";
import * as compareDocx from "~/routes/specs.$slug.compare.$range[.]docx";
import { formattedLines, readDocx } from "../unit/exports/docx-text";
import { versionFormattedLines } from "../unit/exports/readings";

const SLUG = "sample-formatting";
const front = (version: string, status: string) => `---\nslug: ${SLUG}\ntitle: Sample formatting\nreference: SAMPLE-RT-0002S\nversion: ${version}\ndate: 2017-0${version === "1.0" ? 1 : 2}-01\nstatus: ${status}\n---\n\n`;
const OLDER =
  front("1.0", "superseded") +
  "# Scope {#scope}\n\n{#c-must} Providers **must** follow [NICE guidance](https://www.nice.org.uk/) and the *national strategy*.\n\n{#c-data} See [the dataset](https://example.org/old) for details.\n\n" +
  "# Premises {#premises}\n\n{#c-sites} Treatment is given at member sites.\n";
const NEWER =
  front("1.1", "published") +
  "# Scope {#scope}\n\n{#c-sites} Treatment is given at member sites.\n\n{#c-must} Providers *must* follow [NICE guidance](https://www.nice.org.uk/guidance) and the [national strategy](https://www.england.nhs.uk/).\n\n{#c-data} See the dataset for **details**.\n\n" +
  "# Premises {#premises}\n";

const specs = mkdtempSync(path.join(tmpdir(), "specwork-specs-"));
mkdirSync(path.join(specs, SLUG));
writeFileSync(path.join(specs, SLUG, "1.0.md"), OLDER);
writeFileSync(path.join(specs, SLUG, "1.1.md"), NEWER);
process.env.SPECS_DIR = specs;

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
