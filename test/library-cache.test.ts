import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheDir, cacheKey, readCompiled, writeCompiled } from '../src/cli/library-cache.js';
import { BASE_LIBRARY_DIR, TEMPLATES_DIR } from '../src/cli/paths.js';
import { loadContext } from '../src/cli/pipeline.js';
import { ROOT, runCli } from './support/tools.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the example partnership library, to edit. */
function extraLibrary(name: string): string {
  const dir = path.join(tmp, name);
  cpSync(path.join(ROOT, 'examples', 'libraries', 'ikt-samarbeid'), dir, { recursive: true });
  return dir;
}
const CLAUSE = 'access/partnership-data-platform';
const textFile = (lib: string) => path.join(lib, 'access', 'partnership-data-platform.nb.md');
const cacheFiles = (dir: string) => readdirSync(dir).filter((n) => /^library-[0-9a-f]{64}\.bin$/.test(n));

/** A cache file's parts: the JSON and the parsed templates after it (see readCompiled). */
function cacheParts(file: string): { json: string; trees: Buffer } {
  const bytes = readFileSync(file);
  const nl = bytes.indexOf(10);
  const [, , , length] = bytes.toString('latin1', 0, nl).split(' ');
  const rest = bytes.subarray(nl + 1);
  return { json: rest.toString('utf8', 0, Number(length)), trees: rest.subarray(Number(length)) };
}
/** Writes a cache file as the cache does, with a correct digest over whatever it is given. */
function writeCacheFile(file: string, json: string, trees: Buffer = Buffer.alloc(0)): void {
  const rest = Buffer.concat([Buffer.from(json, 'utf8'), trees]);
  writeFileSync(file, Buffer.concat([Buffer.from(`dataklausul-library-cache 3 ${createHash('sha256').update(rest).digest('hex')} ${Buffer.byteLength(json)}\n`), rest]));
}
/** The context without what JSON cannot hold, to compare a cached load with a fresh one. */
const plain = (ctx: Awaited<ReturnType<typeof loadContext>>) => JSON.parse(JSON.stringify({ layers: ctx.library.layers, templates: ctx.templates, warnings: ctx.warnings }, (k, v: unknown) => (k === 'lineOf' ? undefined : v))) as unknown;

/** A copy of the baseline library and of the templates its key reads, to edit. */
function keyInputs(name: string): { base: string; templates: string } {
  const base = path.join(tmp, `${name}-clauses`);
  const templates = path.join(tmp, `${name}-templates`);
  cpSync(BASE_LIBRARY_DIR, base, { recursive: true });
  mkdirSync(templates);
  cpSync(path.join(TEMPLATES_DIR, 'i18n'), path.join(templates, 'i18n'), { recursive: true });
  cpSync(path.join(TEMPLATES_DIR, 'contract-types.yaml'), path.join(templates, 'contract-types.yaml'));
  return { base, templates };
}

