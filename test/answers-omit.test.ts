import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AnswersSchema, type Answers } from '../src/core/answers.js';
import { omittableClauses, selectClauses } from '../src/assemble/select.js';
import type { Policy } from '../src/assemble/policy.js';
import { loadContext, type Context } from '../src/cli/pipeline.js';
import { hasCommand, requireTool, ROOT, runCli } from './support/tools.js';

/** Opt-outs with reasons (issue 12 item 3): `omit: [{ clause, reason }]` in the answers. */

const base = readFileSync(path.join(ROOT, 'examples/cloud-hr.yaml'), 'utf8');
const REASON = 'Ingen tredjepart skal ha tilgang; det er avgjort i sak 2027/0142-3.';
const OMIT = `omit:\n  - clause: access/third-party-access\n    reason: "${REASON}"\n`;

let ctx: Context;
beforeAll(async () => {
  ctx = await loadContext();
});

const answers = (extra: Partial<Answers>): Answers => AnswersSchema.parse({ ...(parse(base) as object), ...extra });

/** A folder with the answers file (cloud-hr plus `extra`) and an empty output folder. */
function setup(name: string, extra: string): { dir: string; file: string; out: string; text: string } {
  const dir = mkdtempSync(path.join(tmpdir(), `dk-omit-${name}-`));
  const file = path.join(dir, 'omit.yaml');
  const text = `${base}${extra}`;
  writeFileSync(file, text);
  const out = path.join(dir, 'out');
  mkdirSync(out);
  return { dir, file, out, text };
}
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('selection', () => {
  it('leaves an omitted clause out, with the buyer\'s reason, and changes nothing else', () => {
    const without = selectClauses(answers({}), ctx.library);
    const sel = selectClauses(answers({ omit: [{ clause: 'access/third-party-access', reason: REASON }] }), ctx.library);
    expect(sel.problems).toEqual([]);
    expect(sel.included.map((s) => s.clause.meta.id)).toEqual(without.included.map((s) => s.clause.meta.id).filter((id) => id !== 'access/third-party-access'));
    const out = sel.excluded.find((s) => s.clause.meta.id === 'access/third-party-access');
    expect(out).toMatchObject({ omitted: REASON, reason: `left out by the buyer: ${REASON}` });
    expect(sel.excluded.filter((s) => s.omitted !== undefined)).toHaveLength(1);
  });

  it('leaves out a clause together with the clauses that require it, and a clause only an omitted one pulled in', () => {
    // Every included clause that requires api/documented-api, and every one that requires those, left out with it.
    const without = selectClauses(answers({}), ctx.library);
    const inc = new Set(without.included.map((s) => s.clause.meta.id));
    const out = new Set(['api/documented-api']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const id of inc) if (!out.has(id) && ctx.library.byId.get(id)!.meta.requires.some((r) => out.has(r))) grew = !!out.add(id);
    }
    expect(out.size).toBeGreaterThan(3);
    const sel = selectClauses(answers({ omit: [...out].map((clause) => ({ clause, reason: 'Ikke API i denne anskaffelsen.' })) }), ctx.library);
    expect(sel.problems.filter((p) => /cannot be left out/.test(p.message))).toEqual([]);
    expect(sel.included.map((s) => s.clause.meta.id).filter((id) => out.has(id))).toEqual([]);
    expect(sel.excluded.filter((s) => s.omitted !== undefined)).toHaveLength(out.size);
  });

  it('with a layer where extra/a requires extra/b: omitting a drops b, omitting b alone names both', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dk-omit-layer-'));
    const files: Record<string, string> = {
      'library.yaml': 'name: omit-test\nversion: 1.0.0\ntitle: { nb: Test, en: Test }\nlanguages: [nb, en]\nextends: [nasjonal-basis]\n',
      'access/a.yaml': 'id: access/a\nversion: 1.0.0\ntopic: access\norder: 90\nrequires: [access/b]\nssa: requirements\n',
      // Selected by no answer of its own: only access/a pulls it in.
      'access/b.yaml': 'id: access/b\nversion: 1.0.0\ntopic: access\norder: 91\nwhen: { answer: sector, equals: culture }\nssa: requirements\n',
    };
    for (const id of ['a', 'b']) for (const lang of ['nb', 'en']) files[`access/${id}.${lang}.md`] = `---\ntitle: Klausul ${id}\n---\n${lang === 'nb' ? 'Leverandøren {{shall}} gjøre' : 'The Supplier {{shall}} do'} ${id}.\n`;
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), text);
    }
    const explain = (omit: string) => {
      const { file } = setup('layer', omit);
      return runCli(['explain', file, '--json', '--library', dir]);
    };
    const plain = JSON.parse(explain('').stdout) as { included: Array<{ id: string; reason: string }> };
    expect(plain.included.find((i) => i.id === 'access/b')?.reason).toBe('required by access/a');
    const both = explain('omit:\n  - clause: access/a\n    reason: Passer ikke.\n');
    expect(both.code).toBe(0);
    const j = JSON.parse(both.stdout) as { included: Array<{ id: string }>; omitted: Array<{ id: string }>; excluded: Array<{ id: string; reason: string }> };
    expect(j.included.map((i) => i.id)).not.toContain('access/a');
    expect(j.included.map((i) => i.id)).not.toContain('access/b');
    expect(j.omitted.map((o) => o.id)).toEqual(['access/a']);
    expect(j.excluded.find((e) => e.id === 'access/b')?.reason).toMatch(/^condition not met: sector = "culture"/);
    const bad = explain('omit:\n  - clause: access/b\n    reason: Passer ikke.\n');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).problems).toEqual([
      expect.objectContaining({ severity: 'error', field: 'omit[0] › clause', message: 'clause access/b cannot be left out: access/a (always included (no condition)) requires it', hint: 'Leave out access/a as well, or keep access/b.' }),
    ]);
  });

  it('names every included clause that requires an omitted one', () => {
    // api/documented-api is required by several API clauses: each is named.
    const sel = selectClauses(answers({ omit: [{ clause: 'api/documented-api', reason: 'x' }] }), ctx.library, 'a.yaml');
    const errors = sel.problems.filter((p) => p.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'a.yaml', field: 'omit[0] › clause' });
    expect(errors[0]!.message).toMatch(/^clause api\/documented-api cannot be left out: api\/authentication \(condition met: access\.api = true\), .* require it$/);
    expect(errors[0]!.hint).toMatch(/^Leave out api\/authentication, .* as well, or keep api\/documented-api\.$/);
    const requiring = ctx.library.clauses.filter((c) => c.meta.requires.includes('api/documented-api') && sel.included.some((s) => s.clause.meta.id === c.meta.id));
    for (const c of requiring) expect(errors[0]!.message).toContain(c.meta.id);
  });
});

