import { beforeAll, describe, expect, it } from 'vitest';
import { InterviewCancelled } from '../src/interview/adapter.js';
import { sanitizePartialAnswers, serializeAnswers, slugify } from '../src/interview/answers-file.js';
import { checkOmitReason, newSession, omitChoices, reviewAndConfirm, runInterview, withOmission, type InterviewContext } from '../src/interview/flow.js';
import { parse } from 'yaml';
import { Attempts, CANCEL, DEFAULT, opening, ScriptedAdapter, type Step } from './fixtures/interview/scripted.js';
import { interviewContexts } from './support/interview-context.js';

let nb: InterviewContext;
let en: InterviewContext;
let nn: InterviewContext;

beforeAll(async () => {
  ({ nb, nn, en } = await interviewContexts());
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
  ['formats.api', DEFAULT],
  ['formats.metadata', DEFAULT],
  ['exportMatrix', DEFAULT],
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
      // The export formats as chosen, then the pre-ticked API specification and metadata standard.
      formats: ['csv', 'json', 'xml', 'pdfa', 'noark5', 'openapi', 'dcat-ap-no'],
      pricing: { routineExport: 'included', apiUsage: 'included', exitExport: 'free', exitAssistance: 'included' },
      requirementLevels: {},
      // Only values that differ from the library default are kept.
      params: { 'exit/transition-period': { days: 45 } },
    });
    expect(answers.exportMatrix).toBeUndefined();
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
    // Every price is free or included here, so no amount is asked (except the cap on free full extracts, which
    // belongs to the free and included models).
    expect(asked).not.toMatch(/pricing\/exit-assistance\.|pricing\/exit-export\.|pricing\/api-usage\.|pricing\/routine-export\.(?!freeFullExtractsPerQuarter|extraFullExtractNok)/);
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

  it('suggests formats for the sector by kind, and asks geodata parameters only for geodata', async () => {
    const steps: Step[] = [
      ...opening({ deliveryModel: 'outsourced-service', sector: 'planning-geodata', 'procurement.contractType': 'SSA-T' }),
      ['data.personal', false],
      ['data.geodata', DEFAULT],
      ['data.sensor', false],
      ['data.archival', false],
      ['data.openPublication', true],
      ['access.api', false],
      ['access.bulkExport', 'none'],
      ['formats', DEFAULT],
      // No API: no API specifications asked; open data: the metadata standard is.
      ['formats.metadata', DEFAULT],
      ['exportMatrix', DEFAULT],
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
    // The geodata sector answers geodata yes by default, and says why.
    expect(answers.data.geodata).toBe(true);
    expect(adapter.helps['data.geodata']).toBe('Forslaget er «ja» fordi fagområdet er plan, bygg og geodata.');
    const choices = adapter.checkboxChoices.formats!;
    const checked = choices.filter((c) => c.checked).map((c) => c.value);
    expect(checked).toEqual(['csv', 'json', 'xml', 'pdfa', 'sosi', 'gml', 'geojson', 'geopackage']);
    // The export question offers only formats data can be exported in.
    expect(choices.map((c) => c.value)).not.toContain('wfs');
    expect(choices.map((c) => c.value)).not.toContain('openapi');
    expect(choices.map((c) => c.value)).not.toContain('dcat-ap-no');
    expect(choices.map((c) => c.value)).toContain('ifc'); // offered, not pre-ticked
    // FHIR's own group (API specifications) is not asked here, so it is offered as a data format, unticked.
    expect(choices.find((c) => c.value === 'fhir')).toEqual({ value: 'fhir', checked: false });
    expect(adapter.checkboxChoices['formats.metadata']).toEqual([{ value: 'dcat-ap-no', checked: true }]);
    expect(answers.formats).toEqual([...checked, 'dcat-ap-no']);
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
    expect(asked).not.toContain('formats.api');
    expect(asked).not.toContain('data.specialCategories');
    expect(asked).not.toContain('access.realTime');
    expect(asked).not.toContain('pricing.apiUsage');
    expect(asked).not.toContain('pricing.routineExport');
    expect(selection.included.map((c) => c.clause.meta.id)).toEqual(expect.arrayContaining(['formats/geodata', 'open-data/licence', 'subcontractors/service-generated-data']));
  });

  it('pre-ticks a formats parameter with its default formats that are chosen', async () => {
    const steps: Step[] = [
      ...opening({ deliveryModel: 'outsourced-service', sector: 'planning-geodata', 'procurement.contractType': 'SSA-T' }),
      ['data.personal', false],
      ['data.geodata', true],
      ['data.sensor', false],
      ['data.archival', false],
      ['data.openPublication', false],
      ['access.api', false],
      ['access.bulkExport', 'none'],
      ['formats', ['csv', 'gml']],
      // Geodata: the metadata standard is asked; none is an answer (the appendix then requires DCAT-AP-NO).
      ['formats.metadata', []],
      ['exportMatrix', DEFAULT],
      ['pricing.exitExport', 'free'],
      ['pricing.exitAssistance', 'included'],
      ['requirementLevels', true],
      ['language', DEFAULT],
      ['date', DEFAULT],
    ];
    const adapter = new ScriptedAdapter(steps);
    const { answers, selection } = await runInterview(nb, adapter, newSession());
    expect(adapter.remaining).toEqual([]);
    const geo = adapter.checkboxChoices['params.formats/geodata.geoFormats']!;
    expect(geo.filter((c) => c.checked).map((c) => c.value)).toEqual(['gml']);
    // The parameter takes data formats only.
    expect(geo.map((c) => c.value)).not.toContain('wfs');
    expect(answers.params['formats/geodata']).toEqual({ geoFormats: ['gml'] });
    expect(answers.formats).toEqual(['csv', 'gml']);
    expect(selection.problems).toEqual([]);
  });

  it('health care: FHIR pre-ticked as the API standard with its reason, no geodata format, health data by default', async () => {
    const steps: Step[] = [
      ...opening({ sector: 'health-care', 'procurement.title': 'Velferdsteknologi' }),
      ['data.personal', true],
      ['data.specialCategories', DEFAULT],
      ['data.geodata', DEFAULT],
      ['data.sensor', true],
      ['data.archival', DEFAULT],
      ['data.openPublication', DEFAULT],
      ['access.api', true],
      ['access.bulkExport', 'monthly'],
      ['access.realTime', true],
      ['formats', DEFAULT],
      ['formats.api', DEFAULT],
      ['formats.metadata', DEFAULT],
      ['exportMatrix', DEFAULT],
      ['pricing.routineExport', 'included'],
      ['pricing.apiUsage', 'included'],
      ['pricing.exitExport', 'free'],
      ['pricing.exitAssistance', 'included'],
      ['requirementLevels', true],
      ['language', DEFAULT],
      ['date', DEFAULT],
    ];
    const adapter = new ScriptedAdapter(steps);
    const { answers, selection } = await runInterview(nb, adapter, newSession());
    expect(adapter.remaining).toEqual([]);
    expect(answers.data).toEqual({ personal: true, specialCategories: true, geodata: false, sensor: true, archival: false, openPublication: false });
    expect(adapter.helps['data.specialCategories']).toMatch(/Forslaget er «ja» fordi i helse og omsorg gjelder dataene som regel helseopplysninger/);
    const ticked = (id: string) => adapter.checkboxChoices[id]!.filter((c) => c.checked).map((c) => c.value);
    expect(ticked('formats')).toEqual(['csv', 'json', 'xml', 'pdfa', 'senml']);
    expect(ticked('formats.api')).toEqual(['fhir', 'plo', 'sensorthings', 'openapi']);
    for (const geo of ['sosi', 'gml', 'geojson', 'geopackage', 'wfs', 'wms']) expect(answers.formats).not.toContain(geo);
    expect(answers.formats).toContain('fhir');
    // Why FHIR is pre-ticked is shown next to it.
    const said = adapter.messages['formats.api']!;
    expect(said).toMatch(/spesifikasjoner skal API-et følge/);
    // The export matrix: FHIR goes to the health records (it is also a data format), sensor readings to SenML.
    expect(adapter.said.join('\n')).toMatch(/Helse- og omsorgsopplysninger: HL7 FHIR, JSON, XML/);
    expect(adapter.said.join('\n')).toMatch(/Måledata fra sensorer: SenML, CSV \(RFC 4180\), JSON/);
    const ids = selection.included.map((c) => c.clause.meta.id);
    expect(ids).toEqual(expect.arrayContaining(['formats/welfare-fhir-export', 'formats/sensor-data', 'api/documented-api']));
    expect(ids).not.toContain('formats/geodata');
    expect(selection.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('lets the officer set the formats of each kind of data; only rows that differ are written', async () => {
    const steps = cloudHr.flatMap(([id, v]): Step[] =>
      id === 'exportMatrix'
        ? [
            ['exportMatrix', false],
            ['exportMatrix.records', DEFAULT],
            ['exportMatrix.personnel-records', ['xml', 'noark5']],
            ['exportMatrix.case-documents', DEFAULT],
            ['exportMatrix.documents', []],
          ]
        : [[id, v]],
    );
    const adapter = new ScriptedAdapter(steps);
    const { answers } = await runInterview(nb, adapter, newSession());
    expect(adapter.remaining).toEqual([]);
    expect(answers.exportMatrix).toEqual({ 'personnel-records': ['xml', 'noark5'], documents: [] });
    // The rows offer only the chosen formats of the kinds the row accepts.
    expect(adapter.checkboxChoices['exportMatrix.documents']).toEqual([{ value: 'pdfa', checked: true }]);
    expect(adapter.checkboxChoices['exportMatrix.personnel-records']!.map((c) => c.value)).toEqual(['csv', 'json', 'xml', 'noark5']);
    expect(adapter.messages['exportMatrix.personnel-records']).toBe('Formater for «Personal- og lønnsopplysninger» (velg ingen for å ta typen ut):');

    // Resumed, the rows set are the defaults, and "keep" is no longer the default.
    const { answers: initial } = sanitizePartialAnswers(JSON.parse(JSON.stringify(answers)), nb.spec, nb.library);
    expect(initial.exportMatrix).toEqual(answers.exportMatrix);
    const again = new ScriptedAdapter(cloudHr.flatMap(([id, v]): Step[] => (id === 'exportMatrix' ? [[id, DEFAULT], ['exportMatrix.records', DEFAULT], ['exportMatrix.personnel-records', DEFAULT], ['exportMatrix.case-documents', DEFAULT], ['exportMatrix.documents', DEFAULT]] : [[id, v]])), {
      'params.exit/transition-period.days': '45',
    });
    const resumed = await runInterview(nb, again, newSession(initial));
    expect(resumed.answers.exportMatrix).toEqual({ 'personnel-records': ['xml', 'noark5'], documents: [] });
  });

  it('asks no API specifications without an API, and drops resumed ones', async () => {
    // Without an API and without open data or geodata, neither API specifications nor the metadata standard are asked.
    const steps = cloudHr.filter(([id]) => !['formats.api', 'formats.metadata', 'access.realTime', 'pricing.apiUsage'].includes(id)).map(([id, v]): Step => [id, id === 'access.api' ? false : v]);
    const { answers: initial } = sanitizePartialAnswers({ formats: ['csv', 'openapi', 'fhir'] }, nb.spec, nb.library);
    const adapter = new ScriptedAdapter(steps.map(([id, v]): Step => [id, id === 'formats' ? DEFAULT : v]));
    const { answers } = await runInterview(nb, adapter, newSession(initial));
    expect(adapter.asked).not.toContain('formats.api');
    expect(adapter.asked).not.toContain('formats.metadata');
    // FHIR is also a data format: offered in the export question, as resumed.
    expect(adapter.checkboxChoices.formats!.filter((c) => c.checked).map((c) => c.value)).toEqual(['csv', 'fhir']);
    expect(answers.formats).toEqual(['csv', 'fhir']);
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
    const session = newSession();
    const result = await runInterview(nb, adapter, session);
    const confirm = new ScriptedAdapter([['confirm', true]]);
    expect((await reviewAndConfirm(nb, confirm, session, result, { file: 'out/x.yaml', formats: ['docx', 'pdf'] })).write).toBe(true);
    const summary = confirm.said.join('\n');
    expect(summary).toMatch(/Sammendrag av svarene/);
    expect(summary).toMatch(/Organisasjonsnummer \(9 siffer\): 974760673/);
    expect(summary).toMatch(/Nabo kommune \(864000002\) – Deltaker; Fjell kommune \(864079199\) – Kontaktpunkt for samarbeidet/);
    expect(summary).toMatch(/Personalsamarbeidet/);
    expect(summary).toMatch(new RegExp(`Klausuler som tas med \\(${result.selection.included.length}\\)`));
    expect(summary).toMatch(/exit\/transition-period +Overgangsperiode/);
    expect(confirm.messages.confirm).toBe('Skrive svarfilen out/x.yaml og bygge docx, pdf?');
  });

  it('shows the formats by name in the interview language, grouped by kind, and the export matrix as the appendix will have it', async () => {
    const session = newSession();
    const result = await runInterview(nb, new ScriptedAdapter(cloudHr), session);
    const s = new ScriptedAdapter([['confirm', true]]);
    await reviewAndConfirm(nb, s, session, result, { file: 'x.yaml', formats: ['md'] });
    const lines = s.said[0]!.split('\n');
    const at = lines.findIndex((l) => l.startsWith('    Dataformater: '));
    expect(lines.slice(at, at + 5)).toEqual([
      '    Dataformater: CSV (RFC 4180), JSON og XML',
      '    Dokumentformater: PDF/A',
      '    Arkivuttrekk: Noark 5-arkivuttrekk',
      '    API-spesifikasjoner: OpenAPI 3.x',
      '    Metadatastandarder: DCAT-AP-NO',
    ]);
    // The matrix: each kind of data the answers give, with its formats, as the appendix's table has them.
    expect(lines[at + 5]).toBe('    Eksportformater for hver type data:');
    const rows = lines.slice(at + 6).filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('      ')));
    expect(rows.length).toBeGreaterThan(1);
    const { exportMatrix } = await import('../src/assemble/export-matrix.js');
    const matrix = exportMatrix(result.answers, nb.library);
    expect(rows).toEqual(matrix.map((r) => `      ${(nb.library.dataKinds.get(r.kind)!.name as Record<string, string>).nb ?? nb.library.dataKinds.get(r.kind)!.name}: ${r.formats.map((id) => { const n = nb.library.formats.get(id)!.name; return typeof n === 'string' ? n : n.nb; }).join(', ').replace(/, ([^,]*)$/, ' og $1')}`));
    expect(s.said[0]).not.toMatch(/csv|noark5|pdfa|\[object Object\]/);
    // In English, English names.
    const se = newSession();
    const re = await runInterview(en, new ScriptedAdapter(cloudHr), se);
    const e = new ScriptedAdapter([['confirm', true]]);
    await reviewAndConfirm(en, e, se, re, { file: 'x.yaml', formats: ['md'] });
    expect(e.said[0]).toMatch(/\n {4}Archive extracts: Noark 5 archive extract\n/);
    expect(e.said[0]).toMatch(/\n {4}Export formats for each kind of data:\n/);
  });
});

