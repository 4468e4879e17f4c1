import semver from 'semver';
import { clauseChanges } from './layers.js';
import type { LoadedClause, LoadedLibrary } from './load.js';
import { msg, type Translate } from '../core/messages.js';
import { problemOf, type Problem } from './problems.js';
import { diffWords, type DiffPart } from './word-diff.js';

/** What changed between two versions of one clause library. Pure. */
export interface LibraryDiff {
  old: { name: string; version: string; digest: string };
  new: { name: string; version: string; digest: string };
  added: Array<{ id: string; version: string }>;
  removed: Array<{ id: string; version: string }>;
  changed: ClauseDiff[];
  formats: { added: string[]; removed: string[]; changed: string[] };
}

export type Bump = 'none' | 'patch' | 'minor' | 'major';
const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

export interface ClauseDiff {
  id: string;
  from: string;
  to: string;
  /** What changed: "body nb", "params", "placement", … */
  changes: string[];
  /** The smallest version bump the change needs. */
  needs: Bump;
  /** The bump that was made. */
  made: Bump;
  /** Per language and text part, a word diff (only for parts that changed). */
  texts: Array<{ lang: string; part: 'title' | 'requirement' | 'body'; diff: DiffPart[] }>;
  /** Parameter changes, one line each. */
  params: string[];
}

