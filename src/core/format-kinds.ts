/**
 * What a format registry entry is (clauses/formats.yaml `kind`). Kept free of imports: the answers
 * schema and the CLI read it.
 *
 * - data-format: a file format structured data is exported in (CSV, JSON, SOSI …)
 * - document-format: a file format for documents (PDF/A, ODF, HTML)
 * - archive-package: an extract package for archival deposit (Noark 5 arkivuttrekk, ADDML)
 * - api-spec: how an API or message exchange is described or standardised (OpenAPI, FHIR, WFS …)
 * - metadata-standard: how datasets and catalogues are described (DCAT-AP-NO)
 */
export const FORMAT_KINDS = ['data-format', 'document-format', 'archive-package', 'api-spec', 'metadata-standard'] as const;
export type FormatKind = (typeof FORMAT_KINDS)[number];

/** The kinds data can be exported in: the formats of the export duty and of its matrix. */
export const EXPORT_KINDS: readonly FormatKind[] = ['data-format', 'document-format', 'archive-package'];

/** The kinds an entry counts as: its own and, e.g. for HL7 FHIR (an API whose resources are also exported as files), `alsoKinds`. */
export function kindsOf(entry: { kind: FormatKind; alsoKinds?: readonly FormatKind[] }): FormatKind[] {
  return [entry.kind, ...(entry.alsoKinds ?? [])];
}

export function isExportable(entry: { kind: FormatKind; alsoKinds?: readonly FormatKind[] }): boolean {
  return kindsOf(entry).some((k) => EXPORT_KINDS.includes(k));
}

/** A registry name: the same in every language, or one per language. */
export type LocalName = string | Readonly<Record<string, string>>;

/** The name in `lang`; else bokmål, else English, else any. */
export function localName(name: LocalName, lang: string): string {
  if (typeof name === 'string') return name;
  return name[lang] ?? name.nb ?? name.en ?? Object.values(name)[0] ?? '';
}

/**
 * The values a clause template may read as `{{derived.…}}` besides the answers and its parameters
 * (src/assemble/export-matrix.ts): exportFormats, apiSpecs and metadataStandards (the chosen formats
 * split by kind) and exportMatrix (a list of { kind, name, formats }).
 */
export const DERIVED_PATHS = ['exportFormats', 'apiSpecs', 'metadataStandards', 'exportMatrix'] as const;
export type DerivedPath = (typeof DERIVED_PATHS)[number];
