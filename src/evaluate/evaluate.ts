import { normalizeRequirementText, parseAnswer, requirementDigest, stripClauseNumber, type AnswerWords } from '../core/answer-sheet.js';
import type { DocumentModel } from '../assemble/model.js';
import { diffTokens, tokenize, type DiffPart } from '../library/word-diff.js';
import type { ReadResponse, ResponseError } from './response.js';

/**
 * Compares suppliers' answered appendices with the appendix that was sent (rebuilt from its answers file) and
 * summarises them: per supplier every "skal" not met or met in part, every "bør", unanswered rows, changed wording,
 * added and deleted rows, identity mismatches; then a matrix of all suppliers. Pure.
 */

export interface ExpectedRow {
  id: string;
  clauseId: string;
  number: string;
  /** The part's label, and its slug (as in the answer sheet). */
  part: string;
  partSlug: string;
  text: string;
  level: 'skal' | 'bør';
  levelText: string;
  digests: Record<string, string>;
}

/** The appendix as sent, in one language. */
export interface Expected {
  lang: string;
  answersFile: string;
  answersDigest: string;
  tool: { name: string; version: string };
  libraries: Array<{ name: string; version: string; digest: string }>;
  rows: ExpectedRow[];
}

/** The sent appendix's rows and identity, from its model. */
export function expectedFromModel(model: DocumentModel): Expected {
  return {
    lang: model.lang,
    answersFile: model.provenance.answers.file,
    answersDigest: model.provenance.answers.digest,
    tool: { ...model.provenance.tool },
    libraries: model.provenance.libraries.map((l) => ({ ...l })),
    rows: model.parts.flatMap((p) =>
      (p.requirements?.rows ?? []).map((r) => ({ id: r.id, clauseId: r.clauseId, number: r.clauseNumber, part: p.label, partSlug: p.slug, text: r.text, level: r.level, levelText: r.levelText, digests: { ...r.digests } })),
    ),
  };
}

export type RowStatus = 'met' | 'partly' | 'not-met' | 'unanswered' | 'unclear' | 'deleted';

export interface RowResult {
  id: string;
  level: 'skal' | 'bør';
  status: RowStatus;
  /** The supplier's comment: what follows the answer word, the comment column, and Word comments in the row. */
  comment: string;
  /** Set when the supplier changed the requirement's wording: the word diff from the sent text to the returned one. */
  wording?: DiffPart[];
  /** Set when the level cell no longer says what was sent. */
  levelChanged?: { sent: string; returned: string };
  pendingChanges: number;
}

export interface SupplierResult {
  supplier: string;
  file: string;
  format?: 'docx' | 'csv';
  /** The file could not be read: why, and the values for the message (evaluate.error.<kind>). */
  error?: { kind: ResponseError['key'] | 'lang' | 'other'; vars: Record<string, string> };
  /** Why the response belongs to another appendix; then no row is evaluated. */
  mismatch: Array<{ kind: 'answers' | 'libraries'; vars: Record<string, string> }>;
  rows: RowResult[];
  added: Array<{ id: string; text: string; answer: string }>;
  pendingChanges: number;
  comments: number;
  /** True when every "skal" is answered yes, with its wording and level as sent. */
  meetsAllSkal: boolean;
  counts: Record<'skal' | 'skalOk' | 'skalMet' | 'skalPartly' | 'skalNotMet' | 'bør' | 'børMet' | 'børPartly' | 'børNotMet' | 'unanswered' | 'changed' | 'deleted', number>;
}

export interface EvaluationReport {
  answersFile: string;
  answersDigest: string;
  lang: string;
  requirements: Array<{ id: string; level: 'skal' | 'bør'; number: string; part: string; text: string }>;
  suppliers: SupplierResult[];
  /** Every supplier read, matched and meeting every "skal". */
  ok: boolean;
}

const short = (d: string) => d.slice(0, 12);

function emptyCounts(): SupplierResult['counts'] {
  return { skal: 0, skalOk: 0, skalMet: 0, skalPartly: 0, skalNotMet: 0, bør: 0, børMet: 0, børPartly: 0, børNotMet: 0, unanswered: 0, changed: 0, deleted: 0 };
}

/** The reasons a response is not an answer to this appendix. */
function identityMismatch(read: ReadResponse, expected: Expected): SupplierResult['mismatch'] {
  const out: SupplierResult['mismatch'] = [];
  const id = read.identity;
  if (id.answersDigest !== expected.answersDigest)
    out.push({ kind: 'answers', vars: { file: id.answersFile || '?', digest: short(id.answersDigest) || '?', expectedFile: expected.answersFile, expected: short(expected.answersDigest) } });
  const key = (l: { name: string; version: string; digest: string }) => `${l.name} ${l.version} ${l.digest}`;
  const sent = new Set(id.libraries.map(key));
  const now = new Set(expected.libraries.map(key));
  if (sent.size !== now.size || [...sent].some((s) => !now.has(s)))
    out.push({
      kind: 'libraries',
      vars: { response: id.libraries.map((l) => `${l.name} ${l.version} (${short(l.digest)})`).join(', ') || '?', expected: expected.libraries.map((l) => `${l.name} ${l.version} (${short(l.digest)})`).join(', ') },
    });
  return out;
}

