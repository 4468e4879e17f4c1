import { Paragraph, TableOfContents, TextRun, type ParagraphChild, type Table } from 'docx';
import type { Block, DocumentModel } from '../../assemble/model.js';
import { BlockContext, blocks, table } from './blocks.js';
import { BULLET_NUMBERING, TEXT_WIDTH } from './styles.js';
import { titleBlockRows } from '../title-rows.js';

type Child = Paragraph | Table | TableOfContents;

const text = (t: string, format: { bold?: boolean; italics?: boolean; style?: string } = {}): TextRun => new TextRun({ text: t, ...format });
const code = (t: string): TextRun => text(t, { style: 'InlineCode' });

/**
 * The numbers Word will give the headings, in document order, worked out as Word counts them (Heading 1 counts on,
 * Heading 2 restarts after each Heading 1, Heading 3 after each Heading 2) and checked against the numbers in the
 * model. The DOCX does not type the numbers in, so a model whose numbers Word would not reproduce must not be
 * rendered silently.
 */
export function headingNumbers(model: DocumentModel): string[] {
  const wrong: string[] = [];
  const numbers: string[] = [];
  const expect = (got: string, want: string, what: string) => {
    numbers.push(want);
    if (got !== want) wrong.push(`${what}: the model says ${got}, Word numbers it ${want}`);
  };
  const subHeadings = (items: readonly Block[], prefix: string, counter: { n: number }, clauseId: string): void => {
    for (const b of items) {
      if (b.type === 'heading') {
        counter.n += 1;
        expect(b.number, `${prefix}.${counter.n}`, `sub-heading in clause ${clauseId}`);
      } else if (b.type === 'list') {
        for (const item of b.items) subHeadings(item, prefix, counter, clauseId);
      }
    }
  };
  let h1 = 0;
  for (const s of model.sections) {
    h1 += 1;
    expect(s.number, `${h1}`, `section "${s.title}"`);
    s.clauses.forEach((c, ci) => {
      expect(c.number, `${h1}.${ci + 1}`, `clause ${c.id}`);
      subHeadings(c.blocks, `${h1}.${ci + 1}`, { n: 0 }, c.id);
    });
  }
  expect(model.requirements.number, `${h1 + 1}`, 'requirements table');
  expect(model.provenance.number, `${h1 + 2}`, 'provenance annex');
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
    new Paragraph({ style: 'ClauseNote', children: [text(L.tocHint)] }),
    new TableOfContents(L.contents, { hyperlink: true, headingStyleRange: '1-3' }),
  );
  return out;
}

function heading1(title: string, pageBreakBefore = false): Paragraph {
  return new Paragraph({ style: 'Heading1', ...(pageBreakBefore ? { pageBreakBefore: true } : {}), children: [text(title)] });
}

function clauses(model: DocumentModel, ctx: BlockContext): Child[] {
  const L = model.labels;
  const out: Child[] = [];
  model.sections.forEach((s, si) => {
    out.push(heading1(s.title, si === 0));
    for (const c of s.clauses) {
      out.push(new Paragraph({ style: 'Heading2', children: [text(c.title)] }));
      out.push(...blocks(c.blocks, ctx));
      const meta = [c.requirementId ?? '', c.basis.length ? `${L.basis}: ${c.basis.join('; ')}` : ''].filter(Boolean).join(' · ');
      if (meta) out.push(new Paragraph({ style: 'ClauseNote', children: [text(meta)] }));
    }
  });
  return out;
}

/** Column widths of the requirements table, summing to the text width. */
export const REQUIREMENT_WIDTHS = [1250, TEXT_WIDTH - 1250 - 1050 - 1800 - 2000, 1050, 1800, 2000] as const;
/** Column widths of the provenance table, summing to the text width. */
export const PROVENANCE_WIDTHS = [850, TEXT_WIDTH - 850 - 1100 - 2600, 1100, 2600] as const;

function requirements(model: DocumentModel): Child[] {
  const r = model.requirements;
  const rc = model.labels.requirementColumns;
  return [
    heading1(r.title, true),
    new Paragraph({ children: [text(r.intro)] }),
    table({
      widths: REQUIREMENT_WIDTHS,
      header: [rc.id, rc.text, rc.level, rc.placement, rc.answer].map((h) => [text(h)]),
      rows: r.rows.map((row) => [[text(row.id)], [text(`${row.text} (${row.clauseNumber})`)], [text(row.levelText)], [text(row.placement)], []]),
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
    heading1(p.title),
    new Paragraph({ children: [text(p.intro)] }),
    field(pf.tool, [text(`${p.tool.name} ${p.tool.version}`)]),
    field(pf.answers, [text(p.answers.file), ...sha(p.answers.digest)]),
    field(pf.libraries, joined(p.libraries, (l) => [text(`${l.name} ${l.version}`), ...sha(l.digest)])),
    field(pf.policy, p.policy ? [text(p.policy.name), ...sha(p.policy.digest)] : [text(pf.none)]),
    field(pf.deviations, p.deviations.length ? joined(p.deviations, (d) => [text(`${d.rule}: ${d.message}`)]) : [text(pf.none)]),
    new Paragraph({ spacing: { after: 0 }, children: [] }),
    table({
      widths: PROVENANCE_WIDTHS,
      header: [pc.number, pc.clause, pc.version, pc.library].map((h) => [text(h)]),
      rows: p.clauses.map((c) => [[text(c.number)], [code(c.id)], [text(c.version)], [text(c.library)]]),
    }),
  ];
}

/** The body of the document, in reading order, and the numbering definitions its ordered lists need. */
export function documentBody(model: DocumentModel): { children: Child[]; ctx: BlockContext } {
  const ctx = new BlockContext();
  const children = [...titleBlock(model), ...clauses(model, ctx), ...requirements(model), ...provenance(model)];
  return { children, ctx };
}

