// Once per test run, before any project: the Debian programs the tests use are present.
import { ensureDebianTools } from "./debian";

export default function setup() {
  ensureDebianTools();
}
