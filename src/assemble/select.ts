import type { LoadedClause } from '../library/load.js';
import type { Library } from '../library/library.js';
import type { Problem } from '../library/problems.js';
import type { Condition, Param, Test } from '../library/schema.js';
import { readPath, type Answers } from '../core/answers.js';
import { policyRequiredClauses, policyRulesRequiring, type Policy } from './policy.js';
import { say } from '../library/messages.js';
import { msg, type Msg, type Translate } from '../core/messages.js';
import { renderReason, renderWhy, type Reason, type Why } from './reasons.js';

export type { Reason, Why } from './reasons.js';

export interface IncludedClause {
  clause: LoadedClause;
  /** Why it is in, in English (`explain --json`); `because` is the same as a catalogue message, for the reader's language. */
  reason: string;
  because: Reason;
  /** Parameter values: the answers' values over the library defaults. */
  params: Record<string, unknown>;
}
export interface ExcludedClause {
  clause: LoadedClause;
  /** Why it is out, in English; `because` is the same as a catalogue message. */
  reason: string;
  because: Reason;
  /** Left out by the buyer (`omit` in the answers): the buyer's reason. */
  omitted?: string;
}
export interface Selection {
  included: IncludedClause[];
  excluded: ExcludedClause[];
  /** Conflicts and parameter errors; an appendix is not built while any is an error. */
  problems: Problem[];
}

/** An answer as the user wrote it; `NaN` and infinities are named, not shown as JSON's `null`. */
const show = (v: unknown) => (v === undefined ? 'not answered' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v));

function runTest(t: Test, answers: Answers): boolean {
  const v = readPath(answers, t.answer);
  if (t.equals !== undefined) return v === t.equals;
  if (t.in) return t.in.includes(v as string);
  if (t.includes !== undefined) return Array.isArray(v) && v.includes(t.includes);
  if (t.includesAny) return Array.isArray(v) && t.includesAny.some((x) => v.includes(x));
  const set = v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  return t.isSet ? set : !set;
}

const given = (v: unknown) => (v === undefined ? {} : { value: v });

/**
 * Evaluates a condition and explains the outcome: for a match, the tests that made it true; for a
 * miss, the first tests that made it false, with the answer actually given. `because` is the
 * explanation as data (for any language, `renderWhy`); `why` is it in English.
 */
export function evaluateCondition(cond: Condition, answers: Answers): { ok: boolean; why: string; because: Why } {
  const r = explainCondition(cond, answers);
  return { ok: r.ok, why: renderWhy(english, r.because), because: r.because };
}

function explainCondition(cond: Condition, answers: Answers): { ok: boolean; because: Why } {
  if ('all' in cond) {
    const results = cond.all.map((c) => explainCondition(c, answers));
    const failed = results.find((r) => !r.ok);
    return failed ? { ok: false, because: failed.because } : { ok: true, because: { kind: 'all', parts: results.map((r) => r.because) } };
  }
  if ('any' in cond) {
    const results = cond.any.map((c) => explainCondition(c, answers));
    const hit = results.find((r) => r.ok);
    return hit ? { ok: true, because: hit.because } : { ok: false, because: { kind: 'noneOf', parts: results.map((r) => r.because) } };
  }
  if ('not' in cond) {
    const inner = cond.not;
    if (!('all' in inner) && !('any' in inner) && !('not' in inner)) {
      // A negated test reads better as its opposite: `deliveryModel ≠ "on-premises" (answer: "saas")`.
      const ok = !runTest(inner, answers);
      return { ok, because: { kind: 'test', test: inner, negated: true, given: given(readPath(answers, inner.answer)) } };
    }
    const r = explainCondition(inner, answers);
    return { ok: !r.ok, because: { kind: 'not', inner: r.because } };
  }
  const ok = runTest(cond, answers);
  return { ok, because: ok ? { kind: 'test', test: cond, negated: false } : { kind: 'test', test: cond, negated: false, given: given(readPath(answers, cond.answer)) } };
}

