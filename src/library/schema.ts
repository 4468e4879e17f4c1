import { z } from 'zod';

/**
 * The clause file format. A clause is a folder-less trio of files under `<library>/<topic>/`:
 * `<slug>.yaml` (language-neutral metadata, this schema) and one `<slug>.<lang>.md` per language
 * (front matter {@link ClauseTextFrontMatterSchema} + Markdown body with Handlebars parameters).
 */

import { RequirementLevelSchema } from '../core/levels.js';
import { TOPICS } from '../core/topics.js';
import { FORMAT_KINDS, type FormatKind } from '../core/format-kinds.js';

export { TOPICS, type Topic } from '../core/topics.js';
export const TopicSchema = z.enum(TOPICS);

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/;
export const SemverSchema = z.string().regex(SEMVER, 'expected a semantic version such as 1.0.0');

export { AnswerPathSchema, ClauseIdSchema, ParamNameSchema, RESERVED_NAMES } from '../core/names.js';
import { AnswerPathSchema, ClauseIdSchema, ParamNameSchema } from '../core/names.js';
const AnswerPath = AnswerPathSchema;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A test on one answer. Exactly one operator besides `answer`. */
export const TestSchema = z
  .strictObject({
    answer: AnswerPath,
    equals: Scalar.optional(),
    in: z.array(Scalar).min(1).optional(),
    includes: Scalar.optional(),
    includesAny: z.array(Scalar).min(1).optional(),
    isSet: z.boolean().optional(),
  })
  .refine(
    (t) => ['equals', 'in', 'includes', 'includesAny', 'isSet'].filter((k) => k in t && (t as Record<string, unknown>)[k] !== undefined).length === 1,
    { message: 'a test needs exactly one of equals, in, includes, includesAny, isSet' },
  );
export type Test = z.infer<typeof TestSchema>;

export type Condition = Test | { all: Condition[] } | { any: Condition[] } | { not: Condition };
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ not: ConditionSchema }),
    TestSchema,
  ]),
);

const ParamBase = { benchmark: z.string().optional() };
/** Numeric parameters may name a benchmark range; a value outside it is reported as a warning. */
const Bench = { warnAbove: z.number().optional(), warnBelow: z.number().optional() };

/** Typed clause parameters. Their question text lives in each language's front matter. */
export const ParamSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('integer'), default: z.number().int(), min: z.number().int().optional(), max: z.number().int().optional(), ...ParamBase, ...Bench }),
  z.strictObject({ type: z.literal('amount'), default: z.number().nonnegative(), min: z.number().nonnegative().optional(), max: z.number().optional(), ...ParamBase, ...Bench }),
  z.strictObject({
    type: z.literal('duration'),
    unit: z.enum(['days', 'working-days', 'months', 'hours']),
    default: z.number().int().nonnegative(),
    min: z.number().int().nonnegative().optional(),
    max: z.number().int().optional(),
    ...ParamBase,
    ...Bench,
  }),
  z.strictObject({ type: z.literal('enum'), values: z.array(z.string()).min(2), default: z.string(), ...ParamBase }),
  z.strictObject({
    type: z.literal('formats'),
    default: z.array(z.string()).min(1),
    /** The format kinds the parameter takes (clauses/formats.yaml `kind`); absent: any. */
    kinds: z.array(z.enum(FORMAT_KINDS)).min(1).optional(),
    ...ParamBase,
  }),
  z.strictObject({ type: z.literal('boolean'), default: z.boolean(), ...ParamBase }),
  z.strictObject({ type: z.literal('text'), default: z.string(), ...ParamBase }),
]);
export type Param = z.infer<typeof ParamSchema>;
export type ParamType = Param['type'];

export { RequirementLevelSchema, type RequirementLevel } from '../core/levels.js';

import { PLACEMENTS as PLACEMENTS_LIST } from '../core/placements.js';
export { PLACEMENTS } from '../core/placements.js';
/** Which part of the appendix a clause goes into (see src/core/placements.ts). */
export const SsaPlacementSchema = z.enum(PLACEMENTS_LIST);
export type SsaPlacement = z.infer<typeof SsaPlacementSchema>;

