import { ANSWER_PATHS } from '../core/answers.js';
import { TOPICS } from '../core/topics.js';
import type { Library } from '../library/library.js';
import { UserError, type Problem } from '../library/problems.js';
import { parseYamlSource } from '../library/yaml-source.js';

/**
 * A table of per-appendix overrides for `dataklausul batch --table`: one row per appendix, one
 * column per answer path (`buyer.name`, `buyer.orgNumber`, `procurement.reference`,
 * `params.exit/transition-period.days`, …). CSV (comma or semicolon, as spreadsheets write it) or
 * YAML (a list of mappings keyed by answer path). Rows are numbered from 1, the header not counted.
 */

export interface TableRow {
  /** 1-based, the header not counted. */
  row: number;
  /** Line in the file where the row starts. */
  line: number;
  /** Column → value as written (a string for CSV); empty cells are left out. */
  cells: Map<string, unknown>;
}

export interface Table {
  file: string;
  columns: string[];
  headerLine: number;
  rows: TableRow[];
}

/** How a column's text is read; from the answers schema, or a clause parameter's type. */
export type ColumnKind = 'text' | 'boolean' | 'number' | 'formats' | 'members' | 'structured';

/** Splits CSV text into records (RFC 4180 quoting; the separator is `,` or `;`, read from the header). */
export function parseCsv(text: string, file: string): { header: string[]; headerLine: number; records: Array<{ line: number; cells: string[] }> } {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records: Array<{ line: number; cells: string[] }> = [];
  let line = 1;
  let cells: string[] = [];
  let cell = '';
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0]!.trim() === '')) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"' && cell.trim() === '') {
      const quoteLine = line;
      cell = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new UserError(`${file}:${quoteLine}: a quoted cell is not closed; add the closing ".`);
        const q = src[i]!;
        if (q === '"') {
          if (src[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n' || (q === '\r' && src[i + 1] !== '\n')) line++;
        cell += q;
        i++;
      }
      const after = src.slice(i).match(/^[ \t]*/)![0];
      i += after.length;
      if (i < src.length && src[i] !== sep && src[i] !== '\n' && src[i] !== '\r') {
        throw new UserError(`${file}:${line}: text after a closing quote; put the whole cell in quotes and write a quote inside it as "".`);
      }
      continue;
    }
    if (c === sep) {
      cells.push(cell);
      cell = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      cell += c;
      i++;
    }
  }
  if (cell !== '' || cells.length) endRecord();
  const head = records.shift();
  if (!head) throw new UserError(`${file}: the table is empty; the first line names the columns, e.g. "buyer.name,buyer.orgNumber,procurement.reference".`);
  return { header: head.cells.map((h) => h.trim()), headerLine: head.line, records };
}

/** Reads a CSV or YAML table of overrides. Structural problems throw, naming the row and line. */
export function parseTable(text: string, file: string): Table {
  if (/\.ya?ml$/i.test(file)) return parseYamlTable(text, file);
  const { header, headerLine, records } = parseCsv(text, file);
  const problems: Problem[] = [];
  header.forEach((h, i) => {
    if (!h) problems.push({ severity: 'error', file, line: headerLine, field: `column ${i + 1}`, message: 'has no name', hint: 'Name it by an answer path, e.g. buyer.name, or remove it.' });
    else if (header.indexOf(h) !== i) problems.push({ severity: 'error', file, line: headerLine, field: `column ${i + 1} "${h}"`, message: `repeats column ${header.indexOf(h) + 1}` });
  });
  const rows = records.map((r, i) => {
    if (r.cells.length !== header.length) {
      problems.push({ severity: 'error', file, line: r.line, field: `row ${i + 1}`, message: `has ${r.cells.length} cells, the header has ${header.length}`, hint: 'Quote cells that contain the separator.' });
    }
    const cells = new Map<string, unknown>();
    r.cells.forEach((v, j) => {
      if (header[j] && v.trim() !== '') cells.set(header[j], v.trim());
    });
    return { row: i + 1, line: r.line, cells };
  });
  if (problems.length) throw new UserError(`${file}: the table cannot be read; nothing was written`, problems);
  if (!rows.length) throw new UserError(`${file}: the table has a header but no rows.`);
  return { file, columns: header, headerLine, rows };
}

