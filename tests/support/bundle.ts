// Bundles a TypeScript entry point once into a plain ES module, so a test can start it many
// times with `node` alone (about 0.1 s a start, against about 1.5 s through tsx).
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Builds `entry` into tests/.tmp (inside the project, so the bundle finds node_modules). Its
 * import.meta.url stays the entry's own, so files it finds beside itself are still found.
 */
export function bundle(entry: string, name: string): { file: string; remove: () => void } {
  mkdirSync(path.resolve("tests/.tmp"), { recursive: true });
  const file = path.resolve("tests/.tmp", `${name}-${process.pid}.mjs`);
  const built = spawnSync(
    path.resolve("node_modules/.bin/esbuild"),
    [entry, "--bundle", "--platform=node", "--format=esm", `--outfile=${file}`, "--packages=external", "--alias:~=./app", `--define:import.meta.url=${JSON.stringify(pathToFileURL(path.resolve(entry)).href)}`, "--log-level=error"],
    { encoding: "utf8" },
  );
  if (built.status !== 0) throw new Error(`could not bundle ${entry}: ${built.stderr}`);
  return { file, remove: () => rmSync(file, { force: true }) };
}
