import { stringify } from 'yaml';
import { LANGUAGES, readPath } from '../core/answers.js';
import { LibraryPinSchema } from '../core/pins.js';
import type { Library } from '../library/library.js';
import { RequirementLevelSchema, TOPICS, type Param } from '../library/schema.js';
import type { InterviewSpec, Question } from './spec.js';
import { dateSchema, numberSchema, orgNumberSchema, textSchema } from './validate.js';

/**
 * Answers files written by the interview, and partial answers read back for resuming. Pure: the
 * CLI reads and writes the bytes.
 */

const ORDER = ['schemaVersion', 'language', 'date', 'buyer', 'procurement', 'deliveryModel', 'sector', 'data', 'access', 'formats', 'exportMatrix', 'pricing', 'licence', 'requirementLevels', 'deviations', 'omit', 'params'];
const SUB_ORDER: Record<string, string[]> = {
  buyer: ['name', 'orgNumber', 'partnership', 'members'],
  procurement: ['title', 'reference', 'contractType', 'appendixLabel', 'description'],
  data: ['personal', 'specialCategories', 'geodata', 'sensor', 'archival', 'openPublication'],
  access: ['api', 'bulkExport', 'realTime'],
  pricing: ['routineExport', 'apiUsage', 'exitExport', 'exitAssistance'],
};

function ordered(obj: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [...order, ...Object.keys(obj).filter((k) => !order.includes(k))]) {
    const v = obj[k];
    if (v === undefined) continue;
    if (Array.isArray(v) && !v.length) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length) continue;
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && SUB_ORDER[k] ? ordered(v as Record<string, unknown>, SUB_ORDER[k]!) : v;
  }
  return out;
}

/**
 * YAML for an answers file (or a draft): a comment header, the schema line for editors, then the
 * answers in the order of the answers schema. Empty lists and mappings are left out.
 */
export function serializeAnswers(answers: Record<string, unknown>, opts: { header: string; schemaPath: string }): string {
  const body = stringify(ordered(answers, ORDER), { lineWidth: 0, defaultStringType: 'PLAIN' });
  const header = opts.header
    .split('\n')
    .map((l) => `# ${l}`.trimEnd())
    .join('\n');
  return `# yaml-language-server: $schema=${opts.schemaPath}\n${header}\n${body}`;
}

/** Kebab-case ASCII file name from a title: "Skybasert system for personal og lønn" → "skybasert-system-for-personal-og-lonn". */
export function slugify(title: string): string {
  const folded = title
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
  const slug = folded
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'dataklausul';
}

function validScalar(q: Pick<Question, 'type' | 'choices' | 'optional' | 'min' | 'max'>, value: unknown): unknown {
  const errors = { required: '', orgDigits: '', orgCheck: '', number: '', integer: '', min: '', max: '', rangeTo: '', rangeFrom: '', date: '', dateReal: '', atLeastOne: '', exists: '', invalid: '', memberIsBuyer: '', memberTwice: '', hostUnknown: '' };
  switch (q.type) {
    case 'text': {
      const r = textSchema(errors, false).safeParse(value);
      return r.success ? r.data : undefined;
    }
    case 'orgnr': {
      const r = orgNumberSchema(errors).safeParse(typeof value === 'number' ? String(value) : value);
      return r.success ? r.data : undefined;
    }
    case 'confirm':
      return typeof value === 'boolean' ? value : undefined;
    case 'select':
      return typeof value === 'string' && q.choices?.some((c) => c.value === value) ? value : undefined;
    case 'checkbox':
      return Array.isArray(value) ? value.filter((v) => q.choices?.some((c) => c.value === v)) : undefined;
    case 'date': {
      const s = value instanceof Date ? value.toISOString().slice(0, 10) : value;
      const r = dateSchema(errors).safeParse(s);
      return r.success ? r.data : undefined;
    }
    case 'number': {
      if (typeof value !== 'number') return undefined;
      const r = numberSchema(errors, { integer: true, min: q.min, max: q.max, example: 1 }).safeParse(String(value));
      return r.success ? r.data : undefined;
    }
    default:
      return undefined;
  }
}

function validParam(p: Param, value: unknown, formatIds: ReadonlySet<string>): boolean {
  switch (p.type) {
    case 'integer':
    case 'amount':
    case 'duration':
      return typeof value === 'number' && Number.isFinite(value) && value >= (p.min ?? 0) && (p.max === undefined || value <= p.max) && (p.type === 'amount' || Number.isInteger(value));
    case 'enum':
      return typeof value === 'string' && p.values.includes(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'text':
      return typeof value === 'string' && value.trim() !== '';
    case 'formats':
      return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && formatIds.has(v));
  }
}

/**
 * Keeps, from a partial answers file (a draft, or a complete file being revised), every answer
 * that is valid on its own; the rest is dropped and listed, and asked again. Partial files are
 * never validated as a whole.
 */
