// The database: its typed schema (one for SQLite and PostgreSQL alike), opening either kind,
// migrating it, and running commands in transactions.
import { mkdirSync } from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import {
  Kysely,
  Migrator,
  OperationNodeTransformer,
  PostgresAdapter,
  PostgresDialect,
  SelectQueryNode,
  SqliteDialect,
  sql,
  type Generated,
  type KyselyPlugin,
  type PrimitiveValueListNode,
  type RawBuilder,
  type Selectable,
  type Transaction,
  type ValueNode,
} from "kysely";
import { migrations } from "../../migrations";
import type { AnnotationKind, ThreadStatus, Visibility } from "~/domain/annotations";
import type { Role } from "~/domain/permissions";
import type { VersionStatus } from "~/domain/workflow";
import type { AudienceList, Capacity, Channel, Consent, ConsultationKind, EventKind, ModerationStatus, QuestionKind, ResponseSource, ScaleAnswer } from "~/domain/consultations";
import type { CodingOrigin, CodingPass, Decision, Stance } from "~/domain/coding";
import type { AnchorStatus } from "~/domain/anchoring";

export interface SpecificationTable {
  id: Generated<number>;
  slug: string;
  title: string;
  reference: string;
  created_at: string;
}

export interface VersionTable {
  id: Generated<number>;
  specification_id: number;
  number: string;
  label: string | null;
  date: string | null;
  status: VersionStatus;
  parent_id: number | null;
  parent_hash: string | null;
  title: string;
  content_json: string;
  content_hash: string;
  clause_count: number;
  created_at: string;
  created_by: string;
  /** Saves of a draft so far; 0 for a version that was never edited here. */
  revision: Generated<number>;
  /** When what the version shows publicly was fixed (at approval, or on import); null before. */
  sealed_at: string | null;
  /** The editors' plain-English summary of the revision ("" when none); sealed with the version. */
  summary: Generated<string>;
  /** Who pressed "Publish", and when; an approved version with both is scheduled for its date. */
  published_by: number | null;
  published_at: string | null;
}

export interface VersionItemTable {
  version_id: number;
  item_id: string;
  kind: "section" | "clause";
  number: string;
  parent_id: string | null;
  position: number;
  /** Index in document order. */
  ordinal: number;
  plain_text: string;
  text_hash: string;
}