describe('omittableClauses (for the interview\'s offer)', () => {
  it('lists exactly the included clauses that one more omit entry would leave out without an error', () => {
    const a = answers({});
    const policy: Policy = { name: 'p', version: '1.0.0', title: 'P', rules: [{ id: 'keep', description: 'x', requireClauses: ['access/third-party-access'] }] };
    const sel = selectClauses(a, ctx.library, 'a.yaml', policy);
    const offered = omittableClauses(a, sel, ctx.library, policy);
    expect(offered).not.toContain('ownership/data-rights');
    expect(offered).not.toContain('api/documented-api');
    expect(offered).not.toContain('access/third-party-access');
    expect(offered).toContain('quality/quality-reporting');
    for (const s of sel.included) {
      const id = s.clause.meta.id;
      const tried = selectClauses(answers({ omit: [{ clause: id, reason: 'r' }] }), ctx.library, 'a.yaml', policy);
      expect(tried.problems.some((p) => p.field === 'omit[0] › clause'), id).toBe(!offered.includes(id));
    }
    // With a deviation recorded for the rule, its clause is offered too.
    const deviated = answers({ deviations: [{ rule: 'keep', reason: 'ok' }] });
    expect(omittableClauses(deviated, selectClauses(deviated, ctx.library, 'a.yaml', policy), ctx.library, policy)).toContain('access/third-party-access');
  });
});

