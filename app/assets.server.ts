// The NHS.UK frontend stylesheet, served from the installed package: its remote font faces are
// dropped (no third-party requests; the stack falls back to Arial) and its icons are inlined.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { sha256Of } from "~/domain/hashing";

const require = createRequire(import.meta.url);

let cached: { css: string; etag: string; version: string } | undefined;

function packageDir(): string {
  return path.dirname(require.resolve("nhsuk-frontend/package.json"));
}

export function nhsukVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageDir(), "package.json"), "utf8")) as { version: string }).version;
}

export function nhsukStylesheet(): { css: string; etag: string; version: string } {
  if (cached) return cached;
  const dist = path.join(packageDir(), "dist", "nhsuk");
  const css = readFileSync(path.join(dist, "nhsuk-frontend.min.css"), "utf8")
    .replace(/@font-face\{[^}]*url\(https?:[^}]*\}/g, "")
    .replace(/url\(\/assets\/images\/([a-z0-9-]+\.svg)\)/g, (_match, file: string) => {
      const svg = readFileSync(path.join(dist, "assets", "images", file));
      return `url("data:image/svg+xml;base64,${svg.toString("base64")}")`;
    });
  cached = { css, etag: `"${sha256Of(css).slice(7, 39)}"`, version: nhsukVersion() };
  return cached;
}
