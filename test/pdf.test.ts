import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as pdfLib from 'pdf-lib';
import type { PDFNumber as PDFNumberT, PDFRawStream as PDFRawStreamT } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block, DocumentModel } from '../src/assemble/model.js';
import { layoutPdf, PAGE, type FontMetrics, type PdfLayout } from '../src/render/pdf/layout.js';
import { renderPdf, shippedFontMetrics } from '../src/render/pdf/index.js';
import { ROOT } from './support/tools.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'pdf');
const loadModel = (name: string): DocumentModel => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as DocumentModel;

/** One line per drawn text line, one page block per page: small, readable diffs. */
function serialise(layout: PdfLayout): string {
  const out: string[] = [];
  layout.pages.forEach((p, i) => {
    out.push(`== page ${i + 1} (${p.lines.length} lines, ${p.rects.length} rects, ${p.links.length} links)`);
    for (const l of p.lines) out.push(`${l.x.toFixed(2)} ${l.y.toFixed(2)} ${l.font}/${l.size} ${l.colour} | ${l.text}`);
  });
  out.push('== anchors');
  for (const [k, a] of Object.entries(layout.anchors)) out.push(`${k} p${a.page + 1} ${a.y.toFixed(2)}`);
  return `${out.join('\n')}\n`;
}

const texts = (layout: PdfLayout, page: number) => layout.pages[page]!.lines.map((l) => l.text);

let metrics: FontMetrics;
beforeAll(() => {
  metrics = shippedFontMetrics();
});

