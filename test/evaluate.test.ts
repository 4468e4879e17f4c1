import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel, RequirementRow } from '../src/assemble/model.js';
import { parseAnswer, requirementDigest, stripClauseNumber } from '../src/core/answer-sheet.js';
import type { EvaluationReport, SupplierResult } from '../src/evaluate/evaluate.js';
import { parseCsv } from '../src/evaluate/read-csv.js';
import { csvCell } from '../src/render/csv.js';
import { fillDocx, type Filling } from './support/answer-filler.js';
import { ROOT, hasCommand, requireTool, runCli } from './support/tools.js';

/**
 * `dataklausul evaluate` (issue 17): appendices are built, their answer column filled in by our own filler and again
 * after LibreOffice has saved them, and the reports checked case by case; the CSV answer sheet the same way; bad files
 * are reported one by one while the others are still evaluated.
 */

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-evaluate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ANSWERS = path.join(ROOT, 'examples', 'cloud-hr.yaml');
const sent = path.join(tmp, 'sent');
let model: DocumentModel;
let docx: Uint8Array;
let csv: string;
let rows: RequirementRow[];
let skal: string[];
let bor: string[];

beforeAll(() => {
  const r = runCli(['build', ANSWERS, '--format', 'docx,csv,json', '--out', sent]);
  expect(r.code, r.stderr).toBe(0);
  model = JSON.parse(readFileSync(path.join(sent, 'cloud-hr.json'), 'utf8')) as DocumentModel;
  docx = readFileSync(path.join(sent, 'cloud-hr.docx'));
  csv = readFileSync(path.join(sent, 'cloud-hr.csv'), 'utf8');
  rows = model.parts.flatMap((p) => p.requirements?.rows ?? []);
  skal = rows.filter((x) => x.level === 'skal').map((x) => x.id);
  bor = rows.filter((x) => x.level === 'bør').map((x) => x.id);
  expect(skal.length).toBeGreaterThan(3);
  expect(bor.length).toBeGreaterThan(0);
}, 180_000);

function evaluate(files: string[], extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = runCli(['evaluate', ANSWERS, ...files, '--json', ...extra], { env });
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return { ...r, report: r.stdout.trim().startsWith('{') ? (JSON.parse(r.stdout) as EvaluationReport) : undefined };
}
const supplier = (report: EvaluationReport | undefined, name: string): SupplierResult => {
  const s = report?.suppliers.find((x) => x.supplier === name);
  if (!s) throw new Error(`no supplier ${name} in the report`);
  return s;
};
const row = (s: SupplierResult, id: string) => s.rows.find((r) => r.id === id)!;

