import { z } from 'zod';
import { ConditionSchema, FORMAT_KINDS } from '../library/schema.js';

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

/**
 * The words of a text for the web pages (`dataklausul serve`) where the terminal's words mention keys ("press Enter",
 * "Space toggles"): the web shows `web.text` / `web.help` instead, the terminal never does.
 */
const WebTextsSchema = z.strictObject({ text: PerLang.optional(), help: PerLang.optional() });

/** A group of the formats question: the registry entries of some kinds, asked as one checkbox. */
const FormatGroupSchema = z.strictObject({
  /** The prompt id (the first group's is the question's own, `formats`). */
  id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z][a-zA-Z0-9]*)*$/),
  kinds: z.array(z.enum(FORMAT_KINDS)).min(1),
  /** At least one entry must be chosen. */
  required: z.boolean().default(false),
  when: ConditionSchema.optional(),
  text: PerLang,
  help: PerLang.optional(),
  web: WebTextsSchema.optional(),
});
export type FormatGroup = z.infer<typeof FormatGroupSchema>;

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
  /**
   * confirm/select: defaults that depend on the answers so far (e.g. the sector), the first that holds wins over
   * `default`; the officer sees the reason.
   */
  defaults: z.array(z.strictObject({ when: ConditionSchema, value: z.union([z.string(), z.boolean()]), reason: PerLang })).optional(),
  /** formats: one checkbox per group of format kinds, each its own prompt id, all written to the flat list. */
  groups: z.array(FormatGroupSchema).min(1).optional(),
  /** formats: what is pre-ticked, each with the reason shown next to it; `when` absent: always. */
  presets: z.array(z.strictObject({ when: ConditionSchema.optional(), formats: z.array(z.string().min(1)).min(1), reason: PerLang })).optional(),
  /** formats: the export-matrix step (texts; `row` with `{kind}`). */
  matrix: z.strictObject({ text: PerLang, help: PerLang, heading: PerLang, row: PerLang }).optional(),
  /** The web's words for `text` and `help` (see WebTextsSchema). */
  web: WebTextsSchema.optional(),
});
export type Question = z.infer<typeof QuestionSchema>;

/**
 * A part of the interview the officer can go back to from the summary ("change an answer"). A question
 * belongs to the first section that lists its id or a prefix of it (`buyer` covers `buyer.members`);
 * a question no section lists belongs to the section of the question before it.
 */
const SectionSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  label: PerLang,
  questions: z.array(z.string().min(1)).min(1),
});
export type Section = z.infer<typeof SectionSchema>;

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

const UiBaseSchema = z.strictObject({
  intro: z.string(),
  resuming: z.string(),
  paramsHeading: z.string(),
  paramsAdjust: z.string(),
  paramsAdjustHelp: z.string(),
  paramPrefix: z.string(),
  summaryHeading: z.string(),
  clausesHeading: z.string(),
  confirmWrite: z.string(),
  /** The choices of the summary screen: write, change an answer, leave out a clause, stop. */
  actionWrite: z.string(),
  actionEdit: z.string(),
  actionOmit: z.string(),
  actionStop: z.string(),
  editWhich: z.string(),
  back: z.string(),
  paramsSection: z.string(),
  paramsSummary: z.string(),
  levelsAllSkal: z.string(),
  omitWhich: z.string(),
  omitReason: z.string(),
  omitReasonHelp: z.string(),
  omitRequiredBy: z.string(),
  /** A clause the policy (serve --policy) requires: `{policy}`. */
  omitRequiredByPolicy: z.string(),
  omitRestore: z.string(),
  omittedHeading: z.string(),
  written: z.string(),
  done: z.string(),
  cancelled: z.string(),
  declined: z.string(),
  draftSaved: z.string(),
  notWritten: z.string(),
  resumeHint: z.string(),
  notATerminal: z.string(),
  yes: z.string(),
  no: z.string(),
  confirmError: z.string(),
  /** Words in the key help line of select and checkbox prompts. */
  keys: z.record(z.string(), z.string()).default({}),
  none: z.string(),
  unanswered: z.string(),
  /** Next to a pre-ticked format: `{reason}`. */
  suggested: z.string(),
  /** The summary's headings for the chosen formats of each kind (clauses/formats.yaml `kind`), and for ids the registry does not know. */
  formatKinds: z.strictObject({
    'data-format': z.string(),
    'document-format': z.string(),
    'archive-package': z.string(),
    'api-spec': z.string(),
    'metadata-standard': z.string(),
    unknown: z.string(),
  }),
  /** Help line of a question whose default comes from `defaults`: `{value}`, `{reason}`. */
  defaultBecause: z.string(),
  member: z.string(),
  draftHeader: z.string(),
  /** The comment above a draft's `draft:` section (how `new` was called), one or more lines. */
  draftCallComment: z.string(),
  answersHeader: z.string(),
  errors: ErrorsSchema,
});

