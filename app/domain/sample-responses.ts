// Sample responses for demonstrating a consultation: written in the project's own words and
// generated from a seed, so that every fresh database holds the same few hundred responses,
// across audiences and capacities, with every consent choice, coded to the themes T01–T15.
import type { Stance } from "./coding";
import { SCALE, type Consent, type ResponseInput, type ScaleAnswer } from "./consultations";

export interface SampleCoding {
  theme: string;
  stance: Stance;
  evidenceRich: boolean;
  origin: "suggestion" | "coder";
}

export interface SampleResponse {
  input: ResponseInput;
  codings: SampleCoding[];
  /** A second coder's reading of the same response (used when it falls in the sample). */
  secondCodings: SampleCoding[];
  /** Whether a moderator approved its words for publication (when consent allows). */
  approved: boolean;
}

export interface SampleSettings {
  seed: number;
  count: number;
  opensAt: string;
  closesAt: string;
  /** The questions to answer: the first agree–disagree one gets the overall view. */
  questions: { id: string; kind: "free-text" | "agree-scale" }[];
  /** Clauses each theme touches in the version consulted on, for clause comments. */
  clausesByTheme: Record<string, string[]>;
}

/** A small, fast, seedable generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T extends string>(rand: () => number, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][];
  let r = rand() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of entries) {
    r -= w;
    if (r < 0) return value;
  }
  return entries[entries.length - 1]![0];
}

const pick = <T,>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

const AUDIENCE_WEIGHTS = {
  "patients-public": 30,
  "service-users": 10,
  carers: 8,
  "patient-groups": 6,
  clinicians: 14,
  radiologists: 4,
  "nhs-staff": 8,
  "service-providers": 8,
  crgs: 3,
  nice: 1,
} as const;
type SampleAudience = keyof typeof AUDIENCE_WEIGHTS;

const ORGANISATION_AUDIENCES: readonly SampleAudience[] = ["patient-groups", "service-providers", "crgs", "nice"];
const CLINICAL: readonly SampleAudience[] = ["clinicians", "radiologists", "nhs-staff", "service-providers", "crgs", "nice"];

const ORGANISATIONS: Record<"patient" | "provider" | "clinical", string[]> = {
  patient: ["Fenmarsh Cancer Support Group", "Wealdham Patients' Forum", "Northmoor Carers' Alliance", "Hollin Vale Cancer Friends", "Saltby Coast Patient Panel", "Brackenford Older People's Network"],
  provider: ["Eastmere Hospitals NHS Foundation Trust", "Calder Fold Cancer Centre", "Westhaven University Hospitals", "Highdown Oncology Partnership", "Larchfield Teaching Hospitals"],
  clinical: ["Society of Radiotherapy Physicists (sample)", "Northern Radiographers' Forum", "Regional Clinical Oncology Group", "Radiotherapy Clinical Reference Group (sample)"],
};

const FIRST = ["Amira", "Ben", "Catrin", "Dev", "Eleanor", "Femi", "Grace", "Harpreet", "Ifan", "Joanna", "Kwame", "Lucy", "Marek", "Niamh", "Owen", "Priya", "Rhys", "Sadia", "Tom", "Una", "Victor", "Wen", "Yusuf", "Zofia"];
const LAST = ["Abbott", "Bhatt", "Carter", "Dobson", "Evans", "Fraser", "Gill", "Hughes", "Iqbal", "Jones", "Kaur", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Walsh", "Young"];

const THEME_WEIGHTS_PUBLIC = { T01: 20, T02: 11, T03: 15, T04: 7, T05: 2, T06: 3, T07: 1, T08: 3, T09: 4, T10: 8, T11: 3, T12: 1, T13: 10, T14: 8, T15: 3 };
const THEME_WEIGHTS_CLINICAL = { T01: 8, T02: 3, T03: 9, T04: 5, T05: 10, T06: 9, T07: 9, T08: 7, T09: 10, T10: 9, T11: 6, T12: 8, T13: 3, T14: 3, T15: 6 };
type ThemeCode = keyof typeof THEME_WEIGHTS_PUBLIC;

/** Which way a theme's comments usually lean towards the proposals. */
const LEAN: Record<ThemeCode, Record<Stance, number>> = {
  T01: { opposes: 7, mixed: 2, supports: 0, unclear: 1 },
  T02: { opposes: 5, mixed: 3, supports: 0, unclear: 2 },
  T03: { opposes: 7, mixed: 2, supports: 0, unclear: 1 },
  T04: { opposes: 5, mixed: 4, supports: 0, unclear: 1 },
  T05: { mixed: 5, supports: 2, opposes: 2, unclear: 1 },
  T06: { mixed: 5, opposes: 3, supports: 1, unclear: 1 },
  T07: { supports: 5, mixed: 4, opposes: 0, unclear: 1 },
  T08: { supports: 5, mixed: 3, opposes: 1, unclear: 1 },
  T09: { mixed: 5, opposes: 3, supports: 1, unclear: 1 },
  T10: { supports: 8, mixed: 1, opposes: 0, unclear: 1 },
  T11: { supports: 7, mixed: 2, opposes: 0, unclear: 1 },
  T12: { mixed: 6, supports: 3, opposes: 1, unclear: 0 },
  T13: { supports: 4, mixed: 4, opposes: 1, unclear: 1 },
  T14: { opposes: 5, mixed: 4, supports: 0, unclear: 1 },
  T15: { opposes: 5, mixed: 4, supports: 0, unclear: 1 },
};

