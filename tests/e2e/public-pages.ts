// Every public page of the running app, found the way a visitor finds them: by following links
// from the home page (without signing in), plus pages no link leads to, such as the 404 page.

export const SPEC = "/specs/adult-external-beam-radiotherapy";

/** Pages that must be among the ones found, so a broken link cannot quietly shrink the set. */
export const REQUIRED_PUBLIC_PAGES = [
  "/",
  SPEC,
  `${SPEC}/v/0.9`,
  `${SPEC}/v/1.0`,
  `${SPEC}/compare/0.9...1.0`,
  `${SPEC}/compare/0.9...1.0?view=all`,
  `${SPEC}/compare/0.9...1.0/themes`,
  `${SPEC}/clauses/less-common-cancers`,
  `${SPEC}/clauses/host-provider`,
  `${SPEC}/clauses/access-to-radiotherapy`,
  `${SPEC}/clauses/operating-hours`,
  // Removed in 1.0.
  `${SPEC}/clauses/aim-concentrate-expertise`,
  "/themes",
  "/themes/T01",
  "/themes/T15",
  "/consultations",
  "/consultations/radiotherapy-engagement-2016",
  "/consultations/radiotherapy-consultation-2017",
  "/consultations/privacy",
  // Linked from each theme's page: the published engagement report.
  "/consultations/radiotherapy-engagement-2016/report",
  "/login",
];

/** Reached by no link, but public all the same. */
export const UNLINKED_PUBLIC_PAGES = ["/no/such/page", "/specs/no-such-specification", `${SPEC}/v/9.9`, "/consultations/no-such-consultation"];

export interface FetchedPage {
  path: string;
  status: number;
  html: string;
}

const MAX_PAGES = 400;

function linkedPaths(html: string): string[] {
  const paths: string[] = [];
  for (const match of html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)) {
    const href = match[1]!.replaceAll("&amp;", "&").replace(/#.*$/, "");
    // Same-site pages only: not other sites, not the stylesheet or scripts.
    if (!href.startsWith("/") || href.startsWith("//") || href.startsWith("/build/") || href.startsWith("/assets/")) continue;
    paths.push(href);
  }
  return paths;
}

/**
 * Fetches every HTML page reachable from `/` by links, then the unlinked ones. Downloads (Word,
 * source, CSV and JSON files) are followed but not returned, as they are not HTML.
 */
export async function fetchPublicPages(baseURL: string): Promise<FetchedPage[]> {
  const seen = new Set<string>(["/"]);
  const queue = ["/"];
  const pages: FetchedPage[] = [];
  while (queue.length) {
    if (seen.size > MAX_PAGES) throw new Error(`more than ${MAX_PAGES} public addresses: is a link generating new ones?`);
    const path = queue.shift()!;
    const response = await fetch(baseURL + path, { redirect: "follow" });
    if (!(response.headers.get("Content-Type") ?? "").startsWith("text/html")) {
      await response.arrayBuffer();
      continue;
    }
    const html = await response.text();
    pages.push({ path, status: response.status, html });
    for (const linked of linkedPaths(html)) {
      if (seen.has(linked)) continue;
      seen.add(linked);
      queue.push(linked);
    }
  }
  for (const path of UNLINKED_PUBLIC_PAGES) {
    const response = await fetch(baseURL + path);
    pages.push({ path, status: response.status, html: await response.text() });
  }
  return pages;
}
