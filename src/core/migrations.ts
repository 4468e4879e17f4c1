import { msg, type Msg } from './messages.js';

/**
 * Answers files of earlier schema versions. Each migration is a small pure function from one version to the next:
 * it reads the plain value and says what to change as edits (set or delete at a path) and, for the user, what
 * changed and why. The same edits update the value in memory (when a build reads an old file) and the YAML document
 * with its comments (`dataklausul migrate FILE`).
 */

/** The answers schema version this tool writes and reads; older versions are migrated, newer ones refused. */
export const ANSWERS_SCHEMA_VERSION = 2;

export type EditPath = ReadonlyArray<string | number>;

/** One change to an answers file: set a value at a path, or delete the key or list item there. */
export type AnswersEdit = { path: EditPath; set: unknown } | { path: EditPath; delete: true };

export interface Migration {
  from: number;
  to: number;
  /** Pure. Deletions of list items come last-first, so that every index still points at its item. */
  migrate: (value: Readonly<Record<string, unknown>>) => { edits: AnswersEdit[]; changes: Msg[] };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** An organisation number as it will be validated: spaces removed. */
const orgKey = (v: unknown) => (typeof v === 'string' ? v.replace(/\s+/g, '') : typeof v === 'number' ? String(v) : undefined);

/**
 * 1 → 2 (issue 12). Version 2 adds `omit`, `buyer.partnership`, a `role` per member and the extract frequencies
 * `per-assignment` and `yearly`; all optional, so a version 1 file means the same in version 2. Version 2 refuses two
 * things version 1 accepted: a member with the buyer's own organisation number, and two members with the same number.
 * Both said nothing more than the rest of the file, so the later entry is dropped and the change named.
 */
export const v1ToV2: Migration = {
  from: 1,
  to: 2,
  migrate(value) {
    const edits: AnswersEdit[] = [{ path: ['schemaVersion'], set: 2 }];
    const changes: Msg[] = [msg('migrate.two.version')];
    const buyer = isRecord(value.buyer) ? value.buyer : undefined;
    const members = buyer && Array.isArray(buyer.members) ? buyer.members : [];
    const own = orgKey(buyer?.orgNumber);
    const seen = new Map<string, number>();
    const drop: Array<{ index: number; change: Msg }> = [];
    members.forEach((m, index) => {
      if (!isRecord(m)) return;
      const key = orgKey(m.orgNumber);
      if (key === undefined) return;
      const name = typeof m.name === 'string' ? m.name : '';
      if (key === own) drop.push({ index, change: msg('migrate.two.buyerAsMember', { index, name, orgNumber: key }) });
      else if (seen.has(key)) drop.push({ index, change: msg('migrate.two.duplicateMember', { index, name, orgNumber: key, first: seen.get(key)! }) });
      else seen.set(key, index);
    });
    for (const d of [...drop].reverse()) edits.push({ path: ['buyer', 'members', d.index], delete: true });
    changes.push(...drop.map((d) => d.change));
    return { edits, changes };
  },
};

/** Every migration in order; a version 3 appends `v2ToV3` here and raises ANSWERS_SCHEMA_VERSION. */
export const MIGRATIONS: readonly Migration[] = [v1ToV2];

export interface MigrationStep {
  from: number;
  to: number;
  edits: AnswersEdit[];
  changes: Msg[];
}

export type MigrationPlan =
  /** Already the current version, or no version the migrations know (validation names the field). */
  | { kind: 'none' }
  | { kind: 'migrated'; from: number; value: Record<string, unknown>; steps: MigrationStep[] }
  | { kind: 'newer'; version: number };

/** Applies edits to a copy of a plain value. Pure. */
export function applyEdits(value: Readonly<Record<string, unknown>>, edits: readonly AnswersEdit[]): Record<string, unknown> {
  const out = structuredClone(value) as Record<string, unknown>;
  for (const e of edits) {
    let cur: unknown = out;
    for (const key of e.path.slice(0, -1)) {
      const next = (cur as Record<string | number, unknown>)[key];
      if (next === null || typeof next !== 'object') {
        if ('delete' in e) break;
        (cur as Record<string | number, unknown>)[key] = {};
      }
      cur = (cur as Record<string | number, unknown>)[key];
    }
    if (cur === null || typeof cur !== 'object') continue;
    const last = e.path[e.path.length - 1]!;
    if ('delete' in e) {
      if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
      else delete (cur as Record<string | number, unknown>)[last];
    } else (cur as Record<string | number, unknown>)[last] = e.set;
  }
  return out;
}

/** What it takes to bring a parsed answers file to the current schema version. Pure. */
export function planMigration(value: Readonly<Record<string, unknown>>, migrations: readonly Migration[] = MIGRATIONS, current = ANSWERS_SCHEMA_VERSION): MigrationPlan {
  const version = value.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version === current) return { kind: 'none' };
  if (version > current) return { kind: 'newer', version };
  const steps: MigrationStep[] = [];
  let cur: Record<string, unknown> = structuredClone(value) as Record<string, unknown>;
  for (let v = version; v < current; v++) {
    const m = migrations.find((x) => x.from === v);
    if (!m) return { kind: 'none' };
    const { edits, changes } = m.migrate(cur);
    cur = applyEdits(cur, edits);
    steps.push({ from: m.from, to: m.to, edits, changes });
  }
  return { kind: 'migrated', from: version, value: cur, steps };
}