/** The bump made between two versions. */
export function bumpMade(from: string, to: string): Bump {
  if (!semver.valid(from) || !semver.valid(to) || semver.eq(from, to)) return 'none';
  if (semver.lt(to, from)) return 'none';
  if (semver.major(to) !== semver.major(from)) return 'major';
  if (semver.minor(to) !== semver.minor(from)) return 'minor';
  return 'patch';
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The bump a change needs: a removed parameter, a changed parameter type, a changed requirement id
 * or level, or a removed language → major (answers files, suppliers' answers or partners break);
 * a new parameter or any change of wording, conditions, defaults, placement or basis → minor; a
 * change of whitespace only → patch.
 */
export function bumpNeeded(a: LoadedClause, b: LoadedClause): Bump {
  const p1 = a.meta.params;
  const p2 = b.meta.params;
  for (const name of Object.keys(p1)) if (!p2[name] || p2[name]!.type !== p1[name]!.type) return 'major';
  const r1 = a.meta.requirement;
  const r2 = b.meta.requirement;
  if (r1 && (!r2 || r1.id !== r2.id || r1.level !== r2.level)) return 'major';
  if (Object.keys(a.texts).some((l) => !b.texts[l])) return 'major';
  const changes = clauseChanges(a, b);
  if (!changes.length) return 'none';
  const wordsOnly = Object.keys(a.texts).every((l) => {
    const t1 = a.texts[l]!;
    const t2 = b.texts[l];
    return t2 && squash(t1.title) === squash(t2.title) && squash(t1.requirement ?? '') === squash(t2.requirement ?? '') && squash(t1.body) === squash(t2.body);
  });
  const metaChanged = changes.some((c) => !/^(title|requirement text|body|questions) /.test(c));
  // The interview's questions and value labels are not clause text: rewording them is a patch.
  if (wordsOnly && !metaChanged && !changes.some((c) => c.startsWith('text '))) return 'patch';
  return 'minor';
}

function paramLines(a: LoadedClause, b: LoadedClause): string[] {
  const out: string[] = [];
  const p1 = a.meta.params;
  const p2 = b.meta.params;
  for (const name of [...new Set([...Object.keys(p1), ...Object.keys(p2)])].sort()) {
    const x = p1[name];
    const y = p2[name];
    if (!x) out.push(`+ ${name}: ${JSON.stringify(y)}`);
    else if (!y) out.push(`- ${name}: ${JSON.stringify(x)}`);
    else if (JSON.stringify(x) !== JSON.stringify(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => JSON.stringify((x as Record<string, unknown>)[k]) !== JSON.stringify((y as Record<string, unknown>)[k]));
      out.push(`~ ${name}: ${keys.map((k) => `${k} ${JSON.stringify((x as Record<string, unknown>)[k]) ?? '—'} → ${JSON.stringify((y as Record<string, unknown>)[k]) ?? '—'}`).join(', ')}`);
    }
  }
  return out;
}

/** Compares two loaded libraries clause by clause. */
export function diffLibraries(oldLib: LoadedLibrary, newLib: LoadedLibrary): LibraryDiff {
  const before = new Map(oldLib.clauses.map((c) => [c.meta.id, c]));
  const after = new Map(newLib.clauses.map((c) => [c.meta.id, c]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const diff: LibraryDiff = {
    old: { name: oldLib.manifest.name, version: oldLib.manifest.version, digest: oldLib.digest },
    new: { name: newLib.manifest.name, version: newLib.manifest.version, digest: newLib.digest },
    added: [],
    removed: [],
    changed: [],
    formats: { added: [], removed: [], changed: [] },
  };
  for (const id of ids) {
    const a = before.get(id);
    const b = after.get(id);
    if (!a) diff.added.push({ id, version: b!.meta.version });
    else if (!b) diff.removed.push({ id, version: a.meta.version });
    else {
      const changes = clauseChanges(a, b);
      if (!changes.length && a.meta.version === b.meta.version) continue;
      const texts: ClauseDiff['texts'] = [];
      for (const lang of Object.keys(b.texts).sort()) {
        const t1 = a.texts[lang];
        const t2 = b.texts[lang]!;
        for (const part of ['title', 'requirement', 'body'] as const) {
          const x = (t1?.[part] ?? '').trim();
          const y = (t2[part] ?? '').trim();
          if (x !== y) texts.push({ lang, part, diff: diffWords(x, y) });
        }
      }
      diff.changed.push({ id, from: a.meta.version, to: b.meta.version, changes, needs: bumpNeeded(a, b), made: bumpMade(a.meta.version, b.meta.version), texts, params: paramLines(a, b) });
    }
  }
  const f1 = new Map(oldLib.formats.map((f) => [f.id, JSON.stringify(f)]));
  const f2 = new Map(newLib.formats.map((f) => [f.id, JSON.stringify(f)]));
  for (const [id, v] of f2) {
    if (!f1.has(id)) diff.formats.added.push(id);
    else if (f1.get(id) !== v) diff.formats.changed.push(id);
  }
  for (const id of f1.keys()) if (!f2.has(id)) diff.formats.removed.push(id);
  return diff;
}

/** `lint --against OLD`: every changed clause must bump its version at least as much as it needs. */
export function checkVersionBumps(diff: LibraryDiff, newLib: LoadedLibrary): Problem[] {
  const out: Problem[] = [];
  const byId = new Map(newLib.clauses.map((c) => [c.meta.id, c]));
  for (const c of diff.changed) {
    if (RANK[c.made] >= RANK[c.needs]) continue;
    const clause = byId.get(c.id)!;
    const next = c.needs === 'none' ? c.from : semver.inc(c.from, c.needs as semver.ReleaseType)!;
    out.push(
      problemOf(
        { severity: 'error', file: clause.file, line: clause.lineOf(['version']), field: 'version' },
        msg('diff.bump.clause', { id: c.id, changes: c.changes.join(', '), from: c.from, to: c.to, needs: c.needs }),
        msg('diff.bump.clause.hint', { next }),
      ),
    );
  }
  const libBump = bumpMade(diff.old.version, diff.new.version);
  const libNeeds = diff.changed.reduce<Bump>((acc, c) => (RANK[c.needs] > RANK[acc] ? c.needs : acc), diff.removed.length ? 'major' : diff.added.length ? 'minor' : 'none');
  if (RANK[libBump] < RANK[libNeeds] && libNeeds !== 'none') {
    out.push(
      problemOf(
        { severity: 'error', file: `${newLib.dir.replace(/\/+$/, '')}/library.yaml`, field: 'version' },
        msg('diff.bump.library', { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length, from: diff.old.version, to: diff.new.version, needs: libNeeds }),
        msg('diff.bump.library.hint', { next: semver.inc(diff.old.version, libNeeds as semver.ReleaseType) ?? '' }),
      ),
    );
  }
  return out;
}

function wordDiffMarkdown(parts: readonly DiffPart[]): string {
  return parts
    .map((p) => {
      const t = p.text.replace(/\s+/g, ' ');
      if (p.op === 'same') return t;
      const trimmed = t.trim();
      if (!trimmed) return t;
      return p.op === 'del' ? `~~${trimmed}~~` : `**${trimmed}**`;
    })
    .join('');
}

function wordDiffText(parts: readonly DiffPart[]): string {
  return parts.map((p) => (p.op === 'same' ? p.text : p.op === 'del' ? `[-${p.text}-]` : `{+${p.text}+}`)).join('').replace(/\s*\n\s*/g, ' ');
}

/** The diff as plain text for a terminal, in the speaker's language (`t`). */
export function formatDiffText(d: LibraryDiff, t: Translate): string {
  const counts = { added: d.added.length, removed: d.removed.length, changed: d.changed.length };
  const lines = [`${d.old.name} ${d.old.version} → ${d.new.name} ${d.new.version}: ${t('diff.counts', counts)}`];
  for (const a of d.added) lines.push(`+ ${a.id} ${a.version}`);
  for (const r of d.removed) lines.push(`- ${r.id} ${r.version}`);
  for (const c of d.changed) {
    lines.push(`~ ${c.id} ${c.from} → ${c.to} (${t('diff.text.clause', { changes: c.changes.join(', ') || t('diff.versionOnly'), needs: c.needs, made: c.made })})`);
    for (const p of c.params) lines.push(`    ${p}`);
    for (const x of c.texts) lines.push(`    ${x.part} ${x.lang}: ${wordDiffText(x.diff)}`);
  }
  const f = d.formats;
  if (f.added.length || f.removed.length || f.changed.length) lines.push(`${t('diff.text.formats')}: +${f.added.join(', +') || '0'}; -${f.removed.join(', -') || '0'}; ~${f.changed.join(', ~') || '0'}`);
  return `${lines.join('\n')}\n`;
}

/** The diff as Markdown (deletions struck through, insertions in bold), in the speaker's language. */
export function formatDiffMarkdown(d: LibraryDiff, t: Translate): string {
  const counts = { added: d.added.length, removed: d.removed.length, changed: d.changed.length };
  const out = [`# ${d.new.name}: ${d.old.version} → ${d.new.version}`, '', `${t('diff.counts', counts)}.`, ''];
  if (d.added.length) out.push(`## ${t('diff.md.added')}`, '', ...d.added.map((a) => `- \`${a.id}\` ${a.version}`), '');
  if (d.removed.length) out.push(`## ${t('diff.md.removed')}`, '', ...d.removed.map((r) => `- \`${r.id}\` ${r.version}`), '');
  if (d.changed.length) {
    out.push(`## ${t('diff.md.changed')}`, '');
    for (const c of d.changed) {
      out.push(`### \`${c.id}\` ${c.from} → ${c.to}`, '', t('diff.md.clause', { changes: c.changes.join(', ') || t('diff.versionOnly'), needs: c.needs, made: c.made }), '');
      if (c.params.length) out.push(...c.params.map((p) => `- \`${p}\``), '');
      for (const x of c.texts) out.push(`**${x.part} (${x.lang})**: ${wordDiffMarkdown(x.diff)}`, '');
    }
  }
  const f = d.formats;
  if (f.added.length || f.removed.length || f.changed.length) {
    const none = t('diff.none');
    out.push(`## ${t('diff.md.formats')}`, '', t('diff.md.formatLists', { added: f.added.join(', ') || none, removed: f.removed.join(', ') || none, changed: f.changed.join(', ') || none }), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
