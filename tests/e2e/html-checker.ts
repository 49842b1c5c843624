// The W3C's Nu HTML Checker (vnu.jar from the vnu-jar package, run by Debian's Java): checks many
// documents in one run, so the JVM starts once however many pages there are.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

// The package's main export is the path of the jar (its own runner would fetch a Java of its own).
const VNU_JAR = String(createRequire(import.meta.url)("vnu-jar"));

export interface CheckerMessage {
  /** The name given with the document. */
  document: string;
  type: string;
  message: string;
  line?: number;
  column?: number;
  extract?: string;
}

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  message: string;
  lastLine?: number;
  firstColumn?: number;
  lastColumn?: number;
  extract?: string;
}

function runJava(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("java", args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The checker's errors for each document (name → HTML text), all checked in one run. Warnings
 * are left out; anything the checker could not read is reported as an error of its own.
 */
export async function checkHtml(documents: Map<string, string>): Promise<CheckerMessage[]> {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-vnu-"));
  try {
    const fileToName = new Map<string, string>();
    [...documents].forEach(([name, html], i) => {
      const file = path.join(dir, `page-${i}.html`);
      writeFileSync(file, html, "utf8");
      fileToName.set(`file:${file}`, name);
    });
    const { code, stdout, stderr } = await runJava(["-jar", VNU_JAR, "--errors-only", "--format", "json", "--exit-zero-always", ...[...fileToName.keys()].map((f) => f.slice("file:".length))]);
    // The JSON report goes to standard error.
    const report = stderr.slice(stderr.indexOf("{"));
    let parsed: { messages: VnuMessage[] };
    try {
      parsed = JSON.parse(report) as { messages: VnuMessage[] };
    } catch {
      throw new Error(`the HTML checker gave no report (exit ${code}):\n${stderr}\n${stdout}`);
    }
    return parsed.messages
      .filter((m) => m.type !== "info")
      .map((m) => ({
        document: (m.url && fileToName.get(m.url)) ?? m.url ?? "(unknown)",
        type: m.subType ? `${m.type} ${m.subType}` : m.type,
        message: m.message,
        line: m.lastLine,
        column: m.firstColumn ?? m.lastColumn,
        extract: m.extract,
      }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
