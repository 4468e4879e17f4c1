import type { Answers } from '../core/answers.js';
import { lockBounds } from '../library/layers.js';
import type { Library } from '../library/library.js';
import type { Problem } from '../library/problems.js';
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
        out.push({
          severity: 'error',
          file,
          field: `params › ${id} › ${b.param}`,
          message: `${given} is outside ${b.min ?? '…'}–${b.max ?? '…'}, the range library ${b.library} allows for this locked clause`,
          hint: `Choose a value from ${b.min ?? '…'} to ${b.max ?? '…'}.`,
        });
      }
    }
  }
  return out;
}