// What people say, by theme and by which way they lean. Our own words throughout.
const SAYINGS: Record<ThemeCode, { against: string[]; towards: string[] }> = {
  T01: {
    against: [
      "Travelling an extra hour each way for twenty sessions would wear out someone who is already exhausted by treatment.",
      "The nearest specialist centre is two bus changes away from my village, and a course of treatment lasts weeks, not days.",
      "Daily journeys are the hardest part of radiotherapy; please do not make them longer.",
      "Frail patients should not be asked to sit in a car for hours every day to save the system money.",
    ],
    towards: ["I would travel further for a better outcome, but only for the rarer cancers and not for routine treatment.", "Keeping common treatments near home while sending complex cases away seems a fair balance if journeys are supported."],
  },
  T02: {
    against: [
      "Nobody has said who pays for the petrol, the parking or a hotel when patients are sent to a centre further away.",
      "Hospital parking charges add up quickly over a four-week course and fall hardest on people on low incomes.",
      "Patient transport is already stretched and often arrives late, so relying on it for longer journeys worries me.",
    ],
    towards: ["If transport and accommodation were arranged and paid for, I would have fewer worries about travelling.", "A named person to help book travel and claim costs back would make a real difference."],
  },
  T03: {
    against: [
      "Our local centre has built up real skill; moving treatments away will take the staff and the machines with them.",
      "Once a service leaves a town it rarely comes back, and the local hospital is left weaker.",
      "I fear the smaller centres will be left with only the simplest work and struggle to recruit.",
    ],
    towards: ["Local centres should stay part of the network and keep treating the common cancers.", "Sharing expertise between sites is better than moving patients between them."],
  },
  T04: {
    against: [
      "Rules written for cities do not work on the coast, where the roads are slow and the buses are few.",
      "In a rural county a thirty-mile journey can take well over an hour, especially in winter.",
    ],
    towards: ["Networks in rural and coastal areas need room to agree local arrangements with the commissioner.", "Please allow for geography: distance on a map is not the same as time on the road."],
  },
  T05: {
    against: ["It is not clear who the network answers to or who will be held responsible when things go wrong.", "A host provider chairing the network would find it hard to be fair to the other members."],
    towards: ["An independent chair and clear terms of reference would give the networks credibility.", "Networks could work well if every member site has a real say in decisions."],
  },
  T06: {
    against: ["Networks will not run on goodwill: there is no money in the draft for managers, data or meetings.", "Asking stretched departments to take on network work without funding will slow everything down."],
    towards: ["With a modest budget for a network manager, the proposals could make a real difference.", "Funding should follow the network's work plan so that it is clear what each site provides."],
  },
  T07: {
    against: ["Our systems cannot send planning images to the next hospital without someone copying them onto a disc."],
    towards: ["Shared IT would let us plan and peer review remotely instead of asking patients to travel.", "Reliable image transfer between sites is the foundation of networked working and should be required.", "Remote contour review would save clinicians hours of travel every month."],
  },
  T08: {
    against: ["Some of our linacs are well past their replacement date and patients notice the breakdowns."],
    towards: ["A clear replacement programme for linacs would help every centre offer modern treatment.", "Networks should share access to the newest machines fairly between member sites."],
  },
  T09: {
    against: [
      "There are simply not enough radiographers and physicists to staff more services, let alone new networks.",
      "Smaller centres will lose subspecialist skills if complex cases all go elsewhere.",
    ],
    towards: ["Rotating staff across the network could keep skills fresh at every site.", "A network training plan would help retain the workforce we already have."],
  },
  T10: {
    against: ["It is unacceptable that access to IMRT and SABR still depends on where you live."],
    towards: [
      "Everyone should have the same access to modern techniques such as IMRT and SABR, wherever they live.",
      "I strongly support using networks to end the variation in advanced radiotherapy between centres.",
      "Stereotactic treatment should be available within every network, not only in a few cities.",
    ],
  },
  T11: {
    against: ["Patients at smaller hospitals are rarely offered a place in a trial."],
    towards: ["A trial open at one centre should be open to patients across the whole network.", "Networks are a good way to increase trial recruitment and share research nurses."],
  },
  T12: {
    against: ["More audit and data returns would take clinicians away from patients.", "The dashboard must not become another onerous reporting burden."],
    towards: ["Common protocols across a network would reduce unwarranted variation.", "Shared protocols are welcome if the audit that goes with them is light and useful."],
  },
  T13: {
    against: ["Patients were not told clearly enough what the changes would mean for them in practice."],
    towards: [
      "Information should be in plain language, with a named contact for questions about travel and appointments.",
      "Patients and carers should have a real voice on the network board.",
      "Easy-read and translated information would help many of the people I support.",
    ],
  },
  T14: {
    against: [
      "Longer journeys fall hardest on older people, disabled people and those who depend on a carer.",
      "People in deprived areas are least likely to have a car and most likely to miss treatment.",
    ],
    towards: ["An equality assessment should look at carers and people without cars before anything changes."],
  },
  T15: {
    against: ["The timetable is far too fast for networks that do not yet exist.", "Changing everything at once risks disruption to patients in the middle of their treatment."],
    towards: ["A staged move to networks, with milestones, would be more realistic.", "Give networks time to form before asking them to change how services are delivered."],
  },
};

