import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { DocumentModel } from '../../assemble/model.js';
import { msg } from '../../core/messages.js';
import { UserError } from '../../library/problems.js';
import { loadPdfAssets } from './fonts.js';
import { FONT_FACES, layoutPdf, type Colour, type FontFace, type FontMetrics, type PdfLayout } from './layout.js';
import { createFontMetrics, type MeasurableFont } from './metrics.js';
import { cidSet, writeLinks, writeMetadata, writeOutline, writeOutputIntent, type PdfMetadata } from './pdfa.js';
import { subsetFont, TrueTypeFont } from './truetype.js';
import { array, dict, name, num, PdfWriter, ref, textString } from './writer.js';

export { layoutPdf } from './layout.js';
export type { FontMetrics, PdfLayout } from './layout.js';

/** Bump when the layout or PDF structure changes: it is part of the trailer /ID digest. */
const RENDERER_VERSION = 'dataklausul-pdf/3';

/** Colours as DeviceRGB components (the output intent is sRGB, so PDF/A-1b allows them). */
const COLOURS: Record<Colour, readonly [number, number, number]> = {
  text: [0.08, 0.08, 0.08],
  muted: [0.36, 0.36, 0.36],
  heading: [0.06, 0.2, 0.38],
  link: [0.04, 0.3, 0.62],
  rule: [0.55, 0.55, 0.55],
  border: [0.5, 0.5, 0.5],
  headerFill: [0.9, 0.92, 0.95],
};

const colourOps = (op: 'rg' | 'RG') => Object.fromEntries(Object.entries(COLOURS).map(([c, rgb]) => [c, `${rgb.map(num).join(' ')} ${op}`])) as Record<Colour, string>;
/** The fill and stroke colour operators of each colour. */
const FILL = colourOps('rg');
const STROKE = colourOps('RG');

interface ShippedFonts {
  byFace: Record<FontFace, TrueTypeFont>;
  metrics: FontMetrics;
  /** The sRGB profile, deflated once. */
  icc: Uint8Array;
}
let shipped: ShippedFonts | undefined;

/**
 * The shipped fonts, parsed once per process with their measured widths, and the deflated ICC
 * profile: nothing in them depends on the document (the subsets are made per document from these
 * objects), so a batch of renders pays for parsing once.
 *
 * Text is mapped to glyphs through the cmap alone, one code point to one glyph, with no shaping
 * (no GSUB ligatures, no GPOS kerning): that is how the layout measures, and Latin, Nordic and the
 * punctuation we draw need no shaping.
 */
function shippedFonts(): ShippedFonts {
  if (!shipped) {
    const assets = loadPdfAssets();
    const byFace = Object.fromEntries(FONT_FACES.map((f) => [f, new TrueTypeFont(assets.fonts[f])])) as Record<FontFace, TrueTypeFont>;
    const measurable = (font: TrueTypeFont): MeasurableFont => ({
      unitsPerEm: font.unitsPerEm,
      ascent: font.ascent,
      descent: font.descent,
      advanceOf: (cp) => font.advanceOf(font.glyphOf(cp)),
    });
    const metrics = createFontMetrics(Object.fromEntries(FONT_FACES.map((f) => [f, measurable(byFace[f])])) as Record<FontFace, MeasurableFont>);
    shipped = { byFace, metrics, icc: deflateSync(assets.srgbProfile) };
  }
  return shipped;
}

/** Six capital letters from a digest: the subset tag of a font name (e.g. `KQWJNA+DejaVuSans`). */
function subsetTag(digest: string, face: FontFace): string {
  const h = createHash('sha256').update(digest).update(face).digest();
  return Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
}

/** Metrics of the shipped fonts, as `renderPdf` measures with (for tests and tools). */
export function shippedFontMetrics(): FontMetrics {
  return shippedFonts().metrics;
}

