import { beforeAll, describe, expect, it } from 'vitest';
import { InterviewCancelled } from '../src/interview/adapter.js';
import { sanitizePartialAnswers, serializeAnswers, slugify } from '../src/interview/answers-file.js';
import { confirmWrite, newSession, runInterview, type InterviewContext } from '../src/interview/flow.js';
import { loadInterviewSpec } from '../src/cli/new-command.js';
import { loadContext } from '../src/cli/pipeline.js';
import { parse } from 'yaml';
import { Attempts, CANCEL, DEFAULT, opening, ScriptedAdapter, type Step } from './fixtures/interview/scripted.js';

let nb: InterviewContext;
let en: InterviewContext;
let nn: InterviewContext;

beforeAll(async () => {
  const spec = await loadInterviewSpec();
  const { library, templates } = await loadContext();
  nb = { spec, lang: 'nb', library, today: '2027-03-01', topicNames: templates.i18n.nb!.topics };
  en = { ...nb, lang: 'en', topicNames: templates.i18n.en!.topics };
  nn = { ...nb, lang: 'nn', topicNames: templates.i18n.nn!.topics };
});

const withMembers = (steps: Step[], members: Step[]): Step[] => {
  const i = steps.findIndex(([id]) => id === 'buyer.members');
  return [...steps.slice(0, i + 1), ...members, ...steps.slice(i + 1)];
};

const cloudHr: Step[] = [
  ...withMembers(opening({ 'buyer.orgNumber': new Attempts(['974760674', '97476067', '974 760 673']), 'buyer.members': true }), [
    ['buyer.members.name', 'Nabo kommune'],
    // The buyer's own number is refused as a member's.
    ['buyer.members.orgNumber', new Attempts(['974 760 673', '864000002'])],
    ['buyer.members.role', DEFAULT],
    ['buyer.members.more', true],
    ['buyer.members.name', 'Fjell kommune'],
    // So is a member's number given twice.
    ['buyer.members.orgNumber', new Attempts(['864000002', '864079199'])],
    ['buyer.members.role', 'contact-point'],
    ['buyer.members.more', false],
    ['buyer.partnership.name', 'Personalsamarbeidet'],
    ['buyer.partnership.legalForm', DEFAULT],
    // The host is the buyer or a member.
    ['buyer.partnership.host', new Attempts(['864 158 382', '974760673'])],
  ]),
  ['data.personal', true],
  ['data.specialCategories', true],
  ['data.geodata', false],
  ['data.sensor', false],
  ['data.archival', true],
  ['data.openPublication', false],
  ['access.api', true],
  ['access.bulkExport', 'monthly'],
  ['access.realTime', false],
  ['formats', ['csv', 'json', 'xml', 'pdfa', 'noark5']],
  ['pricing.routineExport', 'included'],
  ['pricing.apiUsage', 'included'],
  ['pricing.exitExport', 'free'],
  ['pricing.exitAssistance', 'included'],
  ['requirementLevels', true],
  ['language', DEFAULT],
  ['date', DEFAULT],
];

