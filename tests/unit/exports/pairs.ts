// Pairs of versions for the tracked revision: hand-made ones for each kind of change, and seeded
// random edit scripts that move clauses and sections, edit lists and change formatting.
import type { ClauseJSON, DocJSON, ListItemJSON, ListJSON, MarkJSON, SectionJSON, TextJSON } from "~/domain/schema";
import { sortMarks } from "~/domain/source/inline";
import { clause, doc, em, li, link, ol, p, section, strong, ul } from "../builders";
import { seededRandom } from "../random";
import { randomDoc, WORDS } from "../random-doc";

export interface Pair {
  name: string;
  from: DocJSON;
  to: DocJSON;
}

const numbered = (order: number, ...items: ListItemJSON[]): ListJSON => ({ type: "ordered_list", attrs: { order }, content: items });

const base = () =>
  doc(
    section("scope", "Scope", clause("aims", "The service aims to treat people close to home."), clause("pathway", "Each patient has a named clinician."), clause("hours", "Centres open from 8am to 8pm.")),
    section("networks", "Networks", clause("membership", "Each network lists its member sites."), clause("host", "One provider hosts the network.")),
    section("premises", "Provider premises", clause("sites", "Treatment is given at member sites.")),
  );

export const HAND_MADE: Pair[] = [
  {
    name: "a clause moved within its section",
    from: base(),
    to: doc(
      section("scope", "Scope", clause("hours", "Centres open from 8am to 8pm."), clause("aims", "The service aims to treat people close to home."), clause("pathway", "Each patient has a named clinician.")),
      section("networks", "Networks", clause("membership", "Each network lists its member sites."), clause("host", "One provider hosts the network.")),
      section("premises", "Provider premises", clause("sites", "Treatment is given at member sites.")),
    ),
  },
  {
    name: "a clause moved to another section, with its own edits",
    from: base(),
    to: doc(
      section("scope", "Scope", clause("aims", "The service aims to treat people close to home."), clause("pathway", "Each patient has a named clinician.")),
      section("networks", "Networks", clause("membership", "Each network lists its member sites."), clause("host", "One provider hosts the network.")),
      section("premises", "Provider premises", clause("sites", "Treatment is given at member sites."), clause("hours", "Centres open from 7am to 8pm, and at weekends.")),
    ),
  },
  {
    name: "a section moved with its clauses, one edited, one removed and one added",
    from: doc(
      section("scope", "Scope", clause("aims", "The service aims to treat people close to home."), section("travel", "Travel", clause("journeys", "Journeys should be short."), clause("parking", "Parking is free."), clause("costs", "Costs are refunded."))),
      section("networks", "Networks", clause("membership", "Each network lists its member sites.")),
    ),
    to: doc(
      section("scope", "Scope", clause("aims", "The service aims to treat people close to home.")),
      section("networks", "Networks", clause("membership", "Each network lists its member sites."), section("travel", "Travel and transport", clause("journeys", "Journeys should be as short as possible."), clause("costs", "Costs are refunded."), clause("transport", "Networks arrange transport."))),
    ),
  },
  {
    name: "two sections swapped, and a clause moved out of one of them",
    from: base(),
    to: doc(
      section("premises", "Provider premises", clause("sites", "Treatment is given at member sites.")),
      section("networks", "Networks", clause("membership", "Each network lists its member sites."), clause("host", "One provider hosts the network."), clause("hours", "Centres open from 8am to 8pm.")),
      section("scope", "Scope", clause("aims", "The service aims to treat people close to home."), clause("pathway", "Each patient has a named clinician.")),
    ),
  },
  {
    name: "nested lists, with an item added at each level and an item nested one level deeper",
    from: doc(section("s", "Standards", clause("core", p("Core standards include:"), ul(li("membership of a network;", numbered(1, li("first"), li("second"))), li("peer review;"), li("the dataset."))))),
    to: doc(section("s", "Standards", clause("core", p("Core standards include:"), ul(li("membership of a network;", numbered(1, li("first"), li("second"), li("third"))), li("peer review;", ul(li("the dataset."))), li("shared protocols."))))),
  },
  {
    name: "a numbered list with an item inserted in the middle, so later items renumber",
    from: doc(section("s", "Uses", clause("uses", p("Radiotherapy is used:"), ol(li("to cure cancer;"), li("before or after surgery;"), li("to relieve symptoms;"), li("in emergencies."))))),
    to: doc(section("s", "Uses", clause("uses", p("Radiotherapy is used:"), ol(li("to cure cancer;"), li("before or after surgery;"), li("to control cancer that has spread to a few places;"), li("to relieve symptoms;"), li("in emergencies."))))),
  },
  {
    name: "a numbered list that starts at a new number, and a list item removed",
    from: doc(section("s", "Steps", clause("steps", p("Then:"), numbered(3, li("plan;"), li("check;"), li("treat."))))),
    to: doc(section("s", "Steps", clause("steps", p("Then:"), numbered(4, li("plan;"), li("treat."))))),
  },
  {
    name: "a list added to a clause, and a bullet list turned into a numbered one",
    from: doc(section("s", "S", clause("plan", "Each network agrees an annual work plan."), clause("kinds", p("Standards are:"), ul(li("core;"), li("developmental."))))),
    to: doc(section("s", "S", clause("plan", p("Each network agrees an annual work plan:"), ul(li("in the first year, a baseline;"), li("by the third year, protocols for every site."))), clause("kinds", p("Standards are:"), ol(li("core;"), li("developmental."))))),
  },
  {
    name: "formatting only: bold to italic, a link's address, a link added and one removed",
    from: doc(section("s", "S", clause("f", p("Providers ", strong("must"), " follow ", link("NICE guidance", "https://www.nice.org.uk/"), " and the ", em("national strategy"), ".")), clause("g", p("See ", link("the dataset", "https://example.org/old"), " for details.")))),
    to: doc(section("s", "S", clause("f", p("Providers ", em("must"), " follow ", link("NICE guidance", "https://www.nice.org.uk/guidance"), " and the ", link("national strategy", "https://www.england.nhs.uk/"), ".")), clause("g", p("See the dataset for ", strong("details"), ".")))),
  },
  {
    name: "formatting and words changed together, in a clause that also moved",
    from: doc(section("a", "A", clause("x", p("The ", strong("host provider"), " chairs the group.")), clause("y", "Other.")), section("b", "B", clause("z", "Last."))),
    to: doc(section("a", "A", clause("y", "Other.")), section("b", "B", clause("z", "Last."), clause("x", p("The ", em("host provider"), " no longer chairs the ", strong("oversight"), " group.")))),
  },
  {
    name: "non-ASCII text: dashes, non-breaking spaces, curly quotes, accents and emoji",
    from: doc(section("s", "Zoë’s “notes”", clause("a", "Linacs last 10\u00a0years – replace at 5–6 years. Ask Zoë 🙂."), clause("b", "Café ‘quoted’ text."))),
    to: doc(section("s", "Zoë’s “new notes”", clause("b", "Café ‘quoted’ text, and more 👩‍⚕️."), clause("a", "Linacs last 10\u00a0years — replace at 5–7 years. Ask Zoë 🙂."))),
  },
  {
    name: "a section and its clauses removed, another added, and an appendix renamed",
    from: doc(section("s", "S", clause("a", "Alpha.")), section("t", "Old section", clause("b", "Bravo."), clause("c", "Charlie.")), { ...section("g", "Glossary", clause("d", "Delta.")), attrs: { id: "g", appendix: true } }),
    to: doc(section("s", "S", clause("a", "Alpha.")), section("u", "New section", clause("e", "Echo.")), { ...section("g", "Terms used", clause("d", "Delta.")), attrs: { id: "g", appendix: true } }),
  },
];