/**
 * The point of a contract type's general terms that a change clause replaces or supplements. `point` names the
 * subject (an id whose words live in templates/i18n, `ssaPoints`); `heading` is the point's own heading in those
 * general terms, given only where a source shows it. Point numbers are not recorded: none is verified (DOMAIN.md §1).
 */
export const ChangedPointSchema = z.strictObject({
  types: z.array(z.string().min(1)).min(1),
  point: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a subject id in kebab-case, e.g. "termination"'),
  heading: z.string().min(1).optional(),
  effect: z.enum(['replaces', 'supplements']),
});
export type ChangedPoint = z.infer<typeof ChangedPointSchema>;

export const ClauseMetaSchema = z.strictObject({
  id: ClauseIdSchema,
  version: SemverSchema,
  topic: TopicSchema,
  /** Position within its topic; lower comes first. */
  order: z.number().int().min(0),
  when: ConditionSchema.optional(),
  /** The clause is what the rest of every appendix builds on: the answers cannot leave it out (`omit`). Absent means false (and keeps the digests of other clauses, which locks pin, as they were). */
  required: z.boolean().optional(),
  requires: z.array(ClauseIdSchema).default([]),
  excludes: z.array(ClauseIdSchema).default([]),
  params: z.record(ParamNameSchema, ParamSchema).default({}),
  requirement: z
    .strictObject({
      id: z.string().regex(/^DK-[A-Z]{3}-\d{2}$/, 'expected a requirement id such as DK-EXI-03'),
      level: RequirementLevelSchema,
    })
    .optional(),
  basis: z.array(z.string().min(1)).default([]),
  ssa: SsaPlacementSchema,
  /** For a clause placed in `changes`: the point of the general terms it changes, per contract type. */
  changes: z.array(ChangedPointSchema).default([]),
});
export type ClauseMeta = z.infer<typeof ClauseMetaSchema>;

export const ClauseTextFrontMatterSchema = z.strictObject({
  title: z.string().min(1),
  /** One sentence for the supplier's requirements table; required when the clause has a requirement. */
  requirement: z.string().min(1).optional(),
  /** The interview question for each parameter, in this language. */
  questions: z.record(z.string(), z.string().min(1)).default({}),
  /** The interview's words for the values of each enum parameter, in this language: `{ scope: { full: Fulle uttrekk, delta: Deltauttrekk } }`. */
  choices: z.record(z.string(), z.record(z.string(), z.string().min(1))).default({}),
});
export type ClauseTextFrontMatter = z.infer<typeof ClauseTextFrontMatterSchema>;

export const LanguageSchema = z.string().regex(/^[a-z]{2,3}$/, 'expected a language code such as nb, nn or en');

const LibraryNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case library name');

export const LibraryManifestSchema = z.strictObject({
  name: LibraryNameSchema,
  version: SemverSchema,
  title: z.record(z.string(), z.string()),
  languages: z.array(LanguageSchema).min(1),
  /**
   * Libraries this one is layered over: by name with a semver range (`{ nasjonal-basis: ^0.2 }`),
   * checked against the layers below it; a plain list of names accepts any version.
   */
  extends: z
    .union([z.array(LibraryNameSchema), z.record(LibraryNameSchema, z.string().min(1))])
    .default([])
    .transform((v): Record<string, string> => (Array.isArray(v) ? Object.fromEntries(v.map((n) => [n, '*'])) : v)),
  /**
   * Clauses a later layer may not replace. `allow.params` lists the parameters a later layer (or an
   * answers file) may still change, each within bounds: `{ exit/transition-period: { allow: { params: { days: { min: 30, max: 60 } } } } }`.
   */
  locks: z
    .record(
      ClauseIdSchema,
      z
        .strictObject({
          allow: z.strictObject({ params: z.record(z.string(), z.strictObject({ min: z.number().optional(), max: z.number().optional() })).default({}) }).default({ params: {} }),
          reason: z.string().min(1).optional(),
        })
        .nullable()
        .transform((v) => v ?? { allow: { params: {} } }),
    )
    .default({}),
});
export type LibraryManifest = z.infer<typeof LibraryManifestSchema>;

