// Specwork's HTTP server: Express serving the Remix build, with the defences every request
// passes first (same-site writes, a body limit, the client's address behind a proxy).
import { statSync, watch } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { broadcastDevReady, createRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";
import compression from "compression";
import express from "express";

process.env.NODE_ENV ??= "production";
const here = path.dirname(fileURLToPath(import.meta.url));
const BUILD_FILE = path.join(here, "build", "index.js");
let build = await import(pathToFileURL(BUILD_FILE).href);

// Under `npm run dev`, `remix dev` rebuilds the app on every change; the server then loads the
// new build (a fresh import, by its modification time) and tells remix dev it is ready.
if (process.env.NODE_ENV === "development") {
  let loaded = statSync(BUILD_FILE).mtimeMs;
  let pending;
  watch(path.dirname(BUILD_FILE), () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const changed = statSync(BUILD_FILE, { throwIfNoEntry: false })?.mtimeMs;
      if (!changed || changed === loaded) return;
      loaded = changed;
      try {
        build = await import(`${pathToFileURL(BUILD_FILE).href}?t=${changed}`);
        console.log("Specwork: loaded the new build");
        await broadcastDevReady(build);
      } catch (error) {
        console.error(`Specwork: the new build did not load: ${error instanceof Error ? error.message : String(error)}`);
      }
    }, 100);
  });
  await broadcastDevReady(build);
}

/**
 * Which X-Forwarded-For entries to believe. Every proxy appends the address it received the
 * request from, so only the entries the operator's own proxies wrote are true; anything to their
 * left was written by the client. Hence a count of proxies (1, 2 …) or their addresses and
 * subnets, never "trust everything".
 */
function trustedProxies(setting) {
  const value = (setting ?? "").trim();
  if (value === "" || value === "0" || value.toLowerCase() === "off") return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^(true|yes|on|all|\*)$/i.test(value)) {
    throw new Error(`TRUST_PROXY=${value} would believe an X-Forwarded-For that any client can write: give the number of proxies in front of Specwork (such as 1) or their addresses (such as 10.0.0.2 or 10.0.0.0/8)`);
  }
  return value.split(",").map((part) => part.trim()).filter(Boolean);
}

