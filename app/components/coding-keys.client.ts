// The coding queue's keys: each one presses a button or follows a link the page already has, so
// the keys add speed and nothing the forms cannot do without JavaScript.
import type { Stance } from "~/domain/coding";
import { STANCE_KEYS, SUGGESTION_KEYS } from "./coding-keys";

const STANCE_BY_KEY = new Map(Object.entries(STANCE_KEYS).map(([stance, key]) => [key, stance as Stance]));
const EDITING_KEYS = new Set(["Enter", "Backspace", "Delete", "Tab", "ArrowLeft", "ArrowRight", "Home", "End"]);

/** Carries the stance and evidence chosen in the apply form into a suggestion's form. */
function carryChoices(document: Document, form: HTMLFormElement): void {
  const stance = document.querySelector<HTMLInputElement>('#sw_apply input[name="stance"]:checked')?.value;
  const hidden = form.querySelector<HTMLInputElement>("input[data-suggestion-stance]");
  if (stance && hidden) hidden.value = stance;
  const evidence = document.querySelector<HTMLInputElement>("#sw_evidence")?.checked ?? false;
  form.querySelector('input[name="evidence"]')?.remove();
  if (evidence) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "evidence";
    input.value = "on";
    form.append(input);
  }
}

/** Installs the keys on the page; returns what removes them again. */
export function installCodingKeys(document: Document): () => void {
  const numberInput = () => document.querySelector<HTMLInputElement>("#sw_theme-number");
  const clearSoon = () => setTimeout(() => {
    // Evidence-rich is said of one coding, so it does not carry over to the next theme.
    const input = numberInput();
    if (input) input.value = "";
    const box = document.querySelector<HTMLInputElement>("#sw_evidence");
    if (box) box.checked = false;
  }, 0);
  const submit = (button: HTMLButtonElement | null) => {
    if (!button?.form) return;
    if (button.form.classList.contains("sw-suggestion")) carryChoices(document, button.form);
    button.form.requestSubmit(button);
    if (button.form.id === "sw_apply") clearSoon();
  };

  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target instanceof HTMLElement ? event.target : null;
    const input = numberInput();
    const inNumber = target !== null && target === input;
    if (!inNumber && target?.closest("input, textarea, select, [contenteditable]")) return;
    const key = event.key;
    if (/^[0-9]$/.test(key)) {
      if (!inNumber && input) {
        event.preventDefault();
        input.focus();
        input.value = key;
      }
      return;
    }
    if (inNumber && EDITING_KEYS.has(key)) {
      if (key === "Enter") {
        event.preventDefault();
        submit(document.querySelector<HTMLButtonElement>("button[data-key-apply]"));
      }
      return;
    }
    let done = true;
    if (key === "j" || key === "n") document.querySelector<HTMLElement>("[data-key-next]")?.click();
    else if (key === "k" || key === "p") document.querySelector<HTMLElement>("[data-key-previous]")?.click();
    else if (STANCE_BY_KEY.has(key)) {
      const radio = document.querySelector<HTMLInputElement>(`#sw_stance-${STANCE_BY_KEY.get(key)}`);
      if (radio) radio.checked = true;
    } else if (key === "e") {
      const box = document.querySelector<HTMLInputElement>("#sw_evidence");
      if (box) box.checked = !box.checked;
    } else if (key === "x") {
      if (input?.value) submit(document.querySelector<HTMLButtonElement>("button[data-key-remove]"));
      else input?.focus();
    } else if ((SUGGESTION_KEYS as readonly string[]).includes(key)) submit(document.querySelector<HTMLButtonElement>(`button[data-suggestion-key="${key}"]`));
    else if (key === "Escape" && input) input.value = "";
    else done = false;
    if (done) event.preventDefault();
  };

  // A suggestion applied with the mouse takes the stance chosen too (click comes before submit).
  const onClick = (event: MouseEvent) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>(".sw-suggestion button") : null;
    if (button?.form) carryChoices(document, button.form);
  };

  document.addEventListener("keydown", onKey);
  document.addEventListener("click", onClick, true);
  // Tells the page (and its tests) that the keys are listening.
  document.documentElement.dataset.codingKeys = "on";
  return () => {
    delete document.documentElement.dataset.codingKeys;
    document.removeEventListener("keydown", onKey);
    document.removeEventListener("click", onClick, true);
  };
}