export { FORMAT_KINDS, EXPORT_KINDS, type FormatKind } from '../core/format-kinds.js';
const FormatKindSchema = z.enum(FORMAT_KINDS);
const LEGACY_KINDS = { file: 'data-format', package: 'archive-package', api: 'api-spec', metadata: 'metadata-standard' } as const satisfies Record<string, FormatKind>;
const FormatIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case id, e.g. csv');
/** A name the same in every language (e.g. "JSON"), or one per language (`{ nb: …, nn: …, en: … }`). */
const LocalNameSchema = z.union([z.string().min(1), z.record(LanguageSchema, z.string().min(1))]);

export const FormatEntrySchema = z.strictObject({
  id: FormatIdSchema,
  name: LocalNameSchema,
  /**
   * What the entry is: a data or document file format, an archive extract package, an API specification, or a metadata
   * standard. The kinds of registries written before 0.3.0 (`file`, `package`, `api`, `metadata`) are read as data-format, archive-package, api-spec
   * and metadata-standard, so that `lint --against` and `diff` can still read an older library.
   */
  kind: z.union([FormatKindSchema, z.enum(['file', 'package', 'api', 'metadata']).transform((k): FormatKind => LEGACY_KINDS[k])]),
  /** Other kinds the entry also serves as, e.g. HL7 FHIR (an API) whose resources are exported as files: [data-format]. */
  alsoKinds: z.array(FormatKindSchema).optional(),
  standard: z.string().min(1),
  sectors: z.array(z.string()).min(1),
  status: z.enum(['obligatory', 'recommended', 'sector-practice', 'none']),
  statusNote: z.string().optional(),
  source: z.string().optional(),
});
export type FormatEntry = z.infer<typeof FormatEntrySchema>;

/**
 * A kind of data the export duty names (the rows of the export matrix): personnel records, case
 * documents, geodata, sensor readings … `when` says which answers have it (absent: always);
 * `accepts` the format kinds it can be exported in; `formats` the registry formats it is exported in
 * by default, in order, of those the answers choose.
 */
export const DataKindSchema = z.strictObject({
  id: FormatIdSchema,
  name: z.record(LanguageSchema, z.string().min(1)),
  when: ConditionSchema.optional(),
  accepts: z.array(FormatKindSchema).min(1),
  formats: z.array(FormatIdSchema).min(1),
  /** Takes a chosen format of a kind it accepts that no applicable row has (shown then even if `when` does not hold). */
  catchAll: z.boolean().default(false),
});
export type DataKind = z.infer<typeof DataKindSchema>;

export const FormatRegistrySchema = z.strictObject({ formats: z.array(FormatEntrySchema).min(1), dataKinds: z.array(DataKindSchema).default([]) });

/** An avoided variant: a literal word sequence, or a regular expression (for citation styles) with the wording to use. */
export const AvoidedVariantSchema = z.union([
  z.string().min(1),
  z.strictObject({
    pattern: z.string().min(1).refine((p) => {
      try {
        new RegExp(p, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression'),
    say: z.string().min(1),
  }),
]);
export type AvoidedVariant = z.infer<typeof AvoidedVariantSchema>;

export const TermSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case term id'),
  meaning: z.string().min(1),
  /** The house term per language. */
  preferred: z.record(LanguageSchema, z.string().min(1)),
  /** Variants a clause text must not use, per language. */
  avoid: z.record(LanguageSchema, z.array(AvoidedVariantSchema)).default({}),
});
export type Term = z.infer<typeof TermSchema>;

/** The word `{{shall}}` writes for each requirement level, in one language. */
export const ModalWordsSchema = z.strictObject({ skal: z.string().min(1), bør: z.string().min(1) });
export type ModalWords = z.infer<typeof ModalWordsSchema>;

/** `terms.yaml`: the modal words per language and the house terms with their avoided variants. */
export const TermsFileSchema = z.strictObject({
  modal: z.record(LanguageSchema, ModalWordsSchema).default({}),
  terms: z.array(TermSchema).default([]),
});
export type TermsFile = z.infer<typeof TermsFileSchema>;

export { LibraryPinSchema, type LibraryPin } from '../core/pins.js';
