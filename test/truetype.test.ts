import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FONT_FILES } from '../src/render/pdf/fonts.js';
import { componentsOf, subsetFont, tableChecksum, TrueTypeFont } from '../src/render/pdf/truetype.js';
import { hasCommand, requireTool, ROOT } from './support/tools.js';

/** fontkit, as an independent reader of the same fonts (a dev dependency only). */
interface FontkitFont {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  italicAngle: number;
  postscriptName: string;
  characterSet: number[];
  numGlyphs: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  post: { isFixedPitch: number };
  head: { macStyle: { italic: boolean } };
  glyphForCodePoint(cp: number): { id: number };
  hmtx: { metrics: { length: number; get(i: number): { advance: number } } };
}
const fontkit = createRequire(import.meta.url)('@pdf-lib/fontkit') as { create(b: Buffer): FontkitFont };

const FACES = Object.entries(FONT_FILES);
const bytesOf = (file: string) => new Uint8Array(readFileSync(path.join(ROOT, 'templates', 'fonts', file)));
const tmp = mkdtempSync(path.join(tmpdir(), 'dk-truetype-'));

describe.each(FACES)('%s (%s) read by our parser', (_face, file) => {
  const bytes = bytesOf(file);
  const ours = new TrueTypeFont(bytes);
  const theirs = fontkit.create(Buffer.from(bytes));

  it('has the same metrics and names as fontkit reads', () => {
    expect(ours.unitsPerEm).toBe(theirs.unitsPerEm);
    expect(ours.ascent).toBe(theirs.ascent);
    expect(ours.descent).toBe(theirs.descent);
    expect(ours.italicAngle).toBe(theirs.italicAngle);
    expect(ours.postscriptName).toBe(theirs.postscriptName);
    expect(ours.numGlyphs).toBe(theirs.numGlyphs);
    expect(ours.bbox).toEqual({ minX: theirs.bbox.minX, minY: theirs.bbox.minY, maxX: theirs.bbox.maxX, maxY: theirs.bbox.maxY });
    expect(ours.isFixedPitch).toBe(Boolean(theirs.post.isFixedPitch));
    expect(ours.isItalic).toBe(theirs.head.macStyle.italic);
  });

  it('maps every code point of the cmap to the glyph and advance fontkit gives', () => {
    const metrics = theirs.hmtx.metrics;
    const differ: string[] = [];
    for (const cp of theirs.characterSet) {
      const id = theirs.glyphForCodePoint(cp).id;
      const advance = metrics.get(Math.min(id, metrics.length - 1)).advance;
      if (ours.glyphOf(cp) !== id || ours.advanceOf(ours.glyphOf(cp)) !== advance) differ.push(cp.toString(16));
    }
    expect(theirs.characterSet.length).toBeGreaterThan(3000);
    expect(differ).toEqual([]);
    // Code points the font lacks (and lone surrogates) are .notdef.
    for (const cp of [0x4e2d, 0xd800, 0x10ffff, 0x1f600]) expect(ours.glyphOf(cp)).toBe(theirs.glyphForCodePoint(cp).id);
  });

  it('finds the same glyph through its format 4 (BMP) subtable as through format 12, for every BMP code point', () => {
    const tables = ours.cmapSubtables();
    const bmp = tables.find((t) => t.platform === 3 && t.encoding === 1 && t.format === 4)!;
    const full = tables.find((t) => t.platform === 3 && t.encoding === 10 && t.format === 12)!;
    expect(bmp && full).toBeTruthy();
    const differ: string[] = [];
    let mapped = 0;
    for (let cp = 0; cp <= 0xffff; cp++) {
      const g = full.lookup(cp);
      if (g) mapped++;
      if (bmp.lookup(cp) !== g) differ.push(cp.toString(16));
    }
    expect(mapped).toBeGreaterThan(3000);
    expect(differ).toEqual([]);
  });
});

/** The glyph indices of a subset's composites, read back from the subset itself. */
function componentGlyphs(font: TrueTypeFont): number[] {
  const out: number[] = [];
  for (let g = 0; g < font.numGlyphs; g++) for (const c of componentsOf(font.glyphData(g))) out.push(c.glyph);
  return out;
}