export interface ThemeTable {
  code: string;
  title: string;
  description: string;
  source: string;
  status: string;
  created_at: string;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

export interface SessionTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface SignInAttemptTable {
  id: Generated<number>;
  key: string;
  at: string;
}

export interface DraftRevisionTable {
  version_id: number;
  revision: number;
  content_json: string;
  content_hash: string;
  saved_by: number;
  saved_at: string;
  request_id: string | null;
  /** sha256 of the request's document and base revision, to recognise a retry. */
  request_hash: string | null;
}

export interface ChangeNoteTable {
  version_id: number;
  clause_id: string;
  rationale: string;
  updated_by: number;
  updated_at: string;
}

export interface ApprovalTable {
  id: Generated<number>;
  version_id: number;
  approved_by: number;
  content_hash: string;
  approved_at: string;
  voided_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  /** Who, in words: an email address, or "system" for seeding and imports. */
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  specification_slug: string | null;
  version_number: string | null;
  content_hash: string | null;
  details: Generated<string>;
}

export interface AnnotationTable {
  id: Generated<number>;
  version_id: number;
  clause_id: string;
  start: number | null;
  end: number | null;
  quote: string | null;
  prefix: string | null;
  suffix: string | null;
  kind: AnnotationKind;
  body: string;
  visibility: Visibility;
  status: Generated<ThreadStatus>;
  parent_id: number | null;
  author_id: number | null;
  author_name: string;
  created_at: string;
}

export interface AnnotationThemeTable {
  annotation_id: number;
  theme_code: string;
}

/** Where an annotation stands on a later published version (migration 011: derived, never stale). */
export interface AnnotationAnchorTable {
  annotation_id: number;
  version_id: number;
  placement: AnchorStatus;
  clause_id: string | null;
  start: number | null;
  end: number | null;
}

/** A clause of a published version as its history shows it (migration 012); item_id '' marks the version done. */
export interface VersionClauseTable {
  version_id: number;
  item_id: string;
  content_json: string;
  depth: number;
  appendix: number;
  heading: string;
}

/** A clause's redline row between two neighbouring published versions (migration 012); item_id '' marks the pair done. */
export interface ClauseChangeTable {
  from_version_id: number;
  to_version_id: number;
  item_id: string;
  change_json: string;
  described_json: string;
}

export interface ChangeNoteThemeTable {
  version_id: number;
  clause_id: string;
  theme_code: string;
}

/** A theme's title and description as they stood when a version was sealed (migration 008). */
export interface VersionThemeTable {
  version_id: number;
  code: string;
  title: string;
  description: string;
}

export interface ThemeOutcomeTable {
  version_id: number;
  theme_code: string;
  outcome: string;
}

/** One part of a draft someone wrote (migration 005 lists the kinds of part); append-only. */
export interface ContributionTable {
  id: Generated<number>;
  version_id: number;
  part: string;
  user_id: number;
  revision: number | null;
  at: string;
}

/** The lists an admin keeps (migration 007): audiences and interests. */
export interface AudienceTable {
  code: string;
  name: string;
  list: AudienceList;
  position: number;
  created_at: string;
  retired_at: string | null;
}

export interface ConsultationTable {
  id: string;
  version_id: number;
  title: string;
  kind: ConsultationKind;
  summary: string;
  why_it_matters: string;
  /** UTC instants; shown and entered in Europe/London time. */
  opens_at: string;
  closes_at: string;
  other_format_count: Generated<number>;
  double_code_percent: Generated<number>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface ConsultationEventTable {
  id: Generated<number>;
  consultation_id: string;
  kind: EventKind;
  place: string;
  starts_at: string;
  ends_at: string;
  position: number;
}

export interface ConsultationAudienceTable {
  consultation_id: string;
  audience_code: string;
}

export interface ConsultationQuestionTable {
  consultation_id: string;
  id: string;
  position: number;
  text: string;
  kind: QuestionKind;
  item_id: string | null;
}

export interface ResponseImportTable {
  id: Generated<number>;
  consultation_id: string;
  file_name: string;
  status: "checking" | "importing" | "done" | "failed";
  channel: Channel;
  rows_read: Generated<number>;
  imported: Generated<number>;
  present: Generated<number>;
  /** JSON list of problem lines. */
  problems: Generated<string>;
  mapping: string;
  created_by: number | null;
  created_at: string;
  finished_at: string | null;
}

/** How far the server running an import last said it had got, and when. */
export interface ResponseImportProgressTable {
  import_id: number;
  phase: "checking" | "importing";
  rows_read: number;
  at: string;
}

/** A response: personal data, for staff only (see the domain's mayQuote for what is public). */
export interface ConsultationResponseTable {
  id: Generated<number>;
  consultation_id: string;
  reference: string;
  channel: Channel;
  source: ResponseSource;
  import_id: number | null;
  external_key: string | null;
  capacity: Capacity;
  organisation: string | null;
  respondent_name: string | null;
  audience_code: string | null;
  audience_text: string | null;
  email: string | null;
  consent: Consent;
  moderation: Generated<ModerationStatus>;
  moderated_by: number | null;
  moderated_at: string | null;
  submitted_at: string;
  created_at: string;
  address_hash: string | null;
}

export interface ResponseAnswerTable {
  response_id: number;
  question_id: string;
  scale: ScaleAnswer | null;
  text: string | null;
}

export interface ResponseClauseCommentTable {
  id: Generated<number>;
  response_id: number;
  clause_id: string;
  start: number | null;
  end: number | null;
  quote: string | null;
  prefix: string | null;
  suffix: string | null;
  body: string;
  position: number;
}

/** A coding of a response to a theme; never rewritten, only removed (removed_at) and replaced. */
export interface CodingTable {
  id: Generated<number>;
  response_id: number;
  consultation_id: string;
  theme_code: string;
  pass: CodingPass;
  stance: Stance;
  evidence_rich: 0 | 1;
  origin: CodingOrigin;
  coded_by: number;
  coded_at: string;
  removed_by: number | null;
  removed_at: string | null;
}

/** The FTS5 index of what each theme covers (normalised terms; see domain/coding indexText). */
export interface ThemeSearchTable {
  rowid: Generated<number>;
  theme_code: string;
  body: string;
}

export interface ThemeDecisionTable {
  consultation_id: string;
  theme_code: string;
  decision: Decision;
  reason: string;
  decided_by: number | null;
  decided_at: string;
}

export interface ConsultationReportTable {
  consultation_id: string;
  published_at: string;
  published_by: number | null;
  content_json: string;
}

export interface ChangeNoteResponseTable {
  version_id: number;
  clause_id: string;
  response_id: number;
}

export interface Database {
  specifications: SpecificationTable;
  versions: VersionTable;
  version_items: VersionItemTable;
  themes: ThemeTable;
  users: UserTable;
  sessions: SessionTable;
  sign_in_attempts: SignInAttemptTable;
  draft_revisions: DraftRevisionTable;
  change_notes: ChangeNoteTable;
  approvals: ApprovalTable;
  audit_log: AuditLogTable;
  annotations: AnnotationTable;
  annotation_themes: AnnotationThemeTable;
  annotation_anchors: AnnotationAnchorTable;
  version_clauses: VersionClauseTable;
  clause_changes: ClauseChangeTable;
  change_note_themes: ChangeNoteThemeTable;
  theme_outcomes: ThemeOutcomeTable;
  version_themes: VersionThemeTable;
  contributions: ContributionTable;
  audiences: AudienceTable;
  consultations: ConsultationTable;
  consultation_events: ConsultationEventTable;
  consultation_audiences: ConsultationAudienceTable;
  consultation_questions: ConsultationQuestionTable;
  response_imports: ResponseImportTable;
  response_import_progress: ResponseImportProgressTable;
  consultation_responses: ConsultationResponseTable;
  response_answers: ResponseAnswerTable;
  response_clause_comments: ResponseClauseCommentTable;
  codings: CodingTable;
  theme_search: ThemeSearchTable;
  theme_decisions: ThemeDecisionTable;
  consultation_reports: ConsultationReportTable;
  change_note_responses: ChangeNoteResponseTable;
}

export type Db = Kysely<Database> | Transaction<Database>;
export type SpecificationRow = Selectable<SpecificationTable>;
export type VersionRow = Selectable<VersionTable>;
export type VersionItemRow = Selectable<VersionItemTable>;
export type ThemeRow = Selectable<ThemeTable>;
export type UserRow = Selectable<UserTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type AudienceRow = Selectable<AudienceTable>;
export type ConsultationRow = Selectable<ConsultationTable>;
export type ConsultationResponseRow = Selectable<ConsultationResponseTable>;
export type CodingRow = Selectable<CodingTable>;

/** The two kinds of database Specwork runs on. */
export type DialectName = "sqlite" | "postgres";

/** Whether a database setting names a PostgreSQL server (a postgres:// URL) rather than a file. */
export function isPostgresTarget(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target.trim());
}

/** Which kind of database a Kysely instance (or a transaction on it) talks to. */
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

// PostgreSQL sends 64-bit integers (count(*), sum()) and numerics as strings, since they may not
// fit a JavaScript number; every such value here is a count or a small total, so parse them.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/**
 * PostgreSQL text cannot hold the NUL character, which SQLite stores like any other. Forms and
 * JSON bodies refuse control characters before they reach a model, but an address can still
 * name one ("/v/1.0%00"): looked up on PostgreSQL it would fail the query rather than find
 * nothing. So in a query that only reads, a NUL is replaced by U+FFFD, which matches what it
 * would have matched on SQLite, nothing; a write holding one is refused.
 */
class NoNulInText extends OperationNodeTransformer {
  constructor(private readonly reading: boolean) {
    super();
  }

