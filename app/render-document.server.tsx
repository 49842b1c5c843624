// Renders a page to one complete, valid HTML document as text: every Suspense boundary resolved,
// no character split between chunks, and Remix's single-fetch data scripts inside <body>.
import type { ReactNode } from "react";
// The Web Streams renderer, not Node's renderToPipeableStream: React 18.3's Node stream pads a
// chunk with NUL bytes when a multi-byte character does not fit at its end (react#31134), and the
// Web Streams one encodes whole strings, so its bytes are always valid UTF-8.
import { renderToReadableStream } from "react-dom/server.browser";

const DOCTYPE = "<!DOCTYPE html>";
const DOCUMENT_END = "</body></html>";

/**
 * The whole page as text once everything in it has rendered. Rejects if any part failed to
 * render (so Remix renders the error page instead of a page with a hole), or took too long.
 */
export async function renderDocument(page: ReactNode, options: { nonce: string; timeoutMs: number }): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`the page took over ${options.timeoutMs} ms to render`)), options.timeoutMs);
  let failure: unknown;
  try {
    const stream = await renderToReadableStream(page, {
      nonce: options.nonce,
      signal: controller.signal,
      onError(error: unknown) {
        failure ??= error;
        console.error(error);
      },
    });
    await stream.allReady;
    // Decoding the bytes as one body means no character can be cut at a chunk boundary.
    const html = await new Response(stream).text();
    if (failure !== undefined) throw failure;
    return completeDocument(html);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the document with its doctype and ends it with </body></html>. Remix renders its
 * single-fetch data scripts beside the <html> element, so React writes them after </html>, where
 * HTML allows nothing; browsers move them into <body> as they parse, so putting them there in the
 * text gives the same page (and the same hydration) as valid HTML.
 */
export function completeDocument(html: string): string {
  const withoutDoctype = /^<!doctype html>/i.test(html) ? html.slice(DOCTYPE.length) : html;
  const end = withoutDoctype.lastIndexOf(DOCUMENT_END);
  if (end === -1) return DOCTYPE + withoutDoctype;
  const trailing = withoutDoctype.slice(end + DOCUMENT_END.length);
  return DOCTYPE + withoutDoctype.slice(0, end) + trailing + DOCUMENT_END;
}
