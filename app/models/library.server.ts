// Loads specification files and theme registers from disk into the database, all or nothing.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import { recordAudit } from "./audit.server";
import { DomainError } from "~/domain/errors";
import { inTransaction, type Database } from "./db.server";
import { importThemes } from "./themes.server";
import { importVersion, sealFixedVersions, type ImportOutcome } from "./versions.server";
import { formatProblem } from "~/domain/source/errors";
import { MAX_SOURCE_BYTES, parseSpec, type SpecSource } from "~/domain/source/parse";
import { parseResponses, type Responses } from "~/domain/responses";
import { parseThemeRegister, type Theme } from "~/domain/themes";
import { importResponses } from "./responses.server";
import { compareVersionNumbers } from "~/domain/version-number";
import { parseConsultationFile, type ConsultationFile } from "~/domain/consultation-file";
import { importConsultationFile } from "./consultation-library.server";

/** A file's contents as a version source, or its problems as "file:line:column: message" lines. */
export function readSpecFile(file: string): { ok: true; source: SpecSource } | { ok: false; problems: string[] } {
  let bytes: Buffer;
  try {
    if (statSync(file).size > MAX_SOURCE_BYTES) {
      return { ok: false, problems: [`${file}:1:1: file is larger than ${MAX_SOURCE_BYTES} bytes`] };
    }
    bytes = readFileSync(file);
  } catch (error) {
    return { ok: false, problems: [`${file}:1:1: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
  }
  const result = parseSpec(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
  return result.ok ? result : { ok: false, problems: result.problems.map(formatProblem) };
}

/**
 * A .json file: a theme register ({ "themes": … }), a version's responses to the themes
 * ({ "changes": … }) or a consultation ({ "consultation": … }).
 */
function readJsonFile(file: string): { ok: true; themes: Theme[] } | { ok: true; responses: Responses } | { ok: true; consultation: ConsultationFile } | { ok: false; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { ok: false, problems: [`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`] };
  }
  if (/^\s*\{\s*"consultation"\s*:/.test(text)) {
    const parsed = parseConsultationFile(text);
    return parsed.ok ? { ok: true, consultation: parsed.file } : { ok: false, problems: parsed.problems.map((p) => `${file}: ${p}`) };
  }
  const isResponses = /"changes"\s*:/.test(text) && !/^\s*\{\s*"themes"/.test(text);
  const result = isResponses ? parseResponses(text) : parseThemeRegister(text);
  return result.ok ? result : { ok: false, problems: result.problems.map((p) => `${file}: ${p}`) };
}

/** The .md specification files and .json theme registers under a folder, in a stable order. */
export function findLibraryFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md") || name.endsWith(".json"))
    .map((name) => path.join(dir, name))
    .sort();
}

export type LibraryImport =
  | { ok: true; versions: ImportOutcome[]; themes: { created: number; unchanged: number } }
  | { ok: false; problems: string[] };

/**
 * Imports specification files (.md) and theme registers (.json). Every file is checked first;
 * if any has a problem, or any version conflicts with a stored one, nothing is imported.
 */
export async function importLibraryFiles(db: Kysely<Database>, files: string[], createdBy: string): Promise<LibraryImport> {
  const problems: string[] = [];
  const sources: SpecSource[] = [];
  const themes: Theme[] = [];
  const responses: Responses[] = [];
  const consultations: ConsultationFile[] = [];
  const fileOf = new Map<string, string>();
  for (const file of files) {
    const result = file.endsWith(".json") ? readJsonFile(file) : readSpecFile(file);
    if (!result.ok) {
      problems.push(...result.problems);
    } else if ("responses" in result) {
      responses.push(result.responses);
    } else if ("consultation" in result) {
      consultations.push(result.consultation);
    } else if ("source" in result) {
      const key = `${result.source.meta.slug} ${result.source.meta.version}`;
      const earlier = fileOf.get(key);
      if (earlier) problems.push(`${file}:1:1: is version ${result.source.meta.version} of ${result.source.meta.slug}, and so is ${earlier}: import one of them`);
      else fileOf.set(key, file);
      sources.push(result.source);
    } else {
      themes.push(...result.themes);
    }
  }
  if (problems.length) return { ok: false, problems };
  sources.sort((a, b) => a.meta.slug.localeCompare(b.meta.slug) || compareVersionNumbers(a.meta.version, b.meta.version));
  try {
    return await inTransaction(db, async (trx) => {
      const versions: ImportOutcome[] = [];
      for (const source of sources) {
        const outcome = await importVersion(trx, source, createdBy);
        versions.push(outcome);
        if (outcome.status === "created") {
          await recordAudit(trx, { actor: { id: null, email: createdBy }, action: "version.import", objectType: "version", objectId: `${outcome.slug} ${outcome.number}`, slug: outcome.slug, version: outcome.number, hash: outcome.hash });
        }
      }
      const themeCounts = await importThemes(trx, themes);
      for (const set of responses) await importResponses(trx, set);
      // What approved and published versions show is fixed from here on, notes and outcomes too.
      await sealFixedVersions(trx);
      const clausesByTheme = new Map(themes.map((t) => [t.code, t.clauses]));
      for (const consultation of consultations) await importConsultationFile(trx, consultation, clausesByTheme);
      return { ok: true as const, versions, themes: themeCounts };
    });
  } catch (error) {
    if (error instanceof DomainError) {
      return { ok: false, problems: error.message.split("\n") };
    }
    throw error;
  }
}

/** Seeds a new, empty database from the library folder. Returns whether it seeded. */
export async function seedIfEmpty(db: Kysely<Database>, dir: string): Promise<boolean> {
  // The look and the import are one transaction, so that of several servers started together
  // on a new database one seeds it: the others lose the race, and run again find it seeded.
  return inTransaction(db, async (trx) => {
    const any = await trx.selectFrom("specifications").select("id").limit(1).executeTakeFirst();
    if (any) return false;
    const result = await importLibraryFiles(trx, findLibraryFiles(dir), "specwork seed");
    if (!result.ok) throw new Error(`cannot seed the database from ${dir}:\n${result.problems.join("\n")}`);
    return true;
  });
}
