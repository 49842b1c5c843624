// npm run loadtest: requests per second and p50/p99 latency for cached public pages of the
// production build on loopback, and for the same bytes from a bare node:http server in the same
// run. Loopback only; every loop is bounded in time and count.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeSpec } from "~/domain/source/write";
import { generateSpecification } from "./generate";

const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS || 32);
const SECONDS = Number(process.env.LOAD_SECONDS || 5);
const MAX_REQUESTS = 200_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

interface Result {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  bytes: number;
}

/** Keeps CONNECTIONS requests in flight for SECONDS, over keep-alive connections. */
async function load(url: string): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = http.get(url, { agent, headers: { "Accept-Encoding": "gzip" } }, (res) => {
        res.on("data", (chunk: Buffer) => (bytes += chunk.length));
        res.on("end", () => {
          if (res.statusCode === 200) latencies.push(performance.now() - started);
          else errors++;
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline && latencies.length + errors < MAX_REQUESTS) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? NaN;
  return { requests: latencies.length, rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, bytes };
}

function fetchRaw(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { "Accept-Encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

async function main() {
  if (!existsSync("build/index.js")) throw new Error("No build: run npm run build first.");
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-load-"));
  const specs = path.join(dir, "specs");
  cpSync("specs", specs, { recursive: true });
  const bench = generateSpecification(2016);
  writeFileSync(path.join(specs, "benchmark.md"), writeSpec(bench));
  const port = await freePort();
  const server = spawn(process.execPath, ["server.js"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: path.join(dir, "load.sqlite"), SPECS_DIR: specs, NODE_ENV: "production" },
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetchRaw(`${base}/`)).status === 200) break;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const pages = [
      ["version page (1.0)", "/specs/adult-external-beam-radiotherapy/v/1.0"],
      ["compare page (0.9...1.0)", "/specs/adult-external-beam-radiotherapy/compare/0.9...1.0"],
      ["50k-word benchmark version page", `/specs/${bench.meta.slug}/v/${bench.meta.version}`],
    ];
    console.log(`load: ${CONNECTIONS} keep-alive connections for ${SECONDS} s per page, gzip accepted, loopback; node ${process.version}\n`);
    for (const [name, url] of pages) {
      const first = await fetchRaw(base + url!); // renders and caches the page
      if (first.status !== 200) throw new Error(`${url} answered ${first.status}`);
      const app = await load(base + url!);
      // The same bytes and headers from a bare node:http server, as the yardstick.
      const barePort = await freePort();
      const cached = await fetchRaw(base + url!);
      const bare = http.createServer((_req, res) => {
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Encoding": String(cached.headers["content-encoding"] ?? "identity"), ETag: String(cached.headers.etag ?? "") });
        res.end(cached.body);
      });
      await new Promise<void>((r) => bare.listen(barePort, "127.0.0.1", r));
      const yardstick = await load(`http://127.0.0.1:${barePort}/`);
      await new Promise((r) => bare.close(r));
      const kib = (cached.body.length / 1024).toFixed(0);
      console.log(`${name} (${kib} KiB gzipped, cache ${cached.headers["x-specwork-cache"] ?? "miss"})`);
      console.log(`  specwork:  rps=${app.rps.toFixed(0)}  p50_ms=${app.p50.toFixed(2)}  p99_ms=${app.p99.toFixed(2)}  errors=${app.errors}`);
      console.log(`  bare http: rps=${yardstick.rps.toFixed(0)}  p50_ms=${yardstick.p50.toFixed(2)}  p99_ms=${yardstick.p99.toFixed(2)}  errors=${yardstick.errors}`);
    }
  } finally {
    server.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
