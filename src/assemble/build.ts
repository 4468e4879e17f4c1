import type { Library } from '../library/library.js';
import { clauseOrigins } from '../library/layers.js';
import { TemplateRenderError } from '../library/problems.js';
import { TOPICS } from '../core/topics.js';
import type { ClauseMeta } from '../library/schema.js';
import type { RequirementLevel } from '../core/levels.js';
import type { Answers } from '../core/answers.js';
import { requirementDigest } from '../core/answer-sheet.js';
import { createHelpers, formatDate } from './helpers.js';
import { derivedValues } from './export-matrix.js';
import { resolvePlacement, type Templates } from '../core/i18n.js';
import { createLiterals, markdownToBlocks, markdownToInlines, plainText } from './markdown.js';
import type { ClauseNode, DocumentModel, PartNode, RequirementRow, SectionNode } from './model.js';
import type { Selection } from './select.js';
import { renderTemplate } from './template.js';

export { TemplateRenderError };

export interface BuildOptions {
  lang: string;
  /** The appendix date, YYYY-MM-DD: from the answers or SOURCE_DATE_EPOCH, never the clock. */
  date: string;
  library: Library;
  templates: Templates;
  answersFile: string;
  answersDigest: string;
  tool: { name: string; version: string };
  /** The policy applied, if any, and the deviations from it that the answers accepted. */
  policy?: { name: string; digest: string } | null;
  deviations?: Array<{ rule: string; message: string }>;
}


/**
 * A clause's effective requirement level: the answers' level for its topic (`requirementLevels`),
 * else the clause's own. A clause without a requirement row (a definition) states fixed terms: "skal".
 * The requirement row's level column and every `{{shall}}` in the clause use this one value.
 */