describe('subsetFont', () => {
  const full = new TrueTypeFont(bytesOf(FONT_FILES.regular));
  const text = 'Leverandøren skal på forespørsel utlevere dataene – «også» ÆØÅ é!';
  const used = [...new Set(Array.from(text, (ch) => full.glyphOf(ch.codePointAt(0)!)))];

  it('numbers .notdef 0, the used glyphs 1..k in first-use order, then the components of composites', () => {
    const { glyphs, font } = subsetFont(full, used);
    expect(glyphs.slice(0, used.length + 1)).toEqual([0, ...used]);
    expect(new Set(glyphs).size).toBe(glyphs.length);
    // å, ø, é, Æ… are composites in DejaVu: their components come along, renumbered.
    const aring = full.glyphOf(0xe5);
    const parts = componentsOf(full.glyphData(aring)).map((c) => c.glyph);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(glyphs).toContain(p);
    const sub = new TrueTypeFont(font);
    expect(sub.numGlyphs).toBe(glyphs.length);
    const newAring = glyphs.indexOf(aring);
    expect(componentsOf(sub.glyphData(newAring)).map((c) => glyphs[c.glyph])).toEqual(parts);
    // Every component index in the subset points inside it.
    for (const c of componentGlyphs(sub)) expect(c).toBeLessThan(glyphs.length);
    // Outlines and metrics are the original's, glyph by glyph (composites apart from the indices).
    glyphs.forEach((g, i) => {
      expect(sub.advanceOf(i)).toBe(full.advanceOf(g));
      expect(sub.leftBearingOf(i)).toBe(full.leftBearingOf(g));
      if (!componentsOf(full.glyphData(g)).length) expect(Buffer.from(sub.glyphData(i)).equals(Buffer.from(full.glyphData(g)))).toBe(true);
    });
  });

  it('writes correct table checksums, 4-byte aligned tables and checkSumAdjustment', () => {
    const { font } = subsetFont(full, used);
    const v = new DataView(font.buffer, font.byteOffset, font.byteLength);
    const n = v.getUint16(4);
    const tags: string[] = [];
    let headAt = -1;
    for (let i = 0; i < n; i++) {
      const r = 12 + 16 * i;
      const tag = String.fromCharCode(...font.subarray(r, r + 4));
      tags.push(tag);
      const offset = v.getUint32(r + 8);
      const length = v.getUint32(r + 12);
      expect(offset % 4, tag).toBe(0);
      const bytes = font.slice(offset, offset + length);
      if (tag === 'head') {
        headAt = offset;
        new DataView(bytes.buffer).setUint32(8, 0);
      }
      expect(v.getUint32(r + 4), tag).toBe(tableChecksum(bytes));
    }
    expect(tags).toEqual([...tags].sort());
    expect(tags).toEqual(['cvt ', 'fpgm', 'glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp', 'prep']);
    expect(font.length % 4).toBe(0);
    // The whole file sums to 0xB1B0AFBA with the adjustment in place.
    expect(tableChecksum(font)).toBe(0xb1b0afba);
    expect(headAt).toBeGreaterThan(0);
  });

  it('sums a table as big-endian 32-bit words modulo 2^32, the last one zero-padded (as the format defines it)', () => {
    const byWords = (b: Uint8Array) => {
      let sum = 0n;
      for (let i = 0; i < b.length; i += 4) sum += BigInt(((b[i] ?? 0) * 2 ** 24) + ((b[i + 1] ?? 0) << 16) + ((b[i + 2] ?? 0) << 8) + (b[i + 3] ?? 0));
      return Number(sum % 2n ** 32n);
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => tableChecksum(b) === byWords(b)));
    expect(tableChecksum(new Uint8Array(40000).fill(0xff))).toBe(byWords(new Uint8Array(40000).fill(0xff)));
    expect(tableChecksum(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1]))).toBe(0);
  });

  it('leaves the font it reads untouched (also when it is a Node Buffer, whose slice() shares memory)', () => {
    const buffer = readFileSync(path.join(ROOT, 'templates', 'fonts', FONT_FILES.regular));
    const before = Buffer.from(buffer);
    const font = new TrueTypeFont(buffer);
    const a = subsetFont(font, used).font;
    expect(buffer.equals(before)).toBe(true);
    expect(Buffer.from(subsetFont(font, used).font).equals(Buffer.from(a))).toBe(true);
    expect(new TrueTypeFont(a).numGlyphs).toBe(subsetFont(full, used).glyphs.length);
  });

  it('is deterministic, and differs when the glyphs or their order differ', () => {
    const a = subsetFont(full, used).font;
    expect(Buffer.from(subsetFont(new TrueTypeFont(bytesOf(FONT_FILES.regular)), used).font).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(subsetFont(full, [...used].reverse()).font).equals(Buffer.from(a))).toBe(false);
  });

  it('is read by fontconfig (fc-scan) and by fontkit as a font with the subset glyphs', () => {
    const { glyphs, font } = subsetFont(full, used);
    const back = fontkit.create(Buffer.from(font));
    expect(back.numGlyphs).toBe(glyphs.length);
    expect(back.hmtx.metrics.get(1).advance).toBe(full.advanceOf(glyphs[1]!));
    if (!requireTool('fc-scan', hasCommand('fc-scan'))) return;
    const file = path.join(tmp, 'subset.ttf');
    writeFileSync(file, font);
    const r = spawnSync('fc-scan', ['--format', '%{fontformat}|%{fontversion}\n', file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^TrueType\|\d+$/);
  });
});
