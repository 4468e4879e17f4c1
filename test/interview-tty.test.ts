import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, hasCommand, requireTool, ROOT, runCli, sh } from './support/tools.js';

/**
 * End-to-end: the built CLI in a real pseudo-terminal (tmux), answering every question of the
 * interview by reading the screen, as a user would.
 */

const hasTmux = requireTool('tmux', hasCommand('tmux'));
const sessions: string[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const s of sessions) spawnSync('tmux', ['kill-session', '-t', s], { stdio: 'ignore' });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Terminal {
  constructor(readonly name: string) {}
  static start(args: string[], cwd: string): Terminal {
    const name = `dk-e2e-${process.pid}-${sessions.length}`;
    sessions.push(name);
    const cmd = `cd ${JSON.stringify(cwd)} && LANG=C.UTF-8 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args.map((a) => JSON.stringify(a)).join(' ')}; echo EXIT=$?; sleep 600`;
    sh('tmux', ['new-session', '-d', '-s', name, '-x', '200', '-y', '50', cmd]);
    return new Terminal(name);
  }
  screen(): string {
    return sh('tmux', ['capture-pane', '-p', '-J', '-S', '-', '-t', this.name]);
  }
  keys(...keys: string[]): void {
    sh('tmux', ['send-keys', '-t', this.name, ...keys]);
  }
  type(text: string): void {
    sh('tmux', ['send-keys', '-t', this.name, '-l', text]);
  }
  async waitFor(test: (screen: string) => boolean, what: string, timeout = 30_000): Promise<string> {
    const end = Date.now() + timeout;
    for (;;) {
      const s = this.screen();
      if (test(s)) return s;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen:\n${s}`);
      await sleep(100);
    }
  }
}

const answered = (s: string) => s.split('\n').filter((l) => l.startsWith('✔')).length;
/** The question being asked: the last line starting with "? " after the last answered one. */
function currentQuestion(s: string): string | undefined {
  const lines = s.split('\n');
  let last = -1;
  lines.forEach((l, i) => {
    if (l.startsWith('✔')) last = i;
  });
  return lines.slice(last + 1).find((l) => l.startsWith('? '));
}

/** The answers for a cloud HR system with personal data; anything else takes the default (Enter). */
const CLOUD_HR: Array<[RegExp, string]> = [
  [/Hva heter virksomheten/, 'Eksempel kommune'],
  [/Organisasjonsnummer/, '974760673'],
  [/Kjøper flere virksomheter/, 'n'],
  [/tittelen på anskaffelsen/, 'Skybasert system for personal og lønn'],
  [/Saksnummer/, '2027/0142'],
  [/særlige kategorier/, 'j'],
  [/arkivverdig/, 'j'],
  [/Dato for bilaget/, '2027-03-01'],
  [/overgangsperioden ved avslutning vare/, '45'],
];

describe.runIf(hasTmux)('dataklausul new in a pseudo-terminal', () => {
  it('interviews for a cloud HR system, writes the answers and the DOCX, and build reproduces the bytes', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'dk-tty-'));
    dirs.push(out);
    const term = Terminal.start(['new', '--out', out, '--format', 'docx,md,json'], ROOT);
    let s = await term.waitFor((x) => !!currentQuestion(x), 'the first question');

    // A wrong check digit is refused with a Norwegian message, and the question stays.
    await term.waitFor((x) => /Hva heter virksomheten/.test(currentQuestion(x) ?? ''), 'the name question');
    term.type('Eksempel kommune');
    term.keys('Enter');
    s = await term.waitFor((x) => /Organisasjonsnummer/.test(currentQuestion(x) ?? ''), 'the org number question');
    term.type('974760674');
    term.keys('Enter');
    s = await term.waitFor((x) => /Kontrollsifferet \(det siste sifferet\) stemmer ikke for 974 760 674/.test(x), 'the check-digit message');
    term.keys('C-u');
    term.type('974760673');
    term.keys('Enter');

    const seen: string[] = [];
    for (let guard = 0; guard < 200; guard++) {
      s = await term.waitFor((x) => /EXIT=\d+/.test(x) || (!!currentQuestion(x) && answered(x) >= seen.length + 2), 'the next question');
      if (/EXIT=\d+/.test(s)) break;
      const q = currentQuestion(s)!;
      seen.push(q);
      const answer = CLOUD_HR.find(([re]) => re.test(q));
      if (answer) term.type(answer[1]);
      term.keys('Enter');
    }
    expect(s, s).toMatch(/EXIT=0/);
    // Branching: no geodata follow-ups, no licence, no real-time parameters.
    expect(seen.join('\n')).not.toMatch(/lisens|geodata gjennom OGC|sensordata/i);
    // The summary and the clauses listed before the confirmation.
    expect(s).toMatch(/Sammendrag av svarene/);
    expect(s).toMatch(/Klausuler som tas med \(\d+\):/);
    expect(s).toMatch(/personal-data\/special-categories/);

    const file = path.join(out, 'skybasert-system-for-personal-og-lonn.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=/);
    const answers = parse(text) as Record<string, unknown>;
    expect(answers).toMatchObject({
      schemaVersion: 2,
      language: 'nb',
      date: '2027-03-01',
      buyer: { name: 'Eksempel kommune', orgNumber: '974760673' },
      procurement: { title: 'Skybasert system for personal og lønn', reference: '2027/0142', contractType: 'SSA-L' },
      deliveryModel: 'saas',
      sector: 'administration',
      data: { personal: true, specialCategories: true, geodata: false, sensor: false, archival: true, openPublication: false },
      access: { api: true, bulkExport: 'monthly', realTime: false },
      pricing: { routineExport: 'included', apiUsage: 'included', exitExport: 'free', exitAssistance: 'included' },
      params: { 'exit/transition-period': { days: 45 } },
    });
    expect(answers.formats).toEqual(expect.arrayContaining(['csv', 'json', 'noark5']));

    const docx = readFileSync(path.join(out, 'skybasert-system-for-personal-og-lonn.docx'));
    expect(docx.subarray(0, 2).toString()).toBe('PK');

    // `build` on the written answers file reproduces the same bytes.
    const again = mkdtempSync(path.join(tmpdir(), 'dk-tty-build-'));
    dirs.push(again);
    const r = runCli(['build', file, '--format', 'docx,md,json', '--out', again]);
    expect(r.code, r.stderr).toBe(0);
    for (const ext of ['docx', 'md', 'json']) {
      const name = `skybasert-system-for-personal-og-lonn.${ext}`;
      expect(readFileSync(path.join(again, name)).equals(readFileSync(path.join(out, name))), `${name} is identical`).toBe(true);
    }
  });

  it('changes an answer and leaves out a clause from the summary screen, then writes', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'dk-tty-'));
    dirs.push(out);
    const term = Terminal.start(['new', '--out', out, '--format', 'md'], ROOT);
    // Each step: the question, what to type (a select jumps to the choice whose label starts with
    // the typed text), and how often it is expected to come. Anything else takes the default.
    const plan: Array<{ q: RegExp; type: string[] }> = [
      // The summary screen, three times: change an answer, leave out a clause, write.
      { q: /Skrive svarfilen .* og bygge md\?/, type: ['Nei, endre', 'Nei, utelat', ''] },
      { q: /Hvilken del av svarene vil du endre/, type: ['Dataene'] },
      // Geodata: no in the first pass, yes when the data section is asked again.
      { q: /Omfatter dataene geodata/, type: ['', 'j'] },
      { q: /Hvilken klausul vil du utelate/, type: ['Testmiljø for API'] },
      { q: /Hvorfor utelates «Testmiljø for API»/, type: ['Kommunen tester i eget miljø'] },
    ];
    const used = new Map<RegExp, number>();
    const seen: string[] = [];
    let s = '';
    for (let guard = 0; guard < 200; guard++) {
      s = await term.waitFor((x) => /EXIT=\d+/.test(x) || (!!currentQuestion(x) && answered(x) >= seen.length), 'the next question');
      if (/EXIT=\d+/.test(s)) break;
      const q = currentQuestion(s)!;
      seen.push(q);
      const step = plan.find((p) => p.q.test(q));
      const fixed = CLOUD_HR.find(([re]) => re.test(q));
      if (step) {
        const n = used.get(step.q) ?? 0;
        used.set(step.q, n + 1);
        if (step.type[n]) term.type(step.type[n]!);
      } else if (fixed) term.type(fixed[1]);
      term.keys('Enter');
      await term.waitFor((x) => answered(x) >= seen.length, 'the answer to be taken');
    }
    expect(s, s).toMatch(/EXIT=0/);
    expect(plan.map((p) => used.get(p.q) ?? 0), s).toEqual([3, 1, 2, 1, 1]);
    // The summary after the change and the omission says both.
    expect(s).toMatch(/Omfatter dataene geodata \(kart, stedfestede objekter\): ja/);
    expect(s).toMatch(/Klausuler du har utelatt \(1\):\n\s+api\/test-environment +Testmiljø for API – Kommunen tester i eget miljø/);
    const answers = parse(readFileSync(path.join(out, 'skybasert-system-for-personal-og-lonn.yaml'), 'utf8')) as Record<string, unknown>;
    expect(answers).toMatchObject({ data: { geodata: true, archival: true, specialCategories: true }, omit: [{ clause: 'api/test-environment', reason: 'Kommunen tester i eget miljø' }] });
    // The appendix has the geodata clauses and not the clause left out.
    const md = readFileSync(path.join(out, 'skybasert-system-for-personal-og-lonn.md'), 'utf8');
    // Only the provenance annex names it, as left out with the buyer's reason.
    const annex = md.indexOf('Utelatt av Kunden:');
    expect(annex).toBeGreaterThan(0);
    expect(md.slice(0, annex)).not.toMatch(/Testmiljø for API/);
    expect(md.slice(annex)).toMatch(/^Utelatt av Kunden: api\/test-environment \S+ \(Testmiljø for API\): Kommunen tester i eget miljø/);
    expect(runCli(['explain', path.join(out, 'skybasert-system-for-personal-og-lonn.yaml'), '--json']).stdout).toMatch(/"id": ?"formats\/geodata"/);
  });

  it('Ctrl-C exits 130 with a resumable draft, and --answers resumes it', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'dk-tty-'));
    dirs.push(out);
    const term = Terminal.start(['new', '--out', out, '--format', 'md'], ROOT);
    await term.waitFor((x) => /Hva heter virksomheten/.test(currentQuestion(x) ?? ''), 'the name question');
    term.type('Eksempel kommune');
    term.keys('Enter');
    await term.waitFor((x) => /Organisasjonsnummer/.test(currentQuestion(x) ?? ''), 'the org number question');
    term.type('974760673');
    term.keys('Enter');
    await term.waitFor((x) => /Kjøper flere/.test(currentQuestion(x) ?? ''), 'the members question');
    term.keys('Enter');
    await term.waitFor((x) => /tittelen på anskaffelsen/.test(currentQuestion(x) ?? ''), 'the title question');
    term.type('Arkivsystem');
    term.keys('Enter');
    await term.waitFor((x) => /Saksnummer/.test(currentQuestion(x) ?? ''), 'the reference question');
    term.keys('C-c');
    const s = await term.waitFor((x) => /EXIT=\d+/.test(x), 'the exit');
    // What was not written, what was, and how to go on.
    expect(s).toMatch(/Intervjuet ble avbrutt\.\nSvarfilen \S*arkivsystem\.yaml og bilaget \(md\) ble ikke skrevet\.\nSvarene så langt er lagret som utkast i \S*arkivsystem\.draft\.yaml\./);
    expect(s).toMatch(/EXIT=130/);
    const draft = path.join(out, 'arkivsystem.draft.yaml');
    const saved = parse(readFileSync(draft, 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ schemaVersion: 2, buyer: { name: 'Eksempel kommune', orgNumber: '974760673' }, procurement: { title: 'Arkivsystem' }, draft: { out: '.', format: ['md'] } });
    expect(existsSync(path.join(out, 'arkivsystem.yaml'))).toBe(false);
    // The hint reproduces the call: followed literally, it resumes with the same --out and --format.
    const hint = /Fortsett med: dataklausul (new .*)/.exec(s)![1]!.trim().split(' ');
    expect(hint).toEqual(['new', '--answers', path.relative(ROOT, draft), '--out', path.relative(ROOT, out), '--format', 'md']);

    const resumed = Terminal.start(hint, ROOT);
    const r = await resumed.waitFor((x) => /Hva heter virksomheten/.test(currentQuestion(x) ?? ''), 'the name question');
    expect(r).toMatch(/Fortsetter fra/);
    expect(currentQuestion(r)).toMatch(/\(Eksempel kommune\)/);
    resumed.keys('Enter');
    await resumed.waitFor((x) => /Organisasjonsnummer.*\(974760673\)/.test(currentQuestion(x) ?? ''), 'the org number with its saved default');
    resumed.keys('C-c');
    const end = await resumed.waitFor((x) => /EXIT=\d+/.test(x), 'the exit');
    expect(end).toMatch(/EXIT=130/);
    expect(parse(readFileSync(draft, 'utf8'))).toMatchObject({ procurement: { title: 'Arkivsystem' } });
  });
});

describe('dataklausul new without a terminal', () => {
  it('exits 2 at once with a message pointing to build, without waiting for input and without writing anything', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'dk-notty-'));
    dirs.push(out);
    // stdin stays open and empty: a CLI that waited for input would never exit, and the guard
    // (generous, only against hanging) would kill it. No duration is asserted.
    const child = spawn(process.execPath, [BIN, 'new', '--out', out], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    clearTimeout(guard);
    child.stdin.destroy();
    expect(signal, 'killed by the guard: it waited for input').toBeNull();
    expect(code).toBe(2);
    expect(stderr).toMatch(/trenger en terminal.*dataklausul build ANSWERS/);
    expect(readdirSync(out)).toEqual([]);
  });
});
