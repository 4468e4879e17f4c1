import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel } from '../src/assemble/model.js';
import { headingNumbers } from '../src/render/docx/content.js';
import { renderDocx } from '../src/render/docx/index.js';
import { TEXT_WIDTH } from '../src/render/docx/styles.js';
import { readZip } from '../src/render/docx/zip.js';
import { ROOT } from './support/tools.js';

/** A fixed model (the cloud HR example plus a clause with a sub-heading, ordered and nested lists, a table, a link,
 * code and a line break), so the snapshot changes only when the renderer does, not when clause text does. */
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'docx', 'model.json');
const loadModel = (): DocumentModel => JSON.parse(readFileSync(FIXTURE, 'utf8')) as DocumentModel;

const decoder = new TextDecoder();
function parts(bytes: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, data] of readZip(bytes)) out.set(name, decoder.decode(data));
  return out;
}

/** One tag per line, so the snapshot diff shows what changed. */
const pretty = (xml: string) => `${xml.replace(/></g, '>\n<')}\n`;

/** The paragraphs of document.xml with their style and text. */
function paragraphs(xml: string): Array<{ style: string | undefined; text: string; xml: string }> {
  return [...xml.matchAll(/<w:p>.*?<\/w:p>|<w:p [^>]*>.*?<\/w:p>/g)].map((m) => ({
    style: /<w:pStyle w:val="([^"]+)"/.exec(m[0])?.[1],
    text: [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    xml: m[0],
  }));
}

const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");

