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
/** How often full extracts are delivered during the contract; `per-assignment` is after each assignment (oppdrag) the supplier carries out. */
export const BULK_FREQUENCIES = ['none', 'on-request', 'per-assignment', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
export const PRICE_MODELS = ['free', 'included', 'fixed', 'capped', 'hourly-capped'] as const;
export const LICENCES = ['NLOD-2.0', 'CC-BY-4.0', 'CC0-1.0'] as const;
export const LANGUAGES = ['nb', 'nn', 'en'] as const;
/**
 * The legal form of a partnership that buys together: the forms kommuneloven § 17-1 second paragraph names
 * (interkommunalt politisk råd, ch. 18; kommunalt oppgavefellesskap, ch. 19; vertskommunesamarbeid, ch. 20;
 * interkommunalt selskap under IKS-loven; aksjeselskap; samvirkeforetak; forening), and `other` for any other
 * lawful form, e.g. an agreement between the members alone. Labels per language in templates/i18n.
 */
export const PARTNERSHIP_FORMS = ['host-municipality', 'inter-municipal-company', 'political-council', 'joint-undertaking', 'limited-company', 'cooperative', 'association', 'other'] as const;
/**
 * A member's role: `participant` (deltaker) takes part in the contract; `contact-point` (kontaktpunkt) is the
 * member the supplier deals with for the partnership, at most one; `option` (opsjonsdeltaker) may join the contract later.
 * The host municipality (vertskommune, or kontorkommune) is named by `partnership.host`, since it may be the buyer itself.
 */
export const MEMBER_ROLES = ['participant', 'contact-point', 'option'] as const;

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

const MemberSchema = z.strictObject({ name: Text, orgNumber: OrgNumberSchema, role: z.enum(MEMBER_ROLES).default('participant') });

const PartnershipSchema = z.strictObject({
  name: Text,
  legalForm: z.enum(PARTNERSHIP_FORMS),
  /** The host municipality (vertskommune; kontorkommune in an oppgavefellesskap or politisk råd): the buyer's own organisation number or a member's. */
  host: OrgNumberSchema.optional(),
});

/**
 * The buying organisation and whoever buys with it. A member is never the buyer itself, no two members share a
 * number, the host is the buyer or a member, and a vertskommunesamarbeid names its host.
 */
const BuyerSchema = z
  .strictObject({
    name: Text,
    orgNumber: OrgNumberSchema,
    partnership: PartnershipSchema.optional(),
    members: z.array(MemberSchema).default([]),
  })
  .superRefine((b, ctx) => {
    const first = new Map<string, number>();
    b.members.forEach((m, i) => {
      if (m.orgNumber === b.orgNumber) {
        ctx.addIssue({ code: 'custom', path: ['members', i, 'orgNumber'], message: `${m.orgNumber} is the buyer's own organisation number (buyer › orgNumber); the buyer is not listed as its own member: remove this member` });
      } else if (first.has(m.orgNumber)) {
        ctx.addIssue({ code: 'custom', path: ['members', i, 'orgNumber'], message: `${m.orgNumber} is already buyer › members[${first.get(m.orgNumber)}]; list each member once` });
      } else first.set(m.orgNumber, i);
    });
    const contacts = b.members.flatMap((m, i) => (m.role === 'contact-point' ? [i] : []));
    if (contacts.length > 1) {
      ctx.addIssue({ code: 'custom', path: ['members', contacts[1]!, 'role'], message: `buyer › members[${contacts[0]}] is already the contact point; a partnership has one contact point: make this member a participant` });
    }
    const p = b.partnership;
    if (p?.host !== undefined && p.host !== b.orgNumber && !b.members.some((m) => m.orgNumber === p.host)) {
      ctx.addIssue({ code: 'custom', path: ['partnership', 'host'], message: `${p.host} is neither the buyer (buyer › orgNumber) nor a member (buyer › members); give the host's number and list it as a member, or the buyer's own number` });
    }
    if (p?.legalForm === 'host-municipality' && p.host === undefined) {
      ctx.addIssue({ code: 'custom', path: ['partnership', 'host'], message: 'a vertskommunesamarbeid (legalForm: host-municipality) needs its host municipality: give its organisation number (the buyer\'s own if the buyer is the host)' });
    }
    if (p && !b.members.length) {
      ctx.addIssue({ code: 'custom', path: ['partnership'], message: 'a partnership is given but no members: list the other members under buyer › members, or remove buyer › partnership' });
    }
  });

export const AnswersSchema = z.strictObject({
  /** The answers format version (ANSWERS_SCHEMA_VERSION in src/core/migrations.ts); earlier versions are migrated on reading. */
  schemaVersion: z.literal(2),
  /** Output language; `--lang` overrides it. */
  language: z.enum(LANGUAGES).default('nb'),
  /** The appendix date. If absent, SOURCE_DATE_EPOCH is used; the clock never is. */
  date: z.union([IsoDate, z.date().transform((d) => d.toISOString().slice(0, 10))]).optional(),
  buyer: BuyerSchema,
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
  /**
   * Clauses the buyer leaves out of the appendix, each with the reason (shown by `explain` and in the provenance
   * annex). Only a clause that applies can be left out, and not one that another included clause requires, a
   * required one (`required: true`), or one a policy requires unless the answers record a deviation for that rule.
   */
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
  'buyer.partnership': { kind: 'record' },
  'buyer.partnership.name': { kind: 'text' },
  'buyer.partnership.legalForm': { kind: 'enum', values: PARTNERSHIP_FORMS },
  'buyer.partnership.host': { kind: 'text' },
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
