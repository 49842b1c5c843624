// The throw-away PostgreSQL server the PostgreSQL runs depend on: it starts, copies a template
// database with its tables and rows, drops databases, and leaves neither a process, an open port
// nor a folder behind when stopped.
import { existsSync } from "node:fs";
import net from "node:net";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startPostgres, type PostgresServer } from "../support/postgres";

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe("the throw-away PostgreSQL server", () => {
  let server: PostgresServer | undefined;
  afterAll(() => server?.stop());

  it("starts, copies a template with its table, drops databases, and stops leaving nothing behind", { timeout: 180_000 }, async () => {
    server = await startPostgres();
    expect(server.url).toBe(`postgres://specwork@127.0.0.1:${server.port}/postgres`);
    expect(await portAcceptsConnections(server.port)).toBe(true);

    // The settings the tests rely on: bytewise text order like SQLite's, room for many
    // connections, nothing waiting for the disk, loopback only.
    const settings = await withClient(server.url, async (client) => {
      const sorted = await client.query<{ word: string }>("select word from (values ('b'), ('B'), ('a'), ('é'), ('e')) as w(word) order by word");
      const shown = await client.query<{ name: string; setting: string }>(
        "select name, setting from pg_settings where name in ('max_connections', 'fsync', 'listen_addresses', 'server_encoding')",
      );
      const dataDir = await client.query<{ data_directory: string }>("show data_directory");
      return {
        sorted: sorted.rows.map((row) => row.word),
        ...Object.fromEntries(shown.rows.map((row) => [row.name, row.setting])),
        dataDir: dataDir.rows[0]?.data_directory ?? "",
      };
    });
    expect(settings).toMatchObject({ sorted: ["B", "a", "b", "e", "é"], max_connections: "300", fsync: "off", listen_addresses: "127.0.0.1", server_encoding: "UTF8" });
    expect(existsSync(settings.dataDir)).toBe(true);

    // A template holding a table and rows; a name that needs quoting on purpose.
    const templateUrl = await server.createDatabase("harness template");
    expect(templateUrl).toBe(server.urlFor("harness template"));
    await withClient(templateUrl, async (client) => {
      await client.query("create table clause (id serial primary key, heading text not null)");
      await client.query("insert into clause (heading) values ('Scope'), ('Eligibility')");
    });

    const copyUrl = await server.createDatabase('copy "one"', "harness template");
    const copied = await withClient(copyUrl, async (client) => {
      const database = await client.query<{ name: string }>("select current_database() as name");
      const rows = await client.query<{ heading: string }>("select heading from clause order by id");
      // A copy is its own database: writing to it leaves the template alone.
      await client.query("insert into clause (heading) values ('Outcomes')");
      return { database: database.rows[0]?.name, headings: rows.rows.map((row) => row.heading) };
    });
    expect(copied).toEqual({ database: 'copy "one"', headings: ["Scope", "Eligibility"] });
    const templateCount = await withClient(templateUrl, (client) => client.query<{ n: number }>("select count(*)::int as n from clause"));
    expect(templateCount.rows[0]?.n).toBe(2);

    // Dropping cuts off whoever is still connected, and dropping again is fine.
    const holdout = new pg.Client({ connectionString: copyUrl });
    holdout.on("error", () => {});
    await holdout.connect();
    await server.dropDatabase('copy "one"');
    await server.dropDatabase('copy "one"');
    await holdout.end().catch(() => {});
    const remaining = await withClient(server.url, (client) =>
      client.query<{ datname: string }>("select datname from pg_database where not datistemplate order by datname"),
    );
    expect(remaining.rows.map((row) => row.datname)).toEqual(["harness template", "postgres"]);
    await expect(withClient(copyUrl, (client) => client.query("select 1"))).rejects.toThrow(/does not exist/);

    const { port } = server;
    await server.stop();
    await server.stop();
    expect(await portAcceptsConnections(port)).toBe(false);
    expect(existsSync(settings.dataDir)).toBe(false);
    expect(existsSync(settings.dataDir.replace(/\/data$/, ""))).toBe(false);
  });
});
