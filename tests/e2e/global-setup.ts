// Starts the built app on a free loopback port with a fresh database, for the browser tests.
import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { ensureDebianTools } from "../support/debian";
import { startServer } from "./server";
import { startTestPostgres } from "../support/postgres-global-setup";
import { createDatabaseFrom, SEEDED_TEMPLATE } from "../support/test-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

export default async function setup(project: TestProject) {
  ensureDebianTools();
  if (!existsSync("build/index.js")) throw new Error("No build: run `npm run build` first (npm test does).");
  // The "-pg" project runs every browser test again with the app on PostgreSQL.
  const postgres = project.name.endsWith("-pg") ? await startTestPostgres(project) : undefined;
  try {
    const server = await startServer(postgres ? { DATABASE_URL: await createDatabaseFrom(postgres.url, SEEDED_TEMPLATE) } : {});
    project.provide("baseURL", server.baseURL);
    return async () => {
      await server.stop();
      await postgres?.stop();
    };
  } catch (error) {
    await postgres?.stop();
    throw error;
  }
}
