/**
 * The hostile-input corpus: every file under test/fixtures/hostile/ is one case (answers files,
 * libraries, policies, command lines). A case is run in-process through the CLI's one error
 * boundary (`main`), in a fresh folder, and the test asserts: the exit code; that the message names
 * what it says it names; no stack trace; nothing left behind (no output, no temporary file) when
 * it fails; and, for valid-but-odd text, that the text comes out literally in every format it asks
 * for, read back by real readers (pandoc for md and docx, pdftotext for pdf).
 * The case format is described in test/fixtures/hostile/README.md.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsYaml from 'js-yaml';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { hasCommand, requireTool, ROOT } from './support/tools.js';

interface FileSpec {
  text?: string;
  /** Repeat `line` (with `{i}` replaced by 0, 1, …) `times` times, after `text`. */
  repeat?: { line: string; times: number };
  hex?: string;
  symlink?: string;
  folder?: boolean;
}
interface AnswersSpec {
  base?: string;
  set?: Record<string, unknown>;
  delete?: string[];
  text?: string;
  append?: string;
  repeat?: { line: string; times: number };
  json?: boolean;
}
interface Case {
  description: string;
  args: string[];
  answers?: AnswersSpec;
  files?: Record<string, string | FileSpec>;
  env?: Record<string, string>;
  expect: {
    code: number;
    /** Each must appear in stderr (a string, or a regular expression after `re:`). */
    stderr?: string[];
    stdout?: string[];
    /** Files the run must create (relative to the case folder); nothing else may appear. */
    creates?: string[];
    /** Answer paths whose text must come out literally in every built format. */
    literal?: string[];
  };
}

const CORPUS = path.join(ROOT, 'test', 'fixtures', 'hostile');
const tmp = mkdtempSync(path.join(tmpdir(), 'dk-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function listCases(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listCases(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []))
    .sort();
}

function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}
function deletePath(obj: Record<string, unknown>, dotted: string): void {
  const keys = dotted.split('.');
  let cur: unknown = obj;
  for (const k of keys.slice(0, -1)) cur = (cur as Record<string, unknown>)?.[k];
  if (cur && typeof cur === 'object') delete (cur as Record<string, unknown>)[keys[keys.length - 1]!];
}
export function readPath(obj: unknown, dotted: string): unknown {
  let cur = obj;
  for (const k of dotted.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/** `{ $repeat: "x", times: N }` stands for N copies of "x", so that huge inputs stay small in git. */
function expand(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(expand);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$repeat === 'string') return o.$repeat.repeat(Number(o.times));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, expand(x)]));
  }
  return v;
}
const repeat = (r: { line: string; times: number }) => Array.from({ length: r.times }, (_, i) => `${r.line.replaceAll('{i}', String(i))}\n`).join('');

function answersText(spec: AnswersSpec): { text: string; value: unknown } {
  if (spec.text !== undefined) return { text: spec.text + (spec.append ?? '') + (spec.repeat ? repeat(spec.repeat) : ''), value: null };
  const base = jsYaml.load(readFileSync(path.join(ROOT, 'examples', `${spec.base ?? 'cloud-hr'}.yaml`), 'utf8'), { schema: jsYaml.CORE_SCHEMA }) as Record<string, unknown>;
  for (const p of spec.delete ?? []) deletePath(base, p);
  for (const [p, v] of Object.entries(spec.set ?? {})) setPath(base, p, expand(v));
  const text = spec.json ? JSON.stringify(base, null, 2) : stringify(base, { lineWidth: 0 });
  return { text: text + (spec.append ?? '') + (spec.repeat ? repeat(spec.repeat) : ''), value: base };
}

function writeSpec(file: string, spec: string | FileSpec): void {
  mkdirSync(path.dirname(file), { recursive: true });
  if (typeof spec === 'string') return writeFileSync(file, spec);
  if (spec.folder) return void mkdirSync(file, { recursive: true });
  if (spec.symlink !== undefined) return symlinkSync(spec.symlink, file);
  if (spec.hex !== undefined) return writeFileSync(file, Buffer.from(spec.hex.replace(/\s+/g, ''), 'hex'));
  writeFileSync(file, (spec.text ?? '') + (spec.repeat ? repeat(spec.repeat) : ''));
}

/** Every path under a folder (files, folders, symlinks), relative, sorted. */
function tree(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    out.push(r);
    if (e.isDirectory() && !lstatSync(path.join(dir, r)).isSymbolicLink()) out.push(...tree(dir, r));
  }
  return out.sort();
}

