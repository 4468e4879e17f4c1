import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { LoadedClause, LoadedLibrary } from './load.js';
import { msg, type Translate } from '../core/messages.js';
import { problemOf, type Problem } from './problems.js';
import type { LibraryPin } from './schema.js';

/**
 * Rules between layers (baseline → partnership → municipality): what a layer says it extends, and
 * what an earlier layer has locked. Pure: works on loaded libraries, reports problems.
 */

const require = createRequire(import.meta.url);
/**
 * Only the two semver functions needed, and only when a layer has `extends` ranges to check: semver costs start-up
 * time on every build, and a build from the compiled library never checks ranges.
 */
const semverRange = () => ({
  satisfies: require('semver/functions/satisfies.js') as typeof import('semver/functions/satisfies.js'),
  validRange: require('semver/ranges/valid.js') as typeof import('semver/ranges/valid.js'),
});

const manifestFile = (l: LoadedLibrary) => `${l.dir.replace(/\/+$/, '')}/library.yaml`;

/** `extends: { name: range }` must be met by a layer below, at a version inside the range. */
export function checkExtends(layers: readonly LoadedLibrary[]): Problem[] {
  const out: Problem[] = [];
  layers.forEach((layer, i) => {
    for (const [name, range] of Object.entries(layer.manifest.extends)) {
      const { satisfies, validRange } = semverRange();
      const below = layers.slice(0, i).find((l) => l.manifest.name === name);
      const above = layers.slice(i + 1).find((l) => l.manifest.name === name);
      const where = { severity: 'error' as const, file: manifestFile(layer), field: `extends › ${name}` };
      if (name === layer.manifest.name) {
        out.push(problemOf(where, msg('layers.extendsItself', { name }), msg('layers.extendsItself.hint')));
      } else if (!below && above && Object.hasOwn(above.manifest.extends, layer.manifest.name)) {
        out.push(problemOf(where, msg('layers.extendsCycle', { library: layer.manifest.name, name }), msg('layers.extendsCycle.hint')));
      } else if (!below && above) {
        out.push(problemOf(where, msg('layers.extendsAbove', { library: layer.manifest.name, name }), msg('layers.extendsAbove.hint', { above: above.dir, dir: layer.dir })));
      } else if (!below) {
        out.push(problemOf(where, msg('layers.extendsMissing', { library: layer.manifest.name, version: layer.manifest.version, name, range }), msg('layers.extendsMissing.hint', { name })));
      } else if (!validRange(range)) {
        out.push(problemOf(where, msg('layers.badRange', { range }), msg('layers.badRange.hint')));
      } else if (!satisfies(below.manifest.version, range, { includePrerelease: true })) {
        out.push(
          problemOf(
            where,
            msg('layers.outOfRange', { library: layer.manifest.name, version: layer.manifest.version, name, range, loaded: below.manifest.version }),
            msg('layers.outOfRange.hint', { library: layer.manifest.name, name, range, loaded: below.manifest.version }),
          ),
        );
      }
    }
  });
  return out;
}

/** A digest of everything a clause says: metadata and every language's title, row, questions and body. */
export function clauseDigest(c: LoadedClause): string {
  const texts = Object.keys(c.texts)
    .sort()
    .map((lang) => {
      const t = c.texts[lang]!;
      return [lang, t.title, t.requirement ?? '', JSON.stringify(Object.entries(t.questions).sort()), t.body, ...(Object.keys(t.choices).length ? [JSON.stringify(t.choices)] : [])];
    });
  return createHash('sha256').update(JSON.stringify([c.meta, texts])).digest('hex').slice(0, 16);
}

/** Which parts of a clause differ between two versions of it. */
export function clauseChanges(a: LoadedClause, b: LoadedClause): string[] {
  const out: string[] = [];
  const m1 = a.meta;
  const m2 = b.meta;
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  for (const lang of [...new Set([...Object.keys(a.texts), ...Object.keys(b.texts)])].sort()) {
    const t1 = a.texts[lang];
    const t2 = b.texts[lang];
    if (!t1 || !t2) out.push(`text ${lang} ${t1 ? 'removed' : 'added'}`);
    else {
      if (t1.title !== t2.title) out.push(`title ${lang}`);
      if ((t1.requirement ?? '') !== (t2.requirement ?? '')) out.push(`requirement text ${lang}`);
      if (t1.body.trim() !== t2.body.trim()) out.push(`body ${lang}`);
      if (!same(Object.entries(t1.questions).sort(), Object.entries(t2.questions).sort()) || !same(t1.choices, t2.choices)) out.push(`questions ${lang}`);
    }
  }
  if (!same(m1.params, m2.params)) out.push('params');
  if (!same(m1.when, m2.when) || !same(m1.requires, m2.requires) || !same(m1.excludes, m2.excludes)) out.push('conditions');
  if (!same(m1.requirement, m2.requirement)) out.push('requirement level or id');
  if (!same(m1.ssa, m2.ssa)) out.push('placement');
  if (!same(m1.basis, m2.basis)) out.push('basis');
  if (m1.order !== m2.order || m1.topic !== m2.topic) out.push('position');
  return out;
}

