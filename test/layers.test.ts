import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importEdges, readSources, upwardImports } from './support/layers.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

describe('src/ layers (core < library < assemble < render < interview < schema < cli)', () => {
  const edges = importEdges(readSources(SRC));

  it('finds the imports it checks', () => {
    expect(edges.some((e) => e.from === 'cli/main.ts' && e.to === 'cli/pipeline.ts' && !e.typeOnly)).toBe(true);
    expect(edges.some((e) => e.from === 'library/schema.ts' && e.to === 'core/topics.ts')).toBe(true);
  });

  it('imports only point down', () => {
    expect(upwardImports(edges)).toEqual([]);
  });

  it('no module imports itself back at run time', () => {
    expect(importCycles(edges)).toEqual([]);
  });

  it('the checks catch an upward import and a circle', () => {
    const bad = importEdges({
      'library/lint.ts': "import { ANSWER_PATHS } from '../assemble/answers.js';",
      'assemble/answers.ts': "import type { X } from '../core/x.js';",
      'cli/main.ts': "const { a } = await import('./new-command.js');",
      'cli/new-command.ts': "export { b } from './main.js';",
      'extra/x.ts': "import './y.js';",
    });
    expect(upwardImports(bad)).toEqual([
      'library/lint.ts → assemble/answers.ts: library may not import from assemble',
      'extra/x.ts: folder "extra" is not in the layer order',
    ]);
    expect(importCycles(bad)).toEqual([['cli/main.ts', 'cli/new-command.ts', 'cli/main.ts']]);
  });
});
