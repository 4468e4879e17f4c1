import { z } from 'zod';

/** How strongly a clause binds: "skal" (must) or "bør" (should). Used by clauses, answers and policies. */
export const RequirementLevelSchema = z.enum(['skal', 'bør']);
export type RequirementLevel = z.infer<typeof RequirementLevelSchema>;