// ---- Random edit scripts over random documents -------------------------------------------

type Random = ReturnType<typeof seededRandom>;

function sectionsOf(d: DocJSON): SectionJSON[] {
  const out: SectionJSON[] = [];
  const visit = (s: SectionJSON) => {
    out.push(s);
    for (const c of s.content.slice(1)) if ((c as SectionJSON).type === "section") visit(c as SectionJSON);
  };
  (d.content ?? []).forEach(visit);
  return out;
}
const clausesOf = (s: SectionJSON) => s.content.slice(1).filter((c): c is ClauseJSON => c.type === "clause");
const subsectionsOf = (s: SectionJSON) => s.content.slice(1).filter((c): c is SectionJSON => c.type === "section");
const contains = (outer: SectionJSON, inner: SectionJSON): boolean => outer === inner || subsectionsOf(outer).some((s) => contains(s, inner));

function textNodes(node: { content?: unknown[] }): TextJSON[] {
  const out: TextJSON[] = [];
  const visit = (n: { type?: string; content?: unknown[] }) => {
    if (n.type === "text") out.push(n as TextJSON);
    for (const c of (n.content ?? []) as { type?: string }[]) visit(c);
  };
  visit(node);
  return out;
}

function listsOf(c: ClauseJSON): ListJSON[] {
  const out: ListJSON[] = [];
  const visit = (list: ListJSON) => {
    out.push(list);
    for (const item of list.content) for (const nested of item.content.slice(1) as ListJSON[]) visit(nested);
  };
  for (const block of c.content) if (block.type !== "paragraph") visit(block);
  return out;
}

/** Puts a clause into a section, among its clauses (a section's clauses come before its subsections). */
function placeClause(s: SectionJSON, c: ClauseJSON, r: Random): void {
  s.content.splice(1 + r.int(clausesOf(s).length + 1), 0, c);
}