/** English, for the `reason` texts kept for scripts (`explain --json`) and for problem messages. */
const english: Translate = (key, vars) => say('en', key, vars);

const reason = (m: Msg, why?: Why): Reason => ({ ...m, ...(why ? { why } : {}) });

function checkParamValue(name: string, p: Param, value: unknown, formats: ReadonlySet<string>): string | null {
  switch (p.type) {
    case 'integer':
    case 'amount':
    case 'duration': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `expected a number, got ${show(value)}. Write e.g. ${p.default}.`;
      if (p.type !== 'amount' && !Number.isInteger(value)) return `expected a whole number, got ${value}.`;
      if (value < 0) return `must not be negative, got ${value}.`;
      if (p.min !== undefined && value < p.min) return `${value} is below the minimum ${p.min}.`;
      if (p.max !== undefined && value > p.max) return `${value} is above the maximum ${p.max}.`;
      return null;
    }
    case 'enum':
      return typeof value === 'string' && p.values.includes(value) ? null : `expected one of ${p.values.join(', ')}, got ${show(value)}.`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `expected true or false, got ${show(value)}.`;
    case 'text':
      return typeof value === 'string' && value.trim() ? null : `expected text, got ${show(value)}.`;
    case 'formats': {
      if (!Array.isArray(value) || value.length === 0) return `expected a list of format ids, got ${show(value)}.`;
      const unknown = value.filter((v) => typeof v !== 'string' || !formats.has(v));
      return unknown.length ? `unknown format ${unknown.map((u) => JSON.stringify(u)).join(', ')}; see \`dataklausul clauses formats\` or clauses/formats.yaml.` : null;
    }
  }
}

/**
 * Adds to `reasons` (in place) the clauses that its clauses require, until nothing changes. A required clause in
 * `barred` is not added; the pair is reported in `blocked` (the requiring clause and the barred one).
 */
function pullRequired(reasons: Map<string, Reason>, library: Library, barred: ReadonlySet<string>): { reasons: Map<string, Reason>; blocked: Array<{ by: string; id: string }> } {
  const blocked: Array<{ by: string; id: string }> = [];
  const queue = [...reasons.keys()];
  while (queue.length) {
    const id = queue.shift()!;
    for (const req of library.byId.get(id)?.meta.requires ?? []) {
      if (barred.has(req)) {
        if (!blocked.some((b) => b.by === id && b.id === req)) blocked.push({ by: id, id: req });
        continue;
      }
      if (!reasons.has(req) && library.byId.has(req)) {
        reasons.set(req, reason(msg('reason.requiredBy', { clause: id })));
        queue.push(req);
      }
    }
  }
  return { reasons, blocked };
}

/**
 * The buyer's `omit` entries that may take effect, by clause id with the reason. Every other entry is an error
 * naming the entry and the clause: an unknown clause, one listed twice, one the answers do not select (nothing to
 * leave out), a required one (`required: true` in its metadata), or one a policy requires while the answers record
 * no deviation for that rule.
 */
