import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AnswersSchema, type Answers } from '../src/core/answers.js';
import type { ClauseNode, DocumentModel, PartNode } from '../src/assemble/model.js';
import { assemble, loadContext, type Context } from '../src/cli/pipeline.js';
import { ROOT } from './support/tools.js';

/**
 * Library 0.2.1 (issues 10, 11 and 14): the liability and remedies hook in the change part, the new parameters
 * that give the remaining vague standards a number, and the API clauses moved to the service-level part. Each
 * clause is selected where it is meant to be and not elsewhere, and each parameter reaches the text.
 */

type Raw = Record<string, unknown> & { procurement: Record<string, unknown>; params?: Record<string, Record<string, unknown>> };

const raw = (example: string): Raw => parse(readFileSync(path.join(ROOT, 'examples', `${example}.yaml`), 'utf8')) as Raw;

/** An example's answers, with the contract type, other answers and clause parameters changed. */
const answersOf = (example: string, change: { contractType?: string; params?: Record<string, Record<string, unknown>>; set?: (r: Raw) => void } = {}): Answers => {
  const r = raw(example);
  if (change.contractType) r.procurement.contractType = change.contractType;
  if (change.params) r.params = { ...(r.params ?? {}), ...change.params };
  change.set?.(r);
  return AnswersSchema.parse(r);
};

let ctx: Context;
beforeAll(async () => {
  ctx = await loadContext();
});

const model = (answers: Answers, lang = 'nb'): DocumentModel =>
  assemble(ctx, { answers, file: 'test.yaml', digest: '0'.repeat(64) }, lang, { SOURCE_DATE_EPOCH: '0' }).model;

/** Every piece of text under a value of the model, joined with spaces. */
const textOf = (value: unknown): string => {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'text' || k === 'title') && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(value);
  return out.join(' ').replace(/[\u00a0\u202f\u2009]/g, ' ');
};

/** The part a clause is placed in, with the clause node, or undefined when the clause is not selected. */
const find = (m: DocumentModel, id: string): { part: PartNode; clause: ClauseNode } | undefined => {
  for (const part of m.parts) for (const s of part.sections) for (const c of s.clauses) if (c.id === id) return { part, clause: c };
  return undefined;
};

const clauseText = (m: DocumentModel, id: string): string => {
  const hit = find(m, id);
  if (!hit) throw new Error(`${id} is not selected`);
  const row = m.parts.flatMap((p) => p.requirements?.rows ?? []).find((r) => r.clauseId === id);
  return `${textOf(hit.clause.blocks)} ${textOf([{ text: row?.text ?? '' }])}`;
};

describe('security/data-delay-penalties: liquidated damages for late extracts, a late final extract, a failed test export', () => {
  const ID = 'security/data-delay-penalties';

  it('is selected where the Supplier holds the data (saas, hosted, outsourced) and not for on-premises systems', () => {
    for (const example of ['cloud-hr', 'welfare-technology', 'land-surveying', 'waste-sensors']) expect(find(model(answersOf(example)), ID), example).toBeDefined();
    expect(find(model(answersOf('archive-system')), ID)).toBeUndefined();
  });

  it('goes into the change part and names the point on remedies in every SSA agreement', () => {
    for (const type of ['SSA-L', 'SSA-D', 'SSA-V', 'SSA-T', 'SSA-S', 'SSA-K', 'SSA-sky-store', 'SSA-sky-lille']) {
      const m = model(answersOf('cloud-hr', { contractType: type }));
      const hit = find(m, ID)!;
      expect(hit.part.kind, type).toBe('changes');
      expect(hit.clause.amends, type).toContain(ctx.templates.i18n.nb!.ssaPoints.remedies);
      expect(hit.clause.amends, type).toContain(m.title.contractType);
    }
  });

  it('works in a non-SSA frame: placed in the special contract terms, no SSA point named, nb, nn and en', () => {
    for (const lang of ['nb', 'nn', 'en']) {
      const m = model(answersOf('land-surveying'), lang);
      const hit = find(m, ID)!;
      expect(hit.part.kind).toBe('changes');
      expect(hit.part.label).toBe(ctx.templates.i18n[lang]!.parts.specialTerms);
      expect(hit.clause.amends).toBeUndefined();
      expect(textOf(hit.clause.blocks)).not.toMatch(/SSA/);
    }
  });

  it('carries the default rates and the cap in days', () => {
    const text = clauseText(model(answersOf('cloud-hr')), ID);
    expect(text).toContain('kr 1 000');
    expect(text).toContain('kr 5 000');
    expect(text).toContain('høyst 60 dager');
    expect(text).not.toContain('ingen dagmulkt');
  });

  it('the parameters reach the text: a rate per day, a rate of 0 turns that penalty off, the number of days', () => {
    const params = { [ID]: { extractPerDayNok: 2500, exitPerDayNok: 0, testExportPerDayNok: 750, maxDays: 45 } };
    for (const [lang, off, days] of [['nb', 'ingen dagmulkt', '45 dager'], ['nn', 'ingen dagmulkt', '45 dagar'], ['en', 'none', '45 days']] as const) {
      const text = clauseText(model(answersOf('cloud-hr', { params }), lang), ID);
      expect(text, lang).toMatch(/2[ ,]500/);
      expect(text, lang).toMatch(/750/);
      expect(text, lang).not.toMatch(/5[ ,]000/);
      expect(text, lang).toContain(off);
      expect(text, lang).toContain(days);
    }
  });
});

