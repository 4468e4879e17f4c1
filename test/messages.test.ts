import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueProblems, fillMessage } from '../src/core/messages.js';
import { messageCatalogue, Speaker } from '../src/library/messages.js';
import { ROOT, runCli } from './support/tools.js';

const raw = JSON.parse(readFileSync(path.join(ROOT, 'templates/messages.json'), 'utf8')) as { languages: string[]; messages: Record<string, Record<string, string>> };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)(?:\|[^}]*)?\}/g)].map((m) => m[1]).sort();

describe('templates/messages.json', () => {
  it('has every message in every language (nb, nn, en), with the same placeholders', () => {
    expect(raw.languages).toEqual(['nb', 'nn', 'en']);
    expect(catalogueProblems(raw)).toEqual([]);
    for (const [key, texts] of Object.entries(raw.messages)) {
      expect(Object.keys(texts).sort(), key).toEqual([...raw.languages].sort());
      for (const lang of raw.languages) expect(new Set(placeholders(texts[lang]!)), `${key} ${lang}`).toEqual(new Set(placeholders(texts.en!)));
    }
  });

  it('the completeness check finds a missing language and a stray one', () => {
    expect(catalogueProblems({ languages: ['nb', 'en'], messages: { a: { nb: 'x' }, b: { nb: 'x', en: 'y', de: 'z' } } })).toEqual([
      'messages › a: missing the "en" text',
      'messages › b: "de" is not in languages',
    ]);
  });

  it('has every key the code uses, and the code uses every key', () => {
    const used = new Set<string>();
    for (const file of sources(path.join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:msg|t|say\.t)\(\s*(?:'([a-zA-Z.]+)'|`([a-zA-Z.${}]+)`)/g)) {
        if (m[1]) used.add(m[1]);
        // `error.${kind}.notFound`: the kinds of input files.
        else for (const kind of ['answers', 'policy']) used.add(m[2]!.replace('${kind}', kind));
      }
      for (const m of text.matchAll(/'(help\.title\.[a-zA-Z]+)'/g)) used.add(m[1]!);
    }
    const keys = Object.keys(raw.messages);
    expect([...used].filter((k) => !keys.includes(k)), 'used but missing').toEqual([]);
    expect(keys.filter((k) => !used.has(k)), 'in the catalogue but unused').toEqual([]);
  });

  it('fills values and picks singular or plural', () => {
    expect(fillMessage('{n} {n|feil|feil}, {w} {w|åtvaring|åtvaringar}', { n: 1, w: 2 })).toBe('1 feil, 2 åtvaringar');
    expect(fillMessage('{file} {unknown}', { file: 'a.yaml' })).toBe('a.yaml {unknown}');
    expect(new Speaker('nn').t('lint.summary', { libraries: 'x 1.0.0', clauses: 1, errors: 0, warnings: 1 })).toBe('x 1.0.0: 1 klausul, 0 feil, 1 åtvaring');
  });

  it('a speaker passes over an unknown language and follows the answers only when none was asked for', () => {
    expect(messageCatalogue().languages).toContain('nn');
    const s = new Speaker('de', undefined);
    expect([s.lang, s.explicit]).toEqual(['nb', false]);
    s.followAnswers('en');
    expect(s.lang).toBe('en');
    const asked = new Speaker(undefined, 'nn');
    asked.followAnswers('en');
    expect(asked.lang).toBe('nn');
  });
});

describe('the command line speaks the chosen language', () => {
  const noEnv = { DATAKLAUSUL_LANG: '' };
  it('--help is in bokmål by default, in nynorsk with --lang nn, in English with DATAKLAUSUL_LANG=en', () => {
    const nb = runCli(['--help'], { env: noEnv });
    expect(nb.code).toBe(0);
    expect(nb.stdout).toContain('Bruk: dataklausul');
    expect(nb.stdout).toContain('Kommandoer:');
    expect(nb.stdout).toContain('bygg bilaget fra en svarfil');
    const nn = runCli(['build', '--help', '--lang', 'nn'], { env: noEnv });
    expect(nn.stdout).toContain('bygg bilaget frå ei svarfil');
    expect(nn.stdout).toMatch(/Val:\n/);
    expect(nn.stdout).toContain('(standard: ".")');
    const en = runCli(['--help'], { env: { DATAKLAUSUL_LANG: 'en' } });
    expect(en.stdout).toContain('Usage: dataklausul');
    expect(en.stdout).toContain('build the appendix from an answers file');
  });

  it('errors and output follow --lang, else the answers file\'s language', () => {
    const missing = runCli(['build', 'no-such-file.yaml', '--lang', 'nn'], { env: noEnv });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('dataklausul: no-such-file.yaml: fann ikkje svarfila. Sjekk stien; ta utgangspunkt i ei av filene i examples/.\n');
    const out = path.join(ROOT, 'node_modules/.cache/dk-messages-test');
    mkdirSync(out, { recursive: true });
    const answers = path.join(out, 'english.yaml');
    writeFileSync(answers, readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml'), 'utf8').replace(/^language:.*$/m, '').replace(/^date:.*$/m, 'language: en'));
    const en = runCli(['build', answers, '--format', 'md', '--out', out, '--force'], { env: { ...noEnv, SOURCE_DATE_EPOCH: '' } });
    expect(en.code).toBe(1);
    expect(en.stderr).toMatch(/english\.yaml: date: missing\. Add the appendix date/);
    const lint = runCli(['lint', '--lang', 'nn'], { env: noEnv });
    expect(lint.stdout).toMatch(/nasjonal-basis .*: \d+ klausular, 0 feil, 0 åtvaringar/);
    const explain = runCli(['explain', 'examples/cloud-hr.yaml'], { env: noEnv });
    expect(explain.stdout).toMatch(/\d+ tatt med, \d+ utelatt/);
  });
});
