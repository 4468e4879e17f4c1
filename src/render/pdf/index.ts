import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { PDFDocument as PDFDocumentT, PDFFont } from 'pdf-lib';
import type { DocumentModel } from '../../assemble/model.js';
import { msg } from '../../core/messages.js';
import { UserError } from '../../library/problems.js';
import { loadPdfAssets } from './fonts.js';
import { FONT_FACES, layoutPdf, type Colour, type FontFace, type FontMetrics, type PdfLayout } from './layout.js';
import { fontkit, pdfLib, saveCompiledBundles } from './lib.js';
import { createFontMetrics, type MeasurableFont } from './metrics.js';
import { declarePdf14, writeCidSets, writeId, writeLinks, writeMetadata, writeOutline, writeOutputIntent, type PdfMetadata } from './pdfa.js';

export { layoutPdf } from './layout.js';
export type { FontMetrics, PdfLayout } from './layout.js';

/** Bump when the layout or PDF structure changes: it is part of the trailer /ID digest. */
const RENDERER_VERSION = 'dataklausul-pdf/1';

const { PDFDocument, PDFName } = pdfLib;

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

/** A number for a content stream: at most three decimals, no exponent, no trailing zeros. */
function num(v: number): string {
  const s = (Math.round(v * 1000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}
const colour = (c: Colour, op: 'rg' | 'RG') => `${COLOURS[c].map(num).join(' ')} ${op}`;

interface FontkitGlyph {
  id: number;
}
interface FontkitFont {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  postscriptName: string;
  glyphForCodePoint(codePoint: number): FontkitGlyph;
  layout(text: string): { glyphs: FontkitGlyph[] };
  hmtx: { metrics: { length: number; get(i: number): { advance: number } } };
}

/**
 * Parses fonts; the same fontkit objects serve measuring and embedding.
 * Text is mapped to glyphs through the cmap alone: fontkit's default shaping runs every GSUB
 * lookup of DejaVu on each drawn line (most of the render time) and would substitute ligatures
 * that the layout did not measure. Latin, Nordic and the punctuation we draw need no shaping.
 * The cmap lookup itself is remembered per code point: every drawn line asks for the same few
 * hundred characters again.
 */
function openFonts(bytes: Record<FontFace, Uint8Array>): Map<Uint8Array, FontkitFont> {
  const fonts = new Map<Uint8Array, FontkitFont>();
  for (const face of FONT_FACES) {
    // fontkit's bundle carries a browser Buffer that copies a Uint8Array byte by byte in
    // JavaScript (3 MB of fonts, ~30 ms in a one-off build) but wraps an ArrayBuffer as it is.
    const b = bytes[face];
    const whole = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b.buffer : new Uint8Array(b).buffer;
    const font = fontkit.create(whole as unknown as Buffer) as unknown as FontkitFont;
    const lookup = font.glyphForCodePoint.bind(font);
    const glyphs = new Map<number, FontkitGlyph>();
    font.glyphForCodePoint = (cp: number) => {
      let g = glyphs.get(cp);
      if (!g) glyphs.set(cp, (g = lookup(cp)));
      return g;
    };
    font.layout = (text: string) => ({ glyphs: Array.from(text, (ch) => font.glyphForCodePoint(ch.codePointAt(0)!)) });
    fonts.set(bytes[face], font);
  }
  return fonts;
}

interface ShippedFonts {
  parsed: Map<Uint8Array, FontkitFont>;
  byFace: Record<FontFace, FontkitFont>;
  metrics: FontMetrics;
}
let shipped: ShippedFonts | undefined;

/**
 * The shipped fonts, parsed once per process with their measured widths: nothing in them depends on the document
 * (the subsets are made per document from these objects), so a batch of renders pays for parsing once.
 */
function shippedFonts(): ShippedFonts {
  if (!shipped) {
    const assets = loadPdfAssets();
    const parsed = openFonts(assets.fonts);
    const byFace = Object.fromEntries(FONT_FACES.map((f) => [f, parsed.get(assets.fonts[f])!])) as Record<FontFace, FontkitFont>;
    shipped = { parsed, byFace, metrics: metricsOf(parsed, assets.fonts) };
  }
  return shipped;
}

/**
 * Advances straight from the hmtx table: fontkit's glyph.advanceWidth also decodes the outline
 * to compute vertical metrics, which measuring does not need.
 */
function measurable(font: FontkitFont): MeasurableFont {
  const metrics = font.hmtx.metrics;
  return {
    unitsPerEm: font.unitsPerEm,
    ascent: font.ascent,
    descent: font.descent,
    advanceOf: (cp) => metrics.get(Math.min(font.glyphForCodePoint(cp).id, metrics.length - 1)).advance,
  };
}

function metricsOf(parsed: Map<Uint8Array, FontkitFont>, bytes: Record<FontFace, Uint8Array>): FontMetrics {
  return createFontMetrics(Object.fromEntries(FONT_FACES.map((f) => [f, measurable(parsed.get(bytes[f])!)])) as Record<FontFace, MeasurableFont>);
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
function allDrawable(json: string, fonts: readonly FontkitFont[]): boolean {
  if (/\\u[dD][89a-fA-F]/.test(json)) return false;
  for (const ch of new Set(json)) {
    const cp = ch.codePointAt(0)!;
    if (needsNoGlyph(cp, ch)) continue;
    if (RTL.test(ch) || fonts.some((f) => f.glyphForCodePoint(cp).id === 0)) return false;
  }
  return true;
}

/**
 * Stops the build before anything is written when a text holds a character the shipped fonts
 * cannot draw (it would print as an empty box) or right-to-left script (it would be drawn
 * backwards: the layout does not reorder bidirectional text). Names the field and the character.
 */
function assertDrawable(model: DocumentModel, fonts: readonly FontkitFont[], json: string): void {
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
        if (fonts.some((f) => f.glyphForCodePoint(cp).id === 0)) throw new UserError(msg('error.pdfGlyph', { field: fieldOf(path, model), char: ch, code }));
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
    producer: `${tool} (pdf-lib)`,
    date: new Date(Date.UTC(y, m - 1, d)),
    langTag: model.langTag,
  };
}

async function drawLayout(doc: PDFDocumentT, layout: PdfLayout, fontBytes: Record<FontFace, Uint8Array>, digest: string, fontNames: Record<FontFace, string>): Promise<PDFFont[]> {
  const used = new Set<FontFace>();
  for (const p of layout.pages) for (const l of p.lines) used.add(l.font);
  const fonts = new Map<FontFace, PDFFont>();
  for (const face of FONT_FACES) {
    if (!used.has(face)) continue;
    fonts.set(
      face,
      await doc.embedFont(fontBytes[face], {
        subset: true,
        customName: `${subsetTag(digest, face)}+${fontNames[face]}`,
      }),
    );
  }
  const resourceNames = new Map<FontFace, string>(FONT_FACES.map((f, i) => [f, `F${i + 1}`]));
  // pdf-lib encodes a line glyph by glyph (subset inclusion, a Map, hex padding in JavaScript);
  // our fonts map one code point to one glyph (no shaping, see openFonts), so each character's
  // hex code is asked of pdf-lib once per face, in drawing order (so the subset's glyph numbers
  // are the same as when whole lines are encoded), and remembered.
  const hexCodes = new Map<FontFace, Map<string, string>>(FONT_FACES.map((f) => [f, new Map()]));
  const encode = (face: FontFace, text: string): string => {
    const known = hexCodes.get(face)!;
    let out = '<';
    for (const ch of text) {
      let hex = known.get(ch);
      if (hex === undefined) known.set(ch, (hex = fonts.get(face)!.encodeText(ch).toString().slice(1, -1)));
      out += hex;
    }
    return `${out}>`;
  };
  for (const lp of layout.pages) {
    const page = doc.addPage([layout.width, layout.height]);
    // One content stream per page, written directly: pdf-lib's drawText adds a new font resource
    // name at every change of face (quadratic, and bloats the file); here each face has one name
    // and the text is one BT block in which font and colour change only when they must.
    const ops: string[] = [];
    for (const r of lp.rects) if (r.kind === 'fill') ops.push(`${colour(r.colour, 'rg')} ${num(r.x)} ${num(r.y)} ${num(r.w)} ${num(r.h)} re f`);
    for (const r of lp.rects) {
      if (r.kind === 'stroke') ops.push(`${colour(r.colour, 'RG')} ${num(r.lineWidth ?? 0.5)} w ${num(r.x)} ${num(r.y)} ${num(r.w)} ${num(r.h)} re S`);
    }
    if (lp.lines.length) {
      ops.push('BT');
      let font = '';
      let fill = '';
      const usedHere = new Set<FontFace>();
      for (const l of lp.lines) {
        const f = `/${resourceNames.get(l.font)} ${num(l.size)} Tf`;
        if (f !== font) ops.push((font = f));
        const c = colour(l.colour, 'rg');
        if (c !== fill) ops.push((fill = c));
        usedHere.add(l.font);
        ops.push(`1 0 0 1 ${num(l.x)} ${num(l.y)} Tm ${encode(l.font, l.text)} Tj`);
      }
      ops.push('ET');
      for (const face of usedHere) page.node.setFontDictionary(PDFName.of(resourceNames.get(face)!), fonts.get(face)!.ref);
    }
    const content = deflateSync(Buffer.from(ops.join('\n'), 'latin1'));
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(content, { Filter: 'FlateDecode' })));
  }
  return [...fonts.values()];
}

