import type { Library } from '../library/library.js';
import type { FormatEntry } from '../library/schema.js';
import { isExportable, kindsOf, localName, type FormatKind } from '../core/format-kinds.js';
import type { Problem } from '../library/problems.js';
import type { Answers } from '../core/answers.js';
import type { Selection } from './select.js';

type ConsistencyRule = (ctx: { answers: Answers; selection: Selection; library: Library; file: string }) => Problem[];

const topicIncluded = (s: Selection, topic: string) => s.included.some((c) => c.clause.meta.topic === topic);

/** Export formats are chosen, so exports happen: the appendix must say what they cost. */
const exportsHavePrice: ConsistencyRule = ({ answers, selection, file }) =>
  answers.formats.length && !topicIncluded(selection, 'pricing')
    ? [{ severity: 'error', file, field: 'formats', message: `export formats are chosen (${answers.formats.join(', ')}) but no pricing clause is included`, hint: 'Answer pricing.routineExport and pricing.exitExport, or add a pricing clause to the library.' }]
    : [];

const personalDataHasProcessorClause: ConsistencyRule = ({ answers, selection, file }) =>
  answers.data.personal && !topicIncluded(selection, 'personal-data')
    ? [{ severity: 'error', file, field: 'data › personal', message: 'personal data is answered but no personal-data (processor) clause is included', hint: 'Check the library: a clause with topic personal-data must apply when data.personal is true.' }]
    : [];

const openDataHasLicence: ConsistencyRule = ({ answers, file }) =>
  answers.data.openPublication && !answers.licence
    ? [{ severity: 'error', file, field: 'licence', message: 'open publication is chosen (data.openPublication: true) but no licence is given', hint: 'Add licence: NLOD-2.0 (or CC-BY-4.0, CC0-1.0).' }]
    : [];

const apiHasClause: ConsistencyRule = ({ answers, selection, file }) =>
  answers.access.api && !topicIncluded(selection, 'api')
    ? [{ severity: 'error', file, field: 'access › api', message: 'an API is required (access.api: true) but no API clause is included', hint: 'Check the library: a clause with topic api must apply when access.api is true.' }]
    : [];

const formatsKnown: ConsistencyRule = ({ answers, library, file }) =>
  answers.formats
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => !library.formats.has(f))
    .map(({ f, i }) => ({ severity: 'error' as const, file, field: `formats[${i}]`, message: `unknown format "${f}"`, hint: `Use an id from the format registry: ${[...library.formats.keys()].join(', ')}.` }));

const kindWords: Record<FormatKind, string> = {
  'data-format': 'a data format',
  'document-format': 'a document format',
  'archive-package': 'an archive extract package',
  'api-spec': 'an API specification',
  'metadata-standard': 'a metadata standard',
};
const describeFormat = (f: FormatEntry) => `"${f.id}" (${localName(f.name, 'en')}) is ${kindWords[f.kind]}`;

/** At least one chosen format is one data can be exported in: API specifications and metadata standards are not. */
const formatsExportable: ConsistencyRule = ({ answers, library, file }) => {
  const known = answers.formats.map((id) => library.formats.get(id)).filter((f): f is FormatEntry => f !== undefined);
  if (known.length < answers.formats.length || known.some(isExportable)) return [];
  return [
    {
      severity: 'error',
      file,
      field: 'formats',
      message: `no chosen format is one the data can be exported in: ${known.map(describeFormat).join('; ')}`,
      hint: `Add a data or document format (e.g. ${[...library.formats.values()].filter(isExportable).slice(0, 4).map((f) => f.id).join(', ')}); keep the API specifications and standards, the API and catalogue clauses use them.`,
    },
  ];
};

