import { describe, expect, it } from "vitest";
import { canonicalJson, contentHash, sha256Of } from "~/domain/hashing";
import { clause, doc, section } from "../builders";

describe("canonical JSON and content hash", () => {
  it("sorts keys at every depth and drops insignificant whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it("gives the same hash whatever the key order", () => {
    const one = doc(section("s", "S", clause("a", "Alpha")));
    const reordered = JSON.parse(JSON.stringify(one), (_key, value) =>
      value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    );
    expect(Object.keys(reordered)[0]).not.toBe(Object.keys(one)[0]);
    expect(contentHash(reordered)).toBe(contentHash(one));
  });

  it("changes when one character of a clause changes", () => {
    expect(contentHash(doc(section("s", "S", clause("a", "Alpha"))))).not.toBe(contentHash(doc(section("s", "S", clause("a", "Alphb")))));
  });

  it("is sha256 of the UTF-8 canonical JSON, as a prefixed hex string", () => {
    // Known SHA-256 of the empty string and of "abc".
    expect(sha256Of("")).toBe("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Of("abc")).toBe("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Of("£")).toBe(sha256Of("\u00a3"));
    expect(contentHash(doc())).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