const EVIDENCE = [
  "My husband had twenty-five sessions; each round trip was seventy miles and cost us about fifteen pounds in parking alone.",
  "In our department last year, over a third of planning scans had to be resent because the link between sites failed.",
  "At our centre the oldest linac is fourteen years old and was out of service on nineteen days last year.",
  "Our survey of two hundred members found that one in four had no access to a car during treatment.",
  "We recruited forty patients to trials last year; the neighbouring hospital, with no research nurse, recruited three.",
  "Two of our five therapeutic radiographer posts have been vacant for more than a year.",
];

// How a response may begin, by who is writing: the same number of choices each, so that the
// seeded sample draws the same way whoever writes.
const OPENERS: Record<"person" | "staff" | "organisation", string[]> = {
  person: ["", "", "Thank you for asking. ", "Speaking from experience, ", "As someone who has had radiotherapy, ", "As a family, "],
  staff: ["", "", "Thank you for asking. ", "Speaking from experience, ", "As a member of staff, ", "From what I see at work, "],
  organisation: ["", "", "Thank you for asking. ", "From our members' experience, ", "On behalf of the people we support, ", "As an organisation, "],
};

/** A sentence after an opener that ends in a comma goes on in lower case ("Speaking from experience, the …"). */
function afterOpener(opener: string, sentence: string): string {
  if (!opener.endsWith(", ")) return opener + sentence;
  const keep = /^(I\b|[\p{Lu}]{2,}|[\p{Lu}][\p{Ll}]*\s+[\p{Lu}])/u.test(sentence);
  return opener + (keep ? sentence : sentence.charAt(0).toLowerCase() + sentence.slice(1));
}

const FOLLOW_UPS = [
  "We should consider how this will work in practice before it is agreed.",
  "Please keep patients at the centre of the decisions.",
  "I hope these comments are useful.",
  "",
  "",
];

function stanceOf(codings: SampleCoding[]): Stance {
  const stances = new Set(codings.map((c) => c.stance));
  if (stances.size === 1) return [...stances][0]!;
  if (stances.has("supports") && stances.has("opposes")) return "mixed";
  return stances.has("opposes") ? "opposes" : stances.has("supports") ? "supports" : "mixed";
}

function scaleFor(stance: Stance, rand: () => number): ScaleAnswer {
  const index = { supports: 0.5, mixed: 2, unclear: 2, opposes: 3.5 }[stance] + (rand() - 0.5) * 1.6;
  return SCALE[Math.max(0, Math.min(4, Math.round(index)))]!;
}

