import { z } from 'zod';
import type { Library } from '../library/library.js';
import { msg, type Msg } from '../core/messages.js';
import { say } from '../library/messages.js';
import { problemOf, type Problem } from '../library/problems.js';
import { AnswerPathSchema, ClauseIdSchema, ParamNameSchema, RequirementLevelSchema, SemverSchema } from '../library/schema.js';
import { ANSWER_PATHS, readPath, type Answers } from '../core/answers.js';
import { DEVIABLE_RULE_IDS } from './rules.js';
import type { Selection } from './select.js';

/**
 * An architecture policy: rules a municipal IT department wants every procurement to carry
 * ("every system gives us our data in open formats through a documented API, free at exit").
 * `build --policy FILE` enforces it; a rule may only be broken with a deviation recorded in the
 * answers file, and every deviation is printed in the appendix's provenance annex.
 */
const RuleBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case rule id'),
  description: z.string().min(1),
};

export const PolicyRuleSchema = z.union([
  z.strictObject({ ...RuleBase, requireClauses: z.array(ClauseIdSchema).min(1) }),
  z.strictObject({ ...RuleBase, requireFormats: z.array(z.string()).min(1) }),
  z.strictObject({ ...RuleBase, allowValues: z.strictObject({ answer: AnswerPathSchema, values: z.array(z.union([z.string(), z.boolean()])).min(1) }) }),
  z.strictObject({
    ...RuleBase,
    param: z.strictObject({ clause: ClauseIdSchema, name: ParamNameSchema, min: z.number().optional(), max: z.number().optional() }),
  }),
  z.strictObject({ ...RuleBase, requirementLevel: RequirementLevelSchema }),
]);
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

export const PolicySchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case policy name'),
  version: SemverSchema,
  title: z.string().min(1),
  rules: z.array(PolicyRuleSchema).min(1),
});
export type Policy = z.infer<typeof PolicySchema>;

export interface PolicyOutcome {
  /** Violations without a recorded deviation (errors), unused deviations (warnings). */
  problems: Problem[];
  /** Violations the answers file accepted, with its justification: go into the provenance annex. */
  deviations: Array<{ rule: string; message: string }>;
}

/** Cross-checks a policy against the library: clauses, formats, answers and params must exist. Pure. */
export function lintPolicy(policy: Policy, library: Library, file: string): Problem[] {
  const out: Problem[] = [];
  const ids = new Set<string>();
  policy.rules.forEach((r, i) => {
    const field = `rules[${i}]`;
    if (ids.has(r.id)) out.push(problemOf({ severity: 'error', file, field: `${field}.id` }, msg('policy.duplicateRule', { id: r.id })));
    ids.add(r.id);
    if ('requireClauses' in r) {
      for (const c of r.requireClauses) if (!library.byId.has(c)) out.push(problemOf({ severity: 'error', file, field }, msg('policy.unknownClause', { id: c }), msg('policy.unknownClause.hint')));
    }
    if ('requireFormats' in r) {
      for (const f of r.requireFormats) if (!library.formats.has(f)) out.push(problemOf({ severity: 'error', file, field }, msg('policy.unknownFormat', { id: f }), msg('policy.unknownFormat.hint')));
    }
    if ('allowValues' in r && !Object.hasOwn(ANSWER_PATHS, r.allowValues.answer)) {
      out.push(problemOf({ severity: 'error', file, field: `${field}.allowValues.answer` }, msg('policy.unknownAnswer', { answer: r.allowValues.answer })));
    }
    if ('param' in r) {
      const c = library.byId.get(r.param.clause);
      if (!c) out.push(problemOf({ severity: 'error', file, field: `${field}.param.clause` }, msg('policy.unknownClause', { id: r.param.clause }), msg('policy.unknownClause.hint')));
      else if (!Object.hasOwn(c.meta.params, r.param.name)) {
        out.push(problemOf({ severity: 'error', file, field: `${field}.param.name` }, msg('policy.unknownParam', { id: r.param.clause, name: r.param.name }), msg('policy.unknownParam.hint', { params: Object.keys(c.meta.params).join(', ') || '—' })));
      }
    }
  });
  return out;
}

