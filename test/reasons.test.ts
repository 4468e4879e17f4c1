import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { AnswersSchema } from '../src/core/answers.js';
import { msg } from '../src/core/messages.js';
import { say } from '../src/library/messages.js';
import { evaluateCondition } from '../src/assemble/select.js';
import { renderReason, renderWhy, type Reason } from '../src/assemble/reasons.js';
import type { Condition } from '../src/library/schema.js';
import { ROOT, runCli } from './support/tools.js';

/** Why a clause is in or out, in the reader's language (issue 12 item 9). */

const tmp = mkdtempSync(path.join(tmpdir(), 'dk-reasons-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cloudHr = AnswersSchema.parse(parse(readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml'), 'utf8')));
const tr = (lang: string) => (key: string, vars?: Record<string, string | number>) => say(lang, key, vars);

/** Words of the English reasons and condition explanations; none may appear in an nb or nn reason. */
const ENGLISH = /condition (not )?met|always included|no condition|required by|left out by|excluded by|not selected|\banswer:|\bnot answered\b|\bis answered\b|\bnot in\b|\bincludes\b|\bdoes not include\b|\bnone of\b|\band\b|\bnot \(/;

// One condition per way of explaining it: every operator, as met and as not met, negated, combined.
const conditions: Condition[] = [
  { answer: 'deliveryModel', equals: 'saas' },
  { answer: 'deliveryModel', equals: 'on-premises' },
  { not: { answer: 'deliveryModel', equals: 'on-premises' } },
  { not: { answer: 'deliveryModel', equals: 'saas' } },
  { answer: 'deliveryModel', in: ['saas', 'hosted'] },
  { answer: 'deliveryModel', in: ['hosted', 'on-premises'] },
  { not: { answer: 'deliveryModel', in: ['hosted', 'on-premises'] } },
  { answer: 'formats', includes: 'csv' },
  { answer: 'formats', includes: 'sosi' },
  { not: { answer: 'formats', includes: 'sosi' } },
  { answer: 'formats', includesAny: ['sosi', 'gml'] },
  { not: { answer: 'formats', includesAny: ['sosi', 'gml'] } },
  { answer: 'licence', isSet: true },
  { answer: 'licence', isSet: false },
  { not: { answer: 'licence', isSet: true } },
  { all: [{ answer: 'data.personal', equals: true }, { answer: 'sector', equals: 'administration' }, { answer: 'deliveryModel', equals: 'saas' }] },
  { any: [{ answer: 'data.geodata', equals: true }, { answer: 'data.sensor', equals: true }] },
  { not: { all: [{ answer: 'data.personal', equals: true }, { answer: 'sector', equals: 'administration' }] } },
];

describe('condition explanations', () => {
  it.each(conditions.map((c) => [JSON.stringify(c), c] as const))('%s: English as before, nb and nn without English words', (_name, cond) => {
    const r = evaluateCondition(cond, cloudHr);
    expect(renderWhy(tr('en'), r.because)).toBe(r.why);
    for (const lang of ['nb', 'nn']) {
      const text = renderWhy(tr(lang), r.because);
      expect(text, lang).not.toMatch(ENGLISH);
      expect(text, lang).toContain(JSON.stringify(cond).match(/"answer":"([^"]+)"/)![1]);
    }
  });

  it('keeps the English wording of a failed test with the answer given', () => {
    expect(evaluateCondition({ not: { answer: 'deliveryModel', equals: 'saas' } }, cloudHr).why).toBe('deliveryModel ≠ "saas" (answer: "saas")');
    expect(evaluateCondition({ answer: 'licence', isSet: true }, cloudHr).why).toBe('licence is answered (answer: not answered)');
    const nb = evaluateCondition({ answer: 'deliveryModel', in: ['hosted', 'on-premises'] }, cloudHr);
    expect(renderWhy(tr('nb'), nb.because)).toBe('deliveryModel er en av [hosted, on-premises] (svar: "saas")');
    expect(renderWhy(tr('nn'), nb.because)).toBe('deliveryModel er ein av [hosted, on-premises] (svar: "saas")');
  });

  it('renders every kind of reason in each language', () => {
    const met = evaluateCondition({ answer: 'deliveryModel', equals: 'saas' }, cloudHr).because;
    const reasons: Array<[Reason, string]> = [
      [msg('reason.always'), 'always included (no condition)'],
      [{ ...msg('reason.conditionMet'), why: met }, 'condition met: deliveryModel = "saas"'],
      [{ ...msg('reason.conditionNotMet'), why: met }, 'condition not met: deliveryModel = "saas"'],
      [msg('reason.requiredBy', { clause: 'api/documented-api' }), 'required by api/documented-api'],
      [msg('reason.policy', { policy: 'p', rule: 'r' }), 'required by policy p, rule r'],
      [msg('reason.excludedBy', { clause: 'x/y' }), 'excluded by x/y'],
      [msg('reason.notSelected'), 'not selected'],
      [msg('explain.omitted', { reason: 'Passer ikke' }), 'left out by the buyer: Passer ikke'],
    ];
    for (const [r, en] of reasons) {
      expect(renderReason(tr('en'), r)).toBe(en);
      for (const lang of ['nb', 'nn']) expect(renderReason(tr(lang), r), `${r.key} ${lang}`).not.toMatch(ENGLISH);
    }
  });
});

describe('explain', () => {
  // A layer where access/a (always in) requires access/b (selected by no answer of its own), and
  // access/c that the buyer leaves out; with the example policy, which requires api/documented-api.
  const layer = path.join(tmp, 'layer');
  const files: Record<string, string> = {
    'library.yaml': 'name: reasons-test\nversion: 1.0.0\ntitle: { nb: Test, en: Test }\nlanguages: [nb, en]\nextends: [nasjonal-basis]\n',
    'access/a.yaml': 'id: access/a\nversion: 1.0.0\ntopic: access\norder: 90\nrequires: [access/b]\nssa: requirements\n',
    'access/b.yaml': 'id: access/b\nversion: 1.0.0\ntopic: access\norder: 91\nwhen: { answer: sector, equals: culture }\nssa: requirements\n',
    'access/c.yaml': 'id: access/c\nversion: 1.0.0\ntopic: access\norder: 92\nssa: requirements\n',
  };
  for (const id of ['a', 'b', 'c']) for (const lang of ['nb', 'en']) files[`access/${id}.${lang}.md`] = `---\ntitle: Klausul ${id}\n---\n${lang === 'nb' ? 'Leverandøren {{shall}} gjøre' : 'The Supplier {{shall}} do'} ${id}.\n`;
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(layer, f)), { recursive: true });
    writeFileSync(path.join(layer, f), text);
  }
  const a = parse(readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml'), 'utf8')) as Record<string, any>;
  a.access.api = false;
  a.requirementLevels = {};
  a.omit = [{ clause: 'access/c', reason: 'Passer ikke her.' }];
  const file = path.join(tmp, 'answers.yaml');
  writeFileSync(file, stringify(a));
  const args = ['explain', file, '--library', layer, '--policy', 'examples/policies/eksempel-kommune.yaml'];
  /** The reason on each clause line of the text output, by clause id. */
  const reasonsOf = (stdout: string) => new Map([...stdout.matchAll(/^ {2}[+-] (\S+)(?: \S+)?(?: \[[^\]]*\])?: (.*)$/gm)].map((m) => [m[1]!, m[2]!]));

  it('prints no English reason words in nb and nn', () => {
    for (const lang of ['nb', 'nn']) {
      const r = runCli([...args, '--lang', lang]);
      expect(r.code, r.stderr).toBe(0);
      const reasons = reasonsOf(r.stdout);
      expect(reasons.size).toBeGreaterThan(50);
      for (const [id, reason] of reasons) expect(reason, `${lang} ${id}`).not.toMatch(ENGLISH);
      expect(reasons.get('access/b'), lang).toBe(lang === 'nb' ? 'kreves av access/a' : 'krevst av access/a');
      expect(reasons.get('access/c'), lang).toBe(lang === 'nb' ? 'utelatt av Kunden: Passer ikke her.' : 'utelaten av Kunden: Passer ikke her.');
      expect(reasons.get('api/documented-api'), lang).toMatch(/^kreve?st? av policyen eksempel-kommune-arkitektur, regel documented-api$/);
      expect(r.stdout).toMatch(lang === 'nb' ? /: vilkåret er oppfylt: / : /: vilkåret er oppfylt: /);
      expect(r.stdout).toMatch(lang === 'nb' ? /: vilkåret er ikke oppfylt: .*\(svar: / : /: vilkåret er ikkje oppfylt: .*\(svar: /);
    }
  });

  it('prints the English reasons unchanged in en, the same as the JSON', () => {
    const r = runCli([...args, '--lang', 'en']);
    expect(r.code, r.stderr).toBe(0);
    const reasons = reasonsOf(r.stdout);
    expect(reasons.get('access/a')).toBe('always included (no condition)');
    expect(reasons.get('access/b')).toBe('required by access/a');
    expect(reasons.get('access/c')).toBe('left out by the buyer: Passer ikke her.');
    expect(reasons.get('api/documented-api')).toBe('required by policy eksempel-kommune-arkitektur, rule documented-api');
    expect(reasons.get('api/authentication')).toBe('condition not met: access.api = true (answer: false)');
    expect(r.stdout).toMatch(/\+ personal-data\/\S+ \d+\.\d+\.\d+(?: \[[^\]]*\])?: condition met: data\.personal = true/);
    // --json keeps the English reason whatever the language, with its catalogue key.
    for (const lang of ['en', 'nb']) {
      const j = JSON.parse(runCli([...args, '--lang', lang, '--json']).stdout) as Record<'included' | 'excluded', Array<{ id: string; reason: string; reasonKey: string }>>;
      const all = [...j.included, ...j.excluded];
      expect(all.length).toBe(reasons.size);
      for (const c of all) expect(c.reason, `${lang} ${c.id}`).toBe(reasons.get(c.id));
      expect(j.included.find((c) => c.id === 'access/b')?.reasonKey).toBe('reason.requiredBy');
      expect(j.excluded.find((c) => c.id === 'access/c')?.reasonKey).toBe('explain.omitted');
    }
  });
});