describe('explain', () => {
  it('shows "left out by the buyer" with the reason, in nb, nn and en, as text and JSON', () => {
    const { file } = setup('explain', OMIT);
    const nb = runCli(['explain', file], { env: { DATAKLAUSUL_LANG: '' } });
    expect(nb.code).toBe(0);
    expect(nb.stdout).toContain(`  - access/third-party-access: utelatt av Kunden: ${REASON}\n`);
    expect(nb.stdout).not.toMatch(/\+ access\/third-party-access/);
    expect(runCli(['explain', file, '--lang', 'nn']).stdout).toContain(`  - access/third-party-access: utelaten av Kunden: ${REASON}\n`);
    expect(runCli(['explain', file]).stdout).toContain(`  - access/third-party-access: left out by the buyer: ${REASON}\n`);
    const json = JSON.parse(runCli(['explain', file, '--json']).stdout) as {
      included: Array<{ id: string }>;
      excluded: Array<{ id: string; reason: string; omitted?: string }>;
      omitted: Array<{ id: string; version: string; topic: string; reason: string }>;
    };
    expect(json.omitted).toEqual([{ id: 'access/third-party-access', version: ctx.library.byId.get('access/third-party-access')!.meta.version, topic: 'access', reason: REASON }]);
    expect(json.excluded.find((e) => e.id === 'access/third-party-access')).toEqual({ id: 'access/third-party-access', topic: 'access', reason: `left out by the buyer: ${REASON}`, reasonKey: 'explain.omitted', omitted: REASON });
    expect(json.included.map((i) => i.id)).not.toContain('access/third-party-access');
  });
});

