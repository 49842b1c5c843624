import { describe, expect, it } from "vitest";
import { contentHash } from "~/domain/hashing";
import { schemaProblem } from "~/domain/schema";
import { parseSpec } from "~/domain/source/parse";
import { writeSpec } from "~/domain/source/write";
import { randomDoc } from "../random-doc";

describe("write then parse", () => {
  it("gives back the identical document for 1000 random documents", () => {
    // The generated documents must themselves be valid, or the test proves nothing.
    for (let seed = 1; seed <= 1000; seed++) {
      const doc = randomDoc(seed);
      expect(schemaProblem(doc), `seed ${seed}`).toBeNull();
      const text = writeSpec({ meta: { slug: "random", version: "1.0", label: null, date: null, status: null }, doc });
      const result = parseSpec(text, `seed-${seed}.md`);
      if (!result.ok) throw new Error(`seed ${seed}: ${result.problems.map((p) => p.message).join("; ")}\n${text}`);
      expect(result.source.doc, `seed ${seed}\n${text}`).toEqual(doc);
      expect(contentHash(result.source.doc)).toBe(contentHash(doc));
    }
  });
});
