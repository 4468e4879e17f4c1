import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io.js';
import { buildFiles } from '../src/cli/pipeline.js';
import { runInterviewCommand, type InterviewOptions } from '../src/cli/new-command.js';
import { CANCEL, DEFAULT, opening, ScriptedAdapter, type Step } from './fixtures/interview/scripted.js';
import { ROOT, runCli } from './support/tools.js';

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
  ['exportMatrix', DEFAULT],
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
    expect(text).toMatch(/\nschemaVersion: 2\nlanguage: nb\ndate: 2027-03-01\n/);
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
    // What was written and what was not, and a command that resumes with the same --out and --format.
    expect(o.err.join('')).toMatch(/Intervjuet ble avbrutt\.\nSvarfilen .*arkiv\.yaml og bilaget \(md, json\) ble ikke skrevet\.\nSvarene så langt er lagret som utkast i .*arkiv\.draft\.yaml\.\nFortsett med: dataklausul new --answers \S*arkiv\.draft\.yaml --out \S+ --format md,json\n/);
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

  it('a draft records --out, --format, --lang and --library; resuming uses them unless a flag overrides', async () => {
    const out = tmp();
    const lib = path.join(ROOT, 'test/fixtures/library/good/local-copy');
    const first = new ScriptedAdapter(script('Arkiv', [['data.personal', CANCEL]]));
    const o = io();
    const call = opts(out, { format: ['md'], lang: 'en', library: [lib] });
    expect(await runInterviewCommand(call, o, { adapter: first, isTTY: true, today: '2027-03-01' })).toBe(130);
    const draft = path.join(out, 'arkiv.draft.yaml');
    const text = readFileSync(draft, 'utf8');
    // The call, relative to the draft's folder, in its own section after the answers.
    const saved = parse(text) as Record<string, unknown>;
    expect(saved.draft).toEqual({ out: '.', format: ['md'], lang: 'en', library: [path.relative(out, lib)] });
    expect(text).toMatch(/\n# How dataklausul new was called .*\n# Not part of the answers.*\ndraft:\n/);
    // In English, with a command that reproduces the call.
    const err = o.err.join('');
    expect(err).toMatch(/Interview cancelled\.\nThe answers file \S*arkiv\.yaml and the appendix \(md\) were not written\.\nThe answers so far are saved as a draft in \S*arkiv\.draft\.yaml\.\n/);
    const hint = /Resume with: (.*)\n/.exec(err)![1]!;
    expect(hint).toBe(`dataklausul new --answers ${path.relative(process.cwd(), draft)} --out ${path.relative(process.cwd(), out)} --format md --lang en --library ${path.relative(process.cwd(), lib)}`);

    // Resumed without flags (commander's defaults: --out . --format docx,pdf, no --lang, no --library): the draft's call applies.
    const resumed = new ScriptedAdapter(script('Arkiv', rest).map(([id, v]): Step => [id, id.startsWith('buyer.') || id.startsWith('procurement.') || id === 'deliveryModel' || id === 'sector' ? DEFAULT : v]));
    const o2 = io();
    expect(await runInterviewCommand({ answers: draft, out: '.', format: ['docx', 'pdf'], library: [], force: false, given: {} }, o2, { adapter: resumed, isTTY: true, today: '2027-03-01' })).toBe(0);
    expect(resumed.said[0]).toMatch(/^Resuming from /);
    expect(resumed.messages['buyer.name']).toBe('What is the name of the buying organisation (the Customer)?');
    expect(readdirSync(out).sort()).toEqual(['arkiv.md', 'arkiv.yaml']);
    const answers = readFileSync(path.join(out, 'arkiv.yaml'), 'utf8');
    expect(answers).not.toMatch(/draft/);
    // The extra library's clause is in the appendix: the libraries came from the draft.
    const md = readFileSync(path.join(out, 'arkiv.md'), 'utf8');
    expect(md).toMatch(/fixture-local-copy/);
    expect(md).toMatch(/access\/local-copy/);
  });

  it('Ctrl-C on the summary screen, in the middle of a change, keeps the change and the clause left out in the draft', async () => {
    const out = tmp();
    const o = io();
    // With an API, so that the API clauses are in.
    const withApi = rest.slice(0, -1).flatMap((st): Step[] =>
      st[0] === 'access.api' ? [['access.api', true]] : st[0] === 'formats' ? [st, ['formats.api', DEFAULT], ['formats.metadata', DEFAULT]] : st[0] === 'access.bulkExport' ? [st, ['access.realTime', false]] : st[0] === 'pricing.routineExport' ? [st, ['pricing.apiUsage', 'included']] : [st],
    );
    const steps: Step[] = [
      ...script('Arkiv', withApi),
      ['confirm', 'omit'],
      ['omit', 'api/test-environment'],
      ['omit.reason', 'Tester selv'],
      ['confirm', 'edit'],
      ['edit', 'data'],
      ['data.personal', false],
      ['data.geodata', CANCEL],
    ];
    const adapter = new ScriptedAdapter(steps);
    expect(await runInterviewCommand(opts(out), o, { adapter, isTTY: true, today: '2027-03-01' })).toBe(130);
    expect(adapter.remaining).toEqual([]);
    const saved = parse(readFileSync(path.join(out, 'arkiv.draft.yaml'), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ data: { personal: false }, omit: [{ clause: 'api/test-environment', reason: 'Tester selv' }], draft: { format: ['md', 'json'] } });
    expect(existsSync(path.join(out, 'arkiv.yaml'))).toBe(false);
    expect(o.err.join('')).toMatch(/Intervjuet ble avbrutt\.\nSvarfilen/);
  });

  it('a title changed on the summary screen names the files written', async () => {
    const out = tmp();
    const PROCUREMENT = ['procurement.title', 'procurement.reference', 'procurement.contractType', 'procurement.appendixLabel', 'procurement.description', 'procurement.plannedStart', 'procurement.termMonths', 'deliveryModel', 'sector'];
    const adapter = new ScriptedAdapter([
      ...script('Arkiv', rest.slice(0, -1)),
      ['confirm', 'edit'],
      ['edit', 'procurement'],
      ...PROCUREMENT.map((id): Step => [id, id === 'procurement.title' ? 'Arkiv for Fjell' : DEFAULT]),
      ['confirm', true],
    ]);
    expect(await runInterviewCommand(opts(out), io(), { adapter, isTTY: true, today: '2027-03-01' })).toBe(0);
    expect(adapter.asked.filter((id) => id === 'confirm')).toHaveLength(2);
    expect(adapter.messages.confirm).toMatch(/arkiv-for-fjell\.yaml og bygge md, json\?$/);
    expect(readdirSync(out).sort()).toEqual(['arkiv-for-fjell.json', 'arkiv-for-fjell.md', 'arkiv-for-fjell.yaml']);
  });

  it('build refuses a draft and says how to finish it', async () => {
    const out = tmp();
    const first = new ScriptedAdapter(script('Arkiv', [...rest.slice(0, -1), ['confirm', false]]));
    expect(await runInterviewCommand(opts(out), io(), { adapter: first, isTTY: true, today: '2027-03-01' })).toBe(130);
    const draft = path.join(out, 'arkiv.draft.yaml');
    const r = runCli(['build', draft, '--out', out, '--format', 'md']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/arkiv\.draft\.yaml:\d+: this is a draft from dataklausul new .*Finish it with: dataklausul new --answers \S*arkiv\.draft\.yaml/);
    expect(readdirSync(out)).toEqual(['arkiv.draft.yaml']);
  });

  it('flags given when resuming win over the draft', async () => {
    const out = tmp();
    const elsewhere = tmp();
    const first = new ScriptedAdapter(script('Arkiv', [['data.personal', CANCEL]]));
    expect(await runInterviewCommand(opts(out, { format: ['md'] }), io(), { adapter: first, isTTY: true, today: '2027-03-01' })).toBe(130);
    const draft = path.join(out, 'arkiv.draft.yaml');
    const resumed = new ScriptedAdapter(script('Arkiv', rest).map(([id, v]): Step => [id, id.startsWith('buyer.') || id.startsWith('procurement.') || id === 'deliveryModel' || id === 'sector' ? DEFAULT : v]));
    const o = io();
    const code = await runInterviewCommand({ answers: draft, out: elsewhere, format: ['json'], library: [], force: false, given: { out: true, format: true } }, o, { adapter: resumed, isTTY: true, today: '2027-03-01' });
    expect(code, o.err.join('')).toBe(0);
    expect(resumed.messages['buyer.name']).toMatch(/^Hva heter/);
    // The answers file replaces the draft; the appendix goes where the flags say.
    expect(existsSync(path.join(out, 'arkiv.yaml'))).toBe(true);
    expect(readdirSync(elsewhere)).toEqual(['arkiv.json']);
  });

  it('refuses a draft whose draft section is malformed, naming the file, line and field', async () => {
    const out = tmp();
    const draft = path.join(out, 'x.draft.yaml');
    writeFileSync(draft, 'schemaVersion: 1\nbuyer:\n  name: A\ndraft:\n  out: .\n  format: [docx, odt]\n');
    await expect(runInterviewCommand({ answers: draft, out: '.', format: ['docx'], library: [], force: false }, io(), { adapter: new ScriptedAdapter([]), isTTY: true })).rejects.toMatchObject({
      message: expect.stringMatching(/x\.draft\.yaml: the draft section|draft-delen/),
      problems: [expect.objectContaining({ line: 6, field: expect.stringMatching(/draft › format/) })],
    });
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
