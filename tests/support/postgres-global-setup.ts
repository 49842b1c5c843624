// Global setup of the projects that run on PostgreSQL: a throw-away server (or the one named by
// SPECWORK_TEST_POSTGRES_SERVER, a postgres:// URL of a maintenance database that the tests may
// create and drop databases on), with the two template databases the tests copy.
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateToLatest, openDatabase } from "~/models/db.server";
import { seedIfEmpty } from "~/models/library.server";
import { databaseURL, MIGRATED_TEMPLATE, SEEDED_TEMPLATE } from "./test-postgres";

async function recreate(serverURL: string, name: string, template = "template0"): Promise<void> {
  const client = new pg.Client({ connectionString: serverURL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await client.end();
  }
}

export async function prepareTemplates(serverURL: string): Promise<void> {
  await recreate(serverURL, MIGRATED_TEMPLATE);
  const migrated = openDatabase(databaseURL(serverURL, MIGRATED_TEMPLATE), { poolSize: 1 });
  try {
    await migrateToLatest(migrated);
  } finally {
    await migrated.destroy();
  }
  await recreate(serverURL, SEEDED_TEMPLATE, MIGRATED_TEMPLATE);
  const seeded = openDatabase(databaseURL(serverURL, SEEDED_TEMPLATE), { poolSize: 1 });
  try {
    await seedIfEmpty(seeded, path.resolve("specs"));
  } finally {
    await seeded.destroy();
  }
}

/** Starts (or takes) the server, makes the templates, and provides its address to the tests. */
export async function startTestPostgres(project: TestProject): Promise<{ url: string; stop: () => Promise<void> }> {
  const given = process.env.SPECWORK_TEST_POSTGRES_SERVER;
  const { startPostgres } = given ? { startPostgres: undefined } : await import("./postgres");
  const server = given ? { url: given, stop: async () => {} } : await startPostgres!();
  try {
    await prepareTemplates(server.url);
  } catch (error) {
    await server.stop();
    throw error;
  }
  project.provide("postgresURL", server.url);
  return server;
}

export default async function setup(project: TestProject) {
  const server = await startTestPostgres(project);
  return () => server.stop();
}
