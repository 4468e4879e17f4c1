import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AnswersSchema, BULK_FREQUENCIES, type Answers } from '../src/core/answers.js';
import type { ClauseNode, DocumentModel } from '../src/assemble/model.js';
import { plainText } from '../src/assemble/markdown.js';
import { assemble, loadContext, type Context } from '../src/cli/pipeline.js';
import { ROOT } from './support/tools.js';

/** Issue 12 item 6: extracts per assignment and yearly, and data-quality reporting during the contract. */

let ctx: Context;
beforeAll(async () => {
  ctx = await loadContext();
});

const example = (name: string): Answers => AnswersSchema.parse(parse(readFileSync(path.join(ROOT, 'examples', `${name}.yaml`), 'utf8')));
const build = (answers: Answers, lang: string): DocumentModel => assemble(ctx, { answers, file: 'x.yaml', digest: '0'.repeat(64) }, lang, {}).model;
const clause = (m: DocumentModel, id: string): ClauseNode | undefined => m.parts.flatMap((p) => p.sections.flatMap((s) => s.clauses)).find((c) => c.id === id);
const bodyText = (c: ClauseNode) =>
  c.blocks.map((b) => (b.type === 'paragraph' ? plainText(b.content) : b.type === 'list' ? b.items.map((i) => i.map((x) => (x.type === 'paragraph' ? plainText(x.content) : '')).join(' ')).join(' ') : ''))
    .join('\n')
    .replace(/\u00a0/g, ' ');
// Numbers and units are joined by a no-break space in the appendix.
const requirement = (m: DocumentModel, id: string) => m.parts.flatMap((p) => p.requirements?.rows ?? []).find((r) => r.id === id)?.text.replace(/\u00a0/g, ' ');

/** How each frequency reads in each language, in the requirement and the body of access/scheduled-extracts. */
const WORDS: Record<string, Record<string, string>> = {
  'per-assignment': {
    nb: 'innen 5 virkedager etter at hvert oppdrag Leverandøren utfører for Kunden er fullført',
    nn: 'innan 5 vyrkedagar etter at kvart oppdrag Leverandøren utfører for Kunden er fullført',
    en: 'within 5 working days after each assignment the Supplier carries out for the Customer is completed',
  },
  daily: { nb: 'hver dag', nn: 'kvar dag', en: 'every day' },
  weekly: { nb: 'hver uke', nn: 'kvar veke', en: 'every week' },
  monthly: { nb: 'hver måned', nn: 'kvar månad', en: 'every month' },
  quarterly: { nb: 'hvert kvartal', nn: 'kvart kvartal', en: 'every quarter' },
  yearly: { nb: 'hvert år', nn: 'kvart år', en: 'every year' },
};

describe('extract frequencies', () => {
  it('every scheduled frequency has its words, and none and on-request have no scheduled extracts', () => {
    expect(Object.keys(WORDS).sort()).toEqual(BULK_FREQUENCIES.filter((f) => f !== 'none' && f !== 'on-request').sort());
    for (const f of ['none', 'on-request'] as const) expect(clause(build({ ...example('cloud-hr'), access: { ...example('cloud-hr').access, bulkExport: f } }, 'nb'), 'access/scheduled-extracts'), f).toBeUndefined();
  });

  it.each(Object.keys(WORDS).flatMap((f) => ['nb', 'nn', 'en'].map((lang) => [f, lang] as const)))('%s reads right in %s, in the requirement and the clause', (f, lang) => {
    const m = build({ ...example('cloud-hr'), access: { ...example('cloud-hr').access, bulkExport: f as Answers['access']['bulkExport'] } }, lang);
    const c = clause(m, 'access/scheduled-extracts')!;
    const words = WORDS[f]![lang]!;
    expect(requirement(m, 'DK-ACC-03')).toContain(words);
    expect(bodyText(c)).toContain(words);
    // Exactly one frequency is named.
    for (const [other, w] of Object.entries(WORDS)) if (other !== f && !words.includes(w[lang]!)) expect(requirement(m, 'DK-ACC-03'), other).not.toContain(w[lang]!);
  });

  it('every clause that prints the frequency words each frequency it applies to, in every language', () => {
    const readers = ctx.library.clauses.filter((c) => Object.values(c.texts).some((t) => /answers\.access\.bulkExport/.test(`${t.requirement ?? ''}${t.body}`)));
    expect(readers.map((c) => c.meta.id)).toContain('access/scheduled-extracts');
    for (const c of readers) {
      for (const f of BULK_FREQUENCIES) {
        const a = { ...example('cloud-hr'), access: { ...example('cloud-hr').access, bulkExport: f } };
        const m = build(a, 'nb');
        if (!clause(m, c.meta.id)) continue;
        for (const [lang, t] of Object.entries(c.texts)) expect(`${t.requirement ?? ''}${t.body}`, `${c.meta.id} ${lang} words "${f}"`).toContain(`(eq answers.access.bulkExport "${f}")`);
      }
    }
  });

  it('the working days after an assignment are a parameter', () => {
    const a = { ...example('land-surveying'), params: { 'access/scheduled-extracts': { afterAssignmentDays: 2 } } };
    expect(requirement(build(a, 'nb'), 'DK-ACC-03')).toContain('innen 2 virkedager etter at hvert oppdrag');
  });
});

describe('quality/quality-reporting', () => {
  it('is selected where the supplier holds the data (SaaS, hosted, outsourced) and not on own servers', () => {
    for (const e of ['cloud-hr', 'welfare-technology', 'land-surveying', 'waste-sensors']) expect(clause(build(example(e), 'nb'), 'quality/quality-reporting'), e).toBeDefined();
    expect(clause(build(example('archive-system'), 'nb'), 'quality/quality-reporting')).toBeUndefined();
  });

  it.each([
    ['monthly', 'basic', 'nb', 'hver måned levere en skriftlig rapport om kvaliteten på Kundens data.'],
    ['quarterly', 'measured', 'nb', 'hvert kvartal levere en skriftlig rapport om kvaliteten på Kundens data, med målte verdier for fullstendighet, korrekthet, aktualitet og konsistens.'],
    ['yearly', 'measured', 'nn', 'kvart år levere ein skriftleg rapport om kvaliteten på Kundens data, med målte verdiar for fullstendigheit, korrektheit, aktualitet og konsistens.'],
    ['yearly', 'basic', 'en', 'deliver every year a written report on the quality of Customer Data.'],
  ])('frequency %s, content %s in %s', (frequency, content, lang, words) => {
    const a = { ...example('cloud-hr'), requirementLevels: {}, params: { 'quality/quality-reporting': { frequency, content } } };
    const m = build(a, lang);
    expect(requirement(m, 'DK-QUA-05')).toContain(words);
    const body = bodyText(clause(m, 'quality/quality-reporting')!);
    const measured = { nb: 'Målemetoden skal', nn: 'Målemetoden skal', en: 'describe the method of measurement' }[lang]!;
    if (content === 'measured') expect(body).toContain(measured);
    else expect(body).not.toContain(measured);
  });
});