/**
 * Locks: a clause locked by a layer may not be replaced by a later layer, except that the
 * parameters the lock allows may change their default and range within the lock's bounds.
 */
export function checkLocks(layers: readonly LoadedLibrary[]): Problem[] {
  const out: Problem[] = [];
  layers.forEach((layer, i) => {
    for (const [id, lock] of Object.entries(layer.manifest.locks)) {
      // The clause as it stands at the locking layer: its own copy, or the nearest one below.
      const locked = [...layers.slice(0, i + 1)].reverse().map((l) => l.clauses.find((c) => c.meta.id === id)).find(Boolean);
      if (!locked) {
        out.push(problemOf({ severity: 'error', file: manifestFile(layer), field: `locks › ${id}` }, msg('layers.lockUnknown', { id, library: layer.manifest.name }), msg('layers.lockUnknown.hint')));
        continue;
      }
      for (const later of layers.slice(i + 1)) {
        const repl = later.clauses.find((c) => c.meta.id === id);
        if (!repl) continue;
        const breaches = lockBreaches(locked, repl, lock.allow.params);
        if (breaches.length) {
          out.push(
            problemOf(
              { severity: 'error', file: repl.file, field: 'id' },
              // The changes are named by clause part and parameter (technical names, as in `diff`).
              msg('layers.lockBreach', { id, locker: `${layer.manifest.name} ${layer.manifest.version}`, replacer: `${later.manifest.name} ${later.manifest.version}`, changes: breaches.join('; ') }),
              Object.keys(lock.allow.params).length
                ? msg('layers.lockBreach.hintSome', { library: layer.manifest.name, params: Object.entries(lock.allow.params).map(([p, b]) => `${p} (${b.min ?? '…'}–${b.max ?? '…'})`).join(', ') })
                : msg('layers.lockBreach.hintNone', { library: layer.manifest.name, file: repl.file, replacer: later.manifest.name }),
            ),
          );
        }
      }
    }
  });
  return out;
}

function lockBreaches(locked: LoadedClause, repl: LoadedClause, allowed: Record<string, { min?: number; max?: number }>): string[] {
  const out: string[] = [];
  const changes = clauseChanges(locked, repl).filter((c) => c !== 'params');
  out.push(...changes);
  const p1 = locked.meta.params;
  const p2 = repl.meta.params;
  for (const name of [...new Set([...Object.keys(p1), ...Object.keys(p2)])]) {
    const a = p1[name];
    const b = p2[name];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const bounds = allowed[name];
    if (!bounds || !a || !b || a.type !== b.type) {
      out.push(`parameter ${name}${bounds ? ' (its type)' : ', which the lock does not allow'}`);
      continue;
    }
    // Only default, min and max may move, and only inside the lock's bounds.
    const rest = (p: typeof a) => JSON.stringify({ ...p, default: undefined, min: undefined, max: undefined });
    if (rest(a) !== rest(b)) out.push(`parameter ${name} beyond its default and range`);
    for (const key of ['default', 'min', 'max'] as const) {
      const v = (b as Record<string, unknown>)[key];
      if (typeof v !== 'number' || v === (a as Record<string, unknown>)[key]) continue;
      if (bounds.min !== undefined && v < bounds.min) out.push(`parameter ${name}: ${key} ${v} is below the lock's minimum ${bounds.min}`);
      if (bounds.max !== undefined && v > bounds.max) out.push(`parameter ${name}: ${key} ${v} is above the lock's maximum ${bounds.max}`);
    }
  }
  return out;
}