  private clean(value: unknown): unknown {
    if (typeof value !== "string" || !value.includes("\u0000")) return value;
    if (this.reading) return value.replaceAll("\u0000", "\uFFFD");
    throw new Error("text stored in PostgreSQL cannot contain the NUL character");
  }

  protected override transformValue(node: ValueNode): ValueNode {
    return { ...node, value: this.clean(node.value) };
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...node, values: node.values.map((v) => this.clean(v)) };
  }
}

const noNulInText: KyselyPlugin = {
  transformQuery: ({ node }) => new NoNulInText(SelectQueryNode.is(node)).transformNode(node),
  transformResult: async ({ result }) => result,
};

export interface OpenOptions {
  /** Connections in the PostgreSQL pool (DATABASE_POOL_SIZE); ignored for SQLite. */
  poolSize?: number;
}

/**
 * Opens the database named by `target`: a postgres:// URL opens a pool of connections to that
 * PostgreSQL database, anything else is the path of a SQLite file (created when missing).
 */
export function openDatabase(target: string, options: OpenOptions = {}): Kysely<Database> {
  if (isPostgresTarget(target)) {
    const pool = new pg.Pool({ connectionString: target.trim(), max: options.poolSize ?? 10 });
    // An idle connection that the server drops (a restart, a failover) must not end the process.
    pool.on("error", (error) => console.warn(`Specwork: a database connection was lost: ${error.message}`));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [noNulInText] });
  }
  const file = target;
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  // On SQLite each statement of a migration commits on its own (Kysely runs SQLite's DDL outside
  // a transaction), and with synchronous = FULL every one of those commits waits for the disk: a
  // new database's migrations took 0.5–0.8 s of a first start doing so, 0.06 s without. So they
  // run with synchronous = NORMAL, which in WAL mode never leaves the file inconsistent, only
  // possibly without its latest commits after a power cut (and the migrator then runs those
  // migrations again). Once they are done, FULL is back and a checkpoint puts them on disk.
  const sqlite = dialectOf(db) === "sqlite";
  if (sqlite) await sql`PRAGMA synchronous = NORMAL`.execute(db);
  let outcome: Awaited<ReturnType<Migrator["migrateToLatest"]>>;
  try {
    outcome = await migrator.migrateToLatest();
  } finally {
    if (sqlite) await sql`PRAGMA synchronous = FULL`.execute(db);
  }
  const { error, results } = outcome;
  if (sqlite && results?.some((r) => r.status === "Success")) await sql`PRAGMA wal_checkpoint(PASSIVE)`.execute(db);
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
}

