import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEMBER_ROLES, PARTNERSHIP_FORMS } from '../src/core/answers.js';
import { I18nSchema } from '../src/core/i18n.js';
import { sanitizePartialAnswers } from '../src/interview/answers-file.js';
import { loadInterviewSpec } from '../src/cli/new-command.js';
import { loadContext } from '../src/cli/pipeline.js';
import { newSession, runInterview } from '../src/interview/flow.js';
import { Attempts, DEFAULT, opening, ScriptedAdapter, type Step } from './fixtures/interview/scripted.js';
import { parse } from 'yaml';
import { hasCommand, requireTool, ROOT, runCli } from './support/tools.js';

/** Partnerships (issue 12 item 5): buyer.partnership with legal form and host, and a role per member. */

const welfare = readFileSync(path.join(ROOT, 'examples/welfare-technology.yaml'), 'utf8');
const BUYER = /buyer:\n(?: {2}.*\n|\s*#.*\n)+/;

function setup(name: string, buyer: string): { file: string; out: string; text: string } {
  const dir = mkdtempSync(path.join(tmpdir(), `dk-partnership-${name}-`));
  const file = path.join(dir, 'p.yaml');
  const text = welfare.replace(BUYER, buyer);
  writeFileSync(file, text);
  const out = path.join(dir, 'out');
  mkdirSync(out);
  return { file, out, text };
}
const lineOf = (text: string, needle: string, from = 0) => text.split('\n').findIndex((l, i) => i >= from && l.includes(needle)) + 1;

describe('partnership answers', () => {
  it('every legal form and role has a printed name in every output language', () => {
    for (const lang of ['nb', 'nn', 'en']) {
      const i18n = I18nSchema.parse(parse(readFileSync(path.join(ROOT, `templates/i18n/${lang}.yaml`), 'utf8')));
      expect(Object.keys(i18n.partnershipForms).sort(), lang).toEqual([...PARTNERSHIP_FORMS].sort());
      expect(Object.keys(i18n.memberRoles).sort(), lang).toEqual([...MEMBER_ROLES].sort());
    }
  });

  const MEMBER = (name: string, org: string, role = 'participant') => `    - name: ${name}\n      orgNumber: "${org}"\n      role: ${role}\n`;
  const BUYER_HEAD = 'buyer:\n  name: Fjordby kommune\n  orgNumber: "864079199"\n';
  it.each([
    [
      "a member with the buyer's own number",
      `${BUYER_HEAD}  members:\n${MEMBER('Dalen kommune', '864158382')}${MEMBER('Fjordby kommune', '864 079 199')}`,
      ['orgNumber: "864 079 199"', 0, 'buyer › members[1] › orgNumber', "864079199 is the buyer's own organisation number (buyer › orgNumber); the buyer is not listed as its own member: remove this member"],
    ],
    [
      'the same member twice',
      `${BUYER_HEAD}  members:\n${MEMBER('Dalen kommune', '864158382')}${MEMBER('Nesset kommune', '864237576')}${MEMBER('Dalen kommune igjen', '864158382')}`,
      ['name: Dalen kommune igjen', 1, 'buyer › members[2] › orgNumber', '864158382 is already buyer › members[0]; list each member once'],
    ],
    [
      'a host that is neither the buyer nor a member',
      `${BUYER_HEAD}  partnership:\n    name: Helsesamarbeidet\n    legalForm: host-municipality\n    host: "974760673"\n  members:\n${MEMBER('Dalen kommune', '864158382')}`,
      ['host: "974760673"', 0, 'buyer › partnership › host', '974760673 is neither the buyer (buyer › orgNumber) nor a member (buyer › members)'],
    ],
    [
      'a vertskommunesamarbeid without its host',
      `${BUYER_HEAD}  partnership:\n    name: Helsesamarbeidet\n    legalForm: host-municipality\n  members:\n${MEMBER('Dalen kommune', '864158382')}`,
      ['partnership:', 0, 'buyer › partnership › host', 'a vertskommunesamarbeid (legalForm: host-municipality) needs its host municipality'],
    ],
    [
      'two contact points',
      `${BUYER_HEAD}  members:\n${MEMBER('Dalen kommune', '864158382', 'contact-point')}${MEMBER('Nesset kommune', '864237576', 'contact-point')}`,
      ['name: Nesset kommune', 2, 'buyer › members[1] › role', 'buyer › members[0] is already the contact point; a partnership has one contact point'],
    ],
    [
      'a partnership without members',
      `${BUYER_HEAD}  partnership:\n    name: Helsesamarbeidet\n    legalForm: inter-municipal-company\n`,
      ['partnership:', 0, 'buyer › partnership', 'a partnership is given but no members'],
    ],
    [
      'an unknown legal form',
      `${BUYER_HEAD}  partnership:\n    name: Helsesamarbeidet\n    legalForm: samkommune\n  members:\n${MEMBER('Dalen kommune', '864158382')}`,
      ['legalForm: samkommune', 0, 'buyer › partnership › legalForm', 'expected one of "host-municipality", "inter-municipal-company"'],
    ],
  ])('%s: exit 1 naming file, line and field; nothing is written', (_name, buyer, [at, offset, field, message]) => {
    const { file, out, text } = setup('bad', buyer);
    const r = runCli(['build', file, '--format', 'md,pdf', '--out', out]);
    expect(r.code).toBe(1);
    const line = lineOf(text, at as string, lineOf(text, 'buyer:') - 1) + (offset as number);
    // A member's problem is reported at the member's own line (or the line of its field).
    expect(r.stderr).toContain(`${file}:${line}: ${field as string}: ${message as string}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('the title block', () => {
  it('names the partnership, its legal form, the host and each member with its role, in every format', () => {
    const { file, out } = setup('title', welfare.match(BUYER)![0]);
    const r = runCli(['build', file, '--format', 'md,html,json,docx,pdf', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const md = readFileSync(path.join(out, 'p.md'), 'utf8');
    expect(md).toContain('| Kunde | Fjordby kommune (Org.nr. 864079199) |\n| Samarbeid | Helsesamarbeidet i Fjorddalen – vertskommunesamarbeid (kommuneloven kapittel 20) |\n| Vertskommune | Fjordby kommune (Org.nr. 864079199) |\n| Deltakende virksomheter | Dalen kommune (864158382) – kontaktpunkt; Nesset kommune (864237576) – deltaker |');
    const html = readFileSync(path.join(out, 'p.html'), 'utf8');
    expect(html).toContain('Helsesamarbeidet i Fjorddalen – vertskommunesamarbeid (kommuneloven kapittel 20)');
    expect(html).toContain('Dalen kommune (864158382) – kontaktpunkt; Nesset kommune (864237576) – deltaker');
    const model = JSON.parse(readFileSync(path.join(out, 'p.json'), 'utf8')) as { title: Record<string, unknown> };
    expect(model.title.partnership).toEqual({ name: 'Helsesamarbeidet i Fjorddalen', legalForm: 'vertskommunesamarbeid (kommuneloven kapittel 20)', host: { label: 'Vertskommune', name: 'Fjordby kommune', orgNumber: '864079199' } });
    expect(model.title.members).toEqual([
      { name: 'Dalen kommune', orgNumber: '864158382', role: 'kontaktpunkt', roleId: 'contact-point' },
      { name: 'Nesset kommune', orgNumber: '864237576', role: 'deltaker', roleId: 'participant' },
    ]);
    const docx = spawnSync('unzip', ['-p', path.join(out, 'p.docx'), 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
    for (const s of ['>Samarbeid<', 'Helsesamarbeidet i Fjorddalen – vertskommunesamarbeid (kommuneloven kapittel 20)', '>Vertskommune<', 'Dalen kommune (864158382) – kontaktpunkt']) expect(docx).toContain(s);
    if (requireTool('pdftotext', hasCommand('pdftotext'))) {
      const text = spawnSync('pdftotext', ['-layout', path.join(out, 'p.pdf'), '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
      for (const s of ['Samarbeid Helsesamarbeidet i Fjorddalen – vertskommunesamarbeid', 'Vertskommune Fjordby kommune', 'Dalen kommune (864158382) – kontaktpunkt']) expect(text).toContain(s);
    }
  });

  it('in nynorsk and English, with a kontorkommune for an oppgavefellesskap', () => {
    const buyer = 'buyer:\n  name: Fjordby kommune\n  orgNumber: "864079199"\n  partnership:\n    name: IKT Fjorddalen\n    legalForm: joint-undertaking\n    host: "864158382"\n  members:\n    - name: Dalen kommune\n      orgNumber: "864158382"\n    - name: Nesset kommune\n      orgNumber: "864237576"\n      role: option\n';
    const { file, out } = setup('langs', buyer);
    expect(runCli(['build', file, '--format', 'md', '--out', out, '--lang', 'nn']).code).toBe(0);
    const nn = readFileSync(path.join(out, 'p.md'), 'utf8');
    expect(nn).toContain('| Samarbeid | IKT Fjorddalen – kommunalt oppgåvefellesskap (kommunelova kapittel 19) |\n| Kontorkommune | Dalen kommune (Org.nr. 864158382) |');
    expect(nn).toContain('Dalen kommune (864158382) – deltakar; Nesset kommune (864237576) – opsjonsdeltakar (kan slutte seg til avtalen seinare)');
    expect(runCli(['build', file, '--format', 'md', '--out', out, '--lang', 'en', '--force']).code).toBe(0);
    const en = readFileSync(path.join(out, 'p.md'), 'utf8');
    expect(en).toContain('IKT Fjorddalen – municipal joint undertaking (kommunalt oppgavefellesskap, Local Government Act chapter 19)');
    expect(en).toMatch(/\| Office municipality \| Dalen kommune \(.+ 864158382\) \|/);
    expect(en).toContain('Nesset kommune (864237576) – option holder (may join the contract later)');
  });

  it('without a partnership and with participants only, the members are listed as before, without roles', () => {
    const buyer = 'buyer:\n  name: Fjordby kommune\n  orgNumber: "864079199"\n  members:\n    - name: Dalen kommune\n      orgNumber: "864158382"\n';
    const { file, out } = setup('plain', buyer);
    expect(runCli(['build', file, '--format', 'md', '--out', out]).code).toBe(0);
    const md = readFileSync(path.join(out, 'p.md'), 'utf8');
    expect(md).toContain('| Deltakende virksomheter | Dalen kommune (864158382) |');
    expect(md).not.toContain('| Samarbeid |');
  });
});

describe('resuming an interview', () => {
  it('keeps the partnership, the members\' roles and the omitted clauses; drops what is no longer valid', async () => {
    const spec = await loadInterviewSpec();
    const { library } = await loadContext();
    const raw = parse(welfare.replace(/^omit:.*$/m, '')) as Record<string, unknown>;
    raw.omit = [
      { clause: 'access/third-party-access', reason: 'Ingen tredjepart.' },
      { clause: 'access/no-such', reason: 'x' },
    ];
    (raw.buyer as { members: Array<Record<string, unknown>> }).members.push({ name: 'Feil kommune', orgNumber: '864000002', role: 'boss' });
    const { answers, dropped } = sanitizePartialAnswers(raw, spec, library);
    expect(answers.buyer).toEqual({
      name: 'Fjordby kommune',
      orgNumber: '864079199',
      partnership: { name: 'Helsesamarbeidet i Fjorddalen', legalForm: 'host-municipality', host: '864079199' },
      members: [
        { name: 'Dalen kommune', orgNumber: '864158382', role: 'contact-point' },
        { name: 'Nesset kommune', orgNumber: '864237576' },
        // An unknown role is dropped; the member is kept (the interview asks the role again).
        { name: 'Feil kommune', orgNumber: '864000002' },
      ],
    });
    expect(answers.omit).toEqual([{ clause: 'access/third-party-access', reason: 'Ingen tredjepart.' }]);
    expect(dropped).toContain('omit');
  });
});

describe('the interview', () => {
  const rest: Step[] = [
    ['data.personal', false],
    ['data.geodata', false],
    ['data.sensor', false],
    ['data.archival', false],
    ['data.openPublication', false],
    ['access.api', false],
    ['access.bulkExport', 'yearly'],
    ['formats', ['csv', 'json']],
    ['exportMatrix', true],
    ['pricing.routineExport', 'included'],
    ['pricing.exitExport', 'free'],
    ['pricing.exitAssistance', 'included'],
    ['requirementLevels', false],
    ['language', DEFAULT],
    ['date', DEFAULT],
  ];
  const run = async (partnership: Step[]) => {
    const spec = await loadInterviewSpec();
    const { library, templates } = await loadContext();
    const ctx = { spec, lang: 'nb', library, today: '2027-03-01', topicNames: templates.i18n.nb!.topics, i18n: templates.i18n.nb! };
    const steps = opening({ 'buyer.members': true });
    const at = steps.findIndex(([id]) => id === 'buyer.members') + 1;
    const members: Step[] = [
      ['buyer.members.name', 'Dalen kommune'],
      ['buyer.members.orgNumber', '864158382'],
      ['buyer.members.role', 'option'],
      ['buyer.members.more', false],
      ...partnership,
    ];
    const adapter = new ScriptedAdapter([...steps.slice(0, at), ...members, ...steps.slice(at), ...rest], { 'params.adjust': false });
    const { answers } = await runInterview(ctx, adapter, newSession());
    expect(adapter.remaining).toEqual([]);
    return { answers, adapter };
  };

  it('asks for the kontorkommune of an oppgavefellesskap, which may be left empty', async () => {
    const { answers, adapter } = await run([
      ['buyer.partnership.name', 'IKT Fjorddalen'],
      ['buyer.partnership.legalForm', 'joint-undertaking'],
      ['buyer.partnership.host', DEFAULT],
    ]);
    expect(answers.buyer.partnership).toEqual({ name: 'IKT Fjorddalen', legalForm: 'joint-undertaking' });
    expect(answers.buyer.members).toEqual([{ name: 'Dalen kommune', orgNumber: '864158382', role: 'option' }]);
    expect(answers.access.bulkExport).toBe('yearly');
    expect(adapter.messages['buyer.partnership.host']).toMatch(/kontorkommunen/);
  });

  it('requires the host of a vertskommunesamarbeid', async () => {
    const { answers, adapter } = await run([
      ['buyer.partnership.name', 'Helsesamarbeidet'],
      ['buyer.partnership.legalForm', 'host-municipality'],
      ['buyer.partnership.host', new Attempts(['', '864158382'])],
    ]);
    expect(answers.buyer.partnership).toEqual({ name: 'Helsesamarbeidet', legalForm: 'host-municipality', host: '864158382' });
    expect(adapter.validationErrors.map((e) => e.message)).toEqual([expect.stringMatching(/må ha 9 siffer/)]);
  });

  it('asks nothing about a partnership when no one buys with the buyer, or when it has no name', async () => {
    const { answers, adapter } = await run([['buyer.partnership.name', DEFAULT]]);
    expect(answers.buyer.partnership).toBeUndefined();
    expect(adapter.asked).not.toContain('buyer.partnership.legalForm');
  });
});