const app = express();
app.disable("x-powered-by");
try {
  app.set("trust proxy", trustedProxies(process.env.TRUST_PROXY));
} catch (error) {
  console.error(`Specwork: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
app.use(compression());

const refuse = (res, status, error) => res.status(status).set("Cache-Control", "no-store").type("application/json").send(JSON.stringify({ error }));

// Headers every answer carries; HSTS only when the request came over TLS.
const SECURITY_HEADERS = [
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  ["X-Frame-Options", "DENY"],
];
const HSTS = ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"];
app.use((req, res, next) => {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
  if (req.secure) res.setHeader(...HSTS);
  next();
});

// Set once a signal asks the server to stop: it then finishes what it has, and takes no more.
let draining = false;
app.use((req, res, next) => {
  // A request that reaches a draining server on a kept-alive connection is answered, and the
  // connection closed after it, so the client opens its next one elsewhere.
  if (draining) res.setHeader("Connection", "close");
  next();
});

// A request that changes anything must come from this site. Browsers say where a request came
// from (Origin, Sec-Fetch-Site); clients that send neither, such as scripts, are not browsers
// that another site could have steered, so they pass.
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
app.use((req, res, next) => {
  if (SAFE.has(req.method)) return next();
  const origin = req.get("Origin");
  const site = req.get("Sec-Fetch-Site");
  const host = req.get("Host");
  let crossOrigin = origin === "null";
  if (origin !== undefined && origin !== "null") {
    try {
      crossOrigin = new URL(origin).host !== host;
    } catch {
      crossOrigin = true; // a malformed Origin is not this site
    }
  }
  if (crossOrigin || site === "cross-site" || site === "same-site") return refuse(res, 403, "requests that change data must come from this site");
  next();
});

// An address with a control character in it (%00, %0A …) is never a page here, and refusing it
// keeps the character out of error pages that repeat the address.
function hasControlCharacter(url) {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // Malformed escapes are the app's to answer; only what decodes is checked.
  }
  return /[\u0000-\u001f\u007f-\u009f]/.test(decoded);
}
app.use((req, res, next) => {
  if (hasControlCharacter(req.originalUrl)) return refuse(res, 400, "the address contains a control character");
  next();
});

// Every body is read here, counting bytes as they arrive, whatever the framing: a declared
// Content-Length over the limit is refused at once, and a chunked body as soon as it passes the
// limit. Nothing past the limit is kept. What the client is still sending after the 413 is read
// and dropped, up to a bound, and then the connection is cut: closing it at once would reset
// the connection before most clients had read the answer.
const MAX_BODY_BYTES = 4 * 1024 * 1024;
// The one page that takes files (importing responses from another tool) may be sent more.
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
const UPLOAD_PAGE = /^\/consultations\/[a-z0-9][a-z0-9-]*\/import\/?$/;
const limitOf = (req) => (req.method === "POST" && UPLOAD_PAGE.test(req.path) ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES);
const tooLarge = (limit) => `the request body is over the limit of ${limit} bytes (${limit / 1024 / 1024} MiB)`;

function refuseTooLarge(req, res, limit) {
  let dropped = 0;
  req.on("data", (chunk) => {
    dropped += chunk.length;
    if (dropped > 8 * limit) req.socket.destroy();
  });
  refuse(res, 413, tooLarge(limit));
}

app.use((req, res, next) => {
  const declared = req.get("Content-Length");
  if (declared === undefined && req.get("Transfer-Encoding") === undefined) return next();
  const limit = limitOf(req);
  if (Number(declared ?? 0) > limit) return refuseTooLarge(req, res, limit);
  const chunks = [];
  let size = 0;
  const onEnd = () => {
    req.body = Buffer.concat(chunks);
    next();
  };
  const onData = (chunk) => {
    size += chunk.length;
    if (size <= limit) return chunks.push(chunk);
    chunks.length = 0;
    req.off("data", onData).off("end", onEnd);
    refuseTooLarge(req, res, limit);
  };
  // A body that stops arriving (the client went away) leaves no one to answer.
  req.on("data", onData).on("end", onEnd).on("error", () => req.socket.destroy());
});

// For the reverse proxy or orchestrator: answered after the defences, but before the page cache
// and Remix, so that they need no session, are never cached and write nothing. /healthz: the
// database answers a trivial query (within 2 seconds). /readyz: the database is open, migrated
// and seeded, and the server is not shutting down, so it may be sent new requests.
const answer = (res, code, body) => res.status(code).set("Cache-Control", "no-store").type("application/json").send(JSON.stringify(body));
app.get("/healthz", async (req, res) => {
  const health = await build.entry.module.health();
  answer(res, health.status === "ok" ? 200 : 503, health);
});
app.get("/readyz", (req, res) => {
  if (draining) return answer(res, 503, { status: "unavailable", error: "the server is shutting down" });
  if (!build.entry.module.databaseReady()) return answer(res, 503, { status: "unavailable", error: "the server is starting" });
  answer(res, 200, { status: "ok" });
});

// Public pages rendered since the last change are answered from the cache, before Remix runs:
// mostly before Express runs at all (answerFromCache, below); here, the requests that way leaves
// to Express, such as the first after a start or one asking for another encoding. On a miss, the stamp just read goes with the request, so the page Remix renders is kept under
// the state of the database from before its data was loaded.
app.get("*", async (req, res, next) => {
  if ((req.get("Cookie") ?? "").includes("specwork_session=")) return next();
  try {
    const stamp = await build.entry.module.currentStamp();
    const page = await build.entry.module.cachedPage(req.originalUrl, stamp);
    if (!page) {
      req.cacheStamp = stamp;
      return next();
    }
    for (const [name, value] of page.headers) res.setHeader(name, value);
    res.setHeader("X-Specwork-Cache", "hit");
    if (req.get("If-None-Match") === page.etag) return res.status(304).end();
    // Negotiated as the compression middleware does, so "gzip;q=0" is a refusal, not a request.
    if (req.get("Accept-Encoding") !== undefined && req.acceptsEncodings("gzip", "identity") === "gzip") {
      res.setHeader("Content-Encoding", "gzip");
      res.setHeader("Vary", "Accept-Encoding");
      return res.status(page.status).end(page.gzipped);
    }
    return res.status(page.status).end(page.body);
  } catch (error) {
    next(error);
  }
});
app.use("/build", express.static(path.join(here, "public", "build"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(here, "public"), { maxAge: "1h" }));

// Nothing answered to someone signed in (or being signed in or out) may be kept by a browser or
// a shared cache: pages, JSON, single-fetch data, downloads and redirects alike.
function privateWhenPersonal(req, response) {
  const personal = (req.get("Cookie") ?? "").includes("specwork_session=") || response.headers.has("Set-Cookie");
  if (!personal) return response;
  const headers = new Headers(response.headers);
  headers.set("Cache-Control", "private, no-store");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function requestHeaders(incoming) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) headers.append(name, one);
  }
  return headers;
}

async function sendResponse(res, response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // Iterating Headers gives each Set-Cookie on its own, as they must be sent.
  for (const [name, value] of response.headers) res.append(name, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

// The Remix app, given the body read above (so it never reads the socket itself).
const handleRequest = createRequestHandler(() => build, process.env.NODE_ENV);
app.all("*", async (req, res, next) => {
  try {
    const controller = new AbortController();
    // Loaders and actions stop if the client goes away before the answer is sent.
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    let url;
    try {
      url = new URL(req.originalUrl, `${req.protocol}://${req.get("Host") ?? "localhost"}`);
    } catch {
      return refuse(res, 400, "the request's Host header is not a host name");
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(url, {
      method: req.method,
      headers: requestHeaders(req.headers),
      body: hasBody ? (req.body ?? Buffer.alloc(0)) : undefined,
      signal: controller.signal,
    });
    const response = await handleRequest(request, { clientAddress: req.ip ?? "unknown", cacheStamp: req.cacheStamp ?? null });
    await sendResponse(res, privateWhenPersonal(req, response));
  } catch (error) {
    next(error);
  }
});