/** Where a model text came from, as the user knows it: the answers field or the clause. */
function fieldOf(path: ReadonlyArray<string | number>, model: DocumentModel): string {
  const [top, a, b, c, d] = path;
  if (top === 'title') {
    const names: Record<string, string> = { buyer: 'buyer.name', orgNumber: 'buyer.orgNumber', procurementTitle: 'procurement.title', reference: 'procurement.reference', description: 'procurement.description', appendixLabel: 'procurement.appendixLabel', contractType: 'procurement.contractType' };
    if (a === 'members') return `buyer.members[${String(b)}].${String(c)}`;
    if (a === 'partnership') return b === 'host' ? 'buyer.partnership.host' : `buyer.partnership.${String(b)}`;
    return names[String(a)] ?? `title.${String(a)}`;
  }
  if (top === 'header') return 'buyer.name / procurement.reference';
  // parts.<p>.sections.<s>.clauses.<c>…, parts.<p>.requirements.rows.<r>…
  const e = path[5];
  const f = path[6];
  if (top === 'parts' && typeof a === 'number' && b === 'sections' && typeof c === 'number' && d === 'clauses' && typeof e === 'number') {
    const clause = model.parts[a]?.sections[c]?.clauses[e];
    if (clause) return `${model.parts[a]!.label}: clause ${clause.number} ${clause.id}${f === 'title' ? ' (title)' : ''}`;
  }
  if (top === 'parts' && typeof a === 'number' && b === 'requirements' && c === 'rows' && typeof d === 'number') return `requirement ${model.parts[a]?.requirements?.rows[d]?.id ?? d}`;
  return path.join('.');
}

const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

/** Whether a character needs no glyph: controls, white space, variation selectors, the zero-width joiner. */
function needsNoGlyph(cp: number, ch: string): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || /\s/u.test(ch) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x200d;
}

/**
 * The quick answer for the usual document: every distinct character of the model's JSON (a few
 * hundred, found natively, where walking the model visits every character of every text) is
 * drawable. JSON's escapes are ASCII, so a lone surrogate (escaped as \udXXX) sends the model to
 * the full walk, as does any undrawable character, even one in a field that is never drawn: the
 * walk decides and names the field.
 */
function allDrawable(json: string, fonts: readonly TrueTypeFont[]): boolean {
  if (/\\u[dD][89a-fA-F]/.test(json)) return false;
  const drawable = (ch: string): boolean => {
    const cp = ch.codePointAt(0)!;
    return needsNoGlyph(cp, ch) || (!RTL.test(ch) && fonts.every((f) => f.glyphOf(cp) !== 0));
  };
  // Printable ASCII is checked as a whole, present or not (95 characters; a false answer only
  // sends the model to the walk); what is left of the text once a native regular expression has
  // dropped it is the few non-ASCII letters and marks, whose distinct characters are checked.
  for (let c = 0x20; c < 0x7f; c++) if (!drawable(String.fromCharCode(c))) return false;
  for (const ch of new Set(json.replace(/[\x20-\x7e]+/g, ''))) if (!drawable(ch)) return false;
  return true;
}

/**
 * Stops the build before anything is written when a text holds a character the shipped fonts
 * cannot draw (it would print as an empty box) or right-to-left script (it would be drawn
 * backwards: the layout does not reorder bidirectional text). Names the field and the character.
 */
