// The download routes' one shape: find the public version (or comparison) named in the URL,
// answer 404 with a clear message when there is none, and send the file under a readable name,
// cached like the page it comes from.
import { redirect } from "@remix-run/node";
import { rangeOrder } from "~/domain/version-number";
import { fileDownload, notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { etagOf } from "~/page-cache.server";
import { comparePublicVersions, type Comparison } from "~/models/compare.server";
import { comparisonAttribution, publicVersionDocument, type ComparisonAttribution } from "~/models/downloads.server";
import { downloadName, type VersionDocumentInput } from "./version-facts";

/**
 * Files already written, by what they are made from: a published version's content never
 * changes, so the same version (with the same status, label and date), or the same two versions
 * with the same authors and reasons, give the same file. Writing a large PDF takes the server
 * a good part of a second, so a burst of downloads writes it once. Kept within a budget, oldest
 * out first.
 */
const written = new Map<string, Uint8Array>();
const CACHE_BYTES = 64 * 1024 * 1024;
let cachedBytes = 0;

/** Files being written now: a second request for the same file waits for the first. */
const writing = new Map<string, Promise<Uint8Array>>();

async function cached(key: string, write: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const hit = written.get(key);
  if (hit) {
    written.delete(key);
    written.set(key, hit);
    return hit;
  }
  const pending = writing.get(key);
  if (pending) return pending;
  const promise = write();
  writing.set(key, promise);
  try {
    const bytes = await promise;
    written.set(key, bytes);
    cachedBytes += bytes.length;
    for (const [oldest, file] of written) {
      if (cachedBytes <= CACHE_BYTES) break;
      written.delete(oldest);
      cachedBytes -= file.length;
    }
    return bytes;
  } finally {
    writing.delete(key);
  }
}

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
export const PDF_TYPE = "application/pdf";

/** A published version written by `write`, or the 404 that says there is no such version. */
export async function versionDownload(
  request: Request,
  params: { slug?: string; version?: string },
  kind: { type: string; name: (input: VersionDocumentInput) => string; write: (input: VersionDocumentInput) => Promise<Uint8Array> },
) {
  const slug = params.slug ?? "";
  const number = params.version ?? "";
  const db = await getDatabase();
  const found = await publicVersionDocument(db, slug, number);
  if (!found.ok) {
    if (found.missing === "specification") throw notFound(`There is no specification called “${slug}”, so there is nothing to download.`);
    throw notFound(`${found.title} has no published version “${number}” to download. Only published versions can be downloaded.`, {
      href: `/specs/${found.slug}`,
      text: "See the published versions of this specification",
    });
  }
  const { input } = found;
  const key = JSON.stringify([kind.type, input.slug, input.number, input.contentHash, input.title, input.reference, input.label, input.date, input.status]);
  const bytes = await cached(key, () => kind.write(input));
  return fileDownload(bytes, kind.type, kind.name(input), request, etagOf(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
}

/** "0.9...1.0" from a compare download's address. */
function rangeOf(range: string | undefined): { from: string; to: string } | null {
  const match = /^(.+?)\.\.\.(.+)$/.exec(range ?? "");
  return match ? { from: match[1]!, to: match[2]! } : null;
}

/** The comparison of two published versions written by `write`, or the 404 that says which is missing. */
export async function compareDownload(
  request: Request,
  params: { slug?: string; range?: string },
  kind: { type: string; extension: string; write: (comparison: Comparison, attribution: ComparisonAttribution) => Promise<Uint8Array> },
) {
  const slug = params.slug ?? "";
  const range = rangeOf(params.range);
  if (!range) {
    throw notFound(`“${params.range ?? ""}” is not a pair of versions. Comparison downloads look like /specs/${slug}/compare/0.9...1.0${kind.extension}.`, {
      href: `/specs/${slug}`,
      text: "Choose versions to compare",
    });
  }
  const order = rangeOrder(range.from, range.to);
  if (order === "same") throw notFound(`You chose version ${range.from} twice, so there are no changes to download. Choose two different versions.`, { href: `/specs/${slug}#sw_compare`, text: "Choose versions to compare" });
  // Older to newer, as on the compare page, so that each reason explains the change beside it.
  if (order === "reversed") throw redirect(`/specs/${slug}/compare/${range.to}...${range.from}${kind.extension}`);
  const db = await getDatabase();
  const result = await comparePublicVersions(db, slug, range.from, range.to);
  if (!result.ok) {
    if (result.missing === "specification") throw notFound(`There is no specification called “${slug}”, so there is nothing to download.`);
    const number = result.missing === "from" ? range.from : range.to;
    throw notFound(`${result.title} has no published version “${number}”, so these changes cannot be downloaded. Only published versions can be compared.`, {
      href: `/specs/${slug}`,
      text: "See the published versions of this specification",
    });
  }
  const { from, to } = result.comparison;
  // Who wrote what is read each time (a name can change); the file is written again only when
  // that, or either version, differs from the last time.
  const attribution = await comparisonAttribution(db, result.comparison);
  const key = JSON.stringify([kind.type, ...[from, to].map((v) => [v.id, v.content_hash, v.status, v.label, v.date, v.title]), result.comparison.specification, attribution.fallback, [...attribution.items], [...attribution.reasons]]);
  const bytes = await cached(key, () => kind.write(result.comparison, attribution));
  return fileDownload(bytes, kind.type, `${downloadName(slug, from.number, "to", to.number)}${kind.extension}`, request, etagOf(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
}
