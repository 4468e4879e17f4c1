import { CSV_SHEET_MARK } from '../core/answer-sheet.js';
import { ResponseError, type ReadResponse, type ReadRow } from './response.js';

/**
 * Reads a CSV answer sheet as a spreadsheet saves it again: UTF-8 with or without a byte order mark, or Windows-1252
 * (Excel's "CSV (semikolonseparert)"); `;`, `,` or tab between cells (taken from the identity line); quoted cells
 * with doubled quotes and line breaks; CRLF or LF.
 */
export function readCsvResponse(bytes: Uint8Array): ReadResponse {
  const text = decode(bytes);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (!firstLine.startsWith(CSV_SHEET_MARK) && !firstLine.startsWith(`"${CSV_SHEET_MARK}"`)) throw new ResponseError('noSheet', {});
  const after = firstLine.replace(/^"?dataklausul-answer-sheet"?/, '');
  const sep = after[0] === ';' || after[0] === ',' || after[0] === '\t' ? after[0] : ';';
  const records = parseCsv(text, sep);
  const identityCells = records[0] ?? [];
  const fields = new Map<string, string[]>();
  for (const cell of identityCells.slice(1)) {
    const at = cell.indexOf('=');
    if (at > 0) fields.set(cell.slice(0, at), [...(fields.get(cell.slice(0, at)) ?? []), cell.slice(at + 1)]);
  }
  const field = (k: string) => fields.get(k)?.[0] ?? '';
  const [toolName = '', toolVersion = ''] = field('tool').split(' ');
  const rows: ReadRow[] = [];
  const added: ReadRow[] = [];
  const seen = new Set<string>();
  for (const cells of records.slice(2)) {
    if (!cells.some((c) => c.trim())) continue;
    const id = (cells[0] ?? '').replace(/\s+/g, '');
    const row: ReadRow = { id, text: cells[1] ?? '', levelText: cells[2] ?? '', answer: cells[3] ?? '', comment: cells[4] ?? '', digest: (cells[5] ?? '').trim(), comments: [], pendingChanges: 0 };
    if (id && !seen.has(id)) {
      seen.add(id);
      rows.push(row);
    } else added.push(row);
  }
  return {
    format: 'csv',
    identity: {
      lang: field('lang'),
      date: '',
      answersFile: field('answers'),
      answersDigest: field('answersDigest'),
      tool: { name: toolName, version: toolVersion },
      libraries: (fields.get('library') ?? []).map((l) => {
        const [name = '', version = '', digest = ''] = l.split(' ');
        return { name, version, digest };
      }),
    },
    requirements: null,
    parts: field('parts').split(',').filter(Boolean),
    rows,
    added,
    pendingChanges: 0,
    comments: 0,
  };
}

function decode(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    // Excel's "Unicode text" is UTF-16 with a byte order mark.
    return new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes);
  }
  if (bytes.includes(0)) throw new ResponseError('notCsv', { detail: 'binary data' });
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** RFC 4180 records: quoted cells may hold the separator, doubled quotes and line breaks. */
export function parseCsv(text: string, sep: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === sep) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else cell += c;
    i++;
  }
  if (cell || cells.length) {
    cells.push(cell);
    records.push(cells);
  }
  return records;
}