function checkOmissions(
  answers: Answers,
  library: Library,
  file: string,
  selectable: ReadonlyMap<string, Reason>,
  byPolicy: ReadonlyMap<string, readonly string[]>,
  policyName: string,
  problems: Problem[],
): Map<string, string> {
  const out = new Map<string, string>();
  const deviated = new Set(answers.deviations.map((d) => d.rule));
  answers.omit.forEach((o, i) => {
    const field = `omit[${i}] › clause`;
    const bad = (message: string, hint: string) => problems.push({ severity: 'error', file, field, message, hint });
    const c = library.byId.get(o.clause);
    if (!c) return bad(`unknown clause "${o.clause}"`, 'Check the id with `dataklausul clauses list`, or `dataklausul explain FILE` for the clauses in this appendix.');
    if (out.has(o.clause)) return bad(`clause ${o.clause} is left out twice`, 'List each clause once.');
    if (c.meta.required) return bad(`clause ${o.clause} is required in every appendix and cannot be left out`, 'Remove this entry; the clause states what the rest of the appendix builds on.');
    const selected = selectable.get(o.clause);
    if (selected === undefined) {
      return bad(`clause ${o.clause} is not in this appendix, so there is nothing to leave out`, 'Remove this entry; `dataklausul explain FILE` shows why the clause is not selected.');
    }
    const rules = (byPolicy.get(o.clause) ?? []).filter((r) => !deviated.has(r));
    if (rules.length) {
      return bad(
        `clause ${o.clause} is required by policy ${policyName}, rule ${rules.join(', rule ')}; it can only be left out with a recorded deviation from ${rules.length === 1 ? 'that rule' : 'each of those rules'}`,
        `Add to deviations: { rule: ${rules[0]}, reason: "…" } (and approvedBy), or remove this entry.`,
      );
    }
    out.set(o.clause, o.reason);
  });
  return out;
}

/**
 * The included clauses the buyer can leave out on its own (one more `omit` entry would be accepted), in selection
 * order: not required, not required by another included clause, and not required by a policy rule without a
 * recorded deviation. For the interview's offer to omit a clause. Pure.
 */
export function omittableClauses(answers: Answers, selection: Selection, library: Library, policy: Policy | null = null): string[] {
  const included = new Set(selection.included.map((s) => s.clause.meta.id));
  const deviated = new Set(answers.deviations.map((d) => d.rule));
  const byPolicy = policyRulesRequiring(policy);
  return selection.included
    .map((s) => s.clause.meta)
    .filter((m) => !m.required)
    .filter((m) => !(byPolicy.get(m.id) ?? []).some((r) => !deviated.has(r)))
    .filter((m) => ![...included].some((other) => other !== m.id && library.byId.get(other)!.meta.requires.includes(m.id)))
    .map((m) => m.id);
}

/**
 * Decides, for every clause in the library, whether it is in the appendix and why. Pure.
 * Conditions select; a policy's required clauses are always in; `requires` pulls clauses in;
 * `excludes` between two included clauses is a conflict the user must resolve.
 */
