import { describe, expect, it } from "vitest";
import { tokenize, TOKEN_PATTERN } from "~/domain/redline/tokens";
import { seededRandom } from "../random";

const reference = (text: string) => text.match(TOKEN_PATTERN) ?? [];

describe("tokenize", () => {
  it.each([
    ["words, spaces and punctuation", "Each centre must: publish hours.", ["Each", " ", "centre", " ", "must", ":", " ", "publish", " ", "hours", "."]],
    ["apostrophes inside words", "England’s network's", ["England’s", " ", "network's"]],
    ["a no-break space as white space", "10\u00a0years", ["10", "\u00a0", "years"]],
    ["accents and combining marks", "Röntgen Zoe\u0308", ["Röntgen", " ", "Zoe\u0308"]],
    ["emoji sequences whole", "👩‍⚕️ and 🙂🙂", ["👩‍⚕️", " ", "and", " ", "🙂", "🙂"]],
    ["a lone surrogate as its own token", "a\ud800b", ["a", "\ud800", "b"]],
    ["letters beyond the basic plane", "𝐀𝐁 x", ["𝐀𝐁", " ", "x"]],
  ])("splits %s", (_name, text, tokens) => {
    expect(tokenize(text)).toEqual(tokens);
    expect(reference(text)).toEqual(tokens);
  });

  it("gives the same tokens as the defining pattern on 5000 random strings", () => {
    const alphabet = ["a", "Z", "9", " ", "\t", "\n", "\u00a0", "\u2009", "'", "’", "-", "–", ".", "é", "\u0301", "ß", "中", "🙂", "👩", "\u200d", "\ufe0f", "⚕", "©", "#", "\ud800", "𝐀", "\u3000"];
    const r = seededRandom(42);
    for (let i = 0; i < 5000; i++) {
      const text = Array.from({ length: r.int(30) }, () => r.pick(alphabet)).join("");
      expect(tokenize(text), JSON.stringify(text)).toEqual(reference(text));
      expect(tokenize(text).join("")).toBe(text);
    }
  }, 60_000);
});