describe('layoutPdf', () => {
  it('lays out the cloud-hr model (snapshot of pages → lines)', async () => {
    const layout = layoutPdf(loadModel('model.json'), metrics);
    await expect(serialise(layout)).toMatchFileSnapshot('./__snapshots__/pdf-layout.cloud-hr.txt');
  });

  it('is pure: the same model gives the same layout', () => {
    const model = loadModel('model.json');
    expect(layoutPdf(model, metrics)).toEqual(layoutPdf(structuredClone(model), metrics));
  });

  it('numbers sections and clauses exactly as the model, each part with its own heading, page and bookmark tree', () => {
    const model = loadModel('model.json');
    expect(model.parts.length).toBeGreaterThan(1);
    const layout = layoutPdf(model, metrics);
    const all = layout.pages.flatMap((p) => p.lines.map((l) => l.text));
    for (const part of model.parts) {
      expect(all).toContain(part.title);
      for (const s of part.sections) {
        expect(all).toContain(s.number);
        for (const c of s.clauses) expect(all).toContain(c.number);
      }
    }
    const walk = (items: typeof layout.outline): string[] => items.flatMap((o) => [o.title, ...walk(o.children)]);
    expect(walk(layout.outline)).toEqual([
      ...model.parts.flatMap((part) => [
        part.title,
        ...part.sections.flatMap((s) => [`${s.number} ${s.title}`, ...s.clauses.map((c) => `${c.number} ${c.title}`)]),
        ...(part.requirements ? [`${part.requirements.number} ${part.requirements.title}`] : []),
      ]),
      model.provenance.title,
    ]);
    const anchors = (items: typeof layout.outline): string[] => items.flatMap((o) => [o.anchor, ...anchors(o.children)]);
    for (const a of anchors(layout.outline)) expect(layout.anchors[a], a).toBeDefined();
    // Every part starts on a page of its own, headed by its title.
    model.parts.forEach((part, pi) => {
      const a = layout.anchors[`p${pi + 1}`]!;
      expect(texts(layout, a.page)).toContain(part.title);
      expect(layout.pages[a.page]!.lines.filter((l) => l.y < PAGE.height - PAGE.top + 1 && l.y > a.y).length).toBe(0);
    });
  });

  it('keeps every line inside the margins and puts header and "Side X av Y" on every page', () => {
    const model = loadModel('model.json');
    const layout = layoutPdf(model, metrics);
    const n = layout.pages.length;
    layout.pages.forEach((p, i) => {
      expect(texts(layout, i)).toContain(model.header);
      expect(texts(layout, i)).toContain(`${model.labels.page} ${i + 1} ${model.labels.of} ${n}`);
      for (const l of p.lines) {
        expect(l.x).toBeGreaterThanOrEqual(PAGE.left - 0.01);
        expect(l.x + metrics.widthOf(l.font, l.text, l.size)).toBeLessThanOrEqual(PAGE.width - PAGE.right + 0.5);
        expect(l.y).toBeGreaterThan(30);
      }
    });
  });

  it('never leaves a heading at the bottom of a page without its first paragraph', () => {
    const model = loadModel('model.json');
    const layout = layoutPdf(model, metrics);
    const numbers = new Set(model.parts.flatMap((part) => part.sections.flatMap((s) => [s.number, ...s.clauses.map((c) => c.number)])));
    for (const p of layout.pages) {
      const body = p.lines.filter((l) => l.y > PAGE.bottom - 1 && l.y < PAGE.height - PAGE.top + 20);
      const lowest = Math.min(...body.map((l) => l.y));
      const headingsAtBottom = body.filter((l) => l.font === 'bold' && numbers.has(l.text) && l.y - lowest < 1);
      expect(headingsAtBottom).toEqual([]);
    }
  });

  it('repeats the requirements table header on every page of a long table', () => {
    const model = loadModel('model.json');
    const req = model.parts[0]!.requirements!;
    const base = req.rows;
    req.rows = Array.from({ length: 160 }, (_, i) => ({ ...base[i % base.length]!, id: `DK-LNG-${String(i + 1).padStart(3, '0')}` }));
    const layout = layoutPdf(model, metrics);
    const head = model.labels.requirementColumns.id;
    const tablePages = layout.pages.map((_, i) => i).filter((i) => texts(layout, i).some((t) => t.startsWith('DK-LNG-')));
    expect(tablePages.length).toBeGreaterThan(3);
    for (const i of tablePages) {
      const lines = layout.pages[i]!.lines;
      const header = lines.find((l) => l.text === head);
      expect(header, `header on page ${i + 1}`).toBeDefined();
      const firstRow = lines.find((l) => l.text.startsWith('DK-LNG-'))!;
      expect(header!.y).toBeGreaterThan(firstRow.y);
    }
    // Every row is there exactly once, in order.
    const ids = tablePages.flatMap((i) => texts(layout, i).filter((t) => t.startsWith('DK-LNG-')));
    expect(ids).toEqual(req.rows.map((r) => r.id));
  });

  // A clause library may hold a table whose header cell is longer than a page. Repeating such a header
  // on every page left no room for the rows, and the layout added pages without end.
  it('places a table header taller than a page once, split over pages like a row, and ends', () => {
    const model = loadModel('blocks.json');
    const find = (v: unknown): Extract<Block, { type: 'table' }> | undefined => {
      if (Array.isArray(v)) return v.map(find).find(Boolean);
      if (v && typeof v === 'object') return (v as Block).type === 'table' ? (v as Extract<Block, { type: 'table' }>) : Object.values(v).map(find).find(Boolean);
      return undefined;
    };
    const table = find(model.parts)!;
    const numbered = Array.from({ length: 1500 }, (_, i) => `w${i}`).join(' ');
    table.header[0] = [{ type: 'text', text: numbered }];
    const layout = layoutPdf(model, metrics);
    const words = layout.pages.flatMap((p) => p.lines.flatMap((l) => l.text.split(' '))).filter((w) => /^w\d+$/.test(w));
    // Every word of the header once, in order: it is not repeated.
    expect(words).toEqual(numbered.split(' '));
    for (const p of layout.pages) for (const l of p.lines) expect(l.y).toBeGreaterThan(30);
    expect(layout.pages.length).toBeLessThan(40);
  });

  it('breaks a word too long for its column with a hyphen, never bare', () => {
    const model = loadModel('model.json');
    const req = model.parts[0]!.requirements!;
    const long = 'Datakvalitetsdokumentasjonsutvekslingsgrensesnittspesifikasjonsvedleggsoversikten';
    req.rows = [{ ...req.rows[0]!, text: `${long} og mer` }];
    const lines = layoutPdf(model, metrics).pages.flatMap((p) => p.lines.map((l) => l.text));
    const start = lines.findIndex((t) => t.endsWith('-') && long.startsWith(t.slice(0, -1)));
    expect(start).toBeGreaterThanOrEqual(0);
    // Every line of the long word but the last ends with a hyphen the layout added; together they give the word.
    let joined = '';
    for (let i = start; joined.length < long.length; i++) {
      const t = lines[i]!;
      const rest = long.slice(joined.length);
      if (rest.length > t.length) {
        expect(t.endsWith('-'), t).toBe(true);
        joined += t.slice(0, -1);
      } else {
        joined += t.slice(0, rest.length);
      }
    }
    expect(joined).toBe(long);
  });

  it('lays out links, code, bold/italic faces, hanging lists and aligned table cells', () => {
    const layout = layoutPdf(loadModel('blocks.json'), metrics);
    const lines = layout.pages.flatMap((p) => p.lines);
    expect(layout.pages.flatMap((p) => p.links).some((l) => l.href?.startsWith('https://www.digdir.no/'))).toBe(true);
    expect(lines.find((l) => l.text === 'UTF-8')?.font).toBe('mono');
    expect(lines.find((l) => l.text.startsWith('Viktig:'))?.font).toBe('bold');
    expect(lines.find((l) => l.text === 'skal')?.font).toBe('boldItalic');
    expect(lines.some((l) => l.text === 'Ny linje etter et linjeskift.')).toBe(true);
    expect(lines.some((l) => l.text === '1.1.1')).toBe(true);
    // Ordered markers are right-aligned on the dot; their text starts at one hanging indent.
    const m9 = lines.find((l) => l.text === '9.')!;
    const m10 = lines.find((l) => l.text === '10.')!;
    expect(m9.x + metrics.widthOf('regular', '9.', 10)).toBeCloseTo(m10.x + metrics.widthOf('regular', '10.', 10), 1);
    const first = lines.find((l) => l.text.startsWith('Først hoveddata'))!;
    const wrapped = lines[lines.indexOf(first) + 1]!;
    expect(wrapped.x).toBeCloseTo(first.x, 2);
    const bullet = lines.find((l) => l.text === '–')!;
    expect(bullet.x).toBeGreaterThan(first.x);
    // Right-aligned column: the numbers end at the same x.
    const ends = ['500', '2000', '50'].map((t) => {
      const l = lines.find((x) => x.text === t)!;
      return l.x + metrics.widthOf(l.font, l.text, l.size);
    });
    expect(ends[0]).toBeCloseTo(ends[1]!, 1);
    expect(ends[1]).toBeCloseTo(ends[2]!, 1);
  });
});

