import type { ReportNode, Span } from './report.js';

/**
 * The evaluation report as a Word document, from the same content as the Markdown and HTML reports: headings, lists,
 * the comparison table; removed words struck through in red, added words underlined in green. Deterministic: the
 * package is pinned to `isoDate` like the appendix.
 */
export async function renderEvaluationDocx(nodes: readonly ReportNode[], title: string, langTag: string, isoDate: string): Promise<Uint8Array> {
  const { BorderStyle, Document, HeadingLevel, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } = await import('docx');
  const { pinPackage } = await import('../render/docx/deterministic.js');
  // Text a supplier typed into a CSV may hold characters XML cannot carry; they are dropped, never written.
  const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
  const runs = (spans: readonly Span[], size?: number) =>
    spans.map(
      (s) =>
        new TextRun({
          text: clean(s.text),
          ...(s.bold ? { bold: true } : {}),
          ...(s.del ? { strike: true, color: 'A0001A' } : {}),
          ...(s.ins ? { underline: {}, color: '0B6B1F' } : {}),
          ...(size ? { size } : {}),
        }),
    );
  const border = { style: BorderStyle.SINGLE, size: 4, color: 'B8BEC8' };
  const borders = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border };
  const level = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
  const children = nodes.flatMap((n): Array<InstanceType<typeof Paragraph> | InstanceType<typeof Table>> => {
    if (n.type === 'heading') return [new Paragraph({ heading: level[n.level], children: [new TextRun(clean(n.text))] })];
    if (n.type === 'paragraph') return [new Paragraph({ children: runs(n.spans) })];
    if (n.type === 'list') return n.items.map((i) => new Paragraph({ numbering: { reference: 'bullets', level: 0 }, children: runs(i) }));
    const cell = (spans: readonly Span[], head: boolean) =>
      new TableCell({ ...(head ? { shading: { fill: 'E7E9EE', color: 'auto', type: 'clear' as const } } : {}), children: [new Paragraph({ children: runs(head ? spans.map((s) => ({ ...s, bold: true })) : spans, 18) })] });
    return [
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        borders,
        rows: [new TableRow({ tableHeader: true, children: n.header.map((h) => cell([{ text: clean(h) }], true)) }), ...n.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c) => cell(c, false)) }))],
      }),
    ];
  });
  const doc = new Document({
    title,
    creator: 'dataklausul',
    lastModifiedBy: 'dataklausul',
    revision: 1,
    styles: { default: { document: { run: { font: 'DejaVu Sans', size: 21, language: { value: langTag } } } } },
    numbering: { config: [{ reference: 'bullets', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•', style: { paragraph: { indent: { left: 360, hanging: 260 } } } }] }] },
    sections: [{ children }],
  });
  return pinPackage(new Uint8Array(await Packer.toBuffer(doc)), isoDate);
}
