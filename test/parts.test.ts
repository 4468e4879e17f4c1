import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AnswersSchema, CONTRACT_TYPES, type Answers } from '../src/core/answers.js';
import type { DocumentModel } from '../src/assemble/model.js';
import { assemble, loadContext, type Context } from '../src/cli/pipeline.js';
import { renderHtml } from '../src/render/html.js';
import { renderMarkdown } from '../src/render/md.js';
import { ROOT } from './support/tools.js';

/** The parts of the appendix: every clause in exactly one part, the parts per contract type, the changed point. */

const answersOf = (example: string, contractType?: string): Answers => {
  const raw = parse(readFileSync(path.join(ROOT, 'examples', example), 'utf8')) as { procurement: Record<string, unknown> };
  if (contractType) raw.procurement.contractType = contractType;
  return AnswersSchema.parse(raw);
};

let ctx: Context;
beforeAll(async () => {
  ctx = await loadContext();
});

const build = (answers: Answers, lang = 'nb'): { model: DocumentModel; included: string[] } => {
  const r = assemble(ctx, { answers, file: 'cloud-hr.yaml', digest: '0'.repeat(64) }, lang, { SOURCE_DATE_EPOCH: '0' });
  return { model: r.model, included: r.selection.included.map((s) => s.clause.meta.id) };
};

/** The shape of the parts, for the snapshot: label, file slug, and each section's number, title and clause ids. */
const outline = (model: DocumentModel): string[] =>
  model.parts.flatMap((p) => [
    `${p.label} [${p.slug}] — ${p.title}`,
    ...p.sections.map((s) => `  ${s.number} ${s.title}: ${s.clauses.map((c) => `${c.number} ${c.id}`).join(', ')}`),
    ...(p.requirements ? [`  ${p.requirements.number} ${p.requirements.title}: ${p.requirements.rows.map((r) => r.id).join(', ')}`] : []),
  ]);

const SNAPSHOTTED = ['SSA-L', 'SSA-D', 'SSA-T', 'SSA-K', 'SSA-sky-store', 'SSA-sky-lille', 'services-own-terms', 'NS-8402'] as const;

describe('parts of the appendix', () => {
  it.each(SNAPSHOTTED)('%s: every clause in exactly one part; parts, order and numbering as snapshotted', (type) => {
    const { model, included } = build(answersOf('cloud-hr.yaml', type));
    const placed = model.parts.flatMap((p) => p.sections.flatMap((s) => s.clauses.map((c) => c.id)));
    expect([...placed].sort()).toEqual([...included].sort());
    expect(new Set(placed).size).toBe(placed.length);
    // Numbering restarts in every part.
    for (const p of model.parts) {
      p.sections.forEach((s, i) => {
        expect(s.number).toBe(String(i + 1));
        s.clauses.forEach((c, j) => expect(c.number).toBe(`${i + 1}.${j + 1}`));
      });
      if (p.requirements) expect(p.requirements.number).toBe(String(p.sections.length + 1));
    }
    expect(outline(model)).toMatchSnapshot();
  });

  it('numbers only verified appendices: SSA-L 1, 4, 6, 7; SSA-D 1, 5, 7, 8; SSA-T 1, 5, 7, 8; none in SSA-K, SSA-sky or a service frame', () => {
    const bilag = (type: string, example = 'cloud-hr.yaml') => build(answersOf(example, type)).model.parts.map((p) => `${p.kind}:${p.bilag ?? '-'}`);
    expect(bilag('SSA-L')).toEqual(['requirements:1', 'service-levels:4', 'price:6', 'changes:7', 'processor-agreement:-']);
    expect(bilag('SSA-D')).toEqual(['requirements:1', 'service-levels:5', 'price:7', 'changes:8', 'processor-agreement:-']);
    expect(bilag('SSA-T', 'land-surveying.yaml')).toContain('test-approval:5');
    for (const type of ['SSA-K', 'SSA-sky-store', 'SSA-sky-lille', 'SSA-sky', 'services-own-terms', 'NS-8402', 'other']) {
      expect(bilag(type).every((b) => b.endsWith(':-')), type).toBe(true);
    }
  });

  it('names the changed point for every change clause in every SSA type, and none in a non-SSA frame', () => {
    for (const type of CONTRACT_TYPES) {
      for (const lang of ctx.library.languages.filter((l) => ctx.templates.i18n[l])) {
        const { model } = build(answersOf('cloud-hr.yaml', type), lang);
        const family = ctx.templates.contractTypes.types[type]!.family;
        const changes = model.parts.find((p) => p.kind === 'changes')!;
        expect(changes, `${type} has a change part`).toBeDefined();
        for (const c of changes.sections.flatMap((s) => s.clauses)) {
          if (family === 'ssa') {
            expect(c.amends, `${type} ${lang} ${c.id}`).toBeTruthy();
            expect(c.amends).toContain(model.title.contractType);
          } else {
            expect(c.amends, `${type} ${c.id}`).toBeUndefined();
          }
        }
        if (family !== 'ssa') expect(changes.label).toBe(ctx.templates.i18n[lang]!.parts.specialTerms);
      }
    }
  });

  it('names SSA-D\'s "Midlertidig forlengelse av avtalen" by its heading, and names no point by a number', () => {
    const { model } = build(answersOf('cloud-hr.yaml', 'SSA-D'));
    const ext = model.parts.flatMap((p) => p.sections.flatMap((s) => s.clauses)).find((c) => c.id === 'exit/service-extension')!;
    expect(ext.amends).toContain('«Midlertidig forlengelse av avtalen»');
    for (const c of ctx.library.clauses) for (const e of c.meta.changes) expect(e.heading ?? '').not.toMatch(/\d+\.\d+/);
  });

  it('every changed point a clause names has words in every language', () => {
    const points = new Set(ctx.library.clauses.flatMap((c) => c.meta.changes.map((e) => e.point)));
    expect(points.size).toBeGreaterThan(3);
    for (const [lang, strings] of Object.entries(ctx.templates.i18n)) {
      for (const p of points) expect(strings.ssaPoints[p], `${lang}: ssaPoints.${p}`).toBeTruthy();
    }
  });

  it('never prints a raw contract-type id: every type has a printed name in every language', () => {
    for (const type of CONTRACT_TYPES) {
      for (const lang of ctx.library.languages.filter((l) => ctx.templates.i18n[l])) {
        const { model } = build(answersOf('cloud-hr.yaml', type), lang);
        expect(model.title.contractType).not.toBe(type);
        const md = renderMarkdown(model);
        expect(md).not.toMatch(new RegExp(`\\| ${type.replace(/-/g, '\\\\?-')} \\|`));
      }
    }
  });

  it('md and html show every part with its own heading, intro and requirements table', () => {
    const { model } = build(answersOf('cloud-hr.yaml'));
    expect(model.parts.length).toBeGreaterThan(2);
    const md = renderMarkdown(model);
    const html = renderHtml(model);
    for (const p of model.parts) {
      expect(md).toContain(`\n## ${p.title.replace(/[–]/g, '–')}\n`);
      expect(html).toContain(`<h2>${p.title}</h2>`);
      if (p.requirements) expect(md.split(`## ${p.title}`)[1]!.split('\n## ')[0]).toContain(`### ${p.requirements.number} ${p.requirements.title}`);
    }
    expect(html.match(/<section class="part"/g)).toHaveLength(model.parts.length);
  });
});
