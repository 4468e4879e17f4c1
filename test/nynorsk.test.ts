import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeLibraries } from '../src/library/library.js';
import { loadLibraries } from '../src/library/load.js';
import { ROOT } from './support/tools.js';

const { libraries } = await loadLibraries([path.join(ROOT, 'clauses')]);
const library = mergeLibraries(libraries);

/** The template tags of a text, with string arguments masked (nynorsk plurals differ: "sekund" "sekund"). */
function tags(text: string, dropModal: boolean): string[] {
  return [...text.matchAll(/\{\{[^}]*\}\}/g)]
    .map((m) => m[0].replace(/"[^"]*"/g, '""'))
    .filter((t) => !(dropModal && /^\{\{(?:shall|Shall)\}\}$/.test(t)))
    .sort();
}

describe('nynorsk clause texts', () => {
  it('the baseline declares nn and every clause has an nn text with a title', () => {
    expect(library.languages).toContain('nn');
    for (const c of library.clauses) expect(c.texts.nn?.title, c.meta.id).toBeTruthy();
  });

  it.each(library.clauses.map((c) => [c.meta.id, c] as const))('%s: nn keeps every helper, {{shall}} and variable of nb', (_id, c) => {
    const nb = c.texts.nb!;
    const nn = c.texts.nn!;
    // A clause whose nb text still has literal modal verbs (not yet converted to {{shall}}): compare the rest.
    const drop = !/\{\{[Ss]hall\}\}/.test(nb.body + (nb.requirement ?? ''));
    expect(tags(nn.body, drop)).toEqual(tags(nb.body, drop));
    expect(tags(nn.requirement ?? '', drop)).toEqual(tags(nb.requirement ?? '', drop));
    expect(Object.keys(nn.questions).sort()).toEqual(Object.keys(nb.questions).sort());
  });
});
