import path from "node:path";
import { defineConfig } from "vitest/config";

// Five projects, run by `npm test` in order: unit; integration on a real SQLite file and again on
// PostgreSQL (integration-pg); the browser tests in Chromium on SQLite (e2e) and again with the
// app on PostgreSQL (e2e-pg). The "-pg" projects start a throw-away PostgreSQL server themselves.
// Budgets are set for a busy 2-core machine: heavy tests carry their own, larger ones.
export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], globalSetup: ["tests/support/global-setup.ts"], testTimeout: 20_000 },
      },
      {
        extends: true,
        test: { name: "integration", include: ["tests/integration/**/*.test.ts"], pool: "forks", testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          name: "integration-pg",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/support/postgres-global-setup.ts"],
          pool: "forks",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          // Two servers on one database is a PostgreSQL set-up: it runs in e2e-pg.
          exclude: ["tests/e2e/multi-server.test.ts"],
          globalSetup: ["tests/e2e/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e-pg",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
