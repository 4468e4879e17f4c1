import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AnswersSchema, isValidOrgNumber, type Answers } from '../src/core/answers.js';
import { formatAmount, formatDate, formatDuration, formatList, formatNumber } from '../src/assemble/helpers.js';
import { I18nSchema } from '../src/core/i18n.js';
import { createLiterals, markdownToBlocks } from '../src/assemble/markdown.js';
import { evaluateCondition } from '../src/assemble/select.js';
import type { Condition } from '../src/library/schema.js';
import { hasCommand, requireTool, ROOT, runCli } from './support/tools.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-assemble-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const i18n = {
  nb: I18nSchema.parse(parse(readFileSync(path.join(ROOT, 'templates/i18n/nb.yaml'), 'utf8'))),
  nn: I18nSchema.parse(parse(readFileSync(path.join(ROOT, 'templates/i18n/nn.yaml'), 'utf8'))),
  en: I18nSchema.parse(parse(readFileSync(path.join(ROOT, 'templates/i18n/en.yaml'), 'utf8'))),
};
const examples = readdirSync(path.join(ROOT, 'examples')).filter((f) => /\.ya?ml$/.test(f)).sort();
const cloudHr = AnswersSchema.parse(parse(readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml'), 'utf8')));

describe('formatting helpers', () => {
  it.each([
    ['nb', ['CSV', 'JSON', 'XML'], 'CSV, JSON og XML'],
    ['en', ['CSV', 'JSON', 'XML'], 'CSV, JSON and XML'],
    ['nb', ['CSV', 'JSON'], 'CSV og JSON'],
    ['nb', ['CSV'], 'CSV'],
    ['nn', ['CSV', 'JSON', 'XML'], 'CSV, JSON og XML'],
  ] as const)('list %s %j → %s', (lang, items, expected) => {
    expect(formatList(items, i18n[lang])).toBe(expected);
  });

  it.each([
    ['nb', 25000, 'kr\u00a025\u00a0000'],
    ['en', 25000, 'NOK\u00a025,000'],
    ['nb', 1500.5, 'kr\u00a01\u00a0500,5'],
    ['en', 999, 'NOK\u00a0999'],
    ['nn', 1500.5, 'kr\u00a01\u00a0500,5'],
  ] as const)('amount %s %d → %s', (lang, n, expected) => {
    expect(formatAmount(n, i18n[lang])).toBe(expected);
  });

  it.each([
    ['nb', '2027-03-01', '1. mars 2027'],
    ['en', '2027-03-01', '1 March 2027'],
    ['nb', '2026-12-31', '31. desember 2026'],
    ['nn', '2027-03-01', '1. mars 2027'],
  ] as const)('date %s %s → %s', (lang, d, expected) => {
    expect(formatDate(d, i18n[lang])).toBe(expected);
  });

  it.each([
    ['nb', 1, 'days', '1\u00a0dag'],
    ['nb', 30, 'days', '30\u00a0dager'],
    ['nb', 14, 'working-days', '14\u00a0virkedager'],
    ['nb', 1, 'months', '1\u00a0måned'],
    ['en', 2, 'months', '2\u00a0months'],
    ['en', 1, 'hours', '1\u00a0hour'],
    ['nn', 30, 'days', '30\u00a0dagar'],
    ['nn', 14, 'working-days', '14\u00a0vyrkedagar'],
    ['nn', 1, 'months', '1\u00a0månad'],
    ['nn', 6, 'months', '6\u00a0månader'],
    ['nn', 2, 'hours', '2\u00a0timar'],
  ] as const)('duration %s %d %s → %s', (lang, n, unit, expected) => {
    expect(formatDuration(n, unit, i18n[lang])).toBe(expected);
  });

  it('every language file names every topic, unit and licence', () => {
    for (const [lang, t] of Object.entries(i18n)) {
      expect(Object.keys(t.topics).sort(), lang).toEqual(Object.keys(i18n.nb.topics).sort());
      expect(Object.keys(t.format.units).sort(), lang).toEqual(Object.keys(i18n.nb.format.units).sort());
      expect(Object.keys(t.licences).sort(), lang).toEqual(Object.keys(i18n.nb.licences).sort());
    }
  });

  it('numbers group thousands per language', () => {
    expect(formatNumber(100000, i18n.nb)).toBe('100\u00a0000');
    expect(formatNumber(100000, i18n.en)).toBe('100,000');
  });
});

describe('organisation numbers (mod 11)', () => {
  it.each([
    ['974760673', true],
    ['974760674', false],
    ['123456789', false],
    ['97476067', false],
  ])('%s → %s', (n, ok) => expect(isValidOrgNumber(n)).toBe(ok));
});

describe('conditions', () => {
  const cases: Array<[string, Condition, boolean]> = [
    ['equals true', { answer: 'data.personal', equals: true }, true],
    ['equals false', { answer: 'data.geodata', equals: true }, false],
    ['in', { answer: 'deliveryModel', in: ['saas', 'hosted'] }, true],
    ['includes', { answer: 'formats', includes: 'noark5' }, true],
    ['includesAny', { answer: 'formats', includesAny: ['sosi', 'gml'] }, false],
    ['isSet on absent', { answer: 'licence', isSet: true }, false],
    ['not', { not: { answer: 'access.bulkExport', equals: 'none' } }, true],
    ['all', { all: [{ answer: 'data.personal', equals: true }, { answer: 'sector', equals: 'administration' }] }, true],
    ['any', { any: [{ answer: 'data.geodata', equals: true }, { answer: 'data.sensor', equals: true }] }, false],
  ];
  it.each(cases)('%s', (_name, cond, expected) => {
    const r = evaluateCondition(cond, cloudHr);
    expect(r.ok).toBe(expected);
    expect(r.why.length).toBeGreaterThan(5);
  });

  it('explains a failed test with the answer given', () => {
    expect(evaluateCondition({ answer: 'deliveryModel', equals: 'on-premises' }, cloudHr).why).toBe('deliveryModel = "on-premises" (answer: "saas")');
  });
});

describe('markdown to the document model', () => {
  it('turns headings, lists, tables and emphasis into typed blocks', () => {
    const blocks = markdownToBlocks('Tekst med **fet** og *kursiv*.\n\n### Underpunkt\n\n1. en\n2. to\n   - nøstet\n\n| a | b |\n|---|---|\n| 1 | 2 |\n', '3.2');
    expect(blocks.map((b) => b.type)).toEqual(['paragraph', 'heading', 'list', 'table']);
    expect(blocks[0]).toEqual({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Tekst med ' },
        { type: 'text', text: 'fet', bold: true },
        { type: 'text', text: ' og ' },
        { type: 'text', text: 'kursiv', italic: true },
        { type: 'text', text: '.' },
      ],
    });
    expect(blocks[1]).toMatchObject({ type: 'heading', number: '3.2.1' });
    expect(blocks[2]).toMatchObject({ type: 'list', ordered: true, start: 1 });
  });

  it('user text wrapped as a literal stays literal through Markdown parsing', () => {
    const nasty = '{{constructor}} <w:p> **bold** </html> [x](y) # 1. - _u_';
    const literals = createLiterals();
    const blocks = markdownToBlocks(`Før ${literals.wrap(nasty)} etter`, '1.1', literals.restore);
    expect(blocks).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: `Før ${nasty} etter` }] }]);
  });
});