export function effectiveLevel(meta: ClauseMeta, answers: Pick<Answers, 'requirementLevels'>): RequirementLevel {
  if (!meta.requirement) return 'skal';
  return answers.requirementLevels[meta.topic] ?? meta.requirement.level;
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/**
 * Builds the DocumentModel from a selection. Pure: the same selection, answers and options give
 * the same model, field for field. Every included clause goes into exactly one part: the part of the contract type
 * that its placement resolves to (templates/contract-types.yaml).
 */
export function buildDocument(selection: Selection, answers: Answers, opts: BuildOptions): DocumentModel {
  const i18n = opts.templates.i18n[opts.lang];
  if (!i18n) throw new Error(`no strings for language "${opts.lang}" in templates/i18n`);
  const modal = opts.library.modal.get(opts.lang);
  if (!modal) throw new TemplateRenderError('terms.yaml', '-', `no modal words for language "${opts.lang}": add modal.${opts.lang}: { skal: …, bør: … } to the library's terms.yaml`);
  const helpersFor: Record<RequirementLevel, ReturnType<typeof createHelpers>> = {
    skal: createHelpers(i18n, opts.library.formats, modal.skal, opts.lang),
    bør: createHelpers(i18n, opts.library.formats, modal.bør, opts.lang),
  };
  // `derived`: the chosen formats by kind and the export matrix (src/assemble/export-matrix.ts).
  const context = { answers: { ...answers, date: opts.date } as Record<string, unknown>, derived: derivedValues(answers, opts.library, opts.lang) };
  // Every value a template prints stands in the Markdown as a placeholder and is put back into the
  // parsed text runs as it was typed: it can never become markup, a link or a template.
  const literals = createLiterals();
  const typeId = answers.procurement.contractType;
  const type = opts.templates.contractTypes.types[typeId];
  if (!type) throw new Error(`contract type "${typeId}" has no parts in templates/contract-types.yaml`);
  const contractName = i18n.contractTypes[typeId] ?? typeId;

  const origins = clauseOrigins(opts.library.layers);

  // The helpers of every language the library has, for the requirement texts' digests in each language.
  const helpersIn = new Map<string, Record<RequirementLevel, ReturnType<typeof createHelpers>>>([[opts.lang, helpersFor]]);
  const helpersOf = (lang: string) => {
    if (!helpersIn.has(lang)) {
      const strings = opts.templates.i18n[lang];
      const words = opts.library.modal.get(lang);
      if (!strings || !words) return undefined;
      helpersIn.set(lang, { skal: createHelpers(strings, opts.library.formats, words.skal), bør: createHelpers(strings, opts.library.formats, words.bør) });
    }
    return helpersIn.get(lang);
  };
  const render = (source: string, params: Record<string, unknown>, file: string, clauseId: string, level: RequirementLevel, lang = opts.lang): string => {
    try {
      return renderTemplate(source, { ...params, ...context }, (lang === opts.lang ? helpersFor : helpersOf(lang)!)[level], undefined, literals.wrap);
    } catch (e) {
      throw new TemplateRenderError(file, clauseId, e instanceof Error ? e.message.split('\n')[0]! : String(e));
    }
  };

  const amendsLine = (s: Selection['included'][number]): string => {
    const { meta } = s.clause;
    const entry = meta.changes.find((c) => c.types.includes(typeId));
    if (!entry) throw new TemplateRenderError(s.clause.file, meta.id, `clause ${meta.id} changes the general terms but does not name the point it changes in ${typeId} (changes[].types)`);
    const subject = i18n.ssaPoints[entry.point];
    if (subject === undefined) throw new TemplateRenderError(s.clause.file, meta.id, `point "${entry.point}" has no ${opts.lang} words in templates/i18n (ssaPoints)`);
    const point = entry.heading ? fill(i18n.amends.heading, { heading: entry.heading }) : fill(i18n.amends.subject, { subject });
    return fill(i18n.amends[entry.effect], { point, contract: contractName });
  };

  const parts: PartNode[] = [];
  const provenanceClauses: DocumentModel['provenance']['clauses'] = [];
  for (const spec of type.parts) {
    const inPart = selection.included.filter((s) => resolvePlacement(opts.templates.contractTypes, typeId, s.clause.meta.ssa) === spec.kind);
    if (!inPart.length) continue;
    const special = spec.kind === 'changes' && type.family !== 'ssa';
    const name = special ? i18n.parts.specialTerms : i18n.parts[spec.kind];
    const label = spec.bilag === undefined ? name : fill(i18n.partLabel.numbered, { n: spec.bilag, name });
    const sections: SectionNode[] = [];
    const rows: RequirementRow[] = [];
    for (const topic of TOPICS) {
      const inTopic = inPart.filter((s) => s.clause.meta.topic === topic);
      if (!inTopic.length) continue;
      const sectionNumber = String(sections.length + 1);
      const clauses: ClauseNode[] = inTopic.map((s, i) => {
        const { meta } = s.clause;
        const text = s.clause.texts[opts.lang];
        if (!text) throw new TemplateRenderError(s.clause.file, meta.id, `clause ${meta.id} has no ${opts.lang} text`);
        const number = `${sectionNumber}.${i + 1}`;
        const level = effectiveLevel(meta, answers);
        const body = render(text.body, s.params, text.file, meta.id, level);
        const node: ClauseNode = { number, id: meta.id, version: meta.version, title: text.title, blocks: markdownToBlocks(body, number, literals.restore), basis: [...meta.basis] };
        if (spec.kind === 'changes' && type.family === 'ssa') node.amends = amendsLine(s);
        if (meta.requirement && text.requirement) {
          node.requirementId = meta.requirement.id;
          rows.push({
            id: meta.requirement.id,
            clauseId: meta.id,
            clauseNumber: number,
            text: plainText(markdownToInlines(render(text.requirement, s.params, text.file, meta.id, level), literals.restore)),
            level,
            levelText: i18n.levels[level],
            answer: '',
            digests: Object.fromEntries(
              [...opts.library.languages]
                .sort()
                .filter((l) => s.clause.texts[l]?.requirement && helpersOf(l))
                .map((l) => {
                  const other = s.clause.texts[l]!;
                  return [l, requirementDigest(plainText(markdownToInlines(render(other.requirement!, s.params, other.file, meta.id, level, l), literals.restore)))];
                }),
            ),
          });
        }
        // The layer a clause comes from, and the earlier layers' versions it replaces.
        const replaced = (origins.get(meta.id) ?? []).slice(0, -1);
        const library = replaced.length ? `${s.clause.library} (${i18n.labels.provenanceFields.replaces} ${replaced.map((o) => `${o.library} ${o.clauseVersion}`).join(', ')})` : s.clause.library;
        provenanceClauses.push({ id: meta.id, version: meta.version, library, part: label, number });
        return node;
      });
      sections.push({ number: sectionNumber, topic, title: i18n.topics[topic] ?? topic, clauses });
    }
    parts.push({
      kind: spec.kind,
      bilag: spec.bilag ?? null,
      slug: spec.bilag === undefined ? spec.kind : `bilag-${spec.bilag}`,
      label,
      title: fill(i18n.partLabel.addition, { label }),
      intro: fill(special ? i18n.partIntro.specialTerms : i18n.partIntro[spec.kind], { contract: contractName }),
      sections,
      requirements: rows.length
        ? { number: String(sections.length + 1), title: i18n.labels.requirementsTitle, intro: i18n.labels.requirementsIntro, rows }
        : null,
    });
  }

  const model: DocumentModel = {
    modelVersion: 2,
    lang: opts.lang,
    langTag: i18n.langTag,
    labels: {
      ...i18n.labels,
      // The answer column's heading names the answer words: "Leverandørens svar (Ja, Nei eller Delvis + kommentar)".
      requirementColumns: { ...i18n.labels.requirementColumns, answer: fill(i18n.labels.requirementColumns.answer, i18n.answerWords) },
      languageName: i18n.languageName,
      answerWords: { ...i18n.answerWords },
      answerSheetColumns: { ...i18n.answerSheetColumns, answer: fill(i18n.answerSheetColumns.answer, i18n.answerWords) },
    },
    title: {
      appendixLabel: answers.procurement.appendixLabel ?? i18n.partLabel.document,
      heading: i18n.heading,
      buyer: answers.buyer.name,
      orgNumber: answers.buyer.orgNumber,
      members: answers.buyer.members.map((m) => ({ name: m.name, orgNumber: m.orgNumber, role: i18n.memberRoles[m.role] ?? m.role, roleId: m.role })),
      procurementTitle: answers.procurement.title,
      reference: answers.procurement.reference,
      contractType: contractName,
      date: opts.date,
      dateText: formatDate(opts.date, i18n),
    },
    header: `${answers.buyer.name} – ${answers.procurement.reference}`,
    parts,
    provenance: {
      title: i18n.labels.provenanceTitle,
      intro: i18n.labels.provenanceIntro,
      tool: { ...opts.tool },
      answers: { file: opts.answersFile, digest: opts.answersDigest },
      libraries: opts.library.layers.map((l) => ({ name: l.manifest.name, version: l.manifest.version, digest: l.digest })),
      clauses: provenanceClauses,
      policy: opts.policy ?? null,
      deviations: [...(opts.deviations ?? [])],
      omissions: selection.excluded
        .filter((s) => s.omitted !== undefined)
        .map((s) => ({ id: s.clause.meta.id, version: s.clause.meta.version, title: s.clause.texts[opts.lang]?.title ?? s.clause.meta.id, reason: s.omitted! })),
    },
    keywords: [i18n.heading, typeId, ...new Set(parts.flatMap((p) => p.sections.map((s) => s.title)))],
  };
  if (answers.procurement.description) model.title.description = answers.procurement.description;
  const ps = answers.buyer.partnership;
  if (ps) {
    model.title.partnership = { name: ps.name, legalForm: i18n.partnershipForms[ps.legalForm] ?? ps.legalForm };
    if (ps.host !== undefined) {
      const host = ps.host === answers.buyer.orgNumber ? answers.buyer : answers.buyer.members.find((m) => m.orgNumber === ps.host);
      // An oppgavefellesskap and a politisk råd have a kontorkommune (kommuneloven ch. 18–19), the others a vertskommune.
      const label = ps.legalForm === 'joint-undertaking' || ps.legalForm === 'political-council' ? i18n.labels.office : i18n.labels.host;
      if (host) model.title.partnership.host = { label, name: host.name, orgNumber: host.orgNumber };
    }
  }
  return model;
}

/**
 * The model of one part on its own, for `build --split`: the same title block, headed with the part's title, that
 * part only, and the provenance of its clauses.
 */
export function partModel(model: DocumentModel, part: PartNode): DocumentModel {
  return {
    ...model,
    title: { ...model.title, appendixLabel: part.title },
    parts: [part],
    provenance: { ...model.provenance, clauses: model.provenance.clauses.filter((c) => c.part === part.label) },
  };
}