export const UiStringsSchema = UiBaseSchema.extend({
  /** The web's words for the strings whose terminal words mention keys (e.g. `paramsHeading`, `errors.atLeastOne`). */
  web: UiBaseSchema.omit({ errors: true, keys: true }).partial().extend({ errors: ErrorsSchema.partial().optional() }).optional(),
});
export type UiStrings = z.infer<typeof UiStringsSchema>;

export const InterviewSpecSchema = z
  .strictObject({
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).min(1),
    questions: z.array(QuestionSchema).min(1),
    sections: z.array(SectionSchema).min(1),
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
        ...(q.defaults ?? []).map((d, j): [string, Record<string, string>] => [`defaults.${j}.reason`, d.reason]),
        ...(q.groups ?? []).flatMap((g, j): Array<[string, Record<string, string> | undefined]> => [[`groups.${j}.text`, g.text], [`groups.${j}.help`, g.help]]),
        ...(q.presets ?? []).map((p, j): [string, Record<string, string>] => [`presets.${j}.reason`, p.reason]),
        ...Object.entries(q.matrix ?? {}).map(([k, v]): [string, Record<string, string>] => [`matrix.${k}`, v]),
        ['web.text', q.web?.text],
        ['web.help', q.web?.help],
        ...(q.groups ?? []).flatMap((g, j): Array<[string, Record<string, string> | undefined]> => [[`groups.${j}.web.text`, g.web?.text], [`groups.${j}.web.help`, g.web?.help]]),
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
      if (q.type === 'formats' && (!q.groups || !q.presets || !q.matrix)) ctx.addIssue({ code: 'custom', path: ['questions', i], message: 'a formats question needs `groups`, `presets` and `matrix`' });
      if (q.type === 'formats' && q.groups && q.groups[0]!.id !== q.id) ctx.addIssue({ code: 'custom', path: ['questions', i, 'groups', 0, 'id'], message: `the first group's id must be the question's own ("${q.id}")` });
    });
    const sectionIds = new Set<string>();
    spec.sections.forEach((sec, i) => {
      if (sectionIds.has(sec.id)) ctx.addIssue({ code: 'custom', path: ['sections', i, 'id'], message: `duplicate section id "${sec.id}"` });
      sectionIds.add(sec.id);
      for (const lang of spec.languages) if (!sec.label[lang]) ctx.addIssue({ code: 'custom', path: ['sections', i, 'label'], message: `missing the "${lang}" text` });
      sec.questions.forEach((prefix, j) => {
        if (!spec.questions.some((q) => inSection(q.id, prefix))) ctx.addIssue({ code: 'custom', path: ['sections', i, 'questions', j], message: `no question has the id "${prefix}" or starts with "${prefix}."` });
      });
    });
    if (spec.questions[0] && !spec.sections.some((sec) => sec.questions.some((p) => inSection(spec.questions[0]!.id, p)))) {
      ctx.addIssue({ code: 'custom', path: ['sections'], message: `the first question "${spec.questions[0].id}" is in no section` });
    }
    for (const lang of spec.languages) if (!spec.ui[lang]) ctx.addIssue({ code: 'custom', path: ['ui', lang], message: `missing the UI strings for "${lang}"` });
  });
export type InterviewSpec = z.infer<typeof InterviewSpecSchema>;

/**
 * The interview as the web pages ask it: every `web` variant in place of the terminal's words (questions, format
 * groups, UI strings). The same questions, order, choices and validation; only words about keys differ. Pure.
 */
export function forWeb(spec: InterviewSpec): InterviewSpec {
  const texts = <T extends { text: Record<string, string>; help?: Record<string, string>; web?: { text?: Record<string, string>; help?: Record<string, string> } }>(x: T): T => ({
    ...x,
    text: { ...x.text, ...x.web?.text },
    ...(x.help || x.web?.help ? { help: { ...x.help, ...x.web?.help } } : {}),
  });
  return {
    ...spec,
    questions: spec.questions.map((q) => ({ ...texts(q), ...(q.groups ? { groups: q.groups.map(texts) } : {}) })),
    ui: Object.fromEntries(
      Object.entries(spec.ui).map(([lang, ui]) => {
        const { errors, ...rest } = ui.web ?? {};
        return [lang, { ...ui, ...rest, errors: { ...ui.errors, ...errors } }];
      }),
    ),
  };
}

export const inSection = (id: string, prefix: string) => id === prefix || id.startsWith(`${prefix}.`);

/** The section of every question, by question id (see SectionSchema). */
export function sectionOf(spec: Pick<InterviewSpec, 'questions' | 'sections'>): Map<string, string> {
  const out = new Map<string, string>();
  let current = spec.sections[0]!.id;
  for (const q of spec.questions) {
    const sec = spec.sections.find((s) => s.questions.some((p) => inSection(q.id, p)));
    if (sec) current = sec.id;
    out.set(q.id, current);
  }
  return out;
}

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
