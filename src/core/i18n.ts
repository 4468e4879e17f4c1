import { z } from 'zod';
import { PLACEMENTS } from './placements.js';

/** Fixed strings and formatting rules per output language: `templates/i18n/<lang>.yaml`. */
export const I18nSchema = z.strictObject({
  langTag: z.string(),
  languageName: z.string(),
  heading: z.string(),
  labels: z.strictObject({
    appendix: z.string(),
    buyer: z.string(),
    orgNumber: z.string(),
    members: z.string(),
    /** The partnership row of the title block, and its host: `host` (vertskommune) or, for an oppgavefellesskap or politisk råd, `office` (kontorkommune). */
    partnership: z.string(),
    host: z.string(),
    office: z.string(),
    procurement: z.string(),
    reference: z.string(),
    contractType: z.string(),
    date: z.string(),
    language: z.string(),
    contents: z.string(),
    basis: z.string(),
    page: z.string(),
    of: z.string(),
    requirementsTitle: z.string(),
    requirementsIntro: z.string(),
    requirementColumns: z.strictObject({ id: z.string(), text: z.string(), level: z.string(), answer: z.string() }),
    provenanceTitle: z.string(),
    provenanceIntro: z.string(),
    provenanceColumns: z.strictObject({ clause: z.string(), version: z.string(), library: z.string(), number: z.string(), part: z.string() }),
    provenanceFields: z.strictObject({ tool: z.string(), answers: z.string(), libraries: z.string(), policy: z.string(), deviations: z.string(), omissions: z.string(), none: z.string(), replaces: z.string() }),
  }),
  levels: z.strictObject({ skal: z.string(), bør: z.string() }),
  /** The answers a supplier writes first in the answer column; the column heading names them ({yes}, {no}, {partly}). */
  answerWords: z.strictObject({ yes: z.string(), no: z.string(), partly: z.string() }),
  /** Column headings of the CSV answer sheet that the DOCX table does not have. */
  answerSheetColumns: z.strictObject({ answer: z.string(), comment: z.string(), digest: z.string() }),
  topics: z.record(z.string(), z.string()),
  /** The name of each part of the appendix; `specialTerms` names the change part of a non-SSA frame. */
  parts: z.strictObject({ ...partStrings(), specialTerms: z.string() }),
  /** `numbered`: "Bilag {n} – {name}"; `addition`: "Tillegg til {label}"; `document`: the label of the whole. */
  partLabel: z.strictObject({ numbered: z.string(), addition: z.string(), document: z.string() }),
  /** One sentence under each part's heading; `changes` may use {contract}. */
  partIntro: z.strictObject({ ...partStrings(), specialTerms: z.string() }),
  /** The line under a change clause naming the point it changes: {point}, {contract}; {heading}, {subject}. */
  amends: z.strictObject({ replaces: z.string(), supplements: z.string(), heading: z.string(), subject: z.string() }),
  /** The subjects of the general terms' points that change clauses name (`changes[].point` in a clause). */
  ssaPoints: z.record(z.string(), z.string()),
  /** The name of each contract type as printed in the appendix (never the raw id). */
  contractTypes: z.record(z.string(), z.string()),
  format: z.strictObject({
    conjunction: z.string(),
    thousandsSeparator: z.string(),
    decimalSeparator: z.string(),
    amount: z.string(),
    date: z.string(),
    months: z.array(z.string()).length(12),
    units: z.record(z.string(), z.tuple([z.string(), z.string()])),
  }),
  licences: z.record(z.string(), z.string()),
  /** The printed name of each partnership legal form (PARTNERSHIP_FORMS) and member role (MEMBER_ROLES). */
  partnershipForms: z.record(z.string(), z.string()),
  memberRoles: z.record(z.string(), z.string()),
});
export type I18n = z.infer<typeof I18nSchema>;

function partStrings(): Record<(typeof PLACEMENTS)[number], z.ZodString> {
  return Object.fromEntries(PLACEMENTS.map((p) => [p, z.string()])) as Record<(typeof PLACEMENTS)[number], z.ZodString>;
}

const PlacementSchema = z.enum(PLACEMENTS);

/** The parts of the appendix per contract type: `templates/contract-types.yaml`. */
export const ContractTypesSchema = z
  .strictObject({
    /** Where a placement goes when a contract type has no part for it. */
    fallback: z.partialRecord(PlacementSchema, PlacementSchema).default({}),
    types: z.record(
      z.string(),
      z.strictObject({
        family: z.enum(['ssa', 'own-terms', 'ns']),
        /** In document order; `bilag` only where the appendix number is verified. */
        parts: z.array(z.strictObject({ kind: PlacementSchema, bilag: z.number().int().positive().optional() })).min(1),
      }),
    ),
  })
  .superRefine((ct, ctx) => {
    for (const [id, t] of Object.entries(ct.types)) {
      const kinds = t.parts.map((p) => p.kind);
      if (!kinds.includes('requirements')) ctx.addIssue({ code: 'custom', path: ['types', id, 'parts'], message: 'every contract type needs a requirements part' });
      kinds.forEach((k, i) => {
        if (kinds.indexOf(k) !== i) ctx.addIssue({ code: 'custom', path: ['types', id, 'parts', i, 'kind'], message: `part "${k}" is listed twice` });
      });
    }
  });
export type ContractTypes = z.infer<typeof ContractTypesSchema>;
export type ContractType = ContractTypes['types'][string];

/**
 * The part a placement goes into in a contract type: its own part if the type has one, else the fallback chain,
 * else the requirements part.
 */
export function resolvePlacement(contractTypes: ContractTypes, type: string, placement: (typeof PLACEMENTS)[number]): (typeof PLACEMENTS)[number] {
  const kinds = new Set(contractTypes.types[type]?.parts.map((p) => p.kind) ?? ['requirements']);
  let cur = placement;
  const seen = new Set<string>();
  while (!kinds.has(cur) && !seen.has(cur)) {
    seen.add(cur);
    cur = contractTypes.fallback[cur] ?? 'requirements';
  }
  return kinds.has(cur) ? cur : 'requirements';
}

export interface Templates {
  i18n: Record<string, I18n>;
  contractTypes: ContractTypes;
}
