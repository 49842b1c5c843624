// Personal data stays private: every public page and every file a visitor can download (Word
// documents unzipped and read, CSV, JSON, sources) is searched for every respondent's email and
// name, every organisation name that consent keeps private, and every words of a response that
// may not be quoted. Planted responses make sure the search has something to find if it leaked.
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mayQuote, type ResponseInput } from "~/domain/consultations";
import type { EngagementReport } from "~/domain/engagement-report";
import { codeResponse } from "~/models/codings.server";
import { storeResponses } from "~/models/consultation-responses.server";
import { inTransaction, migrateToLatest, openDatabase, type Database } from "~/models/db.server";
import { seedIfEmpty } from "~/models/library.server";
import { moderateResponse } from "~/models/consultation-responses.server";
import { findUserByEmail, type PublicUser } from "~/models/users.server";
import { databaseEnv, newDatabase, startServer } from "./server";

const CONSULTATION = "radiotherapy-consultation-2017";
const MAX_ADDRESSES = 800;

let server: Awaited<ReturnType<typeof startServer>>;
let db: Kysely<Database>;
/** The seeded responses as the seed stored them, before the app forgot who sent them. */
let seeded: Awaited<ReturnType<typeof storedResponses>>;

const storedResponses = (from: Kysely<Database>) => from.selectFrom("consultation_responses").selectAll().execute();

/** Responses planted in the 2017 consultation before its report is published. */
const PLANTED = {
  individualWithOrganisation: {
    name: "Quillon Marchbanks",
    email: "quillon.marchbanks@example.net",
    organisation: "Marchbanks Family Travel Fund",
    text: "The ferry to the mainland makes every daily journey for treatment a whole day of travel for my family.",
  },
  anonymousOrganisation: {
    name: "Perpetua Honeysett",
    email: "perpetua@zebrafinch.example.org",
    organisation: "Zebrafinch Hospice Trust",
    text: "Longer daily journeys for treatment would fall on the hospice volunteers who drive our patients to every appointment.",
  },
  notForPublication: {
    name: "Ottoline Fairweather",
    email: "ottoline.fairweather@example.com",
    organisation: "Ottermere Parish Council",
    text: "Since the Ottermere bridge closed, our journeys for treatment take two hours each way by the coast road.",
  },
  notYetModerated: {
    name: "Barnaby Quennell",
    email: "b.quennell@example.co.uk",
    organisation: null,
    text: "My daily journey for treatment crosses three counties and the trains from Quennell Halt are unreliable.",
  },
};

function input(p: (typeof PLANTED)[keyof typeof PLANTED], fields: Pick<ResponseInput, "capacity" | "consent">): ResponseInput {
  return {
    channel: "online",
    source: "form",
    capacity: fields.capacity,
    organisation: p.organisation,
    respondentName: p.name,
    audienceCode: "patients-public",
    audienceText: null,
    email: p.email,
    consent: fields.consent,
    submittedAt: "2017-11-01T10:00:00.000Z",
    answers: [],
    comments: [{ clauseId: "travel-transport-accommodation", start: null, end: null, quote: null, prefix: null, suffix: null, body: p.text }],
  };
}

async function user(email: string): Promise<PublicUser> {
  const row = (await findUserByEmail(db, email))!;
  return { id: row.id, email: row.email, name: row.name, role: row.role, created_at: row.created_at, disabled_at: row.disabled_at };
}

async function signIn(email: string): Promise<string> {
  const response = await fetch(`${server.baseURL}/login`, { method: "POST", body: new URLSearchParams({ email, password: "specwork-demo", next: "/" }), redirect: "manual" });
  return response.headers.get("Set-Cookie")!.split(";")[0]!;
}

