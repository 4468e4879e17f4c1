import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, hasCommand, requireTool, runCli, sh } from './support/tools.js';

/**
 * Libraries and policies shared between organisations (issue: packages, pinned versions, locks,
 * diffs, redlines, audits). Real npm packages are packed and installed from their tarballs into a
 * temporary project; LibreOffice and pandoc read the redline back.
 */

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-orgs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const FIX = path.join(ROOT, 'test', 'fixtures', 'orgs');

function fresh(name: string): string {
  const d = path.join(tmp, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
}

/** Paths in messages are relative to the working folder; normalise the temporary root for snapshots. */
const clean = (s: string) =>
  s
    .split(tmp)
    .join('<tmp>')
    .replace(/[0-9a-f]{64}/g, '<sha256>')
    // The baseline's version and size change with every release; the fixtures' do not.
    .replace(/nasjonal-basis \d+\.\d+\.\d+/g, 'nasjonal-basis <version>')
    .replace(/: \d+ clauses, /g, ': <n> clauses, ');

function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

describe('libraries as npm packages, a project file, pinned versions', () => {
  let project: string;
  beforeAll(() => {
    project = fresh('project');
    const packs = fresh('packs');
    npm(['pack', path.join(FIX, 'partnership-1.0.0'), path.join(FIX, 'municipality'), '--pack-destination', packs, '--silent'], ROOT);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'kommune-anskaffelser', private: true }));
    npm(['install', '--offline', '--no-audit', '--no-fund', ...readdirSync(packs).map((f) => path.join(packs, f))], project);
    cpSync(path.join(ROOT, 'examples', 'welfare-technology.yaml'), path.join(project, 'velferd.yaml'));
    writeFileSync(
      path.join(project, 'dataklausul.yaml'),
      'libraries: ["@ikt-samarbeid/dataklausuler", "@eksempel-kommune/dataklausuler"]\nformats: [json]\nout: bilag\n',
    );
  }, 120_000);

  it('resolves three layers by package name through the project file', () => {
    const r = runCli(['build', 'velferd.yaml'], { cwd: project });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote bilag/velferd.json');
    const model = JSON.parse(readFileSync(path.join(project, 'bilag', 'velferd.json'), 'utf8'));
    expect(model.provenance.libraries.map((l: { name: string; version: string }) => `${l.name} ${l.version}`)).toEqual([
      expect.stringMatching(/^nasjonal-basis /),
      'ikt-samarbeid 1.0.0',
      'eksempel-kommune 2.0.0',
    ]);
    const row = model.provenance.clauses.find((c: { id: string }) => c.id === 'access/shared-platform');
    expect(row.library).toMatch(/^eksempel-kommune \(\S+ ikt-samarbeid 1\.0\.0\)$/);
  });

  it('a flag overrides the project file', () => {
    const r = runCli(['build', 'velferd.yaml', '--format', 'md', '--out', 'other', '--library', '@ikt-samarbeid/dataklausuler'], { cwd: project });
    expect(r.code).toBe(0);
    expect(existsSync(path.join(project, 'other', 'velferd.md'))).toBe(true);
    expect(readFileSync(path.join(project, 'other', 'velferd.md'), 'utf8')).not.toContain('eksempel-kommune');
  });

  it('explain names the layer each clause comes from and what it replaces', () => {
    const r = runCli(['explain', 'velferd.yaml', '--json'], { cwd: project });
    const inc = JSON.parse(r.stdout).included.find((c: { id: string }) => c.id === 'access/shared-platform');
    expect(inc).toMatchObject({ library: 'eksempel-kommune 2.0.0', overrides: [{ library: 'ikt-samarbeid 1.0.0', version: '1.0.0' }] });
  });

  it('--lock pins the libraries; a changed library stops the build; --update-lock accepts it', () => {
    const answers = path.join(project, 'velferd.yaml');
    const before = readFileSync(answers, 'utf8');
    let r = runCli(['build', 'velferd.yaml', '--lock', '--force'], { cwd: project });
    expect(r.code).toBe(0);
    const locked = readFileSync(answers, 'utf8');
    expect(locked.startsWith(before.trimEnd())).toBe(true); // comments and answers kept, lock appended
    expect(locked).toMatch(/lock:\n {2}- name: nasjonal-basis/);
    expect(locked).toContain('access/shared-platform:');
    const first = readFileSync(path.join(project, 'bilag', 'velferd.json'));

    // Same pins, same bytes.
    r = runCli(['build', 'velferd.yaml', '--force'], { cwd: project });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(project, 'bilag', 'velferd.json')).equals(first)).toBe(true);

    // The partnership's installed package changes a clause: the build stops and says what changed.
    // (The member's copy of the locked clause follows it, as the lock requires.)
    for (const pkg of ['@ikt-samarbeid', '@eksempel-kommune']) {
      const text = path.join(project, 'node_modules', pkg, 'dataklausuler', 'access', 'shared-platform.nb.md');
      writeFileSync(text, readFileSync(text, 'utf8').replace('merket med', 'tydelig merket med'));
    }
    r = runCli(['build', 'velferd.yaml', '--force', '--format', 'md'], { cwd: project });
    expect(r.code).toBe(1);
    expect(clean(r.stderr)).toMatchSnapshot();
    // Without --lang or DATAKLAUSUL_LANG the message follows the answers file (bokmål).
    const nb = runCli(['build', 'velferd.yaml', '--force', '--format', 'md'], { cwd: project, env: { DATAKLAUSUL_LANG: '' } });
    expect(nb.code).toBe(1);
    expect(nb.stderr).toContain('er endret siden svarfila ble låst; ingenting ble skrevet');
    expect(nb.stderr).toMatch(/er endret siden det ble låst: .*Endret: access\/shared-platform\./);
    expect(nb.stderr).toContain('Se endringene med `dataklausul diff GAMMEL NY`');
    expect(nb.stderr).not.toMatch(/changed since|See the changes/);
    expect(existsSync(path.join(project, 'bilag', 'velferd.md'))).toBe(false);

    r = runCli(['build', 'velferd.yaml', '--force', '--update-lock'], { cwd: project });
    expect(r.code).toBe(0);
    expect(readFileSync(answers, 'utf8')).not.toBe(locked);
    expect(runCli(['build', 'velferd.yaml', '--force'], { cwd: project }).code).toBe(0);
  });

  it('a pinned library that is no longer loaded stops the build', () => {
    const r = runCli(['build', 'velferd.yaml', '--force', '--library', '@ikt-samarbeid/dataklausuler'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('library eksempel-kommune 2.0.0 is pinned but not loaded');
  });

  it('init writes a commented project file and never overwrites it without --force', () => {
    const d = fresh('init');
    expect(runCli(['init'], { cwd: d }).code).toBe(0);
    const text = readFileSync(path.join(d, 'dataklausul.yaml'), 'utf8');
    expect(text).toMatch(/^# dataklausul project file/);
    const again = runCli(['init'], { cwd: d });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(runCli(['init', '--force'], { cwd: d }).code).toBe(0);
  });
});

describe('bad input for packages, extends and project files', () => {
  it.each([
    ['a package with no dataklausul field', 'nofield', { name: 'nofield', version: '1.0.0' }, null, /is not a clause library: its package.json has no "dataklausul" field/],
    ['a package with no library.yaml', 'nolib', { name: 'nolib', version: '1.0.0', dataklausul: '.' }, null, /missing library\.yaml/],
    ['an unsatisfied version range', 'toonew', { name: 'toonew', version: '1.0.0', dataklausul: '.' }, 'name: toonew\nversion: 1.0.0\ntitle: { nb: T, en: T }\nlanguages: [nb, en]\nextends: { nasjonal-basis: "^9.0.0" }\n', /toonew 1\.0\.0 needs nasjonal-basis \^9\.0\.0, but nasjonal-basis \S+ is loaded/],
  ])('%s: exit 1 with a clear message', (_name, dir, pkg, manifest, message) => {
    const project = fresh(`bad-${dir}`);
    const root = path.join(project, 'node_modules', dir);
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify(pkg));
    if (manifest) writeFileSync(path.join(root, 'library.yaml'), manifest);
    const r = runCli(['lint', '--library', dir], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an extends cycle names both libraries', () => {
    const d = fresh('cycle');
    for (const [name, other] of [['lib-a', 'lib-b'], ['lib-b', 'lib-a']] as const) {
      mkdirSync(path.join(d, name));
      writeFileSync(path.join(d, name, 'library.yaml'), `name: ${name}\nversion: 1.0.0\ntitle: { nb: T, en: T }\nlanguages: [nb, en]\nextends: { ${other}: "^1.0.0" }\n`);
    }
    const r = runCli(['lint', '--library', 'lib-a', '--library', 'lib-b'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('extends cycle: lib-a extends lib-b, and lib-b extends lib-a');
  });

  it('an unknown package name says where it looked', () => {
    const d = fresh('nopkg');
    const r = runCli(['lint', '--library', '@nobody/nothing'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--library @nobody\/nothing: no folder and no installed package of that name/);
  });

  it('a project file with an unknown setting names the file, line and key', () => {
    const d = fresh('badproject');
    writeFileSync(path.join(d, 'dataklausul.yaml'), 'formats: [md]\nlibraris: [x]\n');
    const r = runCli(['lint'], { cwd: d });
    expect(r.code).toBe(1);
    expect(clean(r.stderr)).toContain('dataklausul.yaml:2: libraris: unknown setting');
  });

  it('a lock entry that is not a lock is reported with the field', () => {
    const d = fresh('badlock');
    const text = readFileSync(path.join(ROOT, 'examples', 'cloud-hr.yaml'), 'utf8');
    writeFileSync(path.join(d, 'a.yaml'), `${text}\nlock:\n  - name: nasjonal-basis\n    version: 0.1.0\n    digest: abc\n`);
    const r = runCli(['build', 'a.yaml', '--format', 'md'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/lock.*digest.*SHA-256/);
    expect(readdirSync(d)).toEqual(['a.yaml']);
  });
});

describe('locks and allowed overrides between layers', () => {
  /** A municipality layer that replaces the partnership's locked clause with the given edits. */
  function municipality(name: string, edit: (yaml: string, nb: string) => [string, string]): string {
    const d = fresh(`lock-${name}`);
    cpSync(path.join(FIX, 'municipality'), path.join(d, 'kommune'), { recursive: true });
    const y = path.join(d, 'kommune', 'access', 'shared-platform.yaml');
    const nb = path.join(d, 'kommune', 'access', 'shared-platform.nb.md');
    const [y2, nb2] = edit(readFileSync(y, 'utf8'), readFileSync(nb, 'utf8'));
    writeFileSync(y, y2);
    writeFileSync(nb, nb2);
    cpSync(path.join(FIX, 'partnership-1.0.0'), path.join(d, 'samarbeid'), { recursive: true });
    return d;
  }

  it('a change within the allowed bounds is accepted', () => {
    const d = municipality('ok', (y, nb) => [y.replace('default: 7', 'default: 8'), nb]);
    expect(runCli(['lint', '--library', 'samarbeid', '--library', 'kommune'], { cwd: d }).code).toBe(0);
  });

  it.each([
    ['default outside the bounds', (y: string, nb: string) => [y.replace('default: 7', 'default: 12'), nb] as [string, string]],
    ['changed wording', (y: string, nb: string) => [y, nb.replace('plikter å levere', 'plikter straks å levere')] as [string, string]],
    ['changed level', (y: string, nb: string) => [y.replace('level: bør', 'level: skal'), nb] as [string, string]],
    ['a new parameter', (y: string, nb: string) => [y.replace('params:', 'params:\n  extra:\n    type: integer\n    default: 1'), nb] as [string, string]],
  ])('%s is a lint and build error naming both layers', (name, edit) => {
    const d = municipality(name.replace(/\W+/g, '-'), edit);
    const lint = runCli(['lint', '--library', 'samarbeid', '--library', 'kommune'], { cwd: d });
    expect(lint.code).toBe(1);
    expect(clean(lint.stderr)).toMatchSnapshot();
    cpSync(path.join(ROOT, 'examples', 'welfare-technology.yaml'), path.join(d, 'a.yaml'));
    const build = runCli(['build', 'a.yaml', '--library', 'samarbeid', '--library', 'kommune', '--format', 'md'], { cwd: d });
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('is locked by ikt-samarbeid 1.0.0, but eksempel-kommune 2.0.0 replaces it');
    expect(existsSync(path.join(d, 'a.md'))).toBe(false);
  });

  it('an answers file may set a locked parameter only within the lock\'s bounds', () => {
    const d = municipality('answers', (y, nb) => [y, nb]);
    const text = readFileSync(path.join(ROOT, 'examples', 'welfare-technology.yaml'), 'utf8');
    writeFileSync(path.join(d, 'a.yaml'), text.replace(/^params:\n/m, 'params:\n  access/shared-platform:\n    deliveryHour: 20\n'));
    const r = runCli(['build', 'a.yaml', '--library', 'samarbeid', '--library', 'kommune', '--format', 'md'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('deliveryHour');
    expect(r.stderr).toContain('ikt-samarbeid');
  });

  it('a lock on a clause no layer has is an error', () => {
    const d = fresh('lock-missing');
    mkdirSync(path.join(d, 'lib'));
    writeFileSync(path.join(d, 'lib', 'library.yaml'), 'name: lib\nversion: 1.0.0\ntitle: { nb: T, en: T }\nlanguages: [nb, en]\nlocks: { exit/no-such-clause: null }\n');
    const r = runCli(['lint', '--library', 'lib'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('locks clause exit/no-such-clause, which no layer up to lib has');
  });
});

describe('diff and lint --against', () => {
  it('diff lists added, removed and changed clauses as text, JSON and Markdown', () => {
    const args = ['diff', 'test/fixtures/orgs/partnership-1.0.0', 'test/fixtures/orgs/partnership-1.1.0'];
    const text = runCli(args);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatchSnapshot();
    const md = runCli([...args, '--md']);
    expect(md.stdout).toMatchSnapshot();
    const json = JSON.parse(runCli([...args, '--json']).stdout);
    expect(json.added).toEqual([{ id: 'quality/shared-catalogue', version: '1.0.0' }]);
    expect(json.changed[0]).toMatchObject({ id: 'access/shared-platform', from: '1.0.0', to: '1.0.1', needs: 'minor', made: 'patch', changes: ['body nb'] });
    expect(runCli([...args, '--md', '--json']).code).toBe(2);
    // The same in nynorsk and bokmål; the JSON keeps its ids.
    const nn = runCli([...args, '--lang', 'nn']);
    expect(nn.stdout).toContain('1 lagt til, 0 fjerna, 1 endra');
    expect(nn.stdout).toContain('krev minor, fekk patch');
    const nbMd = runCli([...args, '--md'], { env: { DATAKLAUSUL_LANG: 'nb' } });
    expect(nbMd.stdout).toContain('## Lagt til');
    expect(nbMd.stdout).toContain('Endret: body nb. Krever et minor-steg; fikk: patch.');
    expect(nbMd.stdout).not.toMatch(/Added|Changed|Needs a/);
  });

  it('lint --against fails on a too small version bump and passes on a right one', () => {
    const r = runCli(['lint', '--library', 'test/fixtures/orgs/partnership-1.1.0', '--against', 'test/fixtures/orgs/partnership-1.0.0']);
    expect(r.code).toBe(1);
    expect(clean(r.stderr)).toMatchSnapshot();
    const d = fresh('against');
    cpSync(path.join(FIX, 'partnership-1.1.0'), path.join(d, 'new'), { recursive: true });
    const y = path.join(d, 'new', 'access', 'shared-platform.yaml');
    writeFileSync(y, readFileSync(y, 'utf8').replace('version: 1.0.1', 'version: 1.1.0'));
    expect(runCli(['lint', '--library', path.join(d, 'new'), '--against', path.join(FIX, 'partnership-1.0.0')]).code).toBe(0);
  });

  it('diff resolves NAME@VERSION among packages installed side by side', () => {
    const d = fresh('side-by-side');
    for (const v of ['1.0.0', '1.1.0']) {
      const root = path.join(d, 'node_modules', `samarbeid-${v}`);
      cpSync(path.join(FIX, `partnership-${v}`), root, { recursive: true });
    }
    const r = runCli(['diff', '@ikt-samarbeid/dataklausuler@1.0.0', '@ikt-samarbeid/dataklausuler@1.1.0'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ikt-samarbeid 1.0.0 → ikt-samarbeid 1.1.0: 1 added, 0 removed, 1 changed');
    const missing = runCli(['diff', '@ikt-samarbeid/dataklausuler@0.9.0', '@ikt-samarbeid/dataklausuler@1.1.0'], { cwd: d });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('is installed, but not at version 0.9.0 (found 1.0.0, 1.1.0)');
  });
});

describe('redline', () => {
  let dir: string;
  beforeAll(() => {
    dir = fresh('redline');
    const text = readFileSync(path.join(ROOT, 'examples', 'cloud-hr.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'before.yaml'), text);
    // A change of answers: a revised title and a later date.
    writeFileSync(path.join(dir, 'after.yaml'), text.replace(/^( {2}title: .*)$/m, '$1 (revidert)').replace(/^date: .*$/m, 'date: 2027-05-02'));
    for (const f of ['before', 'after']) expect(runCli(['build', `${f}.yaml`, '--format', 'json'], { cwd: dir }).code).toBe(0);
  });

  it('writes a DOCX with real tracked changes and an HTML view of the same changes', () => {
    const r = runCli(['redline', 'before.json', 'after.json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote after\.redline\.docx\nwrote after\.redline\.html\n\d+ paragraphs changed/);
    // Without a chosen language the summary and the page follow the appendices (bokmål).
    const nb = runCli(['redline', 'before.json', 'after.json', '--name', 'nb'], { cwd: dir, env: { DATAKLAUSUL_LANG: '' } });
    expect(nb.stdout).toMatch(/skrev nb\.docx\nskrev nb\.html\n\d+ avsnitt endret: \d+ innsetting(?:er)?, \d+ sletting(?:er)?\n/);
    const nbHtml = readFileSync(path.join(dir, 'nb.html'), 'utf8');
    expect(nbHtml).toContain('<title>Endringer: Skybasert system for personal og lønn (revidert)</title>');
    expect(nbHtml).toMatch(/Før: .* — Etter: .* i \d+ ¶\./);
    const html = readFileSync(path.join(dir, 'after.redline.html'), 'utf8');
    expect(html).toContain('<ins> (revidert)</ins>');
    if (requireTool('pandoc', hasCommand('pandoc'))) {
      const md = sh('pandoc', ['--track-changes=all', '--wrap=none', '-f', 'docx', '-t', 'markdown', path.join(dir, 'after.redline.docx')]);
      expect(md).toMatch(/\[ ?\(revidert\)\]\{\.insertion author="dataklausul" date="2027-05-02T00:00:00Z"\}/);
      expect(md).toMatch(/\{\.deletion author="dataklausul"/);
      const accepted = sh('pandoc', ['--track-changes=accept', '-f', 'docx', '-t', 'plain', path.join(dir, 'after.redline.docx')]);
      expect(accepted).toContain('Skybasert system for personal og lønn (revidert)');
      expect(accepted).not.toContain('1. mars 2027');
    }
    // Same inputs, same bytes.
    const first = readFileSync(path.join(dir, 'after.redline.docx'));
    expect(runCli(['redline', 'before.json', 'after.json', '--force'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(path.join(dir, 'after.redline.docx')).equals(first)).toBe(true);
  });

  it('LibreOffice opens the redline DOCX', () => {
    if (!requireTool('LibreOffice', hasCommand('soffice'))) return;
    const out = fresh('redline-lo');
    const profile = path.join(out, 'profile');
    spawnSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'txt:Text', '--outdir', out, path.join(dir, 'after.redline.docx')], { encoding: 'utf8', timeout: 180_000 });
    const txt = readFileSync(path.join(out, 'after.redline.txt'), 'utf8');
    expect(txt).toContain('(revidert)');
  }, 200_000);

  it('refuses appendices in different languages, and files that are not appendices; nothing is written', () => {
    expect(runCli(['build', 'after.yaml', '--format', 'json', '--lang', 'en', '--out', 'en'], { cwd: dir }).code).toBe(0);
    const r = runCli(['redline', 'before.json', 'en/after.json', '--name', 'x'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the appendices are in different languages (nb and en)');
    const notModel = runCli(['redline', 'before.yaml', 'after.json', '--name', 'y'], { cwd: dir });
    expect(notModel.code).toBe(1);
    expect(notModel.stderr).toContain('not JSON');
    expect(readdirSync(dir).filter((f) => /^(x|y)\./.test(f))).toEqual([]);
  });
});

describe('audit and policy lint', () => {
  it('audits over twenty procurements with met, violated and deviated rules', () => {
    const d = fresh('audit');
    const examples = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml'));
    let n = 0;
    for (let round = 0; round < 5; round++) {
      for (const f of examples) {
        let text = readFileSync(path.join(ROOT, 'examples', f), 'utf8');
        if (round === 1) text = text.replace(/^( {2}exitExport: ).*$/m, '$1fixed');
        if (round === 2) text += '\ndeviations:\n  - rule: free-exit-export\n    reason: Godkjent av IT-sjefen 2027-02-10, sak 2027/99\n    approvedBy: IT-sjef Kari Nordmann\n';
        if (round === 2) text = text.replace(/^( {2}exitExport: ).*$/m, '$1fixed').replace(/^deviations: \[\]\n/m, '');
        mkdirSync(path.join(d, `r${round}`), { recursive: true });
        writeFileSync(path.join(d, `r${round}`, f), text);
        n++;
      }
    }
    writeFileSync(path.join(d, 'not-answers.yaml'), 'name: something-else\n');
    expect(n).toBeGreaterThanOrEqual(20);
    const out = fresh('audit-out');
    const r = runCli(['audit', d, '--policy', path.join(ROOT, 'examples', 'policies', 'eksempel-kommune.yaml'), '--format', 'md,html,json,csv', '--out', out]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(path.join(out, 'audit-eksempel-kommune-arkitektur.json'), 'utf8'));
    expect(report.procurements).toHaveLength(n);
    const statuses = new Set(report.procurements.flatMap((p: { rules: Array<{ status: string }> }) => p.rules.map((x) => x.status)));
    expect([...statuses].sort()).toEqual(['deviated', 'met', 'violated']);
    const dev = report.procurements.flatMap((p: { rules: Array<{ status: string; reason?: string; approvedBy?: string }> }) => p.rules).find((x: { status: string }) => x.status === 'deviated');
    expect(dev).toMatchObject({ reason: 'Godkjent av IT-sjefen 2027-02-10, sak 2027/99', approvedBy: 'IT-sjef Kari Nordmann' });
    const total = report.totals.find((t: { rule: string }) => t.rule === 'free-exit-export');
    expect(total.met + total.violated + total.deviated).toBe(n);
    expect(r.stdout).toContain(`${n} procurements checked against eksempel-kommune-arkitektur 1.0.0`);
    const csv = readFileSync(path.join(out, 'audit-eksempel-kommune-arkitektur.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('file,buyer,title,reference,rule,status,message,reason,approvedBy');
    expect(readFileSync(path.join(out, 'audit-eksempel-kommune-arkitektur.md'), 'utf8')).toContain('approved by IT-sjef Kari Nordmann');
    expect(readFileSync(path.join(out, 'audit-eksempel-kommune-arkitektur.html'), 'utf8')).toContain('<td class="deviated"');
    // Report files are not overwritten without --force.
    expect(runCli(['audit', d, '--policy', path.join(ROOT, 'examples', 'policies', 'eksempel-kommune.yaml'), '--format', 'md', '--out', out]).stderr).toContain('already exists');
  });

  it("takes no report format from a project file's appendix formats (docx, pdf)", () => {
    const d = fresh('audit-project');
    writeFileSync(path.join(d, 'dataklausul.yaml'), 'formats: [docx, pdf]\n');
    copyFileSync(path.join(ROOT, 'examples', 'welfare-technology.yaml'), path.join(d, 'welfare-technology.yaml'));
    const r = runCli(['audit', 'welfare-technology.yaml', '--policy', path.join(ROOT, 'examples', 'policies', 'eksempel-kommune.yaml')], { cwd: d });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['dataklausul.yaml', 'welfare-technology.yaml']);
  });

  it('exits 0 when every procurement meets the policy or deviates with a reason', () => {
    const r = runCli(['audit', 'examples/welfare-technology.yaml', '--policy', 'examples/policies/eksempel-kommune.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 procurement checked');
    // In nynorsk: the table, the summary and the reports for people (md, html, csv); JSON keeps the ids.
    const out = fresh('audit-nn');
    const nn = runCli(['audit', 'examples/welfare-technology.yaml', '--policy', 'examples/policies/eksempel-kommune.yaml', '--format', 'md,html,csv,json', '--out', out, '--lang', 'nn']);
    expect(nn.code).toBe(0);
    expect(nn.stdout).toMatch(/^anskaffing {2,}documented-api/);
    expect(nn.stdout).toContain('1 anskaffing kontrollerte mot eksempel-kommune-arkitektur 1.0.0; 0 med brot eller feil');
    expect(nn.stdout).toContain('skreiv ');
    const base = path.join(out, 'audit-eksempel-kommune-arkitektur');
    const md = readFileSync(`${base}.md`, 'utf8');
    expect(md).toContain('# Kontroll: ');
    expect(md).toContain('## Sum per regel');
    expect(md).toContain('| regel | oppfylt | broten | avvik | skildring |');
    expect(md).not.toMatch(/Totals|Procurements|procurement/);
    expect(readFileSync(`${base}.csv`, 'utf8').split('\r\n')[0]).toBe('fil,oppdragsgivar,tittel,referanse,regel,status,melding,grunngiving,godkjend av');
    expect(readFileSync(`${base}.csv`, 'utf8')).toContain(',oppfylt,');
    const html = readFileSync(`${base}.html`, 'utf8');
    expect(html).toContain('<html lang="nn">');
    expect(html).toContain('<h2>Sum per regel</h2>');
    expect(JSON.parse(readFileSync(`${base}.json`, 'utf8')).procurements[0].rules[0].status).toBe('met');
  });

  it('policy lint finds contradictions and unknown names, with lines', () => {
    const d = fresh('policy-lint');
    writeFileSync(
      path.join(d, 'p.yaml'),
      [
        'name: motstridende',
        'version: 1.0.0',
        'title: Motstridende regler',
        'rules:',
        '  - id: short',
        '    description: Kort overgang',
        '    param: { clause: exit/transition-period, name: days, max: 20 }',
        '  - id: long',
        '    description: Lang overgang',
        '    param: { clause: exit/transition-period, name: days, min: 40 }',
        '  - id: price',
        '    description: Gratis',
        '    allowValues: { answer: pricing.exitExport, values: [gratis] }',
        '  - id: unknown',
        '    description: Ukjent klausul',
        '    requireClauses: [exit/no-such-clause]',
        '',
      ].join('\n'),
    );
    const r = runCli(['policy', 'lint', 'p.yaml'], { cwd: d });
    expect(r.code).toBe(1);
    expect(clean(r.stderr)).toMatchSnapshot();
    const nb = runCli(['policy', 'lint', 'p.yaml', '--lang', 'nb'], { cwd: d });
    expect(nb.stderr).toMatch(/regel long motsier rules\[0\] \(short\): områdene deres for exit\/transition-period days overlapper ikke Slå de to reglene sammen til ett område\./);
    expect(nb.stderr).toContain('ukjent klausul «exit/no-such-clause» Se `dataklausul clauses list`.');
    expect(nb.stderr).toMatch(/p\.yaml: motstridende 1\.0\.0, 4 regler, \d+ feil\n$/);
    // JSON keeps the English text and adds the catalogue key, whatever the language.
    const json = JSON.parse(runCli(['policy', 'lint', 'p.yaml', '--json', '--lang', 'nn'], { cwd: d }).stdout) as { problems: Array<{ message: string; msg?: { key: string } }> };
    const disjoint = json.problems.find((p) => p.msg?.key === 'policy.rangesDisjoint');
    expect(disjoint?.message).toBe('rule long contradicts rules[0] (short): their ranges for exit/transition-period days do not overlap');
    expect(runCli(['policy', 'lint', 'examples/policies/eksempel-kommune.yaml']).code).toBe(0);
  });
});

describe('README walk-throughs run as written', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  /** The first sh block after a heading. */
  const block = (heading: string) => {
    const i = readme.indexOf(heading);
    expect(i).toBeGreaterThan(0);
    const j = readme.indexOf('```sh\n', i);
    return readme.slice(j + 6, readme.indexOf('```', j + 6));
  };
  // `npx dataklausul` is this checkout's CLI (a user has it from npm install dataklausul).
  const prelude = `set -e\nnpx() { if [ "$1" = dataklausul ]; then shift; node ${JSON.stringify(BIN)} "$@"; else command npx "$@"; fi; }\n`;

  it.each(['### For partnerships', '### For IT departments', '## Evaluating offers'])('%s', (heading) => {
    const r = spawnSync('bash', ['-c', prelude + block(heading)], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    if (heading.includes('partnerships')) expect(r.stdout).toMatch(/\+ access\/partnership-data-platform \S+ \[eksempel-kommune 1\.0\.0, (?:replaces version|erstatter versjon) \S+ (?:from|fra) ikt-samarbeid-eksempel 1\.0\.0\]/);
    else if (heading.includes('IT departments')) expect(r.stdout).toMatch(/(?:procurements checked against|anskaffelser kontrollert mot) eksempel-kommune-arkitektur/);
    else {
      expect(r.stdout).toMatch(/✓ leverandor-a: (?:Meets every mandatory requirement|Oppfyller alle skal-krav)/);
      expect(r.stdout).toMatch(/DK-OWN-08 \((?:Mandatory|Skal)\): (?:No|Nei) \((?:possible ground for rejection|mulig avvisningsgrunn), FOA § 24-8\)/);
      expect(r.stdout).toMatch(/cloud-hr\.evaluation\.docx/);
    }
  }, 200_000);
});
