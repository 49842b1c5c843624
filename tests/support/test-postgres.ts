// Which database the integration and browser tests run on. The projects whose names end in
// "-pg" run on PostgreSQL: their global setup starts a throw-away server, migrates one template
// database and seeds another, and provides the server's address; each test file (or test)
// then gets a database of its own, copied from a template in one CREATE DATABASE.
import pg from "pg";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The throw-away PostgreSQL server's maintenance database, when the project runs on it. */
    postgresURL: string | undefined;
  }
}

/** A migrated, empty database. */
export const MIGRATED_TEMPLATE = "specwork_migrated";
/** A migrated database seeded from specs/, as `npm start` makes one. */
export const SEEDED_TEMPLATE = "specwork_seeded";

/** The PostgreSQL server the tests run on, or undefined when they run on SQLite. */
export function testPostgresURL(): string | undefined {
  try {
    return inject("postgresURL") || undefined;
  } catch {
    return undefined; // outside a test run (a bench script, say)
  }
}

export function databaseURL(serverURL: string, name: string): string {
  const url = new URL(serverURL);
  url.pathname = `/${name}`;
  return url.toString();
}

let counter = 0;

async function onServer<T>(serverURL: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverURL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new database copied from `template`; its URL. */
export async function createDatabaseFrom(serverURL: string, template: string): Promise<string> {
  const name = `t_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  await onServer(serverURL, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return databaseURL(serverURL, name);
}

export async function dropDatabase(serverURL: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await onServer(serverURL, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
