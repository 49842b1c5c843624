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