function parseYamlTable(text: string, file: string): Table {
  const src = parseYamlSource(text, file);
  if (src.problems.length) throw new UserError(`${file}: not valid YAML`, src.problems);
  if (!Array.isArray(src.value) || !src.value.length) {
    throw new UserError(`${file}: expected a list with one mapping per appendix, keyed by answer path, e.g.\n- buyer.name: Eksempel kommune\n  buyer.orgNumber: "974760673"`);
  }
  const columns: string[] = [];
  const problems: Problem[] = [];
  const rows = (src.value as unknown[]).map((entry, i) => {
    const line = src.lineOf([i]) ?? 1;
    const cells = new Map<string, unknown>();
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({ severity: 'error', file, line, field: `row ${i + 1}`, message: 'expected a mapping of answer paths to values' });
    } else {
      for (const [k, v] of Object.entries(entry)) {
        if (!columns.includes(k)) columns.push(k);
        if (v !== null && v !== undefined && v !== '') cells.set(k, v);
      }
    }
    return { row: i + 1, line, cells };
  });
  if (problems.length) throw new UserError(`${file}: the table cannot be read; nothing was written`, problems);
  return { file, columns, headerLine: src.lineOf([0]) ?? 1, rows };
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** The kind of a column, or why it is not an answer path one row can set. */
export function columnKind(column: string, library: Library): ColumnKind | { error: string; hint?: string } {
  const known = ANSWER_PATHS[column];
  if (known) {
    switch (known.kind) {
      case 'boolean':
        return 'boolean';
      case 'record':
        return { error: 'is a group; give each entry its own column', hint: `e.g. requirementLevels.quality or params.exit/transition-period.days.` };
      case 'list':
        return column === 'formats' ? 'formats' : column === 'buyer.members' ? 'members' : 'structured';
      default:
        return (known.kind as string) === 'integer' || (known.kind as string) === 'number' ? 'number' : 'text';
    }
  }
  const level = /^requirementLevels\.(.+)$/.exec(column);
  if (level) return (TOPICS as readonly string[]).includes(level[1]!) ? 'text' : { error: `"${level[1]}" is not a topic`, hint: `Use one of: ${TOPICS.join(', ')}.` };
  const param = /^params\.([^.]+)\.([^.]+)$/.exec(column);
  if (param) {
    const clause = library.byId.get(param[1]!);
    if (!clause) return { error: `no clause "${param[1]}" in the libraries`, hint: 'Run `dataklausul clauses list` to see the ids.' };
    const p = clause.meta.params[param[2]!];
    if (!p) {
      const names = Object.keys(clause.meta.params);
      return { error: `clause ${param[1]} has no parameter "${param[2]}"`, hint: names.length ? `It has: ${names.join(', ')}.` : 'It has no parameters.' };
    }
    return p.type === 'boolean' ? 'boolean' : p.type === 'formats' ? 'formats' : p.type === 'enum' || p.type === 'text' ? 'text' : 'number';
  }
  const near = Object.keys(ANSWER_PATHS)
    .map((k) => ({ k, d: distance(column.toLowerCase(), k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  return { error: 'is not an answer path', hint: near && near.d <= 3 ? `Did you mean ${near.k}?` : 'Name columns by answer path, e.g. buyer.name, buyer.orgNumber, procurement.reference.' };
}

/** Checks every column name at once; an unknown column throws before anything is built. */
export function tableColumns(table: Table, library: Library): Map<string, ColumnKind> {
  const kinds = new Map<string, ColumnKind>();
  const problems: Problem[] = [];
  table.columns.forEach((column, i) => {
    const k = columnKind(column, library);
    if (typeof k === 'string') kinds.set(column, k);
    else problems.push({ severity: 'error', file: table.file, line: table.headerLine, field: `column ${i + 1} "${column}"`, message: k.error, hint: k.hint });
  });
  if (problems.length) throw new UserError(`${table.file}: the table has columns that no answer has; nothing was written`, problems);
  return kinds;
}

/** Turns a cell as written into the value the answers file would hold. CSV cells are text; YAML cells keep their type. */
export function cellValue(value: unknown, kind: ColumnKind, file: string): { value: unknown } | { error: string } {
  if (typeof value !== 'string') return { value };
  const flow = () => {
    const src = parseYamlSource(value, file);
    return src.problems.length ? { error: `not a valid YAML list or mapping: ${src.problems[0]!.message}` } : { value: src.value };
  };
  switch (kind) {
    case 'text':
      return { value };
    case 'boolean':
      if (/^(true|ja|yes)$/i.test(value)) return { value: true };
      if (/^(false|nei|no)$/i.test(value)) return { value: false };
      return { error: `expected true or false (or ja/nei), got "${value}"` };
    case 'number': {
      const n = value.replace(/[\s\u00a0]/g, '').replace(',', '.');
      return /^-?\d+(\.\d+)?$/.test(n) ? { value: Number(n) } : { error: `expected a number, got "${value}"` };
    }
    case 'formats':
      if (value.startsWith('[')) return flow();
      return { value: value.split(/[;,]/).map((s) => s.trim()).filter(Boolean) };
    case 'members': {
      if (value.startsWith('[')) return flow();
      const members = [];
      for (const part of value.split(';').map((s) => s.trim()).filter(Boolean)) {
        const m = /^(.+?)\s*\(([\d\s]+)\)$/.exec(part);
        if (!m) return { error: `expected "Name (organisation number)", several separated by ";", got "${part}"` };
        members.push({ name: m[1]!, orgNumber: m[2]!.replace(/\s+/g, '') });
      }
      return { value: members };
    }
    case 'structured':
      if (value.startsWith('[') || value.startsWith('{')) return flow();
      return { error: 'expected a YAML list, e.g. [{ rule: …, reason: … }]; or use a YAML table' };
  }
}

/** Sets a dotted answer path (`params.<clause id>.<name>` included) in a plain object, creating mappings on the way. */
export function setAnswerPath(target: Record<string, unknown>, column: string, value: unknown): void {
  const keys = column.split('.');
  let cur = target;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}
