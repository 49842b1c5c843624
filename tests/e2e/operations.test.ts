// Health, readiness and stopping, as a reverse proxy or an orchestrator sees them. Each server
// here is started for the test, since the shutdown tests end it.
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startServer } from "./server";

type Server = Awaited<ReturnType<typeof startServer>>;
const started: Server[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) await server.stop();
});
async function start(env: Record<string, string> = {}): Promise<Server> {
  const server = await startServer(env);
  started.push(server);
  return server;
}

const portOf = (server: Server) => Number(new URL(server.baseURL).port);

/** A raw connection, to send a request in parts and read what comes back as it comes. */
function open(server: Server): Promise<{ socket: Socket; received: () => string; closed: Promise<void>; until: (pattern: RegExp) => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(portOf(server), "127.0.0.1");
    let text = "";
    const waiting: { pattern: RegExp; resolve: (s: string) => void }[] = [];
    const closed = new Promise<void>((r) => socket.once("close", () => r()));
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      for (const w of waiting.splice(0)) {
        if (w.pattern.test(text)) w.resolve(text);
        else waiting.push(w);
      }
    });
    socket.once("error", reject);
    socket.once("connect", () =>
      resolve({
        socket,
        received: () => text,
        closed,
        until: (pattern) => (pattern.test(text) ? Promise.resolve(text) : new Promise((r) => waiting.push({ pattern, resolve: r }))),
      }),
    );
  });
}

/**
 * Starts a request whose body the server has agreed to read (it answered "100 Continue"), so
 * that the request is surely in flight in the server, and holds the body back.
 */
async function requestInFlight(server: Server, path: string) {
  const connection = await open(server);
  connection.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n`);
  await connection.until(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
  return {
    ...connection,
    /** Sends the rest of the body and waits for the server to close the connection. */
    async finish(): Promise<{ status: number; headers: string; body: string }> {
      connection.socket.write("5\r\nhello\r\n0\r\n\r\n");
      await connection.closed;
      const answer = connection.received().replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, "");
      const [head = "", ...rest] = answer.split("\r\n\r\n");
      return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head, body: rest.join("\r\n\r\n") };
    },
  };
}

/** Waits, however long it takes, until the server refuses new connections. */
async function refusesConnections(server: Server): Promise<string> {
  for (;;) {
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(portOf(server), "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve("accepted");
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    if (outcome !== "accepted") return outcome;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Undici keeps connections open; a request that must not reuse one says so. */
const fresh = { headers: { Connection: "close" } };

describe("health and readiness", () => {
  it("/healthz checks the database and says so in JSON; /readyz says the server may be sent requests; neither is cached or audited", async () => {
    const server = await start();
    // A cached public page is served only while no audit entry has been written since it was
    // rendered, on either database: so it says whether the checks below wrote one.
    const page = `${server.baseURL}/specs/adult-external-beam-radiotherapy/v/1.0`;
    await fetch(page, fresh);
    expect((await fetch(page, fresh)).headers.get("X-Specwork-Cache")).toBe("hit");

    for (let i = 0; i < 3; i++) {
      const health = await fetch(`${server.baseURL}/healthz`, fresh);
      expect(health.status).toBe(200);
      expect(health.headers.get("Content-Type")).toMatch(/^application\/json/);
      expect(health.headers.get("Cache-Control")).toBe("no-store");
      expect(health.headers.get("X-Specwork-Cache")).toBeNull();
      expect(await health.json()).toEqual({ status: "ok" });
    }
    const ready = await fetch(`${server.baseURL}/readyz`, fresh);
    expect(ready.status).toBe(200);
    expect(ready.headers.get("Cache-Control")).toBe("no-store");
    expect(await ready.json()).toEqual({ status: "ok" });

    // HEAD as well, with no body; and a session cookie changes nothing.
    for (const path of ["/healthz", "/readyz"]) {
      const head = await fetch(`${server.baseURL}${path}`, { method: "HEAD", ...fresh });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
      const withCookie = await fetch(`${server.baseURL}${path}`, { headers: { Connection: "close", Cookie: "specwork_session=not-a-real-session" } });
      expect(withCookie.status).toBe(200);
    }
    expect((await fetch(page, fresh)).headers.get("X-Specwork-Cache")).toBe("hit");
  });
});

describe("graceful shutdown", () => {
  it("on SIGTERM finishes the requests in flight, says it is not ready, refuses new connections, then exits with 0", async () => {
    const server = await start({ SHUTDOWN_TIMEOUT_MS: "600000" });
    const page = await requestInFlight(server, "/");
    const readiness = await requestInFlight(server, "/readyz");

    process.kill(server.pid, "SIGTERM");
    expect(["ECONNREFUSED", "ECONNRESET"]).toContain(await refusesConnections(server));

    // Both requests began before the signal, so both are answered in full, and their
    // connections closed after them.
    const answered = await page.finish();
    expect(answered.status).toBe(200);
    expect(answered.headers).toMatch(/\r\nConnection: close\r\n/i);
    expect(answered.body).toContain("</html>");
    const notReady = await readiness.finish();
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toEqual({ status: "unavailable", error: "the server is shutting down" });

    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("Specwork: stopped");
  });

  it("cuts off a request still in flight after SHUTDOWN_TIMEOUT_MS, and still exits with 0", async () => {
    const server = await start({ SHUTDOWN_TIMEOUT_MS: "500" });
    const held = await requestInFlight(server, "/");
    process.kill(server.pid, "SIGTERM");
    expect(await server.exited).toBe(0);
    await held.closed;
    expect(held.received()).not.toMatch(/HTTP\/1\.1 200/);
    expect(server.output()).toContain("were cut off");
  });

  it("exits at once on a second signal, with 1", async () => {
    const server = await start({ SHUTDOWN_TIMEOUT_MS: "600000" });
    const held = await requestInFlight(server, "/");
    process.kill(server.pid, "SIGTERM");
    await refusesConnections(server);
    process.kill(server.pid, "SIGINT");
    expect(await server.exited).toBe(1);
    await held.closed;
    expect(server.output()).toContain("SIGINT again, stopping at once");
  });
});
