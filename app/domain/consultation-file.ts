// A consultation as a file in the library (specs/**/consultation-*.json): its definition, and
// optionally a seeded sample of responses with the decision on each theme, for demonstration.
import { z } from "zod";
import { ThemeCodeSchema } from "./themes";
import { DECISIONS } from "./coding";
import { followsTextPolicy } from "./text-policy";
import { ConsultationFieldsSchema, ConsultationIdSchema, EventSchema, QuestionSchema } from "./consultations";

export const ConsultationFileSchema = z
  .object({
    consultation: z
      .object({
        id: ConsultationIdSchema,
        slug: z.string().min(1),
        version: z.string().min(1),
        fields: ConsultationFieldsSchema,
        audiences: z.array(z.string().min(1)),
        events: z.array(EventSchema).default([]),
        questions: z.array(QuestionSchema),
        otherFormatCount: z.number().int().min(0).default(0),
      })
      .strict(),
    /** Generated responses (see sample-responses.ts), coded to the themes, for a demonstration. */
    sample: z.object({ responses: z.number().int().min(1).max(5000), seed: z.number().int() }).strict().optional(),
    decisions: z
      .array(z.object({ theme: ThemeCodeSchema, decision: z.enum(DECISIONS), reason: z.string().trim().min(1).max(5000).superRefine(followsTextPolicy({ lines: true })) }).strict())
      .default([]),
    /** Whether the seed publishes the engagement report (a closed consultation's). */
    publishReport: z.boolean().default(false),
    /** When the seed's report counts as published (a past date reads better than the seeding day). */
    reportPublishedAt: z.iso.datetime({ offset: false }).optional(),
  })
  .strict();

export type ConsultationFile = z.infer<typeof ConsultationFileSchema>;

export function parseConsultationFile(text: string): { ok: true; file: ConsultationFile } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const result = ConsultationFileSchema.safeParse(json);
  return result.success ? { ok: true, file: result.data } : { ok: false, problems: result.error.issues.map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`) };
}