/** For every clause id: the layers that provide it, base first (the last one wins). */
export function clauseOrigins(layers: readonly LoadedLibrary[]): Map<string, Array<{ library: string; libraryVersion: string; clauseVersion: string }>> {
  const out = new Map<string, Array<{ library: string; libraryVersion: string; clauseVersion: string }>>();
  for (const l of layers) {
    for (const c of l.clauses) {
      const list = out.get(c.meta.id) ?? [];
      list.push({ library: l.manifest.name, libraryVersion: l.manifest.version, clauseVersion: c.meta.version });
      out.set(c.meta.id, list);
    }
  }
  return out;
}

/** The bounds every lock puts on a clause's parameters (for answers), with the locking layer. */
export function lockBounds(layers: readonly LoadedLibrary[]): Map<string, Array<{ param: string; min?: number; max?: number; library: string }>> {
  const out = new Map<string, Array<{ param: string; min?: number; max?: number; library: string }>>();
  for (const l of layers) {
    for (const [id, lock] of Object.entries(l.manifest.locks)) {
      const list = out.get(id) ?? [];
      for (const [param, b] of Object.entries(lock.allow.params)) list.push({ param, ...b, library: l.manifest.name });
      out.set(id, list);
    }
  }
  return out;
}

/** Pins for every layer, as `build --lock` records them. */
export function pinLibraries(layers: readonly LoadedLibrary[]): LibraryPin[] {
  return layers.map((l) => ({
    name: l.manifest.name,
    version: l.manifest.version,
    digest: l.digest,
    clauses: Object.fromEntries(l.clauses.map((c) => [c.meta.id, clauseDigest(c)] as const).sort(([a], [b]) => (a < b ? -1 : 1))),
  }));
}

export interface PinMismatch {
  name: string;
  /** Pinned version, or null for a library that was not pinned. */
  pinned: string | null;
  /** Loaded version, or null for a pinned library that is not loaded. */
  loaded: string | null;
  changed: string[];
  added: string[];
  removed: string[];
}

/** Compares pins with the loaded layers. Empty when everything matches. */
export function comparePins(pins: readonly LibraryPin[], layers: readonly LoadedLibrary[]): PinMismatch[] {
  const out: PinMismatch[] = [];
  const loaded = new Map(layers.map((l) => [l.manifest.name, l]));
  for (const pin of pins) {
    const l = loaded.get(pin.name);
    if (!l) {
      out.push({ name: pin.name, pinned: pin.version, loaded: null, changed: [], added: [], removed: Object.keys(pin.clauses) });
      continue;
    }
    if (l.digest === pin.digest && l.manifest.version === pin.version) continue;
    const now = new Map(l.clauses.map((c) => [c.meta.id, clauseDigest(c)]));
    const changed = [...now].filter(([id, d]) => id in pin.clauses && pin.clauses[id] !== d).map(([id]) => id);
    const added = [...now.keys()].filter((id) => !(id in pin.clauses));
    const removed = Object.keys(pin.clauses).filter((id) => !now.has(id));
    out.push({ name: pin.name, pinned: pin.version, loaded: l.manifest.version, changed, added, removed });
  }
  const pinned = new Set(pins.map((p) => p.name));
  for (const l of layers) if (!pinned.has(l.manifest.name)) out.push({ name: l.manifest.name, pinned: null, loaded: l.manifest.version, changed: [], added: l.clauses.map((c) => c.meta.id), removed: [] });
  return out;
}

/** One line per mismatch, for the error message, in the speaker's language. */
export function describePinMismatch(m: PinMismatch, t: Translate): string {
  if (m.loaded === null) return t('lock.pin.notLoaded', { name: m.name, pinned: m.pinned ?? '' });
  if (m.pinned === null) return t('lock.pin.notPinned', { name: m.name, loaded: m.loaded });
  const n = m.changed.length + m.added.length + m.removed.length;
  const ids = (list: string[]) => (list.length > 6 ? t('lock.pin.more', { ids: list.slice(0, 6).join(', '), n: list.length - 6 }) : list.join(', '));
  const lists = [
    m.changed.length ? ` ${t('lock.pin.listChanged', { ids: ids(m.changed) })}` : '',
    m.added.length ? ` ${t('lock.pin.listAdded', { ids: ids(m.added) })}` : '',
    m.removed.length ? ` ${t('lock.pin.listRemoved', { ids: ids(m.removed) })}` : '',
  ].join('');
  const versions = m.pinned === m.loaded ? t('lock.pin.sameVersion', { version: m.loaded }) : `${m.pinned} → ${m.loaded}`;
  return `${t('lock.pin.changed', { name: m.name, versions, n, changed: m.changed.length, added: m.added.length, removed: m.removed.length })}${lists}`;
}
