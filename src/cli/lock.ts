import { createHash } from 'node:crypto';
import path from 'node:path';
import { AnswersSchema } from '../core/answers.js';
import { planMigration } from '../core/migrations.js';
import type { LibraryPin } from '../core/pins.js';
import { comparePins, describePinMismatch, pinLibraries } from '../library/layers.js';
import { msg } from '../core/messages.js';
import { problemsFromZod, UserError } from '../library/problems.js';
import type { Speaker } from '../library/messages.js';
import { parseYamlSource } from '../library/yaml-source.js';
import type { Context, LoadedAnswers } from './pipeline.js';
import type { PlannedFile } from './write.js';

/**
 * Pinned library versions in the answers file (`lock:`). A build with a changed library stops and
 * says what changed; `--lock` records the pins, `--update-lock` accepts the changes and rewrites them.
 */
export interface LockOptions {
  lock?: boolean;
  updateLock?: boolean;
}

/** Stops when the answers pin libraries that have changed, unless the change is being accepted. */
export function checkLock(loaded: LoadedAnswers, ctx: Context, opts: LockOptions, say: Speaker): void {
  const pins = loaded.answers.lock;
  if (!pins || opts.updateLock) return;
  const mismatches = comparePins(pins, ctx.library.layers);
  if (!mismatches.length) return;
  const names = mismatches.map((m) => m.name).join(', ');
  const t = say.t.bind(say);
  throw new UserError(
    msg('lock.changed', { file: loaded.file, names, n: mismatches.length }),
    mismatches.map((m) => ({
      severity: 'error' as const,
      file: loaded.file,
      field: 'lock',
      message: describePinMismatch(m, t),
      hint: m.loaded && m.pinned ? t('lock.hint.diff', { name: m.name, pinned: m.pinned, file: loaded.file }) : t('lock.hint.accept', { file: loaded.file }),
    })),
  );
}

/** The answers file's text with `lock:` set to the given pins; comments and order are kept (YAML). */
export async function lockedAnswersText(file: string, pins: readonly LibraryPin[], comment: string): Promise<string> {
  const { decodeText, readInputFile } = await import('../library/limits.js');
  const text = decodeText(readInputFile(file, 'answers'), file);
  if (/\.json$/i.test(file)) {
    const obj = JSON.parse(text) as Record<string, unknown>;
    obj.lock = pins;
    return `${JSON.stringify(obj, null, 2)}\n`;
  }
  const { isMap, isScalar, parseDocument } = await import('yaml');
  const doc = parseDocument(text);
  doc.set('lock', doc.createNode(pins));
  if (isMap(doc.contents)) {
    // `set` adds a plain string key; a Scalar key can carry the comment.
    const pairs = doc.contents.items as Array<{ key: unknown }>;
    const pair = pairs.find((p) => p.key === 'lock' || (isScalar(p.key) && p.key.value === 'lock'));
    if (pair && !isScalar(pair.key)) pair.key = doc.createNode('lock');
    if (pair && isScalar(pair.key) && !pair.key.commentBefore) {
      pair.key.commentBefore = comment
        .split('\n')
        .map((l) => ` ${l}`)
        .join('\n');
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * With `--lock` or `--update-lock`: the answers as they will be after the pins are recorded, and
 * the rewritten answers file to write together with the appendix (all or nothing).
 */
export async function applyLock(loaded: LoadedAnswers, ctx: Context, opts: LockOptions, say: Speaker): Promise<{ loaded: LoadedAnswers; rewrite: PlannedFile | null }> {
  checkLock(loaded, ctx, opts, say);
  if (!opts.lock && !opts.updateLock) return { loaded, rewrite: null };
  const pins = pinLibraries(ctx.library.layers);
  if (JSON.stringify(loaded.answers.lock ?? null) === JSON.stringify(pins)) return { loaded, rewrite: null };
  // The comment is in the speaker's language: the answers file's own, unless --lang or DATAKLAUSUL_LANG chose one.
  const text = await lockedAnswersText(loaded.file, pins, say.t('lock.comment'));
  const src = parseYamlSource(text, loaded.file);
  // The file keeps its schema version; an earlier one is read as the current one, as on any read.
  const plan = src.value && typeof src.value === 'object' ? planMigration(src.value as Record<string, unknown>) : { kind: 'none' as const };
  const parsed = AnswersSchema.safeParse(plan.kind === 'migrated' ? plan.value : src.value);
  if (src.problems.length || !parsed.success) {
    throw new UserError(msg('lock.cannotRecord', { file: loaded.file }), parsed.success ? src.problems : problemsFromZod(parsed.error, loaded.file, src.lineOf, src.value));
  }
  const bytes = new TextEncoder().encode(text);
  return {
    loaded: { ...loaded, answers: parsed.data, file: loaded.file, digest: createHash('sha256').update(bytes).digest('hex') },
    rewrite: { path: path.resolve(loaded.file), bytes },
  };
}