describe('interview flow', () => {
  it('runs a whole cloud HR interview and produces valid answers', async () => {
    const adapter = new ScriptedAdapter(cloudHr, {
      'params.exit/transition-period.days': new Attempts(['300', '0', 'tretti', '45']),
    });
    const session = newSession();
    const { answers, selection } = await runInterview(nb, adapter, session);
    expect(adapter.remaining).toEqual([]);
    expect(answers).toMatchObject({
      schemaVersion: 2,
      language: 'nb',
      date: '2027-03-01',
      buyer: {
        name: 'Eksempel kommune',
        orgNumber: '974760673',
        partnership: { name: 'Personalsamarbeidet', legalForm: 'host-municipality', host: '974760673' },
        members: [
          { name: 'Nabo kommune', orgNumber: '864000002', role: 'participant' },
          { name: 'Fjell kommune', orgNumber: '864079199', role: 'contact-point' },
        ],
      },
      procurement: { title: 'Skybasert system for personal og lønn', reference: '2027/0142', contractType: 'SSA-L', plannedStart: '2027-05-01', termMonths: 72 },
      deliveryModel: 'saas',
      sector: 'administration',
      data: { personal: true, specialCategories: true, geodata: false, sensor: false, archival: true, openPublication: false },
      access: { api: true, bulkExport: 'monthly', realTime: false },
      formats: ['csv', 'json', 'xml', 'pdfa', 'noark5'],
      pricing: { routineExport: 'included', apiUsage: 'included', exitExport: 'free', exitAssistance: 'included' },
      requirementLevels: {},
      // Only values that differ from the library default are kept.
      params: { 'exit/transition-period': { days: 45 } },
    });
    expect(answers.procurement.appendixLabel).toBeUndefined();
    expect(answers.licence).toBeUndefined();
    // Validation messages in Norwegian that say what is wrong and what to type.
    const msgs = adapter.validationErrors.map((e) => e.message);
    expect(msgs[0]).toMatch(/Kontrollsifferet .* stemmer ikke for 974 760 674/);
    expect(msgs[1]).toMatch(/må ha 9 siffer.*du skrev «97476067»/);
    expect(msgs[2]).toBe('974 760 673 er Kundens eget organisasjonsnummer. Kunden føres ikke opp som deltaker; skriv nummeret til en annen deltaker.');
    expect(msgs[3]).toBe('864 000 002 er allerede ført opp som deltaker 1. Før opp hver deltaker én gang.');
    expect(msgs[4]).toBe('864 158 382 er verken Kundens eller en deltakers organisasjonsnummer. Skriv Kundens nummer eller nummeret til en av deltakerne.');
    expect(msgs[5]).toMatch(/300 er høyere enn det største tillatte, 210\. Skriv et tall fra 1 til og med 210/);
    expect(msgs[6]).toMatch(/0 er lavere enn det minste tillatte, 1/);
    expect(msgs[7]).toMatch(/Skriv et tall, for eksempel 30 \(du skrev «tretti»\)/);
    // Branching: no geodata, sensor, open-data or licence questions; pricing amounts only for the price model chosen.
    const asked = adapter.asked.join('\n');
    // (the data-kind questions themselves are always asked)
    expect(adapter.asked.filter((id) => !id.startsWith('data.')).join('\n')).not.toMatch(/geodata|sensor|licence|open-data|openPublication/);
    // Every price is free or included here, so no amount is asked.
    expect(asked).not.toMatch(/pricing\/exit-assistance\.|pricing\/exit-export\.|pricing\/api-usage\.|pricing\/routine-export\./);
    // Clause parameter questions come from the clause text, in the interview language.
    expect(adapter.messages['params.exit/transition-period.days']).toMatch(/Hvor mange dager skal overgangsperioden/);
    const ids = selection.included.map((c) => c.clause.meta.id);
    expect(ids).toContain('personal-data/special-categories');
    expect(ids).toContain('formats/archives');
    expect(ids).not.toContain('formats/geodata');
    expect(selection.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('offers only free or included exit charges for cloud delivery (EU Data Act art. 29 benchmark)', async () => {
    const paid = cloudHr.map(([id, v]): Step => [id, id === 'pricing.exitAssistance' ? 'hourly-capped' : v]);
    await expect(runInterview(nb, new ScriptedAdapter(paid), newSession())).rejects.toThrow('question "pricing.exitAssistance": "hourly-capped" is not a choice (free, included)');
  });

  it('lets the user keep every default with one answer, but still asks the amounts of the chosen price models', async () => {
    // On own premises the exit assistance may be charged by the hour.
    const onPremises = cloudHr.map(([id, v]): Step => [id, id === 'deliveryModel' ? 'on-premises' : id === 'pricing.exitAssistance' ? 'hourly-capped' : v]);
    const adapter = new ScriptedAdapter(onPremises, { 'params.adjust': false, 'params.pricing/exit-assistance.capNok': '90 000' });
    const { answers } = await runInterview(nb, adapter, newSession());
    expect(adapter.remaining).toEqual([]);
    expect(adapter.messages['params.adjust']).toMatch(/Vil du gå gjennom frister og andre tall i klausulene \(\d+ spørsmål\)\?/);
    const params = adapter.asked.filter((id) => id.startsWith('params.') && id !== 'params.adjust');
    expect(params.sort()).toEqual(['params.pricing/exit-assistance.capNok', 'params.pricing/exit-assistance.hourlyRateNok']);
    expect(answers.params).toEqual({ 'pricing/exit-assistance': { capNok: 90000 } });
  });

  it('suggests formats from the registry for the sector, and asks geodata parameters only for geodata', async () => {
    const steps: Step[] = [
      ...opening({ deliveryModel: 'outsourced-service', sector: 'planning-geodata', 'procurement.contractType': 'SSA-T' }),
      ['data.personal', false],
      ['data.geodata', true],
      ['data.sensor', false],
      ['data.archival', false],
      ['data.openPublication', true],
      ['access.api', false],
      ['access.bulkExport', 'none'],
      ['formats', DEFAULT],
      ['pricing.exitExport', 'fixed'],
      ['pricing.exitAssistance', 'capped'],
      ['licence', DEFAULT],
      ['requirementLevels', false],
      ['language', 'en'],
      ['date', '2027-05-02'],
    ];
    const adapter = new ScriptedAdapter(steps, { 'requirementLevels.quality': 'bør', 'params.pricing/exit-export.fixedNok': '60000' });
    const { answers, selection } = await runInterview(nb, adapter, newSession());
    expect(adapter.remaining).toEqual([]);
    const choices = adapter.checkboxChoices.formats!;
    const checked = choices.filter((c) => c.checked).map((c) => c.value);
    expect(checked).toEqual(expect.arrayContaining(['csv', 'json', 'sosi', 'gml', 'geojson', 'geopackage', 'ifc']));
    expect(checked).not.toContain('wfs'); // an API, not a file format
    expect(checked).not.toContain('fhir');
    expect(choices.map((c) => c.value)).toContain('fhir'); // still offered
    expect(answers.formats).toEqual(checked);
    expect(answers.access).toEqual({ api: false, bulkExport: 'none', realTime: false });
    expect(answers.pricing).toEqual({ routineExport: 'included', apiUsage: 'included', exitExport: 'fixed', exitAssistance: 'capped' });
    expect(answers.licence).toBe('NLOD-2.0');
    expect(answers.language).toBe('en');
    expect(answers.data.specialCategories).toBe(false);
    expect(answers.requirementLevels.quality).toBe('bør');
    expect(answers.requirementLevels.exit).toBe('skal');
    expect(answers.params).toEqual({ 'pricing/exit-export': { fixedNok: 60000 } });
    const asked = adapter.asked;
    expect(asked).toContain('params.formats/geodata.geoFormats');
    expect(asked).toContain('params.pricing/exit-assistance.capNok');
    expect(asked).not.toContain('data.specialCategories');
    expect(asked).not.toContain('access.realTime');
    expect(asked).not.toContain('pricing.apiUsage');
    expect(asked).not.toContain('pricing.routineExport');
    expect(selection.included.map((c) => c.clause.meta.id)).toEqual(expect.arrayContaining(['formats/geodata', 'open-data/licence', 'subcontractors/service-generated-data']));
  });

  it('asks in English with --lang en, with English validation messages', async () => {
    const steps: Step[] = [['buyer.name', 'Example Municipality'], ['buyer.orgNumber', new Attempts(['974760674', '974760673'])], ['buyer.members', CANCEL]];
    const adapter = new ScriptedAdapter(steps);
    await expect(runInterview(en, adapter, newSession())).rejects.toBeInstanceOf(InterviewCancelled);
    expect(adapter.messages['buyer.name']).toBe('What is the name of the buying organisation (the Customer)?');
    expect(adapter.validationErrors[0]!.message).toMatch(/check digit .* does not match for 974 760 674/);
  });

  it('asks in nynorsk with --lang nn, with nynorsk validation messages', async () => {
    const steps: Step[] = [['buyer.name', 'Døme kommune'], ['buyer.orgNumber', new Attempts(['97476067', '974760673'])], ['buyer.members', CANCEL]];
    const adapter = new ScriptedAdapter(steps);
    await expect(runInterview(nn, adapter, newSession())).rejects.toBeInstanceOf(InterviewCancelled);
    expect(adapter.messages['buyer.name']).toBe('Kva heiter verksemda som kjøper (Kunden)?');
    expect(adapter.validationErrors[0]!.message).toMatch(/må ha 9 siffer, til dømes 974 760 673 \(du skreiv «97476067»\)/);
  });

  it('offers as appendix language only the languages the loaded libraries are written in', async () => {
    const steps = cloudHr.map(([id, v]): Step => [id, id === 'language' ? 'nn' : v]);
    const without = { ...nb, library: { ...nb.library, languages: ['nb', 'en'] } };
    await expect(runInterview(without, new ScriptedAdapter(steps, { 'params.pricing/exit-assistance.hourlyRateNok': '1250' }), newSession())).rejects.toThrow(/"nn" is not a choice \(nb, en\)/);
    const withNn = { ...nb, library: { ...nb.library, languages: ['nb', 'nn', 'en'] } };
    const { answers } = await runInterview(withNn, new ScriptedAdapter(steps, { 'params.pricing/exit-assistance.hourlyRateNok': '1250' }), newSession());
    expect(answers.language).toBe('nn');
  });

  it('keeps the answers given so far when cancelled, and a draft resumes with them as defaults', async () => {
    const steps: Step[] = [...opening(), ['data.personal', true], ['data.specialCategories', false], ['data.geodata', CANCEL]];
    const adapter = new ScriptedAdapter(steps);
    const session = newSession();
    await expect(runInterview(nb, adapter, session)).rejects.toBeInstanceOf(InterviewCancelled);
    expect(session.answers).toMatchObject({ schemaVersion: 2, buyer: { name: 'Eksempel kommune', orgNumber: '974760673' }, sector: 'administration', data: { personal: true, specialCategories: false } });
    const yaml = serializeAnswers(session.answers, { header: 'draft', schemaPath: 'x.json' });
    expect(yaml).toMatch(/^# yaml-language-server: \$schema=x\.json\n# draft\nschemaVersion: 2\n/);

    // Resume: everything answered is a default now; an invalid value is dropped and asked again.
    const raw = parse(yaml.replace('orgNumber: "974760673"', 'orgNumber: "974760674"')) as Record<string, unknown>;
    const { answers: initial, dropped } = sanitizePartialAnswers(raw, nb.spec, nb.library);
    expect(dropped).toEqual(['buyer.orgNumber']);
    const resume: Step[] = [
      ['buyer.name', DEFAULT],
      ['buyer.orgNumber', '974760673'],
      ['buyer.members', DEFAULT],
      ['procurement.title', DEFAULT],
      ['procurement.reference', DEFAULT],
      ['procurement.contractType', DEFAULT],
      ['procurement.appendixLabel', DEFAULT],
      ['procurement.description', DEFAULT],
      ['procurement.plannedStart', DEFAULT],
      ['procurement.termMonths', DEFAULT],
      ['deliveryModel', DEFAULT],
      ['sector', DEFAULT],
      ['data.personal', DEFAULT],
      ['data.specialCategories', DEFAULT],
      ['data.geodata', CANCEL],
    ];
    const again = new ScriptedAdapter(resume);
    const s2 = newSession(initial);
    await expect(runInterview(nb, again, s2)).rejects.toBeInstanceOf(InterviewCancelled);
    expect(s2.answers).toEqual(session.answers);
  });

  it('shows a summary with the clauses to be included before asking to write', async () => {
    const adapter = new ScriptedAdapter(cloudHr);
    const result = await runInterview(nb, adapter, newSession());
    const confirm = new ScriptedAdapter([['confirm', true]]);
    expect(await confirmWrite(nb, confirm, result, { file: 'out/x.yaml', formats: ['docx', 'pdf'] })).toBe(true);
    const summary = confirm.said.join('\n');
    expect(summary).toMatch(/Sammendrag av svarene/);
    expect(summary).toMatch(/Organisasjonsnummer \(9 siffer\): 974760673/);
    expect(summary).toMatch(/Nabo kommune \(864000002\) – Deltaker; Fjell kommune \(864079199\) – Kontaktpunkt for samarbeidet/);
    expect(summary).toMatch(/Personalsamarbeidet/);
    expect(summary).toMatch(new RegExp(`Klausuler som tas med \\(${result.selection.included.length}\\)`));
    expect(summary).toMatch(/exit\/transition-period +Overgangsperiode/);
    expect(confirm.messages.confirm).toBe('Skrive svarfilen out/x.yaml og bygge docx, pdf?');
  });
});

describe('answers file helpers', () => {
  it.each([
    ['Skybasert system for personal og lønn', 'skybasert-system-for-personal-og-lonn'],
    ['Velferdsteknologi – Trygghetsalarmer & sensorer', 'velferdsteknologi-trygghetsalarmer-sensorer'],
    ['Æøå ÆØÅ Café', 'aeoa-aeoa-cafe'],
    ['???', 'dataklausul'],
  ])('slugify(%j) = %j', (title, slug) => expect(slugify(title)).toBe(slug));
});