beforeAll(async () => {
  // The database is seeded here first, so that the names and emails the sample gave are known;
  // the server then forgets those of consultations long closed when it opens it.
  const file = await newDatabase();
  const first = openDatabase(file);
  await migrateToLatest(first);
  await seedIfEmpty(first, path.resolve("specs"));
  seeded = await storedResponses(first);
  await first.destroy();
  expect(seeded.filter((r) => r.email).length).toBeGreaterThan(100);
  server = await startServer(databaseEnv(file));
  db = openDatabase(server.databasePath);
  const q = await db.selectFrom("consultation_questions").select("id").where("consultation_id", "=", CONSULTATION).execute();
  expect(q.length).toBeGreaterThan(0);
  const planted: [ResponseInput, boolean][] = [
    [input(PLANTED.individualWithOrganisation, { capacity: "individual", consent: "full" }), true],
    [input(PLANTED.anonymousOrganisation, { capacity: "organisation", consent: "anonymous" }), true],
    [input(PLANTED.notForPublication, { capacity: "organisation", consent: "none" }), false],
    [input(PLANTED.notYetModerated, { capacity: "individual", consent: "full" }), false],
  ];
  const { references } = await inTransaction(db, (trx) => storeResponses(trx, CONSULTATION, planted.map(([i]) => i)));
  const editor = await user("editor@example.nhs.uk");
  const commissioner = await user("commissioner@example.nhs.uk");
  for (const [index, reference] of references.entries()) {
    const { id } = await db.selectFrom("consultation_responses").select("id").where("reference", "=", reference).executeTakeFirstOrThrow();
    await codeResponse(db, editor, { consultationId: CONSULTATION, responseId: id, themeCode: "T01", pass: 1, stance: "opposes", evidenceRich: index === 2, origin: "coder" });
    if (planted[index]![1]) await moderateResponse(db, commissioner, CONSULTATION, id, "approved");
  }
  const cookie = await signIn("commissioner@example.nhs.uk");
  const published = await fetch(`${server.baseURL}/consultations/${CONSULTATION}/report`, { method: "POST", headers: { Cookie: cookie }, body: new URLSearchParams({ intent: "publish" }), redirect: "manual" });
  expect(published.status).toBe(303);
  await publishRevisionCiting(references, cookie);
});

/** A revision of 1.0 whose change note cites every planted response, published. */
async function publishRevisionCiting(references: string[], commissioner: string): Promise<void> {
  const SPEC = "/specs/adult-external-beam-radiotherapy";
  const editor = await signIn("editor@example.nhs.uk");
  const post = (path: string, cookie: string, form: Record<string, string>) => fetch(server.baseURL + path, { method: "POST", headers: { Cookie: cookie }, body: new URLSearchParams(form), redirect: "manual" });
  const created = await post(`${SPEC}/drafts`, editor, { from: "1.0" });
  const draft = created.headers.get("Location")!;
  const id = /(\d+)$/.exec(draft)![1]!;
  const { revision, doc } = (await (await fetch(`${server.baseURL}/api/drafts/${id}`, { headers: { Cookie: editor } })).json()) as { revision: number; doc: { content: unknown[] } };
  const visit = (nodes: unknown[]): void => {
    for (const node of nodes as { type: string; attrs?: { id?: string }; content?: unknown[] }[]) {
      if (node.type === "clause" && node.attrs?.id === "travel-transport-accommodation") (node.content as { content?: unknown }[])[0]!.content = [{ type: "text", text: "Networks arrange and pay for travel to treatment." }];
      else if (node.content) visit(node.content);
    }
  };
  visit(doc.content);
  const saved = await fetch(`${server.baseURL}/api/drafts/${id}`, { method: "PUT", headers: { Cookie: editor, "Content-Type": "application/json" }, body: JSON.stringify({ baseRevision: revision, doc }) });
  expect(saved.status).toBe(200);
  const noted = await post(draft, editor, { intent: "note", clauseId: "travel-transport-accommodation", rationale: "Travel is now arranged, as respondents asked.", responses: references.join(", ") });
  expect(noted.status).toBe(200);
  expect((await post(`${draft}/submit`, editor, {})).status).toBe(302);
  expect((await post(`${draft}/approve`, commissioner, {})).status).toBe(302);
  // The publish page's number field holds the draft's number.
  const form = await (await fetch(`${server.baseURL}${draft}/publish`, { headers: { Cookie: commissioner } })).text();
  const number = /id="sw_publish-number"[^>]*value="([\d.]+)"/.exec(form)?.[1] ?? /value="([\d.]+)"[^>]*id="sw_publish-number"/.exec(form)?.[1];
  expect(number).toMatch(/^\d+\.\d+$/);
  expect((await post(`${draft}/publish`, commissioner, { intent: "publish", number: number!, label: "Revision citing responses" })).status).toBe(302);
}

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
function decode(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&([a-z]+);/gi, (whole, name: string) => ENTITIES[name.toLowerCase()] ?? whole)
    .replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
