// Versions of a specification: importing them from source files and reading them back.
import { conflict } from "~/domain/errors";
import type { Db, VersionItemRow, VersionRow } from "./db.server";
import { now } from "./db.server";
import { documentItems, clauseCount } from "~/domain/document";
import { contentHash } from "~/domain/hashing";
import type { DocJSON } from "~/domain/schema";
import type { SpecSource } from "~/domain/source/parse";
import { writeSpec } from "~/domain/source/write";
import { compareVersionNumbers } from "~/domain/version-number";
import { isPublic, PUBLIC_STATUSES, SEALED_STATUSES, type VersionStatus } from "~/domain/workflow";
import { EMPTY_DOC, inheritContributions, publishedAncestor, recordSavedParts } from "./contributions.server";
import { snapshotVersionThemes } from "./themes.server";
import { fillClauseHistory } from "./clause-history.server";
import { systemUserId } from "./users.server";

export interface Version extends Omit<VersionRow, "content_json"> {
  doc: DocJSON;
  slug: string;
  reference: string;
}

export type ImportOutcome =
  | { status: "created"; slug: string; number: string; hash: string }
  | { status: "unchanged"; slug: string; number: string; hash: string };

/**
 * Stores one parsed file as a version, creating its specification if new. Idempotent by content
 * hash: the same content again changes nothing; different content under a stored number is refused.
 */
