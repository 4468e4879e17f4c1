import { beforeAll, describe, expect, it } from 'vitest';
import type { ChoiceOption, PromptAdapter, Validate } from '../src/interview/adapter.js';
import { newSession, runInterview, type InterviewContext } from '../src/interview/flow.js';
import { forWeb } from '../src/interview/spec.js';
import { esc, fieldId, fieldName, questionPage, summaryPage } from '../src/cli/serve/pages.js';
import { answeredIn, walk, type Response, type Step, type Walk } from '../src/cli/serve/walk.js';
import { interviewContexts } from './support/interview-context.js';

/**
 * The pages of `dataklausul serve` against the terminal interview: the same prompts, choices,
 * defaults and validation messages, the same answers at the end; every question of
 * templates/interview.yaml on some page. Pure (no server, no browser): test/serve-browser.test.ts
 * drives the real thing.
 */

let nb: InterviewContext;
let en: InterviewContext;
let nn: InterviewContext;

beforeAll(async () => {
  ({ nb, nn, en } = await interviewContexts());
});

/** Answers that open every branch of the interview (members, special categories, licence, levels per topic, parameters). */
const EVERY_BRANCH: Record<string, Response> = {
  'buyer.name': 'Eksempel <kommune> & "co"',
  'buyer.orgNumber': '974 760 673',
  'buyer.members': true,
  'buyer.members.name#0': 'Nabo kommune',
  'buyer.members.orgNumber#0': '864000002',
  'buyer.members.role#0': 'contact-point',
  'buyer.members.more#0': true,
  'buyer.members.name#1': 'Fjell kommune',
  'buyer.members.orgNumber#1': '864079199',
  'buyer.members.more#1': false,
  'buyer.partnership.name': 'Fjorddalen IKT',
  'buyer.partnership.legalForm': 'host-municipality',
  'buyer.partnership.host': '974 760 673',
  'procurement.title': 'Skybasert system for personal og lønn',
  'procurement.reference': '2027/0142',
  'data.personal': true,
  'data.specialCategories': true,
  'data.geodata': true,
  'data.sensor': true,
  'data.openPublication': true,
  'access.api': true,
  'access.realTime': true,
  'pricing.routineExport': 'fixed',
  requirementLevels: false,
  'params.adjust': true,
};

interface Recorded {
  key: string;
  kind: string;
  message: string;
  help?: string;
  default?: unknown;
  choices?: Array<{ value: string; name: string; checked?: boolean }>;
  validate?: Validate;
}

