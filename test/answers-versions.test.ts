import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AnswersSchema } from '../src/core/answers.js';
import { ANSWERS_SCHEMA_VERSION, applyEdits, MIGRATIONS, planMigration, v1ToV2, type Migration } from '../src/core/migrations.js';
import { ROOT, runCli } from './support/tools.js';

const VERSIONS = path.join(ROOT, 'test/fixtures/answers-versions');
const fixture = (v: number) => path.join(VERSIONS, `v${v}.yaml`);
const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `dk-versions-${name}-`));

describe('answers schema versions', () => {
  it('keeps one answers file per released schema version, and every migration step from 1 to the current version', () => {
    const files = readdirSync(VERSIONS).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(Array.from({ length: ANSWERS_SCHEMA_VERSION }, (_, i) => `v${i + 1}.yaml`));
    for (const f of files) expect((parse(readFileSync(path.join(VERSIONS, f), 'utf8')) as { schemaVersion: number }).schemaVersion, f).toBe(Number(f.slice(1, -5)));
    expect(MIGRATIONS.map((m) => [m.from, m.to])).toEqual(Array.from({ length: ANSWERS_SCHEMA_VERSION - 1 }, (_, i) => [i + 1, i + 2]));
  });

  it.each(Array.from({ length: ANSWERS_SCHEMA_VERSION }, (_, i) => i + 1))('builds the version %i answers file in every format', (v) => {
    const out = tmp(`build-${v}`);
    const r = runCli(['build', fixture(v), '--format', 'docx,pdf,md,html,json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['docx', 'html', 'json', 'md', 'pdf'].map((f) => `v${v}.${f}`));
    // Only an earlier version warns, and only about the migration.
    if (v < ANSWERS_SCHEMA_VERSION) expect(r.stderr).toMatch(new RegExp(`v${v}\\.yaml:\\d+: schemaVersion: warning: written for answers schema version ${v} and read as version ${ANSWERS_SCHEMA_VERSION}`));
    else expect(r.stderr).toBe('');
  });

  it('migrates version 1 in memory: a warning in the answers language says what changed and how to update the file', () => {
    const r = runCli(['explain', fixture(1)], { env: { DATAKLAUSUL_LANG: '' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Advarsler:');
    expect(r.stderr).toMatch(/v1\.yaml:4: schemaVersion: warning: skrevet for schemaversjon 1 av svarfilen og lest som versjon 2: schemaVersion 1 → 2 \(nytt i versjon 2: omit, buyer\.partnership/);
    expect(r.stderr).toContain('buyer.members[1] (Eksempel kommune, 974760673) er fjernet: det er Kunden selv (buyer)');
    expect(r.stderr).toContain('buyer.members[2] (Nabo kommune (igjen), 864000002) er fjernet: samme organisasjonsnummer som buyer.members[0]');
    expect(r.stderr).toContain('Oppdater filen med `dataklausul migrate');
    const en = runCli(['explain', fixture(1), '--json']);
    expect(en.stderr).toMatch(/removed: it is the buyer itself/);
    expect(JSON.parse(en.stdout).problems).toEqual([]);
    const nn = runCli(['explain', fixture(1), '--lang', 'nn'], { env: { DATAKLAUSUL_LANG: '' } });
    expect(nn.stderr).toMatch(/Åtvaringar:\n.*skriven for schemaversjon 1 av svarfila og lesen som versjon 2/);
  });

  it('v1 → v2 is a pure list of edits: the version, and the members version 2 refuses', () => {
    const v1 = parse(readFileSync(fixture(1), 'utf8')) as Record<string, unknown>;
    const frozen = structuredClone(v1);
    const { edits, changes } = v1ToV2.migrate(v1);
    expect(v1).toEqual(frozen);
    expect(edits).toEqual([
      { path: ['schemaVersion'], set: 2 },
      // Last first, so that each index still points at its item.
      { path: ['buyer', 'members', 2], delete: true },
      { path: ['buyer', 'members', 1], delete: true },
    ]);
    expect(changes.map((c) => c.key)).toEqual(['migrate.two.version', 'migrate.two.buyerAsMember', 'migrate.two.duplicateMember']);
    const plan = planMigration(v1);
    expect(plan.kind).toBe('migrated');
    if (plan.kind !== 'migrated') return;
    expect(plan.value).toEqual(applyEdits(v1, edits));
    expect((plan.value.buyer as { members: unknown[] }).members).toEqual([{ name: 'Nabo kommune', orgNumber: '864000002' }]);
    expect(AnswersSchema.safeParse(plan.value).success).toBe(true);
    // A version 1 file without such members only changes its version.
    expect(v1ToV2.migrate({ schemaVersion: 1, buyer: { orgNumber: '974760673', members: [{ orgNumber: '864000002' }] } }).edits).toEqual([{ path: ['schemaVersion'], set: 2 }]);
  });

  it('chains migrations in order, refuses a newer file, and leaves an unknown version to validation', () => {
    const toThree: Migration = { from: 2, to: 3, migrate: () => ({ edits: [{ path: ['schemaVersion'], set: 3 }, { path: ['added'], set: true }], changes: [] }) };
    const plan = planMigration({ schemaVersion: 1, buyer: { orgNumber: '974760673', members: [] } }, [...MIGRATIONS, toThree], 3);
    expect(plan.kind === 'migrated' && plan.steps.map((s) => `${s.from}→${s.to}`)).toEqual(['1→2', '2→3']);
    expect(plan.kind === 'migrated' && plan.value).toMatchObject({ schemaVersion: 3, added: true });
    expect(planMigration({ schemaVersion: ANSWERS_SCHEMA_VERSION + 1 })).toEqual({ kind: 'newer', version: ANSWERS_SCHEMA_VERSION + 1 });
    expect(planMigration({ schemaVersion: ANSWERS_SCHEMA_VERSION })).toEqual({ kind: 'none' });
    expect(planMigration({ schemaVersion: '1' })).toEqual({ kind: 'none' });
    expect(planMigration({ schemaVersion: 0 })).toEqual({ kind: 'none' });
  });
});

describe('dataklausul migrate', () => {
  it('rewrites a version 1 file in place, keeping its comments, and builds the same appendix as the in-memory migration', () => {
    const dir = tmp('migrate');
    const file = path.join(dir, 'v1.yaml');
    copyFileSync(fixture(1), file);
    const r = runCli(['migrate', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${file}: updated from schema version 1 to 2:`);
    expect(r.stdout).toContain('  - buyer.members[1] (Eksempel kommune, 974760673) removed: it is the buyer itself');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^schemaVersion: 2$/m);
    // Comments, quoting and the order of keys are kept; the dropped members are gone, with the comment on one of them.
    expect(text).toContain('# An answers file as dataklausul wrote them for answers schema version 1');
    expect(text).toContain('name: Eksempel kommune # the buyer signs the contract');
    expect(text).toContain('orgNumber: "974 760 673"');
    expect(text).not.toContain('Nabo kommune (igjen)');
    expect(text).not.toContain('Listed by mistake');
    expect(text).toContain('exit/transition-period: { days: 20 }');
    const original = readFileSync(fixture(1), 'utf8').split('\n');
    const kept = text.split('\n');
    // Every other byte is as it was: the only new line is the version.
    expect(kept.filter((l) => !original.includes(l))).toEqual(['schemaVersion: 2']);
    expect(original.filter((l) => !kept.includes(l))).toEqual(['schemaVersion: 1', '    # Listed by mistake in version 1: this is the buyer itself.', '    - name: Eksempel kommune', '      orgNumber: "974760673"', '    - name: Nabo kommune (igjen)', '      orgNumber: "864 000 002"']);

    // The rewritten file reads without a warning and gives the same appendix as version 1 read in memory.
    const migrated = tmp('migrated-out');
    const inMemory = tmp('in-memory-out');
    const b = runCli(['build', file, '--format', 'json', '--out', migrated]);
    expect(b.code).toBe(0);
    expect(b.stderr).toBe('');
    expect(runCli(['build', fixture(1), '--format', 'json', '--out', inMemory]).code).toBe(0);
    // The same appendix; only the answers file's digest differs.
    const model = (dir: string) => {
      const m = JSON.parse(readFileSync(path.join(dir, 'v1.json'), 'utf8')) as { provenance: { answers: { digest: string } } };
      m.provenance.answers.digest = '';
      return m;
    };
    expect(model(migrated)).toEqual(model(inMemory));

    // A second run has nothing to do and leaves the file as it is.
    const again = runCli(['migrate', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${file} is already schema version 2; nothing was changed.\n`);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('migrates a JSON answers file', () => {
    const dir = tmp('json');
    const file = path.join(dir, 'a.json');
    writeFileSync(file, JSON.stringify(parse(readFileSync(fixture(1), 'utf8'))));
    expect(runCli(['migrate', file]).code).toBe(0);
    const v = JSON.parse(readFileSync(file, 'utf8')) as { schemaVersion: number; buyer: { members: unknown[] } };
    expect(v.schemaVersion).toBe(2);
    expect(v.buyer.members).toHaveLength(1);
    expect(runCli(['build', file, '--format', 'md', '--out', dir]).code).toBe(0);
  });

  it('refuses a file newer than the tool, in build and in migrate, and writes nothing', () => {
    const dir = tmp('newer');
    const file = path.join(dir, 'future.yaml');
    const text = readFileSync(fixture(ANSWERS_SCHEMA_VERSION), 'utf8').replace(/^schemaVersion: \d+$/m, `schemaVersion: ${ANSWERS_SCHEMA_VERSION + 1}`);
    writeFileSync(file, text);
    for (const args of [['migrate', file], ['build', file, '--format', 'md,json', '--out', dir], ['explain', file]]) {
      const r = runCli(args);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr).toContain(`${file}: the answers file has schema version ${ANSWERS_SCHEMA_VERSION + 1}, but this dataklausul reads versions up to ${ANSWERS_SCHEMA_VERSION}; nothing was written. Update dataklausul.`);
      expect(r.stderr).toMatch(/future\.yaml:3: schemaVersion: schemaVersion 3 is newer than 2/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['future.yaml']);
  });

  it('does not rewrite a version 1 file that is wrong for another reason', () => {
    const dir = tmp('bad');
    const file = path.join(dir, 'bad.yaml');
    const text = readFileSync(fixture(1), 'utf8').replace('deliveryModel: saas', 'deliveryModel: cloud');
    writeFileSync(file, text);
    const r = runCli(['migrate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:\d+: deliveryModel: expected one of/);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['bad.yaml']);
  });
});
