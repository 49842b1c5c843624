// Word tokens for the redline: words (with inner apostrophes), runs of white space, emoji
// sequences, and any other single character. Every character of the input is in exactly one
// token, so joined tokens give the text back exactly.
//
// TOKEN_PATTERN is the definition; tokenize() is a faster scanner that gives the same tokens
// (a unit test compares them), classifying ASCII from a table and other characters once each.

export const TOKEN_PATTERN =
  /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|\s+|\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*\uFE0F?|[\s\S]/gu;

const WORD = 1;
const SPACE = 2;
const EMOJI = 3;
const OTHER = 4;

const classes = new Map<number, number>();

function classifyCodePoint(codePoint: number): number {
  let kind = classes.get(codePoint);
  if (kind === undefined) {
    const char = String.fromCodePoint(codePoint);
    kind = /[\p{L}\p{N}\p{M}]/u.test(char) ? WORD : /\s/.test(char) ? SPACE : /\p{Extended_Pictographic}/u.test(char) ? EMOJI : OTHER;
    classes.set(codePoint, kind);
  }
  return kind;
}

const ASCII = new Uint8Array(128).map((_, code) => classifyCodePoint(code));

/**
 * Kind and length (1 or 2 code units) of the character at `i`, packed as kind * 4 + length: a
 * number rather than a pair, so that scanning allocates nothing per character.
 */
function charAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 128) return ASCII[code]! * 4 + 1;
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return classifyCodePoint((code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000) * 4 + 2;
  }
  return classifyCodePoint(code) * 4 + 1;
}

const kindAt = (text: string, i: number) => charAt(text, i) >> 2;

/** Where the token that starts at `i` ends (`end` bounds the text). */
function tokenEnd(text: string, i: number, n: number): number {
  const first = charAt(text, i);
  const kind = first >> 2;
  let j = i + (first & 3);
  if (kind === WORD) {
    while (j < n) {
      const next = charAt(text, j);
      if (next >> 2 === WORD) {
        j += next & 3;
      } else {
        const code = text.charCodeAt(j);
        if ((code === 39 || code === 0x2019) && j + 1 < n && kindAt(text, j + 1) === WORD) j += 1;
        else break;
      }
    }
  } else if (kind === SPACE) {
    while (j < n && kindAt(text, j) === SPACE) j++;
  } else if (kind === EMOJI) {
    while (j < n) {
      const code = text.charCodeAt(j);
      if (code === 0xfe0f) {
        j++;
      } else if (code === 0x200d && j + 1 < n && kindAt(text, j + 1) === EMOJI) {
        j += 1 + (charAt(text, j + 1) & 3);
      } else {
        break;
      }
    }
  }
  return j;
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const n = text.length;
  for (let i = 0; i < n; ) {
    const j = tokenEnd(text, i, n);
    tokens.push(text.slice(i, j));
    i = j;
  }
  return tokens;
}

/** Whether the code unit is white space (no surrogate is). */
function isSpace(code: number): boolean {
  if (code < 128) return ASCII[code] === SPACE;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return classifyCodePoint(code) === SPACE;
}

/**
 * Whether the text can be cut at `at` without changing its tokens: tokens never join white space
 * to anything else, and no token's look-ahead reaches past a change between white space and not,
 * so where one meets the other, tokenize(text) = tokenize(before) followed by tokenize(after).
 * Either end of the text is such a place too.
 */
export function isTokenCut(text: string, at: number): boolean {
  return at === 0 || at === text.length || isSpace(text.charCodeAt(at - 1)) !== isSpace(text.charCodeAt(at));
}

/**
 * Gives each distinct token a small integer, so the diff compares numbers, not strings. The
 * table is its own (open addressing on a hash of the token's code units) so that scanning a text
 * looks its tokens up in place, without cutting a string for each one.
 */
// FNV-1a over UTF-16 code units.
const FNV_OFFSET = -2128831035;
const FNV_PRIME = 16777619;