/** The terminal side: a scripted adapter that records every prompt the flow asks. */
function recordingAdapter(script: Record<string, Response>) {
  const asked: Recorded[] = [];
  const counts = new Map<string, number>();
  const keyOf = (id: string) => {
    const n = counts.get(id) ?? 0;
    counts.set(id, n + 1);
    return `${id}#${n}`;
  };
  const scripted = (key: string) => script[key] ?? script[key.replace(/#\d+$/, '')];
  const adapter: PromptAdapter = {
    async input(q) {
      const key = keyOf(q.id);
      asked.push({ key, kind: 'input', message: q.message, help: q.help, default: q.default, validate: q.validate });
      return (scripted(key) as string | undefined) ?? q.default ?? '';
    },
    async confirm(q) {
      const key = keyOf(q.id);
      asked.push({ key, kind: 'confirm', message: q.message, help: q.help, default: q.default });
      return (scripted(key) as boolean | undefined) ?? q.default;
    },
    async select<T extends string>(q: { id: string; message: string; help?: string; choices: ReadonlyArray<ChoiceOption<T>>; default?: T }) {
      const key = keyOf(q.id);
      asked.push({ key, kind: 'select', message: q.message, help: q.help, default: q.default, choices: q.choices.map((c) => ({ ...c })) });
      return ((scripted(key) as T | undefined) ?? q.default ?? q.choices[0]!.value) as T;
    },
    async checkbox<T extends string>(q: { id: string; message: string; help?: string; choices: ReadonlyArray<ChoiceOption<T>>; atLeastOne: string }) {
      const key = keyOf(q.id);
      asked.push({ key, kind: 'checkbox', message: q.message, help: q.help, choices: q.choices.map((c) => ({ ...c })) });
      return ((scripted(key) as T[] | undefined) ?? q.choices.filter((c) => c.checked).map((c) => c.value)) as T[];
    },
    say() {},
  };
  return { adapter, asked };
}

/** The web side: answers each new field the way the browser test does (the script, else what the page shows). */
async function webRun(ctx: InterviewContext, script: Record<string, Response>): Promise<{ walks: Walk[]; responses: Record<string, Response> }> {
  const responses: Record<string, Response> = {};
  const walks: Walk[] = [];
  for (let i = 0; i < 60; i++) {
    const w = await walk(ctx, {}, responses);
    walks.push(w);
    if (w.done) return { walks, responses };
    for (const s of w.steps.filter((x) => x.prompt.page === w.frontier && x.state !== 'answered')) {
      const given = script[s.prompt.key] ?? script[s.prompt.id];
      responses[s.prompt.key] = given ?? (s.prompt.kind === 'select' && s.value === '' ? s.prompt.choices![0]!.value : s.value);
    }
  }
  throw new Error('the web interview did not finish');
}

function render(ctx: InterviewContext, w: Walk, page: string): string {
  const ui = ctx.spec.ui[ctx.lang]!;
  return questionPage({ spec: ctx.spec, walk: w, page, frame: { lang: ctx.lang, token: 'tok', steps: [], t: (k) => k }, yes: ui.yes, no: ui.no });
}

/** The fields of a rendered page: name → { label, values (in order), checked, text value, error }. */
function fieldsOf(html: string) {
  const out = new Map<string, { label: string; values: string[]; labels: string[]; checked: string[]; value?: string; error?: string }>();
  const blocks = html.split(/(?=<div class="field[^"]*" data-key=|<fieldset class="field[^"]*" id="[^"]*" data-key=)/).slice(1);
  for (const b of blocks) {
    const key = /data-key="([^"]*)"/.exec(b)![1]!;
    const label = (/<label for="[^"]*">([^<]*)<\/label>/.exec(b) && b.startsWith('<div') ? /<label for="[^"]*">([^<]*)<\/label>/.exec(b)![1]! : /<legend>([^<]*)<\/legend>/.exec(b)?.[1]) ?? '';
    const inputs = [...b.matchAll(/<input type="(radio|checkbox)" id="([^"]*)" name="[^"]*" value="([^"]*)"( checked)?[^>]*><label for="[^"]*">([^<]*)<\/label>/g)];
    out.set(key, {
      label,
      values: inputs.map((m) => m[3]!),
      labels: inputs.map((m) => m[5]!),
      checked: inputs.filter((m) => m[4]).map((m) => m[3]!),
      value: /<input type="text"[^>]* value="([^"]*)"/.exec(b)?.[1],
      error: /<p class="error" id="[^"]*-error"><span class="visually-hidden">[^<]*<\/span>([^<]*)<\/p>/.exec(b)?.[1],
    });
  }
  return out;
}

