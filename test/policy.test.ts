import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ROOT, runCli } from './support/tools.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-policy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const POLICY = 'examples/policies/eksempel-kommune.yaml';

function answers(name: string, edit: (a: Record<string, any>) => void): string {
  const a = parse(readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml'), 'utf8')) as Record<string, any>;
  edit(a);
  const file = path.join(tmp, `${name}.yaml`);
  writeFileSync(file, stringify(a));
  return file;
}

describe('build --policy', () => {
  it('refuses answers that break a rule, names the rule and the answer, writes nothing', () => {
    const file = answers('breaks', (a) => {
      a.pricing.exitExport = 'capped';
      a.requirementLevels = {};
    });
    const out = path.join(tmp, 'breaks-out');
    const r = runCli(['build', file, '--format', 'md', '--out', out, '--policy', POLICY]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pricing › exitExport: breaks policy eksempel-kommune-arkitektur rule free-exit-export');
    expect(r.stderr).toContain('deviations: [{ rule: free-exit-export');
    expect(existsSync(out)).toBe(false);
  });

  it('accepts a recorded deviation and prints it, with the policy digest, in the provenance annex', () => {
    const file = answers('deviates', (a) => {
      a.pricing.exitExport = 'capped';
      a.requirementLevels = {};
      a.deviations = [
        { rule: 'free-exit-export', reason: 'Godkjent av IT-sjefen, sak 2027/99' },
        // A capped final extract for SaaS is also a switching charge (EU benchmark, library rule).
        { rule: 'data-act-switching-charges', reason: 'Godkjent av IT-sjefen, sak 2027/99' },
      ];
    });
    const out = path.join(tmp, 'deviates-out');
    const r = runCli(['build', file, '--format', 'md,json', '--out', out, '--policy', POLICY]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const model = JSON.parse(readFileSync(path.join(out, 'deviates.json'), 'utf8'));
    expect(model.provenance.policy).toEqual({ name: 'eksempel-kommune-arkitektur 1.0.0', digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(model.provenance.deviations).toEqual([
      { rule: 'data-act-switching-charges', message: expect.stringContaining('pricing/switching-charges') },
      { rule: 'eksempel-kommune-arkitektur/free-exit-export', message: expect.stringContaining('Godkjent av IT-sjefen, sak 2027/99') },
    ]);
    expect(readFileSync(path.join(out, 'deviates.md'), 'utf8')).toContain('Godkjent av IT-sjefen, sak 2027/99');
  });

  it('pulls in clauses the policy requires even when the answers would leave them out', () => {
    const file = answers('no-api', (a) => {
      a.access.api = false;
      a.requirementLevels = {};
    });
    const r = runCli(['explain', file, '--json', '--policy', POLICY]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.included).toContainEqual(expect.objectContaining({ id: 'api/documented-api', reason: 'required by policy eksempel-kommune-arkitektur, rule documented-api' }));
  });

  it('warns about a deviation for a rule that is not broken', () => {
    const file = answers('unused', (a) => {
      a.requirementLevels = {};
      a.deviations = [{ rule: 'open-formats', reason: 'ikke nødvendig' }];
    });
    const r = runCli(['build', file, '--format', 'json', '--out', path.join(tmp, 'unused-out'), '--policy', POLICY]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/deviations: warning: deviation from rule "open-formats" is recorded but the rule is not broken/);
  });

  it.each([
    ['unknown key', 'name: p\nversion: 1.0.0\ntitle: P\nrules:\n  - id: r\n    description: d\n    requireClauses: [api/documented-api]\n    severity: high\n', /:8: .*unknown key "severity"/],
    ['unknown clause', 'name: p\nversion: 1.0.0\ntitle: P\nrules:\n  - id: r\n    description: d\n    requireClauses: [api/nope]\n', /rules\[0\]: unknown clause "api\/nope"/],
    ['unknown parameter', 'name: p\nversion: 1.0.0\ntitle: P\nrules:\n  - id: r\n    description: d\n    param: { clause: exit/transition-period, name: dayz, max: 3 }\n', /rules\[0\]\.param\.name: clause exit\/transition-period has no parameter "dayz"/],
  ])('a bad policy file (%s) exits 1 with file and field', (_n, text, message) => {
    const file = path.join(tmp, `policy-${_n.replace(/\s/g, '-')}.yaml`);
    writeFileSync(file, text);
    const r = runCli(['build', 'examples/cloud-hr.yaml', '--format', 'md', '--out', path.join(tmp, 'never'), '--policy', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