describe('the answer sheet in what we write', () => {
  it('the DOCX carries a custom XML part with identity and a digest per requirement and language; the heading names the answers', () => {
    const files = unzipSync(docx);
    const part = new TextDecoder().decode(files['customXml/item1.xml']);
    expect(part).toContain('urn:dataklausul:answer-sheet:1');
    expect(part).toContain(`answersDigest="${model.provenance.answers.digest}"`);
    for (const l of model.provenance.libraries) expect(part).toContain(`name="${l.name}" version="${l.version}" digest="${l.digest}"`);
    expect(part).toContain(`<requirement id="${rows[0]!.id}" clause="${rows[0]!.clauseId}" number="${rows[0]!.clauseNumber}" level="${rows[0]!.level}"`);
    expect(Object.keys(rows[0]!.digests).sort()).toEqual(['en', 'nb', 'nn']);
    expect(rows[0]!.digests.nb).toBe(requirementDigest(rows[0]!.text));
    expect(new TextDecoder().decode(files['[Content_Types].xml'])).toContain('PartName="/customXml/itemProps1.xml"');
    expect(new TextDecoder().decode(files['word/_rels/document.xml.rels'])).toContain('Target="../customXml/item1.xml"');
    expect(new TextDecoder().decode(files['word/document.xml'])).toContain('Leverandørens svar (Ja, Nei eller Delvis + kommentar)');
  });

  it('DOCX and CSV are byte-identical across builds', () => {
    const again = path.join(tmp, 'again');
    expect(runCli(['build', ANSWERS, '--format', 'docx,csv', '--out', again]).code).toBe(0);
    expect(Buffer.compare(readFileSync(path.join(again, 'cloud-hr.docx')), Buffer.from(docx))).toBe(0);
    expect(readFileSync(path.join(again, 'cloud-hr.csv'), 'utf8')).toBe(csv);
  });

  it('the CSV sheet: BOM, identity line, ";" and CRLF, one line per requirement with its digest', () => {
    expect(csv.startsWith('\ufeffdataklausul-answer-sheet;version=1;lang=nb;answers=cloud-hr.yaml;')).toBe(true);
    expect(csv).toContain('\r\n');
    const recs = parseCsv(csv.slice(1), ';');
    expect(recs[1]).toEqual(['Krav-ID', 'Krav', 'Type', 'Svar (Ja, Nei eller Delvis)', 'Kommentar', 'Kontrollsum (ikke endre)']);
    expect(recs.slice(2).filter((r) => r.length > 1).map((r) => r[0])).toEqual(rows.map((r) => r.id));
    expect(recs[2]![5]).toBe(rows[0]!.digests.nb);
  });

  it('a cell that a spreadsheet would take for a formula is defused, and read back as written', () => {
    for (const v of ['=HYPERLINK("http://x")', '+47 1234', '-1', '@SUM(A1)']) {
      const cell = csvCell(v);
      expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
      expect(requirementDigest(parseCsv(cell, ';')[0]![0]!)).toBe(requirementDigest(v));
    }
    expect(csvCell('a;b "c"')).toBe('"a;b ""c"""');
  });

  it('reads answers in any language, with the rest of the cell as the comment', () => {
    const words = [
      { yes: 'Ja', no: 'Nei', partly: 'Delvis' },
      { yes: 'Yes', no: 'No', partly: 'Partly' },
    ];
    expect(parseAnswer('  ja.  ', words)).toEqual({ value: 'yes', comment: '' });
    expect(parseAnswer('DELVIS: innen 60 dager', words)).toEqual({ value: 'partly', comment: 'innen 60 dager' });
    expect(parseAnswer('No – see annex', words)).toEqual({ value: 'no', comment: 'see annex' });
    expect(parseAnswer('Kanskje', words)).toEqual({ value: 'unclear', comment: 'Kanskje' });
    expect(parseAnswer('', words).value).toBe('empty');
    expect(stripClauseNumber('Leverandøren skal  levere. (2.1)', '2.1')).toBe('Leverandøren skal levere.');
  });
});

