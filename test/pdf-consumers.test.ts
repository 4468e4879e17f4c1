import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as pdfLib from 'pdf-lib';
import type { PDFDict as PDFDictT } from 'pdf-lib';
import type { DocumentModel } from '../src/assemble/model.js';
import { hasCommand, requireFile, requireTool, ROOT, runCli, sh } from './support/tools.js';

/** Real consumers of the PDF of every example: qpdf, pdftotext, PDFBox Preflight, pdf-lib. */

const EXAMPLES = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml')).sort();
const JARS = ['preflight', 'pdfbox2', 'fontbox2', 'xmpbox', 'commons-logging', 'javax.activation', 'jaxb-api'].map((j) => `/usr/share/java/${j}.jar`);

const out = mkdtempSync(path.join(tmpdir(), 'dataklausul-pdf-'));
// Each example in its own language, and one in nynorsk (its text has nynorsk words and letters the
// bokmål text lacks, e.g. "ò" in "òg" is absent but "løysing", "høgst" go through the same font path).
const CASES = [...EXAMPLES, 'cloud-hr.yaml --lang nn'];
const fileOf = (c: string, ext: string) => path.join(out, c.includes('--lang nn') ? 'nn' : '', c.split(' ')[0]!.replace(/\.yaml$/, `.${ext}`));
const pdfOf = (c: string) => fileOf(c, 'pdf');
const modelOf = (c: string): DocumentModel => JSON.parse(readFileSync(fileOf(c, 'json'), 'utf8')) as DocumentModel;
const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ');

