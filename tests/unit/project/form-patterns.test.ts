// The NHS.UK form patterns, checked in the source so a regression cannot slip in quietly: several
// choices are checkboxes (never a multiple select list box), dates are the three-field date input
// (never a browser date picker or a date typed as ISO text), long text has a character count, and
// the messages the page forms' schemas give are in sentence case.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file, pattern) : pattern.test(name) ? [file] : [];
  });
}

const pages = [...filesUnder("app/routes", /\.tsx$/), ...filesUnder("app/components", /\.tsx$/)];
const source = (file: string) => readFileSync(file, "utf8");
/** Each JSX element `<Tag …>` of a file, attributes and all (up to its first unnested `>`). */
const elements = (text: string, tag: string) => [...text.matchAll(new RegExp(`<${tag}\\b((?:[^>{]|\\{[^}]*\\})*)>`, "g"))].map((m) => m[1]!);
const where = (file: string, found: string) => `${file}: ${found.replace(/\s+/g, " ").slice(0, 120)}`;

describe("form fields follow the NHS.UK patterns", () => {
  it("finds the pages and components to check", () => {
    expect(pages.length).toBeGreaterThan(30);
    expect(pages).toContain(path.join("app/components", "version-annotations.tsx"));
  });

  it("never offers several choices as a multiple select (use Checkboxes)", () => {
    const found = pages.flatMap((file) => [...elements(source(file), "select"), ...elements(source(file), "Select")].filter((attrs) => /\bmultiple\b/.test(attrs)).map((attrs) => where(file, attrs)));
    expect(found).toEqual([]);
  });

  it("never asks for a date with a browser date picker or as ISO text (use DateInput)", () => {
    const found = pages.flatMap((file) => {
      const text = source(file);
      const inputs = [...elements(text, "input"), ...elements(text, "TextInput")];
      return [
        ...inputs.filter((attrs) => /type="(date|datetime-local|month)"/.test(attrs)).map((attrs) => where(file, attrs)),
        // A text field named or labelled as a date: a date typed as text.
        ...inputs.filter((attrs) => /\b(name|id|label)=("[^"]*date[^"]*"|\{`[^`]*date[^`]*`\})/i.test(attrs) && !/type="hidden"/.test(attrs)).map((attrs) => where(file, attrs)),
        // Hints asking for dates in ISO form.
        ...[...text.matchAll(/YYYY-MM-DD|such as \d{4}-\d{2}-\d{2}|\bfor example,? \d{4}-\d{2}-\d{2}/gi)].map((m) => where(file, m[0])),
      ];
    });
    expect(found).toEqual([]);
  });

  it("gives long text a character count (a textarea with a limit is a CharacterCount)", () => {
    const found = pages.flatMap((file) => elements(source(file), "TextArea").filter((attrs) => /maxLength=/.test(attrs)).map((attrs) => where(file, attrs)));
    expect(found).toEqual([]);
  });

  it("words the page forms' messages in sentence case", () => {
    const forms = [...filesUnder("app/routes", /\.tsx$/), ...filesUnder("app", /^[a-z-]+-form\.ts$/).filter((f) => path.dirname(f) === "app"), "app/forms.ts"];
    const found = forms.flatMap((file) =>
      [...source(file).matchAll(/(?:\berror:\s*|\bmessage:\s*|\.(?:min|max|regex|refine|length|int|positive)\([^()"`]*,\s*)(["`])([^"`]*)\1/g)]
        .filter((m) => !/^[A-Z0-9“${]/.test(m[2]!))
        .map((m) => where(file, m[0])),
    );
    expect(found).toEqual([]);
  });
});
