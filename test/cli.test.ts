import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './support/tools.js';
import { spawnSync } from 'node:child_process';

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function dir(name: string): string {
  const d = path.join(tmp, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
}

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('command line basics', () => {
  it('prints the version', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('prints help with every command', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['new', 'build', 'explain', 'lint', 'clauses']) expect(r.stdout).toContain(cmd);
  });

  it.each([
    [['frobnicate'], /unknown command/],
    [['build'], /missing required argument/],
    [['build', 'examples/cloud-hr.yaml', '--format', 'docx,odt'], /unknown format "odt"/],
    [['build', 'examples/cloud-hr.yaml', '--bogus'], /unknown option/],
  ])('exits 2 for wrong usage: %j', (args, message) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 with help when no command is given', () => {
    const r = runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Usage: dataklausul');
  });
});

describe('build', () => {
  it('writes md, html and json named after the answers file, and refuses to overwrite without --force', () => {
    const out = dir('build');
    const r = runCli(['build', 'examples/cloud-hr.yaml', '--format', 'md,html,json', '--out', out]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['cloud-hr.html', 'cloud-hr.json', 'cloud-hr.md']);
    const md = readFileSync(path.join(out, 'cloud-hr.md'), 'utf8');
    expect(md).toContain('Eksempel kommune');
    expect(md).toMatch(/## \d+ Avslutning og overgang/);

    const before = readdirSync(out).map((f) => [f, statSync(path.join(out, f)).mtimeMs, readFileSync(path.join(out, f), 'utf8')]);
    const again = runCli(['build', 'examples/cloud-hr.yaml', '--format', 'md,html,json', '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exist.*--force/);
    const after = readdirSync(out).map((f) => [f, statSync(path.join(out, f)).mtimeMs, readFileSync(path.join(out, f), 'utf8')]);
    expect(after).toEqual(before);

    const forced = runCli(['build', 'examples/cloud-hr.yaml', '--format', 'md', '--out', out, '--force']);
    expect(forced.code).toBe(0);
  });

  it('builds a nynorsk appendix with --lang nn (docx, pdf, md), and every example in nn in every format', () => {
    const out = dir('nn');
    const r = runCli(['build', 'examples/cloud-hr.yaml', '--format', 'docx,pdf,md', '--out', out, '--lang', 'nn']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['cloud-hr.docx', 'cloud-hr.md', 'cloud-hr.pdf']);
    const md = readFileSync(path.join(out, 'cloud-hr.md'), 'utf8');
    expect(md).toMatch(/## \d+ Avslutning og overgang/);
    expect(md).toMatch(/## \d+ Kravtabell for svaret frå leverandøren/);
    expect(md).toContain('| Språk | norsk nynorsk |');
    expect(md).toContain('Leverandøren skal halde oppe tenesta');
    // No bokmål forms that a word-swap would leave behind.
    expect(md).not.toMatch(/\b(?:ikke|tjenesten|løsningen|opplysninger|hvordan|virkedager)\b/);
    const docx = spawnSync('unzip', ['-p', path.join(out, 'cloud-hr.docx'), 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
    expect(docx).toContain('Definisjonar');
    const all = dir('nn-all');
    for (const f of readdirSync(path.join(ROOT, 'examples')).filter((n) => n.endsWith('.yaml'))) {
      const b = runCli(['build', path.join('examples', f), '--format', 'docx,pdf,md,html,json', '--out', all, '--lang', 'nn']);
      expect(b.stderr, f).toBe('');
      expect(b.code, f).toBe(0);
    }
  });

  it('builds in English with --lang en', () => {
    const out = dir('en');
    const r = runCli(['build', 'examples/cloud-hr.yaml', '--format', 'md', '--out', out, '--lang', 'en']);
    expect(r.code).toBe(0);
    const md = readFileSync(path.join(out, 'cloud-hr.md'), 'utf8');
    expect(md).toContain('Exit and transition');
    expect(md).toContain('The Supplier shall');
  });

  it.each([
    ['missing file', null, 'examples/does-not-exist.yaml', /does-not-exist\.yaml: answers file not found/],
    ['invalid YAML', 'schemaVersion: 1\nbuyer: [name: x\n', 'bad.yaml', /bad\.yaml:\d+: invalid YAML/],
    ['wrong type', 'WRONG_TYPE', 'wrong.yaml', /wrong\.yaml:\d+: data › personal: expected true or false, got "ja"/],
    ['bad organisation number', 'BAD_ORGNR', 'orgnr.yaml', /orgnr\.yaml:\d+: buyer › orgNumber: the check digit/],
    ['unknown key', 'UNKNOWN_KEY', 'typo.yaml', /typo\.yaml:\d+: .*unknown key "delivery"/],
    ['unknown clause parameter', 'BAD_PARAM', 'param.yaml', /params › exit\/transition-period › dayz: clause exit\/transition-period has no parameter "dayz"/],
    ['parameter out of range', 'OUT_OF_RANGE', 'range.yaml', /params › exit\/transition-period › days: 400 is above the maximum/],
    ['open data without licence', 'NO_LICENCE', 'licence.yaml', /licence: open publication is chosen/],
  ])('exits 1 for %s, names file and field, writes nothing', (_name, content, file, message) => {
    const work = dir(`bad-${file}`);
    const out = path.join(work, 'out');
    let answers = file;
    if (content !== null) {
      const base = readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml'), 'utf8');
      const text =
        content === 'WRONG_TYPE'
          ? base.replace('personal: true', 'personal: "ja"')
          : content === 'BAD_ORGNR'
            ? base.replace('"974760673"', '"974760674"')
            : content === 'UNKNOWN_KEY'
              ? base.replace('deliveryModel: saas', 'deliveryModel: saas\ndelivery: saas')
              : content === 'BAD_PARAM'
                ? base.replace(/exit\/transition-period:\n\s+days: \d+/, 'exit/transition-period:\n    dayz: 20')
                : content === 'OUT_OF_RANGE'
                  ? base.replace(/exit\/transition-period:\n\s+days: \d+/, 'exit/transition-period:\n    days: 400')
                  : content === 'NO_LICENCE'
                    ? base.replace('openPublication: false', 'openPublication: true').replace(/^licence:.*$/m, '')
                    : content;
      expect(text).not.toBe(base);
      answers = path.join(work, file);
      writeFileSync(answers, text);
    }
    const r = runCli(['build', answers, '--format', 'md,json', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 1 with a clear message when --out is below a file, and 2 for an unknown --lang', () => {
    const out = runCli(['build', 'examples/cloud-hr.yaml', '--format', 'md', '--out', 'package.json/out']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('package.json is a file, not a folder. Nothing was written.');
    expect(out.stderr).not.toMatch(/\n\s+at /);
    const lang = runCli(['build', 'examples/cloud-hr.yaml', '--format', 'md', '--out', dir('lang'), '--lang', 'de']);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('--lang: language "de" is not available; use one of: nb, nn, en.');
  });

  it('needs a date from the answers or SOURCE_DATE_EPOCH, never the clock', () => {
    const work = dir('nodate');
    const answers = path.join(work, 'nodate.yaml');
    const base = readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml'), 'utf8').replace(/^date:.*$/m, '');
    mkdirSync(work, { recursive: true });
    writeFileSync(answers, base);
    const env = { ...process.env };
    delete env.SOURCE_DATE_EPOCH;
    delete env.DATAKLAUSUL_LANG;
    const noDate = spawnSync(process.execPath, [BIN, 'build', answers, '--format', 'json', '--out', work], { env, encoding: 'utf8' });
    expect(noDate.status).toBe(1);
    // No --lang and no DATAKLAUSUL_LANG: the message speaks the answers file's language (nb).
    expect(noDate.stderr).toMatch(/date: mangler.*SOURCE_DATE_EPOCH/);
    const withEpoch = runCli(['build', answers, '--format', 'json', '--out', work], { env: { SOURCE_DATE_EPOCH: '1800000000' } });
    expect(withEpoch.code).toBe(0);
    const model = JSON.parse(readFileSync(path.join(work, 'nodate.json'), 'utf8')) as { title: { date: string; dateText: string } };
    expect(model.title.date).toBe('2027-01-15');
    expect(model.title.dateText).toBe('15. januar 2027');
  });
});

describe('heavy libraries stay off the start-up path', () => {
  const trace = (args: string[]) => {
    const file = path.join(tmp, `trace-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(file, '');
    const r = spawnSync(process.execPath, ['--import', path.join(ROOT, 'test/support/trace-imports.mjs'), BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, TRACE_IMPORTS_FILE: file },
      encoding: 'utf8',
    });
    return { code: r.status, modules: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
  };
  // The web server of `serve` is heavy in its own way: it loads only for `serve`. The DOCX and PDF
  // writers (and the font parser) load only when their format is asked for.
  const heavy = /node_modules\/(pdf-lib|@pdf-lib|docx|@inquirer|inquirer)\/|\/dist\/cli\/serve\/|^bundle:src\/(cli\/serve|render\/docx|render\/pdf\/(index|layout|truetype|writer))/;

  it.each([[['--help']], [['build', 'examples/cloud-hr.yaml', '--format', 'md', '--force', '--out', path.join(tmp, 'trace-md')]], [['lint']]])(
    '%j imports no docx, pdf-lib, fontkit, inquirer or the serve web server',
    (args) => {
      const { code, modules } = trace(args);
      expect(code).toBe(0);
      // The tracer does see inside the bundle: the commands' own modules, loaded on first use.
      expect(modules.filter((m) => m.startsWith('bundle:src/')).length).toBeGreaterThan(5);
      expect(modules.filter((m) => heavy.test(m))).toEqual([]);
    },
  );

  it('evaluate reads a CSV answer sheet without docx, pdf-lib or inquirer; --help and build do not load its XML reader', () => {
    const out = path.join(tmp, 'trace-csv');
    expect(spawnSync(process.execPath, [BIN, 'build', 'examples/cloud-hr.yaml', '--format', 'csv', '--force', '--out', out], { cwd: ROOT }).status).toBe(0);
    const { code, modules } = trace(['evaluate', 'examples/cloud-hr.yaml', path.join(out, 'cloud-hr.csv')]);
    // The sheet is unanswered, so no supplier meets every "skal".
    expect(code).toBe(1);
    expect(modules.filter((m) => heavy.test(m))).toEqual([]);
    for (const args of [['--help'], ['build', 'examples/cloud-hr.yaml', '--format', 'md', '--force', '--out', path.join(tmp, 'trace-md2')]]) {
      expect(trace(args).modules.filter((m) => /node_modules\/(@xmldom|fflate)\//.test(m))).toEqual([]);
    }
  });

  it('the tracer does see the PDF and DOCX writers when they are asked for', () => {
    const { code, modules } = trace(['build', 'examples/cloud-hr.yaml', '--format', 'pdf,docx', '--force', '--out', path.join(tmp, 'trace-pdf')]);
    expect(code).toBe(0);
    expect(modules).toContain('bundle:src/render/pdf/index.ts');
    expect(modules).toContain('bundle:src/render/docx/index.ts');
    expect(modules.filter((m) => heavy.test(m)).length).toBeGreaterThan(2);
  });
});
