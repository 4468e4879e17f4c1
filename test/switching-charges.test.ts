import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AnswersSchema } from '../src/core/answers.js';
import { contractEnd, NO_SWITCHING_CHARGES_FROM } from '../src/assemble/rules.js';
import { ROOT, runCli } from './support/tools.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-switching-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const FIX = 'test/fixtures/answers';

describe('EU Data Act art. 29: switching charges for cloud delivery (rule data-act-switching-charges)', () => {
  it('a SaaS contract running past 2027-01-12 with paid exit assistance is an error naming both clauses', () => {
    const r = runCli(['build', `${FIX}/saas-paid-exit-assistance.yaml`, '--format', 'json', '--out', tmp, '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toContain('pricing › exitAssistance');
    expect(r.stderr).toContain('pricing/exit-assistance');
    expect(r.stderr).toContain('pricing/switching-charges');
    expect(r.stderr).toContain('deviations: [{ rule: data-act-switching-charges');
    expect(r.stderr).toMatchSnapshot();
  });

  it('the same file with a recorded deviation builds and lists the deviation in the annex and in explain', () => {
    const file = `${FIX}/saas-paid-exit-assistance-deviation.yaml`;
    const r = runCli(['build', file, '--format', 'json', '--out', tmp, '--force']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const model = JSON.parse(readFileSync(path.join(tmp, 'saas-paid-exit-assistance-deviation.json'), 'utf8')) as { provenance: { deviations: Array<{ rule: string; message: string }> } };
    expect(model.provenance.deviations).toEqual([
      { rule: 'data-act-switching-charges', message: expect.stringMatching(/pricing\/exit-assistance.*pricing\/switching-charges.*— Avtalen gjelder bare norsk rett/) },
    ]);
    const e = runCli(['explain', file]);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/Accepted deviations:\n {2}data-act-switching-charges: pricing\.exitAssistance is "hourly-capped"/);
    const j = JSON.parse(runCli(['explain', '--json', file]).stdout) as { deviations: Array<{ rule: string }> };
    expect(j.deviations.map((d) => d.rule)).toEqual(['data-act-switching-charges']);
  });

  const base = AnswersSchema.parse(parse(readFileSync(path.join(ROOT, FIX, 'saas-paid-exit-assistance.yaml'), 'utf8')));
  it.each([
    ['2026-12-01', 1, '2026-12-31', false],
    ['2026-12-13', 1, '2027-01-12', true],
    ['2025-01-31', 1, '2025-02-27', false],
    ['2027-05-01', 72, '2033-04-30', true],
  ] as const)('a contract from %s for %d months ends %s (runs past the date: %s)', (start, months, end, past) => {
    const a = { ...base, procurement: { ...base.procurement, plannedStart: start, termMonths: months } };
    expect(contractEnd(a)).toBe(end);
    expect(contractEnd(a)! >= NO_SWITCHING_CHARGES_FROM).toBe(past);
  });

  it('without a planned start and term the contract is assumed to run past the date', () => {
    const a = { ...base, procurement: { ...base.procurement, plannedStart: undefined, termMonths: undefined } };
    expect(contractEnd(a)).toBeNull();
  });
});
