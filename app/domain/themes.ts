// The theme register: what people said in engagement and consultation, as codes T01, T02 …
import { z } from "zod";
import { followsTextPolicy } from "./text-policy";

/** Where a theme stands: still open, addressed by a change, or closed without one. */
export const THEME_STATUSES = ["open", "addressed", "closed"] as const;

/** A theme's code: capital letters and digits, such as T01. */
export const ThemeCodeSchema = z.string().regex(/^[A-Z][A-Z0-9-]{0,19}$/, "a theme code is capital letters and digits, such as T01");

export const ThemeSchema = z
  .object({
    code: ThemeCodeSchema,
    title: z.string().trim().min(1, "a theme needs a title").max(200).superRefine(followsTextPolicy()),
    description: z.string().trim().min(1, "a theme needs a description").max(5000).superRefine(followsTextPolicy({ lines: true })),
    source: z.string().trim().min(1, "say where the theme came from, such as Engagement 2016").max(200).superRefine(followsTextPolicy()),
    status: z.enum(THEME_STATUSES),
    /** Ids of the clauses the theme touched in the version it was raised on (informational). */
    clauses: z.array(z.string()).default([]),
  })
  .strict();

export const ThemeRegisterSchema = z
  .object({ themes: z.array(ThemeSchema) })
  .strict()
  .superRefine((register, ctx) => {
    const seen = new Set<string>();
    register.themes.forEach((theme, index) => {
      if (seen.has(theme.code)) {
        ctx.addIssue({ code: "custom", path: ["themes", index, "code"], message: `duplicate theme code ${theme.code}` });
      }
      seen.add(theme.code);
    });
  });

export type Theme = z.infer<typeof ThemeSchema>;

/** A theme as a person enters it (the register form): its fields without the clauses it touched. */
export const ThemeFieldsSchema = ThemeSchema.omit({ clauses: true });
export type ThemeFields = z.infer<typeof ThemeFieldsSchema>;

/** Reads a theme register file's text; problems come back as "path: message" lines. */
export function parseThemeRegister(text: string): { ok: true; themes: Theme[] } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const result = ThemeRegisterSchema.safeParse(json);
  if (result.success) return { ok: true, themes: result.data.themes };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join(".") || "(top level)"}: ${issue.message}`),
  };
}
