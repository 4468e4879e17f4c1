import { z } from 'zod';
import type { Library } from '../library/library.js';
import type { Problem } from '../library/problems.js';
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
    if (ids.has(r.id)) out.push({ severity: 'error', file, field: `${field}.id`, message: `duplicate rule id "${r.id}"` });
    ids.add(r.id);
    if ('requireClauses' in r) {
      for (const c of r.requireClauses) if (!library.byId.has(c)) out.push({ severity: 'error', file, field, message: `unknown clause "${c}"`, hint: 'See `dataklausul clauses list`.' });
    }
    if ('requireFormats' in r) {
      for (const f of r.requireFormats) if (!library.formats.has(f)) out.push({ severity: 'error', file, field, message: `unknown format "${f}"`, hint: 'Use an id from clauses/formats.yaml.' });
    }
    if ('allowValues' in r && !Object.hasOwn(ANSWER_PATHS, r.allowValues.answer)) {
      out.push({ severity: 'error', file, field: `${field}.allowValues.answer`, message: `unknown answer "${r.allowValues.answer}"` });
    }
    if ('param' in r) {
      const c = library.byId.get(r.param.clause);
      if (!c) out.push({ severity: 'error', file, field: `${field}.param.clause`, message: `unknown clause "${r.param.clause}"` });
      else if (!Object.hasOwn(c.meta.params, r.param.name)) {
        out.push({ severity: 'error', file, field: `${field}.param.name`, message: `clause ${r.param.clause} has no parameter "${r.param.name}"`, hint: `Its parameters: ${Object.keys(c.meta.params).join(', ') || 'none'}.` });
      }
    }
  });
  return out;
}

/** Clauses a policy requires, for selection: they are included whatever their own condition says. */
export function policyRequiredClauses(policy: Policy | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of policy?.rules ?? []) {
    if ('requireClauses' in r) for (const c of r.requireClauses) if (!out.has(c)) out.set(c, `required by policy ${policy!.name}, rule ${r.id}`);
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
  message: string;
}