export class TokenInterner {
  private readonly tokens: string[] = [];
  /** Per slot: the token's id + 1, or 0 for an empty slot. */
  private slots = new Int32Array(1 << 10);
  private hashes = new Int32Array(1 << 10);
  private scratchIds = new Int32Array(256);
  private scratchEnds = new Int32Array(256);
  private readonly space = this.id(" ", 0, 1);

  intern(tokens: string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index]!;
      out[index] = this.id(token, 0, token.length);
    }
    return out;
  }

  /**
   * The tokens of text[start, end) as ids, with where each ends in `text`: tokenize and intern
   * in one pass. `start` and `end` must be places isTokenCut allows.
   */
  scan(text: string, start: number, end: number): { ids: Int32Array; ends: Int32Array } {
    // Tokens are counted into scratch arrays kept from call to call, then copied out at their size.
    let ids = this.scratchIds;
    let ends = this.scratchEnds;
    let count = 0;
    for (let i = start; i < end; ) {
      let j: number;
      let id: number;
      const code = text.charCodeAt(i);
      if (code < 128 && ASCII[code] === WORD) {
        // Most words are plain ASCII: hash them as they are scanned. A word that goes on past
        // ASCII, or through an apostrophe, takes the general path.
        let hash = Math.imul(FNV_OFFSET ^ code, FNV_PRIME);
        let next = -1;
        for (j = i + 1; j < end; j++) {
          next = text.charCodeAt(j);
          if (next >= 128 || ASCII[next] !== WORD) break;
          hash = Math.imul(hash ^ next, FNV_PRIME);
        }
        if (j < end && (next >= 128 || next === 39)) {
          j = tokenEnd(text, i, end);
          id = this.id(text, i, j);
        } else {
          id = this.lookup(hash, text, i, j);
        }
      } else {
        j = tokenEnd(text, i, end);
        // One space is about every other token: its id is kept rather than looked up.
        id = j === i + 1 && code === 32 ? this.space : this.id(text, i, j);
      }
      if (count === ids.length) {
        const grownIds = new Int32Array(count * 2);
        const grownEnds = new Int32Array(count * 2);
        grownIds.set(ids);
        grownEnds.set(ends);
        this.scratchIds = ids = grownIds;
        this.scratchEnds = ends = grownEnds;
      }
      ids[count] = id;
      ends[count++] = j;
      i = j;
    }
    return { ids: ids.slice(0, count), ends: ends.slice(0, count) };
  }

  /** The id of text[start, end). */
  private id(text: string, start: number, end: number): number {
    let hash = FNV_OFFSET;
    for (let k = start; k < end; k++) hash = Math.imul(hash ^ text.charCodeAt(k), FNV_PRIME);
    return this.lookup(hash, text, start, end);
  }

  /** The id of text[start, end), whose hash is `hash`. */
  private lookup(hash: number, text: string, start: number, end: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) {
        const id = this.tokens.length;
        this.tokens.push(start === 0 && end === text.length ? text : text.slice(start, end));
        this.slots[slot] = id + 1;
        this.hashes[slot] = hash;
        if (this.tokens.length * 2 > this.slots.length) this.grow();
        return id;
      }
      if (this.hashes[slot] === hash && sameText(this.tokens[entry - 1]!, text, start, end)) return entry - 1;
    }
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const hashes = new Int32Array(slots.length);
    const mask = slots.length - 1;
    for (let old = 0; old < this.slots.length; old++) {
      const entry = this.slots[old]!;
      if (entry === 0) continue;
      let slot = this.hashes[old]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry;
      hashes[slot] = this.hashes[old]!;
    }
    this.slots = slots;
    this.hashes = hashes;
  }
}

function sameText(token: string, text: string, start: number, end: number): boolean {
  if (token.length !== end - start) return false;
  for (let k = 0; k < token.length; k++) if (token.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}