export function selectClauses(answers: Answers, library: Library, answersFile = 'answers', policy: Policy | null = null): Selection {
  const problems: Problem[] = [];
  const reasons = new Map<string, Reason>();
  const failed = new Map<string, Reason>();
  for (const c of library.clauses) {
    if (!c.meta.when) {
      reasons.set(c.meta.id, reason(msg('reason.always')));
      continue;
    }
    const r = explainCondition(c.meta.when, answers);
    if (r.ok) reasons.set(c.meta.id, reason(msg('reason.conditionMet'), r.because));
    else failed.set(c.meta.id, reason(msg('reason.conditionNotMet'), r.because));
  }
  for (const [id, rule] of policyRequiredClauses(policy)) {
    if (!reasons.has(id) && library.byId.has(id)) {
      reasons.set(id, reason(msg('reason.policy', { policy: policy!.name, rule })));
      failed.delete(id);
    }
  }
  // What the answers would select without any `omit`: only those clauses can be left out.
  const selectable = pullRequired(new Map(reasons), library, new Set()).reasons;
  const omitted = checkOmissions(answers, library, answersFile, selectable, policyRulesRequiring(policy), policy?.name ?? '', problems);
  for (const id of omitted.keys()) reasons.delete(id);
  // Pull in required clauses until nothing changes; a clause left out by the buyer stays out, and an included clause that needs it is an error.
  const pulled = pullRequired(reasons, library, new Set(omitted.keys()));
  for (const id of reasons.keys()) failed.delete(id);
  for (const id of new Set(pulled.blocked.map((b) => b.id))) {
    const by = pulled.blocked.filter((b) => b.id === id).map((b) => b.by);
    const entry = answers.omit.findIndex((o) => o.clause === id);
    problems.push({
      severity: 'error',
      file: answersFile,
      field: `omit[${entry}] › clause`,
      message: `clause ${id} cannot be left out: ${by.map((b) => `${b} (${renderReason(english, reasons.get(b)!)})`).join(', ')} ${by.length === 1 ? 'requires' : 'require'} it`,
      hint: `Leave out ${by.join(', ')} as well, or keep ${id}.`,
    });
  }
  const conflictReason = new Map<string, string>();
  for (const id of reasons.keys()) {
    const c = library.byId.get(id)!;
    for (const ex of c.meta.excludes) {
      if (reasons.has(ex)) {
        const a = [id, ex].sort();
        const key = `conflict:${a.join('|')}`;
        if (!conflictReason.has(key)) {
          conflictReason.set(key, '');
          problems.push({
            severity: 'error',
            file: answersFile,
            message: `clauses ${id} (${renderReason(english, reasons.get(id)!)}) and ${ex} (${renderReason(english, reasons.get(ex)!)}) exclude each other`,
            hint: 'Change the answers so that only one of them applies.',
          });
        }
      }
    }
  }
  const excludedBy = new Map<string, string>();
  for (const id of reasons.keys()) {
    for (const ex of library.byId.get(id)!.meta.excludes) if (!reasons.has(ex) && !excludedBy.has(ex)) excludedBy.set(ex, id);
  }

  const formatIds = new Set(library.formats.keys());
  for (const [clauseId, values] of Object.entries(answers.params)) {
    const c = library.byId.get(clauseId);
    if (!c) {
      problems.push({ severity: 'error', file: answersFile, field: `params › ${clauseId}`, message: `unknown clause "${clauseId}"`, hint: 'Check the id with `dataklausul clauses list`.' });
      continue;
    }
    // Every given value is checked, whether or not its clause is selected: a value is never
    // carried along unchecked (and a bad one would surface only when the answers change).
    for (const name of Object.keys(values)) {
      const p = Object.hasOwn(c.meta.params, name) ? c.meta.params[name] : undefined;
      if (p) {
        const bad = checkParamValue(name, p, values[name], formatIds);
        if (bad) problems.push({ severity: 'error', file: answersFile, field: `params › ${clauseId} › ${name}`, message: bad });
      } else {
        const known = Object.keys(c.meta.params);
        problems.push({
          severity: 'error',
          file: answersFile,
          field: `params › ${clauseId} › ${name}`,
          message: `clause ${clauseId} has no parameter "${name}"`,
          hint: known.length ? `Its parameters are: ${known.join(', ')}.` : 'It takes no parameters.',
        });
      }
    }
  }

  const included: IncludedClause[] = [];
  const excluded: ExcludedClause[] = [];
  for (const c of library.clauses) {
    const id = c.meta.id;
    const because = reasons.get(id);
    if (because === undefined) {
      const by = excludedBy.get(id);
      const omission = omitted.get(id);
      const out = omission !== undefined ? reason(msg('explain.omitted', { reason: omission })) : (failed.get(id) ?? (by ? reason(msg('reason.excludedBy', { clause: by })) : reason(msg('reason.notSelected'))));
      excluded.push({ clause: c, reason: renderReason(english, out), because: out, ...(omission !== undefined ? { omitted: omission } : {}) });
      continue;
    }
    const given = Object.hasOwn(answers.params, id) ? answers.params[id]! : {};
    const params: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(c.meta.params)) {
      const isGiven = Object.hasOwn(given, name);
      const value = isGiven ? given[name] : p.default;
      // Given values were checked above; a default is checked here (a library may set a bad one).
      const bad = isGiven ? null : checkParamValue(name, p, value, formatIds);
      if (bad) problems.push({ severity: 'error', file: answersFile, field: `params › ${id} › ${name}`, message: bad });
      params[name] = value;
    }
    included.push({ clause: c, reason: renderReason(english, because), because, params });
  }
  return { included, excluded, problems };
}