function assertDrawable(model: DocumentModel, fonts: readonly TrueTypeFont[], json: string): void {
  if (allDrawable(json, fonts)) return;
  const skip = new Set(['href', 'keywords', 'digest', 'lang', 'langTag', 'modelVersion']);
  // Code points already found drawable: most texts repeat the same few letters.
  const fine = new Set<number>();
  const visit = (v: unknown, path: Array<string | number>): void => {
    if (typeof v === 'string') {
      for (const ch of v) {
        const cp = ch.codePointAt(0)!;
        if (fine.has(cp)) continue;
        fine.add(cp);
        if (needsNoGlyph(cp, ch)) continue;
        const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
        if (RTL.test(ch)) throw new UserError(msg('error.pdfRtl', { field: fieldOf(path, model), char: ch, code }));
        if (fonts.some((f) => f.glyphOf(cp) === 0)) throw new UserError(msg('error.pdfGlyph', { field: fieldOf(path, model), char: ch, code }));
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (!skip.has(k)) visit(x, [...path, k]);
  };
  visit(model, []);
}

function metadataOf(model: DocumentModel): PdfMetadata {
  const t = model.title;
  const [y, m, d] = t.date.split('-').map(Number) as [number, number, number];
  const tool = `${model.provenance.tool.name} ${model.provenance.tool.version}`;
  return {
    title: `${t.appendixLabel}: ${t.heading} – ${t.procurementTitle}`,
    author: t.buyer,
    subject: `${t.heading} – ${t.procurementTitle} (${t.reference})`,
    keywords: model.keywords.join(', '),
    creator: tool,
    producer: tool,
    date: new Date(Date.UTC(y, m - 1, d)),
    langTag: model.langTag,
  };
}

/**
 * Each CID as the two bytes of its code in a literal string (Identity-H codes are the CID, high
 * byte first), as a latin1 string with the bytes a literal string cannot hold as they are
 * escaped: the parentheses and the backslash are delimiters, and a bare CR (or CR LF) would be
 * read as one LF. Shared by every document: they never change.
 */
const CODES: string[] = [];
const byteOf = (b: number): string =>
  b === 0x28 || b === 0x29 || b === 0x5c ? `\\${String.fromCharCode(b)}` : b === 0x0d ? '\\r' : b === 0x0a ? '\\n' : String.fromCharCode(b);
function codeOf(cid: number): string {
  while (CODES.length <= cid) CODES.push(byteOf(CODES.length >> 8) + byteOf(CODES.length & 0xff));
  return CODES[cid]!;
}

/**
 * One face's glyphs as one document draws them: each character gets the CID of its glyph in the
 * subset (1, 2, … in the order first drawn; .notdef stays 0), remembered as the string of its
 * code, so a line is encoded by one array load and one concatenation per character (measured in
 * Ignition: faster than writing the bytes into a buffer and reading them back as one string).
 */
class FaceEncoder {
  /**
   * The code by UTF-16 code unit below U+0800 (Latin, Greek, Cyrillic: a small array to make for
   * each face of each document); the rest of the BMP and surrogate pairs are looked up in `others`.
   */
  private readonly strings = new Array<string | undefined>(0x800);
  private readonly others = new Map<number, string>();
  private readonly cids = new Map<number, number>();
  /** Original glyph index of CID 1, 2, … */
  readonly glyphs: number[] = [];
  /** The text each CID stands for (the first character drawn with it), for the ToUnicode CMap. */
  readonly unicode: string[] = [];

  constructor(readonly font: TrueTypeFont) {}

  /** The text as the bytes of a literal string's contents (without the parentheses), in latin1. */
  encode(text: string): string {
    const strings = this.strings;
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const cp = text.codePointAt(i)!;
        i++;
        let code = this.others.get(cp);
        if (code === undefined) this.others.set(cp, (code = codeOf(this.cidOf(cp))));
        out += code;
      } else if (c < 0x800) {
        let code = strings[c];
        if (code === undefined) strings[c] = code = codeOf(this.cidOf(c));
        out += code;
      } else {
        let code = this.others.get(c);
        if (code === undefined) this.others.set(c, (code = codeOf(this.cidOf(c))));
        out += code;
      }
    }
    return out;
  }

  private cidOf(cp: number): number {
    const glyph = this.font.glyphOf(cp);
    let cid = glyph === 0 ? 0 : this.cids.get(glyph);
    if (cid === undefined) {
      this.glyphs.push(glyph);
      this.unicode.push(String.fromCodePoint(cp));
      cid = this.glyphs.length;
      this.cids.set(glyph, cid);
    }
    return cid;
  }
}

const utf16Hex = (s: string): string => {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
};

