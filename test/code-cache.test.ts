import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBundle, runBundle, runKind } from '../src/cli/boot.js';
import { ROOT, runCli } from './support/tools.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-code-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const codeFiles = (dir: string) => readdirSync(dir).filter((n) => /^code-[0-9a-f]{64}\.bin$/.test(n)).sort();

describe('the kind of run in the cache key', () => {
  it('is the command and the formats asked for', () => {
    expect(runKind(['build', 'a.yaml', '--format', 'docx,pdf', '--force'])).toBe('build:docx,pdf');
    expect(runKind(['build', '--format=pdf', 'a.yaml'])).toBe('build:pdf');
    expect(runKind(['--lang', 'en', 'lint'])).toBe('en:');
    expect(runKind([])).toBe('-:');
    // Whatever a user types, the kind stays a short plain token.
    expect(runKind(['build', '--format', '../../x y'])).toBe('build:______x_y');
  });
});

describe("the CLI bundle's code cache", () => {
  const build = (env: NodeJS.ProcessEnv, out: string, format = 'pdf') => {
    const r = runCli(['build', path.join(ROOT, 'examples', 'cloud-hr.yaml'), '--format', format, '--out', out, '--force'], { env });
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(path.join(out, `cloud-hr.${format}`));
  };

  it('is written after the first run, used by the next, and a corrupt or short file is ignored and rewritten', () => {
    const dir = path.join(tmp, 'cache');
    const env = { DATAKLAUSUL_CACHE_DIR: dir };
    const fresh = build({ DATAKLAUSUL_CACHE: 'off' }, path.join(tmp, 'off'));
    expect(build(env, path.join(tmp, 'a')).equals(fresh)).toBe(true);
    const files = codeFiles(dir);
    expect(files).toHaveLength(1);
    const file = path.join(dir, files[0]!);
    const stored = readFileSync(file);
    expect(stored.length).toBeGreaterThan(100_000);
    // From the cache: same bytes, file untouched.
    expect(build(env, path.join(tmp, 'b')).equals(fresh)).toBe(true);
    expect(readFileSync(file).equals(stored)).toBe(true);
    // One byte of V8's code flipped: the file's digest no longer matches; ignored and rewritten.
    const flipped = Buffer.from(stored);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 100) ^ 0xff, flipped.length - 100);
    writeFileSync(file, flipped);
    expect(build(env, path.join(tmp, 'c')).equals(fresh)).toBe(true);
    expect(codeFiles(dir)).toEqual(files);
    expect(readFileSync(file).equals(flipped)).toBe(false);
    expect(readFileSync(file).length).toBeGreaterThan(100_000);
    // Cut short: ignored and rewritten.
    writeFileSync(file, stored.subarray(0, 40));
    expect(build(env, path.join(tmp, 'd')).equals(fresh)).toBe(true);
    expect(readFileSync(file).length).toBeGreaterThan(100_000);
  });

  it('keeps one file per kind of run, and each gives the same output as no cache', () => {
    const dir = path.join(tmp, 'kinds');
    const env = { DATAKLAUSUL_CACHE_DIR: dir };
    const md = build({ DATAKLAUSUL_CACHE: 'off' }, path.join(tmp, 'k-off'), 'md');
    expect(build(env, path.join(tmp, 'k1'), 'md').equals(md)).toBe(true);
    expect(codeFiles(dir)).toHaveLength(1);
    build(env, path.join(tmp, 'k2'), 'docx');
    expect(codeFiles(dir)).toHaveLength(2);
    expect(build(env, path.join(tmp, 'k3'), 'md').equals(md)).toBe(true);
    expect(codeFiles(dir)).toHaveLength(2);
  });

  it('is not written with DATAKLAUSUL_CACHE=off', () => {
    const dir = path.join(tmp, 'off-dir');
    build({ DATAKLAUSUL_CACHE: 'off', DATAKLAUSUL_CACHE_DIR: dir }, path.join(tmp, 'off2'));
    expect(() => readdirSync(dir)).toThrow();
  });
});

describe('runBundle', () => {
  /** A stand-in bundle: a CommonJS file whose `main` returns a number, with its digest beside it. */
  const fake = (dir: string, answer: number, digest: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'dataklausul.cjs'), `exports.main = async (args) => ${answer} + args.length;\n`);
    // The same time stamp every time: only the digest tells these bundles apart.
    utimesSync(path.join(dir, 'dataklausul.cjs'), 1_700_000_000, 1_700_000_000);
    writeFileSync(path.join(dir, 'dataklausul.cjs.digest'), `${digest}\n`);
    return findBundle(dir);
  };

  it('never runs code compiled from another bundle of the same size', async () => {
    const dist = path.join(tmp, 'fake-dist');
    const env = { DATAKLAUSUL_CACHE_DIR: path.join(tmp, 'fake-cache') };
    expect(await runBundle(fake(dist, 40, 'a'.repeat(64)), ['x', 'y'], env)).toBe(42);
    expect(codeFiles(env.DATAKLAUSUL_CACHE_DIR)).toHaveLength(1);
    expect(await runBundle(fake(dist, 40, 'a'.repeat(64)), ['x', 'y'], env)).toBe(42);
    // Same length, other code, other digest: a new key, and the new code runs.
    expect(await runBundle(fake(dist, 50, 'b'.repeat(64)), ['x', 'y'], env)).toBe(52);
    expect(codeFiles(env.DATAKLAUSUL_CACHE_DIR)).toHaveLength(2);
  });

  it('says how to make the bundle when it or its digest is missing or damaged', () => {
    const dist = path.join(tmp, 'no-dist');
    mkdirSync(dist, { recursive: true });
    expect(() => findBundle(dist)).toThrow(/npm run build/);
    writeFileSync(path.join(dist, 'dataklausul.cjs'), 'exports.main = async () => 0;\n');
    writeFileSync(path.join(dist, 'dataklausul.cjs.digest'), 'not a digest\n');
    expect(() => findBundle(dist)).toThrow(/damaged.*npm run build/);
  });
});
