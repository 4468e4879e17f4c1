import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io.js';
import { buildFiles } from '../src/cli/pipeline.js';
import { runInterviewCommand, type InterviewOptions } from '../src/cli/new-command.js';
import { CANCEL, DEFAULT, opening, ScriptedAdapter, type Step } from './fixtures/interview/scripted.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'dk-new-'));
  dirs.push(d);
  return d;
}
function io(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s), env: { ...process.env } };
}

const script = (title: string, tail: Step[]): Step[] => [...opening({ 'procurement.title': title }), ...tail];
const rest: Step[] = [
  ['data.personal', true],
  ['data.specialCategories', false],
  ['data.geodata', false],
  ['data.sensor', false],
  ['data.archival', false],
  ['data.openPublication', false],
  ['access.api', false],
  ['access.bulkExport', 'monthly'],
  ['formats', ['csv', 'json']],
  ['pricing.routineExport', 'included'],
  ['pricing.exitExport', 'free'],
  ['pricing.exitAssistance', 'included'],
  ['requirementLevels', true],
  ['language', DEFAULT],
  ['date', DEFAULT],
  ['confirm', true],
];

const opts = (out: string, extra: Partial<InterviewOptions> = {}): InterviewOptions => ({ out, format: ['md', 'json'], library: [], force: false, ...extra });