/** The ToUnicode CMap: each CID to the text it was drawn for, in blocks of at most 100 (the CMap limit). */
function toUnicodeCmap(unicode: readonly string[]): string {
  const blocks: string[] = [];
  for (let i = 0; i < unicode.length; i += 100) {
    const chunk = unicode.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfchar\n${chunk.map((u, j) => `<${(i + j + 1).toString(16).padStart(4, '0')}> <${utf16Hex(u)}>`).join('\n')}\nendbfchar`);
  }
  return `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <ffff>
endcodespacerange
${blocks.join('\n')}
endcmap
CMapName currentdict /CMap defineresource pop
end
end
`;
}

/** PDF font descriptor flags: fixed pitch, serif, symbolic (CIDFonts with Identity-H), script, italic. */
function fontFlags(font: TrueTypeFont): number {
  const c = font.familyClass >> 8;
  let flags = 1 << 2; // symbolic: the glyphs are addressed by CID, not by a standard encoding
  if (font.isFixedPitch) flags |= 1 << 0;
  if (c >= 1 && c <= 7) flags |= 1 << 1;
  if (c === 10) flags |= 1 << 3;
  if (font.isItalic || font.italicAngle !== 0) flags |= 1 << 6;
  return flags;
}

/**
 * Embeds a face as a Type0 font with Identity-H encoding over a CIDFontType2 whose program is the
 * subset of the glyphs drawn (CID = subset glyph index, CIDToGIDMap /Identity). /W, /CIDSet and
 * the ToUnicode CMap cover every glyph of the subset.
 */
function writeFont(w: PdfWriter, type0: number, enc: FaceEncoder, baseName: string): void {
  const font = enc.font;
  const subset = subsetFont(font, enc.glyphs);
  // Font units in text space units, exact (1000/2048 per unit: at most 8 decimals); readers place glyphs by /W.
  const units = (v: number) => String((v * 1000) / font.unitsPerEm);
  const file = w.stream({ Length1: String(subset.font.length) }, subset.font);
  const set = w.stream({}, cidSet(subset.glyphs.length));
  const { minX, minY, maxX, maxY } = font.bbox;
  // StemV is not in a TrueType font; estimated from the weight class (50 + (weight / 65)²), as other PDF writers do.
  const stemV = Math.round(50 + (font.weightClass / 65) ** 2);
  const descriptor = w.add(
    dict({
      Type: '/FontDescriptor',
      FontName: name(baseName),
      Flags: String(fontFlags(font)),
      FontBBox: array([minX, minY, maxX, maxY].map(units)),
      ItalicAngle: num(font.italicAngle),
      Ascent: units(font.ascent),
      Descent: units(font.descent),
      CapHeight: units(font.capHeight),
      StemV: String(stemV),
      FontFile2: ref(file),
      CIDSet: ref(set),
    }),
  );
  const widths = subset.glyphs.map((g) => units(font.advanceOf(g)));
  const cidFont = w.add(
    dict({
      Type: '/Font',
      Subtype: '/CIDFontType2',
      BaseFont: name(baseName),
      CIDSystemInfo: dict({ Registry: '(Adobe)', Ordering: '(Identity)', Supplement: '0' }),
      FontDescriptor: ref(descriptor),
      W: `[0 ${array(widths)}]`,
      CIDToGIDMap: '/Identity',
    }),
  );
  const toUnicode = w.stream({}, toUnicodeCmap(enc.unicode));
  w.set(type0, dict({ Type: '/Font', Subtype: '/Type0', BaseFont: name(baseName), Encoding: '/Identity-H', DescendantFonts: array([ref(cidFont)]), ToUnicode: ref(toUnicode) }));
}

/**
 * Renders the appendix as PDF/A-1b: lays it out with the real metrics of the shipped DejaVu
 * fonts, writes the PDF objects directly (fonts embedded as TrueType subsets), and adds what
 * PDF/A-1b and readers need: sRGB output intent, XMP metadata matching the Info dictionary,
 * bookmarks for every section and clause, /Lang, and a content-derived /ID, so the same model
 * always gives the same bytes.
 */
export async function renderPdf(model: DocumentModel): Promise<Uint8Array> {
  const { byFace, metrics, icc } = shippedFonts();
  const json = JSON.stringify(model);
  assertDrawable(model, [byFace.regular, byFace.bold], json);
  const layout = layoutPdf(model, metrics);
  const digest = createHash('sha256').update(RENDERER_VERSION).update('\0').update(json).digest('hex');

  const w = new PdfWriter();
  const catalog = w.alloc();
  const pagesRoot = w.alloc();
  const pageRefs = layout.pages.map(() => w.alloc());
  const used = new Set<FontFace>();
  for (const p of layout.pages) for (const l of p.lines) used.add(l.font);
  const faces = FONT_FACES.filter((f) => used.has(f));
  const fontRefs = new Map<FontFace, number>(faces.map((f) => [f, w.alloc()]));
  const encoders = new Map<FontFace, FaceEncoder>(faces.map((f) => [f, new FaceEncoder(byFace[f])]));
  const resourceNames = new Map<FontFace, string>(FONT_FACES.map((f, i) => [f, `F${i + 1}`]));
  const annots = writeLinks(w, layout, pageRefs);

  layout.pages.forEach((lp, pi) => {
    // One content stream per page: each face has one resource name, and the text is one BT block
    // in which font and colour change only when they must. Every line sets its position with a
    // full Tm: a Td move from the previous line would be shorter, but a reader adds the move to
    // its own position, and that sum is not always the double the absolute number parses to
    // (poppler's number parser is not correctly rounded), which moved glyphs by a sub-pixel step.
    let ops = '';
    for (const r of lp.rects) if (r.kind === 'fill') ops += `${FILL[r.colour]} ${num(r.x)} ${num(r.y)} ${num(r.w)} ${num(r.h)} re f\n`;
    for (const r of lp.rects) {
      if (r.kind === 'stroke') ops += `${STROKE[r.colour]} ${num(r.lineWidth ?? 0.5)} w ${num(r.x)} ${num(r.y)} ${num(r.w)} ${num(r.h)} re S\n`;
    }
    const usedHere = new Set<FontFace>();
    if (lp.lines.length) {
      ops += 'BT\n';
      let face: FontFace | '' = '';
      let size = NaN;
      let fill: Colour | '' = '';
      let encoder: FaceEncoder | undefined;
      for (const l of lp.lines) {
        if (l.font !== face || l.size !== size) {
          if (l.font !== face) {
            usedHere.add(l.font);
            encoder = encoders.get(l.font)!;
          }
          face = l.font;
          size = l.size;
          ops += `/${resourceNames.get(face)} ${num(size)} Tf\n`;
        }
        if (l.colour !== fill) ops += `${FILL[(fill = l.colour)]}\n`;
        ops += `1 0 0 1 ${num(l.x)} ${num(l.y)} Tm (${encoder!.encode(l.text)}) Tj\n`;
      }
      ops += 'ET\n';
    }
    // Level 1 (zlib's fastest) for page content: measured on cloud-hr's 56 pages (452 KB of
    // operators), level 6 deflates them in 5.8 ms to 114 KB, level 4 in 4.3 ms to 117 KB, level 1
    // in 3.1 ms to 128 KB. Content is deflated for every render and is most of the deflated bytes,
    // and 14 KB on a file of ~220 KB is worth less than the time in a one-off build. Fonts keep the
    // default: levels 1 to 6 differ by 0.15 ms on them.
    const content = w.stream({}, ops, { level: 1 });
    const fontDict: Record<string, string> = {};
    for (const face of FONT_FACES) if (usedHere.has(face)) fontDict[resourceNames.get(face)!] = ref(fontRefs.get(face)!);
    w.set(
      pageRefs[pi]!,
      dict({
        Type: '/Page',
        Parent: ref(pagesRoot),
        MediaBox: array(['0', '0', num(layout.width), num(layout.height)]),
        Resources: dict({ Font: usedHere.size ? dict(fontDict) : undefined }),
        Contents: ref(content),
        Annots: annots[pi]!.length ? array(annots[pi]!.map(ref)) : undefined,
      }),
    );
  });
  w.set(pagesRoot, dict({ Type: '/Pages', Kids: array(pageRefs.map(ref)), Count: String(pageRefs.length) }));
  for (const face of faces) writeFont(w, fontRefs.get(face)!, encoders.get(face)!, `${subsetTag(digest, face)}+${byFace[face].postscriptName}`);

  const meta = metadataOf(model);
  const { info, metadata } = writeMetadata(w, meta);
  const intent = writeOutputIntent(w, icc);
  const outline = writeOutline(w, layout, pageRefs);
  w.set(
    catalog,
    dict({
      Type: '/Catalog',
      Pages: ref(pagesRoot),
      Metadata: ref(metadata),
      Lang: textString(meta.langTag),
      ViewerPreferences: dict({ DisplayDocTitle: 'true' }),
      PageMode: '/UseOutlines',
      Outlines: ref(outline),
      OutputIntents: array([ref(intent)]),
    }),
  );
  return w.finish(catalog, info, digest.slice(0, 32));
}