/** Each question of a section taken as it stands (Enter on every prompt), with some answered anew. */
const again = (ids: string[], changes: Record<string, unknown> = {}): Step[] => ids.map((id) => [id, id in changes ? changes[id] : DEFAULT]);
const PROCUREMENT = ['procurement.title', 'procurement.reference', 'procurement.contractType', 'procurement.appendixLabel', 'procurement.description', 'procurement.plannedStart', 'procurement.termMonths', 'deliveryModel', 'sector'];
const DATA = ['data.personal', 'data.specialCategories', 'data.geodata', 'data.sensor', 'data.archival', 'data.openPublication'];

describe('the summary screen', () => {
  it('changes an answer: the section is asked again with the current answers as defaults, then the summary returns', async () => {
    const session = newSession();
    const first = await runInterview(nb, new ScriptedAdapter(cloudHr, { 'params.exit/transition-period.days': '45' }), session);
    expect(first.answers.data.geodata).toBe(false);
    expect(first.selection.included.map((c) => c.clause.meta.id)).not.toContain('formats/geodata');
    const adapter = new ScriptedAdapter([['confirm', 'edit'], ['edit', 'data'], ...again(DATA, { 'data.geodata': true }), ['confirm', 'write']]);
    const { write, result } = await reviewAndConfirm(nb, adapter, session, first, { file: 'x.yaml', formats: ['md'] });
    expect(adapter.remaining).toEqual([]);
    expect(write).toBe(true);
    // Only the section chosen was asked, and the earlier answers stayed (personal, special categories, archival).
    expect(adapter.asked).toEqual(['confirm', 'edit', ...DATA, 'confirm']);
    expect(result.answers.data).toEqual({ personal: true, specialCategories: true, geodata: true, sensor: false, archival: true, openPublication: false });
    expect(result.answers.params).toEqual({ 'exit/transition-period': { days: 45 } });
    expect(result.selection.included.map((c) => c.clause.meta.id)).toContain('formats/geodata');
    // The sections are offered by name, and the summary is shown again after the change.
    expect(adapter.selectChoices.edit!.map((c) => c.name)).toEqual(['Kjøperen', 'Anskaffelsen, avtaletypen og leveransen', 'Dataene', 'Tilgang, uttrekk og formater', 'Priser', 'Lisens, kravnivå, språk og dato', 'Frister, beløp og andre tall i klausulene', 'Tilbake til sammendraget']);
    expect(adapter.said).toHaveLength(2);
    expect(adapter.said[1]).toMatch(/Omfatter dataene geodata \(kart, stedfestede objekter\): ja/);
    expect(session.answers.data).toEqual(result.answers.data);
  });

  it('after a change, asks again what no longer fits and drops what no longer applies', async () => {
    // On own premises the exit assistance may be paid by the hour, with a cap; the amounts are asked.
    const onPremises = cloudHr.map(([id, v]): Step => [id, id === 'deliveryModel' ? 'on-premises' : id === 'pricing.exitAssistance' ? 'hourly-capped' : v]);
    const session = newSession();
    const first = await runInterview(nb, new ScriptedAdapter(onPremises, { 'params.adjust': false, 'params.pricing/exit-assistance.capNok': '90 000', 'params.pricing/exit-assistance.hourlyRateNok': '1500' }), session);
    expect(first.answers.params).toEqual({ 'pricing/exit-assistance': { capNok: 90000, hourlyRateNok: 1500 } });
    // Switching to SaaS: an hourly price for exit assistance is no longer offered, so it is asked again,
    // and the amounts of the price model left behind are dropped.
    const toSaas = new ScriptedAdapter([['confirm', 'edit'], ['edit', 'procurement'], ...again(PROCUREMENT, { deliveryModel: 'saas' }), ['pricing.exitAssistance', 'included'], ['confirm', true]]);
    const { result } = await reviewAndConfirm(nb, toSaas, session, first, { file: 'x.yaml', formats: ['md'] });
    expect(toSaas.remaining).toEqual([]);
    expect(toSaas.selectChoices['pricing.exitAssistance']!.map((c) => c.value)).toEqual(['free', 'included']);
    expect(result.answers.deliveryModel).toBe('saas');
    expect(result.answers.pricing.exitAssistance).toBe('included');
    expect(result.answers.params).toEqual({});
    expect(result.selection.problems.filter((p) => p.severity === 'error')).toEqual([]);

    // Back on own premises with a capped price: the cap of the new price model is asked.
    const toCapped = new ScriptedAdapter([
      ['confirm', 'edit'],
      ['edit', 'pricing'],
      ['pricing.routineExport', DEFAULT],
      ['pricing.apiUsage', DEFAULT],
      ['pricing.exitExport', 'capped'],
      ['pricing.exitAssistance', DEFAULT],
      ['params.pricing/exit-export.capNok', '250000'],
      ['confirm', 'stop'],
    ]);
    session.answers.deliveryModel = 'on-premises';
    const back = await reviewAndConfirm(nb, toCapped, session, result, { file: 'x.yaml', formats: ['md'] });
    expect(toCapped.remaining).toEqual([]);
    expect(back.write).toBe(false);
    expect(back.result.answers.params).toEqual({ 'pricing/exit-export': { capNok: 250000 } });
    // The summary says the amount in words of the interview language.
    expect(toCapped.said[1]).toMatch(/Vederlag for sluttuttrekk – .*: kr\u00a0250\u00a0000/);
  });

  it('goes through every clause parameter from the summary, with labels for enum values', async () => {
    const session = newSession();
    const first = await runInterview(nb, new ScriptedAdapter(cloudHr), session);
    const adapter = new ScriptedAdapter([['confirm', 'edit'], ['edit', 'params'], ['confirm', true]], { 'params.ownership/supplier-use.supplierUse': 'none', 'params.exit/transition-period.days': '60' });
    const { result } = await reviewAndConfirm(nb, adapter, session, first, { file: 'x.yaml', formats: ['md'] });
    expect(adapter.asked).not.toContain('params.adjust');
    expect(adapter.selectChoices['params.ownership/supplier-use.supplierUse']).toEqual([
      { value: 'none', name: 'Ingenting' },
      { value: 'delivery-only', name: 'Bare levering av tjenesten' },
      { value: 'anonymised-statistics', name: 'Levering av tjenesten og anonymisert statistikk etter samtykke' },
    ]);
    expect(adapter.messages['params.ownership/supplier-use.supplierUse']).toBe('Hva kan Leverandøren bruke Kundens data til?');
    expect(result.answers.params).toMatchObject({ 'ownership/supplier-use': { supplierUse: 'none' }, 'exit/transition-period': { days: 60 } });
    const summary = adapter.said.filter((x) => x.includes('Sammendrag av svarene')).at(-1)!;
    expect(summary).toMatch(/Leverandørens bruk av Kundens data – Hva kan Leverandøren bruke Kundens data til: Ingenting\n/);
    expect(summary).toMatch(/Overgangsperiode – .*: 60\u00a0dager/);
    expect(summary).not.toMatch(/ › |supplierUse|: none/);
  });

  it('leaves out a clause with a reason, never one another clause requires, and can put it back', async () => {
    const session = newSession();
    const first = await runInterview(nb, new ScriptedAdapter(cloudHr), session);
    expect(first.selection.included.map((c) => c.clause.meta.id)).toContain('api/test-environment');
    const adapter = new ScriptedAdapter([
      ['confirm', 'omit'],
      ['omit', 'api/test-environment'],
      ['omit.reason', new Attempts(['  ', 'Kommunen tester i eget miljø'])],
      ['confirm', true],
    ]);
    const { result } = await reviewAndConfirm(nb, adapter, session, first, { file: 'x.yaml', formats: ['md'] });
    expect(adapter.remaining).toEqual([]);
    expect(adapter.validationErrors.map((e) => e.message)).toEqual(['Svaret kan ikke være tomt. Skriv inn en tekst.']);
    expect(result.answers.omit).toEqual([{ clause: 'api/test-environment', reason: 'Kommunen tester i eget miljø' }]);
    expect(result.selection.included.map((c) => c.clause.meta.id)).not.toContain('api/test-environment');
    expect(result.selection.excluded.find((c) => c.clause.meta.id === 'api/test-environment')?.reason).toBe('left out by the buyer: Kommunen tester i eget miljø');
    // Offered by title (with the topic) in the interview language; a clause another one requires is shown, not choosable.
    const choices = adapter.selectChoices.omit!;
    expect(choices.find((c) => c.value === 'api/test-environment')?.name).toBe('Testmiljø for API (API og integrasjon)');
    const dataRights = choices.find((c) => c.value === 'ownership/data-rights')!;
    expect(dataRights.disabled).toMatch(/^kan ikke utelates: kreves av «Leverandørens bruk av Kundens data»/);
    expect(adapter.messages['omit.reason']).toBe('Hvorfor utelates «Testmiljø for API»?');
    expect(adapter.said[1]).toMatch(/Klausuler du har utelatt \(1\):\n {2}api\/test-environment +Testmiljø for API – Kommunen tester i eget miljø/);

    await expect(reviewAndConfirm(nb, new ScriptedAdapter([['confirm', 'omit'], ['omit', 'ownership/data-rights']]), session, result, { file: 'x.yaml', formats: ['md'] })).rejects.toThrow(
      /"ownership\/data-rights" cannot be chosen \(kan ikke utelates: kreves av/,
    );

    const restore = new ScriptedAdapter([['confirm', 'omit'], ['omit', 'restore:api/test-environment'], ['confirm', true]]);
    const back = await reviewAndConfirm(nb, restore, session, result, { file: 'x.yaml', formats: ['md'] });
    expect(restore.selectChoices.omit!.find((c) => c.value === 'restore:api/test-environment')?.name).toBe('Ta med igjen: Testmiljø for API (API og integrasjon) (utelatt: Kommunen tester i eget miljø)');
    expect(back.result.answers.omit).toEqual([]);
    expect(back.result.selection.included.map((c) => c.clause.meta.id)).toContain('api/test-environment');
  });

  it('offers the same clauses to leave out to the terminal and the web: one required by another included clause or by the policy is disabled, with why', async () => {
    const result = await runInterview(nb, new ScriptedAdapter(cloudHr), newSession());
    const plain = omitChoices(nb, result.selection);
    expect(plain.map((c) => c.clause)).toEqual(result.selection.included.map((c) => c.clause.meta.id));
    expect(plain.find((c) => c.clause === 'api/test-environment')).toEqual({ clause: 'api/test-environment', name: 'Testmiljø for API (API og integrasjon)' });
    expect(plain.find((c) => c.clause === 'api/documented-api')!.disabled).toMatch(/^kan ikke utelates: kreves av «.+» og «.+»$/);
    const withPolicy = omitChoices(nb, result.selection, { name: 'kommunens-policy 1.0.0', clauses: new Set(['api/documented-api', 'api/test-environment']) });
    expect(withPolicy.find((c) => c.clause === 'api/test-environment')!.disabled).toBe('kan ikke utelates: kreves av policyen kommunens-policy 1.0.0');
    expect(withPolicy.find((c) => c.clause === 'api/documented-api')!.disabled).toBe('kan ikke utelates: kreves av policyen kommunens-policy 1.0.0');
    expect(withPolicy.filter((c) => c.disabled).length).toBe(plain.filter((c) => c.disabled).length + 1);
    // The reason is checked as the terminal checks it; a clause left out again gets the new reason.
    expect(checkOmitReason(nb, '   ')).toEqual({ ok: false, error: 'Svaret kan ikke være tomt. Skriv inn en tekst.' });
    expect(checkOmitReason(nb, ' Egen løsning ')).toEqual({ ok: true, reason: 'Egen løsning' });
    expect(withOmission([{ clause: 'a/b', reason: 'x' }, { clause: 'c/d', reason: 'y' }], 'a/b', 'z')).toEqual([{ clause: 'c/d', reason: 'y' }, { clause: 'a/b', reason: 'z' }]);
    expect(withOmission([{ clause: 'a/b', reason: 'x' }], 'a/b', null)).toEqual([]);
  });

  it('says the requirement levels as they will be: all "skal" after "all skal", each level by topic otherwise', async () => {
    const session = newSession();
    const all = await runInterview(nb, new ScriptedAdapter(cloudHr), session);
    // The library has "bør" requirements; "all skal" raises them, and the summary says so.
    expect(all.selection.included.some((c) => c.clause.meta.requirement?.level === 'bør')).toBe(true);
    const s1 = new ScriptedAdapter([['confirm', true]]);
    await reviewAndConfirm(nb, s1, session, all, { file: 'x.yaml', formats: ['md'] });
    expect(s1.said[0]).toMatch(/Skal alle kravene i bilaget være absolutte skal-krav: ja, alle er skal-krav\n/);

    const mixed = cloudHr.map(([id, v]): Step => [id, id === 'requirementLevels' ? false : v]);
    const s2 = newSession();
    const r2 = await runInterview(nb, new ScriptedAdapter(mixed, { 'requirementLevels.quality': 'bør' }), s2);
    const a2 = new ScriptedAdapter([['confirm', true]]);
    await reviewAndConfirm(nb, a2, s2, r2, { file: 'x.yaml', formats: ['md'] });
    const line = a2.said[0]!.split('\n').find((l) => l.includes('absolutte skal-krav'))!;
    expect(line).toMatch(/: nei – Skal \(absolutt krav\): .*; Bør \(vektes ved evalueringen\): datakvalitet/);
    expect(line).not.toMatch(/quality|: skal|: bør/);
  });

  it('speaks English with --lang en, amounts included', async () => {
    const onPremises = cloudHr.map(([id, v]): Step => [id, id === 'deliveryModel' ? 'on-premises' : id === 'pricing.exitAssistance' ? 'capped' : v]);
    const session = newSession();
    const r = await runInterview(en, new ScriptedAdapter(onPremises, { 'params.adjust': false, 'params.pricing/exit-assistance.capNok': '90000' }), session);
    const a = new ScriptedAdapter([['confirm', true]]);
    await reviewAndConfirm(en, a, session, r, { file: 'x.yaml', formats: ['md'] });
    expect(a.messages.confirm).toBe('Write the answers file x.yaml and build md?');
    expect(a.selectChoices.confirm!.map((c) => c.name)).toEqual(['Yes, write the files', 'No, change an answer first', 'No, leave out a clause first (or put one back)', 'No, stop (the answers so far are saved as a draft)']);
    expect(a.said[0]).toMatch(/The buyer\n/);
    expect(a.said[0]).toMatch(/Charges for exit assistance – .*: NOK\u00a090,000\n/);
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
