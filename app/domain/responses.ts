// A version's responses to the themes, as a file: each clause change with its themes and
// rationale, the themes that led to no change and why, and annotations people made.
import { z } from "zod";
import { ANNOTATION_KINDS, VISIBILITIES } from "./annotations";
import { followsTextPolicy } from "./text-policy";
import { ThemeCodeSchema } from "./themes";

const themeCode = ThemeCodeSchema;


export const ResponsesSchema = z
  .object({
    slug: z.string().min(1),
    version: z.string().min(1),
    /** The editors' plain-English summary of the revision; older files have none. */
    summary: z.string().trim().max(5000).superRefine(followsTextPolicy({ lines: true })).optional(),
    changes: z.array(z.object({ clauseId: z.string().min(1), themes: z.array(themeCode), rationale: z.string().trim().min(1).max(5000).superRefine(followsTextPolicy({ lines: true })) }).strict()),
    outcomes: z.array(z.object({ theme: themeCode, outcome: z.string().trim().min(1).max(5000).superRefine(followsTextPolicy({ lines: true })) }).strict()).default([]),
    annotations: z
      .array(
        z
          .object({
            version: z.string().min(1),
            clauseId: z.string().min(1),
            quote: z.string().min(1).superRefine(followsTextPolicy({ lines: true })).optional(),
            kind: z.enum(ANNOTATION_KINDS),
            visibility: z.enum(VISIBILITIES),
            themes: z.array(themeCode).default([]),
            author: z.string().trim().min(1).max(200).superRefine(followsTextPolicy()),
            body: z.string().trim().min(1).max(10000).superRefine(followsTextPolicy({ lines: true })),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type Responses = z.infer<typeof ResponsesSchema>;

export function parseResponses(text: string): { ok: true; responses: Responses } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const result = ResponsesSchema.safeParse(json);
  return result.success ? { ok: true, responses: result.data } : { ok: false, problems: result.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`) };
}