/** Clauses a policy requires, for selection (they are included whatever their own condition says), each with the id of the first rule that requires it. */
export function policyRequiredClauses(policy: Policy | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of policy?.rules ?? []) {
    if ('requireClauses' in r) for (const c of r.requireClauses) if (!out.has(c)) out.set(c, r.id);
  }
  return out;
}

/** For each clause a policy requires, the ids of the rules that require it (a deviation from each is needed to leave it out). */
export function policyRulesRequiring(policy: Policy | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of policy?.rules ?? []) {
    if ('requireClauses' in r) for (const c of r.requireClauses) out.set(c, [...(out.get(c) ?? []), r.id]);
  }
  return out;
}

export interface PolicyViolation {
  rule: string;
  field?: string;
  /** In English; `msg` is the same as a catalogue message, for the user's language. */
  message: string;
  msg: Msg;
}

const violation = (rule: string, field: string | undefined, m: Msg): PolicyViolation => ({ rule, ...(field ? { field } : {}), message: say('en', m.key, m.vars), msg: m });

/** Every rule the answers and the selection break, before deviations are taken into account. Pure. */
export function policyViolations(policy: Policy, answers: Answers, selection: Selection): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  for (const r of policy.rules) {
    if ('requireClauses' in r) {
      for (const c of r.requireClauses) {
        if (!selection.included.some((s) => s.clause.meta.id === c)) violations.push(violation(r.id, undefined, msg('policy.violation.clause', { id: c })));
      }
    } else if ('requireFormats' in r) {
      const missing = r.requireFormats.filter((f) => !answers.formats.includes(f));
      if (missing.length) violations.push(violation(r.id, 'formats', msg('policy.violation.formats', { formats: missing.join(', ') })));
    } else if ('allowValues' in r) {
      const v = readPath(answers, r.allowValues.answer);
      if (!r.allowValues.values.includes(v as string)) {
        violations.push(violation(r.id, r.allowValues.answer.replace(/\./g, ' › '), msg('policy.violation.value', { answer: r.allowValues.answer, value: JSON.stringify(v) ?? '—', allowed: r.allowValues.values.join(', ') })));
      }
    } else if ('param' in r) {
      const inc = selection.included.find((s) => s.clause.meta.id === r.param.clause);
      const v = inc?.params[r.param.name];
      if (typeof v === 'number') {
        if (r.param.max !== undefined && v > r.param.max) violations.push(violation(r.id, `params › ${r.param.clause} › ${r.param.name}`, msg('policy.violation.max', { value: v, max: r.param.max })));
        if (r.param.min !== undefined && v < r.param.min) violations.push(violation(r.id, `params › ${r.param.clause} › ${r.param.name}`, msg('policy.violation.min', { value: v, min: r.param.min })));
      }
    } else if ('requirementLevel' in r && r.requirementLevel === 'skal') {
      const weakened = Object.entries(answers.requirementLevels).filter(([, l]) => l === 'bør').map(([t]) => t);
      if (weakened.length) violations.push(violation(r.id, 'requirementLevels', msg('policy.violation.level', { topics: weakened.join(', ') })));
    }
  }
  return violations;
}

/** Checks the answers and the selection against the policy. Pure. */
export function checkPolicy(policy: Policy, answers: Answers, selection: Selection, file: string): PolicyOutcome {
  const violations = policyViolations(policy, answers, selection);
  const problems: Problem[] = [];
  const deviations: PolicyOutcome['deviations'] = [];
  const accepted = new Map(answers.deviations.map((d) => [d.rule, d.reason]));
  const used = new Set<string>();
  for (const v of violations) {
    const reason = accepted.get(v.rule);
    if (reason !== undefined) {
      used.add(v.rule);
      deviations.push({ rule: `${policy.name}/${v.rule}`, message: `${v.message} — ${reason}` });
    } else {
      // The violation's own words are filled in as English here; the wrapper follows the user's language.
      problems.push(problemOf({ severity: 'error', file, field: v.field }, msg('policy.breaks', { policy: policy.name, rule: v.rule, message: v.message }), msg('policy.breaks.hint', { rule: v.rule })));
    }
  }
  for (const d of answers.deviations) {
    // Deviations from the library's own consistency rules are checked there, not here.
    if (!used.has(d.rule) && !DEVIABLE_RULE_IDS.has(d.rule)) {
      const known = policy.rules.some((r) => r.id === d.rule);
      problems.push(problemOf({ severity: 'warning', file, field: 'deviations' }, known ? msg('policy.unusedDeviation', { rule: d.rule }) : msg('policy.unknownDeviation', { rule: d.rule }), msg('policy.unusedDeviation.hint')));
    }
  }
  return { problems, deviations };
}

