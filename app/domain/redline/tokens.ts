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

/** Kind and length (1 or 2 code units) of the character at `i`. */
function charAt(text: string, i: number): [kind: number, length: number] {
  const code = text.charCodeAt(i);
  if (code < 128) return [ASCII[code]!, 1];
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return [classifyCodePoint((code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000), 2];
  }
  return [classifyCodePoint(code), 1];
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const [kind, length] = charAt(text, i);
    let j = i + length;
    if (kind === WORD) {
      while (j < n) {
        const [next, size] = charAt(text, j);
        if (next === WORD) {
          j += size;
        } else {
          const code = text.charCodeAt(j);
          if ((code === 39 || code === 0x2019) && j + 1 < n && charAt(text, j + 1)[0] === WORD) j += 1;
          else break;
        }
      }
    } else if (kind === SPACE) {
      while (j < n && charAt(text, j)[0] === SPACE) j++;
    } else if (kind === EMOJI) {
      while (j < n) {
        const code = text.charCodeAt(j);
        if (code === 0xfe0f) {
          j++;
        } else if (code === 0x200d && j + 1 < n && charAt(text, j + 1)[0] === EMOJI) {
          j += 1 + charAt(text, j + 1)[1];
        } else {
          break;
        }
      }
    }
    tokens.push(text.slice(i, j));
    i = j;
  }
  return tokens;
}

/** Gives each distinct token a small integer, so the diff compares numbers, not strings. */
export class TokenInterner {
  private readonly ids = new Map<string, number>();

  intern(tokens: string[]): Int32Array {
    const out = new Int32Array(tokens.length);
    tokens.forEach((token, index) => {
      let id = this.ids.get(token);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(token, id);
      }
      out[index] = id;
    });
    return out;
  }
}
