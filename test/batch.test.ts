import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBatch } from '../src/cli/batch.js';
import type { Io } from '../src/cli/io.js';
import { applyNamePattern, parseNamePattern, safeNamePart } from '../src/cli/names.js';
import { cellValue, parseCsv, parseTable } from '../src/cli/table.js';
import { ROOT, runCli } from './support/tools.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-batch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const dir = (name: string) => path.join(tmp, name);
const file = (name: string, text: string) => {
  const f = path.join(tmp, name);
  writeFileSync(f, text);
  return f;
};
const EXAMPLES = path.join(ROOT, 'examples');
const CLOUD_HR = path.join(EXAMPLES, 'cloud-hr.yaml');
const bytes = (d: string) => Object.fromEntries(readdirSync(d).sort().map((n) => [n, readFileSync(path.join(d, n))]));

function io(tty = false): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: { ...process.env }, stderrIsTTY: tty, columns: 100 };
}

describe('batch over answers files', () => {
  // Three of the examples; every renderer is exercised. Split in steps, each with room for a loaded machine.
  const chosen = ['archive-system.yaml', 'cloud-hr.yaml', 'waste-sensors.yaml'];
  const folder = dir('three');
  const singles = dir('singles');
  const slow = (args: string[]) => runCli(args, { timeout: 900_000 });

  it('single builds, for comparison', { timeout: 900_000 }, () => {
    mkdirSync(folder, { recursive: true });
    for (const f of chosen) writeFileSync(path.join(folder, f), readFileSync(path.join(EXAMPLES, f)));
    for (const f of chosen) {
      const r = slow(['build', path.join(folder, f), '--format', 'docx,pdf,md', '--out', singles]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(readdirSync(singles)).toHaveLength(9);
  });

  it.each([['1'], ['4']])('a folder with --jobs %s writes the same bytes as single builds', { timeout: 900_000 }, (jobs) => {
    const out = dir(`jobs${jobs}`);
    const r = slow(['batch', ...(jobs === '1' ? [folder] : chosen.map((f) => path.join(folder, f))), '--format', 'docx,pdf,md', '--out', out, '--jobs', jobs]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('batch: 3 of 3 appendices written');
    expect(bytes(out)).toEqual(bytes(singles));
  });

  it('refuses to overwrite without --force, naming the files; nothing changes', () => {
    const out = dir('existing');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'cloud-hr.md'), 'mine');
    const r = runCli(['batch', 'examples', '--format', 'md', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 output file already exists \(.*cloud-hr\.md\); nothing was written\. Use --force/);
    expect(readdirSync(out)).toEqual(['cloud-hr.md']);
    const forced = runCli(['batch', 'examples', '--format', 'md', '--out', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(path.join(out, 'cloud-hr.md'), 'utf8')).toContain('Eksempel kommune');
  });

  it('names the same file given twice as a collision before writing anything', () => {
    const out = dir('twice');
    const r = runCli(['batch', 'examples/cloud-hr.yaml', 'examples/cloud-hr.yaml', '--format', 'md', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 output name is shared by more than one appendix; nothing was written/);
    expect(existsSync(out)).toBe(false);
  });

  it('goes on past an invalid answers file and reports it; exit 1', () => {
    const inputs = dir('inputs');
    mkdirSync(inputs, { recursive: true });
    writeFileSync(path.join(inputs, 'a.yaml'), readFileSync(CLOUD_HR));
    writeFileSync(path.join(inputs, 'b.yaml'), readFileSync(CLOUD_HR, 'utf8').replace('orgNumber: "974760673"', 'orgNumber: "974760674"'));
    writeFileSync(path.join(inputs, 'c.draft.yaml'), 'not: read');
    const out = dir('inputs-out');
    const r = runCli(['batch', inputs, '--format', 'md', '--out', out, '--json']);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as { ok: boolean; total: number; failed: number; items: Array<{ name: string | null; status: string; problems?: Array<{ field: string; line: number }> }> };
    expect(summary).toMatchObject({ ok: false, total: 2, failed: 1 });
    expect(summary.items[0]).toMatchObject({ name: 'a', status: 'written' });
    expect(summary.items[1]).toMatchObject({ name: null, status: 'failed' });
    expect(summary.items[1]!.problems![0]).toMatchObject({ field: 'buyer › orgNumber', line: 9 });
    expect(readdirSync(out)).toEqual(['a.md']);
  });

  it('usage errors exit 2', () => {
    expect(runCli(['batch', 'examples', '--jobs', '0']).code).toBe(2);
    expect(runCli(['batch', 'examples', '--jobs', 'many']).code).toBe(2);
    expect(runCli(['batch', 'examples', '--name', '{buyer.nam}']).stderr).toMatch(/\{buyer\.nam\} is not an answer with one value/);
    expect(runCli(['batch', 'examples/cloud-hr.yaml', 'examples/archive-system.yaml', '--table', 'x.csv']).code).toBe(2);
    expect(runCli(['batch']).code).toBe(2);
  });
});

describe('batch over a table', () => {
  const csv = file(
    'buyers.csv',
    [
      'buyer.name;buyer.orgNumber;procurement.reference;params.exit/transition-period.days;buyer.members',
      'Hamar kommune;970540008;2027/11;45;',
      'Feil kommune;123456789;2027/12;;',
      '"Løten kommune; ""Øst""";964950113;2027/13;;"Hamar kommune (970 540 008); Stange kommune (964950946)"',
    ].join('\r\n'),
  );

  it('writes every good row, reports the bad one by row and column, and rebuilds to the same bytes', { timeout: 900_000 }, () => {
    const out = dir('table');
    const r = runCli(['batch', 'examples/cloud-hr.yaml', '--table', csv, '--format', 'docx,pdf', '--out', out, '--name', '{buyer.orgNumber}-{procurement.reference}', '--jobs', '2'], { timeout: 900_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/buyers\.csv:3: row 2, column buyer\.orgNumber: the check digit \(mod 11\) does not match/);
    expect(readdirSync(out).sort()).toEqual([
      '964950113-2027-13.docx',
      '964950113-2027-13.pdf',
      '964950113-2027-13.yaml',
      '970540008-2027-11.docx',
      '970540008-2027-11.pdf',
      '970540008-2027-11.yaml',
    ]);
    const answers = readFileSync(path.join(out, '964950113-2027-13.yaml'), 'utf8');
    expect(answers).toContain('name: Løten kommune; "Øst"');
    expect(answers).toMatch(/members:\n {4}- name: Hamar kommune\n {6}orgNumber: "970540008"/);
    expect(readFileSync(path.join(out, '970540008-2027-11.yaml'), 'utf8')).toMatch(/exit\/transition-period:\n {4}days: 45/);
    const again = dir('table-single');
    for (const name of ['970540008-2027-11', '964950113-2027-13']) {
      const b = runCli(['build', path.join(out, `${name}.yaml`), '--format', 'docx,pdf', '--out', again], { timeout: 900_000 });
      expect(b.code, b.stderr).toBe(0);
      expect(readFileSync(path.join(again, `${name}.docx`))).toEqual(readFileSync(path.join(out, `${name}.docx`)));
      expect(readFileSync(path.join(again, `${name}.pdf`))).toEqual(readFileSync(path.join(out, `${name}.pdf`)));
    }
  });

  it('a YAML table works the same way', () => {
    const yamlTable = file('buyers.yaml', '- buyer.name: Hamar kommune\n  buyer.orgNumber: "970540008"\n  data.personal: false\n- buyer.name: Løten kommune\n  buyer.orgNumber: "964950113"\n');
    const out = dir('yaml-table');
    const r = runCli(['batch', 'examples/cloud-hr.yaml', '--table', yamlTable, '--format', 'md', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['cloud-hr-964950113.md', 'cloud-hr-964950113.yaml', 'cloud-hr-970540008.md', 'cloud-hr-970540008.yaml']);
    expect(readFileSync(path.join(out, 'cloud-hr-970540008.yaml'), 'utf8')).toMatch(/personal: false/);
  });

  it.each([
    ['an unknown column', 'buyer.name,buyer.nmae\nA,B\n', /buyers-bad\.csv:1: column 2 "buyer\.nmae": is not an answer path Did you mean buyer\.name\?/],
    ['a group column', 'params\nx\n', /column 1 "params": is a group/],
    ['an unknown clause parameter', 'params.exit/transition-period.weeks\n3\n', /clause exit\/transition-period has no parameter "weeks"/],
    ['a row with too many cells', 'buyer.name\nA,B\n', /buyers-bad\.csv:2: row 1: has 2 cells, the header has 1/],
    ['an unclosed quote', 'buyer.name\n"A\n', /buyers-bad\.csv:2: a quoted cell is not closed/],
    ['duplicate names', 'buyer.name,buyer.orgNumber\nA,970540008\nB,970540008\n', /1 output name is shared by more than one appendix; nothing was written[\s\S]*"cloud-hr-970540008": from .*row 1, .*row 2/],
  ])('%s: exit 1, nothing written', (_, text, message) => {
    const table = file('buyers-bad.csv', text);
    const out = dir('bad-table');
    const r = runCli(['batch', 'examples/cloud-hr.yaml', '--table', table, '--format', 'md', '--out', out]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it('an unwritable output folder: exit 1, nothing written', () => {
    const blocker = file('blocker', 'a file, not a folder');
    const r = runCli(['batch', 'examples/cloud-hr.yaml', '--table', csv, '--format', 'md', '--out', path.join(blocker, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is a file, not a folder\. Nothing was written\./);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('batch progress', () => {
  it('draws a bar on a terminal and prints plain lines otherwise', async () => {
    const table = file('two.csv', 'buyer.orgNumber\n970540008\n964950113\n');
    const tty = io(true);
    expect(await runBatch({ inputs: [CLOUD_HR], table, format: ['md'], out: dir('tty'), jobs: 1, library: [], force: false, json: false }, tty)).toBe(0);
    const bar = tty.err.join('');
    expect(bar).toMatch(/\r\[#+\] 2\/2 {2}\d+\.\d\/s/);
    expect(tty.out.join('')).toMatch(/^batch: 2 of 2 appendices written/);
    const plain = io(false);
    expect(await runBatch({ inputs: [CLOUD_HR], table, format: ['md'], out: dir('plain'), jobs: 1, library: [], force: false, json: false }, plain)).toBe(0);
    expect(plain.err.join('')).not.toContain('\r');
    expect(plain.out.join('')).toMatch(/\[1\/2\] wrote .*cloud-hr-970540008\.yaml, .*cloud-hr-970540008\.md\n\[2\/2\] wrote/);
  });
});

describe('tables and names', () => {
  it('reads CSV quoting, semicolons and CRLF', () => {
    expect(parseCsv('a;b\r\n"x;1";"say ""hi"""\r\n\r\n', 't.csv')).toEqual({ header: ['a', 'b'], headerLine: 1, records: [{ line: 2, cells: ['x;1', 'say "hi"'] }] });
    expect(parseCsv('a,b\n"multi\nline",2\nz,3\n', 't.csv').records).toEqual([
      { line: 2, cells: ['multi\nline', '2'] },
      { line: 4, cells: ['z', '3'] },
    ]);
    expect(() => parseTable('a,a\n1,2\n', 't.csv')).toThrow(/cannot be read/);
  });

  it('turns cells into answer values', () => {
    expect(cellValue('ja', 'boolean', 't')).toEqual({ value: true });
    expect(cellValue('kanskje', 'boolean', 't')).toEqual({ error: 'expected true or false (or ja/nei), got "kanskje"' });
    expect(cellValue('1 000,5', 'number', 't')).toEqual({ value: 1000.5 });
    expect(cellValue('csv; json', 'formats', 't')).toEqual({ value: ['csv', 'json'] });
    expect(cellValue('A (970 540 008)', 'members', 't')).toEqual({ value: [{ name: 'A', orgNumber: '970540008' }] });
    expect(cellValue(false, 'boolean', 't')).toEqual({ value: false });
  });

  it('makes names safe for files and rejects bad patterns', () => {
    expect(safeNamePart(' 2027/0142: Øst ')).toBe('2027-0142-Øst');
    expect(applyNamePattern('{buyer.orgNumber}-{procurement.reference}', { buyer: { orgNumber: '970540008' }, procurement: { reference: '../x' } })).toEqual({ name: '970540008-x' });
    expect(applyNamePattern('{procurement.appendixLabel}', { procurement: {} })).toEqual({ error: '--name: {procurement.appendixLabel} is empty for these answers' });
    expect(() => parseNamePattern('out/{buyer.name}')).toThrow(/path separator/);
    expect(() => parseNamePattern('{buyer.name')).toThrow(/unmatched/);
    expect(() => parseNamePattern('{formats}')).toThrow(/not an answer with one value/);
    expect(parseNamePattern('{buyer.orgNumber}-{requirementLevels.quality}')).toEqual(['buyer.orgNumber', 'requirementLevels.quality']);
  });
});