/** The sample responses for a consultation, the same every time for the same settings. */
export function sampleResponses(settings: SampleSettings): SampleResponse[] {
  const rand = random(settings.seed);
  const opens = Date.parse(settings.opensAt);
  const span = Date.parse(settings.closesAt) - opens;
  const scaleQuestions = settings.questions.filter((q) => q.kind === "agree-scale");
  const textQuestions = settings.questions.filter((q) => q.kind === "free-text");
  const out: SampleResponse[] = [];
  for (let n = 0; n < settings.count; n++) {
    const audience = weighted(rand, AUDIENCE_WEIGHTS);
    const clinical = CLINICAL.includes(audience);
    const organisationLikely = ORGANISATION_AUDIENCES.includes(audience) ? 0.8 : 0.06;
    const capacity = rand() < organisationLikely ? "organisation" : "individual";
    const organisation = capacity === "organisation" ? pick(rand, clinical ? (audience === "service-providers" ? ORGANISATIONS.provider : ORGANISATIONS.clinical) : ORGANISATIONS.patient) : null;
    const first = pick(rand, FIRST);
    const last = pick(rand, LAST);
    const named = rand() < 0.55;
    const email = rand() < 0.6 ? `${first}.${last}${n}@example.org`.toLowerCase() : null;
    const consent: Consent = weighted(rand, { full: 35, anonymous: 40, none: 25 });

    const weights = clinical ? THEME_WEIGHTS_CLINICAL : THEME_WEIGHTS_PUBLIC;
    const themeCount = weighted(rand, { 1: 45, 2: 38, 3: 17 } as Record<"1" | "2" | "3", number>);
    const themes = new Set<ThemeCode>();
    while (themes.size < Number(themeCount)) themes.add(weighted(rand, weights));
    const evidenceIndex = rand() < 0.22 ? Math.floor(rand() * themes.size) : -1;
    const codings: SampleCoding[] = [...themes].map((theme, i) => ({ theme, stance: weighted(rand, LEAN[theme]), evidenceRich: i === evidenceIndex, origin: rand() < 0.4 ? "suggestion" : "coder" }));

    const sentences = codings.map((c) => {
      const bank = SAYINGS[c.theme as ThemeCode];
      const list = c.stance === "supports" ? bank.towards : c.stance === "opposes" ? bank.against : rand() < 0.5 ? bank.towards : bank.against;
      return pick(rand, list);
    });
    if (evidenceIndex >= 0) sentences.splice(evidenceIndex + 1, 0, pick(rand, EVIDENCE));
    const overall = stanceOf(codings);
    const opener = pick(rand, OPENERS[capacity === "organisation" ? "organisation" : clinical ? "staff" : "person"]);
    const answers: ResponseInput["answers"] = [];
    for (const [i, q] of scaleQuestions.entries()) {
      const comment = i === 0 ? afterOpener(opener, sentences[0]!) : rand() < 0.5 ? pick(rand, FOLLOW_UPS) || null : null;
      answers.push({ questionId: q.id, scale: rand() < 0.93 ? scaleFor(overall, rand) : null, text: comment });
    }
    const rest = scaleQuestions.length ? sentences.slice(1) : sentences;
    for (const [i, q] of textQuestions.entries()) {
      const text = i === 0 ? [...rest, pick(rand, FOLLOW_UPS)].filter(Boolean).join(" ") : rand() < 0.3 ? pick(rand, FOLLOW_UPS) : "";
      if (text) answers.push({ questionId: q.id, scale: null, text });
    }

    const comments: ResponseInput["comments"] = [];
    if (rand() < 0.28) {
      const theme = codings[0]!.theme;
      const clauses = settings.clausesByTheme[theme] ?? [];
      if (clauses.length) {
        const bank = SAYINGS[theme as ThemeCode];
        comments.push({ clauseId: pick(rand, clauses), start: null, end: null, quote: null, prefix: null, suffix: null, body: pick(rand, [...bank.against, ...bank.towards]) });
      }
    }

    // A second coder mostly agrees: now and then one theme is missed or another one added.
    const secondCodings = codings.filter(() => rand() > 0.08).map((c) => ({ ...c, stance: rand() < 0.85 ? c.stance : weighted(rand, LEAN[c.theme as ThemeCode]), origin: "coder" as const }));
    if (rand() < 0.1) {
      const extra = weighted(rand, weights);
      if (!secondCodings.some((c) => c.theme === extra)) secondCodings.push({ theme: extra, stance: weighted(rand, LEAN[extra]), evidenceRich: false, origin: "coder" });
    }
    if (!secondCodings.length) secondCodings.push({ ...codings[0]!, origin: "coder" });

    out.push({
      input: {
        channel: rand() < 0.92 ? "online" : "other",
        source: "sample",
        capacity,
        organisation,
        respondentName: named ? `${first} ${last}` : null,
        audienceCode: audience,
        audienceText: null,
        email,
        consent,
        submittedAt: new Date(opens + Math.floor(rand() * span)).toISOString(),
        answers,
        comments,
      },
      codings,
      secondCodings,
      approved: consent !== "none" && rand() < 0.85,
    });
  }
  return out;
}
