// Sign-in sessions kept in the database: the cookie holds a random token, the table its hash.
// Idle and absolute expiry; signing out or turning an account off ends its sessions.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "./db.server";
import { now } from "./db.server";
import { findUser, type PublicUser } from "./users.server";

export const IDLE_TIMEOUT_MS = 2 * 60 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createSession(db: Db, userId: number): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const at = new Date();
  await db
    .insertInto("sessions")
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: at.toISOString(),
      last_seen_at: at.toISOString(),
      expires_at: new Date(at.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString(),
    })
    .execute();
  return token;
}

/** The signed-in user for a session token, or undefined when it is unknown, idle too long or expired. */
export async function sessionUser(db: Db, token: string): Promise<PublicUser | undefined> {
  const session = await db.selectFrom("sessions").selectAll().where("token_hash", "=", hashToken(token)).executeTakeFirst();
  if (!session) return undefined;
  const at = Date.now();
  if (at > Date.parse(session.expires_at) || at - Date.parse(session.last_seen_at) > IDLE_TIMEOUT_MS) {
    await db.deleteFrom("sessions").where("token_hash", "=", session.token_hash).execute();
    return undefined;
  }
  const user = await findUser(db, session.user_id);
  if (!user || user.disabled_at) return undefined;
  // Touch at most once a minute, so reading pages does not write on every request.
  if (at - Date.parse(session.last_seen_at) > 60_000) {
    await db.updateTable("sessions").set({ last_seen_at: now() }).where("token_hash", "=", session.token_hash).execute();
  }
  return user;
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom("sessions").where("token_hash", "=", hashToken(token)).execute();
}
