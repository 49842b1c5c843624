// What /healthz and /readyz answer, for a reverse proxy or an orchestrator deciding where to
// send requests. Neither reads or writes any table, so asking often costs nothing and leaves
// no trace in the audit log.
import { sql, type Kysely } from "kysely";
import type { Database } from "./db.server";
import { isDatabaseOpen, openingDatabase } from "./app-database.server";

/** How long the database has to answer a health check before the server counts it as down. */
export const HEALTH_TIMEOUT_MS = 2_000;

export type Health = { status: "ok" } | { status: "unavailable"; error: string };

const UNAVAILABLE: Health = { status: "unavailable", error: "the database did not answer" };

/**
 * Whether the database answers a trivial query within the bound. A failure of any kind (the
 * pool closed, the server unreachable, too slow) gives the same plain words: the details go to
 * the server's log, not to whoever asked.
 */
export async function checkDatabase(db: Kysely<Database> | Promise<Kysely<Database>>, timeoutMs = HEALTH_TIMEOUT_MS): Promise<Health> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), timeoutMs);
  });
  try {
    const answer = await Promise.race([Promise.resolve(db).then((d) => sql<{ one: number }>`select 1 as one`.execute(d)), late]);
    if (answer === "late") {
      console.warn(`Specwork: the health check's query did not finish within ${timeoutMs} ms`);
      return UNAVAILABLE;
    }
    return Number(answer.rows[0]?.one) === 1 ? { status: "ok" } : UNAVAILABLE;
  } catch (error) {
    console.warn(`Specwork: the health check's query failed: ${error instanceof Error ? error.message : String(error)}`);
    return UNAVAILABLE;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The application database's health. While it is still being opened, that counts against the
 * bound; one that failed to open is unavailable (the health check never opens it itself).
 */
export function health(): Promise<Health> {
  return checkDatabase(openingDatabase());
}

/** Whether the database is open, migrated and seeded, so that requests can be served. */
export function databaseReady(): boolean {
  return isDatabaseOpen();
}