/** The PostgreSQL advisory lock that servers starting at once take in turn (any fixed number). */
const STARTUP_LOCK = 7_311_512;

/**
 * Runs the work a server does as it starts (seeding a new database, creating the demo accounts,
 * publishing what has come due) one server at a time. Two servers started together on one
 * PostgreSQL database would otherwise both find it empty and both seed it. The lock is held by
 * one connection for the whole of `work`, which is given that connection. On SQLite, where each
 * write transaction already waits for the one before, it is the database itself.
 */
export async function oneServerAtATime<T>(db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (dialectOf(db) === "sqlite") return work(db);
  return db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(${STARTUP_LOCK})`.execute(connection);
    try {
      return await work(connection);
    } finally {
      await sql`SELECT pg_advisory_unlock(${STARTUP_LOCK})`.execute(connection);
    }
  });
}

/**
 * The join for a query whose join order is planned by hand: SQLite's CROSS JOIN is an inner join
 * that its planner never reorders; PostgreSQL plans joins itself and has no such hint.
 */
export function joinInOrder(db: Db): RawBuilder<unknown> {
  return dialectOf(db) === "sqlite" ? sql`CROSS JOIN` : sql`JOIN`;
}

/** How often a PostgreSQL command that lost a race with another is run again before giving up. */
const MAX_ATTEMPTS = 30;
/** SQLSTATEs that mean "run the whole transaction again": serialization failure, deadlock. */
const RETRYABLE = new Set(["40001", "40P01"]);
/**
 * A unique key taken by a transaction that committed meanwhile is reported as a unique
 * violation, not a serialization failure (a coding racing another of the same response and
 * theme, say). Run again, the command sees the committed row and takes it into account, as
 * PostgreSQL's manual advises; a real duplicate fails the same way each time, so these are run
 * again only a few times.
 */
const RETRYABLE_FEW = new Set(["23505", "23P01"]);
const FEW_ATTEMPTS = 4;

function sqlState(error: unknown): string {
  return typeof error === "object" && error !== null ? String((error as { code?: unknown }).code) : "";
}

function isRetryable(error: unknown, attempt: number): boolean {
  const state = sqlState(error);
  return attempt < MAX_ATTEMPTS && (RETRYABLE.has(state) || (RETRYABLE_FEW.has(state) && attempt < FEW_ATTEMPTS));
}

const commitListeners = new Set<() => void>();

/**
 * Calls `listener` whenever this process has committed a change: a transaction run by
 * inTransaction, or an audit entry written on its own. The page cache listens, so that this
 * server's own changes make its cached pages stale at once, before the notice PostgreSQL sends
 * every server has arrived.
 */
export function onCommit(listener: () => void): () => void {
  commitListeners.add(listener);
  return () => commitListeners.delete(listener);
}

/** Tells the listeners that this process has just committed a change. */
export function committed(): void {
  for (const listener of commitListeners) listener();
}

/**
 * Transactions that wrote an audit entry. Every change anyone may see writes one (that is what
 * the SQLite stamp and PostgreSQL's change notices count too), so only these tell the listeners
 * when they commit: a transaction that changed nothing public (a failed sign-in's attempt row,
 * kept derived data) leaves this server's cached pages as they are.
 */
const auditedTransactions = new WeakSet<Transaction<Database>>();

/** Notes that `trx` wrote an audit entry: when it commits, the listeners hear of it. */
export function auditWrittenIn(trx: Transaction<Database>): void {
  auditedTransactions.add(trx);
}

export interface TransactionOptions {
  /**
   * A version (draft) whose row the command locks before it reads anything. On PostgreSQL such a
   * command runs READ COMMITTED instead of SERIALIZABLE: it waits for the lock, and from then on
   * each statement sees what the commands before it committed. Commands on the same draft so
   * take their turn rather than fail and run again; for saves, which come in bursts on one
   * draft, that is what keeps them all acknowledged. Every save of a draft takes this lock, and
   * the other commands on a draft, run SERIALIZABLE, run again if a save changed it under them.
   */
  lockVersion?: number;
  /**
   * For a long command that only adds rows others do not change (an import of thousands of
   * responses): on PostgreSQL it runs REPEATABLE READ, on one snapshot, rather than
   * SERIALIZABLE. A serializable import that reads the responses' indexes while people send
   * responses through the site is cancelled as the middle of a read/write cycle, and again on
   * every run, until it gives up; on one snapshot it only fails (and runs again) if it writes a
   * row another command wrote meanwhile, which the unique indexes catch.
   */
  snapshot?: boolean;
}

/**
 * Runs a command in one transaction: the caller's, when it is already inside one (a command
 * used by a larger command), or a new one. Every multi-row change goes through this.
 *
 * SQLite has one writer at a time, so its transactions are serializable already. PostgreSQL
 * runs many at once under READ COMMITTED by default, where two saves could both read revision 4
 * and both write revision 5, or two sign-in guesses could each count the attempts before the
 * other's. So on PostgreSQL a command runs either with a row lock taken first (lockVersion,
 * above) or SERIALIZABLE; and when PostgreSQL says it lost a race (a serialization failure or a
 * deadlock) the whole command runs again, from the start, on what the winner committed: a
 * sign-in then counts the other's attempt; a retried request id finds the first one's revision.
 * Commands therefore do nothing outside the database before they commit (no files, no
 * messages, no shared state), so running one again is harmless.
 */
export async function inTransaction<T>(db: Db, command: (trx: Transaction<Database>) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  // Whether the attempt that committed wrote an audit entry (a retried attempt is a new transaction).
  let audited = false;
  const locked = async (trx: Transaction<Database>) => {
    if (options.lockVersion !== undefined && dialectOf(trx) === "postgres") {
      await sql`SELECT id FROM versions WHERE id = ${options.lockVersion} FOR UPDATE`.execute(trx);
    }
    const result = await command(trx);
    audited = auditedTransactions.has(trx);
    return result;
  };
  if (db.isTransaction) return locked(db as Transaction<Database>);
  const kysely = db as Kysely<Database>;
  if (dialectOf(kysely) === "sqlite") {
    const result = await kysely.transaction().execute(locked);
    if (audited) committed();
    return result;
  }
  const isolation = options.lockVersion !== undefined ? "read committed" : options.snapshot ? "repeatable read" : "serializable";
  for (let attempt = 1; ; attempt++) {
    try {
      audited = false;
      const result = await kysely.transaction().setIsolationLevel(isolation).execute(locked);
      if (audited) committed();
      return result;
    } catch (error) {
      if (!isRetryable(error, attempt)) throw error;
      // A short, growing, random pause, so that the commands that lost do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
}

export function now(): string {
  return new Date().toISOString();
}
