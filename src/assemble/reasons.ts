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

/** An answer value as written in the answers (JSON); `NaN` and infinities are named. */
const showValue = (v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v));

function renderTest(t: Translate, test: Test, negated: boolean): string {
  const answer = test.answer;
  if (test.equals !== undefined) {
    const value = JSON.stringify(test.equals);
    return negated ? t('why.equalsNot', { answer, value }) : t('why.equals', { answer, value });
  }
  if (test.in) {
    const values = test.in.join(', ');
    return negated ? t('why.inNot', { answer, values }) : t('why.in', { answer, values });
  }
  if (test.includes !== undefined) {
    const value = JSON.stringify(test.includes);
    return negated ? t('why.includesNot', { answer, value }) : t('why.includes', { answer, value });
  }
  if (test.includesAny) {
    const values = test.includesAny.join(', ');
    return negated ? t('why.includesAnyNot', { answer, values }) : t('why.includesAny', { answer, values });
  }
  return test.isSet !== negated ? t('why.isSet', { answer }) : t('why.isSetNot', { answer });
}

/** A condition's explanation in one language. */
export function renderWhy(t: Translate, w: Why): string {
  switch (w.kind) {
    case 'test': {
      const text = renderTest(t, w.test, w.negated);
      if (!w.given) return text;
      const value = 'value' in w.given && w.given.value !== undefined ? showValue(w.given.value) : t('why.notAnswered');
      return t('why.withAnswer', { test: text, value });
    }
    case 'all':
      return w.parts.map((p) => renderWhy(t, p)).reduce((a, b) => t('why.and', { left: a, right: b }));
    case 'noneOf':
      return t('why.noneOf', { list: w.parts.map((p) => renderWhy(t, p)).join('; ') });
    case 'not':
      return t('why.not', { why: renderWhy(t, w.inner) });
  }
}

/** A clause's reason in one language. */
export function renderReason(t: Translate, r: Reason): string {
  return t(r.key, r.why ? { ...r.vars, why: renderWhy(t, r.why) } : r.vars);
}
