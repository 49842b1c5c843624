// Every installed package must run on the Node.js 20 releases the project supports, so that
// `npm ci` on Node 20 never warns EBADENGINE and nothing crashes at run time.
import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";

const project = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };

describe("the dependencies' engines", () => {
  it("supports a Node.js 20 release, and only ones the lockfile's packages accept", () => {
    // The Node 20 releases the project claims.
    const supported = `${project.engines.node.split("||")[0]!.trim()}`;
    expect(semver.intersects(supported, "20.x")).toBe(true);
    const refused = Object.entries(lock.packages)
      .filter(([name, entry]) => name !== "" && entry.engines && !Array.isArray(entry.engines) && entry.engines.node)
      .filter(([, entry]) => !semver.subset(supported, (entry.engines as { node: string }).node, { includePrerelease: false }))
      .map(([name, entry]) => `${name}@${entry.version} needs node ${(entry.engines as { node: string }).node}`);
    expect(refused).toEqual([]);
  });
});