export function sanitizePartialAnswers(raw: unknown, spec: InterviewSpec, library: Library): { answers: Record<string, unknown>; dropped: string[] } {
  const answers: Record<string, unknown> = {};
  const dropped: string[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { answers, dropped };
  const set = (path: string, v: unknown) => {
    const keys = path.split('.');
    let cur = answers;
    for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
    cur[keys[keys.length - 1]!] = v;
  };
  const formatIds = new Set(library.formats.keys());
  for (const q of spec.questions) {
    const value = readPath(raw, q.id);
    if (value === undefined || value === null) continue;
    let ok: unknown;
    if (q.type === 'members') {
      ok = Array.isArray(value)
        ? value
            .map((m) => {
              const role = q.fields?.find((f) => f.id === 'role');
              const r = role?.type === 'select' ? validScalar({ type: 'select', choices: role.choices }, readPath(m, 'role')) : undefined;
              return { name: validScalar({ type: 'text' }, readPath(m, 'name')), orgNumber: validScalar({ type: 'orgnr' }, readPath(m, 'orgNumber')), ...(r !== undefined ? { role: r } : {}) };
            })
            .filter((m) => m.name !== undefined && m.orgNumber !== undefined)
        : undefined;
    } else if (q.type === 'formats') {
      ok = Array.isArray(value) ? value.filter((v) => typeof v === 'string' && formatIds.has(v)) : undefined;
      if (Array.isArray(ok) && !ok.length) ok = undefined;
    } else if (q.type === 'levels') {
      const levels: Record<string, string> = {};
      if (typeof value === 'object' && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) if ((TOPICS as readonly string[]).includes(k) && RequirementLevelSchema.safeParse(v).success) levels[k] = v as string;
      }
      ok = levels;
    } else {
      ok = validScalar(q, value);
    }
    if (ok === undefined) dropped.push(q.id);
    else set(q.id, ok);
  }
  // The export matrix rows the officer set (asked with the formats): known data kinds and format ids only.
  const matrix = readPath(raw, 'exportMatrix');
  if (matrix && typeof matrix === 'object' && !Array.isArray(matrix)) {
    const kept: Record<string, string[]> = {};
    for (const [kind, ids] of Object.entries(matrix as Record<string, unknown>)) {
      if (library.dataKinds.has(kind) && Array.isArray(ids) && ids.every((v) => typeof v === 'string' && formatIds.has(v))) kept[kind] = ids as string[];
      else dropped.push(`exportMatrix.${kind}`);
    }
    if (Object.keys(kept).length) answers.exportMatrix = kept;
  }
  const language = readPath(raw, 'language');
  if (typeof language === 'string' && (LANGUAGES as readonly string[]).includes(language)) answers.language = language;
  // Not asked by the interview (written by hand for `build --policy`), but kept when resuming.
  const deviations = readPath(raw, 'deviations');
  if (Array.isArray(deviations)) {
    const kept = deviations.filter((d) => typeof readPath(d, 'rule') === 'string' && typeof readPath(d, 'reason') === 'string' && Object.keys(d as object).length === 2);
    if (kept.length) answers.deviations = kept;
    if (kept.length !== deviations.length) dropped.push('deviations');
  }
  // Clauses left out on the summary screen, kept when resuming (an unknown clause is dropped).
  const omit = readPath(raw, 'omit');
  if (Array.isArray(omit)) {
    const kept = omit.filter((o) => {
      const clause = readPath(o, 'clause');
      const reason = readPath(o, 'reason');
      return typeof clause === 'string' && library.byId.has(clause) && typeof reason === 'string' && reason.trim() !== '' && Object.keys(o as object).length === 2;
    });
    if (kept.length) answers.omit = kept;
    if (kept.length !== omit.length) dropped.push('omit');
  }
  // Written by `build --lock` / `new --lock`, never asked: kept as it is, so that the build after
  // the interview still checks the pinned libraries (a broken lock is dropped and named).
  const lock = readPath(raw, 'lock');
  if (lock !== undefined && lock !== null) {
    if (LibraryPinSchema.array().safeParse(lock).success) answers.lock = lock;
    else dropped.push('lock');
  }
  const params = readPath(raw, 'params');
  if (params && typeof params === 'object' && !Array.isArray(params)) {
    const kept: Record<string, Record<string, unknown>> = {};
    for (const [id, values] of Object.entries(params as Record<string, unknown>)) {
      const clause = library.byId.get(id);
      if (!clause || !values || typeof values !== 'object') {
        dropped.push(`params.${id}`);
        continue;
      }
      for (const [name, v] of Object.entries(values as Record<string, unknown>)) {
        const p = clause.meta.params[name];
        if (p && validParam(p, v, formatIds)) kept[id] = { ...kept[id], [name]: v };
        else dropped.push(`params.${id}.${name}`);
      }
    }
    if (Object.keys(kept).length) answers.params = kept;
  }
  return { answers, dropped };
}