describe('serve pages: parity with the terminal interview', () => {
  it.each([['nb'], ['nn'], ['en']])('asks every prompt of the terminal flow, with the same text, choices and defaults, and gives the same answers (%s)', async (lang) => {
    const ctx = { nb, nn, en }[lang]!;
    const { adapter, asked } = recordingAdapter(EVERY_BRANCH);
    const session = newSession();
    await runInterview(ctx, adapter, session);

    const { walks, responses } = await webRun(ctx, EVERY_BRANCH);
    const last = walks[walks.length - 1]!;
    // The same answers, exactly: nothing lost, nothing added on the way through the pages.
    expect(last.done!.session.answers).toEqual(session.answers);
    // The same prompts in the same order.
    expect(last.steps.map((s) => s.prompt.key)).toEqual(asked.map((a) => a.key));

    // Each prompt as the page shows it when it first appears (before it is answered).
    const firstSeen = new Map<string, { html: string; step: Step }>();
    for (const w of walks) {
      for (const page of w.pages) {
        const html = render(ctx, w, page);
        for (const s of w.steps.filter((x) => x.prompt.page === page)) if (!firstSeen.has(s.prompt.key)) firstSeen.set(s.prompt.key, { html, step: s });
      }
    }
    for (const a of asked) {
      const seen = firstSeen.get(a.key);
      expect(seen, a.key).toBeDefined();
      const f = fieldsOf(seen!.html).get(a.key);
      expect(f, `${a.key} on its page`).toBeDefined();
      expect(f!.label, a.key).toBe(esc(a.message));
      if (a.help) expect(seen!.html).toContain(`<p class="help" id="${fieldId(a.key)}-help">${esc(a.help)}</p>`);
      expect(seen!.html).toContain(`name="${esc(fieldName(a.key))}"`);
      if (a.kind === 'select' || a.kind === 'checkbox') {
        expect(f!.values, a.key).toEqual(a.choices!.map((c) => esc(c.value)));
        expect(f!.labels, a.key).toEqual(a.choices!.map((c) => esc(c.name)));
        const checked = a.kind === 'select' ? (a.default === undefined ? [] : [a.default]) : a.choices!.filter((c) => c.checked).map((c) => c.value);
        expect(f!.checked, `${a.key} pre-selected`).toEqual(checked);
      } else if (a.kind === 'confirm') {
        expect(f!.checked, `${a.key} pre-selected`).toEqual([a.default ? 'yes' : 'no']);
      } else {
        expect(f!.value ?? '', `${a.key} pre-filled`).toBe(esc((a.default as string | undefined) ?? ''));
      }
    }
    // The scripted answers really are what was sent.
    expect(responses['buyer.members.name#1']).toBe('Fjell kommune');
  });

  it.each([['nb'], ['nn'], ['en']])('asks the same prompts in the web\'s words: no key is mentioned, and only texts with a web variant differ from the terminal (%s)', async (lang) => {
    const ctx = { nb, nn, en }[lang]!;
    const web = { ...ctx, spec: forWeb(ctx.spec) };
    const term = recordingAdapter(EVERY_BRANCH);
    const session = newSession();
    await runInterview(ctx, term.adapter, session);
    const { walks } = await webRun(web, EVERY_BRANCH);
    const last = walks[walks.length - 1]!;
    expect(last.steps.map((s) => s.prompt.key)).toEqual(term.asked.map((a) => a.key));
    expect(last.done!.session.answers).toEqual(session.answers);
    const KEYS = /\bEnter\b|mellomrom|\bspace\b|ctrl-c|\(j\/n\)|\(y\/n\)/i;
    const shown = last.steps.flatMap((s) => [s.prompt.message, s.prompt.help ?? '', ...s.prompt.notes, s.prompt.atLeastOne ?? '', ...(s.prompt.choices ?? []).map((c) => c.name)]);
    expect(shown.filter((x) => KEYS.test(x))).toEqual([]);
    // The terminal's words do mention keys (so the check above can fail), and the terminal keeps them.
    expect(term.asked.filter((a) => KEYS.test(`${a.message} ${a.help ?? ''}`)).map((a) => a.key)).toEqual(['procurement.appendixLabel#0', 'formats#0']);
    expect(ctx.spec.ui[lang]!.paramsHeading).toMatch(KEYS);
    const changed = last.steps.filter((s, i) => s.prompt.message !== term.asked[i]!.message || s.prompt.help !== term.asked[i]!.help).map((s) => s.prompt.key);
    expect(changed).toEqual(['procurement.appendixLabel#0', 'formats#0']);
  });

  it('every question of templates/interview.yaml is on some page', async () => {
    const { walks } = await webRun(nb, EVERY_BRANCH);
    const ids = new Set(walks[walks.length - 1]!.steps.map((s) => s.prompt.id));
    const missing = nb.spec.questions.filter((q) => !ids.has(q.id)).map((q) => q.id);
    expect(missing).toEqual([]);
    // And every page is a section of `sections` (or the clause parameters' page), so none falls back to a bare id.
    const pages = walks[walks.length - 1]!.pages;
    expect(pages.length).toBeGreaterThan(5);
    for (const p of pages) {
      const id = p.replace(/-\d+$/, '');
      expect(id === 'params' || nb.spec.sections.some((s) => s.id === id), p).toBe(true);
    }
  });

  it('shows the terminal validator\'s message beside the field, for every text, number, date and organisation number', async () => {
    const { adapter, asked } = recordingAdapter(EVERY_BRANCH);
    await runInterview(nb, adapter, newSession());
    const { responses } = await webRun(nb, EVERY_BRANCH);
    const bad = ['', 'abc', '12345678', '974760674', '-5', '1,5', '99999999', '2027-02-30', '2027-13-01'];
    let checked = 0;
    for (const a of asked.filter((x) => x.kind === 'input')) {
      for (const value of bad) {
        const expected = a.validate!(value);
        const w = await walk(nb, {}, { ...responses, [a.key]: value });
        const step = w.steps.find((s) => s.prompt.key === a.key)!;
        const f = fieldsOf(render(nb, w, step.prompt.page)).get(a.key)!;
        if (expected === true) {
          expect(f.error, `${a.key} = ${JSON.stringify(value)}`).toBeUndefined();
        } else {
          expect(f.error, `${a.key} = ${JSON.stringify(value)}`).toBe(esc(expected));
          expect(w.frontier).toBe(step.prompt.page);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('refuses a value that is not one of the choices, and an empty choice, beside the field', async () => {
    const { responses } = await webRun(nb, EVERY_BRANCH);
    const w = await walk(nb, {}, { ...responses, 'deliveryModel#0': 'mainframe', 'formats#0': [], 'data.personal#0': '' }, { invalidChoice: 'Choose one of the options.' });
    const errors = Object.fromEntries(w.steps.filter((s) => s.error).map((s) => [s.prompt.key, s.error]));
    expect(errors['deliveryModel#0']).toBe('Choose one of the options.');
    // Only the first page with a problem is walked; the others follow once it is fixed.
    const w2 = await walk(nb, {}, { ...responses, 'formats#0': [], 'data.personal#0': '' });
    expect(Object.fromEntries(w2.steps.filter((s) => s.error).map((s) => [s.prompt.key, s.error]))).toEqual({ 'data.personal#0': nb.spec.ui.nb!.errors.required });
    const w3 = await walk(nb, {}, { ...responses, 'formats#0': [] });
    expect(Object.fromEntries(w3.steps.filter((s) => s.error).map((s) => [s.prompt.key, s.error]))).toEqual({ 'formats#0': nb.spec.ui.nb!.errors.atLeastOne });
  });

  it('a page shows all its questions at once, and a branch opened on it appears when the page is sent', async () => {
    const w = await walk(nb, {}, { 'buyer.name#0': 'X kommune', 'buyer.orgNumber#0': '974760673', 'buyer.members#0': false, 'procurement.title#0': 'T', 'procurement.reference#0': 'R' });
    const procurement = w.steps.filter((s) => s.prompt.page === 'procurement').map((s) => s.prompt.id);
    expect(procurement).toEqual(expect.arrayContaining(['procurement.contractType', 'procurement.plannedStart', 'procurement.termMonths', 'deliveryModel', 'sector']));
    expect(w.frontier).toBe('procurement');
    // Saying yes to members opens the member fields on the same page.
    const yes = await walk(nb, {}, { 'buyer.name#0': 'X kommune', 'buyer.orgNumber#0': '974760673', 'buyer.members#0': true });
    expect(yes.frontier).toBe('buyer');
    expect(yes.steps.filter((s) => s.state === 'new').map((s) => s.prompt.key)).toEqual(['buyer.members.name#0', 'buyer.members.orgNumber#0', 'buyer.members.role#0', 'buyer.members.more#0', 'buyer.partnership.name#0']);
  });

  it('an uploaded complete answers file is taken as answered; a draft stops at its first open question', async () => {
    const complete = {
      schemaVersion: 2, language: 'nb', date: '2027-03-01',
      buyer: { name: 'Eksempel kommune', orgNumber: '974760673' },
      procurement: { title: 'Skybasert system for personal og lønn', reference: '2027/0142', contractType: 'SSA-L', plannedStart: '2027-05-01', termMonths: 72 },
      deliveryModel: 'saas', sector: 'administration',
      data: { personal: true, specialCategories: true, geodata: false, sensor: false, archival: true, openPublication: false },
      access: { api: true, bulkExport: 'monthly', realTime: false },
      formats: ['csv', 'json', 'xml', 'pdfa', 'noark5'],
      pricing: { routineExport: 'included', apiUsage: 'included', exitExport: 'free', exitAssistance: 'included' },
      requirementLevels: { quality: 'bør' },
    };
    // A complete file (valid answers): every prompt takes its default, which the file gave.
    const w = await walk(nb, complete, {}, { acceptDefault: () => true });
    expect(w.frontier).toBeUndefined();
    expect(w.done!.session.answers).toMatchObject(complete);
    // Read as a draft it would stop at the first question the file does not answer.
    const asDraft = await walk(nb, complete, {}, { acceptDefault: answeredIn(nb.spec, complete) });
    expect(asDraft.frontier).toBe('params');
    expect(asDraft.steps.find((s) => s.state === 'new')!.prompt.key).toBe('params.adjust#0');
    const draft = { ...complete, pricing: undefined, requirementLevels: undefined, date: undefined };
    const d = await walk(nb, draft, {}, { acceptDefault: answeredIn(nb.spec, draft) });
    expect(d.frontier).toBe('pricing');
    expect(d.steps.find((s) => s.prompt.id === 'buyer.name')!.value).toBe('Eksempel kommune');
  });

  it('escapes every user string: a name with markup is text on the page and in the summary', async () => {
    const { walks } = await webRun(nb, EVERY_BRANCH);
    const last = walks[walks.length - 1]!;
    const html = render(nb, last, 'buyer');
    expect(html).toContain('value="Eksempel &lt;kommune&gt; &amp; &quot;co&quot;"');
    expect(html).not.toContain('<kommune>');
    const ui = nb.spec.ui.nb!;
    const summary = summaryPage({
      spec: nb.spec, walk: last, frame: { lang: 'nb', token: 'tok', steps: [], t: (k) => k }, yes: ui.yes, no: ui.no, heading: 'S', clausesHeading: 'C', answersFile: 'a.yaml',
      included: [{ id: 'x/y', version: '1.0.0', title: '<b>t</b>', reason: 'r' }], excluded: [], deviations: [{ rule: 'r', reason: '<img src=x>' }], policy: { name: 'p 1', violations: [{ rule: 'r', message: '<i>m</i>', accepted: '</textarea><script>' }] }, blocking: [], warnings: [], formats: ['docx'], out: null,
      formatsSummary: { groups: [{ label: '<k>', formats: ['<f>'] }], matrix: { heading: 'M', rows: [{ label: '<d>', formats: ['x'] }] } },
      list: (items) => items.join(', '),
      omit: {
        choices: [{ clause: 'x/y', name: '<b>t</b>' }, { clause: 'x/z', name: 'z', disabled: '<u>req</u>' }],
        omitted: [{ clause: 'x/w', name: 'w', reason: '<em>why</em>' }],
        which: 'W?', reasonHelp: 'H', omittedHeading: 'O',
        error: { clause: 'x/y', reason: '</textarea><script>', reasonError: '<s>e</s>' },
      },
    });
    expect(summary).toContain('Eksempel &lt;kommune&gt; &amp; &quot;co&quot;');
    expect(summary).toContain('&lt;b&gt;t&lt;/b&gt;');
    expect(summary).toContain('&lt;img src=x&gt;');
    expect(summary).toContain('&lt;/textarea&gt;&lt;script&gt;');
    expect(summary).toContain('&lt;em&gt;why&lt;/em&gt;');
    expect(summary).toContain('&lt;u&gt;req&lt;/u&gt;');
    expect(summary).not.toMatch(/<kommune>|<b>t|<img|<i>m|<script>|<em>|<u>|<s>|<k>|<f>|<d>/);
  });
});
