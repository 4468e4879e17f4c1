import type { Block, DocumentModel, PartNode } from '../../assemble/model.js';
import { BodyContext, blocks, table } from './blocks.js';
import { Numbering, TEXT_WIDTH } from './styles.js';
import { tableOfContents } from './toc.js';
import { paragraph, run } from './xml.js';
import { titleBlockRows } from '../title-rows.js';

const text = (t: string, format: { bold?: boolean } = {}): string => run(t, format);
const code = (t: string): string => run(t, { style: 'InlineCode' });

/**
 * The numbers Word will give the headings that the table of contents lists (Heading 1–3; part headings, which show
 * no number, as ""), in document order, worked out as Word counts them — Heading 2 restarts after each Heading 1
 * (each part), Heading 3 after each Heading 2, Heading 4 after each Heading 3 — and checked against the numbers in
 * the model. The DOCX does not type the numbers in, so a model whose
 * numbers Word would not reproduce must not be rendered silently.
 */
export function headingNumbers(model: DocumentModel): string[] {
  const wrong: string[] = [];
  const numbers: string[] = [];
  const expect = (got: string, want: string, what: string, listed = true) => {
    if (listed) numbers.push(want);
    if (got !== want) wrong.push(`${what}: the model says ${got}, Word numbers it ${want}`);
  };
  const subHeadings = (items: readonly Block[], prefix: string, counter: { n: number }, clauseId: string): void => {
    for (const b of items) {
      if (b.type === 'heading') {
        counter.n += 1;
        expect(b.number, `${prefix}.${counter.n}`, `sub-heading in clause ${clauseId}`, false);
      } else if (b.type === 'list') {
        for (const item of b.items) subHeadings(item, prefix, counter, clauseId);
      }
    }
  };
  for (const part of model.parts) {
    numbers.push('');
    let h1 = 0;
    for (const s of part.sections) {
      h1 += 1;
      expect(s.number, `${h1}`, `${part.label}: section "${s.title}"`);
      s.clauses.forEach((c, ci) => {
        expect(c.number, `${h1}.${ci + 1}`, `${part.label}: clause ${c.id}`);
        subHeadings(c.blocks, `${h1}.${ci + 1}`, { n: 0 }, c.id);
      });
    }
    if (part.requirements) expect(part.requirements.number, `${h1 + 1}`, `${part.label}: requirements table`);
  }
  numbers.push('');
  if (wrong.length) throw new Error(`DOCX numbering would not match the document model:\n${wrong.join('\n')}`);
  return numbers;
}

function titleBlock(model: DocumentModel, toc: string): string {
  const L = model.labels;
  const t = model.title;
  const rows = titleBlockRows(model);
  const keyWidth = 2835;
  return (
    paragraph({ style: 'AppendixLabel' }, text(t.appendixLabel)) +
    paragraph({ style: 'Title' }, text(t.heading)) +
    table({ widths: [keyWidth, TEXT_WIDTH - keyWidth], header: [], rows: rows.map(([k, v]) => [text(k, { bold: true }), text(v)]) }) +
    (t.description ? paragraph({ spacing: { before: 240 } }, text(t.description)) : '') +
    paragraph({ style: 'TOCHeading' }, text(L.contents)) +
    toc
  );
}

/**
 * A heading the table of contents lists: Heading 1 (a part of the appendix, or the provenance annex; unnumbered, each
 * on a new page), Heading 2 and 3 (sections and clauses, and a part's requirements table, numbered by Word through
 * the style). `number` is the number Word gives it, for the table of contents ("" for Heading 1).
 */
function heading(ctx: BodyContext, level: 1 | 2 | 3, title: string, number: string): string {
  return paragraph({ style: `Heading${level}`, pageBreakBefore: level === 1 }, ctx.bookmark(level, title, number, text(title)));
}