function mutate(original: DocJSON, r: Random, seed: number): DocJSON {
  const d = structuredClone(original);
  let fresh = 0;
  const newId = () => `m${seed}x${fresh++}`;
  for (let step = 1 + r.int(7); step > 0; step--) {
    const sections = sectionsOf(d);
    const s = r.pick(sections);
    const clauses = clausesOf(s);
    const op = r.int(12);
    if (op === 0 && clauses.length) {
      // Edit the words of one text node.
      const nodes = textNodes(r.pick(clauses));
      if (nodes.length) {
        const node = r.pick(nodes);
        const words = node.text.split(" ");
        words.splice(r.int(words.length + 1), r.int(2), ...(r.chance(0.6) ? [r.pick(WORDS)] : []));
        node.text = words.join(" ").trim() || "x";
      }
    } else if (op === 1) {
      placeClause(s, clause(newId(), `${r.pick(WORDS)} new words`), r);
    } else if (op === 2 && clauses.length) {
      s.content.splice(s.content.indexOf(r.pick(clauses)), 1);
    } else if (op === 3 && clauses.length) {
      // Move a clause, within its section or to another.
      const c = r.pick(clauses);
      s.content.splice(s.content.indexOf(c), 1);
      placeClause(r.chance(0.5) ? s : r.pick(sections), c, r);
    } else if (op === 4 && sections.length > 1) {
      // Move a section: among its siblings, or into another section (never into itself).
      const moving = r.pick(sections);
      const parent = sections.find((p) => subsectionsOf(p).includes(moving));
      const siblings = parent ? parent.content : d.content!;
      siblings.splice(siblings.indexOf(moving), 1);
      const targets = sectionsOf(d).filter((t) => !contains(moving, t));
      if (r.chance(0.5) || !targets.length) {
        siblings.splice(parent ? 1 + clausesOf(parent).length + r.int(subsectionsOf(parent).length + 1) : r.int(siblings.length + 1), 0, moving);
      } else {
        moving.attrs.appendix = false;
        r.pick(targets).content.push(moving);
      }
    } else if (op === 5 && clauses.length) {
      // Add or remove a list item, or add a list.
      const c = r.pick(clauses);
      const lists = listsOf(c);
      if (lists.length && r.chance(0.7)) {
        const list = r.pick(lists);
        if (list.content.length > 1 && r.chance(0.4)) list.content.splice(r.int(list.content.length), 1);
        else list.content.splice(r.int(list.content.length + 1), 0, li(`${r.pick(WORDS)} item`));
      } else if (c.content[c.content.length - 1]!.type === "paragraph") {
        c.content.push(r.chance(0.5) ? ul(li("new bullet")) : ol(li("new step"), li("next step")));
      }
    } else if (op === 6 && clauses.length) {
      // Renumber a list from another first number.
      const lists = listsOf(r.pick(clauses)).filter((l): l is Extract<ListJSON, { type: "ordered_list" }> => l.type === "ordered_list");
      if (lists.length) r.pick(lists).attrs.order = 1 + r.int(5);
    } else if ((op === 7 || op === 8) && clauses.length) {
      // Change a text node's formatting: bold, italic or link on or off, or a link's address.
      const nodes = textNodes(r.pick(clauses)).filter((t) => t.text.trim() === t.text && t.text);
      if (nodes.length) {
        const node = r.pick(nodes);
        const marks: MarkJSON[] = [...(node.marks ?? [])];
        const kind = r.pick(["strong", "em", "link"] as const);
        const at = marks.findIndex((m) => m.type === kind);
        if (kind === "link" && at >= 0 && r.chance(0.5)) marks[at] = { type: "link", attrs: { href: `https://example.org/${seed}/${step}` } };
        else if (at >= 0) marks.splice(at, 1);
        else marks.push(kind === "link" ? { type: "link", attrs: { href: "https://www.england.nhs.uk/" } } : { type: kind });
        const sorted = sortMarks(marks);
        if (sorted.length) node.marks = sorted;
        else delete node.marks;
      }
    } else if (op === 9 && clauses.length) {
      // Add a paragraph to a clause, or remove one that is not its first.
      const c = r.pick(clauses);
      const later = c.content.slice(1).filter((b) => b.type === "paragraph");
      if (later.length && r.chance(0.5)) c.content.splice(c.content.indexOf(later[0]!), 1);
      else if (c.content[c.content.length - 1]!.type !== "paragraph" || r.chance(0.5)) c.content.push(p(`${r.pick(WORDS)} more`));
    } else if (op === 10) {
      s.content[0] = { type: "heading", content: [{ type: "text", text: `${r.pick(WORDS)} heading` }] };
    } else if (op === 11 && clauses.length) {
      // Nest a list item one level deeper, under the item before it.
      const lists = listsOf(r.pick(clauses)).filter((l) => l.content.length > 1);
      if (lists.length) {
        const list = r.pick(lists);
        const at = 1 + r.int(list.content.length - 1);
        const [item] = list.content.splice(at, 1);
        const previous = list.content[at - 1]!;
        // Two lists side by side would read as one, so an item with a sublist joins that sublist.
        const sublist = previous.content[previous.content.length - 1]!;
        if (sublist.type === "paragraph") previous.content.push(r.chance(0.5) ? ul(item!) : ol(item!));
        else sublist.content.push(item!);
      }
    }
  }
  return d;
}

/** A seeded pair: a random document and an edit script applied to it. */
export function randomPair(seed: number): Pair {
  const r = seededRandom(seed * 104729);
  const from = randomDoc(seed, "a");
  return { name: `random pair ${seed}`, from, to: mutate(from, r, seed) };
}