export async function importVersion(db: Db, source: SpecSource, createdBy: string): Promise<ImportOutcome> {
  const { meta, doc } = source;
  const hash = contentHash(doc);
  const at = now();
  let spec = await db.selectFrom("specifications").selectAll().where("slug", "=", meta.slug).executeTakeFirst();
  if (!spec) {
    spec = await db
      .insertInto("specifications")
      .values({ slug: meta.slug, title: doc.attrs.title, reference: doc.attrs.reference, created_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  const siblings = await db
    .selectFrom("versions")
    .select(["id", "number", "content_hash", "label", "date", "status"])
    .where("specification_id", "=", spec.id)
    .execute();
  const existing = siblings.find((v) => v.number === meta.version);
  if (existing) {
    if (existing.content_hash === hash) {
      const differences = metadataDifferences(existing, meta);
      if (differences.length) {
        throw conflict(
          `version ${meta.version} of ${meta.slug} is already stored with the same content but ${differences.join(", ")}; ` +
            "nothing was changed (a stored version's status, label and date change through the workflow, not by import)",
        );
      }
      return { status: "unchanged", slug: meta.slug, number: meta.version, hash };
    }
    throw conflict(
      `version ${meta.version} of ${meta.slug} is already stored with different content (${existing.content_hash}); ` +
        "stored versions never change, so give the file a new version number",
    );
  }
  const parent = siblings
    .filter((v) => compareVersionNumbers(v.number, meta.version) < 0)
    .sort((a, b) => compareVersionNumbers(b.number, a.number))[0];
  const version = await db
    .insertInto("versions")
    .values({
      specification_id: spec.id,
      number: meta.version,
      label: meta.label,
      date: meta.date,
      status: meta.status ?? "draft",
      parent_id: parent?.id ?? null,
      parent_hash: parent?.content_hash ?? null,
      title: doc.attrs.title,
      content_json: JSON.stringify(doc),
      content_hash: hash,
      clause_count: clauseCount(doc),
      created_at: at,
      created_by: createdBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await storeItems(db, version.id, doc);
  // A public version's clauses and its changes from its neighbours, for clause histories.
  if (isPublic(meta.status ?? "draft")) await fillClauseHistory(db, spec.id, { touching: version.id, docs: new Map([[version.id, doc]]) });
  if (!isPublic(meta.status ?? "draft") && meta.status !== "approved") await startImportedDraft(db, version.id, doc, hash, parent?.id ?? null);
  // The specification's title and reference follow its highest-numbered version.
  if (siblings.every((v) => compareVersionNumbers(v.number, meta.version) < 0)) {
    await db
      .updateTable("specifications")
      .set({ title: doc.attrs.title, reference: doc.attrs.reference })
      .where("id", "=", spec.id)
      .execute();
  }
  return { status: "created", slug: meta.slug, number: meta.version, hash };
}

/**
 * An imported draft gets its revision 0, so a late save can be merged against it. It carries
 * the contributions of an unpublished parent (whose wording it may well copy), and whatever
 * differs from its nearest published ancestor is also recorded as written by the import account.
 */
async function startImportedDraft(db: Db, versionId: number, doc: DocJSON, hash: string, parentId: number | null): Promise<void> {
  const system = await systemUserId(db);
  await db.insertInto("draft_revisions").values({ version_id: versionId, revision: 0, content_json: JSON.stringify(doc), content_hash: hash, saved_by: system, saved_at: now(), request_id: null, request_hash: null }).execute();
  const parent = parentId === null ? undefined : await db.selectFrom("versions").select(["id", "status"]).where("id", "=", parentId).executeTakeFirst();
  if (parent) await inheritContributions(db, parent, versionId);
  const published = await publishedAncestor(db, versionId);
  await recordSavedParts(db, versionId, system, 0, published ?? EMPTY_DOC, doc);
}

/** Seals every approved, published or superseded version not yet sealed: the end of an import. */
export async function sealFixedVersions(db: Db): Promise<number> {
  const sealing = await db.selectFrom("versions").select("id").where("status", "in", SEALED_STATUSES).where("sealed_at", "is", null).execute();
  for (const version of sealing) await snapshotVersionThemes(db, version.id);
  const result = await db.updateTable("versions").set({ sealed_at: now() }).where("status", "in", SEALED_STATUSES).where("sealed_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** What a file says about a stored version that differs from what is stored; unstated fields never differ. */
function metadataDifferences(
  stored: { label: string | null; date: string | null; status: VersionStatus },
  meta: SpecSource["meta"],
): string[] {
  const differences: string[] = [];
  const compare = (field: string, file: string | null, kept: string | null) => {
    if (file !== null && file !== kept) differences.push(`${field} "${kept ?? ""}" (the file says "${file}")`);
  };
  compare("status", meta.status, stored.status);
  compare("label", meta.label, stored.label);
  compare("date", meta.date, stored.date);
  return differences;
}

/** A version's derived sections and clauses (numbers, plain text, text hashes), in batches. */
export async function storeItems(db: Db, versionId: number, doc: DocJSON): Promise<void> {
  const items = documentItems(doc);
  for (let start = 0; start < items.length; start += 200) {
    await db
      .insertInto("version_items")
      .values(
        items.slice(start, start + 200).map((item, k) => ({
          version_id: versionId,
          item_id: item.id,
          kind: item.kind,
          number: item.number,
          parent_id: item.parentId,
          position: item.position,
          ordinal: start + k,
          plain_text: item.plainText,
          text_hash: item.textHash,
        })),
      )
      .execute();
  }
}

export interface VersionSummary {
  number: string;
  label: string | null;
  date: string | null;
  status: VersionStatus;
  contentHash: string;
  clauseCount: number;
  createdAt: string;
}

/** The versions of a specification that the public may read, newest first. */
export async function listPublicVersions(db: Db, specificationId: number): Promise<VersionSummary[]> {
  const rows = await db
    .selectFrom("versions")
    .select(["number", "label", "date", "status", "content_hash", "clause_count", "created_at"])
    .where("specification_id", "=", specificationId)
    .where("status", "in", PUBLIC_STATUSES)
    .execute();
  return rows
    .sort((a, b) => compareVersionNumbers(b.number, a.number))
    .map((r) => ({
      number: r.number,
      label: r.label,
      date: r.date,
      status: r.status,
      contentHash: r.content_hash,
      clauseCount: r.clause_count,
      createdAt: r.created_at,
    }));
}

/** A version with its document, or undefined when there is no such version. */
export async function findVersion(db: Db, slug: string, number: string): Promise<Version | undefined> {
  const row = await db
    .selectFrom("versions")
    .innerJoin("specifications", "specifications.id", "versions.specification_id")
    .selectAll("versions")
    .select(["specifications.slug as slug", "specifications.reference as reference"])
    .where("specifications.slug", "=", slug)
    .where("versions.number", "=", number)
    .executeTakeFirst();
  if (!row) return undefined;
  const { content_json, ...rest } = row;
  return { ...rest, doc: JSON.parse(content_json) as DocJSON };
}

export async function listVersionItems(db: Db, versionId: number): Promise<VersionItemRow[]> {
  return db.selectFrom("version_items").selectAll().where("version_id", "=", versionId).orderBy("ordinal").execute();
}

/** A stored version written back in the source format (format §1). */
export function versionSourceText(version: Version): string {
  return writeSpec({
    meta: { slug: version.slug, version: version.number, label: version.label, date: version.date, status: version.status },
    doc: version.doc,
  });
}

/** The number of the newest public version before `number`, if there is one. */
export async function previousPublicVersion(db: Db, specificationId: number, number: string): Promise<string | null> {
  const earlier = (await listPublicVersions(db, specificationId)).filter((v) => compareVersionNumbers(v.number, number) < 0);
  return earlier[0]?.number ?? null;
}

/** The newest public version of a specification. */
export async function latestPublicVersion(db: Db, specificationId: number): Promise<{ number: string; label: string | null } | null> {
  const [latest] = await listPublicVersions(db, specificationId);
  return latest ? { number: latest.number, label: latest.label } : null;
}
