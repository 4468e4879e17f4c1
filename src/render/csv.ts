import { CSV_SHEET_MARK, FORMULA_START } from '../core/answer-sheet.js';
import type { DocumentModel } from '../assemble/model.js';

/**
 * The requirements table as a CSV answer sheet (`--format csv`), for suppliers who answer in a spreadsheet.
 *
 * - UTF-8 with a byte order mark, `;` between cells and CRLF line ends: what Excel with Norwegian settings (decimal
 *   comma, so `;` as list separator) opens without an import dialogue, and what LibreOffice detects.
 * - The first line is the sheet's identity (answers digest, tool, parts, libraries), the second the column headings; then one
 *   line per requirement: id, text (with its clause number), level, answer, comment, and the digest of the text.
 * - Every cell is quoted when it holds `;`, `"`, a line break or leading or trailing space; a cell that starts with
 *   `=`, `+`, `-`, `@` (a formula to a spreadsheet) gets a leading `'`, which the reader removes again.
 */
export function renderCsvSheet(model: DocumentModel): string {
  const L = model.labels;
  const p = model.provenance;
  const lines: string[][] = [
    [
      CSV_SHEET_MARK,
      'version=1',
      `lang=${model.lang}`,
      `answers=${p.answers.file}`,
      `answersDigest=${p.answers.digest}`,
      `tool=${p.tool.name} ${p.tool.version}`,
      // The parts whose tables the sheet has: all of them, or one with --split.
      `parts=${model.parts.filter((x) => x.requirements).map((x) => x.slug).join(',')}`,
      ...p.libraries.map((l) => `library=${l.name} ${l.version} ${l.digest}`),
    ],
    [L.requirementColumns.id, L.requirementColumns.text, L.requirementColumns.level, L.answerSheetColumns.answer, L.answerSheetColumns.comment, L.answerSheetColumns.digest],
  ];
  for (const part of model.parts) {
    for (const r of part.requirements?.rows ?? []) lines.push([r.id, `${r.text} (${r.clauseNumber})`, r.levelText, '', '', r.digests[model.lang] ?? '']);
  }
  return `\ufeff${lines.map((cells) => cells.map(csvCell).join(';')).join('\r\n')}\r\n`;
}

/** One cell, quoted where needed, a formula start defused. */
export function csvCell(value: string): string {
  const v = FORMULA_START.test(value) ? `'${value}` : value;
  return /[;",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export async function renderCsvBytes(model: DocumentModel): Promise<Uint8Array> {
  return new TextEncoder().encode(renderCsvSheet(model));
}
