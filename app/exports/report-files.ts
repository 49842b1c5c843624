// The published engagement report as files: a Word document (the report as NHS England would
// circulate it) and a CSV of its figures, both written from the report's fixed snapshot.
import { DECISION_TEXT, kappaText, STANCES, STANCE_TEXT } from "~/domain/coding";
import { CONSULTATION_KIND_TEXT } from "~/domain/consultations";
import { changeTitle, MIN_AGREEMENT_SAMPLE, notChanged, percentText, stanceMixText, type EngagementReport } from "~/domain/engagement-report";
import { londonDate, londonTime } from "~/domain/london-time";
import { csv } from "./csv";
import { docxPackage, xmlText } from "./docx-package";

type Cell = string | number | null;

/** The report's figures, one per row: what is counted, for which theme, the count, and any words. */
export function reportCsv(report: EngagementReport): string {
  const rows: Cell[][] = [["section", "theme", "item", "count", "text"]];
  const r = report.respondents;
  rows.push(["responses", null, "All responses", r.total, null], ["responses", null, "Online", r.online, null], ["responses", null, "Other formats", r.otherFormats, null]);
  for (const c of r.byCapacity) rows.push(["responding as", null, c.label, c.count, null]);
  for (const c of r.byAudience) rows.push(["description", null, c.label, c.count, null]);
  rows.push(["coding", null, "Responses coded", report.coding.coded, null], ["coding", null, "Responses coded twice", report.coding.doubleCoded, null]);
  rows.push(["coding", null, "Agreement (Cohen's kappa)", report.coding.kappa === null ? null : report.coding.kappa.toFixed(2), kappaText(report.coding.kappa)]);
  for (const t of report.themes) {
    rows.push(["theme", t.title, "Responses", t.responses, t.description]);
    for (const c of t.byCapacity) rows.push(["theme: responding as", t.title, c.label, c.count, null]);
    for (const c of t.byAudience) rows.push(["theme: description", t.title, c.label, c.count, null]);
    for (const s of STANCES) rows.push(["theme: view", t.title, STANCE_TEXT[s], t.stances[s], null]);
    rows.push(["theme: evidence", t.title, "Responses giving evidence", t.evidenceRich, null]);
    for (const q of t.quotes) rows.push(["theme: quote", t.title, q.attribution, null, q.text]);
    rows.push(["theme: decision", t.title, t.decision ? DECISION_TEXT[t.decision.decision] : "Not yet decided", null, t.decision?.reason ?? null]);
    for (const c of t.changes) rows.push(["theme: change", t.title, changeTitle(c), null, c.rationale]);
    if (t.outcome) rows.push(["theme: no change", t.title, null, null, t.outcome]);
  }
  return csv(rows);
}

const n = (value: number) => value.toLocaleString("en-GB");
/** The width between an A4 page's 2 cm margins, in twentieths of a point. */
const TEXT_WIDTH = 11906 - 2 * 1134;

class ReportWriter {
  body = "";

  paragraph(text: string, style = "Normal", { bold = false } = {}): this {
    const run = `<w:r>${bold ? "<w:rPr><w:b/></w:rPr>" : ""}<w:t xml:space="preserve">${xmlText(text)}</w:t></w:r>`;
    this.body += `<w:p><w:pPr><w:pStyle w:val="${style}"/></w:pPr>${run}</w:p>`;
    return this;
  }

  /** A paragraph whose first words are bold ("Adopted. The reason …"). */
  lead(lead: string, rest: string): this {
    this.body += `<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">${xmlText(lead)}</w:t></w:r><w:r><w:t xml:space="preserve"> ${xmlText(rest)}</w:t></w:r></w:p>`;
    return this;
  }

