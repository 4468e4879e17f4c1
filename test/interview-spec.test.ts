import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_PATHS, AnswersSchema } from '../src/core/answers.js';
import { loadInterviewSpec } from '../src/cli/new-command.js';
import { loadContext } from '../src/cli/pipeline.js';
import type { InterviewSpec } from '../src/interview/spec.js';
import type { Library } from '../src/library/library.js';
import { ROOT } from './support/tools.js';

let spec: InterviewSpec;
let library: Library;

beforeAll(async () => {
  spec = await loadInterviewSpec();
  library = (await loadContext()).library;
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('templates/interview.yaml', () => {
  it('is valid (schema, every language, choices for every select)', () => {
    expect(spec.questions.length).toBeGreaterThan(20);
    expect(spec.languages).toEqual(['nb', 'nn', 'en']);
  });

  it('asks only for paths the answers schema accepts, with values it accepts', () => {
    for (const q of spec.questions) {
      expect(ANSWER_PATHS, `question ${q.id}`).toHaveProperty([q.id]);
      const known = ANSWER_PATHS[q.id]!;
      if (q.type === 'select' && known.kind === 'enum') {
        expect(q.choices!.map((c) => c.value).sort(), `choices of ${q.id}`).toEqual([...known.values!].sort());
      }
      if (q.type === 'confirm') expect(known.kind, q.id).toBe('boolean');
      if (q.type === 'members' || q.type === 'formats') expect(known.kind, q.id).toBe('list');
      if (q.type === 'levels') expect(known.kind, q.id).toBe('record');
      if (q.type === 'date') expect(known.kind, q.id).toBe('date');
      if (q.ifSkipped !== undefined && known.values) expect(known.values, q.id).toContain(q.ifSkipped);
    }
  });

  it('covers every required answer of the schema', () => {
    const asked = new Set(spec.questions.map((q) => q.id));
    const shape = AnswersSchema.shape;
    for (const [key, field] of Object.entries(shape)) {
      // params are asked per clause; policy deviations are written by hand (kept when resuming);
      // the library lock is written by `build --lock`, never asked; clauses are left out (`omit`) from the summary screen.
      if (key === 'schemaVersion' || key === 'params' || key === 'deviations' || key === 'lock' || key === 'omit') continue;
      // A refined object (buyer) keeps its shape inside.
      const inner = (field as { shape?: Record<string, unknown> }).shape ?? (field as { def?: { in?: { shape?: Record<string, unknown> } } }).def?.in?.shape;
      if (inner && !asked.has(key)) {
        // A nested answer (buyer.partnership) is asked field by field.
        for (const sub of Object.keys(inner)) expect(asked.has(`${key}.${sub}`) || [...asked].some((id) => id.startsWith(`${key}.${sub}.`)), `${key}.${sub} is asked`).toBe(true);
      } else {
        expect(asked.has(key), `${key} is asked`).toBe(true);
      }
    }
  });

  it('uses only answer paths in its conditions, and names real clause parameters', () => {
    const paths = JSON.stringify(spec).matchAll(/"answer":"([^"]+)"/g);
    for (const [, p] of paths) expect(ANSWER_PATHS, `condition on ${p}`).toHaveProperty([p!]);
    for (const key of Object.keys(spec.params.when)) {
      const [id, name] = [key.slice(0, key.lastIndexOf('.')), key.slice(key.lastIndexOf('.') + 1)];
      expect(library.byId.get(id)?.meta.params, key).toHaveProperty([name]);
    }
  });

  it('has a question text for every clause parameter in every language of both the interview and the library', () => {
    const langs = spec.languages.filter((l) => library.languages.includes(l));
    expect(langs).toContain('nb');
    expect(langs).toContain('en');
    for (const c of library.clauses) {
      for (const name of Object.keys(c.meta.params)) {
        for (const lang of langs) expect(c.texts[lang]?.questions[name], `${c.meta.id} ${lang} question for ${name}`).toBeTruthy();
      }
    }
  });

  it('keeps @inquirer/prompts inside src/interview/prompts.ts', () => {
    const importers = files(path.join(ROOT, 'src'))
      .filter((f) => f.endsWith('.ts') && /from '@inquirer\//.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(ROOT, f));
    expect(importers).toEqual([path.join('src', 'interview', 'prompts.ts')]);
    const main = readFileSync(path.join(ROOT, 'src', 'cli', 'main.ts'), 'utf8');
    expect(main).not.toMatch(/^import .*new-command/m);
  });
});
