import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AnswersSchema, type Answers } from '../src/core/answers.js';
import { buildDocument } from '../src/assemble/build.js';
import type { ClauseNode, DocumentModel } from '../src/assemble/model.js';
import { selectClauses, type IncludedClause } from '../src/assemble/select.js';
import { mergeLibraries } from '../src/library/library.js';
import { loadLibraries } from '../src/library/load.js';
import type { RequirementLevel } from '../src/core/levels.js';
import { loadTemplates } from '../src/library/templates.js';
import { findAvoidedTerms, maskQuotations } from '../src/library/wording.js';
import { ROOT, runCli } from './support/tools.js';

const { libraries } = await loadLibraries([path.join(ROOT, 'clauses')]);
const library = mergeLibraries(libraries);
const templates = await loadTemplates(path.join(ROOT, 'templates'));
const examples = readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => ({ file: f, answers: AnswersSchema.parse(parse(readFileSync(path.join(ROOT, 'examples', f), 'utf8'))) }));

/** Every string under a `text` key: the words of a document-model fragment. */
function texts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) texts(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'text' && typeof v === 'string') out.push(v);
      else texts(v, out);
    }
  }
  return out;
}

function build(answers: Answers, included: IncludedClause[], lang: string): DocumentModel {
  return buildDocument({ included, excluded: [], problems: [] }, answers, {
    lang,
    date: answers.date ?? '2027-03-01',
    library,
    templates,
    answersFile: 'test.yaml',
    answersDigest: '0',
    tool: { name: 'dataklausul', version: 'test' },
  });
}

// Each clause in the context of the first example that selects it, so that its template sees answers
// it is written for.
const cases: Array<{ id: string; answers: Answers; inc: IncludedClause }> = [];
for (const ex of examples) {
  for (const inc of selectClauses(ex.answers, library, ex.file).included) {
    if (!cases.some((c) => c.id === inc.clause.meta.id)) cases.push({ id: inc.clause.meta.id, answers: ex.answers, inc });
  }
}

const wordRe = (w: string) => new RegExp(`(?<![\\p{L}\\p{N}])${w}(?![\\p{L}\\p{N}])`, 'iu');

describe('the modal verb follows the effective requirement level', () => {
  it('every clause of the library is covered by an example', () => {
    expect(cases.map((c) => c.id).sort()).toEqual(library.clauses.map((c) => c.meta.id).sort());
  });

  const rows = cases.flatMap((c) => library.languages.flatMap((lang) => (['skal', 'bør'] as const).map((level) => ({ ...c, lang, level }))));

  it.each(rows.map((r) => [r.id, r.lang, r.level, r] as const))('%s (%s) forced to %s', (_id, _lang, _level, r) => {
    const level: RequirementLevel = r.level;
    const other: RequirementLevel = level === 'skal' ? 'bør' : 'skal';
    const modal = library.modal.get(r.lang)!;
    const answers: Answers = { ...r.answers, requirementLevels: { ...r.answers.requirementLevels, [r.inc.clause.meta.topic]: level } };
    const model = build(answers, [r.inc], r.lang);
    const clause = model.parts[0]!.sections[0]!.clauses[0] as ClauseNode;
    const body = maskQuotations(texts(clause.blocks).join(' '));
    const hasReq = Boolean(r.inc.clause.meta.requirement);
    const want = hasReq ? level : 'skal';
    const avoid = hasReq ? other : 'bør';
    expect(body, 'body').not.toMatch(wordRe(modal[avoid]));
    if (hasReq) {
      const row = model.parts[0]!.requirements!.rows[0]!;
      expect(row.level).toBe(level);
      const rowText = maskQuotations(row.text);
      expect(rowText, 'requirement row').toMatch(wordRe(modal[want]));
      expect(rowText, 'requirement row').not.toMatch(wordRe(modal[avoid]));
      expect(body, 'body').toMatch(wordRe(modal[want]));
    }
  });
});

describe('house terms', () => {
  const builds = examples.flatMap((ex) => library.languages.map((lang) => ({ ...ex, lang })));
  it.each(builds.map((b) => [b.file, b.lang, b] as const))('%s (%s) contains no avoided term variant', (_f, _l, b) => {
    const selection = selectClauses(b.answers, library, b.file);
    const model = build(b.answers, selection.included, b.lang);
    const found: string[] = [];
    const check = (where: string, text: string) => {
      for (const hit of findAvoidedTerms(text, b.lang, library.terms)) found.push(`${where}: "${hit.text}" → "${hit.say}"`);
    };
    for (const part of model.parts) {
      check(`${part.label}: title and intro`, [part.title, part.intro].join('\n'));
      for (const s of part.sections) {
        check(`section ${s.number} title`, s.title);
        for (const c of s.clauses) check(c.id, [c.title, ...(c.amends ? [c.amends] : []), ...texts(c.blocks)].join('\n'));
      }
      for (const row of part.requirements?.rows ?? []) check(row.id, row.text);
    }
    check('title block', [model.title.heading, model.title.appendixLabel].join('\n'));
    check('labels', texts(Object.values(model.labels).map((v) => ({ text: typeof v === 'string' ? v : Object.values(v).join(' ') }))).join('\n'));
    check('requirements intro', model.labels.requirementsIntro);
    check('provenance intro', model.provenance.intro);
    expect(found).toEqual([]);
  });

  it('every library language has modal words, and each term a preferred word in nb and en', () => {
    for (const lang of library.languages) expect(library.modal.has(lang), lang).toBe(true);
    for (const t of library.terms) for (const lang of ['nb', 'en']) expect(t.preferred[lang], `${t.id}.${lang}`).toBeTruthy();
  });
});

describe('lint warns on avoided term variants', () => {
  const warn = readdirSync(path.join(ROOT, 'test/fixtures/library/warn')).sort();
  it.each(warn)('warn/%s exits 0 and names file, line and the term to use', (name) => {
    const r = runCli(['lint', '--library', path.join('test/fixtures/library/warn', name)]);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('test/fixtures/'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatchSnapshot();
  });
});
