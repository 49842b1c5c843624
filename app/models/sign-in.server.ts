// Signing in: the password check, and limits on failed attempts per account and per address.
// Each attempt is recorded and counted in one transaction before the slow password check.
import type { Kysely } from "kysely";
import type { Database, Db } from "./db.server";
import { inTransaction, now } from "./db.server";
import { recordAudit } from "./audit.server";
import { createSession } from "./sessions.server";
import { decoyHash, findUserByEmail, normaliseEmail, verifyPassword, type PublicUser, NON_PERSON_DOMAIN } from "./users.server";

export const WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export type SignInResult =
  | { ok: true; user: PublicUser; token: string }
  | { ok: false; reason: "invalid" | "limited" };

async function recentAttempts(db: Db, key: string): Promise<number> {
  const since = new Date(Date.now() - WINDOW_MS).toISOString();
  const row = await db
    .selectFrom("sign_in_attempts")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("key", "=", key)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Thrown inside the transaction so that a refused attempt leaves no row behind. */
class Limited extends Error {}

/**
 * Records an attempt against the account and the address, unless either already has its fill of
 * attempts in the window; returns the ids of the rows written, or null when the limit is reached.
 *
 * The insert comes before the count, so the transaction holds SQLite's write lock while it
 * counts: a parallel attempt (from this process or another) waits for it and then sees its row.
 * Attempts whose password check is still running count too, which is what stops a burst of
 * parallel guesses. (On PostgreSQL, where inserts do not block each other, the same guarantee
 * needs a lock per key: an upserted counter row, or SELECT … FOR UPDATE on one.)
 */
async function reserveAttempt(db: Kysely<Database>, keys: { account: string; address: string }): Promise<number[] | null> {
  try {
    return await inTransaction(db, async (trx) => {
      const at = now();
      const rows = await trx
        .insertInto("sign_in_attempts")
        .values([
          { key: keys.account, at },
          { key: keys.address, at },
        ])
        .returning("id")
        .execute();
      // The counts include the rows just written, hence "more than" the limit.
      if ((await recentAttempts(trx, keys.account)) > MAX_FAILURES_PER_ACCOUNT || (await recentAttempts(trx, keys.address)) > MAX_FAILURES_PER_ADDRESS) {
        throw new Limited();
      }
      return rows.map((r) => r.id);
    });
  } catch (error) {
    if (error instanceof Limited) return null;
    throw error;
  }
}

export async function signIn(db: Kysely<Database>, email: string, password: string, address: string): Promise<SignInResult> {
  const reserved = await reserveAttempt(db, { account: `account:${normaliseEmail(email)}`, address: `address:${address}` });
  // A refused attempt is not recorded, so the limit lifts 15 minutes after the last checked failure.
  if (!reserved) return { ok: false, reason: "limited" };
  const user = await findUserByEmail(db, email);
  // Compare against a decoy when there is no account, so the answer takes as long either way.
  const matches = await verifyPassword(password, user?.password_hash ?? (await decoyHash()));
  // A failure keeps the rows reserved above: they are the record of the failed attempt.
  if (!user || !matches || user.disabled_at || user.email.endsWith(NON_PERSON_DOMAIN)) return { ok: false, reason: "invalid" };
  return inTransaction(db, async (trx) => {
    // A sign-in that succeeds is not a failure: only its own rows go, earlier failures stay, so
    // signing in to one's own account cannot reset the count of guesses at others'.
    await trx.deleteFrom("sign_in_attempts").where("id", "in", reserved).execute();
    const token = await createSession(trx, user.id);
    await recordAudit(trx, { actor: { id: user.id, email: user.email }, action: "user.sign-in", objectType: "user", objectId: String(user.id) });
    const { password_hash: _hash, ...publicUser } = user;
    return { ok: true as const, user: publicUser, token };
  });
}