describe('security/data-loss-liability: restoration and re-migration costs and the liability cap', () => {
  const ID = 'security/data-loss-liability';

  it('by default (separate-cap) gives a yearly amount outside the general limitation of liability', () => {
    const text = clauseText(model(answersOf('cloud-hr')), ID);
    expect(text).toContain('kr 1 000 000');
    expect(text).toContain('i tillegg til avtalens alminnelige ansvarsbegrensning');
    expect(text).not.toContain('som direkte tap innenfor');
  });

  it('with general-cap the costs fall within the general limitation, always as direct loss, and no separate amount is named', () => {
    const params = { [ID]: { capRelation: 'general-cap', capNok: 2000000 } };
    for (const [lang, direct] of [['nb', 'direkte tap'], ['nn', 'direkte tap'], ['en', 'direct loss']] as const) {
      const text = clauseText(model(answersOf('cloud-hr', { params }), lang), ID);
      expect(text, lang).toContain(direct);
      expect(text, lang).not.toMatch(/2[ ,]000[ ,]000/);
    }
  });

  it('stays one clause: the penalties clause does not restate the restoration duty', () => {
    const m = model(answersOf('cloud-hr'));
    expect(clauseText(m, 'security/data-delay-penalties')).not.toContain('gjenopprette');
  });
});

describe('numbers for the remaining vague standards and the alternatives of issue 10 item 7', () => {
  it('pricing/routine-export caps free full extracts on request when extracts are free or included, not when priced', () => {
    const ID = 'pricing/routine-export';
    expect(clauseText(model(answersOf('cloud-hr')), ID)).toContain('inntil 2 fulle uttrekk på forespørsel per kalenderkvartal');
    const text = clauseText(model(answersOf('cloud-hr', { params: { [ID]: { freeFullExtractsPerQuarter: 1, extraFullExtractNok: 3500 } } })), ID);
    expect(text).toContain('inntil 1 fullt uttrekk på forespørsel per kalenderkvartal');
    expect(text).toContain('kr 3 500');
    const en = clauseText(model(answersOf('welfare-technology', { params: { [ID]: { freeFullExtractsPerQuarter: 3 } } }), 'en'), ID);
    expect(en).toContain('up to 3 full extracts on request per calendar quarter');
    // land-surveying pays a fixed annual fee: no cap on free extracts is written.
    expect(clauseText(model(answersOf('land-surveying')), ID)).not.toContain('per kalenderkvartal');
  });

  it('api/documented-api phases the API in after phaseInMonths (6 by default); 0 means from the contract start', () => {
    const ID = 'api/documented-api';
    const byDefault = clauseText(model(answersOf('cloud-hr')), ID);
    expect(byDefault).toContain('senest 6 måneder etter avtalestart');
    expect(byDefault).toContain('minst én gang per kalendermåned');
    const fromStart = clauseText(model(answersOf('cloud-hr', { params: { [ID]: { phaseInMonths: 0 } } })), ID);
    expect(fromStart).toContain('i hele avtaleperioden');
    expect(fromStart).not.toContain('etter avtalestart');
    const en = clauseText(model(answersOf('cloud-hr', { params: { [ID]: { phaseInMonths: 12 } } }), 'en'), ID);
    expect(en).toContain('No later than 12 months after the contract start');
  });

  it('api/usage-terms and pricing/api-usage agree on one capacity: "included" refers to the agreed quota', () => {
    const m = model(answersOf('cloud-hr'));
    const pricing = clauseText(m, 'pricing/api-usage');
    expect(pricing).toContain('kapasitet og bruksgrenser for API-et');
    expect(pricing).not.toContain('ordinære bruk');
    expect(clauseText(m, 'api/usage-terms')).toContain('innenfor denne kapasiteten');
  });

  it('each new number reaches the text: test-environment lead days, third-party access, format-register notice, free egress in parallel use', () => {
    const params = {
      'api/test-environment': { leadDays: 21 },
      'access/third-party-access': { workingDays: 7 },
      'formats/format-register': { noticeDays: 120 },
      'pricing/no-egress-fees': { freeGbPerMonth: 2500 },
    };
    const nb = model(answersOf('cloud-hr', { params }));
    expect(clauseText(nb, 'api/test-environment')).toContain('minst 21 dager før');
    expect(clauseText(nb, 'access/third-party-access')).toContain('innen 7 virkedager');
    expect(clauseText(nb, 'formats/format-register')).toContain('minst 120 dager før');
    expect(clauseText(nb, 'pricing/no-egress-fees')).toContain('2 500 GB');
    for (const lang of ['nb', 'nn', 'en']) {
      const text = textOf(model(answersOf('cloud-hr', { params }), lang).parts);
      expect(text, lang).not.toMatch(/i god tid|uten ugrunnet opphold|utan ugrunna opphald|in good time|well before|without undue delay after|ordinær bruk|normal use/);
    }
  });

  it('pricing/no-egress-fees applies to saas and hosted services, not to outsourced services (no egress regime for a surveyor)', () => {
    expect(find(model(answersOf('cloud-hr')), 'pricing/no-egress-fees')).toBeDefined();
    expect(find(model(answersOf('welfare-technology')), 'pricing/no-egress-fees')).toBeDefined();
    expect(find(model(answersOf('land-surveying')), 'pricing/no-egress-fees')).toBeUndefined();
    expect(find(model(answersOf('waste-sensors')), 'pricing/no-egress-fees')).toBeUndefined();
  });

  it('pricing/no-payment-before-return defines "completed" per service and keeps the no-withholding rule in the row', () => {
    const m = model(answersOf('cloud-hr'));
    const text = clauseText(m, 'pricing/no-payment-before-return');
    expect(text).toContain('etterskuddsvis per kalendermåned');
    expect(text).toContain('avtalens alminnelige regler om fakturering');
    const row = m.parts.flatMap((p) => p.requirements?.rows ?? []).find((r) => r.clauseId === 'pricing/no-payment-before-return')!;
    expect(row.text).toContain('ikke holde data tilbake');
  });

  it('ownership/schema-licence binds recipients to confidentiality and no longer rests on Data Act Article 26', () => {
    const m = model(answersOf('cloud-hr'), 'en');
    expect(clauseText(m, 'ownership/schema-licence')).toContain('keep the material confidential');
    expect(find(m, 'ownership/schema-licence')!.clause.basis.join(' ')).not.toContain('art. 26');
  });

  it('ownership/joint-procurement shares jointly registered data only within the law', () => {
    for (const [lang, limit] of [['nb', 'innenfor rammene av regelverket'], ['nn', 'innanfor rammene av regelverket'], ['en', 'within the limits of the law']] as const) {
      expect(clauseText(model(answersOf('welfare-technology'), lang), 'ownership/joint-procurement'), lang).toContain(limit);
    }
    expect(find(model(answersOf('cloud-hr')), 'ownership/joint-procurement')).toBeUndefined();
  });
});