describe('evaluating answered DOCX files, filled by our filler and re-saved by LibreOffice', () => {
  const filled = path.join(tmp, 'filled');
  const viaLo = path.join(tmp, 'libreoffice');
  let cases: Record<string, Filling>;
  let lo = false;
  beforeAll(() => {
    mkdirSync(filled, { recursive: true });
    const edited = rows.find((r) => r.level === 'skal' && / skal /.test(r.text))!;
    cases = {
      'all-met': { answers: { '*': 'Ja' } },
      'skal-not-met': { answers: { '*': 'Ja', [skal[1]!]: 'Nei, vi lagrer data i USA' } },
      wording: { answers: { '*': 'Ja' }, edit: { [edited.id]: `${edited.text.replace(' skal ', ' bør ')} (${edited.clauseNumber})` } },
      deleted: { answers: { '*': 'Ja' }, remove: [skal[2]!] },
      tracked: { answers: { '*': 'Ja' }, tracked: { [skal[0]!]: 'Nei' } },
      mixed: {
        answers: { '*': 'Ja', [bor[0]!]: 'Delvis innen 60 dager', [skal[3]!]: 'Delvis bare for eksport' },
        splitRuns: true,
        addRow: ['DK-EGET-1', 'Leverandørens eget krav', 'Skal', 'Ja'],
        comment: { [skal[4]!]: 'Se vedlegg 3' },
        splitBefore: rows[Math.floor(rows.length / 2)]!.id,
      },
    };
    for (const [name, f] of Object.entries(cases)) writeFileSync(path.join(filled, `${name}.docx`), fillDocx(docx, f));
    // A response to another appendix: the welfare-technology example, answered in full.
    const other = path.join(tmp, 'other');
    expect(runCli(['build', path.join(ROOT, 'examples', 'welfare-technology.yaml'), '--format', 'docx', '--out', other]).code).toBe(0);
    writeFileSync(path.join(filled, 'other-appendix.docx'), fillDocx(readFileSync(path.join(other, 'welfare-technology.docx')), { answers: { '*': 'Ja' } }));

    lo = hasCommand('soffice');
    if (!lo) return;
    const profile = mkdtempSync(path.join(tmpdir(), 'lo-dk-'));
    try {
      const files = readdirSync(filled).map((f) => path.join(filled, f));
      const r = spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${profile}`, '--convert-to', 'docx:MS Word 2007 XML', '--outdir', viaLo, ...files], { encoding: 'utf8', timeout: 400_000 });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  }, 420_000);

  const check = (dir: string) => {
    const files = readdirSync(dir)
      .sort()
      .map((f) => path.join(dir, f));
    const r = evaluate(files);
    expect(r.code).toBe(1);
    const rep = r.report!;
    expect(rep.suppliers.map((s) => s.supplier)).toEqual(['all-met', 'deleted', 'mixed', 'other-appendix', 'skal-not-met', 'tracked', 'wording']);

    const all = supplier(rep, 'all-met');
    expect(all.meetsAllSkal).toBe(true);
    expect(all.counts.skalOk).toBe(skal.length);
    expect(all.counts.børMet).toBe(bor.length);
    expect(all.rows.every((x) => x.status === 'met' && !x.wording && !x.levelChanged)).toBe(true);
    expect(all.added).toEqual([]);

    const no = supplier(rep, 'skal-not-met');
    expect(no.meetsAllSkal).toBe(false);
    expect(row(no, skal[1]!)).toMatchObject({ status: 'not-met', level: 'skal', comment: 'vi lagrer data i USA' });
    expect(no.counts.skalNotMet).toBe(1);

    const w = supplier(rep, 'wording');
    const changed = w.rows.filter((x) => x.wording);
    expect(changed).toHaveLength(1);
    expect(changed[0]!.status).toBe('met');
    expect(changed[0]!.wording!.filter((d) => d.op !== 'same').map((d) => `${d.op}:${d.text}`)).toEqual(['del:skal', 'ins:bør']);
    expect(w.meetsAllSkal).toBe(false);

    const d = supplier(rep, 'deleted');
    expect(row(d, skal[2]!).status).toBe('deleted');
    expect(d.counts.deleted).toBe(1);
    expect(d.meetsAllSkal).toBe(false);

    // The accepted state: the tracked insertion "Ja" counts, the tracked deletion "Nei" does not; the change is reported.
    const t = supplier(rep, 'tracked');
    expect(row(t, skal[0]!)).toMatchObject({ status: 'met' });
    expect(row(t, skal[0]!).pendingChanges).toBeGreaterThan(0);
    expect(t.pendingChanges).toBeGreaterThan(0);
    expect(t.meetsAllSkal).toBe(true);

    // Split runs and an answer in two paragraphs; a "bør" and a "skal" met in part; a row the supplier added; a Word
    // comment; the table split in two with its heading repeated.
    const m = supplier(rep, 'mixed');
    expect(row(m, bor[0]!)).toMatchObject({ status: 'partly', comment: 'innen 60 dager' });
    expect(row(m, skal[3]!)).toMatchObject({ status: 'partly', comment: 'bare for eksport' });
    expect(m.counts.skalPartly).toBe(1);
    expect(row(m, skal[4]!)).toMatchObject({ status: 'met', comment: 'Leverandør: Se vedlegg 3' });
    expect(m.comments).toBe(1);
    expect(m.rows.map((x) => x.status).filter((x) => x === 'deleted' || x === 'unanswered')).toEqual([]);
    expect(m.added).toEqual([{ id: 'DK-EGET-1', text: 'Leverandørens eget krav', answer: 'Ja' }]);
    expect(m.rows.filter((x) => x.wording)).toEqual([]);
    expect(m.meetsAllSkal).toBe(false);

    const o = supplier(rep, 'other-appendix');
    expect(o.mismatch.map((x) => x.kind)).toEqual(['answers']);
    expect(o.rows).toEqual([]);
    expect(o.meetsAllSkal).toBe(false);
    return rep;
  };

  it('our filler: every case gives the expected report', () => {
    check(filled);
  });

  it('re-saved by LibreOffice (new styles, its own XML, tracked changes kept): the same report', () => {
    if (!requireTool('LibreOffice (soffice)', lo)) return;
    const a = check(viaLo);
    const b = check(filled);
    // Same findings whichever program saved the files; only the file names differ.
    const strip = (rep: EvaluationReport) => rep.suppliers.map((s) => ({ ...s, file: '', pendingChanges: s.pendingChanges > 0, rows: s.rows.map((r) => ({ ...r, pendingChanges: r.pendingChanges > 0 })) }));
    expect(strip(a)).toEqual(strip(b));
  });

  it('only "all met" alone exits 0; the terminal summary flags the possible ground for rejection', () => {
    expect(runCli(['evaluate', ANSWERS, path.join(filled, 'all-met.docx')]).code).toBe(0);
    const r = runCli(['evaluate', ANSWERS, path.join(filled, 'all-met.docx'), path.join(filled, 'skal-not-met.docx')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✓ all-met: Meets every mandatory requirement');
    expect(r.stdout).toContain(`${skal[1]} (Mandatory): No (possible ground for rejection, FOA § 24-8) – vi lagrer data i USA`);
    expect(r.stdout).toContain('1 of 2 suppliers meet every mandatory requirement.');
    const nb = runCli(['evaluate', ANSWERS, path.join(filled, 'skal-not-met.docx')], { env: { DATAKLAUSUL_LANG: '' } });
    expect(nb.stdout).toContain('(mulig avvisningsgrunn, FOA § 24-8)');
  });

  it('reports in md, html, json and docx are named after the answers file, byte-identical across runs, and need --force', () => {
    const files = readdirSync(filled)
      .sort()
      .map((f) => path.join(filled, f));
    const out1 = path.join(tmp, 'reports1');
    const out2 = path.join(tmp, 'reports2');
    for (const out of [out1, out2]) {
      const r = runCli(['evaluate', ANSWERS, ...files, '--format', 'md,html,json,docx', '--out', out]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toContain(`wrote ${path.join(out, 'cloud-hr.evaluation.docx')}`);
    }
    for (const ext of ['md', 'html', 'json', 'docx']) expect(Buffer.compare(readFileSync(path.join(out1, `cloud-hr.evaluation.${ext}`)), readFileSync(path.join(out2, `cloud-hr.evaluation.${ext}`))), ext).toBe(0);
    expect(readdirSync(out1).sort()).toEqual(['cloud-hr.evaluation.docx', 'cloud-hr.evaluation.html', 'cloud-hr.evaluation.json', 'cloud-hr.evaluation.md']);
    const again = runCli(['evaluate', ANSWERS, ...files, '--format', 'md', '--out', out1]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/cloud-hr\.evaluation\.md/);
    const md = readFileSync(path.join(out1, 'cloud-hr.evaluation.md'), 'utf8');
    expect(md).toContain('~~skal~~<ins>bør</ins>');
    expect(md).toContain('Mandatory requirements not met – a possible ground for rejection (FOA § 24-8)');
    expect(md).toMatch(/\| Req\. ID \| Type \| all-met \| deleted \| mixed \| other-appendix \| skal-not-met \| tracked \| wording \|/);
    const html = readFileSync(path.join(out1, 'cloud-hr.evaluation.html'), 'utf8');
    expect(html).toContain('<del>skal</del><ins>bør</ins>');
    expect(runCli(['evaluate', ANSWERS, files[0]!, '--format', 'pdf']).code).toBe(2);
  });

  it('the DOCX report opens in LibreOffice', () => {
    if (!requireTool('LibreOffice (soffice)', lo)) return;
    const out = path.join(tmp, 'reports1');
    const profile = mkdtempSync(path.join(tmpdir(), 'lo-dk-'));
    try {
      const r = spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${profile}`, '--convert-to', 'txt:Text', '--outdir', path.join(tmp, 'report-txt'), path.join(out, 'cloud-hr.evaluation.docx')], { encoding: 'utf8', timeout: 180_000 });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
    const text = readFileSync(path.join(tmp, 'report-txt', 'cloud-hr.evaluation.txt'), 'utf8');
    expect(text).toContain(`Evaluation of offers: ${model.title.procurementTitle}`);
    expect(text).toContain('Mandatory requirements not met – a possible ground for rejection (FOA § 24-8)');
    expect(text).toContain('Comparison of the suppliers');
  });
});