/**
 * Renders the appendix as PDF/A-1b: lays it out with the real metrics of the shipped DejaVu
 * fonts, draws it with pdf-lib (fonts embedded as subsets), and adds what PDF/A-1b and readers
 * need: sRGB output intent, XMP metadata matching the Info dictionary, bookmarks for every section
 * and clause, /Lang, and a content-derived /ID, so the same model always gives the same bytes.
 */
export async function renderPdf(model: DocumentModel): Promise<Uint8Array> {
  const assets = loadPdfAssets();
  const { parsed, byFace, metrics } = shippedFonts();
  const json = JSON.stringify(model);
  assertDrawable(model, [byFace.regular, byFace.bold], json);
  const layout = layoutPdf(model, metrics);
  const digest = createHash('sha256').update(RENDERER_VERSION).update('\0').update(json).digest('hex');

  const doc = await PDFDocument.create({ updateMetadata: false });
  // pdf-lib compresses the font subsets and ToUnicode CMaps with pako, a deflate written in
  // JavaScript that a one-off build runs cold; Node's zlib (as for the page streams) does it natively.
  doc.context.flateStream = (contents, dict = {}) => doc.context.stream(deflateSync(typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents), { ...dict, Filter: 'FlateDecode' });
  // pdf-lib parses the font again unless given the objects already open for measuring.
  doc.registerFontkit({ create: (bytes: Uint8Array) => (parsed.get(bytes) ?? fontkit.create(bytes as Buffer)) as never });
  const names = Object.fromEntries(FONT_FACES.map((f) => [f, byFace[f].postscriptName])) as Record<FontFace, string>;
  const fonts = await drawLayout(doc, layout, assets.fonts, digest, names);

  writeMetadata(doc, metadataOf(model));
  writeOutputIntent(doc, assets.srgbProfile);
  writeOutline(doc, layout);
  writeLinks(doc, layout);
  await doc.flush();
  writeCidSets(doc, fonts);
  writeId(doc, digest);
  const bytes = declarePdf14(await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Number.POSITIVE_INFINITY }));
  saveCompiledBundles();
  return bytes;
}