describe('compiled library cache', () => {
  it('gives the same context as a fresh load, and is used on the next run', async () => {
    const env = { DATAKLAUSUL_CACHE_DIR: path.join(tmp, 'same') };
    const lib = extraLibrary('same-lib');
    const fresh = await loadContext([lib], { DATAKLAUSUL_CACHE: 'off' });
    const first = await loadContext([lib], env);
    expect(cacheFiles(env.DATAKLAUSUL_CACHE_DIR)).toHaveLength(1);
    const second = await loadContext([lib], env);
    expect(plain(first)).toEqual(plain(fresh));
    expect(plain(second)).toEqual(plain(fresh));
    // The second load really came from the cache: a well-formed cache with another title is believed.
    const [file] = cacheFiles(env.DATAKLAUSUL_CACHE_DIR);
    const full = path.join(env.DATAKLAUSUL_CACHE_DIR, file!);
    const { json, trees } = cacheParts(full);
    const title = fresh.library.byId.get(CLAUSE)!.texts.nb!.title;
    writeCacheFile(full, json.replace(JSON.stringify(title), JSON.stringify('Fra hurtigbufferen')), trees);
    expect((await loadContext([lib], env)).library.byId.get(CLAUSE)!.texts.nb!.title).toBe('Fra hurtigbufferen');
    // lineOf is found again from the file when a message needs it.
    expect(second.library.byId.get(CLAUSE)!.lineOf(['id'])).toBe(fresh.library.byId.get(CLAUSE)!.lineOf(['id']));
    expect(second.library.byId.get(CLAUSE)!.lineOf(['id'])).toBeGreaterThan(0);
  });

  it('is invalidated by a change of one byte in any library file', async () => {
    const env = { DATAKLAUSUL_CACHE_DIR: path.join(tmp, 'edit') };
    const lib = extraLibrary('edit-lib');
    const before = await loadContext([lib], env);
    const body = before.library.byId.get(CLAUSE)!.texts.nb!.body;
    const text = readFileSync(textFile(lib), 'utf8');
    const i = text.lastIndexOf(body.trim().slice(-1));
    // One byte: the body's last character becomes "!".
    writeFileSync(textFile(lib), `${text.slice(0, i)}!${text.slice(i + 1)}`);
    const after = await loadContext([lib], env);
    expect(after.library.byId.get(CLAUSE)!.texts.nb!.body.trim().endsWith('!')).toBe(true);
    expect(cacheFiles(env.DATAKLAUSUL_CACHE_DIR)).toHaveLength(2);
  });

  it('has a key that changes with every library file, template and folder, and only then', () => {
    const { base, templates } = keyInputs('key');
    const key = cacheKey([base], templates, '1.0.0')!;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey([base], templates, '1.0.0')).toBe(key);
    expect(cacheKey([base], templates, '1.0.1')).not.toBe(key);
    const flip = (file: string) => {
      const b = readFileSync(file);
      const orig = b[b.length - 2]!;
      b[b.length - 2] = orig ^ 1;
      writeFileSync(file, b);
      const changed = cacheKey([base], templates, '1.0.0');
      b[b.length - 2] = orig;
      writeFileSync(file, b);
      return changed;
    };
    for (const f of [path.join(base, 'library.yaml'), path.join(base, 'formats.yaml'), path.join(templates, 'i18n', 'nb.yaml'), path.join(templates, 'contract-types.yaml')]) {
      expect(flip(f), f).not.toBe(key);
    }
    const someClause = readdirSync(path.join(base, 'exit')).find((n) => n.endsWith('.nb.md'))!;
    expect(flip(path.join(base, 'exit', someClause))).not.toBe(key);
    expect(cacheKey([base], templates, '1.0.0')).toBe(key);
    writeFileSync(path.join(base, 'exit', 'notes.txt'), 'a new file');
    expect(cacheKey([base], templates, '1.0.0')).not.toBe(key);
    expect(cacheKey([base, path.join(tmp, 'missing')], templates, '1.0.0')).toBeNull();
  });

  it('takes the key from the status index only while no file has changed since, and every file had settled', () => {
    const { base, templates } = keyInputs('index');
    const indexDir = path.join(tmp, 'index-cache');
    const real = cacheKey([base], templates, '1.0.0')!;
    expect(cacheKey([base], templates, '1.0.0', { indexDir, settleMs: 0 })).toBe(real);
    const [entry] = readdirSync(indexDir).filter((n) => /^stat-[0-9a-f]{64}\.txt$/.test(n));
    expect(entry).toBeDefined();
    // An entry that says another key, with a valid checksum: believed, so the files were not read.
    const forged = (key: string) => {
      const [, , , at] = readFileSync(path.join(indexDir, entry!), 'latin1').trim().split(' ');
      const body = `${key} ${at}`;
      writeFileSync(path.join(indexDir, entry!), `dataklausul-stat-index 1 ${body} ${createHash('sha256').update(body).digest('hex')}\n`);
    };
    forged('e'.repeat(64));
    expect(cacheKey([base], templates, '1.0.0', { indexDir, settleMs: 0 })).toBe('e'.repeat(64));
    // The files were copied moments ago: with the real settling time the index is not trusted.
    expect(cacheKey([base], templates, '1.0.0', { indexDir })).toBe(real);
    // A damaged entry is ignored (and rewritten).
    writeFileSync(path.join(indexDir, entry!), 'dataklausul-stat-index 1 nonsense\n');
    expect(cacheKey([base], templates, '1.0.0', { indexDir, settleMs: 0 })).toBe(real);
    forged('e'.repeat(64));
    // One byte changed in one clause: another status, so the files are read and the key is new.
    const someClause = path.join(base, 'exit', readdirSync(path.join(base, 'exit')).find((n) => n.endsWith('.nb.md'))!);
    const b = readFileSync(someClause);
    b[b.length - 2] = b[b.length - 2]! ^ 1;
    writeFileSync(someClause, b);
    const edited = cacheKey([base], templates, '1.0.0', { indexDir, settleMs: 0 });
    expect(edited).not.toBe('e'.repeat(64));
    expect(edited).not.toBe(real);
    expect(edited).toBe(cacheKey([base], templates, '1.0.0'));
  });

  it.each([
    ['garbage', (f: string) => writeFileSync(f, 'not a cache')],
    ['one changed byte', (f: string) => writeFileSync(f, readFileSync(f, 'utf8').replace('"manifest"', '"manifesT"'))],
    ['one changed byte in the parsed templates', (f: string) => {
      const b = readFileSync(f);
      b[b.length - 3] = b[b.length - 3]! ^ 1;
      writeFileSync(f, b);
    }],
    ['a valid digest over the wrong shape', (f: string) => writeCacheFile(f, JSON.stringify({ key: 'x', libraries: 'none' }))],
    ['a valid digest, templates cut off', (f: string) => {
      const { json, trees } = cacheParts(f);
      writeCacheFile(f, json, trees.subarray(0, trees.length - 10));
    }],
    ['a valid digest, the part lengths wrong', (f: string) => {
      const { json, trees } = cacheParts(f);
      const rest = Buffer.concat([Buffer.from(json), trees]);
      writeFileSync(f, Buffer.concat([Buffer.from(`dataklausul-library-cache 3 ${createHash('sha256').update(rest).digest('hex')} ${rest.length + 1}\n`), rest]));
    }],
    ['a folder in its place', (f: string) => {
      rmSync(f);
      mkdirSync(f);
    }],
  ])('ignores and rebuilds a corrupt or unreadable cache: %s', async (name, spoil) => {
    const dir = path.join(tmp, `corrupt-${name.replace(/\W+/g, '-')}`);
    const env = { DATAKLAUSUL_CACHE_DIR: dir };
    const lib = extraLibrary(`corrupt-lib-${name.replace(/\W+/g, '-')}`);
    const fresh = await loadContext([lib], env);
    const [file] = cacheFiles(dir);
    const key = file!.replace(/^library-|\.bin$/g, '');
    spoil(path.join(dir, file!));
    expect(readCompiled(dir, key)).toBeNull();
    const again = await loadContext([lib], env);
    expect(plain(again)).toEqual(plain(fresh));
    if (name !== 'a folder in its place') expect(readCompiled(dir, key)).not.toBeNull();
  });

  it('renders from the parsed templates it keeps exactly as from a fresh parse, in every language', () => {
    const env = { DATAKLAUSUL_CACHE_DIR: path.join(tmp, 'trees') };
    const out = (name: string) => path.join(tmp, 'trees-out', name);
    for (const lang of ['nb', 'nn', 'en']) {
      const args = (dir: string) => ['build', 'examples/welfare-technology.yaml', '--format', 'md,json', '--lang', lang, '--out', dir, '--force'];
      expect(runCli(args(out(`off-${lang}`)), { env: { DATAKLAUSUL_CACHE: 'off' } }).code).toBe(0);
      expect(runCli(args(out(`fill-${lang}`)), { env }).code).toBe(0);
      // This run takes every template from the cache's trees: the process never parses one.
      expect(runCli(args(out(`warm-${lang}`)), { env }).code).toBe(0);
      for (const f of ['welfare-technology.md', 'welfare-technology.json']) {
        const fresh = readFileSync(path.join(out(`off-${lang}`), f));
        expect(readFileSync(path.join(out(`fill-${lang}`), f)).equals(fresh), `${lang} ${f} (filling the cache)`).toBe(true);
        expect(readFileSync(path.join(out(`warm-${lang}`), f)).equals(fresh), `${lang} ${f} (from the cache)`).toBe(true);
      }
    }
    const [file] = cacheFiles(env.DATAKLAUSUL_CACHE_DIR);
    const { json, trees } = cacheParts(path.join(env.DATAKLAUSUL_CACHE_DIR, file!));
    const { asts } = JSON.parse(json) as { asts: Array<[number, number]> };
    expect(asts.length).toBeGreaterThan(100);
    // The trees lie one after another and each is a whole Handlebars program.
    expect(asts.reduce((n, [, len]) => n + len, 0)).toBe(trees.length);
    for (const [at, len] of [asts[0]!, asts[asts.length - 1]!]) expect(JSON.parse(trees.toString('utf8', at, at + len)).type).toBe('Program');
  });

  it('never caches a library with errors', async () => {
    const env = { DATAKLAUSUL_CACHE_DIR: path.join(tmp, 'broken') };
    const lib = extraLibrary('broken-lib');
    writeFileSync(path.join(lib, 'access', 'partnership-data-platform.yaml'), 'id: [unclosed\n');
    await expect(loadContext([lib], env)).rejects.toThrow(/the clause library has problems/);
    expect(existsSync(env.DATAKLAUSUL_CACHE_DIR) ? cacheFiles(env.DATAKLAUSUL_CACHE_DIR) : []).toEqual([]);
  });

  it('lives outside the package: env folder, XDG_CACHE_HOME, else ~/.cache; off when asked', () => {
    expect(cacheDir({ DATAKLAUSUL_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(cacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/dataklausul');
    expect(cacheDir({ XDG_CACHE_HOME: 'relative' })).toMatch(/\.cache\/dataklausul$/);
    expect(cacheDir({ DATAKLAUSUL_CACHE: 'off', DATAKLAUSUL_CACHE_DIR: '/x' })).toBeNull();
    expect(cacheDir({})!.startsWith(ROOT)).toBe(false);
  });

  it('a cache that cannot be written costs only time', async () => {
    const blocker = path.join(tmp, 'blocker');
    writeFileSync(blocker, 'a file');
    expect(() => writeCompiled(path.join(blocker, 'cache'), 'k'.repeat(64), { libraries: [], templates: { i18n: {}, contractTypes: { fallback: {}, types: {} } }, warnings: [] })).not.toThrow();
    const ctx = await loadContext([], { DATAKLAUSUL_CACHE_DIR: path.join(blocker, 'cache') });
    expect(ctx.library.clauses.length).toBeGreaterThan(0);
  });
});
