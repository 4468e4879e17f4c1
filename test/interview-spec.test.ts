import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_PATHS, AnswersSchema, SECTORS } from '../src/core/answers.js';
import { EXPORT_KINDS } from '../src/core/format-kinds.js';
import { formatGroups, newSession, presetReasons } from '../src/interview/flow.js';
import { loadInterviewSpec } from '../src/cli/new-command.js';
import { loadContext } from '../src/cli/pipeline.js';
import { InterviewSpecSchema, sectionOf, type InterviewSpec } from '../src/interview/spec.js';
import type { Library } from '../src/library/library.js';
import { ROOT } from './support/tools.js';

let spec: InterviewSpec;
let library: Library;
let i18nNb: Awaited<ReturnType<typeof loadContext>>['templates']['i18n'][string];

beforeAll(async () => {
  spec = await loadInterviewSpec();
  const context = await loadContext();
  library = context.library;
  i18nNb = context.templates.i18n.nb!;
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('templates/interview.yaml', () => {
  it('is valid (schema, every language, choices for every select)', () => {
    expect(spec.questions.length).toBeGreaterThan(20);
    expect(spec.languages).toEqual(['nb', 'nn', 'en']);
  });

  it('asks only for paths the answers schema accepts, with values it accepts', () => {
    for (const q of spec.questions) {
      expect(ANSWER_PATHS, `question ${q.id}`).toHaveProperty([q.id]);
      const known = ANSWER_PATHS[q.id]!;
      if (q.type === 'select' && known.kind === 'enum') {
        expect(q.choices!.map((c) => c.value).sort(), `choices of ${q.id}`).toEqual([...known.values!].sort());
      }
      if (q.type === 'confirm') expect(known.kind, q.id).toBe('boolean');
      if (q.type === 'members' || q.type === 'formats') expect(known.kind, q.id).toBe('list');
      if (q.type === 'levels') expect(known.kind, q.id).toBe('record');
      if (q.type === 'date') expect(known.kind, q.id).toBe('date');
      if (q.ifSkipped !== undefined && known.values) expect(known.values, q.id).toContain(q.ifSkipped);
    }
  });

  it('puts every question in a section the summary can go back to, starting with the first', () => {
    const sections = sectionOf(spec);
    expect(sections.get(spec.questions[0]!.id)).toBe(spec.sections[0]!.id);
    // Every section has questions, in the order of the interview.
    const order = [...new Set(spec.questions.map((q) => sections.get(q.id)))];
    expect(order).toEqual(spec.sections.map((s) => s.id));
    expect(() => InterviewSpecSchema.parse({ ...spec, sections: [...spec.sections, { id: 'ghost', label: { nb: 'x', nn: 'x', en: 'x' }, questions: ['nothing.here'] }] })).toThrow(/no question has the id/);
  });

  it('has words for every value of every enum parameter in the baseline, in every language', () => {
    const missing: string[] = [];
    for (const c of library.clauses) {
      for (const [name, p] of Object.entries(c.meta.params)) {
        if (p.type !== 'enum') continue;
        for (const lang of spec.languages) for (const v of p.values) if (!c.texts[lang]?.choices[name]?.[v]) missing.push(`${c.meta.id}.${name}=${v} (${lang})`);
        // The question no longer spells the ids out ("(delivery-only)", "paid-storage = …").
        for (const lang of spec.languages) {
          const q = c.texts[lang]!.questions[name]!;
          for (const v of p.values.filter((x) => /^[a-z][a-z0-9-]+$/.test(x))) expect(q.includes(`(${v})`) || q.includes(`${v} =`), `${c.meta.id}.${name} (${lang}) spells out "${v}"`).toBe(false);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('covers every required answer of the schema', () => {
    const asked = new Set(spec.questions.map((q) => q.id));
    const shape = AnswersSchema.shape;
    for (const [key, field] of Object.entries(shape)) {
      // params are asked per clause; policy deviations are written by hand (kept when resuming);
      // the library lock is written by `build --lock`, never asked; clauses are left out (`omit`) from the summary screen.
      // exportMatrix is asked within the formats question (its rows, when the officer changes the derived ones).
      if (key === 'schemaVersion' || key === 'params' || key === 'deviations' || key === 'lock' || key === 'omit' || key === 'exportMatrix') continue;
      // A refined object (buyer) keeps its shape inside.
      const inner = (field as { shape?: Record<string, unknown> }).shape ?? (field as { def?: { in?: { shape?: Record<string, unknown> } } }).def?.in?.shape;
      if (inner && !asked.has(key)) {
        // A nested answer (buyer.partnership) is asked field by field.
        for (const sub of Object.keys(inner)) expect(asked.has(`${key}.${sub}`) || [...asked].some((id) => id.startsWith(`${key}.${sub}.`)), `${key}.${sub} is asked`).toBe(true);
      } else {
        expect(asked.has(key), `${key} is asked`).toBe(true);
      }
    }
  });

  it('uses only answer paths in its conditions, and names real clause parameters', () => {
    const paths = JSON.stringify(spec).matchAll(/"answer":"([^"]+)"/g);
    for (const [, p] of paths) expect(ANSWER_PATHS, `condition on ${p}`).toHaveProperty([p!]);
    for (const key of Object.keys(spec.params.when)) {
      const [id, name] = [key.slice(0, key.lastIndexOf('.')), key.slice(key.lastIndexOf('.') + 1)];
      expect(library.byId.get(id)?.meta.params, key).toHaveProperty([name]);
    }
  });

  it('has a question text for every clause parameter in every language of both the interview and the library', () => {
    const langs = spec.languages.filter((l) => library.languages.includes(l));
    expect(langs).toContain('nb');
    expect(langs).toContain('en');
    for (const c of library.clauses) {
      for (const name of Object.keys(c.meta.params)) {
        for (const lang of langs) expect(c.texts[lang]?.questions[name], `${c.meta.id} ${lang} question for ${name}`).toBeTruthy();
      }
    }
  });

  describe('sector presets', () => {
    const formatsQ = () => spec.questions.find((q) => q.type === 'formats')!;
    const ctx = () => ({ spec, lang: 'nb', library, today: '2027-03-01', topicNames: {}, i18n: i18nNb! });
    /** The data answers a sector gets by default (`defaults` of the data questions), with overrides. */
    const dataDefaults = (sector: string, over: Record<string, boolean> = {}) => {
      const data: Record<string, boolean> = {};
      for (const q of spec.questions.filter((x) => x.id.startsWith('data.'))) {
        const preset = (q.defaults ?? []).find((d) => 'answer' in d.when && d.when.answer === 'sector' && d.when.equals === sector);
        data[q.id.slice(5)] = preset ? preset.value === true : q.default === true;
      }
      return { ...data, ...over };
    };
    const preselected = (sector: string, data: Record<string, boolean>, api = true) => {
      const session = newSession({ sector, data, access: { api } });
      const reasons = presetReasons(ctx(), formatsQ(), session);
      const offered = new Map(formatGroups(ctx(), formatsQ(), session).flatMap(({ group, entries }) => entries.map((f) => [f.id, group] as const)));
      return { ids: [...reasons.keys()].filter((id) => offered.has(id)), reasons, offered };
    };
    const geodataFormats = () => [...library.formats.values()].filter((f) => f.sectors.includes('planning-geodata') && !f.sectors.includes('all') && f.id !== 'ifc').map((f) => f.id);

    it('names only registry formats, each offered in a group of its kind', () => {
      const q = formatsQ();
      for (const p of q.presets!) {
        for (const id of p.formats) {
          const f = library.formats.get(id);
          expect(f, `preset format ${id}`).toBeDefined();
          // Every group asked (API and open data): the format has a home group whose kinds include its own kind.
          const home = q.groups!.find((g) => g.kinds.includes(f!.kind));
          expect(home, `${id} (${f!.kind}) has a group`).toBeDefined();
        }
      }
      // The export question offers only kinds data can be exported in; the others their own kind only.
      expect(q.groups![0]!.kinds.sort()).toEqual([...EXPORT_KINDS].sort());
      expect(q.groups!.slice(1).map((g) => g.kinds)).toEqual([['api-spec'], ['metadata-standard']]);
    });

    it.each([...SECTORS])('%s: every pre-ticked format is a registry id offered in the group of its kind, with a reason', (sector) => {
      const { ids, reasons, offered } = preselected(sector, dataDefaults(sector, { openPublication: true }));
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        const f = library.formats.get(id)!;
        const group = offered.get(id)!;
        expect(group.kinds.includes(f.kind) || (f.alsoKinds ?? []).some((k) => group.kinds.includes(k)), `${id} in ${group.id}`).toBe(true);
        expect(reasons.get(id), id).toMatch(/\w/);
      }
    });

    it('health care: HL7 FHIR, and no geodata format unless geodata is answered yes', () => {
      const data = dataDefaults('health-care', { sensor: true });
      expect(data.geodata).toBe(false);
      expect(data.specialCategories).toBe(true);
      const { ids } = preselected('health-care', data);
      expect(ids).toContain('fhir');
      for (const geo of geodataFormats()) expect(ids, geo).not.toContain(geo);
      expect(preselected('health-care', { ...data, geodata: true }).ids).toEqual(expect.arrayContaining(['fhir', 'sosi', 'gml']));
      // Without an API, FHIR is still pre-ticked, as a data format.
      expect(preselected('health-care', data, false).ids).toContain('fhir');
    });

    it('no sector pre-ticks geodata formats when geodata is answered no', () => {
      for (const sector of SECTORS) {
        const { ids } = preselected(sector, { ...dataDefaults(sector), geodata: false });
        for (const geo of geodataFormats()) expect(ids, `${sector}: ${geo}`).not.toContain(geo);
      }
    });

    it('the geodata sector answers geodata yes and pre-ticks SOSI, GML, GeoJSON and GeoPackage; archives and HR answer archival yes', () => {
      expect(dataDefaults('planning-geodata').geodata).toBe(true);
      expect(preselected('planning-geodata', dataDefaults('planning-geodata')).ids).toEqual(expect.arrayContaining(['sosi', 'gml', 'geojson', 'geopackage']));
      expect(dataDefaults('archives-case-handling').archival).toBe(true);
      expect(preselected('archives-case-handling', dataDefaults('archives-case-handling')).ids).toEqual(expect.arrayContaining(['noark5', 'addml']));
      expect(dataDefaults('administration').archival).toBe(true);
      const hr = spec.questions.find((q) => q.id === 'data.archival')!.defaults!.find((d) => 'answer' in d.when && d.when.equals === 'administration')!;
      for (const lang of spec.languages) expect(hr.reason[lang], lang).toMatch(/personal|personnel/i);
      expect(dataDefaults('environment-sensors').sensor).toBe(true);
      for (const sector of SECTORS.filter((s) => s !== 'planning-geodata')) expect(dataDefaults(sector).geodata, sector).toBe(false);
    });
  });

  it('keeps @inquirer/prompts inside src/interview/prompts.ts', () => {
    const importers = files(path.join(ROOT, 'src'))
      .filter((f) => f.endsWith('.ts') && /from '@inquirer\//.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(ROOT, f));
    expect(importers).toEqual([path.join('src', 'interview', 'prompts.ts')]);
    const main = readFileSync(path.join(ROOT, 'src', 'cli', 'main.ts'), 'utf8');
    expect(main).not.toMatch(/^import .*new-command/m);
  });
});