function parts(model: DocumentModel, ctx: BodyContext, numbers: Iterator<string>): string {
  const L = model.labels;
  const next = () => numbers.next().value ?? '';
  let out = '';
  for (const part of model.parts) {
    out += heading(ctx, 1, part.title, next()) + paragraph({}, text(part.intro));
    for (const s of part.sections) {
      out += heading(ctx, 2, s.title, next());
      for (const c of s.clauses) {
        out += heading(ctx, 3, c.title, next());
        if (c.amends) out += paragraph({ style: 'Amends' }, text(c.amends));
        out += blocks(c.blocks, ctx);
        const meta = [c.requirementId ?? '', c.basis.length ? `${L.basis}: ${c.basis.join('; ')}` : ''].filter(Boolean).join(' · ');
        if (meta) out += paragraph({ style: 'ClauseNote' }, text(meta));
      }
    }
    if (part.requirements) out += requirements(model, part.requirements, ctx, next());
  }
  return out;
}

/** Column widths of the requirements table, summing to the text width. */
export const REQUIREMENT_WIDTHS = [1250, TEXT_WIDTH - 1250 - 1050 - 2600, 1050, 2600] as const;
/** Column widths of the provenance table, summing to the text width. */
export const PROVENANCE_WIDTHS = [2000, 750, TEXT_WIDTH - 2000 - 750 - 1000 - 1900, 1000, 1900] as const;

function requirements(model: DocumentModel, r: NonNullable<PartNode['requirements']>, ctx: BodyContext, number: string): string {
  const rc = model.labels.requirementColumns;
  return (
    heading(ctx, 2, r.title, number) +
    paragraph({}, text(r.intro)) +
    table({
      widths: REQUIREMENT_WIDTHS,
      header: [rc.id, rc.text, rc.level, rc.answer].map((h) => text(h)),
      rows: r.rows.map((row) => [text(row.id), text(`${row.text} (${row.clauseNumber})`), text(row.levelText), '']),
    })
  );
}

function provenance(model: DocumentModel, ctx: BodyContext, number: string): string {
  const p = model.provenance;
  const pf = model.labels.provenanceFields;
  const pc = model.labels.provenanceColumns;
  const sha = (digest: string): string => text(' (SHA-256 ') + code(digest) + text(')');
  const field = (label: string, runs: string) =>
    paragraph({ style: 'ListParagraph', numbering: { numId: ctx.numbering.use(Numbering.BULLETS), level: 0 } }, text(`${label}: `) + runs);
  const joined = <T>(items: readonly T[], each: (item: T) => string): string => items.map((item, i) => (i ? text('; ') : '') + each(item)).join('');
  return (
    heading(ctx, 1, p.title, number) +
    paragraph({}, text(p.intro)) +
    field(pf.tool, text(`${p.tool.name} ${p.tool.version}`)) +
    field(pf.answers, text(p.answers.file) + sha(p.answers.digest)) +
    field(pf.libraries, joined(p.libraries, (l) => text(`${l.name} ${l.version}`) + sha(l.digest))) +
    field(pf.policy, p.policy ? text(p.policy.name) + sha(p.policy.digest) : text(pf.none)) +
    field(pf.deviations, p.deviations.length ? joined(p.deviations, (d) => text(`${d.rule}: ${d.message}`)) : text(pf.none)) +
    (p.omissions?.length ? field(pf.omissions, joined(p.omissions, (o) => code(o.id) + text(` ${o.version} (${o.title}): ${o.reason}`))) : '') +
    paragraph({ spacing: { after: 0 } }, '') +
    table({
      widths: PROVENANCE_WIDTHS,
      header: [pc.part, pc.number, pc.clause, pc.version, pc.library].map((h) => text(h)),
      rows: p.clauses.map((c) => [text(c.part), text(c.number), code(c.id), text(c.version), text(c.library)]),
    })
  );
}

/**
 * The body of the document, in reading order (title block, table of contents, parts, provenance annex), and what
 * writing it collected: list definitions, links, the headings the table of contents lists.
 */
export function documentBody(model: DocumentModel): { xml: string; ctx: BodyContext } {
  const ctx = new BodyContext();
  const numbers = headingNumbers(model)[Symbol.iterator]();
  const content = parts(model, ctx, numbers) + provenance(model, ctx, numbers.next().value ?? '');
  return { xml: titleBlock(model, tableOfContents(model.labels.contents, ctx.toc)) + content, ctx };
}
