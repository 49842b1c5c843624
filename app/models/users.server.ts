// Accounts: passwords hashed with scrypt at OWASP's recommended cost, compared in constant time.
import { invalid } from "~/domain/errors";
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type { Db, UserRow } from "./db.server";
import { inTransaction, now } from "./db.server";
import { recordAudit } from "./audit.server";
import type { Role } from "~/domain/permissions";
import { textProblem } from "~/domain/text-policy";

// OWASP Password Storage Cheat Sheet: scrypt with N=2^17, r=8, p=1.
const COST = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: { N: number; r: number; p: number }): Promise<Buffer> {
  const scryptOptions: ScryptOptions = { ...options, maxmem: 256 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, scryptOptions, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** "scrypt$N$r$p$salt$key", so the cost can rise later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ["scrypt", COST.N, COST.r, COST.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const actual = await derive(password, Buffer.from(salt, "base64"), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to compare against when there is no such account, so timing does not tell. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
}

import { MIN_PASSWORD_LENGTH } from "~/domain/permissions";

export type PublicUser = Pick<UserRow, "id" | "email" | "name" | "role" | "created_at" | "disabled_at">;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isEmail(email: string): boolean {
  return /^[^\s@]{1,64}@[^\s@]{1,255}$/.test(email);
}

export function createUser(db: Db, input: { email: string; name: string; role: Role; password: string }, actor: { id: number | null; email: string }): Promise<PublicUser> {
  return inTransaction(db, (trx) => storeUser(trx, input, actor));
}

async function storeUser(
  db: Db,
  input: { email: string; name: string; role: Role; password: string },
  actor: { id: number | null; email: string },
): Promise<PublicUser> {
  const email = normaliseEmail(input.email);
  if (email.endsWith(NON_PERSON_DOMAIN)) throw invalid(`addresses ending ${NON_PERSON_DOMAIN} are kept for accounts that are not a person's: choose another address`);
  // Names and addresses are shown on pages (the audit log, "started by"), so the text policy
  // holds; it comes first so that the message below never repeats a refused character.
  for (const [field, value] of [["email address", email], ["name", input.name.trim()]] as const) {
    const unsafe = textProblem(value);
    if (unsafe) throw invalid(`the ${field} ${unsafe}`);
  }
  if (!isEmail(email)) throw invalid(`"${input.email}" is not an email address`);
  if (!input.name.trim()) throw invalid("a user needs a name");
  if (input.password.length < MIN_PASSWORD_LENGTH) throw invalid(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  if (await findUserByEmail(db, email)) throw invalid(`there is already an account for ${email}`);
  const user = await db
    .insertInto("users")
    .values({ email, name: input.name.trim(), role: input.role, password_hash: await hashPassword(input.password), created_at: now() })
    .returning(["id", "email", "name", "role", "created_at", "disabled_at"])
    .executeTakeFirstOrThrow();
  await recordAudit(db, { actor, action: "user.create", objectType: "user", objectId: String(user.id), details: { email, role: input.role } });
  return user;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
}

export async function findUser(db: Db, id: number): Promise<PublicUser | undefined> {
  return db.selectFrom("users").select(["id", "email", "name", "role", "created_at", "disabled_at"]).where("id", "=", id).executeTakeFirst();
}

/** The account imported content is attributed to; it can never sign in and is not listed. */
export const SYSTEM_EMAIL = "system@specwork.invalid";
/** Accounts that are not a person's (imports, the sample's coders) have addresses here. */
export const NON_PERSON_DOMAIN = "@specwork.invalid";

/** The account imported content is attributed to, created the first time it is needed. */
export async function systemUserId(db: Db): Promise<number> {
  const existing = await db.selectFrom("users").select("id").where("email", "=", SYSTEM_EMAIL).executeTakeFirst();
  if (existing) return existing.id;
  const row = await db
    .insertInto("users")
    .values({ email: SYSTEM_EMAIL, name: "Specwork import", role: "editor", password_hash: "!disabled", created_at: now(), disabled_at: now() })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listUsers(db: Db): Promise<PublicUser[]> {
  return db.selectFrom("users").select(["id", "email", "name", "role", "created_at", "disabled_at"]).where("email", "not like", `%${NON_PERSON_DOMAIN}`).orderBy("email").execute();
}

/** Changes a user's role or turns the account off; turning it off ends its sessions. */
export function updateUser(db: Db, id: number, change: { role?: Role; disabled?: boolean }, actor: { id: number; email: string }): Promise<void> {
  return inTransaction(db, (trx) => storeUserChange(trx, id, change, actor));
}

async function storeUserChange(
  db: Db,
  id: number,
  change: { role?: Role; disabled?: boolean },
  actor: { id: number; email: string },
): Promise<void> {
  const user = await findUser(db, id);
  // The import account is not a person's: it is never listed, and can never be turned on.
  if (!user || user.email.endsWith(NON_PERSON_DOMAIN)) throw invalid("there is no such user");
  if (id === actor.id && (change.disabled || (change.role && change.role !== "admin"))) {
    throw invalid("you cannot turn off your own account or remove your own admin role");
  }
  await db
    .updateTable("users")
    .set({
      ...(change.role ? { role: change.role } : {}),
      ...(change.disabled === undefined ? {} : { disabled_at: change.disabled ? now() : null }),
    })
    .where("id", "=", id)
    .execute();
  if (change.disabled) await db.deleteFrom("sessions").where("user_id", "=", id).execute();
  await recordAudit(db, { actor, action: "user.update", objectType: "user", objectId: String(id), details: change });
}

export const DEMO_ACCOUNTS: { email: string; name: string; role: Role }[] = [
  { email: "editor@example.nhs.uk", name: "Demo Editor", role: "editor" },
  { email: "commissioner@example.nhs.uk", name: "Demo Commissioner", role: "commissioner" },
  { email: "admin@example.nhs.uk", name: "Demo Admin", role: "admin" },
];

/**
 * On a database where no account can sign in, the three demo accounts (unless SPECWORK_DEMO=off).
 * The look and the accounts are one transaction: servers started together on a new PostgreSQL
 * database would otherwise each see no accounts, and all but the first fail to start on
 * "there is already an account". The others' transactions lose (serializable) and, run again,
 * find the accounts made.
 */
export async function ensureDemoUsers(db: Db, password: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const any = await trx.selectFrom("users").select("id").where("disabled_at", "is", null).limit(1).executeTakeFirst();
    if (any) return false;
    for (const account of DEMO_ACCOUNTS) {
      await createUser(trx, { ...account, password }, { id: null, email: "system" });
    }
    return true;
  });
}
