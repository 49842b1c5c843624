// Starts the built app on a free loopback port with a fresh database, for the browser tests.
import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { ensureDebianTools } from "../support/debian";
import { startServer } from "./server";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

export default async function setup(project: TestProject) {
  ensureDebianTools();
  if (!existsSync("build/index.js")) throw new Error("No build: run `npm run build` first (npm test does).");
  const server = await startServer();
  project.provide("baseURL", server.baseURL);
  return () => server.stop();
}
