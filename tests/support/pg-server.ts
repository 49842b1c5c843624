// A throw-away PostgreSQL server for trying Specwork by hand and for the load test:
//
//   npx tsx tests/support/pg-server.ts [--database specwork]
//
// prints `DATABASE_URL=postgres://…` for a fresh, empty database on its first line of output and
// keeps the server running until Ctrl+C (or SIGTERM); then the server and its folder are gone.
import { parseArgs } from "node:util";
import { startPostgres } from "./postgres";

const { values } = parseArgs({ options: { database: { type: "string", default: "specwork" } } });
const database = values.database ?? "specwork";

const server = await startPostgres();
let url: string;
try {
  url = await server.createDatabase(database);
} catch (error) {
  await server.stop();
  throw error;
}

console.log(`DATABASE_URL=${url}`);
console.error(
  `PostgreSQL ${server.install.major} is running on 127.0.0.1:${server.port} (maintenance database: ${server.url}).\n` +
    `Try the app with: DATABASE_URL=${url} npm start\n` +
    `Everything in it is thrown away when you press Ctrl+C.`,
);

let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.error(`\n${signal}: stopping PostgreSQL…`);
  server.stop().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
process.on("SIGHUP", shutdown);
// Nothing else holds the event loop open once the server is up.
setInterval(() => {}, 1 << 30);