/** API specifications are chosen but no API is required: the API clauses, which use them, do not apply. */
const apiSpecsNeedApi: ConsistencyRule = ({ answers, library, file }) => {
  if (answers.access.api) return [];
  const specs = answers.formats.filter((id) => library.formats.get(id)?.kind === 'api-spec' && !isExportable(library.formats.get(id)!));
  return specs.length
    ? [{ severity: 'warning', file, field: 'formats', message: `API specifications are chosen (${specs.join(', ')}) but no API is required (access.api: false), so no clause uses them`, hint: 'Answer access.api: true, or remove them from formats.' }]
    : [];
};

/** The answers' export matrix: known data kinds, exportable formats of a kind the row accepts, and formats that are chosen. */
const exportMatrixValid: ConsistencyRule = ({ answers, library, file }) => {
  const out: Problem[] = [];
  for (const [kind, ids] of Object.entries(answers.exportMatrix ?? {})) {
    const dk = library.dataKinds.get(kind);
    const field = `exportMatrix › ${kind}`;
    if (!dk) {
      out.push({ severity: 'error', file, field, message: `unknown kind of data "${kind}"`, hint: `Use a data kind from the format registry: ${[...library.dataKinds.keys()].join(', ')}.` });
      continue;
    }
    ids.forEach((id, i) => {
      const f = library.formats.get(id);
      const at = `${field}[${i}]`;
      if (!f) out.push({ severity: 'error', file, field: at, message: `unknown format "${id}"`, hint: `Use an id from the format registry: ${[...library.formats.keys()].join(', ')}.` });
      else if (!isExportable(f)) {
        out.push({
          severity: 'error',
          file,
          field: at,
          message: `${describeFormat(f)}, not a format data can be exported in`,
          hint: f.kind === 'api-spec' ? 'Keep it in formats (the API clauses use it) and name a data or document format here.' : 'Keep it in formats (the catalogue clause uses it) and name a data or document format here.',
        });
      } else if (!kindsOf(f).some((k) => dk.accepts.includes(k))) {
        out.push({ severity: 'warning', file, field: at, message: `${describeFormat(f)}, but "${kind}" is exported in ${dk.accepts.join(' or ')}`, hint: 'Check the row: is this the format you meant for this kind of data?' });
      }
      if (f && !answers.formats.includes(id)) {
        out.push({ severity: 'warning', file, field: at, message: `"${id}" is in the export matrix but not in formats, so the clauses that depend on the chosen formats do not see it`, hint: `Add ${id} to formats.` });
      }
    });
  }
  return out;
};

/**
 * A `formats` parameter (e.g. the geodata formats) given a format of a kind it does not take, or naming a format the
 * answers did not choose.
 */
const formatParamKinds: ConsistencyRule = ({ answers, selection, library, file }) => {
  const out: Problem[] = [];
  for (const inc of selection.included) {
    for (const [name, p] of Object.entries(inc.clause.meta.params)) {
      if (p.type !== 'formats') continue;
      const v = inc.params[name];
      if (!Array.isArray(v)) continue;
      v.forEach((id, i) => {
        const f = library.formats.get(String(id));
        if (!p.kinds) return;
        if (!f) {
          out.push({ severity: 'error', file, field: `params › ${inc.clause.meta.id} › ${name}[${i}]`, message: `unknown format "${String(id)}"`, hint: `Use an id from the format registry: ${[...library.formats.keys()].join(', ')}.` });
        } else if (!kindsOf(f).some((k) => p.kinds!.includes(k))) {
          out.push({ severity: 'warning', file, field: `params › ${inc.clause.meta.id} › ${name}[${i}]`, message: `${describeFormat(f)}, where ${inc.clause.meta.id} expects ${p.kinds!.map((k) => kindWords[k]).join(' or ')}`, hint: 'Choose a format of the expected kind.' });
        }
      });
      // The clause names formats the answers did not choose: the appendix would name them there and not in the export matrix.
      const missing = v.map(String).filter((id) => library.formats.has(id) && !answers.formats.includes(id));
      if (missing.length) {
        out.push({
          severity: 'warning',
          file,
          field: `params › ${inc.clause.meta.id} › ${name}`,
          message: `${inc.clause.meta.id} names ${missing.join(', ')}${inc.params[name] === p.default ? ' (its default)' : ''}, which ${missing.length === 1 ? 'is' : 'are'} not among the chosen formats, so the export matrix and the API clauses do not list ${missing.length === 1 ? 'it' : 'them'}`,
          hint: `Add ${missing.join(', ')} to formats, or set params: { ${inc.clause.meta.id}: { ${name}: [${v.filter((id) => answers.formats.includes(String(id))).join(', ') || '…'}] } }.`,
        });
      }
    }
  }
  return out;
};

