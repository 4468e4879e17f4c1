import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AnswersSchema, type Answers } from '../src/core/answers.js';
import { selectClauses } from '../src/assemble/select.js';
import { mergeLibraries } from '../src/library/library.js';
import { loadLibraries } from '../src/library/load.js';
import { ROOT } from './support/tools.js';

/**
 * The clauses added in library 0.2.0 (issue 14): each is selected by the example written for it and
 * left out of an example where it does not apply. One row per clause: [id, selected in, left out of].
 */
const CASES: ReadonlyArray<readonly [id: string, selectedIn: string, leftOutOf: string]> = [
  ['security/backups', 'cloud-hr', 'archive-system'],
  ['security/restore', 'welfare-technology', 'land-surveying'],
  ['security/incident-notification', 'waste-sensors', 'archive-system'],
  ['security/data-location', 'land-surveying', 'archive-system'],
  ['security/archives-in-norway', 'cloud-hr', 'welfare-technology'],
  ['security/logs', 'welfare-technology', 'waste-sensors'],
  ['security/business-continuity', 'cloud-hr', 'land-surveying'],
  ['security/suspension-limits', 'waste-sensors', 'archive-system'],
  ['security/non-amendment', 'cloud-hr', 'land-surveying'],
  ['security/non-dispersion', 'land-surveying', 'archive-system'],
  ['security/data-loss-liability', 'welfare-technology', 'archive-system'],
  ['pricing/indexation', 'archive-system', 'cloud-hr with every data charge free or included'],
  ['api/integration-assistance', 'archive-system', 'land-surveying'],
  ['pricing/integration-assistance', 'cloud-hr', 'waste-sensors'],
  ['api/service-levels', 'welfare-technology', 'archive-system'],
  ['api/support-times', 'waste-sensors', 'archive-system'],
  ['access/statutory-reporting', 'welfare-technology', 'waste-sensors'],
  ['access/public-sharing', 'archive-system', 'land-surveying'],
  ['exit/historical-access', 'cloud-hr', 'archive-system'],
  ['exit/read-only-licence', 'archive-system', 'cloud-hr'],
  ['formats/standard-updates', 'land-surveying', 'waste-sensors'],
  ['formats/no-format-removal', 'welfare-technology', 'archive-system'],
  ['formats/geodata-reference', 'waste-sensors', 'cloud-hr'],
  ['formats/fkb-delivery', 'land-surveying', 'waste-sensors'],
  ['formats/welfare-fhir-export', 'welfare-technology', 'cloud-hr'],
  ['formats/depot-delivery', 'archive-system', 'welfare-technology'],
  ['personal-data/health-confidentiality', 'welfare-technology', 'cloud-hr'],
  ['ownership/telemetry', 'cloud-hr', 'archive-system'],
  ['ownership/ai-training', 'land-surveying', 'archive-system'],
  ['ownership/ai-features', 'welfare-technology', 'waste-sensors'],
];

/** Answers that select nothing priced: every data charge free or included. */
const allFree = (a: Answers): Answers => ({ ...a, pricing: { routineExport: 'free', apiUsage: 'included', exitExport: 'free', exitAssistance: 'included' } });

const example = (name: string): Answers => AnswersSchema.parse(parse(readFileSync(path.join(ROOT, 'examples', `${name}.yaml`), 'utf8')));

/** Variants of the examples for clauses that every bundled example selects. */
const VARIANTS: Record<string, () => Answers> = {
  'cloud-hr with every data charge free or included': () => allFree(example('cloud-hr')),
};
const answersFor = (name: string): Answers => VARIANTS[name]?.() ?? example(name);

describe('new clauses of library 0.2.0 are selected only where they apply', async () => {
  const { libraries } = await loadLibraries([path.join(ROOT, 'clauses')]);
  const library = mergeLibraries(libraries);
  const selectedIds = (name: string) => new Set(selectClauses(answersFor(name), library, `${name}.yaml`).included.map((s) => s.clause.meta.id));

  it.each(CASES)('%s: in %s, not in %s', (id, selectedIn, leftOutOf) => {
    expect(library.clauses.some((c) => c.meta.id === id), `${id} exists`).toBe(true);
    expect(selectedIds(selectedIn).has(id), `${id} in ${selectedIn}`).toBe(true);
    expect(selectedIds(leftOutOf).has(id), `${id} not in ${leftOutOf}`).toBe(false);
  });

  it('every new clause started at 1.0.0 (later changes keep major version 1) and has a line in clauses/CHANGELOG.md', () => {
    const changelog = readFileSync(path.join(ROOT, 'clauses/CHANGELOG.md'), 'utf8');
    for (const [id] of CASES) {
      expect(library.clauses.find((c) => c.meta.id === id)?.meta.version, id).toMatch(/^1\.\d+\.\d+$/);
      expect(changelog, id).toContain(`\`${id}\` 1.0.0`);
    }
  });
});
