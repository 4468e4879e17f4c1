import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    expect(s).toMatch(/Intervjuet ble avbrutt – ingenting ble skrevet/);
    expect(s).toMatch(/EXIT=130/);
    const draft = path.join(out, 'arkivsystem.draft.yaml');
    expect(s).toContain('arkivsystem.draft.yaml');
    const saved = parse(readFileSync(draft, 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ schemaVersion: 2, buyer: { name: 'Eksempel kommune', orgNumber: '974760673' }, procurement: { title: 'Arkivsystem' } });
    expect(existsSync(path.join(out, 'arkivsystem.yaml'))).toBe(false);

    const resumed = Terminal.start(['new', '--answers', draft, '--out', out, '--format', 'md'], ROOT);
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
  it('exits 2 at once with a message pointing to build', () => {
    const time = (args: string[]) => {
      const start = Date.now();
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 10_000 });
      return { r, ms: Date.now() - start };
    };
    const { r, ms } = time(['new', '--out', tmpdir()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/trenger en terminal.*dataklausul build ANSWERS/);
    // Within a second of the CLI's own start-up (measured by --version on this machine, now).
    const startup = time(['--version']).ms;
    expect(ms - startup).toBeLessThan(1000);
  });
});
