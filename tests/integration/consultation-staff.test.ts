// Running consultations: the staff forms to create and edit one, and the audience lists, through
// their loaders and actions with real Requests. Only commissioners (and admins for the lists).
import { call, signIn, type Handler } from "./app";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase } from "~/models/app-database.server";
import { getConsultation } from "~/models/consultations.server";
import { londonFields } from "~/domain/london-time";

const create = async () => await import("~/routes/consultations.new");
const edit = async () => await import("~/routes/consultations.$id.edit");
const audiences = async () => await import("~/routes/admin.audiences");

let commissioner: string;
let editor: string;
let admin: string;
beforeAll(async () => {
  commissioner = await signIn("commissioner@example.nhs.uk");
  editor = await signIn("editor@example.nhs.uk");
  admin = await signIn("admin@example.nhs.uk");
});

function dateFields(name: string, iso: string): Record<string, string> {
  const [year, month, day] = iso.split("-");
  return { [`${name}-day`]: day!, [`${name}-month`]: month!, [`${name}-year`]: year! };
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

function newForm(id: string, overrides: Record<string, string> = {}): [string, string][] {
  const fields: Record<string, string> = {
    intent: "save",
    version: "adult-external-beam-radiotherapy/1.0",
    id,
    title: "Networks: your views",
    kind: "consultation",
    summary: "We propose networks.\n\nAnd more.",
    whyItMatters: "Your views count.",
    ...dateFields("opens", inDays(-1)),
    opensTime: "00:00",
    ...dateFields("closes", inDays(30)),
    closesTime: "23:59",
    eventRows: "1",
    "event-0-kind": "in-person",
    "event-0-place": "Leeds",
    ...dateFields("event-0-date", inDays(5)),
    "event-0-start": "10:00",
    "event-0-end": "13:00",
    questionRows: "2",
    "question-0-text": "Do you agree?",
    "question-0-kind": "agree-scale",
    "question-0-item": "",
    "question-1-text": "What would you change?",
    "question-1-kind": "free-text",
    "question-1-item": "less-common-cancers",
    ...overrides,
  };
  return [...Object.entries(fields), ["audiences", "clinicians"], ["audiences", "carers"]];
}

async function consultationCount() {
  return (await (await getDatabase()).selectFrom("consultations").select("id").execute()).length;
}

describe("the new-consultation form", () => {
  it("refuses the public (to sign in) and editors (403)", async () => {
    const { loader, action } = await create();
    expect((await call(loader as unknown as Handler, "/consultations/new")).status).toBe(302);
    expect((await call(loader as unknown as Handler, "/consultations/new", { cookie: editor })).status).toBe(403);
    const before = await consultationCount();
    expect((await call(action as unknown as Handler, "/consultations/new", { cookie: editor, form: newForm("by-an-editor") })).status).toBe(403);
    expect(await consultationCount()).toBe(before);
  });

  it("creates a consultation open now, with times read as London time, and its events, audiences and questions", async () => {
    const { action } = await create();
    const response = await call(action as unknown as Handler, "/consultations/new", { cookie: commissioner, form: newForm("networks-2026") });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/consultations/networks-2026");
    const c = (await getConsultation(await getDatabase(), "networks-2026"))!;
    expect(londonFields(c.opensAt)).toEqual({ date: inDays(-1), time: "00:00" });
    expect(londonFields(c.closesAt)).toEqual({ date: inDays(30), time: "23:59" });
    expect(c.events).toMatchObject([{ kind: "in-person", place: "Leeds" }]);
    expect(londonFields(c.events[0]!.startsAt).time).toBe("10:00");
    expect(c.audiences.map((a) => a.code)).toEqual(["clinicians", "carers"]);
    expect(c.questions).toEqual([
      { id: "q1", text: "Do you agree?", kind: "agree-scale", itemId: null },
      { id: "q2", text: "What would you change?", kind: "free-text", itemId: "less-common-cancers" },
    ]);
  });

  it("keeps the values and stores nothing when fields are wrong, each problem on its field", async () => {
    const { action } = await create();
    const before = await consultationCount();
    const response = await call(action as unknown as Handler, "/consultations/new", {
      cookie: commissioner,
      form: newForm("Not An Address", { title: "", "closes-day": "31", "closes-month": "2", closesTime: "25:00", "event-0-end": "09:00" }),
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toMatchObject({
      id: expect.stringMatching(/lower-case letters/),
      title: "Enter a title.",
      closes: expect.stringMatching(/real date/),
      closesTime: expect.stringMatching(/24-hour clock/),
      "event-0-end": "An event must end after it starts.",
    });
    // In the order the fields appear, as the error summary lists them.
    expect(Object.keys(body.errors)).toEqual(["id", "title", "closes", "closesTime", "event-0-end"]);
    expect(body.shown.values["question-0-text"]).toBe("Do you agree?");
    expect(body.shown.audiences).toEqual(["clinicians", "carers"]);
    expect(await consultationCount()).toBe(before);
  });

  it("refuses an address the site's own pages use, and one already taken", async () => {
    const { action } = await create();
    const reserved = await (await call(action as unknown as Handler, "/consultations/new", { cookie: commissioner, form: newForm("new") })).json();
    expect(reserved.errors.id).toMatch(/taken by one of the site's own pages/);
    const taken = await call(action as unknown as Handler, "/consultations/new", { cookie: commissioner, form: newForm("radiotherapy-engagement-2016") });
    expect(taken.status).toBe(409);
    expect((await taken.json()).error).toMatch(/already a consultation/);
  });

  it("adds another question row without saving anything", async () => {
    const { action } = await create();
    const before = await consultationCount();
    const body = await (await call(action as unknown as Handler, "/consultations/new", { cookie: commissioner, form: newForm("rows", { intent: "add-question" }) })).json();
    expect(body.shown.questionRows).toBe(3);
    expect(await consultationCount()).toBe(before);
  });
});

describe("editing a consultation", () => {
  it("refuses the public (to sign in) and editors", async () => {
    const { loader } = await edit();
    expect((await call(loader as unknown as Handler, "/consultations/networks-2026/edit", { params: { id: "networks-2026" } })).status).toBe(302);
    expect((await call(loader as unknown as Handler, "/consultations/networks-2026/edit", { cookie: editor, params: { id: "networks-2026" } })).status).toBe(403);
  });

  it("shows the questions read-only once it has opened, and refuses a changed question with the model's reason", async () => {
    const { loader, action } = await edit();
    const loaded = await (await call(loader as unknown as Handler, "/consultations/networks-2026/edit", { cookie: commissioner, params: { id: "networks-2026" } })).json();
    expect(loaded.frozen).toMatch(/questions and opening date can no longer change/);
    expect(loaded.shown.questionRows).toBe(2);
    const values = loaded.shown.values as Record<string, string>;
    // The form as the page sends it back: a new title is saved, the frozen questions stay.
    const sent = (extra: Record<string, string>): [string, string][] => [...Object.entries({ ...values, eventRows: String(loaded.shown.eventRows), questionRows: "2", intent: "save", ...extra }), ["audiences", "clinicians"]];
    const saved = await call(action as unknown as Handler, "/consultations/networks-2026/edit", { cookie: commissioner, params: { id: "networks-2026" }, form: sent({ title: "Networks: tell us" }) });
    expect(saved.status).toBe(302);
    const after = (await getConsultation(await getDatabase(), "networks-2026"))!;
    expect(after.title).toBe("Networks: tell us");
    expect(after.audiences.map((a) => a.code)).toEqual(["clinicians"]);
    expect(after.questions).toHaveLength(2);

    const refused = await call(action as unknown as Handler, "/consultations/networks-2026/edit", { cookie: commissioner, params: { id: "networks-2026" }, form: sent({ "question-0-text": "A different question?" }) });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toBe("The consultation has opened: its questions are frozen, because people may already have answered them.");
    expect((await getConsultation(await getDatabase(), "networks-2026"))!.questions[0]!.text).toBe("Do you agree?");
  });

  it("answers 404 for an unknown consultation", async () => {
    const { loader } = await edit();
    expect((await call(loader as unknown as Handler, "/consultations/nothing/edit", { cookie: commissioner, params: { id: "nothing" } })).status).toBe(404);
  });
});

describe("the audience lists", () => {
  it("are for admins only", async () => {
    const { loader, action } = await audiences();
    expect((await call(loader as unknown as Handler, "/admin/audiences", { cookie: commissioner })).status).toBe(403);
    expect((await call(action as unknown as Handler, "/admin/audiences", { cookie: editor, form: { intent: "add", name: "Radiographers", list: "audience" } })).status).toBe(403);
  });

  it("take a new audience, and retire and restore one", async () => {
    const { loader, action } = await audiences();
    const added = await call(action as unknown as Handler, "/admin/audiences", { cookie: admin, form: { intent: "add", name: "Radiographers", list: "audience" } });
    expect(added.status).toBe(200);
    const listed = await (await call(loader as unknown as Handler, "/admin/audiences", { cookie: admin })).json();
    expect(listed.audiences).toContainEqual({ code: "radiographers", name: "Radiographers", list: "audience", retired: false });
    const again = await call(action as unknown as Handler, "/admin/audiences", { cookie: admin, form: { intent: "add", name: "radiographers", list: "audience" } });
    expect(again.status).toBe(409);
    await call(action as unknown as Handler, "/admin/audiences", { cookie: admin, form: { intent: "retire:radiographers" } });
    const retired = await (await call(loader as unknown as Handler, "/admin/audiences", { cookie: admin })).json();
    expect(retired.audiences.find((a: { code: string }) => a.code === "radiographers").retired).toBe(true);
    await call(action as unknown as Handler, "/admin/audiences", { cookie: admin, form: { intent: "restore:radiographers" } });
    const restored = await (await call(loader as unknown as Handler, "/admin/audiences", { cookie: admin })).json();
    expect(restored.audiences.find((a: { code: string }) => a.code === "radiographers").retired).toBe(false);
  });

  it("refuse an empty name with a message on the field", async () => {
    const { action } = await audiences();
    const response = await call(action as unknown as Handler, "/admin/audiences", { cookie: admin, form: { intent: "add", name: " ", list: "audience" } });
    expect(response.status).toBe(400);
    expect((await response.json()).fields.name).toBe("Enter the audience's name.");
  });
});
