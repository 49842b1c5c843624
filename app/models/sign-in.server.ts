// Signing in: the password check, and limits on failed attempts per account and per address.
import type { Db } from "./db.server";
import { now } from "./db.server";
import { recordAudit } from "./audit.server";
import { createSession } from "./sessions.server";
import { decoyHash, findUserByEmail, normaliseEmail, verifyPassword, type PublicUser } from "./users.server";

export const WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export type SignInResult =
  | { ok: true; user: PublicUser; token: string }
  | { ok: false; reason: "invalid" | "limited" };

async function recentFailures(db: Db, key: string): Promise<number> {
  const since = new Date(Date.now() - WINDOW_MS).toISOString();
  const row = await db
    .selectFrom("sign_in_attempts")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("key", "=", key)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function signIn(db: Db, email: string, password: string, address: string): Promise<SignInResult> {
  const accountKey = `account:${normaliseEmail(email)}`;
  const addressKey = `address:${address}`;
  if ((await recentFailures(db, accountKey)) >= MAX_FAILURES_PER_ACCOUNT || (await recentFailures(db, addressKey)) >= MAX_FAILURES_PER_ADDRESS) {
    return { ok: false, reason: "limited" };
  }
  const user = await findUserByEmail(db, email);
  // Compare against a decoy when there is no account, so the answer takes as long either way.
  const matches = await verifyPassword(password, user?.password_hash ?? (await decoyHash()));
  if (!user || !matches || user.disabled_at) {
    const at = now();
    await db.insertInto("sign_in_attempts").values([{ key: accountKey, at }, { key: addressKey, at }]).execute();
    return { ok: false, reason: "invalid" };
  }
  const token = await createSession(db, user.id);
  await recordAudit(db, { actor: { id: user.id, email: user.email }, action: "user.sign-in", objectType: "user", objectId: String(user.id) });
  const { password_hash: _hash, ...publicUser } = user;
  return { ok: true, user: publicUser, token };
}
