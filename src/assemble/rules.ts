import type { Library } from '../library/library.js';
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

export const CONSISTENCY_RULES: readonly ConsistencyRule[] = [
  formatsKnown,
  exportsHavePrice,
  personalDataHasProcessorClause,
  openDataHasLicence,
  apiHasClause,
  benchmarks,
  archivalHasArchiveFormat,
];

/** Checks the selection as a whole. Pure. Errors stop the build; warnings are reported. */
export function checkConsistency(answers: Answers, selection: Selection, library: Library, file: string): Problem[] {
  return CONSISTENCY_RULES.flatMap((rule) => rule({ answers, selection, library, file }));
}