describe('renderDocx', () => {
  let model: DocumentModel;
  let bytes: Uint8Array;
  let files: Map<string, string>;
  let doc: string;
  beforeAll(async () => {
    model = loadModel();
    bytes = await renderDocx(model);
    files = parts(bytes);
    doc = files.get('word/document.xml')!;
  });

  it('snapshots word/document.xml', async () => {
    await expect(pretty(doc)).toMatchFileSnapshot('__snapshots__/docx-document.xml');
  });

  it('gives the same bytes for the same model, in one process too', async () => {
    const again = await renderDocx(loadModel());
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it('binds Word multi-level numbering to Heading 1–4 in styles.xml, the part heading unnumbered at the top', () => {
    const styles = files.get('word/styles.xml')!;
    const numIds = [1, 2, 3, 4].map((n) => {
      const style = new RegExp(`<w:style w:type="paragraph" w:styleId="Heading${n}">.*?</w:style>`).exec(styles)?.[0];
      expect(style, `Heading${n} style`).toBeDefined();
      const numPr = /<w:numPr><w:ilvl w:val="(\d)"\/><w:numId w:val="(\d+)"\/><\/w:numPr>/.exec(style!);
      expect(numPr, `Heading${n} numPr`).not.toBeNull();
      expect(numPr![1]).toBe(String(n - 1));
      return numPr![2]!;
    });
    expect(new Set(numIds).size).toBe(1);

    const numbering = files.get('word/numbering.xml')!;
    const abstractId = new RegExp(`<w:num w:numId="${numIds[0]}"><w:abstractNumId w:val="(\\d+)"/>`).exec(numbering)?.[1];
    const abstract = new RegExp(`<w:abstractNum w:abstractNumId="${abstractId}"[^>]*>.*?</w:abstractNum>`).exec(numbering)?.[0] ?? '';
    expect(abstract).toContain('<w:pStyle w:val="Heading1"/>');
    expect(abstract).toContain('<w:pStyle w:val="Heading2"/>');
    expect(abstract).toContain('<w:pStyle w:val="Heading3"/>');
    expect(abstract).toContain('<w:pStyle w:val="Heading4"/>');
    expect(abstract).toContain('<w:numFmt w:val="none"/>');
    expect(abstract).toContain('<w:lvlText w:val="%2"/>');
    expect(abstract).toContain('<w:lvlText w:val="%2.%3"/>');
    expect(abstract).toContain('<w:lvlText w:val="%2.%3.%4"/>');
  });

  it('writes the headings in model order without typed-in numbers, and Word counts them as the model does', () => {
    const headings = paragraphs(doc.slice(doc.indexOf('</w:sdt>'))).filter((p) => /^Heading[1234]$/.test(p.style ?? ''));
    const expected: Array<[string, string]> = [];
    for (const part of model.parts) {
      expected.push(['Heading1', part.title]);
      for (const s of part.sections) {
        expected.push(['Heading2', s.title]);
        for (const c of s.clauses) {
          expected.push(['Heading3', c.title]);
          for (const b of c.blocks) if (b.type === 'heading') expected.push(['Heading4', b.content.map((r) => (r.type === 'break' ? '' : r.text)).join('')]);
        }
      }
      if (part.requirements) expected.push(['Heading2', part.requirements.title]);
    }
    expected.push(['Heading1', model.provenance.title]);
    expect(headings.map((h) => [h.style, unescape(h.text)])).toEqual(expected);
    for (const h of headings) {
      expect(h.text).not.toMatch(/^\d+(\.\d+)*\s/);
      expect(h.xml).not.toContain('<w:numPr>');
    }
    // Heading 1 (parts) restarts the numbers: the model numbers each part from 1.
    expect(model.parts.length).toBeGreaterThan(1);
    for (const part of model.parts) expect(part.sections[0]!.number).toBe('1');
    expect(headingNumbers(model)).toHaveLength(expected.filter(([style]) => style !== 'Heading4').length);
    const last = model.parts[model.parts.length - 1]!;
    expect(headingNumbers(model).slice(-2)).toEqual([last.requirements!.number, '']);
  });

  it('refuses a model whose numbers Word would not reproduce', () => {
    const broken = loadModel();
    broken.parts[1]!.sections[0]!.number = '12';
    expect(() => headingNumbers(broken)).toThrow(/section "[^"]+": the model says 12, Word numbers it 1/);
  });

  it('has a title block and a table of contents already filled with the numbered headings, and no instruction line', () => {
    const ps = paragraphs(doc);
    expect(ps[0]).toMatchObject({ style: 'AppendixLabel', text: model.title.appendixLabel });
    expect(ps[1]).toMatchObject({ style: 'Title', text: model.title.heading });
    for (const v of [model.title.procurementTitle, model.title.reference, model.title.contractType, model.title.dateText, model.labels.languageName]) {
      expect(unescape(doc)).toContain(v);
    }
    expect(doc).toContain('TOC \\h \\o &quot;1-3&quot;');
    expect(unescape(doc)).not.toMatch(/Oppdater felt|Update field/);
    const toc = doc.slice(doc.indexOf('<w:sdt>'), doc.indexOf('</w:sdt>'));
    for (const part of model.parts) {
      expect(unescape(toc)).toContain(part.title);
      expect(toc).toContain('<w:t xml:space="preserve">1</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">' + part.sections[0]!.title);
    }
    expect(files.get('word/settings.xml')).toContain('<w:updateFields/>');
  });

  it('carries the same running header as the PDF: buyer and reference, and the heading at the right', () => {
    const header = [...files.entries()].find(([name]) => /^word\/header\d*\.xml$/.test(name))![1];
    expect(unescape(header)).toContain(model.header);
    expect(unescape(header)).toContain(model.title.heading);
    expect(header).toContain('<w:tab/>');
  });

  it('writes real lists: bullets and per-list ordered numbering that starts where the model says', () => {
    const numbering = files.get('word/numbering.xml')!;
    const listParas = paragraphs(doc).filter((p) => p.style === 'ListParagraph' && p.xml.includes('<w:numPr>'));
    expect(listParas.length).toBeGreaterThan(20);
    // the fixture's ordered list starting at 3 and the one starting at 1 are separate w:num entries
    expect(numbering).toMatch(/<w:startOverride w:val="3"\/>/);
    const levels = new Set(listParas.map((p) => /<w:ilvl w:val="(\d)"/.exec(p.xml)?.[1]));
    expect(levels).toEqual(new Set(['0', '1']));
  });

  it('writes inline formatting, code, hyperlinks and breaks', () => {
    const has = (re: RegExp) => expect(re.test(doc), String(re)).toBe(true);
    has(/<w:rStyle w:val="InlineCode"\/><\/w:rPr><w:t xml:space="preserve">kunde-2027-03-01\.zip/);
    has(/<w:hyperlink [^>]*r:id="rIdLink1"[^>]*><w:r><w:rPr><w:rStyle w:val="Hyperlink"\/><\/w:rPr><w:t xml:space="preserve">Digdirs veileder/);
    expect(files.get('word/_rels/document.xml.rels')).toContain('Id="rIdLink1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.digdir.no/datadeling" TargetMode="External"');
    has(/<w:br\/><\/w:r><w:r><w:t xml:space="preserve">andre linje i samme punkt/);
    has(/<w:b\/><w:bCs\/><w:i\/><w:iCs\/><\/w:rPr><w:t xml:space="preserve">metadata/);
  });

  it('adds the basis line and requirement id after each clause', () => {
    const notes = paragraphs(doc).filter((p) => p.style === 'ClauseNote').map((p) => unescape(p.text));
    const first = model.parts[0]!.sections[1]!.clauses[0]!;
    expect(notes).toContain(`${first.requirementId} · ${model.labels.basis}: ${first.basis.join('; ')}`);
  });

  it('writes the requirements table with a repeating header, fixed layout and widths that fill the text width', () => {
    const start = doc.indexOf(`>${model.labels.requirementColumns.id}<`);
    const table = doc.slice(doc.lastIndexOf('<w:tbl>', start), doc.indexOf('</w:tbl>', start));
    expect(table).toContain('<w:tblHeader/>');
    expect(table).toContain('<w:tblLayout w:type="fixed"/>');
    expect(table).toContain('<w:tblBorders>');
    const widths = [...table.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(4);
    expect(widths.reduce((a, b) => a + b, 0)).toBe(TEXT_WIDTH);
    // The supplier's answer column is the widest after the requirement text.
    expect(widths[3]).toBeGreaterThan(widths[0]! + widths[2]!);
    const rows = model.parts[0]!.requirements!.rows;
    expect(table.match(/<w:tr>/g)).toHaveLength(rows.length + 1);
    const row = rows[0]!;
    expect(unescape(table)).toContain(`${row.text} (${row.clauseNumber})`);
  });

  it('has the provenance annex with the field list and a table of clauses', () => {
    const text = unescape(doc);
    expect(text).toContain(`${model.labels.provenanceFields.tool}: `);
    expect(text).toContain(model.provenance.libraries[0]!.digest);
    for (const c of model.provenance.clauses) expect(text).toContain(c.id);
  });

  it('puts buyer and reference in the header and Page X of Y in the footer', () => {
    expect(unescape(files.get('word/header1.xml')!)).toContain(model.header);
    const footer = files.get('word/footer1.xml')!;
    expect(footer).toContain(`${model.labels.page} `);
    expect(footer).toMatch(/PAGE<\/w:instrText>|>PAGE</);
    expect(footer).toContain('NUMPAGES');
  });

  it('sets document properties from the model, not the clock', () => {
    const core = unescape(files.get('docProps/core.xml')!);
    const t = model.title;
    expect(core).toContain(`<dc:title>${t.appendixLabel}: ${t.heading} – ${t.procurementTitle}</dc:title>`);
    expect(core).toContain(`<dc:subject>${t.procurementTitle}</dc:subject>`);
    expect(core).toContain(`<dc:creator>${t.buyer}</dc:creator>`);
    expect(core).toContain(`<cp:lastModifiedBy>${t.buyer}</cp:lastModifiedBy>`);
    expect(core).toContain(`<cp:keywords>${model.keywords.join(', ')}</cp:keywords>`);
    expect(core).toContain(`<dcterms:created xsi:type="dcterms:W3CDTF">${t.date}T00:00:00Z</dcterms:created>`);
    expect(core).toContain(`<dcterms:modified xsi:type="dcterms:W3CDTF">${t.date}T00:00:00Z</dcterms:modified>`);
  });

  it('sets the document language in the style defaults, nb-NO or en-GB', async () => {
    expect(files.get('word/styles.xml')).toMatch(/<w:rPrDefault><w:rPr>.*<w:lang w:val="nb-NO"/);
    const en = { ...loadModel(), lang: 'en', langTag: 'en-GB' };
    expect(parts(await renderDocx(en)).get('word/styles.xml')).toMatch(/<w:rPrDefault><w:rPr>.*<w:lang w:val="en-GB"/);
  });

  it('writes every zip entry with the document date and [Content_Types].xml first', () => {
    const names = [...readZip(bytes).keys()];
    expect(names[0]).toBe('[Content_Types].xml');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // first local header: DOS date of 2027-03-01 is ((2027-1980)<<9)|(3<<5)|1
    expect(view.getUint16(12, true)).toBe(((2027 - 1980) << 9) | (3 << 5) | 1);
  });
});