const squash = (text: string) => text.replace(/\s+/g, " ").toLowerCase();

/** What a reader of an answer sees: HTML as text and as source, a Word file's paragraphs, or the text itself. */
async function readable(response: Response): Promise<{ text: string; links: string[] }> {
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("wordprocessingml")) {
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const text = Object.entries(files)
      .filter(([name]) => name.endsWith(".xml"))
      .map(([, bytes]) =>
        strFromU8(bytes)
          .split(/<\/w:p>/)
          .map((p) => [...p.matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)<\/w:(?:t|delText)>/g)].map((m) => m[1]).join(""))
          .join("\n"),
      )
      .join("\n");
    return { text: decode(text), links: [] };
  }
  const body = await response.text();
  if (!type.startsWith("text/html")) return { text: decode(body), links: [] };
  const links = [...body.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => decode(m[1]!).replace(/#.*$/, ""));
  const visible = decode(body.replace(/<!--.*?-->/gs, "").replace(/<[^>]+>/g, " "));
  return { text: `${visible}\n${decode(body)}`, links };
}

/** Every public address reachable from the home page and from `seeds`, fetched without signing in. */
async function crawl(seeds: string[]): Promise<Map<string, string>> {
  const seen = new Set<string>(["/", ...seeds]);
  const queue = ["/", ...seeds];
  const out = new Map<string, string>();
  while (queue.length) {
    if (seen.size > MAX_ADDRESSES) throw new Error(`more than ${MAX_ADDRESSES} public addresses`);
    const path = queue.shift()!;
    const response = await fetch(server.baseURL + path);
    const { text, links } = await readable(response);
    out.set(path, text);
    for (const link of links) {
      if (!link.startsWith("/") || link.startsWith("//") || link.startsWith("/build/") || link.startsWith("/assets/") || link === "/logout" || seen.has(link)) continue;
      seen.add(link);
      queue.push(link);
    }
  }
  return out;
}

const sentences = (text: string) => text.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter((s) => s.length >= 25);

/**
 * What no public answer may hold: emails and names always; an organisation's name unless it
 * agreed to be named (full consent, approved) — organisations of individuals and anonymous ones
 * never; and words of a response that may not be quoted (unless another, quotable response used
 * the very same words, as the seeded sample's stock sentences do).
 */
async function forbidden(): Promise<{ what: string; needle: string }[]> {
  const responses = [...(await storedResponses(db)), ...seeded];
  const texts = [
    ...(await db.selectFrom("response_answers").select(["response_id", "text"]).where("text", "is not", null).execute()).map((t) => ({ id: t.response_id, text: t.text! })),
    ...(await db.selectFrom("response_clause_comments").select(["response_id", "body as text"]).execute()).map((t) => ({ id: t.response_id, text: t.text })),
  ];
  const quotable = new Set(responses.filter((r) => mayQuote(r)).map((r) => r.id));
  const quotableText = squash(texts.filter((t) => quotable.has(t.id)).map((t) => t.text).join("\n"));
  const namedOrganisations = new Set(responses.filter((r) => mayQuote(r) && r.consent === "full" && r.capacity === "organisation" && r.organisation).map((r) => r.organisation!.toLowerCase()));
  const out: { what: string; needle: string }[] = [];
  for (const r of responses) {
    if (r.email) out.push({ what: `the email of response ${r.reference}`, needle: r.email });
    if (r.respondent_name) out.push({ what: `the name of response ${r.reference}`, needle: r.respondent_name });
    if (r.organisation && !namedOrganisations.has(r.organisation.toLowerCase())) out.push({ what: `the organisation of response ${r.reference} (${r.capacity}, consent ${r.consent})`, needle: r.organisation });
  }
  for (const t of texts) {
    if (quotable.has(t.id)) continue;
    for (const piece of [t.text, ...sentences(t.text)]) {
      if (!quotableText.includes(squash(piece))) out.push({ what: `words of response ${t.id}, which may not be quoted`, needle: piece });
    }
  }
  return out;
}

describe("personal data on public pages and files", () => {
  it("is forgotten for the 2016 engagement, closed more than two years ago, once the app opens the database", async () => {
    const left = await db.selectFrom("consultation_responses").select("id").where("consultation_id", "=", "radiotherapy-engagement-2016").where((eb) => eb.or([eb("email", "is not", null), eb("respondent_name", "is not", null), eb("organisation", "is not", null)])).execute();
    expect(left).toEqual([]);
  });

  it("publishes the planted quotable responses, and an anonymous organisation's without its name", async () => {
    const report = (await (await fetch(`${server.baseURL}/consultations/${CONSULTATION}/report.json`)).json()) as EngagementReport;
    const quotes = report.themes.find((t) => t.code === "T01")!.quotes;
    const anonymous = quotes.find((q) => q.text === PLANTED.anonymousOrganisation.text)!;
    expect(anonymous.attribution).toBe("An organisation (patients and the public)");
    const individual = quotes.find((q) => q.text === PLANTED.individualWithOrganisation.text)!;
    expect(individual.attribution).toBe("Patients and the public");
    expect(quotes.map((q) => q.text)).not.toContain(PLANTED.notForPublication.text);
    expect(quotes.map((q) => q.text)).not.toContain(PLANTED.notYetModerated.text);
  });

  it("an anonymous response quoted in the seeded report carries no name and no organisation", async () => {
    const report = (await (await fetch(`${server.baseURL}/consultations/radiotherapy-engagement-2016/report.json`)).json()) as EngagementReport;
    const organisations = [...new Set(seeded.map((r) => r.organisation).filter((o): o is string => o !== null))];
    expect(organisations.length).toBeGreaterThan(3);
    const anonymous = report.themes.flatMap((t) => t.quotes).filter((q) => q.attribution.startsWith("An organisation ("));
    expect(anonymous.length).toBeGreaterThan(0);
    for (const quote of anonymous) for (const organisation of organisations) expect(quote.attribution).not.toContain(organisation);
  });

  it("no public page or download holds an email, a name, a private organisation or words that may not be quoted", async () => {
    const needles = await forbidden();
    // The search would find each planted private item if it leaked.
    for (const p of Object.values(PLANTED)) expect(needles.map((n) => n.needle)).toEqual(expect.arrayContaining([p.email, p.name]));
    for (const p of [PLANTED.individualWithOrganisation, PLANTED.anonymousOrganisation, PLANTED.notForPublication]) expect(needles.map((n) => n.needle)).toContain(p.organisation);
    for (const p of [PLANTED.notForPublication, PLANTED.notYetModerated]) expect(needles.map((n) => n.needle)).toContain(p.text);
    expect(needles.length).toBeGreaterThan(400);

    const reports = ["radiotherapy-engagement-2016", CONSULTATION].flatMap((id) => [`/consultations/${id}/report`, ...["json", "csv", "docx"].map((ext) => `/consultations/${id}/report.${ext}`)]);
    const pages = await crawl(["/consultations", ...reports, "/themes"]);
    // The revision whose change note cites every planted response: found by following links.
    const citing = [...pages.keys()].find((p) => /\/compare\/1\.0\.\.\.[0-9.]+$/.test(p))!;
    expect(citing).toBeDefined();
    expect(squash(pages.get(citing)!)).toContain(squash(PLANTED.individualWithOrganisation.text));
    expect(squash(pages.get(citing)!)).toContain("a response from patients and the public");
    for (const path of [...reports, "/specs/adult-external-beam-radiotherapy/compare/0.9...1.0.docx", "/specs/adult-external-beam-radiotherapy/compare/0.9...1.0/themes.csv"]) expect(pages.has(path), path).toBe(true);
    expect(pages.size).toBeGreaterThan(100);
    // The planted quotable words are there, so the files were read.
    expect(squash(pages.get(`/consultations/${CONSULTATION}/report.docx`)!)).toContain(squash(PLANTED.anonymousOrganisation.text));

    const found: string[] = [];
    for (const [path, text] of pages) {
      const haystack = squash(text);
      for (const { what, needle } of needles) if (haystack.includes(squash(needle))) found.push(`${path}: ${what} (“${needle.slice(0, 60)}”)`);
    }
    expect(found).toEqual([]);
  });
});
