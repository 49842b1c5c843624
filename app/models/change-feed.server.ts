// Hearing, on PostgreSQL, that another server changed something: a connection of its own that
// LISTENs on the channel the audit log announces each committed change on (migration 010). The
// public page cache keeps a page only while nothing has been heard since it was rendered.
import pg from "pg";
import { CHANGES_CHANNEL } from "../../migrations/010-several-servers";

/** How long to wait before listening again after the connection is lost. */
const RECONNECT_MS = 1_000;
/**
 * How often the listening connection is asked a trivial question, and how long it may take to
 * answer: a connection that went quiet without closing (a network fault) hears nothing, so it
 * counts as lost once it stops answering.
 */
const CHECK_EVERY_MS = 5_000;
const CHECK_WITHIN_MS = 5_000;

export interface ChangeFeed {
  /** A number that grows whenever a change may have been made: a notice, or a lost connection. */
  generation(): number;
  /** Whether notices are being heard; while not, nothing may be served from a cache. */
  listening(): boolean;
  close(): Promise<void>;
}

export function watchChanges(url: string): ChangeFeed {
  let generation = 0;
  let listening = false;
  let closed = false;
  let client: pg.Client | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const check = setInterval(() => {
    const current = client;
    if (!current || !listening) return;
    const late = setTimeout(() => client === current && lost(new Error("it stopped answering")), CHECK_WITHIN_MS);
    current.query("SELECT 1").then(
      () => clearTimeout(late),
      (error: Error) => {
        clearTimeout(late);
        if (client === current) lost(error);
      },
    );
  }, CHECK_EVERY_MS).unref();

  const lost = (error?: Error) => {
    if (client === undefined) return;
    if (error && !closed) console.warn(`Specwork: stopped hearing of other servers' changes (${error.message}); listening again shortly`);
    listening = false;
    generation++;
    const old = client;
    client = undefined;
    void old.end().catch(() => {});
    if (!closed) retry = setTimeout(connect, RECONNECT_MS).unref();
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ connectionString: url, keepAlive: true });
    client = next;
    next.on("notification", () => generation++);
    next.on("error", (error) => client === next && lost(error));
    next.on("end", () => client === next && lost(new Error("the connection closed")));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (client !== next) return;
      // Whatever changed while nobody was listening is unknown: everything counts as changed.
      generation++;
      listening = true;
    } catch (error) {
      if (client === next) lost(error instanceof Error ? error : new Error(String(error)));
    }
  }

  void connect();
  return {
    generation: () => generation,
    listening: () => listening,
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(check);
      listening = false;
      const last = client;
      client = undefined;
      await last?.end().catch(() => {});
    },
  };
}
