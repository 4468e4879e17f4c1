import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnswersSchema } from '../src/core/answers.js';
import { selectClauses } from '../src/assemble/select.js';
import { mergeLibraries } from '../src/library/library.js';
import { lintLibraries } from '../src/library/lint.js';
import { loadLibraries } from '../src/library/load.js';
import { TOPICS } from '../src/library/schema.js';
import { jsonSchemaFiles } from '../src/schema/json-schema.js';
import { parse } from 'yaml';
import { ROOT, runCli } from './support/tools.js';

const CLAUSES = path.join(ROOT, 'clauses');
const fixtures = path.join(ROOT, 'test/fixtures/library');

describe('the national baseline library', async () => {
  const { libraries, problems } = await loadLibraries([CLAUSES]);
  const library = mergeLibraries(libraries);

  it('loads and lints without problems', () => {
    expect([...problems, ...lintLibraries(libraries)]).toEqual([]);
  });

  it('`dataklausul lint` exits 0 on clauses/', () => {
    const r = runCli(['lint']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nasjonal-basis .*: \d+ clauses, 0 errors, 0 warnings/);
  });

  it('lists at least 45 clauses in nb, nn and en over all 12 topics (clauses list --json)', () => {
    const r = runCli(['clauses', 'list', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ id: string; version: string; topic: string; title: string; languages: string[] }>;
    expect(list.length).toBeGreaterThanOrEqual(45);
    for (const c of list) {
      expect(Object.keys(c).sort()).toEqual(['id', 'languages', 'title', 'topic', 'version']);
      expect(c.languages).toEqual(['en', 'nb', 'nn']);
      expect(c.title).not.toBe('');
    }
    expect(new Set(list.map((c) => c.topic))).toEqual(new Set(TOPICS));
  });

  it('clauses show prints one clause in either language', () => {
    const nb = runCli(['clauses', 'show', 'exit/transition-period'], { env: { DATAKLAUSUL_LANG: '' } });
    expect(nb.code).toBe(0);
    expect(nb.stdout).toContain('Overgangsperiode');
    const en = runCli(['clauses', 'show', 'exit/transition-period', '--lang', 'en']);
    expect(en.stdout).toContain('Transition period');
    const nn = runCli(['clauses', 'show', 'exit/transition-period', '--lang', 'nn']);
    expect(nn.stdout).toContain('halde oppe tenesta');
    expect(nn.stdout).toContain('bibliotek: nasjonal-basis');
    const missing = runCli(['clauses', 'show', 'exit/nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no clause with id "exit/nope"');
  });

  it('every clause id matches its path and every requirement id is unique', () => {
    const reqs = library.clauses.flatMap((c) => (c.meta.requirement ? [c.meta.requirement.id] : []));
    expect(new Set(reqs).size).toBe(reqs.length);
    for (const c of library.clauses) expect(c.file.replace(/\\/g, '/')).toContain(`clauses/${c.meta.id}.yaml`);
  });

  it('requirement ids carry their topic prefix', () => {
    const prefix: Record<string, string> = {
      definitions: 'DEF', ownership: 'OWN', access: 'ACC', api: 'API', formats: 'FMT', exit: 'EXI',
      pricing: 'PRI', 'personal-data': 'PER', security: 'SEC', subcontractors: 'SUB', 'open-data': 'OPN', quality: 'QUA', verification: 'VER',
    };
    for (const c of library.clauses) if (c.meta.requirement) expect(c.meta.requirement.id.slice(3, 6), c.meta.id).toBe(prefix[c.meta.topic]);
  });

  it('every clause is selected by at least one file in examples/', () => {
    const examples = readdirSync(path.join(ROOT, 'examples')).filter((f) => /\.ya?ml$/.test(f));
    expect(examples.length).toBeGreaterThanOrEqual(5);
    const selected = new Set<string>();
    for (const f of examples) {
      const answers = AnswersSchema.parse(parse(readFileSync(path.join(ROOT, 'examples', f), 'utf8')));
      const sel = selectClauses(answers, library, f);
      expect(sel.problems, f).toEqual([]);
      for (const s of sel.included) selected.add(s.clause.meta.id);
    }
    expect(library.clauses.map((c) => c.meta.id).filter((id) => !selected.has(id))).toEqual([]);
  });

  it('every format in the registry has a name, standard and status', () => {
    expect(library.formats.size).toBeGreaterThanOrEqual(20);
    for (const id of ['csv', 'json', 'xml', 'parquet', 'pdfa', 'odf', 'sosi', 'gml', 'geojson', 'geopackage', 'ogc-api-features', 'wfs', 'noark5', 'addml', 'fhir', 'fint', 'ifc', 'sensorthings', 'senml', 'openapi', 'asyncapi', 'dcat-ap-no']) {
      expect(library.formats.has(id), id).toBe(true);
    }
  });

  it('the committed JSON Schemas match the zod schemas (run `npm run schema` after a change)', () => {
    for (const [name, text] of Object.entries(jsonSchemaFiles())) {
      expect(readFileSync(path.join(ROOT, 'templates/schema', name), 'utf8'), name).toBe(text);
    }
  });
});

describe('lint on fixture libraries', () => {
  it('a good extra library passes', () => {
    const r = runCli(['lint', '--library', path.join(fixtures, 'good/local-copy')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fixture-local-copy 1.0.0');
  });

  const bad = readdirSync(path.join(fixtures, 'bad')).sort();
  it.each(bad)('bad/%s exits 1 and names the file, line and field', (name) => {
    const r = runCli(['lint', '--library', path.relative(ROOT, path.join(fixtures, 'bad', name))]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toMatch(new RegExp(`test/fixtures/library/bad/${name}/access/[a-z0-9-]+\\.(yaml|nb\\.md|en\\.md):\\d+:`));
    // The summary line counts the baseline's clauses, which grow; snapshot only the fixture's problems.
    expect(r.stderr.split('\n').filter((l) => l.startsWith('test/fixtures/')).join('\n')).toMatchSnapshot();
  });

  it('checks the kinds, names and data kinds of a layer\'s format registry', async () => {
    const { libraries: layers } = await loadLibraries([CLAUSES, path.join(fixtures, 'registry-kinds')]);
    const problems = lintLibraries(layers).filter((p) => p.file.includes('registry-kinds'));
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'formats.shapefile.name: missing the en name of "shapefile"',
      'formats.odata.alsoKinds: "api-spec" is already the kind of "odata"',
      'dataKinds.maps.formats: "openapi" is of kind api-spec, which data kind "maps" does not accept (accepts: data-format)',
      'dataKinds.maps.formats: unknown format "nosuch"',
      'dataKinds.maps.when: unknown answer "data.maps"',
    ]);
    // A format of an unknown kind is a schema error naming the file and field.
    const r = runCli(['lint', '--library', path.relative(ROOT, path.join(fixtures, 'registry-kinds'))]);
    expect(r.code).toBe(1);
  });

  it('lint --json reports problems as data', () => {
    const r = runCli(['lint', '--json', '--library', path.join(fixtures, 'bad/wrong-type')]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; problems: Array<{ file: string; line: number; field: string }> };
    expect(out.ok).toBe(false);
    expect(out.problems).toEqual([expect.objectContaining({ line: 10, field: 'params › days › default' })]);
  });
});

describe('layered libraries', () => {
  it('build --library adds the layer\'s clauses and lists every library in the provenance annex', () => {
    const out = path.join(ROOT, 'node_modules/.cache/dk-layer-test');
    const r = runCli(['build', 'examples/cloud-hr.yaml', '--format', 'json', '--out', out, '--force', '--library', 'test/fixtures/library/good/local-copy']);
    expect(r.code).toBe(0);
    const model = JSON.parse(readFileSync(path.join(out, 'cloud-hr.json'), 'utf8')) as {
      provenance: { libraries: Array<{ name: string; version: string; digest: string }>; clauses: Array<{ id: string; library: string }> };
      parts: Array<{ requirements: { rows: Array<{ id: string; text: string }> } | null }>;
    };
    expect(model.provenance.libraries.map((l) => l.name)).toEqual(['nasjonal-basis', 'fixture-local-copy']);
    for (const l of model.provenance.libraries) expect(l.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(model.provenance.clauses).toContainEqual(expect.objectContaining({ id: 'access/local-copy', library: 'fixture-local-copy' }));
    expect(model.parts.flatMap((p) => p.requirements?.rows ?? [])).toContainEqual(expect.objectContaining({ id: 'DK-ACC-90', text: 'Leverandøren bør levere en lokal kopi innen 5\u00a0virkedager.' }));
  });
});

describe('clauses formats', () => {
  it('lists the registry, as text and as JSON', () => {
    const text = runCli(['clauses', 'formats']);
    expect(text.code).toBe(0);
    // The kind in the language of the messages, then the status and the name.
    expect(text.stdout).toMatch(/^noark5\s+archive extract\s+obligatory\s+Noark 5 archive extract — /m);
    expect(text.stdout).toMatch(/^fhir\s+API specification \+ data format\s+recommended\s+HL7 FHIR/m);
    expect(runCli(['--lang', 'nb', 'clauses', 'formats']).stdout).toMatch(/^noark5\s+arkivuttrekk\s+obligatory\s+Noark 5-arkivuttrekk — /m);
    const json = runCli(['clauses', 'formats', '--json']);
    const list = JSON.parse(json.stdout) as Array<{ id: string; status: string; kind: string }>;
    expect(list.find((f) => f.id === 'csv')).toMatchObject({ id: 'csv', kind: 'data-format' });
    expect(list.find((f) => f.id === 'openapi')).toMatchObject({ kind: 'api-spec' });
    expect(list.find((f) => f.id === 'dcat-ap-no')).toMatchObject({ kind: 'metadata-standard' });
    expect(list.length).toBeGreaterThanOrEqual(20);
  });
});

describe('the example partnership library', () => {
  it('lints clean over the baseline and adds its clause for a joint procurement', () => {
    expect(runCli(['lint', '--library', 'examples/libraries/ikt-samarbeid']).code).toBe(0);
    const r = runCli(['explain', 'examples/welfare-technology.yaml', '--json', '--library', 'examples/libraries/ikt-samarbeid']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { included: Array<{ id: string; reason: string }> };
    expect(out.included).toContainEqual(expect.objectContaining({ id: 'access/partnership-data-platform', reason: expect.stringContaining('buyer.members is answered') }));
    expect(out.included).toContainEqual(expect.objectContaining({ id: 'ownership/joint-procurement' }));
  });
});

describe('format registries written before 0.3.0', () => {
  it('read the old kinds file, package, api and metadata as the kinds they became, and refuse any other', async () => {
    const { FormatEntrySchema } = await import('../src/library/schema.js');
    const entry = (kind: string) => ({ id: 'x', name: 'X', kind, standard: 'S', sectors: ['all'], status: 'none' });
    expect(['file', 'package', 'api', 'metadata'].map((k) => FormatEntrySchema.parse(entry(k)).kind)).toEqual(['data-format', 'archive-package', 'api-spec', 'metadata-standard']);
    expect(FormatEntrySchema.parse(entry('document-format')).kind).toBe('document-format');
    expect(FormatEntrySchema.safeParse(entry('spreadsheet')).success).toBe(false);
  });
});