const SHUTDOWN_TIMEOUT_MS = Number(process.env.SHUTDOWN_TIMEOUT_MS || 10_000);
if (!Number.isFinite(SHUTDOWN_TIMEOUT_MS) || SHUTDOWN_TIMEOUT_MS < 0) {
  console.error(`Specwork: SHUTDOWN_TIMEOUT_MS=${process.env.SHUTDOWN_TIMEOUT_MS} is not a number of milliseconds (such as 10000)`);
  process.exit(1);
}
/**
 * Whether the request came over TLS, as Express's req.secure decides it: the connection itself,
 * or the first X-Forwarded-Proto entry when the connection comes from a trusted proxy.
 */
const trustProxy = app.get("trust proxy fn");
function cameOverTLS(req) {
  if (req.socket.encrypted) return true;
  const forwarded = req.headers["x-forwarded-proto"];
  if (!forwarded || !trustProxy(req.socket.remoteAddress, 0)) return false;
  const comma = forwarded.indexOf(",");
  return (comma === -1 ? forwarded : forwarded.slice(0, comma)).trim() === "https";
}

/**
 * The headers of a cached page's answers, made once per page: the page's own (Content-Type,
 * Content-Security-Policy, Cache-Control, ETag), the ones every answer carries, and the length
 * of each form of the body. Flat name/value lists, as writeHead takes them.
 */
const hitHeaders = new WeakMap();
function headersOf(page) {
  let made = hitHeaders.get(page);
  if (made) return made;
  const common = [...SECURITY_HEADERS, ...page.headers, ["X-Specwork-Cache", "hit"], ["Vary", "Accept-Encoding"]].flat();
  made = {
    plain: [...common, "Content-Length", String(page.body.length)],
    gzipped: [...common, "Content-Encoding", "gzip", "Content-Length", String(page.gzipped.length)],
    notModified: common,
  };
  hitHeaders.set(page, made);
  return made;
}