describe('the CSV answer sheet round-trips', () => {
  const dir = path.join(tmp, 'csv');
  /** Fills the answer and comment columns the way a spreadsheet user would, keeping the file's own conventions. */
  const fillCsv = (answers: Record<string, [string, string]>, fallback: [string, string]) => {
    const recs = parseCsv(csv.slice(1), ';').filter((r) => r.length > 1);
    for (const r of recs.slice(2)) [r[3], r[4]] = answers[r[0]!] ?? fallback;
    return `\ufeff${recs.map((r) => r.map(csvCell).join(';')).join('\r\n')}\r\n`;
  };
  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'alfa.csv'), fillCsv({}, ['Ja', '']));
    writeFileSync(path.join(dir, 'beta.csv'), fillCsv({ [skal[0]!]: ['Nei', '=kostnad*2'], [bor[0]!]: ['Delvis', 'fra 2028'] }, ['Ja', '']));
  });

  it('answers, comments (also one that looks like a formula) and the identity are read back', () => {
    const r = evaluate([path.join(dir, 'alfa.csv'), path.join(dir, 'beta.csv')]);
    expect(r.code).toBe(1);
    expect(supplier(r.report, 'alfa').meetsAllSkal).toBe(true);
    const b = supplier(r.report, 'beta');
    expect(row(b, skal[0]!)).toMatchObject({ status: 'not-met', comment: '=kostnad*2' });
    expect(row(b, bor[0]!)).toMatchObject({ status: 'partly', comment: 'fra 2028' });
  });

  it('saved again by LibreOffice Calc (as a spreadsheet user would), it reads the same', () => {
    if (!requireTool('LibreOffice Calc (libreoffice-calc-nogui)', hasCommand('soffice') && existsSync('/usr/lib/libreoffice/program/libscfiltlo.so'))) return;
    const out = path.join(tmp, 'csv-lo');
    const profile = mkdtempSync(path.join(tmpdir(), 'lo-dk-'));
    try {
      // Read as UTF-8 with ";" and written back the same way (filter options: separator 59, quote 34, UTF-8 76).
      const r = spawnSync(
        'soffice',
        ['--headless', `-env:UserInstallation=file://${profile}`, '--infilter=CSV:59,34,76,1,,0,false,true', '--convert-to', 'csv:Text - txt - csv (StarCalc):59,34,76,1', '--outdir', out, path.join(dir, 'beta.csv')],
        { encoding: 'utf8', timeout: 180_000 },
      );
      expect(r.status, r.stderr).toBe(0);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
    const r = evaluate([path.join(out, 'beta.csv')]);
    const b = supplier(r.report, 'beta');
    expect(b.error).toBeUndefined();
    expect(b.mismatch).toEqual([]);
    expect(row(b, skal[0]!)).toMatchObject({ status: 'not-met' });
    expect(row(b, bor[0]!)).toMatchObject({ status: 'partly', comment: 'fra 2028' });
    expect(b.rows.filter((x) => x.wording)).toEqual([]);
  });

  it('control characters in a comment never reach the DOCX report', async () => {
    writeFileSync(path.join(dir, 'delta.csv'), fillCsv({ [skal[0]!]: ['Delvis', 'bare\u0007 <b>fet</b> & =1+1'] }, ['Ja', '']));
    const out = path.join(tmp, 'csv-report');
    const r = runCli(['evaluate', ANSWERS, path.join(dir, 'delta.csv'), '--format', 'docx,html', '--out', out]);
    expect(r.code).toBe(1);
    const { DOMParser } = await import('@xmldom/xmldom');
    const xml = new TextDecoder().decode(unzipSync(readFileSync(path.join(out, 'cloud-hr.evaluation.docx')))['word/document.xml']);
    expect(() => new DOMParser({ onError: (level, m) => { throw new Error(`${level}: ${m}`); } }).parseFromString(xml, 'application/xml')).not.toThrow();
    expect(xml).toContain('bare &lt;b&gt;fet&lt;/b&gt; &amp; =1+1');
    expect(readFileSync(path.join(out, 'cloud-hr.evaluation.html'), 'utf8')).toContain('&lt;b&gt;fet&lt;/b&gt; &amp; =1+1');
  });

  it('a changed requirement text and a deleted row show in a CSV too; Windows-1252 is read', () => {
    const recs = parseCsv(fillCsv({}, ['Ja', '']).slice(1), ';').filter((r) => r.length > 1);
    recs[2]![1] = recs[2]![1]!.replace('skal', 'kan');
    recs.splice(3, 1);
    const text = `${recs.map((r) => r.map(csvCell).join(';')).join('\r\n')}\r\n`;
    writeFileSync(path.join(dir, 'gamma.csv'), Buffer.from(text, 'latin1'));
    const g = supplier(evaluate([path.join(dir, 'gamma.csv')]).report, 'gamma');
    expect(row(g, rows[0]!.id).wording!.filter((d) => d.op !== 'same').map((d) => d.text)).toEqual(['skal', 'kan']);
    expect(row(g, rows[1]!.id).status).toBe('deleted');
  });
});

