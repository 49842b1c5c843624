// What the tests need from Debian: Chromium for the browser tests, pandoc as an independent
// reader of our Word files, Java for the W3C HTML checker, and PostgreSQL's server for the runs on
// PostgreSQL (see postgres.ts). Installed with apt-get when the tests run as root; otherwise the
// tests stop and name the one command that installs them.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface DebianTool {
  /** The program the tests run. */
  command: string;
  /** The Debian package that provides it. */
  pkg: string;
  /** How to tell it is installed, when that is not simply `command` on the PATH or at its path. */
  found?: () => boolean;
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export const DEBIAN_TOOLS: DebianTool[] = [
  { command: CHROMIUM_PATH, pkg: "chromium" },
  { command: "pandoc", pkg: "pandoc" },
  { command: "java", pkg: "default-jre-headless" },
];

function present(command: string): boolean {
  if (command.includes("/")) return existsSync(command);
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function installed(tool: DebianTool): boolean {
  return tool.found ? tool.found() : present(tool.command);
}

/** The one command that installs what is missing. */
export function installCommand(tools: DebianTool[]): string {
  return `sudo apt-get install -y --no-install-recommends ${tools.map((t) => t.pkg).join(" ")}`;
}

/** Installs whichever of `tools` is missing (as root), or throws saying how to install them. */
export function ensureDebianTools(tools: DebianTool[] = DEBIAN_TOOLS): void {
  const missing = tools.filter((tool) => !installed(tool));
  if (!missing.length) return;
  const canInstall = process.getuid?.() === 0 && present("apt-get");
  if (!canInstall) {
    throw new Error(`The tests need ${missing.map((t) => t.pkg).join(", ")} from Debian. Install with: ${installCommand(missing)}`);
  }
  console.log(`Installing Debian's ${missing.map((t) => t.pkg).join(", ")} for the tests…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const install = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing.map((t) => t.pkg)], { stdio: "inherit", env });
  const still = missing.filter((tool) => !installed(tool));
  if (update.status !== 0 || install.status !== 0 || still.length) {
    throw new Error(`Could not install ${still.map((t) => t.pkg).join(", ") || "the packages"}. Install with: ${installCommand(still.length ? still : missing)}`);
  }
}
