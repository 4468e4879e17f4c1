import type { Library } from '../library/library.js';
import { TemplateRenderError } from '../library/problems.js';
import { TOPICS, type ClauseMeta } from '../library/schema.js';
import type { RequirementLevel } from '../core/levels.js';
import type { Answers } from '../core/answers.js';
import { createHelpers, formatDate } from './helpers.js';
import type { I18n, Templates } from '../core/i18n.js';
import { createLiterals, markdownToBlocks, markdownToInlines, plainText } from './markdown.js';
import type { ClauseNode, DocumentModel, RequirementRow, SectionNode } from './model.js';
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

function placementText(kind: 'requirements' | 'price' | 'changes', contractType: string, templates: Templates, i18n: I18n): string {
  const n = templates.contractTypes[contractType]?.[kind];
  const name = i18n.placement[kind];
  return n === undefined ? name : `${i18n.placement.known.replace('{n}', String(n))} – ${name}`;
}

/**
 * Builds the DocumentModel from a selection. Pure: the same selection, answers and options give
 * the same model, field for field.
 */
export function buildDocument(selection: Selection, answers: Answers, opts: BuildOptions): DocumentModel {
  const i18n = opts.templates.i18n[opts.lang];
  if (!i18n) throw new Error(`no strings for language "${opts.lang}" in templates/i18n`);
  const modal = opts.library.modal.get(opts.lang);
  if (!modal) throw new TemplateRenderError('terms.yaml', '-', `no modal words for language "${opts.lang}": add modal.${opts.lang}: { skal: …, bør: … } to the library's terms.yaml`);
  const helpersFor: Record<RequirementLevel, ReturnType<typeof createHelpers>> = {
    skal: createHelpers(i18n, opts.library.formats, modal.skal),
    bør: createHelpers(i18n, opts.library.formats, modal.bør),
  };
  const context = { answers: { ...answers, date: opts.date } as Record<string, unknown> };
  // Every value a template prints stands in the Markdown as a placeholder and is put back into the
  // parsed text runs as it was typed: it can never become markup, a link or a template.
  const literals = createLiterals();

  const render = (source: string, params: Record<string, unknown>, file: string, clauseId: string, level: RequirementLevel): string => {
    try {
      return renderTemplate(source, { ...params, ...context }, helpersFor[level], undefined, literals.wrap);
    } catch (e) {
      throw new TemplateRenderError(file, clauseId, e instanceof Error ? e.message.split('\n')[0]! : String(e));
    }
  };

  const sections: SectionNode[] = [];
  const requirements: RequirementRow[] = [];
  const provenanceClauses: DocumentModel['provenance']['clauses'] = [];
  for (const topic of TOPICS) {
    const inTopic = selection.included.filter((s) => s.clause.meta.topic === topic);
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
      if (meta.requirement && text.requirement) {
        node.requirementId = meta.requirement.id;
        requirements.push({
          id: meta.requirement.id,
          clauseId: meta.id,
          clauseNumber: number,
          text: plainText(markdownToInlines(render(text.requirement, s.params, text.file, meta.id, level), literals.restore)),
          level,
          levelText: i18n.levels[level],
          placement: placementText(meta.ssa, answers.procurement.contractType, opts.templates, i18n),
          answer: '',
        });
      }
      provenanceClauses.push({ id: meta.id, version: meta.version, library: s.clause.library, number });
      return node;
    });
    sections.push({ number: sectionNumber, topic, title: i18n.topics[topic] ?? topic, clauses });
  }

  const reqNumber = n(sections.length + 1);
  const known = opts.templates.contractTypes[answers.procurement.contractType]?.requirements;
  const appendixLabel =
    answers.procurement.appendixLabel ?? (known === undefined ? i18n.appendixLabel.unknown : i18n.appendixLabel.known.replace('{n}', String(known)));

  const model: DocumentModel = {
    modelVersion: 1,
    lang: opts.lang,
    langTag: i18n.langTag,
    labels: { ...i18n.labels, languageName: i18n.languageName },
    title: {
      appendixLabel,
      heading: i18n.heading,
      buyer: answers.buyer.name,
      orgNumber: answers.buyer.orgNumber,
      members: answers.buyer.members.map((m) => ({ name: m.name, orgNumber: m.orgNumber })),
      procurementTitle: answers.procurement.title,
      reference: answers.procurement.reference,
      contractType: answers.procurement.contractType,
      date: opts.date,
      dateText: formatDate(opts.date, i18n),
    },
    header: `${answers.buyer.name} – ${answers.procurement.reference}`,
    sections,
    requirements: { number: reqNumber, title: i18n.labels.requirementsTitle, intro: i18n.labels.requirementsIntro, rows: requirements },
    provenance: {
      number: n(sections.length + 2),
      title: i18n.labels.provenanceTitle,
      intro: i18n.labels.provenanceIntro,
      tool: { ...opts.tool },
      answers: { file: opts.answersFile, digest: opts.answersDigest },
      libraries: opts.library.layers.map((l) => ({ name: l.manifest.name, version: l.manifest.version, digest: l.digest })),
      clauses: provenanceClauses,
      policy: opts.policy ?? null,
      deviations: [...(opts.deviations ?? [])],
    },
    keywords: [i18n.heading, answers.procurement.contractType, ...sections.map((s) => s.title)],
  };
  if (answers.procurement.description) model.title.description = answers.procurement.description;
  return model;
}

function n(x: number): string {
  return String(x);
}
