import { z } from 'zod';
import { ConditionSchema } from '../library/schema.js';

/**
 * The interview as data: `templates/interview.yaml`. Questions, their branching (`when`, the same
 * structured conditions as clauses) and every string the interview shows, per language.
 */

const PerLang = z.record(z.string(), z.string().min(1));

export const QUESTION_TYPES = ['text', 'orgnr', 'confirm', 'select', 'checkbox', 'number', 'date', 'formats', 'members', 'levels'] as const;

/** A choice may carry a condition over the answers given so far: it is offered only when it holds. */
const ChoiceSchema = z.strictObject({ value: z.string().min(1), label: PerLang, when: ConditionSchema.optional() });
export type Choice = z.infer<typeof ChoiceSchema>;

const FieldSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
  type: z.enum(['text', 'orgnr', 'select']),
  text: PerLang,
  help: PerLang.optional(),
  /** select: the choices, and the one preselected. */
  choices: z.array(ChoiceSchema).min(1).optional(),
  default: z.string().optional(),
});

export const QuestionSchema = z.strictObject({
  id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z][a-zA-Z0-9]*)*$/, 'expected a dotted answers path such as buyer.orgNumber'),
  type: z.enum(QUESTION_TYPES),
  text: PerLang,
  help: PerLang.optional(),
  choices: z.array(ChoiceSchema).min(1).optional(),
  default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
  optional: z.boolean().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  when: ConditionSchema.optional(),
  ifSkipped: z.union([z.string(), z.number(), z.boolean()]).optional(),
  /** members: the question for "add another?" and the fields of one member. */
  more: PerLang.optional(),
  fields: z.array(FieldSchema).optional(),
  /** levels: the per-topic question, with `{topic}`. */
  topic: PerLang.optional(),
  /** formats: which registry entries are pre-ticked. */
  preselect: z
    .strictObject({
      kinds: z.array(z.enum(['file', 'api', 'metadata', 'package'])).min(1),
      extraSectors: z.array(z.strictObject({ sector: z.string(), when: ConditionSchema })).default([]),
    })
    .optional(),
});
export type Question = z.infer<typeof QuestionSchema>;

const ErrorsSchema = z.strictObject({
  required: z.string(),
  orgDigits: z.string(),
  orgCheck: z.string(),
  number: z.string(),
  integer: z.string(),
  min: z.string(),
  max: z.string(),
  rangeTo: z.string(),
  rangeFrom: z.string(),
  date: z.string(),
  dateReal: z.string(),
  atLeastOne: z.string(),
  exists: z.string(),
  invalid: z.string(),
  /** A member with the buyer's own number ({value}), one listed twice ({value}, member {n}), a host that is neither ({value}). */
  memberIsBuyer: z.string(),
  memberTwice: z.string(),
  hostUnknown: z.string(),
});

export const UiStringsSchema = z.strictObject({
  intro: z.string(),
  resuming: z.string(),
  paramsHeading: z.string(),
  paramsAdjust: z.string(),
  paramsAdjustHelp: z.string(),
  paramPrefix: z.string(),
  summaryHeading: z.string(),
  clausesHeading: z.string(),
  confirmWrite: z.string(),
  written: z.string(),
  done: z.string(),
  cancelled: z.string(),
  declined: z.string(),
  draftSaved: z.string(),
  notATerminal: z.string(),
  yes: z.string(),
  no: z.string(),
  confirmError: z.string(),
  /** Words in the key help line of select and checkbox prompts. */
  keys: z.record(z.string(), z.string()).default({}),
  none: z.string(),
  unanswered: z.string(),
  member: z.string(),
  draftHeader: z.string(),
  answersHeader: z.string(),
  errors: ErrorsSchema,
});
export type UiStrings = z.infer<typeof UiStringsSchema>;

export const InterviewSpecSchema = z
  .strictObject({
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).min(1),
    questions: z.array(QuestionSchema).min(1),
    params: z.strictObject({ when: z.record(z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+\.[a-z][a-zA-Z0-9]*$/, 'expected "<clause id>.<param>"'), ConditionSchema).default({}) }).default({ when: {} }),
    ui: z.record(z.string(), UiStringsSchema),
  })
  .superRefine((spec, ctx) => {
    const ids = new Set<string>();
    spec.questions.forEach((q, i) => {
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate question id "${q.id}"` });
      ids.add(q.id);
      const texts: Array<[string, Record<string, string> | undefined]> = [
        ['text', q.text],
        ['help', q.help],
        ['more', q.more],
        ['topic', q.topic],
        ...(q.choices ?? []).map((c, j): [string, Record<string, string>] => [`choices.${j}.label`, c.label]),
        ...(q.fields ?? []).map((f, j): [string, Record<string, string>] => [`fields.${j}.text`, f.text]),
      ];
      for (const [key, t] of texts) {
        if (!t) continue;
        for (const lang of spec.languages) if (!t[lang]) ctx.addIssue({ code: 'custom', path: ['questions', i, ...key.split('.')], message: `missing the "${lang}" text` });
      }
      const needsChoices = q.type === 'select' || q.type === 'checkbox' || q.type === 'levels';
      if (needsChoices && !q.choices) ctx.addIssue({ code: 'custom', path: ['questions', i, 'choices'], message: `a ${q.type} question needs choices` });
      if (q.type === 'members' && (!q.more || !q.fields?.length)) ctx.addIssue({ code: 'custom', path: ['questions', i], message: 'a members question needs `more` and `fields`' });
      q.fields?.forEach((f, j) => {
        if (f.type === 'select' && !f.choices?.length) ctx.addIssue({ code: 'custom', path: ['questions', i, 'fields', j], message: 'a select field needs `choices`' });
      });
      if (q.type === 'levels' && !q.topic) ctx.addIssue({ code: 'custom', path: ['questions', i], message: 'a levels question needs `topic`' });
      if (q.type === 'formats' && !q.preselect) ctx.addIssue({ code: 'custom', path: ['questions', i], message: 'a formats question needs `preselect`' });
    });
    for (const lang of spec.languages) if (!spec.ui[lang]) ctx.addIssue({ code: 'custom', path: ['ui', lang], message: `missing the UI strings for "${lang}"` });
  });
export type InterviewSpec = z.infer<typeof InterviewSpecSchema>;

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