describe('dataklausul new (command glue, scripted prompts)', () => {
  it('refuses to run without a terminal: exit 2 with a pointer to build', async () => {
    const o = io();
    expect(await runInterviewCommand(opts(tmp()), o, { isTTY: false })).toBe(2);
    expect(o.err.join('')).toMatch(/trenger en terminal.*dataklausul build ANSWERS/);
  });

  it('writes the answers file named after the title, and builds what `build` builds', async () => {
    const out = tmp();
    const o = io();
    const adapter = new ScriptedAdapter(script('Skybasert system for personal og lønn', rest));
    expect(await runInterviewCommand(opts(out), o, { adapter, isTTY: true, today: '2027-03-01' })).toBe(0);
    const file = path.join(out, 'skybasert-system-for-personal-og-lonn.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*templates\/schema\/answers\.schema\.json\n# Svarfil for dataklausul/);
    expect(text).toMatch(/\nschemaVersion: 1\nlanguage: nb\ndate: 2027-03-01\n/);
    expect(text).toMatch(/orgNumber: "974760673"/);
    const md = readFileSync(path.join(out, 'skybasert-system-for-personal-og-lonn.md'));
    const rebuilt = tmp();
    await buildFiles(file, { format: ['md', 'json'], out: rebuilt, library: [], force: false }, io());
    expect(readFileSync(path.join(rebuilt, 'skybasert-system-for-personal-og-lonn.md')).equals(md)).toBe(true);
    expect(o.out.join('')).toMatch(/skrev .*skybasert-system-for-personal-og-lonn\.json/);
  });

  it('saves a draft on Ctrl-C (exit 130), and --answers DRAFT resumes it and replaces it', async () => {
    const out = tmp();
    const o = io();
    const first = new ScriptedAdapter(script('Arkiv', [['data.personal', true], ['data.specialCategories', CANCEL]]));
    expect(await runInterviewCommand(opts(out), o, { adapter: first, isTTY: true, today: '2027-03-01' })).toBe(130);
    const draft = path.join(out, 'arkiv.draft.yaml');
    expect(o.err.join('')).toMatch(/Intervjuet ble avbrutt – ingenting ble skrevet\.[\s\S]*arkiv\.draft\.yaml/);
    expect(readFileSync(draft, 'utf8')).toMatch(/title: Arkiv\n/);
    expect(existsSync(path.join(out, 'arkiv.yaml'))).toBe(false);

    const again = new ScriptedAdapter(
      script('Arkiv', rest).map(([id, v]): Step => [id, id.startsWith('buyer.') || id.startsWith('procurement.') || id === 'deliveryModel' || id === 'sector' ? DEFAULT : v]),
    );
    const o2 = io();
    expect(await runInterviewCommand(opts(out, { answers: draft }), o2, { adapter: again, isTTY: true, today: '2027-03-01' })).toBe(0);
    expect(again.said[0]).toMatch(/Fortsetter fra .*arkiv\.draft\.yaml/);
    expect(readFileSync(path.join(out, 'arkiv.yaml'), 'utf8')).toMatch(/title: Arkiv\n/);
    expect(existsSync(draft)).toBe(false);
    expect(existsSync(path.join(out, 'arkiv.md'))).toBe(true);
  });

  it('--lock pins the libraries in the answers file, as build --lock does; a resume keeps the pins', async () => {
    const out = tmp();
    const o = io();
    const adapter = new ScriptedAdapter(script('Låst', rest));
    expect(await runInterviewCommand(opts(out, { lock: true }), o, { adapter, isTTY: true, today: '2027-03-01' })).toBe(0);
    const file = path.join(out, 'last.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/\n# Skrevet av `dataklausul build --lock`[^\n]*\n# Ikke rediger for hånd[^\n]*\nlock:\n {2}- name: nasjonal-basis\n {4}version: \S+\n {4}digest: [0-9a-f]{64}\n {4}clauses:\n/);
    const lock = text.slice(text.indexOf('lock:\n'));
    // The build after the interview used the pins: a rebuild gives the same bytes and leaves the file as it is.
    const md = readFileSync(path.join(out, 'last.md'));
    const rebuilt = tmp();
    await buildFiles(file, { format: ['md', 'json'], out: rebuilt, library: [], force: false, lock: true }, io());
    expect(readFileSync(path.join(rebuilt, 'last.md')).equals(md)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(text);

    // A draft with pins (cancelled, then pinned by hand for the test) resumes without losing them.
    const first = new ScriptedAdapter(script('Utkast', [['data.personal', true], ['data.specialCategories', CANCEL]]));
    expect(await runInterviewCommand(opts(out), io(), { adapter: first, isTTY: true, today: '2027-03-01' })).toBe(130);
    const draft = path.join(out, 'utkast.draft.yaml');
    writeFileSync(draft, `${readFileSync(draft, 'utf8')}${lock}`);
    const again = new ScriptedAdapter(
      script('Utkast', rest).map(([id, v]): Step => [id, id.startsWith('buyer.') || id.startsWith('procurement.') || id === 'deliveryModel' || id === 'sector' ? DEFAULT : v]),
    );
    expect(await runInterviewCommand(opts(out, { answers: draft }), io(), { adapter: again, isTTY: true, today: '2027-03-01' })).toBe(0);
    const resumed = readFileSync(path.join(out, 'utkast.yaml'), 'utf8');
    expect(resumed.slice(resumed.indexOf('lock:\n'))).toBe(lock);

    // The kept pins are checked: a library whose content differs from its pin (here: the pin
    // altered) stops the build and names the clause.
    const broken = resumed.replace(/(clauses:\n {6}(\S+): )[0-9a-f]{16}/, '$1ffffffffffffffff').replace(/(\n {4}digest: )[0-9a-f]{64}/, `$1${'f'.repeat(64)}`);
    const changed = /clauses:\n {6}(\S+): /.exec(resumed)![1]!.replace(/:$/, '');
    writeFileSync(path.join(out, 'utkast.yaml'), broken);
    const stopped = await buildFiles(path.join(out, 'utkast.yaml'), { format: ['md'], out: tmp(), library: [], force: false }, io()).catch((e: unknown) => e);
    expect(String(stopped)).toMatch(/lock: .*changed since this answers file was locked/);
    expect((stopped as { problems: Array<{ message: string }> }).problems[0]!.message).toContain(`Endret: ${changed}.`);
  });

  it('never overwrites an existing answers file without --force', async () => {
    const out = tmp();
    const existing = path.join(out, 'x.yaml');
    writeFileSync(existing, 'schemaVersion: 1\n');
    const o = io();
    await expect(runInterviewCommand(opts(out, { answers: existing }), o, { adapter: new ScriptedAdapter([]), isTTY: true })).rejects.toThrow(/x\.yaml finnes allerede\. Bruk --force/);
    expect(readFileSync(existing, 'utf8')).toBe('schemaVersion: 1\n');
  });
});
