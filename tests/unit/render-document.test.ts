// Rendering a page to a whole document: characters kept whole, Suspense awaited, data scripts in <body>.
import { createElement as h, Fragment, Suspense, type ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import { completeDocument, renderDocument } from "~/render-document.server";

const page = (body: ReactNode, after: ReactNode = null) =>
  h(Fragment, null, h("html", { lang: "en-GB" }, h("head", null, h("title", null, "t")), h("body", null, body)), after);

/** Suspends until `promise` settles, as Remix's single-fetch data transfer does. */
function suspending(promise: Promise<string>): () => ReactNode {
  let value: string | undefined;
  promise.then((v) => (value = v));
  return function Waiting() {
    if (value === undefined) throw promise;
    return h("script", { dangerouslySetInnerHTML: { __html: value } });
  };
}

const render = (node: ReactNode, timeoutMs = 10_000) => renderDocument(node, { nonce: "n0nce", timeoutMs });

describe("rendering a page to a document", () => {
  it("keeps every multi-byte character whole wherever the renderer's chunks end", async () => {
    // Many short paragraphs of two-, three- and four-byte characters, with every length of
    // padding, so that each kind of character falls across a chunk boundary (React's chunks are
    // 512 or 2,048 bytes). React 18.3's Node stream pads such a chunk with NUL bytes.
    const tail = "·é–€😀";
    for (let padding = 0; padding < 32; padding += 1) {
      const texts = Array.from({ length: 400 }, () => "a".repeat(padding) + tail);
      const html = await render(page(texts.map((text, i) => h("p", { key: i }, text))));
      expect(html.includes("\u0000"), `a NUL byte with ${padding} characters of padding`).toBe(false);
      expect(html).toContain(`<body>${texts.map((text) => `<p>${text}</p>`).join("")}</body>`);
    }
  });

  it("waits for suspended parts, and puts what Remix renders after <html> inside <body>", async () => {
    let resolve!: (v: string) => void;
    const data = new Promise<string>((r) => (resolve = r));
    const Data = suspending(data);
    const rendering = render(page(h("p", null, "text"), h(Suspense, null, h(Data))));
    resolve("window.data = 1;");
    const html = await rendering;
    expect(html.startsWith("<!DOCTYPE html><html")).toBe(true);
    expect(html.endsWith("</body></html>")).toBe(true);
    expect(html).toMatch(/<body><p>text<\/p>(<!--\$-->)?<script>window\.data = 1;<\/script>(<!--\/\$-->)?<\/body><\/html>$/);
  });

  it("fails when any part fails, so the error page is shown instead of a page with a hole", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    function Broken(): ReactNode {
      throw new Error("a part of the page failed");
    }
    await expect(render(page(h(Suspense, { fallback: "…" }, h(Broken))))).rejects.toThrow("a part of the page failed");
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it("gives up on a page that never finishes rendering", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const Never = suspending(new Promise<string>(() => undefined));
    await expect(render(page(h(Suspense, { fallback: "…" }, h(Never))), 50)).rejects.toThrow("the page took over 50 ms to render");
    error.mockRestore();
  });
});

describe("completing a document", () => {
  it.each([
    ["adds the doctype", "<html><body></body></html>", "<!DOCTYPE html><html><body></body></html>"],
    ["keeps one doctype", "<!DOCTYPE html><html><body></body></html>", "<!DOCTYPE html><html><body></body></html>"],
    ["moves scripts after </html> to the end of <body>", "<html><body><p>x</p></body></html><script>a</script><!--$--><script>b</script><!--/$-->", "<!DOCTYPE html><html><body><p>x</p><script>a</script><!--$--><script>b</script><!--/$--></body></html>"],
    ["leaves a fragment without </body></html> as it is", "<p>x</p>", "<!DOCTYPE html><p>x</p>"],
  ])("%s", (_name, html, expected) => {
    expect(completeDocument(html)).toBe(expected);
  });
});