beforeAll(() => {
  for (const c of CASES) {
    const [example, ...flags] = c.split(' ');
    const r = runCli(['build', path.join('examples', example!), '--format', 'pdf,json', '--out', path.dirname(pdfOf(c)), '--force', ...flags]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
});

it('the nynorsk case is really nynorsk', () => {
  const model = modelOf('cloud-hr.yaml --lang nn');
  expect(model.langTag).toBe('nn-NO');
  expect(model.parts[0]!.sections[0]!.title).toBe('Definisjonar');
});

describe.each(CASES)('PDF of examples/%s', (example) => {
  it('passes qpdf --check', () => {
    if (!requireTool('qpdf', hasCommand('qpdf'))) return;
    const r = spawnSync('qpdf', ['--check', pdfOf(example)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No syntax or stream encoding errors found');
  });

  it('has every clause heading, with æ ø å intact, in pdftotext output', () => {
    if (!requireTool('pdftotext', hasCommand('pdftotext'))) return;
    const text = norm(sh('pdftotext', ['-layout', '-enc', 'UTF-8', pdfOf(example), '-']));
    const model = modelOf(example);
    const headings = [
      ...model.parts.flatMap((part) => [part.title, ...part.sections.flatMap((s) => [`${s.number} ${s.title}`, ...s.clauses.map((c) => `${c.number} ${c.title}`)])]),
      model.provenance.title,
    ];
    const missing = headings.filter((h) => !text.includes(norm(h)));
    expect(missing).toEqual([]);
    // In Norwegian documents the letters are really tested: headings and labels use them.
    if (model.lang !== 'en') {
      expect(headings.filter((h) => /[æøåÆØÅ]/.test(h)).length).toBeGreaterThan(0);
      expect(model.labels.requirementColumns.answer).toMatch(/[æøå]/);
    }
    expect(text).toContain(norm(model.labels.requirementColumns.answer));
    expect(text).toContain(norm(model.title.buyer));
  });

  it('breaks no word without a hyphen (every word pdftotext reads is a word of the document, or ends in a hyphen)', () => {
    if (!requireTool('pdftotext', hasCommand('pdftotext'))) return;
    const model = modelOf(example);
    const strip = (w: string) => w.replace(/^[()[\]{}.,;:«»"'“”!?…*–—/•·]+|[()[\]{}.,;:«»"'“”!?…*–—/•·]+$/g, '');
    const words = new Set<string>();
    const collect = (v: unknown): void => {
      if (typeof v === 'string') {
        const ws = v.split(/\s+/).map(strip);
        ws.forEach((w, i) => {
          words.add(w);
          // pdftotext joins a hyphen at the end of a line to the next line's word ("helse- og" → "helseog").
          if (w.endsWith('-') && ws[i + 1]) words.add(w.slice(0, -1) + ws[i + 1]);
        });
      }
      else if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    collect(model);
    const text = sh('pdftotext', ['-enc', 'UTF-8', pdfOf(example), '-']);
    const broken = text
      .split(/\s+/)
      .map(strip)
      .filter((w) => w && !words.has(w) && !w.endsWith('-') && !/^\d+$/.test(w) && !/^[0-9a-f]{6,}$/.test(w));
    expect([...new Set(broken)]).toEqual([]);
  });

  it('is valid PDF/A-1b according to PDFBox Preflight', () => {
    if (!requireTool('java', hasCommand('java'))) return;
    if (!JARS.every((jar) => requireFile(jar, jar))) return;
    const r = spawnSync('java', ['-cp', JARS.join(':'), 'org.apache.pdfbox.preflight.Validator_A1b', pdfOf(example)], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout + r.stderr).toContain('is a valid PDF/A-1b file');
    expect(r.status).toBe(0);
  });

  it('has a bookmark for every section and clause, nested, pointing at real pages', async () => {
    const { PDFDocument, PDFDict, PDFName, PDFArray, PDFRef, PDFHexString, PDFString } = pdfLib;
    const doc = await PDFDocument.load(readFileSync(pdfOf(example)), { updateMetadata: false });
    const pageRefs = new Set(doc.getPages().map((p) => p.ref.toString()));
    const ctx = doc.context;
    type Node = { title: string; children: Node[] };
    const walk = (parent: PDFDictT): Node[] => {
      const nodes: Node[] = [];
      let ref = parent.get(PDFName.of('First'));
      while (ref instanceof PDFRef) {
        const item = ctx.lookup(ref, PDFDict);
        const title = item.lookup(PDFName.of('Title'));
        const dest = item.lookup(PDFName.of('Dest'), PDFArray);
        expect(pageRefs.has(dest.get(0).toString())).toBe(true);
        nodes.push({ title: title instanceof PDFHexString || title instanceof PDFString ? title.decodeText() : '', children: walk(item) });
        ref = item.get(PDFName.of('Next'));
      }
      return nodes;
    };
    const outline = walk(doc.catalog.lookup(PDFName.of('Outlines'), PDFDict));
    const model = modelOf(example);
    expect(outline).toEqual([
      ...model.parts.map((part) => ({
        title: part.title,
        children: [
          ...part.sections.map((s) => ({ title: `${s.number} ${s.title}`, children: s.clauses.map((c) => ({ title: `${c.number} ${c.title}`, children: [] })) })),
          ...(part.requirements ? [{ title: `${part.requirements.number} ${part.requirements.title}`, children: [] }] : []),
        ],
      })),
      { title: model.provenance.title, children: [] },
    ]);
    expect(doc.catalog.lookup(PDFName.of('Lang'))?.toString()).toContain(model.langTag);
  });
});

describe('reproducible PDF', () => {
  it('two builds in separate processes seconds apart give identical bytes', async () => {
    const example = EXAMPLES[0]!;
    const other = mkdtempSync(path.join(tmpdir(), 'dataklausul-pdf-again-'));
    await new Promise((r) => setTimeout(r, 2500));
    const r = runCli(['build', path.join('examples', example), '--format', 'pdf', '--out', other, '--force']);
    expect(r.code).toBe(0);
    const a = readFileSync(pdfOf(example));
    const b = readFileSync(path.join(other, example.replace(/\.yaml$/, '.pdf')));
    expect(b.length).toBe(a.length);
    expect(b.equals(a)).toBe(true);
  });
});