/** Every rule the answers and the selection break, before deviations are taken into account. Pure. */
export function policyViolations(policy: Policy, answers: Answers, selection: Selection): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  for (const r of policy.rules) {
    if ('requireClauses' in r) {
      for (const c of r.requireClauses) {
        if (!selection.included.some((s) => s.clause.meta.id === c)) violations.push({ rule: r.id, message: `clause ${c} is not in the appendix` });
      }
    } else if ('requireFormats' in r) {
      const missing = r.requireFormats.filter((f) => !answers.formats.includes(f));
      if (missing.length) violations.push({ rule: r.id, field: 'formats', message: `formats must include ${missing.join(', ')}` });
    } else if ('allowValues' in r) {
      const v = readPath(answers, r.allowValues.answer);
      if (!r.allowValues.values.includes(v as string)) {
        violations.push({ rule: r.id, field: r.allowValues.answer.replace(/\./g, ' › '), message: `${r.allowValues.answer} is ${JSON.stringify(v)}; the policy allows ${r.allowValues.values.join(', ')}` });
      }
    } else if ('param' in r) {
      const inc = selection.included.find((s) => s.clause.meta.id === r.param.clause);
      const v = inc?.params[r.param.name];
      if (typeof v === 'number') {
        if (r.param.max !== undefined && v > r.param.max) violations.push({ rule: r.id, field: `params › ${r.param.clause} › ${r.param.name}`, message: `${v} is above the policy's maximum ${r.param.max}` });
        if (r.param.min !== undefined && v < r.param.min) violations.push({ rule: r.id, field: `params › ${r.param.clause} › ${r.param.name}`, message: `${v} is below the policy's minimum ${r.param.min}` });
      }
    } else if ('requirementLevel' in r && r.requirementLevel === 'skal') {
      const weakened = Object.entries(answers.requirementLevels).filter(([, l]) => l === 'bør').map(([t]) => t);
      if (weakened.length) violations.push({ rule: r.id, field: 'requirementLevels', message: `requirements are weighted ("bør") for ${weakened.join(', ')}; the policy makes them mandatory` });
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
      problems.push({
        severity: 'error',
        file,
        field: v.field,
        message: `breaks policy ${policy.name} rule ${v.rule}: ${v.message}`,
        hint: `Change the answer, or record an accepted deviation in the answers file: deviations: [{ rule: ${v.rule}, reason: "…" }].`,
      });
    }
  }
  for (const d of answers.deviations) {
    // Deviations from the library's own consistency rules are checked there, not here.
    if (!used.has(d.rule) && !DEVIABLE_RULE_IDS.has(d.rule)) {
      problems.push({ severity: 'warning', file, field: 'deviations', message: `deviation from rule "${d.rule}" is recorded but the rule is not broken${policy.rules.some((r) => r.id === d.rule) ? '' : ' (no such rule in the policy)'}`, hint: 'Remove it.' });
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
  const err = (i: number, message: string, hint?: string): Problem => ({ severity: 'error', file, field: `rules[${i}]`, message, hint });
  const ranges = new Map<string, Array<{ i: number; min: number; max: number }>>();
  const allowed = new Map<string, Array<{ i: number; values: Set<string> }>>();
  const required = new Map<string, number>();
  policy.rules.forEach((r, i) => {
    if ('param' in r) {
      const { clause, name, min, max } = r.param;
      if (min !== undefined && max !== undefined && min > max) out.push(err(i, `rule ${r.id}: min ${min} is above max ${max}`, 'Swap them.'));
      const p = library.byId.get(clause)?.meta.params[name];
      if (p && 'min' in p) {
        const pMin = p.min ?? -Infinity;
        const pMax = 'max' in p && p.max !== undefined ? p.max : Infinity;
        if ((min !== undefined && min > pMax) || (max !== undefined && max < pMin)) {
          out.push(err(i, `rule ${r.id}: ${clause} ${name} must lie in ${min ?? '…'}–${max ?? '…'}, but the clause only allows ${p.min ?? '…'}–${'max' in p && p.max !== undefined ? p.max : '…'}`, 'No answer can meet this rule: change the range.'));
        }
      }
      const key = `${clause} ${name}`;
      const list = ranges.get(key) ?? [];
      for (const o of list) {
        if (Math.max(o.min, min ?? -Infinity) > Math.min(o.max, max ?? Infinity)) out.push(err(i, `rule ${r.id} contradicts rules[${o.i}] (${policy.rules[o.i]!.id}): their ranges for ${key} do not overlap`, 'Merge the two rules into one range.'));
      }
      list.push({ i, min: min ?? -Infinity, max: max ?? Infinity });
      ranges.set(key, list);
    } else if ('allowValues' in r) {
      const { answer, values } = r.allowValues;
      const spec = ANSWER_PATHS[answer];
      if (spec?.kind === 'enum' && spec.values) {
        const bad = values.filter((v) => !spec.values!.includes(String(v)));
        if (bad.length) out.push(err(i, `rule ${r.id}: ${answer} can never be ${bad.map((b) => JSON.stringify(b)).join(', ')}`, `Its values are ${spec.values.join(', ')}.`));
      } else if (spec?.kind === 'boolean' && values.some((v) => typeof v !== 'boolean')) {
        out.push(err(i, `rule ${r.id}: ${answer} is true or false`, 'Write values: [true] or [false].'));
      }
      const set = new Set(values.map(String));
      const list = allowed.get(answer) ?? [];
      for (const o of list) {
        if (![...set].some((v) => o.values.has(v))) out.push(err(i, `rule ${r.id} contradicts rules[${o.i}] (${policy.rules[o.i]!.id}): no value of ${answer} is allowed by both`, 'Merge the two rules.'));
      }
      list.push({ i, values: set });
      allowed.set(answer, list);
    } else if ('requireClauses' in r) {
      for (const c of r.requireClauses) if (!required.has(c)) required.set(c, i);
    }
  });
  for (const [id, i] of required) {
    for (const ex of library.byId.get(id)?.meta.excludes ?? []) {
      if (required.has(ex)) out.push(err(i, `the policy requires both ${id} and ${ex}, but ${id} excludes ${ex}`, 'Require only one of them.'));
    }
  }
  return out;
}