/**
 * Parameter values against their benchmarks (e.g. the EU Data Act's 30-day transition period):
 * `warnAbove` / `warnBelow` in the clause metadata make a deviation a warning naming the clause.
 */
const benchmarks: ConsistencyRule = ({ selection, file }) => {
  const out: Problem[] = [];
  for (const inc of selection.included) {
    for (const [name, p] of Object.entries(inc.clause.meta.params)) {
      if (p.type !== 'integer' && p.type !== 'duration' && p.type !== 'amount') continue;
      const v = inc.params[name];
      if (typeof v !== 'number') continue;
      const note = p.benchmark ? ` (${p.benchmark})` : '';
      if (p.warnAbove !== undefined && v > p.warnAbove) {
        out.push({ severity: 'warning', file, field: `params › ${inc.clause.meta.id} › ${name}`, message: `${v} is above the benchmark of ${p.warnAbove}${note}` });
      }
      if (p.warnBelow !== undefined && v < p.warnBelow) {
        out.push({ severity: 'warning', file, field: `params › ${inc.clause.meta.id} › ${name}`, message: `${v} is below the benchmark of ${p.warnBelow}${note}` });
      }
    }
  }
  return out;
};

const archivalHasArchiveFormat: ConsistencyRule = ({ answers, file }) =>
  answers.data.archival && !answers.formats.some((f) => f === 'noark5' || f === 'addml')
    ? [{ severity: 'warning', file, field: 'formats', message: 'records with archival value are answered but neither noark5 nor addml is among the formats', hint: 'Add noark5 (Noark 5 arkivuttrekk) or addml to formats.' }]
    : [];

/** The day from which the EU Data Act allows no switching charges at all (art. 29(1)). */
export const NO_SWITCHING_CHARGES_FROM = '2027-01-12';

/** A rule the answers may break on purpose: the answers record a deviation `{ rule, reason }` naming its id. */
interface DeviableRule {
  id: string;
  check: (ctx: { answers: Answers; selection: Selection; library: Library; file: string }) => Array<{ field: string; message: string; hint: string }>;
}

