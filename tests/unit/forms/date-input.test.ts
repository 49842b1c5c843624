// The date input marks only the fields that are wrong, as the NHS.UK pattern asks.
import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DateInput, wrongDateParts } from "~/components/date-input";

describe("which fields of a date are marked", () => {
  it("marks the empty ones when some were left out", () => {
    expect(wrongDateParts({ day: "18", month: "", year: "2017" })).toEqual(["month"]);
    expect(wrongDateParts({ day: "", month: "10", year: "" })).toEqual(["day", "year"]);
  });

  it("marks the impossible ones", () => {
    expect(wrongDateParts({ day: "ab", month: "10", year: "2017" })).toEqual(["day"]);
    expect(wrongDateParts({ day: "18", month: "13", year: "17" })).toEqual(["month", "year"]);
  });

  it("marks all three when each looks right but together they are no date, or nothing typed is known", () => {
    expect(wrongDateParts({ day: "31", month: "2", year: "2017" })).toEqual(["day", "month", "year"]);
    expect(wrongDateParts({ day: "", month: "", year: "" })).toEqual(["day", "month", "year"]);
    expect(wrongDateParts(null)).toEqual(["day", "month", "year"]);
  });

  it("draws the error class on the wrong field only, and on none without a problem", () => {
    const marked = (html: string) => [...html.matchAll(/<input class="([^"]*)" id="d-(\w+)"/g)].filter((m) => m[1]!.includes("nhsuk-input--error")).map((m) => m[2]);
    const values = { "date-day": "ab", "date-month": "10", "date-year": "2017" };
    expect(marked(renderToStaticMarkup(h(DateInput, { id: "d", name: "date", legend: "Date", hint: "For example, 18 10 2017.", error: "The date must be a real date", values })))).toEqual(["day"]);
    expect(marked(renderToStaticMarkup(h(DateInput, { id: "d", name: "date", legend: "Date", hint: "For example, 18 10 2017.", error: undefined, values })))).toEqual([]);
  });
});