/** Evaluates one response against the appendix. */
export function evaluateResponse(supplier: string, file: string, read: ReadResponse, expected: Expected, vocabularies: readonly AnswerWords[]): SupplierResult {
  const result: SupplierResult = { supplier, file, format: read.format, mismatch: identityMismatch(read, expected), rows: [], added: [], pendingChanges: read.pendingChanges, comments: read.comments, meetsAllSkal: false, counts: emptyCounts() };
  if (result.mismatch.length) return result;
  const byId = new Map(expected.rows.map((r) => [r.id, r]));
  // A DOCX lists the rows it was sent with; a CSV sheet names its parts (all, or one with --split) and has their tables whole.
  const sentIds = read.requirements
    ? read.requirements.map((r) => r.id).filter((id) => byId.has(id))
    : expected.rows.filter((r) => !read.parts?.length || read.parts.includes(r.partSlug)).map((r) => r.id);
  const sent = new Set(sentIds);
  const returned = new Map(read.rows.map((r) => [r.id, r]));
  for (const id of sentIds) {
    const want = byId.get(id)!;
    const got = returned.get(id);
    const c = result.counts;
    c[want.level] += 1;
    if (!got) {
      result.rows.push({ id, level: want.level, status: 'deleted', comment: '', pendingChanges: 0 });
      c.deleted += 1;
      continue;
    }
    const answer = parseAnswer(got.answer, vocabularies);
    const status: RowStatus = { yes: 'met', no: 'not-met', partly: 'partly', empty: 'unanswered', unclear: 'unclear' }[answer.value] as RowStatus;
    const comment = [answer.comment, normalizeRequirementText(got.comment ?? ''), ...got.comments].filter(Boolean).join(' · ');
    const row: RowResult = { id, level: want.level, status, comment, pendingChanges: got.pendingChanges };
    const text = stripClauseNumber(got.text, want.number);
    if (requirementDigest(text) !== want.digests[expected.lang]) row.wording = diffTokens(tokenize(normalizeRequirementText(want.text)), tokenize(text));
    if (got.levelText && normalizeRequirementText(got.levelText) !== want.levelText) row.levelChanged = { sent: want.levelText, returned: normalizeRequirementText(got.levelText) };
    if (row.wording || row.levelChanged) c.changed += 1;
    if (status === 'unanswered' || status === 'unclear') c.unanswered += 1;
    const met = status === 'met' ? 'Met' : status === 'partly' ? 'Partly' : status === 'not-met' ? 'NotMet' : null;
    if (met) c[`${want.level}${met}` as keyof SupplierResult['counts']] += 1;
    result.rows.push(row);
  }
  for (const r of read.rows) if (!sent.has(r.id)) result.added.push({ id: r.id, text: normalizeRequirementText(r.text), answer: normalizeRequirementText(r.answer) });
  for (const r of read.added) result.added.push({ id: r.id, text: normalizeRequirementText(r.text), answer: normalizeRequirementText(r.answer) });
  const ok = (r: RowResult) => r.status === 'met' && !r.wording && !r.levelChanged;
  result.counts.skalOk = result.rows.filter((r) => r.level === 'skal' && ok(r)).length;
  result.meetsAllSkal = result.rows.every((r) => r.level !== 'skal' || ok(r));
  return result;
}

/** A supplier whose file could not be read. */
export function unreadable(supplier: string, file: string, kind: NonNullable<SupplierResult['error']>['kind'], vars: Record<string, string>): SupplierResult {
  return { supplier, file, error: { kind, vars }, mismatch: [], rows: [], added: [], pendingChanges: 0, comments: 0, meetsAllSkal: false, counts: emptyCounts() };
}

/** The whole report, suppliers in the order given. */
export function summarizeEvaluation(expected: Expected, suppliers: SupplierResult[]): EvaluationReport {
  return {
    answersFile: expected.answersFile,
    answersDigest: expected.answersDigest,
    lang: expected.lang,
    requirements: expected.rows.map((r) => ({ id: r.id, level: r.level, number: r.number, part: r.part, text: r.text })),
    suppliers,
    ok: suppliers.length > 0 && suppliers.every((s) => s.meetsAllSkal),
  };
}
