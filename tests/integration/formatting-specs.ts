// A folder of specifications whose changes are formatting and a move, named in SPECS_DIR for the
// app to seed from. Imported before ./app, so the database it makes is seeded from here.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const SLUG = "sample-formatting";
const front = (version: string, status: string) => `---\nslug: ${SLUG}\ntitle: Sample formatting\nreference: SAMPLE-RT-0002S\nversion: ${version}\ndate: 2017-0${version === "1.0" ? 1 : 2}-01\nstatus: ${status}\n---\n\n`;
export const OLDER =
  front("1.0", "superseded") +
  "# Scope {#scope}\n\n{#c-must} Providers **must** follow [NICE guidance](https://www.nice.org.uk/) and the *national strategy*.\n\n{#c-data} See [the dataset](https://example.org/old) for details.\n\n" +
  "# Premises {#premises}\n\n{#c-sites} Treatment is given at member sites.\n";
export const NEWER =
  front("1.1", "published") +
  "# Scope {#scope}\n\n{#c-sites} Treatment is given at member sites.\n\n{#c-must} Providers *must* follow [NICE guidance](https://www.nice.org.uk/guidance) and the [national strategy](https://www.england.nhs.uk/).\n\n{#c-data} See the dataset for **details**.\n\n" +
  "# Premises {#premises}\n";

const specs = mkdtempSync(path.join(tmpdir(), "specwork-specs-"));
mkdirSync(path.join(specs, SLUG));
writeFileSync(path.join(specs, SLUG, "1.0.md"), OLDER);
writeFileSync(path.join(specs, SLUG, "1.1.md"), NEWER);
process.env.SPECS_DIR = specs;