describe('renderPdf', () => {
  it('gives identical bytes for the same model, with PDF/A markers in place', async () => {
    const model = loadModel('blocks.json');
    const a = await renderPdf(model);
    const b = await renderPdf(structuredClone(model));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const text = Buffer.from(a).toString('latin1');
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    expect(text).toContain('/GTS_PDFA1');
    expect(text).toContain('<pdfaid:part>1</pdfaid:part>');
    expect(text).toContain('/CIDSet');
    expect(text).toContain('/Lang (nb-NO)');
    expect(text).toContain('/CreationDate (D:20270301000000+00\'00\')');
    expect(text).not.toContain('/ObjStm');
  });

  it('embeds each face as a subset whose glyph count, /W, /CIDSet and ToUnicode agree (read back by pdf-lib and fontkit)', async () => {
    const { PDFDocument, PDFName, PDFDict, PDFArray, decodePDFRawStream } = pdfLib;
    const fontkit = createRequire(import.meta.url)('@pdf-lib/fontkit') as { create(b: Buffer): { numGlyphs: number; unitsPerEm: number; hmtx: { metrics: { length: number; get(i: number): { advance: number } } } } };
    const model = loadModel('blocks.json');
    const doc = await PDFDocument.load(await renderPdf(model), { updateMetadata: false });
    const decode = (v: unknown) => Buffer.from(decodePDFRawStream(v as PDFRawStreamT).decode());
    const seen = new Map<string, string>();
    const layout = layoutPdf(model, metrics);
    doc.getPages().forEach((page, pi) => {
      const fonts = page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
      // Only the faces drawn on the page are in its resources.
      const drawn = new Set(layout.pages[pi]!.lines.map((l) => l.font));
      expect(fonts.keys().length).toBe(drawn.size);
      for (const key of fonts.keys()) {
        const type0 = fonts.lookup(key, PDFDict);
        const base = type0.lookup(PDFName.of('BaseFont'))!.toString();
        if (seen.has(base)) continue;
        const cid = type0.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
        expect(cid.lookup(PDFName.of('CIDToGIDMap'))!.toString()).toBe('/Identity');
        const descriptor = cid.lookup(PDFName.of('FontDescriptor'), PDFDict);
        const program = decode(descriptor.lookup(PDFName.of('FontFile2')));
        const font = fontkit.create(program);
        const w = cid.lookup(PDFName.of('W'), PDFArray);
        expect((w.lookup(0) as PDFNumberT).asNumber()).toBe(0);
        const widths = w.lookup(1, PDFArray).asArray().map((n) => (n as PDFNumberT).asNumber());
        expect(widths.length).toBe(font.numGlyphs);
        widths.forEach((width, g) => expect(width, `${base} glyph ${g}`).toBe((font.hmtx.metrics.get(Math.min(g, font.hmtx.metrics.length - 1)).advance * 1000) / font.unitsPerEm));
        const bits = decode(descriptor.lookup(PDFName.of('CIDSet')));
        expect(bits.length).toBe(Math.ceil(font.numGlyphs / 8));
        const set = [...bits].flatMap((b, i) => Array.from({ length: 8 }, (_, j) => (b & (0x80 >> j) ? i * 8 + j : -1))).filter((c) => c >= 0);
        expect(set).toEqual(Array.from({ length: font.numGlyphs }, (_, i) => i));
        seen.set(base, decode(type0.lookup(PDFName.of('ToUnicode'))).toString('latin1'));
      }
    });
    expect(seen.size).toBe(new Set(layout.pages.flatMap((p) => p.lines.map((l) => l.font))).size);
    const regular = [...seen].find(([base]) => /^\/[A-Z]{6}\+DejaVuSans$/.test(base))![1];
    const drawnRegular = layout.pages.flatMap((p) => p.lines.filter((l) => l.font === 'regular').map((l) => l.text)).join('');
    const letters = [...'æøåÆØÅ–«»é'].filter((ch) => drawnRegular.includes(ch));
    expect(letters).toEqual(expect.arrayContaining(['ø', 'å', 'é']));
    for (const ch of letters) expect(regular).toContain(`> <${ch.charCodeAt(0).toString(16).padStart(4, '0')}>`);
  });

  // Text is written as two-byte codes in literal strings: with more than 92 glyphs in a face, the codes
  // include the bytes 0x0A, 0x0D, 0x28, 0x29 and 0x5C, which must be escaped. The strings are read back
  // here by the rules of PDF 1.4 §3.2.3 (escapes; a bare CR or CR LF is one LF) and mapped through each
  // font's ToUnicode CMap: every page must give back exactly the lines the layout drew, in order.
  it('writes the codes of every line as literal strings that read back to the text drawn', async () => {
    const { PDFDocument, PDFName, PDFDict, decodePDFRawStream } = pdfLib;
    const model = loadModel('blocks.json');
    let many = '';
    for (let c = 0x21; c < 0x7f; c++) many += String.fromCharCode(c);
    many += ' æøåÆØÅéèüöäÉ«»–—…§€©°±×÷¼½ ' + many.split('').reverse().join('');
    model.parts[0]!.sections[0]!.clauses[0]!.blocks.push({ type: 'paragraph', content: [{ type: 'text', text: many }] });
    const bytes = await renderPdf(model);
    const layout = layoutPdf(model, metrics);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const decode = (v: unknown) => Buffer.from(decodePDFRawStream(v as PDFRawStreamT).decode());
    /** The literal strings of a content stream, each with the resource name of the font it is drawn in. */
    const strings = (content: Buffer): Array<{ font: string; bytes: number[] }> => {
      const out: Array<{ font: string; bytes: number[] }> = [];
      let font = '';
      for (let i = 0; i < content.length; i++) {
        const c = content[i]!;
        if (c === 0x2f) {
          let j = i + 1;
          while (j < content.length && content[j]! > 0x20) j++;
          const tail = content.subarray(j, j + 12).toString('latin1');
          if (/^ [\d.]+ Tf/.test(tail)) font = content.subarray(i + 1, j).toString('latin1');
          i = j;
        } else if (c === 0x28) {
          const b: number[] = [];
          let depth = 1;
          for (i++; ; i++) {
            const d = content[i]!;
            if (d === 0x5c) {
              const e = content[++i]!;
              const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
              if (e in simple) b.push(simple[e]!);
              else if (e >= 0x30 && e <= 0x37) {
                let v = e - 0x30;
                for (let k = 0; k < 2 && content[i + 1]! >= 0x30 && content[i + 1]! <= 0x37; k++) v = v * 8 + content[++i]! - 0x30;
                b.push(v & 0xff);
              } else if (e === 0x0d) {
                if (content[i + 1] === 0x0a) i++;
              } else if (e !== 0x0a) b.push(e);
            } else if (d === 0x0d) {
              b.push(0x0a);
              if (content[i + 1] === 0x0a) i++;
            } else if (d === 0x28) {
              depth++;
              b.push(d);
            } else if (d === 0x29) {
              if (--depth === 0) break;
              b.push(d);
            } else b.push(d);
          }
          out.push({ font, bytes: b });
        }
      }
      return out;
    };
    const seenBytes = new Set<number>();
    doc.getPages().forEach((page, pi) => {
      const fonts = page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
      const cmaps = new Map<string, Map<number, string>>();
      for (const key of fonts.keys()) {
        const cmap = decode(fonts.lookup(key, PDFDict).lookup(PDFName.of('ToUnicode'))).toString('latin1');
        const map = new Map<number, string>();
        for (const m of cmap.matchAll(/<([0-9a-f]{4})> <([0-9a-f]+)>/g)) map.set(parseInt(m[1]!, 16), String.fromCharCode(...m[2]!.match(/.{4}/g)!.map((h) => parseInt(h, 16))));
        cmaps.set(key.asString().slice(1), map);
      }
      // One content stream per page.
      const content = decode(page.node.Contents());
      const read = strings(content).map(({ font, bytes: b }) => {
        expect(b.length % 2).toBe(0);
        let text = '';
        for (let k = 0; k < b.length; k += 2) {
          seenBytes.add(b[k]!).add(b[k + 1]!);
          text += cmaps.get(font)!.get((b[k]! << 8) | b[k + 1]!) ?? '\uFFFD';
        }
        return text;
      });
      expect(read, `page ${pi + 1}`).toEqual(layout.pages[pi]!.lines.map((l) => l.text));
    });
    for (const b of [0x0a, 0x0d, 0x28, 0x29, 0x5c]) expect(seenBytes.has(b), `code byte 0x${b.toString(16)}`).toBe(true);
  });

  // The quick check looks at the distinct characters of the model's JSON, where a lone surrogate is
  // an ASCII escape: it must still be stopped, and named, by the full walk.
  it('stops a lone surrogate or an undrawable character and names the field; ignores one in a link target', async () => {
    const model = loadModel('blocks.json');
    await expect(renderPdf({ ...model, title: { ...model.title, buyer: 'Kommune \ud800' } })).rejects.toThrow(/buyer\.name.*U\+D800/s);
    await expect(renderPdf({ ...model, title: { ...model.title, buyer: 'Kommune \u4e2d' } })).rejects.toThrow(/buyer\.name.*U\+4E2D/s);
    await expect(renderPdf({ ...model, keywords: [...model.keywords, '\u4e2d'] })).resolves.toBeInstanceOf(Uint8Array);
  });
});
