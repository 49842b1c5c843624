import { describe, expect, it } from "vitest";
import { crashTest } from "../crash/harness";

describe("crash safety", () => {
  it("survives 100 SIGKILLs during writes: intact database, hash chain valid, every acknowledged write kept", async () => {
    const report = await crashTest(100);
    console.log(`crash test: ${report.kills} kills, ${report.acknowledged} acknowledged writes, ${report.problems.length} problems`);
    expect(report.problems).toEqual([]);
    expect(report.acknowledged).toBeGreaterThan(100);
  }, 300_000);
});