describe('the provenance annex', () => {
  it('lists every omission with its reason in md, html, json, docx and pdf', () => {
    const { file, out } = setup('annex', `${OMIT}  - clause: quality/quality-reporting\n    reason: Kvaliteten følges opp i driftsmøtene.\n`);
    const r = runCli(['build', file, '--format', 'md,html,json,docx,pdf', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const md = readFileSync(path.join(out, 'omit.md'), 'utf8');
    const v = (id: string) => ctx.library.byId.get(id)!.meta.version;
    expect(md).toContain(
      `- Utelatt av Kunden: access/third-party-access ${v('access/third-party-access')} (Tilgang for tredjepart som Kunden utpeker): ${REASON}; quality/quality-reporting ${v('quality/quality-reporting')} (Rapportering om datakvalitet i avtaleperioden): Kvaliteten følges opp i driftsmøtene.`,
    );
    // Not in the appendix itself.
    expect(md).not.toContain('### 2.4 Tilgang for tredjepart');
    expect(md.split('Tilgang for tredjepart som Kunden utpeker')).toHaveLength(2);
    const html = readFileSync(path.join(out, 'omit.html'), 'utf8');
    expect(html).toContain(`<li>Utelatt av Kunden: access/third-party-access ${v('access/third-party-access')} (Tilgang for tredjepart som Kunden utpeker): ${REASON};`);
    const model = JSON.parse(readFileSync(path.join(out, 'omit.json'), 'utf8')) as { provenance: { omissions: unknown[]; clauses: Array<{ id: string }> } };
    expect(model.provenance.omissions).toEqual([
      { id: 'access/third-party-access', version: v('access/third-party-access'), title: 'Tilgang for tredjepart som Kunden utpeker', reason: REASON },
      { id: 'quality/quality-reporting', version: v('quality/quality-reporting'), title: 'Rapportering om datakvalitet i avtaleperioden', reason: 'Kvaliteten følges opp i driftsmøtene.' },
    ]);
    expect(model.provenance.clauses.map((c) => c.id)).not.toContain('access/third-party-access');
    const docx = spawnSync('unzip', ['-p', path.join(out, 'omit.docx'), 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
    expect(docx).toContain('Utelatt av Kunden: ');
    expect(docx).toContain('>access/third-party-access<');
    expect(docx).toContain(REASON);
    if (requireTool('pdftotext', hasCommand('pdftotext'))) {
      const text = spawnSync('pdftotext', ['-layout', path.join(out, 'omit.pdf'), '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
      expect(text).toContain('Utelatt av Kunden: access/third-party-access');
      expect(text).toContain('Ingen tredjepart skal ha tilgang;');
      expect(text).toContain('Kvaliteten følges opp i driftsmøtene.');
    }
  });

  it('in English the annex says "Left out by the Customer" with the English title', () => {
    const { file, out } = setup('annex-en', OMIT);
    expect(runCli(['build', file, '--format', 'md', '--out', out, '--lang', 'en']).code).toBe(0);
    expect(readFileSync(path.join(out, 'omit.md'), 'utf8')).toMatch(/^- Left out by the Customer: access\/third-party-access \S+ \(.+\): Ingen tredjepart/m);
  });
});

describe('bad omit entries', () => {
  const POLICY = 'name: tredjepart\nversion: 1.0.0\ntitle: Tredjepart\nrules:\n  - id: third-party\n    description: Kunden skal kunne gi en tredjepart tilgang.\n    requireClauses: [access/third-party-access]\n';
  it.each([
    ['an unknown clause', 'access/no-such-clause', /unknown clause "access\/no-such-clause"/],
    ['a clause the answers do not select', 'open-data/licence', /clause open-data\/licence is not in this appendix, so there is nothing to leave out/],
    ['a required clause', 'ownership/data-rights', /clause ownership\/data-rights is required in every appendix and cannot be left out/],
    ['a clause another included clause requires', 'api/documented-api', /clause api\/documented-api cannot be left out: api\/\S+ \(condition met: access\.api = true\)/],
  ])('%s: exit 1 naming the file, line and clause; nothing is written', (_name, clause, message) => {
    const { file, out, text } = setup('bad', `omit:\n  - clause: access/self-service-export\n    reason: ok\n  - clause: ${clause}\n    reason: Passer ikke.\n`);
    const r = runCli(['build', file, '--format', 'md,docx,pdf', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`dataklausul: ${file}: the answers cannot make a consistent appendix; nothing was written`);
    const line = lineOf(text, `clause: ${clause}`);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${line}: omit\\[1\\] › clause: `));
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual([]);
    // explain reports the same problem and exits 1.
    const e = runCli(['explain', file]);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(message);
  });

  it('a clause a policy requires: refused without a recorded deviation for that rule, built with one (listed in the annex)', () => {
    const { dir, file, out, text } = setup('policy', OMIT);
    const policy = path.join(dir, 'policy.yaml');
    writeFileSync(policy, POLICY);
    const r = runCli(['build', file, '--format', 'md', '--out', out, '--policy', policy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${file}:${lineOf(text, 'clause: access/third-party-access')}: omit[0] › clause: clause access/third-party-access is required by policy tredjepart, rule third-party; it can only be left out with a recorded deviation from that rule Add to deviations: { rule: third-party, reason: "…" }`,
    );
    expect(readdirSync(out)).toEqual([]);
    // Without the policy the same answers build.
    expect(runCli(['build', file, '--format', 'md', '--out', out]).code).toBe(0);

    const deviated = setup('policy-deviation', `${OMIT}deviations:\n  - rule: third-party\n    reason: Tjenesten har ingen integrasjon med andre.\n    approvedBy: IT-sjefen\n`);
    writeFileSync(path.join(deviated.dir, 'policy.yaml'), POLICY);
    const ok = runCli(['build', deviated.file, '--format', 'md', '--out', deviated.out, '--policy', path.join(deviated.dir, 'policy.yaml')]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const md = readFileSync(path.join(deviated.out, 'omit.md'), 'utf8');
    expect(md).toContain('- Registrerte avvik: tredjepart/third-party: clause access/third-party-access is not in the appendix — Tjenesten har ingen integrasjon med andre.');
    expect(md).toContain(`(Tilgang for tredjepart som Kunden utpeker): ${REASON}`);
  });

  it('a clause listed twice, and an entry without a reason', () => {
    const twice = setup('twice', `${OMIT}  - clause: access/third-party-access\n    reason: igjen\n`);
    const r = runCli(['build', twice.file, '--format', 'md', '--out', twice.out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/omit\.yaml:\d+: omit\[1\] › clause: clause access\/third-party-access is left out twice/);
    const noReason = setup('no-reason', 'omit:\n  - clause: access/third-party-access\n    reason: "  "\n');
    const n = runCli(['build', noReason.file, '--format', 'md', '--out', noReason.out]);
    expect(n.code).toBe(1);
    expect(n.stderr).toMatch(/omit\.yaml:\d+: omit\[0\] › reason: must not be empty/);
    expect(readdirSync(noReason.out)).toEqual([]);
  });
});