/**
 * Answers a public page from the cache, before Express does any work, when that is certainly
 * what the Express way would answer; returns false otherwise, and the request goes through
 * Express and every defence there. Only a plain GET or HEAD qualifies: no session cookie, no
 * body (the body limits are Express's), no control character in the address, gzip or no
 * encoding asked for (other encodings are the compression middleware's), the server not
 * draining (Express then adds Connection: close), and the page fresh under the stamp held in
 * memory (page-cache.server.ts explains how that stays within a second of any change).
 */
function answerFromCache(req, res) {
  if ((req.method !== "GET" && req.method !== "HEAD") || draining) return false;
  const headers = req.headers;
  if (headers["content-length"] !== undefined || headers["transfer-encoding"] !== undefined) return false;
  if (headers.cookie !== undefined && headers.cookie.includes("specwork_session=")) return false;
  const accepts = headers["accept-encoding"];
  // Weights ("gzip;q=0") are negotiated by Express's way, not here.
  if (accepts !== undefined && accepts.includes("q=")) return false;
  const gzip = accepts !== undefined && /\bgzip\b/.test(accepts);
  if (accepts !== undefined && accepts.trim() !== "" && !gzip) return false;
  if (hasControlCharacter(req.url)) return false;
  const page = build.entry.module.cachedPageNow(req.url);
  if (!page) return false;
  const made = headersOf(page);
  const secure = cameOverTLS(req);
  const withHSTS = (list) => (secure ? [...list, ...HSTS] : list);
  if (headers["if-none-match"] === page.etag) {
    res.writeHead(304, withHSTS(made.notModified)).end();
  } else if (gzip) {
    res.writeHead(page.status, withHSTS(made.gzipped)).end(page.gzipped);
  } else {
    res.writeHead(page.status, withHSTS(made.plain)).end(page.body);
  }
  return true;
}

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || undefined;
const server = http.createServer((req, res) => {
  let answered = false;
  try {
    answered = answerFromCache(req, res);
  } catch (error) {
    // Nothing is sent before the last step, so the ordinary way can still answer.
    if (res.headersSent) throw error;
  }
  if (!answered) app(req, res);
});
server.listen(port, host, () => {
  console.log(`Specwork: http://${host ?? "localhost"}:${port}`);
});

/**
 * Stopping without cutting anyone off: /readyz says 503 and the server stops accepting
 * connections, requests in flight are finished (for up to SHUTDOWN_TIMEOUT_MS, after which the
 * connections left are cut), idle kept-alive connections are closed, then the database, and
 * the process exits with 0. A second signal exits at once, with 1.
 */
const inFlight = new Set();
server.on("request", (req, res) => {
  inFlight.add(res);
  res.on("close", () => {
    inFlight.delete(res);
    // The connection this answer went out on is idle now; closing it lets server.close() end.
    if (draining) setImmediate(() => server.closeIdleConnections());
  });
});

async function shutDown(signal) {
  if (draining) {
    console.log(`Specwork: ${signal} again, stopping at once`);
    process.exit(1);
  }
  draining = true;
  console.log(`Specwork: ${signal}, finishing ${inFlight.size} request${inFlight.size === 1 ? "" : "s"} in flight, then stopping`);
  // Answers not yet begun tell their clients that the connection closes after them.
  for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  const late = setTimeout(() => {
    console.warn(`Specwork: requests still in flight after ${SHUTDOWN_TIMEOUT_MS} ms (SHUTDOWN_TIMEOUT_MS) were cut off`);
    server.closeAllConnections();
  }, SHUTDOWN_TIMEOUT_MS);
  await closed;
  clearTimeout(late);
  try {
    await build.entry.module.closeDatabase();
  } catch (error) {
    console.error(`Specwork: the database did not close cleanly: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  console.log("Specwork: stopped");
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void shutDown(signal));
