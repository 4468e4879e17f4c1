/**
 * A TrueType reader and subsetter for the fonts the PDF renderer ships (DejaVu), written for what
 * the renderer needs and nothing more: the metrics of a code point's glyph, the values of a PDF
 * FontDescriptor, and a subset font program (FontFile2) of the glyphs a document draws.
 *
 * Opening a font reads the table directory and a few fixed fields; the cmap is searched per code
 * point (and remembered), glyph data is only touched when a subset is written. Fonts are parsed
 * once per process and shared by every render, so nothing here keeps per-document state.
 */

export class TrueTypeError extends Error {}

interface Table {
  offset: number;
  length: number;
}

/** One subtable of the cmap, searched by code point. */
export type CmapLookup = (codePoint: number) => number;

const u16 = (d: DataView, o: number) => d.getUint16(o);
const i16 = (d: DataView, o: number) => d.getInt16(o);
const u32 = (d: DataView, o: number) => d.getUint32(o);

export class TrueTypeFont {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly tables = new Map<string, Table>();
  readonly unitsPerEm: number;
  /** hhea ascender and descender (as fontkit reports `ascent`/`descent`), in font units. */
  readonly ascent: number;
  readonly descent: number;
  readonly bbox: { minX: number; minY: number; maxX: number; maxY: number };
  /** head.indexToLocFormat: 0 short offsets, 1 long. */
  private readonly longLoca: boolean;
  readonly numGlyphs: number;
  private readonly numberOfHMetrics: number;
  private readonly hmtx: number;
  /** post.italicAngle in degrees (16.16 fixed). */
  readonly italicAngle: number;
  readonly isFixedPitch: boolean;
  /** head.macStyle bit 1. */
  readonly isItalic: boolean;
  /** OS/2 sFamilyClass (0 when there is no OS/2 table). */
  readonly familyClass: number;
  /** OS/2 usWeightClass (400 when there is no OS/2 table). */
  readonly weightClass: number;
  readonly postscriptName: string;
  private cmap: CmapLookup | undefined;
  private readonly glyphs = new Map<number, number>();

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const d = this.view;
    if (bytes.byteLength < 12) throw new TrueTypeError('not a TrueType font: too short');
    const version = u32(d, 0);
    if (version !== 0x00010000 && version !== 0x74727565) throw new TrueTypeError(`not a TrueType font (version 0x${version.toString(16)})`);
    const count = u16(d, 4);
    for (let i = 0; i < count; i++) {
      const at = 12 + 16 * i;
      const tag = String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
      const offset = u32(d, at + 8);
      const length = u32(d, at + 12);
      if (offset + length > bytes.byteLength) throw new TrueTypeError(`table ${tag} runs past the end of the font`);
      this.tables.set(tag, { offset, length });
    }
    const head = this.table('head').offset;
    this.unitsPerEm = u16(d, head + 18);
    this.bbox = { minX: i16(d, head + 36), minY: i16(d, head + 38), maxX: i16(d, head + 40), maxY: i16(d, head + 42) };
    this.isItalic = (u16(d, head + 44) & 2) !== 0;
    this.longLoca = i16(d, head + 50) === 1;
    const hhea = this.table('hhea').offset;
    this.ascent = i16(d, hhea + 4);
    this.descent = i16(d, hhea + 6);
    this.numberOfHMetrics = u16(d, hhea + 34);
    this.numGlyphs = u16(d, this.table('maxp').offset + 4);
    this.hmtx = this.table('hmtx').offset;
    const post = this.tables.get('post');
    this.italicAngle = post ? d.getInt32(post.offset + 4) / 65536 : 0;
    this.isFixedPitch = post ? u32(d, post.offset + 12) !== 0 : false;
    const os2 = this.tables.get('OS/2');
    this.familyClass = os2 ? i16(d, os2.offset + 30) : 0;
    this.weightClass = os2 ? u16(d, os2.offset + 4) : 400;
    this.postscriptName = this.readPostscriptName();
  }

  private table(tag: string): Table {
    const t = this.tables.get(tag);
    if (!t) throw new TrueTypeError(`the font has no ${tag} table`);
    return t;
  }

  hasTable(tag: string): boolean {
    return this.tables.has(tag);
  }

  /** The bytes of a table as stored in the font. */
  tableBytes(tag: string): Uint8Array | undefined {
    const t = this.tables.get(tag);
    return t && this.bytes.subarray(t.offset, t.offset + t.length);
  }

  /** The glyph the cmap maps a code point to; 0 (.notdef) when there is none. */
  glyphOf(codePoint: number): number {
    let g = this.glyphs.get(codePoint);
    if (g === undefined) {
      this.cmap ??= this.readCmap();
      g = this.cmap(codePoint);
      if (g >= this.numGlyphs) g = 0;
      this.glyphs.set(codePoint, g);
    }
    return g;
  }

  /** Advance width of a glyph in font units (the last hmtx advance repeats, as the format says). */
  advanceOf(glyph: number): number {
    const i = glyph < this.numberOfHMetrics ? glyph : this.numberOfHMetrics - 1;
    return u16(this.view, this.hmtx + 4 * i);
  }

  /** Left side bearing of a glyph in font units. */
  leftBearingOf(glyph: number): number {
    if (glyph < this.numberOfHMetrics) return i16(this.view, this.hmtx + 4 * glyph + 2);
    return i16(this.view, this.hmtx + 4 * this.numberOfHMetrics + 2 * (glyph - this.numberOfHMetrics));
  }

  /** The glyph's outline data in the glyf table (empty for a glyph without contours). */
  glyphData(glyph: number): Uint8Array {
    const loca = this.table('loca').offset;
    const glyf = this.table('glyf');
    const at = (i: number) => (this.longLoca ? u32(this.view, loca + 4 * i) : 2 * u16(this.view, loca + 2 * i));
    const start = at(glyph);
    const end = at(glyph + 1);
    if (end < start || end > glyf.length) throw new TrueTypeError(`glyph ${glyph} lies outside the glyf table`);
    return this.bytes.subarray(glyf.offset + start, glyf.offset + end);
  }

  /** yMax of a glyph's bounding box (0 for an empty glyph). */
  glyphTop(glyph: number): number {
    const data = this.glyphData(glyph);
    return data.length >= 10 ? (data[8]! << 24) >> 16 | data[9]! : 0;
  }

  /**
   * Cap height for the FontDescriptor: OS/2 sCapHeight where the table has it (version ≥ 2),
   * else the top of the glyph of "H" (DejaVu's OS/2 is version 1), else the ascent.
   */
  get capHeight(): number {
    const os2 = this.tables.get('OS/2');
    if (os2 && u16(this.view, os2.offset) >= 2 && os2.length >= 90) return i16(this.view, os2.offset + 88);
    const h = this.glyphOf(0x48);
    return h ? this.glyphTop(h) : this.ascent;
  }

  private readPostscriptName(): string {
    const name = this.tables.get('name');
    if (!name) return 'Font';
    const d = this.view;
    const base = name.offset;
    const count = u16(d, base + 2);
    const strings = base + u16(d, base + 4);
    let mac: string | undefined;
    for (let i = 0; i < count; i++) {
      const r = base + 6 + 12 * i;
      const platform = u16(d, r);
      const encoding = u16(d, r + 2);
      const id = u16(d, r + 6);
      if (id !== 6) continue;
      const length = u16(d, r + 8);
      const offset = strings + u16(d, r + 10);
      if (platform === 3 && (encoding === 1 || encoding === 0)) {
        let s = '';
        for (let j = 0; j + 1 < length; j += 2) s += String.fromCharCode(u16(d, offset + j));
        return s;
      }
      if (platform === 1 && encoding === 0 && mac === undefined) mac = String.fromCharCode(...this.bytes.subarray(offset, offset + length));
    }
    return mac ?? 'Font';
  }

  /** The Unicode subtables of the cmap that this reader can search (formats 4 and 12), in table order. */
  cmapSubtables(): Array<{ platform: number; encoding: number; format: number; lookup: CmapLookup }> {
    const d = this.view;
    const cmap = this.table('cmap').offset;
    const count = u16(d, cmap + 2);
    const out: Array<{ platform: number; encoding: number; format: number; lookup: CmapLookup }> = [];
    for (let i = 0; i < count; i++) {
      const r = cmap + 4 + 8 * i;
      const at = cmap + u32(d, r + 4);
      const format = u16(d, at);
      if (format === 12 || format === 4) out.push({ platform: u16(d, r), encoding: u16(d, r + 2), format, lookup: format === 12 ? this.format12(at) : this.format4(at) });
    }
    return out;
  }

  /** The Unicode subtable fontkit would pick: full repertoire (format 12) first, then BMP (format 4). */
  private readCmap(): CmapLookup {
    const subtables = this.cmapSubtables();
    for (const [platform, encoding] of [[3, 10], [0, 6], [0, 4], [3, 1], [0, 3], [0, 2], [0, 1], [0, 0]]) {
      const t = subtables.find((s) => s.platform === platform && s.encoding === encoding);
      if (t) return t.lookup;
    }
    throw new TrueTypeError('the font has no Unicode cmap of format 4 or 12');
  }

  private format12(at: number): CmapLookup {
    const d = this.view;
    const groups = u32(d, at + 12);
    const first = at + 16;
    return (cp) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const g = first + 12 * mid;
        if (cp < u32(d, g)) hi = mid - 1;
        else if (cp > u32(d, g + 4)) lo = mid + 1;
        else return u32(d, g + 8) + (cp - u32(d, g));
      }
      return 0;
    };
  }

  private format4(at: number): CmapLookup {
    const d = this.view;
    const segments = u16(d, at + 6) / 2;
    const ends = at + 14;
    const starts = ends + 2 * segments + 2;
    const deltas = starts + 2 * segments;
    const ranges = deltas + 2 * segments;
    return (cp) => {
      if (cp > 0xffff) return 0;
      let lo = 0;
      let hi = segments - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (cp > u16(d, ends + 2 * mid)) lo = mid + 1;
        else if (mid > 0 && cp <= u16(d, ends + 2 * (mid - 1))) hi = mid - 1;
        else {
          const start = u16(d, starts + 2 * mid);
          if (cp < start) return 0;
          const delta = u16(d, deltas + 2 * mid);
          const range = u16(d, ranges + 2 * mid);
          if (range === 0) return (cp + delta) & 0xffff;
          const g = u16(d, ranges + 2 * mid + range + 2 * (cp - start));
          return g === 0 ? 0 : (g + delta) & 0xffff;
        }
      }
      return 0;
    };
  }
}

