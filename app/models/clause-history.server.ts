// What clause histories read, kept per published version and per pair of neighbouring published
// versions (migration 012), so that a history reads one clause in each version instead of
// parsing and redlining every version's whole document on every visit.
//
// Published versions never change, so what is kept never goes stale. It is worked out when a
// version is published or imported (in that command's transaction), and otherwise the first time
// a history finds a version or a pair without it (a database made before migration 012, or
// versions published before it). That late filling is derived data written during a GET: it
// writes no audit entry (it is not a record, and an entry would make every cached public page
// stale), and it writes with ON CONFLICT DO NOTHING, since several servers may fill the same
// pair at once; each pair's rows and its marker go in one transaction, so a marker means the
// pair is complete.
import type { Db } from "./db.server";
import { inTransaction } from "./db.server";
import { clauseRecords, pairClauseChanges, type ClauseRecord } from "~/domain/redline";
import type { DocJSON } from "~/domain/schema";
import { compareVersionNumbers } from "~/domain/version-number";
import { PUBLIC_STATUSES } from "~/domain/workflow";

/** The item_id of the row that marks a version or a pair as worked out (no clause id is empty). */
const MARKER = "";

export interface HistoryVersion {
  id: number;
  number: string;
  label: string | null;
  date: string | null;
  sealed_at: string | null;
}

/** A specification's public versions, oldest first. */
export async function publicVersionsInOrder(db: Db, specificationId: number): Promise<HistoryVersion[]> {
  const rows = await db
    .selectFrom("versions")
    .select(["id", "number", "label", "date", "sealed_at"])
    .where("specification_id", "=", specificationId)
    .where("status", "in", PUBLIC_STATUSES)
    .execute();
  return rows.sort((a, b) => compareVersionNumbers(a.number, b.number));
}

interface Work {
  /** Versions whose clauses are not kept yet. */
  versions: number[];
  /** Neighbouring pairs whose changes are not kept yet. */
  pairs: [number, number][];
}

async function missingWork(db: Db, versions: readonly HistoryVersion[], touching: number | null): Promise<Work> {
  const ids = versions.map((v) => v.id);
  if (!ids.length) return { versions: [], pairs: [] };
  let pairs: [number, number][] = versions.slice(1).map((v, k) => [versions[k]!.id, v.id]);
  let wanted = ids;
  if (touching !== null) {
    pairs = pairs.filter(([from, to]) => from === touching || to === touching);
    wanted = ids.filter((id) => id === touching);
  }
  const [doneVersions, donePairs] = await Promise.all([
    db.selectFrom("version_clauses").select("version_id").where("item_id", "=", MARKER).where("version_id", "in", wanted.length ? wanted : [-1]).execute(),
    pairs.length
      ? db.selectFrom("clause_changes").select(["from_version_id", "to_version_id"]).where("item_id", "=", MARKER).where("from_version_id", "in", [...new Set(pairs.map(([from]) => from))]).execute()
      : Promise.resolve([]),
  ]);
  const versionDone = new Set(doneVersions.map((r) => r.version_id));
  const pairDone = new Set(donePairs.map((r) => `${r.from_version_id} ${r.to_version_id}`));
  return { versions: wanted.filter((id) => !versionDone.has(id)), pairs: pairs.filter(([from, to]) => !pairDone.has(`${from} ${to}`)) };
}

type VersionClauseRow = { version_id: number; item_id: string; content_json: string; depth: number; appendix: number; heading: string };
type ClauseChangeRow = { from_version_id: number; to_version_id: number; item_id: string; change_json: string; described_json: string };

/** Works out the rows of the missing versions and pairs, reading each document needed once. */
async function workOut(db: Db, work: Work, known: ReadonlyMap<number, DocJSON>): Promise<{ clauses: VersionClauseRow[]; changes: ClauseChangeRow[] }> {
  const needed = [...new Set([...work.versions, ...work.pairs.flat()])];
  const unread = needed.filter((id) => !known.has(id));
  const stored = unread.length ? await db.selectFrom("versions").select(["id", "number", "content_json", "content_hash"]).where("id", "in", unread).execute() : [];
  const hashes = new Map(stored.map((r) => [r.id, r.content_hash]));
  const docs = new Map<number, DocJSON>(known);
  for (const row of stored) docs.set(row.id, JSON.parse(row.content_json) as DocJSON);
  const records = new Map<number, ClauseRecord[]>();
  const recordsOf = (id: number) => {
    let list = records.get(id);
    if (!list) records.set(id, (list = clauseRecords(docs.get(id)!)));
    return list;
  };
  const clauses: VersionClauseRow[] = [];
  for (const id of work.versions) {
    for (const c of recordsOf(id)) {
      clauses.push({ version_id: id, item_id: c.id, content_json: JSON.stringify(c.content), depth: c.depth, appendix: c.appendix ? 1 : 0, heading: c.heading });
    }
    clauses.push({ version_id: id, item_id: MARKER, content_json: "", depth: 0, appendix: 0, heading: "" });
  }
  const changes: ClauseChangeRow[] = [];
  for (const [fromId, toId] of work.pairs) {
    // The version labels in the redline are not part of a row, so the ids serve.
    const found = pairClauseChanges(
      { version: String(fromId), doc: docs.get(fromId)!, hash: hashes.get(fromId) ?? "" },
      { version: String(toId), doc: docs.get(toId)!, hash: hashes.get(toId) ?? "" },
      recordsOf(fromId),
      recordsOf(toId),
    );
    for (const c of found) {
      changes.push({ from_version_id: fromId, to_version_id: toId, item_id: c.id, change_json: JSON.stringify(c.change), described_json: JSON.stringify(c.described) });
    }
    changes.push({ from_version_id: fromId, to_version_id: toId, item_id: MARKER, change_json: "", described_json: "" });
  }
  return { clauses, changes };
}

