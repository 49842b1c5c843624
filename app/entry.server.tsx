// Renders each page whole before sending it, so every page reads fully without JavaScript.
import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { randomBytes } from "node:crypto";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/nonce";
import { fileResponse, isFileDownload } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";

// Open, migrate and seed the database as the server starts, not on the first request.
getDatabase().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

const RENDER_TIMEOUT_MS = 10_000;

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // ProseMirror sets a few style attributes on editor nodes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const { loaderData, matches } = remixContext.staticHandlerContext;
  const leaf = matches[matches.length - 1];
  const leafData = leaf ? loaderData[leaf.route.id] : undefined;
  if (responseStatusCode === 200 && isFileDownload(leafData)) return fileResponse(leafData);

  // A fresh nonce per page: only scripts that carry it run.
  const nonce = randomBytes(16).toString("base64");
  responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(nonce));

  return new Promise<Response>((resolve, reject) => {
    let failed = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={RENDER_TIMEOUT_MS} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: failed ? 500 : responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          failed = true;
          console.error(error);
        },
      },
    );
    setTimeout(abort, RENDER_TIMEOUT_MS + 1000);
  });
}
