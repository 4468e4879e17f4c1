import { z } from 'zod';
import { ClauseIdSchema, ParamNameSchema } from './names.js';
import { RequirementLevelSchema } from './levels.js';
import { TOPICS } from './topics.js';
import { LibraryPinSchema } from './pins.js';

/** The answers file: what the procurement officer told us. Validated strictly; a typo'd key fails. */

/**
 * Contract types. `SSA-sky` is kept for answers files written before DFØ's two forms (store/lille sky) were told
 * apart; `other` for any other frame. The parts of each are in templates/contract-types.yaml.
 */
export const CONTRACT_TYPES = ['SSA-L', 'SSA-D', 'SSA-T', 'SSA-S', 'SSA-K', 'SSA-V', 'SSA-sky-store', 'SSA-sky-lille', 'SSA-sky', 'services-own-terms', 'NS-8402', 'other'] as const;
export const DELIVERY_MODELS = ['on-premises', 'hosted', 'saas', 'outsourced-service'] as const;
export const SECTORS = [
  'health-care',
  'education',
  'planning-geodata',
  'technical-services',
  'archives-case-handling',
  'administration',
  'culture',
  'transport',
  'environment-sensors',
] as const;
export const BULK_FREQUENCIES = ['none', 'on-request', 'daily', 'weekly', 'monthly', 'quarterly'] as const;
export const PRICE_MODELS = ['free', 'included', 'fixed', 'capped', 'hourly-capped'] as const;
export const LICENCES = ['NLOD-2.0', 'CC-BY-4.0', 'CC0-1.0'] as const;
export const LANGUAGES = ['nb', 'nn', 'en'] as const;

/** Norwegian organisation number: nine digits, weights 3 2 7 6 5 4 3 2, mod-11 check digit. */
export function isValidOrgNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(value[i]), 0);
  const rest = sum % 11;
  const check = rest === 0 ? 0 : 11 - rest;
  return check !== 10 && check === Number(value[8]);
}

export const OrgNumberSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .refine((s) => /^\d{9}$/.test(s), { message: 'expected nine digits, e.g. "974 760 673"' })
  .refine(isValidOrgNumber, { message: 'the check digit (mod 11) does not match: check the number in Brønnøysundregistrene' });

const Text = z.string().trim().min(1, 'must not be empty');
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD, e.g. 2027-03-01')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: 'not a real calendar date',
  })
  .refine((s) => s >= '1970-01-01', { message: 'must be between 1970-01-01 and 9999-12-31' });

const PriceChoice = z.enum(PRICE_MODELS);

