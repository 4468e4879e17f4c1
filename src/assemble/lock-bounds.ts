import type { Answers } from '../core/answers.js';
import { lockBounds } from '../library/layers.js';
import type { Library } from '../library/library.js';
import { msg } from '../core/messages.js';
import { problemOf, type Problem } from '../library/problems.js';
import type { Selection } from './select.js';

/**
 * A layer's lock bounds a locked clause's parameters for everyone after it, answers files included:
 * a member municipality's procurement may not set a value the partnership did not allow. Pure.
 */
export function checkLockBounds(answers: Answers, selection: Selection, library: Library, file: string): Problem[] {
  const bounds = lockBounds(library.layers);
  const out: Problem[] = [];
  for (const s of selection.included) {
    const id = s.clause.meta.id;
    for (const b of bounds.get(id) ?? []) {
      const given = answers.params[id]?.[b.param];
      if (typeof given !== 'number') continue;
      if ((b.min !== undefined && given < b.min) || (b.max !== undefined && given > b.max)) {
        const range = { min: b.min ?? '…', max: b.max ?? '…' };
        out.push(problemOf({ severity: 'error', file, field: `params › ${id} › ${b.param}` }, msg('lock.outsideBounds', { given, ...range, library: b.library }), msg('lock.outsideBounds.hint', range)));
      }
    }
  }
  return out;
}
