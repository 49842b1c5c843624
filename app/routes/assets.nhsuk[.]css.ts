// NHS.UK frontend's stylesheet, served from node_modules with a long cache life.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { nhsukStylesheet } from "~/assets.server";

// Public and unchanging for a given package version, which the page puts in the query string.
export async function loader({ request }: LoaderFunctionArgs) {
  const { css, etag } = nhsukStylesheet();
  const headers = {
    "Content-Type": "text/css; charset=utf-8",
    "Cache-Control": "public, max-age=31536000, immutable",
    ETag: etag,
  };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(css, { headers });
}