function withAnswers(name: string, edit: (a: Record<string, unknown>) => void): string {
  const raw = parse(readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml'), 'utf8')) as Record<string, unknown>;
  edit(raw);
  const file = path.join(tmp, `${name}.yaml`);
  writeFileSync(file, JSON.stringify(raw, null, 2));
  return file;
}

describe('user text is data, never markup or template', () => {
  const nasty = ['{{constructor}}', '<w:p>', '**bold**', '</html>'];
  const file = withAnswers('nasty', (a) => {
    const buyer = a.buyer as Record<string, unknown>;
    const proc = a.procurement as Record<string, unknown>;
    buyer.name = 'Kommune {{constructor}} <w:p>';
    proc.title = 'System **bold** </html>';
    proc.reference = '2027/1 {{#each answers}}x{{/each}}';
    proc.description = 'Beskrivelse <script>alert(1)</script> {{constructor}} <w:p> **bold** </html>';
  });
  const out = path.join(tmp, 'nasty-out');

  it('builds, and every format shows the strings literally', () => {
    const r = runCli(['build', file, '--format', 'md,html,json', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = readFileSync(path.join(out, 'nasty.json'), 'utf8');
    const model = JSON.parse(json) as { title: { buyer: string; procurementTitle: string; reference: string; description: string } };
    expect(model.title.buyer).toBe('Kommune {{constructor}} <w:p>');
    expect(model.title.procurementTitle).toBe('System **bold** </html>');
    expect(model.title.reference).toBe('2027/1 {{#each answers}}x{{/each}}');
    // Clause bodies that quote the buyer's name carry it literally too.
    expect(json).toContain('Kommune {{constructor}} <w:p>');

    const html = readFileSync(path.join(out, 'nasty.html'), 'utf8');
    expect(html).not.toContain('<w:p>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;w:p&gt;');
    expect(html).toContain('System **bold** &lt;/html&gt;');
    expect(html.match(/<\/html>/g)).toHaveLength(1);
  });

  it('pandoc reads the Markdown back with the strings as plain text', () => {
    if (!requireTool('pandoc', hasCommand('pandoc'))) return;
    const md = path.join(out, 'nasty.md');
    const plain = spawnSync('pandoc', ['-f', 'gfm', '-t', 'plain', '--wrap=none', md], { encoding: 'utf8' }).stdout;
    for (const s of nasty) expect(plain).toContain(s);
    expect(plain).toContain('<script>alert(1)</script>');
  });
});

describe('every example', () => {
  it.each(examples)('%s: explain --json gives a reason for every clause', (f) => {
    const r = runCli(['explain', `examples/${f}`, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { included: Array<{ id: string; version: string; reason: string }>; excluded: Array<{ id: string; reason: string }> };
    expect(out.included.length).toBeGreaterThan(10);
    for (const c of [...out.included, ...out.excluded]) expect(c.reason, c.id).toMatch(/\S{3,}/);
    for (const c of out.included) expect(c.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each(examples)('%s: md, html and json are identical on two builds a few seconds apart', async (f) => {
    const a = path.join(tmp, `repro-a-${f}`);
    const b = path.join(tmp, `repro-b-${f}`);
    mkdirSync(a);
    mkdirSync(b);
    expect(runCli(['build', `examples/${f}`, '--format', 'md,html,json', '--out', a]).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect(runCli(['build', `examples/${f}`, '--format', 'md,html,json', '--out', b]).code).toBe(0);
    for (const name of readdirSync(a)) expect(readFileSync(path.join(b, name)).equals(readFileSync(path.join(a, name))), name).toBe(true);
  });
});

describe('explain', () => {
  it('prints reasons grouped by topic', () => {
    const r = runCli(['explain', 'examples/cloud-hr.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^exit$/m);
    expect(r.stdout).toMatch(/\+ personal-data\/\S+ \d+\.\d+\.\d+: condition met: data\.personal = true/);
    expect(r.stdout).toMatch(/- \S+: condition not met: /);
  });

  it('reports a consistency error with exit 1', () => {
    const file = withAnswers('no-licence', (a) => {
      (a.data as Record<string, unknown>).openPublication = true;
    });
    const r = runCli(['explain', file, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).problems).toEqual([expect.objectContaining({ field: 'licence' })]);
  });

  it('warns when the transition period exceeds the EU Data Act benchmark', () => {
    const file = withAnswers('long-transition', (a) => {
      (a.params as Record<string, Record<string, unknown>>)['exit/transition-period'] = { days: 60 };
    });
    const r = runCli(['build', file, '--format', 'json', '--out', path.join(tmp, 'long')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/params › exit\/transition-period › days: warning: 60 is above the benchmark of 30/);
  });
});

describe('export matrix (formats by kind)', async () => {
  const { loadContext } = await import('../src/cli/pipeline.js');
  const { exportMatrix, derivedValues } = await import('../src/assemble/export-matrix.js');
  const { library } = await loadContext();
  const welfare = AnswersSchema.parse(parse(readFileSync(path.join(ROOT, 'examples/welfare-technology.yaml'), 'utf8')));

  it('derives a row per kind of data from the answers and the sector, with only formats data can be exported in', () => {
    expect(exportMatrix(cloudHr, library)).toEqual([
      { kind: 'records', formats: ['csv', 'json', 'xml'] },
      { kind: 'personnel-records', formats: ['xml', 'json', 'csv', 'noark5'] },
      { kind: 'case-documents', formats: ['noark5', 'pdfa'] },
      { kind: 'documents', formats: ['pdfa'] },
    ]);
    // Health: FHIR (an API specification that is also a data format) carries the health records; PLO messages are not an export format.
    const rows = exportMatrix(welfare, library);
    expect(rows.find((r) => r.kind === 'health-records')!.formats).toEqual(['fhir', 'json', 'xml']);
    expect(rows.flatMap((r) => r.formats)).not.toContain('plo');
    expect(rows.map((r) => r.kind)).not.toContain('geodata');
  });

  it('the welfare-technology example chooses HL7 FHIR and no geodata format (issue 12 acceptance)', () => {
    expect(welfare.formats).toContain('fhir');
    const geo = new Set([...library.dataKinds.get('geodata')!.formats, 'wfs', 'wms', 'ogc-api-features']);
    expect(welfare.formats.filter((f) => geo.has(f))).toEqual([]);
  });

  it('puts a chosen format no row lists into the first row of its kind, and leaves out rows without formats', () => {
    const a = { ...cloudHr, formats: ['parquet', 'odf', 'openapi'] };
    expect(exportMatrix(a, library)).toEqual([
      { kind: 'records', formats: ['parquet'] },
      { kind: 'documents', formats: ['odf'] },
    ]);
    // An archive package chosen without archival data gets the row of its kind.
    expect(exportMatrix({ ...cloudHr, sector: 'culture', data: { ...cloudHr.data, archival: false }, formats: ['csv', 'addml'] }, library)).toEqual([
      { kind: 'records', formats: ['csv'] },
      { kind: 'case-documents', formats: ['addml'] },
    ]);
  });

  it('lets the answers replace, add and remove rows', () => {
    const a = { ...cloudHr, exportMatrix: { 'personnel-records': ['noark5'], documents: [], geodata: ['csv'] } };
    expect(exportMatrix(a, library)).toEqual([
      { kind: 'records', formats: ['csv', 'json', 'xml'] },
      { kind: 'personnel-records', formats: ['noark5'] },
      { kind: 'case-documents', formats: ['noark5', 'pdfa'] },
      { kind: 'geodata', formats: ['csv'] },
    ]);
  });

  it('splits the chosen formats by kind for the templates, with names in the appendix language', () => {
    const d = derivedValues(welfare, library, 'nb') as { exportFormats: string[]; apiSpecs: string[]; metadataStandards: string[]; exportMatrix: Array<{ name: string }> };
    expect(d.exportFormats).toEqual(['csv', 'json', 'xml', 'senml', 'pdfa', 'fhir']);
    expect(d.apiSpecs).toEqual(['plo', 'fhir']);
    expect(d.metadataStandards).toEqual([]);
    expect(d.exportMatrix.map((r) => r.name)).toContain('Helse- og omsorgsopplysninger');
    expect((derivedValues(welfare, library, 'en') as { exportMatrix: Array<{ name: string }> }).exportMatrix.map((r) => r.name)).toContain('Health and care records');
  });

  it('refuses a format of the wrong kind in the export matrix with a clear message, and warns on a misplaced one', () => {
    const file = withAnswers('matrix-openapi', (a) => {
      a.exportMatrix = { records: ['csv', 'openapi'], documents: ['sosi'] };
    });
    const r = runCli(['explain', file, '--json']);
    expect(r.code).toBe(1);
    const problems = JSON.parse(r.stdout).problems as Array<{ severity: string; field: string; message: string; hint: string }>;
    expect(problems).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        field: 'exportMatrix › records[1]',
        message: '"openapi" (OpenAPI 3.x) is an API specification, not a format data can be exported in',
        hint: expect.stringMatching(/Keep it in formats \(the API clauses use it\)/),
      }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ severity: 'warning', field: 'exportMatrix › documents[0]', message: expect.stringMatching(/"sosi" \(SOSI\) is a data format, but "documents" is exported in document-format/) }));
    expect(problems).toContainEqual(expect.objectContaining({ severity: 'warning', field: 'exportMatrix › documents[0]', message: expect.stringMatching(/not in formats/) }));
  });

  it('refuses an unknown kind of data, and answers with only API specifications', () => {
    const unknownKind = withAnswers('matrix-unknown', (a) => {
      a.exportMatrix = { recipes: ['csv'] };
    });
    const r1 = runCli(['explain', unknownKind, '--json']);
    expect(r1.code).toBe(1);
    expect(JSON.parse(r1.stdout).problems).toContainEqual(expect.objectContaining({ field: 'exportMatrix › recipes', message: 'unknown kind of data "recipes"' }));
    const onlyApi = withAnswers('only-api', (a) => {
      a.formats = ['openapi', 'dcat-ap-no'];
    });
    const r2 = runCli(['explain', onlyApi, '--json']);
    expect(r2.code).toBe(1);
    expect(JSON.parse(r2.stdout).problems).toContainEqual(expect.objectContaining({ field: 'formats', message: expect.stringMatching(/^no chosen format is one the data can be exported in: "openapi" \(OpenAPI 3\.x\) is an API specification; "dcat-ap-no"/) }));
  });

  it('warns when a formats parameter names a format of another kind, or one not chosen', () => {
    const file = withAnswers('geo-param', (a) => {
      (a.data as Record<string, unknown>).geodata = true;
      (a.params as Record<string, Record<string, unknown>>)['formats/geodata'] = { geoFormats: ['openapi', 'sosi'] };
    });
    const problems = JSON.parse(runCli(['explain', file, '--json']).stdout).problems as Array<{ severity: string; field: string; message: string }>;
    expect(problems).toContainEqual({ severity: 'warning', file: expect.any(String), field: 'params › formats/geodata › geoFormats[0]', message: '"openapi" (OpenAPI 3.x) is an API specification, where formats/geodata expects a data format', hint: 'Choose a format of the expected kind.' });
    expect(problems).toContainEqual(expect.objectContaining({ severity: 'warning', field: 'params › formats/geodata › geoFormats', message: expect.stringMatching(/^formats\/geodata names openapi, sosi, which are not among the chosen formats/) }));
  });

  it('warns on API specifications without an API', () => {
    const file = withAnswers('spec-no-api', (a) => {
      (a.access as Record<string, unknown>).api = false;
      (a.pricing as Record<string, unknown>).apiUsage = 'included';
      a.formats = ['csv', 'pdfa', 'noark5', 'openapi'];
    });
    const r = runCli(['explain', file, '--json']);
    expect(JSON.parse(r.stdout).problems).toContainEqual(expect.objectContaining({ severity: 'warning', field: 'formats', message: expect.stringMatching(/API specifications are chosen \(openapi\) but no API is required/) }));
  });

  it('shows the matrix as a table in every format, and the API and metadata standards in their own clauses', () => {
    const out = path.join(tmp, 'matrix-out');
    const r = runCli(['build', 'examples/welfare-technology.yaml', '--format', 'md,html,json', '--out', out]);
    expect(r.code).toBe(0);
    const md = readFileSync(path.join(out, 'welfare-technology.md'), 'utf8');
    expect(md).toMatch(/\| Type data \| Eksportformater \|\n\| --- \| --- \|\n\| Fagdata og registerdata \| CSV \(RFC 4180\), JSON og XML \|\n\| Helse- og omsorgsopplysninger \| HL7 FHIR, JSON og XML \|/);
    expect(md).toMatch(/API-et og beskrivelsen av det skal følge disse spesifikasjonene: PLO-meldinger og HL7 FHIR\./);
    expect(md).not.toMatch(/formater: [^\n]*OpenAPI/);
    const html = readFileSync(path.join(out, 'welfare-technology.html'), 'utf8');
    expect(html).toMatch(/<th[^>]*>Type data<\/th>/);
    expect(html).toMatch(/<td[^>]*>Helse- og omsorgsopplysninger<\/td>\s*<td[^>]*>HL7 FHIR, JSON og XML<\/td>/);
    const model = JSON.parse(readFileSync(path.join(out, 'welfare-technology.json'), 'utf8')) as { parts: Array<{ sections: Array<{ clauses: Array<{ id: string; blocks: Array<{ type: string; rows?: unknown[] }> }> }> }> };
    const clause = model.parts.flatMap((p) => p.sections.flatMap((s) => s.clauses)).find((c) => c.id === 'formats/export-formats')!;
    const table = clause.blocks.find((b) => b.type === 'table')!;
    expect(table.rows).toHaveLength(4);
  });
  it('shows the matrix as a real table in DOCX and PDF (read back by pdftotext)', async () => {
    const out = path.join(tmp, 'matrix-docx-pdf');
    expect(runCli(['build', 'examples/welfare-technology.yaml', '--format', 'docx,pdf', '--out', out]).code).toBe(0);
    const { readZip } = await import('../src/render/docx/zip.js');
    const doc = new TextDecoder().decode(readZip(readFileSync(path.join(out, 'welfare-technology.docx'))).get('word/document.xml')!);
    const tables = [...doc.matchAll(/<w:tbl>.*?<\/w:tbl>/g)].map((m) => [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('|'));
    expect(tables.some((t) => /^Type data\|Eksportformater\|Fagdata og registerdata\|CSV \(RFC 4180\), JSON og XML\|Helse- og omsorgsopplysninger\|HL7 FHIR, JSON og XML/.test(t)), tables.join('\n')).toBe(true);
    if (!requireTool('pdftotext', hasCommand('pdftotext'))) return;
    const text = spawnSync('pdftotext', ['-layout', path.join(out, 'welfare-technology.pdf'), '-'], { encoding: 'utf8' }).stdout;
    expect(text).toMatch(/Type data\s+Eksportformater/);
    expect(text).toMatch(/Helse- og omsorgsopplysninger\s+HL7 FHIR, JSON og XML/);
  });
});

describe('answers schema', () => {
  it('accepts every example', () => {
    for (const f of examples) {
      const parsed = AnswersSchema.safeParse(parse(readFileSync(path.join(ROOT, 'examples', f), 'utf8')));
      expect(parsed.success, f).toBe(true);
    }
  });
  it('defaults optional parts', () => {
    const a: Answers = cloudHr;
    expect(a.buyer.members).toEqual([]);
  });
});

describe('document model snapshot', () => {
  it('cloud-hr.yaml gives the same DocumentModel (digests masked)', () => {
    const out = path.join(tmp, 'snapshot');
    expect(runCli(['build', 'examples/cloud-hr.yaml', '--format', 'json', '--out', out]).code).toBe(0);
    const model = JSON.parse(readFileSync(path.join(out, 'cloud-hr.json'), 'utf8'));
    for (const l of model.provenance.libraries) l.digest = '<sha256>';
    model.provenance.answers.digest = '<sha256>';
    model.provenance.tool.version = '<version>';
    expect(model).toMatchSnapshot();
  });
});

describe('template interpreter', async () => {
  const { renderTemplate } = await import('../src/assemble/template.js');
  const { createHelpers } = await import('../src/assemble/helpers.js');
  const formats = new Map([['csv', { id: 'csv', name: 'CSV (RFC 4180)', kind: 'data-format' as const, standard: 'RFC 4180', sectors: ['all'], status: 'recommended' as const }]]);
  const helpers = createHelpers(i18n.nb, formats, 'skal');
  const ctx = { days: 30, answers: { buyer: { name: 'Eksempel kommune' }, formats: ['csv'], list: [] as string[], flag: true } };

  it.each([
    ['{{days}} dager', '30 dager'],
    ['{{duration days "days"}}', '30\u00a0dager'],
    ['{{formatList answers.formats}}', 'CSV (RFC 4180)'],
    ['{{#if answers.flag}}ja{{else}}nei{{/if}}', 'ja'],
    ['{{#if answers.list}}ja{{else}}nei{{/if}}', 'nei'],
    ['{{#unless answers.flag}}ja{{/unless}}', ''],
    ['{{#if (eq days 30)}}tretti{{/if}}', 'tretti'],
    ['{{#each answers.formats}}[{{this}}:{{@index}}]{{/each}}', '[csv:0]'],
    ['{{#with answers.buyer}}{{name}}{{/with}}', 'Eksempel kommune'],
    ['{{! a comment }}x', 'x'],
  ])('%s → %s', (src, expected) => {
    expect(renderTemplate(src, ctx, helpers)).toBe(expected);
  });

  it.each([
    ['{{missing}}', /"missing" is not defined/],
    ['{{answers.buyer.orgNumber}}', /"answers\.buyer\.orgNumber" is not defined/],
    ['{{constructor}}', /"constructor" is not defined/],
    ['{{answers.__proto__}}', /is not defined/],
    ['{{answers.buyer.name.length}}', /is not defined/],
    ['{{lookup answers "buyer"}}', /unknown helper "lookup"/],
    ['{{log days}}', /unknown helper "log"/],
    ['{{amount answers.buyer.name}}', /amount: amount needs a number/],
    ['{{> partial}}', /unsupported template syntax/],
  ])('%s is refused', (src, message) => {
    expect(() => renderTemplate(src, ctx, helpers)).toThrow(message);
  });
});