describe('issue 14: the API service levels in the service-level part; formats/health without claiming IPLOS', () => {
  it('api/service-levels and api/support-times go into the service-level part where the contract type has one', () => {
    for (const type of ['SSA-L', 'SSA-D', 'SSA-sky-lille', 'services-own-terms']) {
      const m = model(answersOf('cloud-hr', { contractType: type }));
      for (const id of ['api/service-levels', 'api/support-times']) expect(find(m, id)!.part.kind, `${type} ${id}`).toBe('service-levels');
    }
  });

  it('and into the requirements part where it has none (SSA-K, NS 8402)', () => {
    for (const type of ['SSA-K', 'NS-8402']) {
      const m = model(answersOf('cloud-hr', { contractType: type }));
      for (const id of ['api/service-levels', 'api/support-times']) expect(find(m, id)!.part.kind, `${type} ${id}`).toBe('requirements');
    }
  });

  it('no longer tell the reader to move them ("hører punktet til der")', () => {
    for (const lang of ['nb', 'nn', 'en']) {
      const m = model(answersOf('welfare-technology'), lang);
      for (const id of ['api/service-levels', 'api/support-times']) expect(clauseText(m, id), `${lang} ${id}`).not.toMatch(/hører punktet til der|høyrer punktet til der|belongs there/);
    }
  });

  it('api/fhir names Normen and pasientjournalloven for access control and logging (review §3.2 item 12), in every language', () => {
    for (const lang of ['nb', 'nn', 'en']) {
      const text = clauseText(model(answersOf('welfare-technology'), lang), 'api/fhir');
      expect(text, lang).toContain('Normen');
      expect(text, lang).toMatch(/pasientjournallov/);
    }
  });

  it('formats/health keeps recorded codes and exports with the codes of the current reporting, without naming a register as fact', () => {
    for (const [lang, current] of [['nb', 'den gjeldende rapporteringen'], ['nn', 'den gjeldande rapporteringa'], ['en', 'the current reporting']] as const) {
      const text = clauseText(model(answersOf('welfare-technology'), lang), 'formats/health');
      expect(text, lang).toContain(current);
      expect(text, lang).not.toContain('KPR');
    }
  });
});
