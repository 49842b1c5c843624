// The one rule for which characters text may hold wherever it is stored and shown; each refusal
// names the character and where it is, in words.
//
// Refused: control characters, invisible characters that change how text reads (direction
// overrides, zero-width characters …), and line breaks in fields that have no lines.
// Allowed on purpose:
// - tab, as ordinary white space;
// - the direction marks U+200E, U+200F and U+061C, which right-to-left text needs and which,
//   unlike embeddings, overrides and isolates, cannot reorder the text around them;
// - the zero-width joiner U+200D between emoji (👩‍⚕️, 🏳️‍🌈 are one picture each), and both
//   joiners U+200C and U+200D between letters of the scripts that spell with them (Arabic,
//   Persian, Syriac and the Indic scripts); anywhere else, as between Latin letters, they only
//   hide text;
// - tag characters only inside a flag emoji (🏴 followed by tags, as in the flag of England);
// - variation selectors and skin-tone modifiers, which are part of emoji.

export interface TextRules {
  /** Whether the field holds lines (a note, a comment): LF and CRLF are then allowed. */
  lines?: boolean;
}

export type RefusalKind = "control" | "line break" | "separator" | "direction" | "zero-width" | "tag" | "non-character" | "surrogate";

export interface RefusedCharacter {
  /** Where it is, in UTF-16 code units (a JavaScript string index). */
  index: number;
  /** Where it is for a person: the 1-based count of characters. */
  position: number;
  codePoint: number;
  kind: RefusalKind;
  /** What it is, in words, such as "control character U+0000 (null)". */
  description: string;
}

const NAMES: Record<number, string> = {
  0x00: "null",
  0x07: "bell",
  0x08: "backspace",
  0x0b: "vertical tab",
  0x0c: "form feed",
  0x1b: "escape",
  0x7f: "delete",
  0x85: "next line",
  0x200b: "zero-width space",
  0x200c: "zero-width non-joiner",
  0x200d: "zero-width joiner",
  0x2060: "word joiner",
  0xfeff: "zero-width no-break space, or byte-order mark",
  0x202a: "left-to-right embedding",
  0x202b: "right-to-left embedding",
  0x202c: "pop directional formatting",
  0x202d: "left-to-right override",
  0x202e: "right-to-left override",
  0x2066: "left-to-right isolate",
  0x2067: "right-to-left isolate",
  0x2068: "first strong isolate",
  0x2069: "pop directional isolate",
};

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
const named = (codePoint: number) => (NAMES[codePoint] ? `${hex(codePoint)} (${NAMES[codePoint]})` : hex(codePoint));

const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;
// What may stand between a pictograph and a joiner: a skin-tone modifier or the emoji selector.
const EMOJI_TAIL = /^[\p{Emoji_Modifier}\uFE0F]$/u;
const JOINING_SCRIPT =
  /^[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}]$/u;
const BLACK_FLAG = 0x1f3f4;
const CANCEL_TAG = 0xe007f;

const isControl = (c: number) => c <= 0x1f || (c >= 0x7f && c <= 0x9f);
const isDirection = (c: number) => (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
const isZeroWidth = (c: number) => c === 0x200b || c === 0x200c || c === 0x200d || c === 0xfeff || c === 0x180e || (c >= 0x2060 && c <= 0x2064) || (c >= 0x206a && c <= 0x206f) || (c >= 0xfff9 && c <= 0xfffb);
const isTag = (c: number) => c >= 0xe0000 && c <= 0xe007f;
const isNonCharacter = (c: number) => (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) === 0xfffe;

// Every character that might be refused, for a quick test that lets ordinary text through at once.
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u180e\u200b-\u200d\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\u{e0000}-\u{e007f}\p{Noncharacter_Code_Point}]/u;

/** Every character of `text` the policy refuses, in order. */
export function refusedCharacters(text: string, rules: TextRules = {}): RefusedCharacter[] {
  if (!SUSPECT.test(text)) return [];
  const refused: RefusedCharacter[] = [];
  const chars = Array.from(text);
  const codes = chars.map((ch) => ch.codePointAt(0)!);
  let index = 0;
  let inFlag = false;
  codes.forEach((c, i) => {
    const refuse = (kind: RefusalKind, description: string) => refused.push({ index, position: i + 1, codePoint: c, kind, description });
    const before = chars[i - 1] ?? "";
    const after = chars[i + 1] ?? "";
    if (c === 0x0a) {
      if (!rules.lines) refuse("line break", "line break");
    } else if (c === 0x0d) {
      if (!rules.lines) refuse("line break", "line break");
      else if (codes[i + 1] !== 0x0a) refuse("control", "carriage return without a line feed");
    } else if (c === 0x09) {
      // ordinary white space
    } else if (isControl(c)) {
      refuse("control", `control character ${named(c)}`);
    } else if (c === 0x2028 || c === 0x2029) {
      refuse("separator", `${c === 0x2028 ? "line" : "paragraph"} separator ${hex(c)}`);
    } else if (isDirection(c)) {
      refuse("direction", `invisible text-direction character ${named(c)}`);
    } else if (isZeroWidth(c)) {
      const joiner = c === 0x200c || c === 0x200d;
      const spelling = joiner && JOINING_SCRIPT.test(before) && JOINING_SCRIPT.test(after);
      const emoji = c === 0x200d && PICTOGRAPH.test(after) && (PICTOGRAPH.test(before) || (EMOJI_TAIL.test(before) && PICTOGRAPH.test(chars[i - 2] ?? "")));
      if (!spelling && !emoji) refuse("zero-width", `invisible zero-width character ${named(c)}`);
    } else if (isTag(c)) {
      if (!inFlag) refuse("tag", `invisible tag character ${hex(c)}`);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // Array.from keeps a lone surrogate as a character of its own; a pair is one code point.
      refuse("surrogate", `lone surrogate ${hex(c)} (half of a character)`);
    } else if (isNonCharacter(c)) {
      refuse("non-character", `non-character ${hex(c)}`);
    }
    if (c === BLACK_FLAG) inFlag = true;
    else if (c === CANCEL_TAG || !isTag(c)) inFlag = false;
    index += chars[i]!.length;
  });
  return refused;
}

const WHY: Partial<Record<RefusalKind, string>> = {
  "line break": ", which this field cannot hold",
  separator: ", which is not an ordinary line break",
  surrogate: ", so the text is not valid Unicode",
};

/**
 * Why `text` is refused, as words to follow the field's name ("has a control character U+0000
 * (null) at character 5; remove it"), or null when it is fine.
 */
export function textProblem(text: string, rules: TextRules = {}): string | null {
  const first = refusedCharacters(text, rules)[0];
  if (!first) return null;
  const article = /^[aeiou]/.test(first.description) ? "an" : "a";
  return `has ${article} ${first.description} at character ${first.position}${WHY[first.kind] ?? ""}; remove it`;
}

/** The policy as a zod refinement: `z.string().superRefine(followsTextPolicy({ lines: true }))`. */
export function followsTextPolicy(rules: TextRules = {}) {
  return (value: string, ctx: { addIssue: (issue: { code: "custom"; message: string }) => void }) => {
    const problem = textProblem(value, rules);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  };
}