/** The last day of the contract: planned start plus the term, options included; null when either is unknown. */
export function contractEnd(answers: Pick<Answers, 'procurement'>): string | null {
  const { plannedStart, termMonths } = answers.procurement;
  if (!plannedStart || !termMonths) return null;
  const [y, m, d] = plannedStart.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + termMonths;
  const year = y + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const end = new Date(Date.UTC(year, month - 1, Math.min(d, lastDay)));
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

const CLOUD = ['saas', 'hosted'] as const;
const COST_BASED = ['free', 'included', 'capped', 'hourly-capped'] as const;
const NO_CHARGE = ['free', 'included'] as const;

/**
 * EU Data Act art. 29 (an EU benchmark, not Norwegian law), for cloud delivery: switching charges
 * (art. 2(36)) cover the final extract and the exit assistance of art. 25(2)(a)(i) alike. A contract
 * that can run on or after 12 January 2027 may carry none; one that ends before may carry only
 * cost-based charges. Without a planned start and term, the contract is assumed to run past the date.
 */
const switchingCharges: DeviableRule = {
  id: 'data-act-switching-charges',
  check: ({ answers, selection }) => {
    if (!(CLOUD as readonly string[]).includes(answers.deliveryModel)) return [];
    const end = contractEnd(answers);
    const runsPast = end === null || end >= NO_SWITCHING_CHARGES_FROM;
    const allowed: readonly string[] = runsPast ? NO_CHARGE : COST_BASED;
    const term = end === null ? 'no planned start and term are given, so it is assumed to run past 12 January 2027' : `it runs from ${answers.procurement.plannedStart} to ${end}`;
    const out: Array<{ field: string; message: string; hint: string }> = [];
    for (const [key, clause] of [['exitExport', 'pricing/exit-export'], ['exitAssistance', 'pricing/exit-assistance']] as const) {
      const value = answers.pricing[key];
      if (allowed.includes(value) || !selection.included.some((s) => s.clause.meta.id === clause)) continue;
      out.push({
        field: `pricing › ${key}`,
        message: runsPast
          ? `pricing.${key} is "${value}": ${clause} would charge for switching, which pricing/switching-charges forbids for a ${answers.deliveryModel} contract that can run on or after 12 January 2027 (${term}; EU Data Act art. 29, an EU benchmark)`
          : `pricing.${key} is "${value}": ${clause} would charge a fixed price for switching, but pricing/switching-charges allows only cost-based charges before 12 January 2027 (${term}; EU Data Act art. 29, an EU benchmark)`,
        hint: `Choose ${allowed.join(' or ')}${runsPast && end === null ? ', give procurement.plannedStart and procurement.termMonths if the contract ends before 12 January 2027' : ''}, or record the deviation with its reason: deviations: [{ rule: data-act-switching-charges, reason: "…" }].`,
      });
    }
    return out;
  },
};

/** Rules that a recorded deviation (answers `deviations`) may set aside; their ids are not policy rules. */
export const DEVIABLE_RULES: readonly DeviableRule[] = [switchingCharges];
export const DEVIABLE_RULE_IDS: ReadonlySet<string> = new Set(DEVIABLE_RULES.map((r) => r.id));

/**
 * Runs the deviable rules. A violation is an error unless the answers record a deviation for the
 * rule; then it is an accepted deviation, listed in the appendix's provenance annex and by explain.
 * A deviation recorded for a rule that is not broken is a warning.
 */
export function checkDeviableRules(answers: Answers, selection: Selection, library: Library, file: string): { problems: Problem[]; deviations: Array<{ rule: string; message: string }> } {
  const problems: Problem[] = [];
  const deviations: Array<{ rule: string; message: string }> = [];
  const accepted = new Map(answers.deviations.map((d) => [d.rule, d.reason]));
  for (const rule of DEVIABLE_RULES) {
    const violations = rule.check({ answers, selection, library, file });
    const reason = accepted.get(rule.id);
    if (reason === undefined) {
      for (const v of violations) problems.push({ severity: 'error', file, field: v.field, message: `${v.message} (rule ${rule.id})`, hint: v.hint });
    } else if (violations.length) {
      for (const v of violations) deviations.push({ rule: rule.id, message: `${v.message} — ${reason}` });
    } else {
      problems.push({ severity: 'warning', file, field: 'deviations', message: `deviation from rule "${rule.id}" is recorded but the rule is not broken`, hint: 'Remove it.' });
    }
  }
  return { problems, deviations };
}

export const CONSISTENCY_RULES: readonly ConsistencyRule[] = [
  formatsKnown,
  formatsExportable,
  apiSpecsNeedApi,
  exportMatrixValid,
  formatParamKinds,
  exportsHavePrice,
  personalDataHasProcessorClause,
  openDataHasLicence,
  apiHasClause,
  benchmarks,
  archivalHasArchiveFormat,
];

/**
 * Checks the selection as a whole. Pure. Errors stop the build; warnings are reported. Includes the
 * deviable rules' errors and warnings; their accepted deviations come from {@link checkDeviableRules}.
 */
export function checkConsistency(answers: Answers, selection: Selection, library: Library, file: string): Problem[] {
  return [...CONSISTENCY_RULES.flatMap((rule) => rule({ answers, selection, library, file })), ...checkDeviableRules(answers, selection, library, file).problems];
}