  /** A table with a heading row that repeats on each page and rows that do not split. */
  table(headings: string[], rows: string[][]): this {
    const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="AEB7BD"/>`;
    const cell = (text: string, heading: boolean) =>
      `<w:tc><w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r>${heading ? "<w:rPr><w:b/></w:rPr>" : ""}<w:t xml:space="preserve">${xmlText(text)}</w:t></w:r></w:p></w:tc>`;
    const row = (cells: string[], heading: boolean) => `<w:tr><w:trPr><w:cantSplit/>${heading ? "<w:tblHeader/>" : ""}</w:trPr>${cells.map((c) => cell(c, heading)).join("")}</w:tr>`;
    this.body +=
      `<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>${["top", "left", "bottom", "right", "insideH", "insideV"].map(border).join("")}</w:tblBorders>` +
      `<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>` +
      `<w:tblGrid>${headings.map(() => `<w:gridCol w:w="${Math.floor(TEXT_WIDTH / headings.length)}"/>`).join("")}</w:tblGrid>${row(headings, true)}${rows.map((r) => row(r, false)).join("")}</w:tbl>`;
    // Word needs a paragraph between two tables, and one after a table that ends a cell or body.
    return this.paragraph("");
  }
}

/** The report as a Word document, from the snapshot published at `publishedAt`. */
export function reportDocx(report: EngagementReport, publishedAt: string): Uint8Array {
  const { consultation: c, specification: s, respondents: r, coding, themes } = report;
  const kind = c.kind === "engagement" ? "engagement" : "consultation";
  const w = new ReportWriter();
  w.paragraph(`${CONSULTATION_KIND_TEXT[c.kind]} report`, "Normal", { bold: true });
  w.paragraph(c.title, "Title");
  w.paragraph(`Published on ${londonDate(publishedAt)}. ${s.title}${s.reference ? `, reference ${s.reference}` : ""}.`);

  w.paragraph(`About the ${kind}`, "Heading1");
  w.paragraph(`The ${kind} ran from ${londonDate(c.opensAt)} to ${londonTime(c.closesAt)} on ${londonDate(c.closesAt)}. It asked for views on version ${s.version}${s.versionLabel ? ` (${s.versionLabel})` : ""} of the specification.`);
  for (const p of c.summary.split(/\n{2,}/).filter((p) => p.trim())) w.paragraph(p);
  if (c.events.length) {
    w.paragraph("Events", "Heading2");
    w.table(
      ["Event", "Where", "Date"],
      c.events.map((e) => [e.kind === "webinar" ? "Webinar" : "Event", e.place, `${londonDate(e.startsAt)}, ${londonTime(e.startsAt)}`]),
    );
  }
  if (c.questions.length) {
    w.paragraph("The questions we asked", "Heading2");
    c.questions.forEach((q, i) => w.paragraph(`${i + 1}. ${q.text}`));
  }

  w.paragraph("Who responded", "Heading1");
  w.paragraph(`We received ${n(r.total)} responses: ${n(r.online)} online and ${n(r.otherFormats)} in other formats, such as letters, emails and petitions.`);
  if (r.stored > 0) {
    w.table(["Responding", "Responses", "Share"], r.byCapacity.map((x) => [x.label === "Individuals" ? "As an individual" : "On behalf of an organisation", n(x.count), percentText(x.count, r.stored)]));
    w.table(["Description", "Responses", "Share"], r.byAudience.map((x) => [x.label, n(x.count), percentText(x.count, r.stored)]));
  }

  w.paragraph("What people told us", "Heading1");
  w.paragraph(`${n(coding.coded)} responses were coded to at least one theme; a response can raise more than one. The themes are listed with the most often raised first.`);
  if (!themes.length) w.paragraph("No response has been coded to a theme yet.");
  else w.table(
    ["Theme", "Responses", "Share of coded responses", "Our decision"],
    themes.map((t) => [t.title, n(t.responses), percentText(t.responses, coding.coded), t.decision ? DECISION_TEXT[t.decision.decision] : "Not yet decided"]),
  );
  for (const t of themes) {
    w.paragraph(t.title, "Heading2");
    w.paragraph(t.description);
    if (t.responses > 0) {
      w.paragraph(`${n(t.responses)} responses (${percentText(t.responses, coding.coded)} of those coded) raised this theme. ${stanceMixText(t.stances)}${t.evidenceRich ? ` ${n(t.evidenceRich)} gave evidence such as figures or first-hand experience.` : ""}`);
      w.table(["Description", "Responses"], t.byAudience.map((x) => [x.label, n(x.count)]));
    }
    for (const q of t.quotes) {
      w.paragraph(`“${q.text}”`, "Quote");
      w.paragraph(`${q.attribution}${q.context ? `, answering “${q.context}”` : ""}`);
    }
    w.lead("Our decision:", t.decision ? `${DECISION_TEXT[t.decision.decision]}. ${t.decision.reason}` : "not yet decided.");
    for (const change of t.changes) w.lead(`${changeTitle(change)}:`, change.rationale);
  }

  const unchanged = notChanged(themes);
  w.paragraph("What did not change, and why", "Heading1");
  if (!unchanged.length) w.paragraph("Every theme led to a change in the specification.");
  for (const t of unchanged) w.lead(`${t.title}:`, t.decision?.reason ?? t.outcome ?? "no decision has been recorded for this theme.");

  w.paragraph("How we analysed the responses", "Heading1");
  w.paragraph(
    "Each response was read by a member of the team, who recorded every theme it raised, whether it supported or opposed the proposals, and whether it gave evidence. Quotes are taken only from people who agreed that their response could be published, and only after we checked it; we never give a respondent's name, and we name an organisation only when it agreed to be named.",
  );
  if (coding.doubleCoded > 0) {
    w.paragraph(
      `To check the coding, a second person coded a sample of ${n(coding.doubleCoded)} responses again without seeing the first coding. ${coding.kappa === null ? (coding.doubleCoded < MIN_AGREEMENT_SAMPLE ? `The sample is too small to measure how closely the two agreed: that needs at least ${MIN_AGREEMENT_SAMPLE} responses coded twice.` : "We could not measure how closely the two agreed.") : `Their agreement was ${kappaText(coding.kappa)} (Cohen's kappa ${coding.kappa.toFixed(2)}, where 1 means complete agreement and 0 means no more than chance).`}`,
    );
  }
  if (coding.doubleCoded > 0) {
    w.table(
      ["Theme", "Agreement", "Cohen's kappa"],
      themes.map((t) => [t.title, t.agreement.kappa === null ? "Not measurable" : kappaText(t.agreement.kappa), t.agreement.kappa === null ? "–" : t.agreement.kappa.toFixed(2)]),
    );
  }
  w.paragraph("End of the report.");
  return docxPackage({ body: w.body, title: `${c.title}: ${kind} report`, author: "NHS England (Specwork)", date: publishedAt, links: [], lists: [], trackRevisions: false });
}

/**
 * Headers for a report file: a download (or shown inline) under a safe name, never sniffed; a
 * signed-in request's answer is not cached, as for every signed-in answer.
 */
export function reportFileHeaders(request: Request, contentType: string, filename: string, disposition: "attachment" | "inline" = "attachment"): Headers {
  const signedIn = (request.headers.get("Cookie") ?? "").includes("specwork_session=");
  return new Headers({
    "Content-Type": contentType,
    "Content-Disposition": `${disposition}; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": signedIn ? "private, no-store" : "public, max-age=0, must-revalidate",
  });
}