describe('other languages and --split', () => {
  it('a sheet built in English is read against the English appendix; one part of a --split build against that part only', () => {
    const en = path.join(tmp, 'en');
    expect(runCli(['build', ANSWERS, '--format', 'csv', '--lang', 'en', '--out', en]).code).toBe(0);
    const sheet = readFileSync(path.join(en, 'cloud-hr.csv'), 'utf8');
    expect(sheet).toContain(';Checksum (do not change)');
    const recs = parseCsv(sheet.slice(1), ';').filter((r) => r.length > 1);
    for (const r of recs.slice(2)) r[3] = 'Yes';
    writeFileSync(path.join(en, 'english.csv'), `${recs.map((r) => r.map(csvCell).join(';')).join('\r\n')}\r\n`);
    const split = path.join(tmp, 'split');
    expect(runCli(['build', ANSWERS, '--format', 'csv,docx', '--split', '--out', split]).code).toBe(0);
    const part = model.parts.find((p) => p.requirements && p.slug !== model.parts[0]!.slug)!;
    writeFileSync(path.join(split, 'part.docx'), fillDocx(readFileSync(path.join(split, `cloud-hr.${part.slug}.docx`)), { answers: { '*': 'Ja' } }));
    const r = evaluate([path.join(en, 'english.csv'), path.join(split, 'part.docx'), path.join(split, `cloud-hr.${part.slug}.csv`)]);
    expect(supplier(r.report, 'english').meetsAllSkal).toBe(true);
    const p = supplier(r.report, 'part');
    expect(p.meetsAllSkal).toBe(true);
    expect(p.rows.map((x) => x.id)).toEqual(part.requirements!.rows.map((x) => x.id));
    // The part's CSV sheet, unanswered: only that part's rows, none deleted.
    const c = supplier(r.report, `cloud-hr.${part.slug}`);
    expect(c.rows.map((x) => x.status)).toEqual(part.requirements!.rows.map(() => 'unanswered'));
  });
});

