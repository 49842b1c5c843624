// Specwork's HTTP server: Express serving the Remix build. A custom server (rather than
// remix-serve) so that loaders see the client's address, for sign-in rate limits.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

process.env.NODE_ENV ??= "production";
const here = path.dirname(fileURLToPath(import.meta.url));
const build = await import(path.join(here, "build", "index.js"));

const app = express();
app.disable("x-powered-by");
// Behind a proxy, TRUST_PROXY=1 makes req.ip the client's address from X-Forwarded-For.
if (process.env.TRUST_PROXY === "1") app.set("trust proxy", true);
app.use(compression());

// Headers every answer carries; HSTS only when the request came over TLS.
app.use((req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
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
  if (crossOrigin || site === "cross-site" || site === "same-site") {
    res.status(403).type("application/json").send(JSON.stringify({ error: "requests that change data must come from this site" }));
    return;
  }
  next();
});

// Bodies larger than any form or save needs are refused before they are read.
const MAX_BODY_BYTES = 4 * 1024 * 1024;
app.use((req, res, next) => {
  if (Number(req.get("Content-Length") ?? 0) > MAX_BODY_BYTES) {
    res.status(413).type("application/json").send(JSON.stringify({ error: `the request body is over ${MAX_BODY_BYTES} bytes` }));
    return;
  }
  next();
});
// Public pages rendered since the last change are answered from the cache, before Remix runs.
app.get("*", async (req, res, next) => {
  if ((req.get("Cookie") ?? "").includes("specwork_session=")) return next();
  try {
    const page = await build.entry.module.cachedPage(req.originalUrl);
    if (!page) return next();
    for (const [name, value] of page.headers) res.setHeader(name, value);
    res.setHeader("X-Specwork-Cache", "hit");
    if (req.get("If-None-Match") === page.etag) return res.status(304).end();
    if (/\bgzip\b/.test(req.get("Accept-Encoding") ?? "")) {
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
app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req) => ({ clientAddress: req.ip ?? "unknown" }),
  }),
);

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || undefined;
const server = app.listen(port, host, () => {
  console.log(`Specwork: http://${host ?? "localhost"}:${port}`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