/* ---------------------------------------------------------------- subsetting */

const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** Where the component glyph indices of a composite glyph are (byte offsets into its data). */
export function componentsOf(data: Uint8Array): Array<{ at: number; glyph: number }> {
  if (data.length < 10 || ((data[0]! << 8) | data[1]!) < 0x8000) return [];
  const out: Array<{ at: number; glyph: number }> = [];
  let p = 10;
  for (;;) {
    if (p + 4 > data.length) throw new TrueTypeError('composite glyph runs past its end');
    const flags = (data[p]! << 8) | data[p + 1]!;
    out.push({ at: p + 2, glyph: (data[p + 2]! << 8) | data[p + 3]! });
    p += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) p += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) p += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) p += 8;
    if (!(flags & MORE_COMPONENTS)) return out;
  }
}

// Copies are made with `new Uint8Array(view)`: the font may be a Node Buffer, whose slice() shares memory.

/** A font subset: its glyphs renumbered 0..n-1 (.notdef first), and the TrueType file. */
export interface Subset {
  /** Original glyph index of each new glyph index. */
  glyphs: number[];
  /** The subset's TrueType program. */
  font: Uint8Array;
}

/** The TrueType table checksum: the sum of its big-endian 32-bit words, the last one zero-padded. */
export function tableChecksum(bytes: Uint8Array): number {
  // The high and low halves of the words are summed apart (each sum stays far below 2^53) and
  // combined modulo 2^32 at the end: fewer operations per word than composing each word.
  let hi = 0;
  let lo = 0;
  const whole = bytes.length & ~3;
  for (let i = 0; i < whole; i += 4) {
    hi += (bytes[i]! << 8) | bytes[i + 1]!;
    lo += (bytes[i + 2]! << 8) | bytes[i + 3]!;
  }
  let sum = ((hi % 0x10000) * 0x10000 + lo) % 0x100000000;
  if (whole < bytes.length) {
    let last = 0;
    for (let i = whole; i < whole + 4; i++) last = (last << 8) | (i < bytes.length ? bytes[i]! : 0);
    sum = (sum + (last >>> 0)) % 0x100000000;
  }
  return sum;
}