describe('libraries are part of the identity', () => {
  it('a response built with another library layer is another appendix; with the same --library it is evaluated', () => {
    const lib = path.join(ROOT, 'examples', 'libraries', 'ikt-samarbeid');
    const out = path.join(tmp, 'layered');
    expect(runCli(['build', ANSWERS, '--format', 'docx', '--library', lib, '--out', out]).code).toBe(0);
    writeFileSync(path.join(out, 'layered.docx'), fillDocx(readFileSync(path.join(out, 'cloud-hr.docx')), { answers: { '*': 'Ja' } }));
    const without = supplier(evaluate([path.join(out, 'layered.docx')]).report, 'layered');
    expect(without.mismatch.map((m) => m.kind)).toEqual(['libraries']);
    expect(without.mismatch[0]!.vars.response).toMatch(/ikt-samarbeid/);
    const withLib = evaluate([path.join(out, 'layered.docx')], ['--library', lib]);
    expect(withLib.code).toBe(0);
    expect(supplier(withLib.report, 'layered').meetsAllSkal).toBe(true);
  });
});

describe('with a project file', () => {
  it("its formats (the appendix's) do not become report formats; its out folder holds the reports", () => {
    const d = path.join(tmp, 'project');
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'dataklausul.yaml'), 'formats: [docx, pdf]\nout: rapporter\n');
    writeFileSync(path.join(d, 'alfa.docx'), fillDocx(docx, { answers: { '*': 'Ja' } }));
    const r = runCli(['evaluate', ANSWERS, 'alfa.docx'], { cwd: d });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(path.join(d, 'rapporter'))).toBe(false);
    const w = runCli(['evaluate', ANSWERS, 'alfa.docx', '--format', 'md'], { cwd: d });
    expect(w.code).toBe(0);
    expect(readdirSync(path.join(d, 'rapporter'))).toEqual(['cloud-hr.evaluation.md']);
  });
});

