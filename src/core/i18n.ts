import { z } from 'zod';

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
    requirementColumns: z.strictObject({ id: z.string(), text: z.string(), level: z.string(), placement: z.string(), answer: z.string() }),
    provenanceTitle: z.string(),
    provenanceIntro: z.string(),
    provenanceColumns: z.strictObject({ clause: z.string(), version: z.string(), library: z.string(), number: z.string() }),
    provenanceFields: z.strictObject({ tool: z.string(), answers: z.string(), libraries: z.string(), policy: z.string(), deviations: z.string(), none: z.string() }),
    tocHint: z.string(),
  }),
  levels: z.strictObject({ skal: z.string(), bør: z.string() }),
  topics: z.record(z.string(), z.string()),
  placement: z.strictObject({ known: z.string(), requirements: z.string(), price: z.string(), changes: z.string() }),
  appendixLabel: z.strictObject({ known: z.string(), unknown: z.string() }),
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
});
export type I18n = z.infer<typeof I18nSchema>;

/** Where each placement goes in each contract type: `templates/contract-types.yaml`. */
export const ContractTypesSchema = z.record(
  z.string(),
  z.strictObject({ requirements: z.number().int().optional(), price: z.number().int().optional(), changes: z.number().int().optional() }),
);
export type ContractTypes = z.infer<typeof ContractTypesSchema>;

export interface Templates {
  i18n: Record<string, I18n>;
  contractTypes: ContractTypes;
}