/** The tables a subset carries, as fontkit's subsets do (enough for a PDF FontFile2). */
const SUBSET_TABLES = ['head', 'hhea', 'loca', 'maxp', 'cvt ', 'prep', 'glyf', 'hmtx', 'fpgm'] as const;

/**
 * Writes a subset of `font` with `used` (original glyph indices, in the order the document first
 * drew them): .notdef becomes glyph 0, the used glyphs 1..k in that order, and the components of
 * composite glyphs (DejaVu builds å, é, ø from a base letter and a mark) follow, with the
 * composites' component indices rewritten to the new numbers. Same glyphs in, same bytes out.
 */
export function subsetFont(font: TrueTypeFont, used: readonly number[]): Subset {
  const glyphs = [0];
  const index = new Map<number, number>([[0, 0]]);
  const include = (g: number): number => {
    let n = index.get(g);
    if (n === undefined) {
      n = glyphs.length;
      index.set(g, n);
      glyphs.push(g);
    }
    return n;
  };
  for (const g of used) include(g);

  const pieces: Uint8Array[] = [];
  const offsets: number[] = [0];
  let size = 0;
  // `glyphs` grows while it is walked: components are appended and visited in turn.
  for (let i = 0; i < glyphs.length; i++) {
    let data = font.glyphData(glyphs[i]!);
    const components = componentsOf(data);
    if (components.length) {
      data = new Uint8Array(data);
      for (const c of components) {
        const n = include(c.glyph);
        data[c.at] = n >> 8;
        data[c.at + 1] = n & 0xff;
      }
    }
    // Each glyph starts on a 4-byte boundary.
    const padded = (data.length + 3) & ~3;
    pieces.push(data);
    size += padded;
    offsets.push(size);
  }
  const n = glyphs.length;

  const glyf = new Uint8Array(size);
  let at = 0;
  pieces.forEach((p, i) => {
    glyf.set(p, at);
    at = offsets[i + 1]!;
  });
  const loca = new Uint8Array(4 * (n + 1));
  const locaView = new DataView(loca.buffer);
  offsets.forEach((o, i) => locaView.setUint32(4 * i, o));
  const hmtx = new Uint8Array(4 * n);
  const hmtxView = new DataView(hmtx.buffer);
  glyphs.forEach((g, i) => {
    hmtxView.setUint16(4 * i, font.advanceOf(g));
    hmtxView.setInt16(4 * i + 2, font.leftBearingOf(g));
  });
  const head = new Uint8Array(font.tableBytes('head')!);
  const headView = new DataView(head.buffer);
  headView.setUint32(8, 0); // checkSumAdjustment, set below
  headView.setInt16(50, 1); // indexToLocFormat: long offsets
  const hhea = new Uint8Array(font.tableBytes('hhea')!);
  new DataView(hhea.buffer).setUint16(34, n);
  const maxp = new Uint8Array(font.tableBytes('maxp')!);
  new DataView(maxp.buffer).setUint16(4, n);

  const content: Record<string, Uint8Array> = { head, hhea, loca, maxp, glyf, hmtx };
  for (const tag of ['cvt ', 'prep', 'fpgm']) {
    const t = font.tableBytes(tag);
    if (t) content[tag] = t;
  }
  const tags = SUBSET_TABLES.filter((t) => content[t]).sort();
  const numTables = tags.length;
  let searchRange = 1;
  let entrySelector = 0;
  while (searchRange * 2 <= numTables) {
    searchRange *= 2;
    entrySelector++;
  }
  let total = 12 + 16 * numTables;
  const placed = tags.map((tag) => {
    const bytes = content[tag]!;
    const offset = total;
    total += (bytes.length + 3) & ~3;
    return { tag, bytes, offset };
  });
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x00010000);
  v.setUint16(4, numTables);
  v.setUint16(6, searchRange * 16);
  v.setUint16(8, entrySelector);
  v.setUint16(10, numTables * 16 - searchRange * 16);
  let headOffset = 0;
  placed.forEach(({ tag, bytes, offset }, i) => {
    const r = 12 + 16 * i;
    for (let j = 0; j < 4; j++) out[r + j] = tag.charCodeAt(j);
    v.setUint32(r + 4, tableChecksum(bytes));
    v.setUint32(r + 8, offset);
    v.setUint32(r + 12, bytes.length);
    out.set(bytes, offset);
    if (tag === 'head') headOffset = offset;
  });
  v.setUint32(headOffset + 8, (0xb1b0afba - tableChecksum(out)) >>> 0);
  return { glyphs, font: out };
}
