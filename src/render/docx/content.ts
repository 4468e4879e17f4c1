import { Paragraph, TableOfContents, TextRun, type ParagraphChild, type Table } from 'docx';
import type { Block, DocumentModel, PartNode } from '../../assemble/model.js';
import { BlockContext, blocks, table } from './blocks.js';
import { BULLET_NUMBERING, TEXT_WIDTH } from './styles.js';
import { titleBlockRows } from '../title-rows.js';

type Child = Paragraph | Table | TableOfContents;

const text = (t: string, format: { bold?: boolean; italics?: boolean; style?: string } = {}): TextRun => new TextRun({ text: t, ...format });
const code = (t: string): TextRun => text(t, { style: 'InlineCode' });

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

function titleBlock(model: DocumentModel): Child[] {
  const L = model.labels;
  const t = model.title;
  const rows = titleBlockRows(model);
  const keyWidth = 2835;
  const out: Child[] = [
    new Paragraph({ style: 'AppendixLabel', children: [text(t.appendixLabel)] }),
    new Paragraph({ style: 'Title', children: [text(t.heading)] }),
    table({ widths: [keyWidth, TEXT_WIDTH - keyWidth], header: [], rows: rows.map(([k, v]) => [[text(k, { bold: true })], [text(v)]]) }),
  ];
  if (t.description) out.push(new Paragraph({ spacing: { before: 240 }, children: [text(t.description)] }));
  out.push(
    new Paragraph({ style: 'TOCHeading', children: [text(L.contents)] }),
    new TableOfContents(L.contents, { hyperlink: true, headingStyleRange: '1-3' }),
  );
  return out;
}

/** Heading 2 and 3 (sections and clauses, and a part's requirements table) are numbered by Word through the style. */
function numbered(style: 'Heading2' | 'Heading3', title: string): Paragraph {
  return new Paragraph({ style, children: [text(title)] });
}

/** Heading 1, unnumbered: a part of the appendix, or the provenance annex, each on a new page. */
function partHeading(title: string): Paragraph {
  return new Paragraph({ style: 'Heading1', pageBreakBefore: true, children: [text(title)] });
}

function parts(model: DocumentModel, ctx: BlockContext): Child[] {
  const L = model.labels;
  const out: Child[] = [];
  for (const part of model.parts) {
    out.push(partHeading(part.title), new Paragraph({ children: [text(part.intro)] }));
    for (const s of part.sections) {
      out.push(numbered('Heading2', s.title));
      for (const c of s.clauses) {
        out.push(numbered('Heading3', c.title));
        if (c.amends) out.push(new Paragraph({ style: 'Amends', children: [text(c.amends)] }));
        out.push(...blocks(c.blocks, ctx));
        const meta = [c.requirementId ?? '', c.basis.length ? `${L.basis}: ${c.basis.join('; ')}` : ''].filter(Boolean).join(' · ');
        if (meta) out.push(new Paragraph({ style: 'ClauseNote', children: [text(meta)] }));
      }
    }
    if (part.requirements) out.push(...requirements(model, part.requirements));
  }
  return out;
}

/** Column widths of the requirements table, summing to the text width. */
export const REQUIREMENT_WIDTHS = [1250, TEXT_WIDTH - 1250 - 1050 - 2600, 1050, 2600] as const;
/** Column widths of the provenance table, summing to the text width. */
export const PROVENANCE_WIDTHS = [2000, 750, TEXT_WIDTH - 2000 - 750 - 1000 - 1900, 1000, 1900] as const;

function requirements(model: DocumentModel, r: NonNullable<PartNode['requirements']>): Child[] {
  const rc = model.labels.requirementColumns;
  return [
    numbered('Heading2', r.title),
    new Paragraph({ children: [text(r.intro)] }),
    table({
      widths: REQUIREMENT_WIDTHS,
      header: [rc.id, rc.text, rc.level, rc.answer].map((h) => [text(h)]),
      rows: r.rows.map((row) => [[text(row.id)], [text(`${row.text} (${row.clauseNumber})`)], [text(row.levelText)], []]),
    }),
  ];
}

function provenance(model: DocumentModel): Child[] {
  const p = model.provenance;
  const pf = model.labels.provenanceFields;
  const pc = model.labels.provenanceColumns;
  const sha = (digest: string): ParagraphChild[] => [text(' (SHA-256 '), code(digest), text(')')];
  const field = (label: string, children: ParagraphChild[]) =>
    new Paragraph({ style: 'ListParagraph', numbering: { reference: BULLET_NUMBERING, level: 0 }, children: [text(`${label}: `), ...children] });
  const joined = <T>(items: readonly T[], each: (item: T) => ParagraphChild[]): ParagraphChild[] =>
    items.flatMap((item, i) => [...(i ? [text('; ')] : []), ...each(item)]);
  return [
    partHeading(p.title),
    new Paragraph({ children: [text(p.intro)] }),
    field(pf.tool, [text(`${p.tool.name} ${p.tool.version}`)]),
    field(pf.answers, [text(p.answers.file), ...sha(p.answers.digest)]),
    field(pf.libraries, joined(p.libraries, (l) => [text(`${l.name} ${l.version}`), ...sha(l.digest)])),
    field(pf.policy, p.policy ? [text(p.policy.name), ...sha(p.policy.digest)] : [text(pf.none)]),
    field(pf.deviations, p.deviations.length ? joined(p.deviations, (d) => [text(`${d.rule}: ${d.message}`)]) : [text(pf.none)]),
    ...(p.omissions?.length ? [field(pf.omissions, joined(p.omissions, (o) => [code(o.id), text(` ${o.version} (${o.title}): ${o.reason}`)]))] : []),
    new Paragraph({ spacing: { after: 0 }, children: [] }),
    table({
      widths: PROVENANCE_WIDTHS,
      header: [pc.part, pc.number, pc.clause, pc.version, pc.library].map((h) => [text(h)]),
      rows: p.clauses.map((c) => [[text(c.part)], [text(c.number)], [code(c.id)], [text(c.version)], [text(c.library)]]),
    }),
  ];
}

/** The body of the document, in reading order, and the numbering definitions its ordered lists need. */
export function documentBody(model: DocumentModel): { children: Child[]; ctx: BlockContext } {
  const ctx = new BlockContext();
  const children = [...titleBlock(model), ...parts(model, ctx), ...provenance(model)];
  return { children, ctx };
}