function matches(text: string, pattern: string): boolean {
  return pattern.startsWith('re:') ? new RegExp(pattern.slice(3), 's').test(text) : text.includes(pattern);
}

const decode = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&(lt|gt|quot|#39|apos|nbsp|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: '\u00a0', amp: '&' })[e]!);
const squash = (s: string) => s.replace(/[\s\u00a0]+/g, ' ').trim();
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => decode(m[1]!));

const cases = listCases(CORPUS);
const havePandoc = hasCommand('pandoc');
const havePdftotext = hasCommand('pdftotext');

function pandocHtml(file: string, from: string): string {
  const r = spawnSync('pandoc', ['-f', from, '-t', 'html', '--wrap=none', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pandoc failed on ${file}: ${r.stderr}`);
  return r.stdout;
}

describe('hostile-input corpus', () => {
  it('has at least 150 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it.each(cases.map((c) => [path.relative(CORPUS, c), c]))('%s', async (_name, file) => {
    const c = jsYaml.load(readFileSync(file, 'utf8')) as Case;
    const dir = path.join(tmp, path.relative(CORPUS, file).replace(/[/.]/g, '_'));
    mkdirSync(dir, { recursive: true });
    let answersValue: unknown = null;
    if (c.answers) {
      const a = answersText(c.answers);
      answersValue = a.value;
      writeFileSync(path.join(dir, c.answers.json ? 'answers.json' : 'answers.yaml'), a.text);
    }
    for (const [name, spec] of Object.entries(c.files ?? {})) writeSpec(path.join(dir, name), spec);
    const before = tree(dir);
    const answersPath = path.join(dir, c.answers?.json ? 'answers.json' : 'answers.yaml');
    const args = c.args.map((a) => a.replaceAll('{answers}', answersPath).replaceAll('{dir}', dir).replaceAll('{root}', ROOT));
    let stdout = '';
    let stderr = '';
    const code = await main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: { DATAKLAUSUL_LANG: 'en', ...Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, String(v)])) } });

    expect(code, `exit code; stderr:\n${stderr.slice(0, 2000)}`).toBe(c.expect.code);
    expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(stderr).not.toMatch(/unexpected error/);
    if (c.expect.code !== 0) expect((c.expect.stderr?.length ?? 0) + (c.expect.stdout?.length ?? 0), 'a failing case names what its message must say').toBeGreaterThan(0);
    for (const s of c.expect.stderr ?? []) expect(matches(stderr, s), `stderr should contain ${s}:\n${stderr.slice(0, 2000)}`).toBe(true);
    for (const s of c.expect.stdout ?? []) expect(matches(stdout, s), `stdout should contain ${s}:\n${stdout.slice(0, 2000)}`).toBe(true);

    const after = tree(dir);
    expect(after.filter((p) => /\.(tmp|bak)$/.test(p))).toEqual([]);
    const created = after.filter((p) => !before.includes(p));
    const expected = c.expect.creates ?? [];
    // Folders that hold expected files may be created too.
    expect(created.filter((p) => !expected.some((e) => e === p || e.startsWith(`${p}/`)))).toEqual([]);
    for (const e of expected) expect(after).toContain(e);

    for (const answerPath of c.expect.literal ?? []) {
      const value = readPath(answersValue, answerPath);
      expect(typeof value, `${answerPath} must be text in the case's answers`).toBe('string');
      const want = squash(value as string);
      for (const out of expected) {
        const f = path.join(dir, out);
        if (out.endsWith('.json')) {
          expect(readFileSync(f, 'utf8')).toContain(JSON.stringify(value).slice(1, -1));
        } else if (out.endsWith('.html')) {
          const html = readFileSync(f, 'utf8');
          expect(squash(decode(html))).toContain(want);
          expect(hrefs(html).filter((h) => want.includes(h) || h.includes(want))).toEqual([]);
        } else if ((out.endsWith('.md') || out.endsWith('.docx')) && requireTool('pandoc', havePandoc)) {
          const html = pandocHtml(f, out.endsWith('.md') ? 'gfm' : 'docx');
          expect(squash(decode(html)), `${out} read back by pandoc`).toContain(want);
          expect(hrefs(html).filter((h) => want.includes(h) || h.includes(want)), `${out}: user text became a link`).toEqual([]);
        } else if (out.endsWith('.pdf') && requireTool('pdftotext', havePdftotext)) {
          const text = spawnSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }).stdout;
          // Lines wrap anywhere in a PDF: compare without whitespace.
          expect(text.replace(/\s+/g, ''), `${out} read back by pdftotext`).toContain(want.replace(/\s+/g, ''));
        }
      }
    }
  });
});
