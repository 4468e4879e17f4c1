import path from 'node:path';
import { applyEdits, planMigration, type AnswersEdit } from '../core/migrations.js';
import { ANSWERS_SCHEMA_VERSION } from '../core/migrations.js';
import { msg } from '../core/messages.js';
import { decodeText, readInputFile } from '../library/limits.js';
import { UserError } from '../library/problems.js';
import { parseYamlSource } from '../library/yaml-source.js';
import { speakerOf, type Io } from './io.js';
import { newerAnswersError, parseAnswers } from './pipeline.js';
import { writeFilesAtomically } from './write.js';

/**
 * The text of an answers file with the edits applied. YAML is edited as text where it can be: a scalar that is set
 * has its own characters replaced, a list item that is deleted loses its lines and the comment lines just above
 * it; every other byte stays as it was. Any other edit goes through the `yaml` package's Document, which keeps
 * comments but may respace flow collections. JSON is written back with two-space indentation.
 */
export async function editAnswersText(text: string, file: string, edits: readonly AnswersEdit[]): Promise<string> {
  if (/\.json$/i.test(file)) return `${JSON.stringify(applyEdits(JSON.parse(text) as Record<string, unknown>, edits), null, 2)}\n`;
  const { isScalar, isSeq, parseDocument } = await import('yaml');
  const doc = parseDocument(text);
  // Each edit's indices refer to the file as it is (a migration deletes list items last first), so every range is found in the original.
  const splices: Array<{ from: number; to: number; insert: string }> = [];
  for (const e of edits) {
    const node = doc.getIn(e.path as Array<string | number>, true);
    if ('delete' in e) {
      const parent = doc.getIn(e.path.slice(0, -1) as Array<string | number>, true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (isSeq(parent) && parent.flow !== true && range) {
        let from = text.lastIndexOf('\n', range[0] - 1) + 1;
        // The comment lines directly above the item belong to it.
        for (;;) {
          const prev = text.lastIndexOf('\n', from - 2) + 1;
          if (from === 0 || !/^\s*#/.test(text.slice(prev, from - 1))) break;
          from = prev;
        }
        const end = text.indexOf('\n', Math.max(range[1] - 1, range[0]));
        splices.push({ from, to: end < 0 ? text.length : end + 1, insert: '' });
        continue;
      }
    } else if (isScalar(node) && node.range && (typeof e.set === 'number' || typeof e.set === 'boolean')) {
      splices.push({ from: node.range[0], to: node.range[1], insert: String(e.set) });
      continue;
    }
    // Anything else: through the Document, for all edits at once.
    for (const x of edits) {
      if ('delete' in x) doc.deleteIn(x.path as Array<string | number>);
      else doc.setIn(x.path as Array<string | number>, x.set);
    }
    return doc.toString({ lineWidth: 0 });
  }
  let out = text;
  for (const sp of splices.sort((a, b) => b.from - a.from)) out = out.slice(0, sp.from) + sp.insert + out.slice(sp.to);
  return out;
}

/**
 * `dataklausul migrate FILE`: rewrites an answers file of an earlier schema version as the current one, in place and
 * atomically. The result is validated before anything is written; a file newer than this tool is refused.
 */
export async function runMigrate(file: string, io: Io): Promise<void> {
  const say = speakerOf(io);
  const bytes = readInputFile(file, 'answers');
  const text = decodeText(bytes, file);
  const src = parseYamlSource(text, file);
  if (src.problems.length) {
    const syntax = src.problems.some((p) => p.message.startsWith('invalid YAML'));
    throw new UserError(syntax ? msg('error.notYaml', { file }) : msg('error.input.refused', { file }), src.problems);
  }
  if (src.value === null || typeof src.value !== 'object' || Array.isArray(src.value)) throw new UserError(msg('error.answers.notMapping', { file }));
  const plan = planMigration(src.value as Record<string, unknown>);
  if (plan.kind === 'newer') throw newerAnswersError(file, plan.version, src.lineOf(['schemaVersion']));
  if (plan.kind === 'none') {
    // The current version (checked as any build would check it), or no version a migration starts from.
    const loaded = parseAnswers(bytes, file);
    say.followAnswers(loaded.answers.language);
    io.stdout(`${say.t('migrate.current', { file, version: ANSWERS_SCHEMA_VERSION })}\n`);
    return;
  }
  let out = text;
  for (const step of plan.steps) out = await editAnswersText(out, file, step.edits);
  const outBytes = new TextEncoder().encode(out);
  // Exactly what the next build will read: an answers file that is wrong for other reasons is not rewritten.
  const loaded = parseAnswers(outBytes, file);
  say.followAnswers(loaded.answers.language);
  await writeFilesAtomically([{ path: path.resolve(file), bytes: outBytes }], { force: true });
  const changes = plan.steps.flatMap((s) => s.changes).map((c) => `  - ${say.t(c.key, c.vars)}\n`);
  io.stdout(`${say.t('migrate.done', { file, from: plan.from, to: ANSWERS_SCHEMA_VERSION })}\n${changes.join('')}`);
}
