// The app's own stylesheet: a rule left open swallows every rule after it (browsers read them
// as nested), which hid nothing and broke the page quietly once already.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("app/styles/specwork.css", () => {
  it("closes every block it opens", () => {
    const css = readFileSync(path.resolve("app/styles/specwork.css"), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
    let depth = 0;
    const lines = css.split("\n");
    for (const [index, line] of lines.entries()) {
      for (const char of line) {
        if (char === "{") depth++;
        if (char === "}") depth--;
        expect(depth, `line ${index + 1} closes a block that was never opened`).toBeGreaterThanOrEqual(0);
      }
      // Only @media and @supports hold rules inside them: a rule's declarations never do.
      if (/^[.#a-z[*:][^{}]*\{\s*$/i.test(line) && !line.trimStart().startsWith("@")) {
        const rest = lines.slice(index + 1);
        const close = rest.findIndex((l) => l.includes("}"));
        const open = rest.findIndex((l) => l.includes("{"));
        expect(open === -1 || close < open, `the rule at line ${index + 1} (${line.trim()}) is still open when the next one starts`).toBe(true);
      }
    }
    expect(depth).toBe(0);
  });
});