export const AnswersSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** Output language; `--lang` overrides it. */
  language: z.enum(LANGUAGES).default('nb'),
  /** The appendix date. If absent, SOURCE_DATE_EPOCH is used; the clock never is. */
  date: z.union([IsoDate, z.date().transform((d) => d.toISOString().slice(0, 10))]).optional(),
  buyer: z.strictObject({
    name: Text,
    orgNumber: OrgNumberSchema,
    members: z.array(z.strictObject({ name: Text, orgNumber: OrgNumberSchema })).default([]),
  }),
  procurement: z.strictObject({
    title: Text,
    reference: Text,
    contractType: z.enum(CONTRACT_TYPES),
    appendixLabel: Text.optional(),
    description: Text.optional(),
    /** The planned start of the contract (signing), YYYY-MM-DD. With termMonths it tells whether the contract can run past a legal date (EU Data Act art. 29). */
    plannedStart: IsoDate.optional(),
    /** The longest the contract can run, in months, options to extend included. */
    termMonths: z.number().int().min(1, 'must be at least 1 month').max(600, 'must be at most 600 months (50 years)').optional(),
  }),
  deliveryModel: z.enum(DELIVERY_MODELS),
  sector: z.enum(SECTORS),
  data: z.strictObject({
    personal: z.boolean(),
    specialCategories: z.boolean().default(false),
    geodata: z.boolean().default(false),
    sensor: z.boolean().default(false),
    archival: z.boolean().default(false),
    openPublication: z.boolean().default(false),
  }),
  access: z.strictObject({
    api: z.boolean(),
    bulkExport: z.enum(BULK_FREQUENCIES).default('monthly'),
    realTime: z.boolean().default(false),
  }),
  formats: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a format id from clauses/formats.yaml, e.g. csv')).min(1),
  /**
   * Optional: which kinds of data (`dataKinds` in clauses/formats.yaml, e.g. geodata) are exported in which formats.
   * Without it the matrix is derived from the data answers, the sector and `formats`; a row given here replaces the
   * derived row for that kind (an empty list leaves the kind out).
   */
  exportMatrix: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a data kind id from clauses/formats.yaml, e.g. geodata'), z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a format id from clauses/formats.yaml, e.g. csv'))).optional(),
  pricing: z.strictObject({
    routineExport: PriceChoice,
    apiUsage: PriceChoice,
    exitExport: PriceChoice,
    exitAssistance: PriceChoice,
  }),
  licence: z.enum(LICENCES).optional(),
  requirementLevels: z.partialRecord(z.enum(TOPICS), RequirementLevelSchema).default({}),
  /** Accepted deviations from an architecture policy (`build --policy`) or from a deviable consistency rule (e.g. data-act-switching-charges), each with its justification and, optionally, who approved it. */
  deviations: z.array(z.strictObject({ rule: z.string().min(1), reason: Text, approvedBy: Text.optional() })).default([]),
  omit: z.array(z.strictObject({ clause: ClauseIdSchema, reason: Text })).default([]),
  /** The clause libraries this appendix was built with (`build --lock`); a changed library stops the build. */
  lock: z.array(LibraryPinSchema).optional(),
  /** Clause parameter values by clause id, e.g. `exit/transition-period: { days: 30 }`. */
  params: z.record(ClauseIdSchema, z.record(ParamNameSchema, z.unknown())).default({}),
});
export type Answers = z.infer<typeof AnswersSchema>;
export type AnswersInput = z.input<typeof AnswersSchema>;

/**
 * Every dotted path a clause condition or template may read, with the values it may take.
 * Derived from the schema so that lint and the interview agree with validation.
 */
export const ANSWER_PATHS: Readonly<Record<string, { kind: 'boolean' | 'enum' | 'text' | 'number' | 'list' | 'date' | 'record'; values?: readonly string[] }>> = {
  language: { kind: 'enum', values: LANGUAGES },
  date: { kind: 'date' },
  'buyer.name': { kind: 'text' },
  'buyer.orgNumber': { kind: 'text' },
  'buyer.members': { kind: 'list' },
  'procurement.title': { kind: 'text' },
  'procurement.reference': { kind: 'text' },
  'procurement.contractType': { kind: 'enum', values: CONTRACT_TYPES },
  'procurement.appendixLabel': { kind: 'text' },
  'procurement.description': { kind: 'text' },
  'procurement.plannedStart': { kind: 'date' },
  'procurement.termMonths': { kind: 'number' },
  deliveryModel: { kind: 'enum', values: DELIVERY_MODELS },
  sector: { kind: 'enum', values: SECTORS },
  'data.personal': { kind: 'boolean' },
  'data.specialCategories': { kind: 'boolean' },
  'data.geodata': { kind: 'boolean' },
  'data.sensor': { kind: 'boolean' },
  'data.archival': { kind: 'boolean' },
  'data.openPublication': { kind: 'boolean' },
  'access.api': { kind: 'boolean' },
  'access.bulkExport': { kind: 'enum', values: BULK_FREQUENCIES },
  'access.realTime': { kind: 'boolean' },
  formats: { kind: 'list' },
  exportMatrix: { kind: 'record' },
  'pricing.routineExport': { kind: 'enum', values: PRICE_MODELS },
  'pricing.apiUsage': { kind: 'enum', values: PRICE_MODELS },
  'pricing.exitExport': { kind: 'enum', values: PRICE_MODELS },
  'pricing.exitAssistance': { kind: 'enum', values: PRICE_MODELS },
  licence: { kind: 'enum', values: LICENCES },
  requirementLevels: { kind: 'record' },
  params: { kind: 'record' },
  deviations: { kind: 'list' },
  omit: { kind: 'list' },
};

/** Reads a dotted path from an object; undefined when any step is missing. Own properties only. */
export function readPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return undefined;
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
