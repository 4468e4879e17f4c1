import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FONTKIT_EAGER_DICTIONARY, FONTKIT_LAZY_DICTIONARY, patchFontkit } from '../src/render/pdf/lib.js';
import { ROOT, runCli } from './support/tools.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-code-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const codeFiles = (dir: string) => readdirSync(dir).filter((n) => /^code-[0-9a-f]{64}\.bin$/.test(n)).sort();

describe("fontkit's Brotli dictionary, decompressed when first read", () => {
  const source = readFileSync(createRequire(import.meta.url).resolve('@pdf-lib/fontkit/dist/fontkit.umd.min.js'), 'utf8');

  it('is patched in the installed bundle (a fontkit update that moves the call shows here)', () => {
    const patched = patchFontkit(source);
    expect(source.split(FONTKIT_EAGER_DICTIONARY)).toHaveLength(2);
    expect(patched).not.toBe(source);
    expect(patched.split(FONTKIT_LAZY_DICTIONARY)).toHaveLength(2);
    expect(patched.length - source.length).toBe(FONTKIT_LAZY_DICTIONARY.length - FONTKIT_EAGER_DICTIONARY.length);
  });

  it('leaves a bundle alone where the call is missing or not unique', () => {
    expect(patchFontkit('var a=1;')).toBe('var a=1;');
    const twice = `${FONTKIT_EAGER_DICTIONARY}x${FONTKIT_EAGER_DICTIONARY}`;
    expect(patchFontkit(twice)).toBe(twice);
  });

  it('runs the same init once, on the first read, and then holds the plain value', () => {
    const calls: unknown[] = [];
    const Mv = (x: unknown) => x;
    const $g: { dictionary?: unknown; init(d: unknown): void } = {
      init(decompress) {
        calls.push(decompress);
        this.dictionary = 'decompressed';
      },
    };
    new Function('$g', 'Mv', FONTKIT_LAZY_DICTIONARY)($g, Mv);
    expect(calls).toHaveLength(0);
    expect($g.dictionary).toBe('decompressed');
    expect($g.dictionary).toBe('decompressed');
    expect(calls).toEqual([Mv]);
    expect(Object.getOwnPropertyDescriptor($g, 'dictionary')).toMatchObject({ value: 'decompressed', writable: true });
  });
});

describe('the PDF code cache', () => {
  const build = (env: NodeJS.ProcessEnv, out: string) => {
    const r = runCli(['build', path.join(ROOT, 'examples', 'cloud-hr.yaml'), '--format', 'pdf', '--out', out, '--force'], { env });
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(path.join(out, 'cloud-hr.pdf'));
  };

  it('is written after the first build, used by the next, and a corrupt or short file is ignored and rewritten', () => {
    const dir = path.join(tmp, 'cache');
    const env = { DATAKLAUSUL_CACHE_DIR: dir };
    const fresh = build({ DATAKLAUSUL_CACHE: 'off' }, path.join(tmp, 'off'));
    expect(build(env, path.join(tmp, 'a')).equals(fresh)).toBe(true);
    const files = codeFiles(dir);
    expect(files).toHaveLength(2);
    const stored = files.map((f) => readFileSync(path.join(dir, f)));
    // From the cache: same bytes, files untouched.
    expect(build(env, path.join(tmp, 'b')).equals(fresh)).toBe(true);
    expect(codeFiles(dir).map((f) => readFileSync(path.join(dir, f)))).toEqual(stored);
    // One byte of V8's code flipped in the first, the second cut short: both ignored, both rewritten.
    const flipped = Buffer.from(stored[0]!);
    const at = flipped.length - 100;
    flipped.writeUInt8(flipped.readUInt8(at) ^ 0xff, at);
    writeFileSync(path.join(dir, files[0]!), flipped);
    writeFileSync(path.join(dir, files[1]!), stored[1]!.subarray(0, 40));
    expect(build(env, path.join(tmp, 'c')).equals(fresh)).toBe(true);
    expect(codeFiles(dir)).toEqual(files);
    for (const f of files) expect(readFileSync(path.join(dir, f)).length).toBeGreaterThan(100_000);
    expect(readFileSync(path.join(dir, files[0]!)).equals(flipped)).toBe(false);
  });

  it('is not written with DATAKLAUSUL_CACHE=off', () => {
    const dir = path.join(tmp, 'off-dir');
    build({ DATAKLAUSUL_CACHE: 'off', DATAKLAUSUL_CACHE_DIR: dir }, path.join(tmp, 'off2'));
    expect(() => readdirSync(dir)).toThrow();
  });
});
