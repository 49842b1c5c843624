import { describe, expect, it } from "vitest";
import { parseInline, writeInline } from "~/domain/source/inline";
import type { TextJSON } from "~/domain/schema";
import { em, link, marked, strong } from "../builders";

const plain = (text: string): TextJSON => ({ type: "text", text });

describe("inline marks", () => {
  it.each<[string, TextJSON[]]>([
    ["a **b** c", [plain("a "), strong("b"), plain(" c")]],
    ["a *b* c", [plain("a "), em("b"), plain(" c")]],
    ["***both***", [marked("both", { type: "strong" }, { type: "em" })]],
    ["**a *b* c**", [strong("a "), marked("b", { type: "strong" }, { type: "em" }), strong(" c")]],
    ["x*y*z", [plain("x"), em("y"), plain("z")]],
    ["[NHS](https://www.england.nhs.uk)", [link("NHS", "https://www.england.nhs.uk")]],
    ["**[bold link](https://a.org)**", [marked("bold link", { type: "link", attrs: { href: "https://a.org" } }, { type: "strong" })]],
    ["5 * 3", [plain("5 * 3")]],
    ["**unclosed", [plain("**unclosed")]],
    ["[not a link] (x)", [plain("[not a link] (x)")]],
    ["a \\*literal\\* \\[b\\] \\\\ c", [plain("a *literal* [b] \\ c")]],
  ])("reads %j", (source, expected) => {
    expect(parseInline(source)).toEqual({ content: expected, problems: [] });
  });

  it.each<[string, TextJSON[]]>([
    ["strong then em", [strong("a"), em("b")]],
    ["em then strong", [em("a"), strong("b")]],
    ["both then em", [marked("a", { type: "strong" }, { type: "em" }), em("b")]],
    ["link inside strong", [strong("see "), marked("here", { type: "link", attrs: { href: "https://x.org/a(b)" } }, { type: "strong" }), strong(".")]],
    ["two links side by side", [link("a", "https://a.org"), link("b", "https://b.org")]],
    ["special characters", [plain("* [ ] \\ ** _ ` { } # 1. - x")]],
    ["emphasis around a literal star", [em("a*b")]],
  ])("writes %s so that it reads back the same", (_name, content) => {
    expect(parseInline(writeInline(content)).content).toEqual(content);
  });
});
