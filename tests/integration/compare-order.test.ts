// A compare address reads from the older version to the newer, so that each reason explains
// the change beside it: newer-first addresses are sent round the right way, and one version
// twice is refused with a message rather than an empty list of changes.
import "./app";
import { describe, expect, it } from "vitest";
import { call, type Handler } from "./app";
import * as comparePage from "~/routes/specs.$slug.compare.$range";
import * as compareForm from "~/routes/specs.$slug.compare._index";
import * as themesPage from "~/routes/specs.$slug.compare.$range_.themes";
import * as compareDocx from "~/routes/specs.$slug.compare.$range[.]docx";
import * as comparePdf from "~/routes/specs.$slug.compare.$range[.]pdf";
import { rangeOrder } from "~/domain/version-number";
import { fileResponse, isFileDownload } from "~/http.server";

const SLUG = "adult-external-beam-radiotherapy";
const handler = (module: { loader: unknown }) => module.loader as Handler;

describe("the order of a comparison", () => {
  it("tells older-first, newer-first and the same version apart by number, not by text", () => {
    expect(rangeOrder("0.9", "1.0")).toBe("ordered");
    expect(rangeOrder("1.10", "1.9")).toBe("reversed");
    expect(rangeOrder("2.0", "2.0")).toBe("same");
  });

  it("sends a newer-first page, its themes and its downloads to the older-first address", async () => {
    const page = await call(handler(comparePage), `/specs/${SLUG}/compare/1.0...0.9?view=all`, { params: { slug: SLUG, range: "1.0...0.9" } });
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe(`/specs/${SLUG}/compare/0.9...1.0?view=all`);
    const themes = await call(handler(themesPage), `/specs/${SLUG}/compare/1.0...0.9/themes`, { params: { slug: SLUG, range: "1.0...0.9" } });
    expect(themes.headers.get("Location")).toBe(`/specs/${SLUG}/compare/0.9...1.0/themes`);
    const docx = await call(handler(compareDocx), `/specs/${SLUG}/compare/1.0...0.9.docx`, { params: { slug: SLUG, range: "1.0...0.9" } });
    expect(docx.headers.get("Location")).toBe(`/specs/${SLUG}/compare/0.9...1.0.docx`);
    const pdf = await call(handler(comparePdf), `/specs/${SLUG}/compare/1.0...0.9.pdf`, { params: { slug: SLUG, range: "1.0...0.9" } });
    expect(pdf.headers.get("Location")).toBe(`/specs/${SLUG}/compare/0.9...1.0.pdf`);
  });

  it("puts versions chosen the wrong way round on the compare form in order", async () => {
    const response = await call(handler(compareForm), `/specs/${SLUG}/compare?from=1.0&to=0.9`, { params: { slug: SLUG } });
    expect(response.headers.get("Location")).toBe(`/specs/${SLUG}/compare/0.9...1.0`);
  });

  it("refuses one version twice, saying so, on the page and for downloads", async () => {
    const page = await call(handler(comparePage), `/specs/${SLUG}/compare/1.0...1.0`, { params: { slug: SLUG, range: "1.0...1.0" } });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("You chose version 1.0 twice");
    const pdf = await call(handler(comparePdf), `/specs/${SLUG}/compare/1.0...1.0.pdf`, { params: { slug: SLUG, range: "1.0...1.0" } });
    expect(pdf.status).toBe(404);
    expect(await pdf.text()).toContain("You chose version 1.0 twice");
  });

  it("keeps the redline JSON, a contract for other tools, in the order asked", async () => {
    const file = await handler(comparePage)({ request: new Request(`http://localhost/specs/${SLUG}/compare/1.0...0.9.json`), params: { slug: SLUG, range: "1.0...0.9.json" }, context: {} });
    if (!isFileDownload(file)) throw new Error("the loader did not answer with a file");
    const json = fileResponse(file);
    const body = (await json.json()) as { from: { version: string }; to: { version: string } };
    expect([body.from.version, body.to.version]).toEqual(["1.0", "0.9"]);
  });
});
