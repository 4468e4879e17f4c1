import type { Test } from '../library/schema.js';
import type { Msg, Translate } from '../core/messages.js';

/**
 * Why a condition holds or fails, as data: rendered in the reader's language by `renderWhy`. A test that
 * failed (or a negated one) carries the answer actually given (`given`; `value` absent when not answered).
 */
export type Why =
  | { kind: 'test'; test: Test; negated: boolean; given?: { value?: unknown } }
  | { kind: 'all'; parts: Why[] }
  | { kind: 'noneOf'; parts: Why[] }
  | { kind: 'not'; inner: Why };

/** Why a clause is in or out of the appendix: a catalogue key (`reason.*`), its values, and the condition's explanation if any. */
export interface Reason extends Msg {
  why?: Why;
}

/**
 * What a reader calls an answer and its values (the interview's question and choice labels, in the reader's
 * language); without it, or where it knows no name, the answers file's path and value are shown.
 */
export interface AnswerNames {
  answer(path: string): string | undefined;
  value(path: string, value: unknown): string | undefined;
}

/** An answer value as written in the answers (JSON), or its label; `NaN` and infinities are named. */
const showValue = (path: string, v: unknown, names?: AnswerNames) => {
  const label = names?.value(path, v);
  if (label !== undefined) return JSON.stringify(label);
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v);
};
const showList = (path: string, vs: readonly unknown[], names?: AnswerNames) => vs.map((v) => (names?.value(path, v) !== undefined ? JSON.stringify(names.value(path, v)) : String(v))).join(', ');

function renderTest(t: Translate, test: Test, negated: boolean, names?: AnswerNames): string {
  const path = test.answer;
  const answer = names?.answer(path) ?? path;
  if (test.equals !== undefined) {
    const value = showValue(path, test.equals, names);
    return negated ? t('why.equalsNot', { answer, value }) : t('why.equals', { answer, value });
  }
  if (test.in) {
    const values = showList(path, test.in, names);
    return negated ? t('why.inNot', { answer, values }) : t('why.in', { answer, values });
  }
  if (test.includes !== undefined) {
    const value = showValue(path, test.includes, names);
    return negated ? t('why.includesNot', { answer, value }) : t('why.includes', { answer, value });
  }
  if (test.includesAny) {
    const values = showList(path, test.includesAny, names);
    return negated ? t('why.includesAnyNot', { answer, values }) : t('why.includesAny', { answer, values });
  }
  return test.isSet !== negated ? t('why.isSet', { answer }) : t('why.isSetNot', { answer });
}

/** A condition's explanation in one language. */
export function renderWhy(t: Translate, w: Why, names?: AnswerNames): string {
  switch (w.kind) {
    case 'test': {
      const text = renderTest(t, w.test, w.negated, names);
      if (!w.given) return text;
      const given = w.given.value;
      const value = given === undefined ? t('why.notAnswered') : Array.isArray(given) && names ? `[${showList(w.test.answer, given, names)}]` : showValue(w.test.answer, given, names);
      return t('why.withAnswer', { test: text, value });
    }
    case 'all':
      return w.parts.map((p) => renderWhy(t, p, names)).reduce((a, b) => t('why.and', { left: a, right: b }));
    case 'noneOf':
      return t('why.noneOf', { list: w.parts.map((p) => renderWhy(t, p, names)).join('; ') });
    case 'not':
      return t('why.not', { why: renderWhy(t, w.inner, names) });
  }
}

/** A clause's reason in one language. */
export function renderReason(t: Translate, r: Reason, names?: AnswerNames): string {
  return t(r.key, r.why ? { ...r.vars, why: renderWhy(t, r.why, names) } : r.vars);
}