describe('bad input: a clear error per file, the others still evaluated', () => {
  const dir = path.join(tmp, 'bad');
  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'good.docx'), fillDocx(docx, { answers: { '*': 'Ja' } }));
    writeFileSync(path.join(dir, 'scan.pdf'), '%PDF-1.4\n%\u00e2\u00e3\n1 0 obj << >> endobj\n');
    writeFileSync(path.join(dir, 'notes.docx'), 'Dette er ikke et Word-dokument.\n');
    // A supplier's own document: the same DOCX without our answer sheet part.
    const own = unzipSync(docx);
    for (const k of Object.keys(own)) if (k.startsWith('customXml/')) delete own[k];
    writeFileSync(path.join(dir, 'own-document.docx'), zipSync(own));
    // A zip bomb: a document part of 200 MB of zeros, a few hundred kilobytes packed.
    const bomb = unzipSync(docx);
    bomb['word/document.xml'] = new Uint8Array(200 * 1024 * 1024);
    writeFileSync(path.join(dir, 'bomb.docx'), zipSync(bomb, { level: 9 }));
    // 50 MB (a large picture, stored): far above the default input limit.
    const huge = unzipSync(docx);
    huge['word/media/image1.png'] = new Uint8Array(50 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
    writeFileSync(path.join(dir, 'huge.docx'), zipSync(huge, { level: 0 }));
  }, 120_000);

  it('names each file and what is wrong, evaluates the good one, writes only the reports asked for', () => {
    const files = ['good.docx', 'scan.pdf', 'notes.docx', 'own-document.docx', 'bomb.docx', 'huge.docx'].map((f) => path.join(dir, f));
    const out = path.join(tmp, 'bad-out');
    const r = runCli(['evaluate', ANSWERS, ...files, '--out', out, '--format', 'json']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const line = (name: string) => lines.find((l) => l.startsWith(`✗ ${name}:`) || l.startsWith(`✓ ${name}:`)) ?? '';
    expect(line('good')).toMatch(/^✓ good: Meets every mandatory requirement/);
    expect(line('scan')).toMatch(/scan\.pdf: neither DOCX nor CSV\./);
    expect(line('notes')).toMatch(/notes\.docx: not a readable DOCX document \(not a zip package\)/);
    expect(line('own-document')).toMatch(/own-document\.docx: has no dataklausul answer sheet \(perhaps the supplier's own document\)/);
    expect(line('bomb')).toMatch(/bomb\.docx: unpacks to an unreasonable size \(word\/document\.xml inflates to \d+ bytes\)/);
    expect(line('huge')).toMatch(/huge\.docx.*--max-file-size/);
    expect(readdirSync(out)).toEqual(['cloud-hr.evaluation.json']);
    const rep = JSON.parse(readFileSync(path.join(out, 'cloud-hr.evaluation.json'), 'utf8')) as EvaluationReport;
    expect(rep.suppliers.map((s) => s.error?.kind ?? 'ok')).toEqual(['ok', 'unknownType', 'notDocx', 'noSheet', 'zipBomb', 'other']);
  });

  it('a bomb that stays within the size but not the ratio is refused too; --max-file-size lets a large file in', () => {
    const bomb = unzipSync(docx);
    bomb['word/document.xml'] = new Uint8Array(20 * 1024 * 1024);
    writeFileSync(path.join(dir, 'ratio.docx'), zipSync(bomb, { level: 9 }));
    expect(line2(evaluate([path.join(dir, 'ratio.docx')]).report, 'ratio')).toMatch(/inflates \d+ times/);
    // A bomb that lies about its size in the zip directory is inflated only up to the size it declares.
    const liar = zipSync({ ...unzipSync(docx), 'word/document.xml': new Uint8Array(30 * 1024 * 1024).fill(60) }, { level: 9 });
    const v = new DataView(liar.buffer, liar.byteOffset);
    let at = v.getUint32(liar.length - 22 + 16, true);
    for (let n = v.getUint16(liar.length - 22 + 10, true); n > 0; n--) {
      const nameLength = v.getUint16(at + 28, true);
      const name = new TextDecoder().decode(liar.subarray(at + 46, at + 46 + nameLength));
      if (name === 'word/document.xml') {
        v.setUint32(at + 24, 2000, true);
        v.setUint32(v.getUint32(at + 42, true) + 22, 2000, true);
      }
      at += 46 + nameLength + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
    }
    writeFileSync(path.join(dir, 'liar.docx'), liar);
    expect(line2(evaluate([path.join(dir, 'liar.docx')]).report, 'liar')).toMatch(/^badXml: .*word\/document\.xml/);
    const big = evaluate([path.join(dir, 'huge.docx')], ['--max-file-size', '60MB']).report;
    // With the limit raised the document is read; the picture is never inflated.
    expect(supplier(big, 'huge').error).toBeUndefined();
    expect(supplier(big, 'huge').meetsAllSkal).toBe(false);
  });

  it('XML that is broken or declares entities is refused, naming the part', () => {
    for (const [name, xml] of [
      ['broken', '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'],
      ['entities', '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>&b;</w:body></w:document>'],
    ] as const) {
      const files = unzipSync(docx);
      files['word/document.xml'] = new TextEncoder().encode(xml);
      writeFileSync(path.join(dir, `${name}.docx`), zipSync(files));
    }
    const r = evaluate([path.join(dir, 'broken.docx'), path.join(dir, 'entities.docx')]);
    for (const name of ['broken', 'entities']) {
      const s = supplier(r.report, name);
      expect(s.error?.kind, name).toBe('badXml');
      expect(s.error?.vars.part).toBe('word/document.xml');
    }
  });

  it('a missing response file is an error row; a missing answers file stops with exit 1', () => {
    const r = evaluate([path.join(dir, 'nope.docx'), path.join(dir, 'good.docx')]);
    expect(supplier(r.report, 'nope').error?.kind).toBe('other');
    expect(supplier(r.report, 'good').meetsAllSkal).toBe(true);
    const missing = runCli(['evaluate', path.join(dir, 'nope.yaml'), path.join(dir, 'good.docx')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.yaml/);
    expect(runCli(['evaluate', ANSWERS]).code).toBe(2);
  });
});

function line2(report: EvaluationReport | undefined, name: string): string {
  const s = supplier(report, name);
  return `${s.error?.kind}: ${JSON.stringify(s.error?.vars)}`;
}

describe('evaluate --help', () => {
  it('is in every language', () => {
    for (const [lang, word] of [
      ['en', 'answered requirements tables'],
      ['nb', 'utfylte kravtabeller'],
      ['nn', 'utfylte kravtabellane'],
    ] as const) {
      const r = runCli(['evaluate', '--help'], { env: { DATAKLAUSUL_LANG: lang } });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(word);
      expect(r.stdout).toContain('--format');
    }
  });
});