const BATCH = 200;

async function writeRows(db: Db, rows: { clauses: VersionClauseRow[]; changes: ClauseChangeRow[] }): Promise<void> {
  for (let start = 0; start < rows.clauses.length; start += BATCH) {
    await db
      .insertInto("version_clauses")
      .values(rows.clauses.slice(start, start + BATCH))
      .onConflict((oc) => oc.columns(["item_id", "version_id"]).doNothing())
      .execute();
  }
  for (let start = 0; start < rows.changes.length; start += BATCH) {
    await db
      .insertInto("clause_changes")
      .values(rows.changes.slice(start, start + BATCH))
      .onConflict((oc) => oc.columns(["item_id", "from_version_id", "to_version_id"]).doNothing())
      .execute();
  }
}

export interface FillOptions {
  /** Only this version's clauses and the pairs it is in (publishing or importing it). */
  touching?: number;
  /** Documents already in hand, by version id, so they are not read and parsed again. */
  docs?: ReadonlyMap<number, DocJSON>;
}

/**
 * Makes sure the clauses of a specification's public versions and the changes between
 * neighbouring ones are kept; returns those versions, oldest first. Inside a transaction (a
 * publication or an import) it works in that transaction. Otherwise it works out what is missing
 * first and writes it in a short transaction of its own, which keeps only what is still missing
 * then, so that two servers filling at once write one set of rows.
 */
export async function fillClauseHistory(db: Db, specificationId: number, options: FillOptions = {}): Promise<HistoryVersion[]> {
  const versions = await publicVersionsInOrder(db, specificationId);
  const touching = options.touching ?? null;
  const work = await missingWork(db, versions, touching);
  if (!work.versions.length && !work.pairs.length) return versions;
  const rows = await workOut(db, work, options.docs ?? new Map());
  await inTransaction(db, async (trx) => {
    const still = await missingWork(trx, versions, touching);
    const versionsLeft = new Set(still.versions);
    const pairsLeft = new Set(still.pairs.map(([from, to]) => `${from} ${to}`));
    await writeRows(trx, {
      clauses: rows.clauses.filter((r) => versionsLeft.has(r.version_id)),
      changes: rows.changes.filter((r) => pairsLeft.has(`${r.from_version_id} ${r.to_version_id}`)),
    });
  });
  return versions;
}

/** One clause as each version keeps it, by version id: what its history shows and builds its rows from. */
export async function keptClause(db: Db, versionIds: readonly number[], clauseId: string): Promise<Map<number, ClauseRecord>> {
  if (!versionIds.length || clauseId === MARKER) return new Map();
  const rows = await db
    .selectFrom("version_clauses as c")
    .innerJoin("version_items as i", (j) => j.onRef("i.version_id", "=", "c.version_id").onRef("i.item_id", "=", "c.item_id"))
    .select(["c.version_id", "c.content_json", "c.depth", "c.appendix", "c.heading", "i.number", "i.parent_id", "i.plain_text"])
    .where("c.item_id", "=", clauseId)
    .where("c.version_id", "in", versionIds)
    .execute();
  return new Map(
    rows.map((r) => [
      r.version_id,
      {
        id: clauseId,
        number: r.number,
        parentId: r.parent_id,
        plainText: r.plain_text,
        content: JSON.parse(r.content_json),
        depth: r.depth,
        appendix: r.appendix === 1,
        heading: r.heading,
      },
    ]),
  );
}

/** One clause's kept changes, by "from to" version ids: the pairs in which it did not simply stay the same. */
export async function keptClauseChanges(db: Db, versionIds: readonly number[], clauseId: string): Promise<Map<string, { change_json: string; described_json: string }>> {
  if (!versionIds.length || clauseId === MARKER) return new Map();
  const rows = await db
    .selectFrom("clause_changes")
    .select(["from_version_id", "to_version_id", "change_json", "described_json"])
    .where("item_id", "=", clauseId)
    .where("from_version_id", "in", versionIds)
    .execute();
  return new Map(rows.map((r) => [`${r.from_version_id} ${r.to_version_id}`, r]));
}