/**
 * Rules that cannot all hold, or that no answer can meet: ranges that are empty or outside the
 * clause's own range, disjoint allowed values for one answer, values an answer can never take,
 * required clauses that exclude each other. Pure.
 */
export function policyContradictions(policy: Policy, library: Library, file: string): Problem[] {
  const out: Problem[] = [];
  const err = (i: number, message: Msg, hint: Msg): Problem => problemOf({ severity: 'error', file, field: `rules[${i}]` }, message, hint);
  const ranges = new Map<string, Array<{ i: number; min: number; max: number }>>();
  const allowed = new Map<string, Array<{ i: number; values: Set<string> }>>();
  const required = new Map<string, number>();
  policy.rules.forEach((r, i) => {
    if ('param' in r) {
      const { clause, name, min, max } = r.param;
      if (min !== undefined && max !== undefined && min > max) out.push(err(i, msg('policy.minAboveMax', { id: r.id, min, max }), msg('policy.minAboveMax.hint')));
      const p = library.byId.get(clause)?.meta.params[name];
      if (p && 'min' in p) {
        const pMin = p.min ?? -Infinity;
        const pMax = 'max' in p && p.max !== undefined ? p.max : Infinity;
        if ((min !== undefined && min > pMax) || (max !== undefined && max < pMin)) {
          out.push(err(i, msg('policy.outsideClause', { id: r.id, clause, name, min: min ?? '…', max: max ?? '…', clauseMin: p.min ?? '…', clauseMax: 'max' in p && p.max !== undefined ? p.max : '…' }), msg('policy.outsideClause.hint')));
        }
      }
      const key = `${clause} ${name}`;
      const list = ranges.get(key) ?? [];
      for (const o of list) {
        if (Math.max(o.min, min ?? -Infinity) > Math.min(o.max, max ?? Infinity)) out.push(err(i, msg('policy.rangesDisjoint', { id: r.id, other: `rules[${o.i}] (${policy.rules[o.i]!.id})`, key }), msg('policy.rangesDisjoint.hint')));
      }
      list.push({ i, min: min ?? -Infinity, max: max ?? Infinity });
      ranges.set(key, list);
    } else if ('allowValues' in r) {
      const { answer, values } = r.allowValues;
      const spec = ANSWER_PATHS[answer];
      if (spec?.kind === 'enum' && spec.values) {
        const bad = values.filter((v) => !spec.values!.includes(String(v)));
        if (bad.length) out.push(err(i, msg('policy.neverValue', { id: r.id, answer, values: bad.map((b) => JSON.stringify(b)).join(', ') }), msg('policy.neverValue.hint', { values: spec.values.join(', ') })));
      } else if (spec?.kind === 'boolean' && values.some((v) => typeof v !== 'boolean')) {
        out.push(err(i, msg('policy.boolean', { id: r.id, answer }), msg('policy.boolean.hint')));
      }
      const set = new Set(values.map(String));
      const list = allowed.get(answer) ?? [];
      for (const o of list) {
        if (![...set].some((v) => o.values.has(v))) out.push(err(i, msg('policy.valuesDisjoint', { id: r.id, other: `rules[${o.i}] (${policy.rules[o.i]!.id})`, answer }), msg('policy.valuesDisjoint.hint')));
      }
      list.push({ i, values: set });
      allowed.set(answer, list);
    } else if ('requireClauses' in r) {
      for (const c of r.requireClauses) if (!required.has(c)) required.set(c, i);
    }
  });
  for (const [id, i] of required) {
    for (const ex of library.byId.get(id)?.meta.excludes ?? []) {
      if (required.has(ex)) out.push(err(i, msg('policy.excludes', { id, ex }), msg('policy.excludes.hint')));
    }
  }
  return out;
}
