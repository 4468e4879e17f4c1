import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel } from '../src/assemble/model.js';
import { ROOT, hasCommand, requireTool, runCli } from './support/tools.js';

/** Every example answers file present at test time; other work adds more. */
const EXAMPLES = readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

const work = mkdtempSync(path.join(tmpdir(), 'dk-docx-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function build(example: string, format: string, out: string): string {
  const r = runCli(['build', path.join('examples', example), '--format', format, '--out', out, '--force']);
  expect(r.code, r.stderr).toBe(0);
  const file = path.join(out, `${path.basename(example, '.yaml')}.${format}`);
  return file;
}

function headingsOf(model: DocumentModel): string[] {
  return [
    ...model.parts.flatMap((part) => [part.title, ...part.sections.flatMap((s) => [s.title, ...s.clauses.map((c) => c.title)]), ...(part.requirements ? [part.requirements.title] : [])]),
    model.provenance.title,
  ];
}

/** Text as pdftotext and pandoc give it: whitespace collapsed, so a wrapped heading still matches. */
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe.each(EXAMPLES)('DOCX of examples/%s in real consumers', (example) => {
  const dir = path.join(work, path.basename(example, '.yaml'));
  let docx = '';
  let model: DocumentModel;
  beforeAll(() => {
    docx = build(example, 'docx', dir);
    model = JSON.parse(readFileSync(build(example, 'json', dir), 'utf8')) as DocumentModel;
  });

  it('LibreOffice converts it to PDF with every heading, æ, ø and å intact', () => {
    if (!requireTool('LibreOffice (soffice)', hasCommand('soffice'))) return;
    if (!requireTool('pdftotext (poppler-utils)', hasCommand('pdftotext'))) return;
    // Each run gets its own profile, so parallel conversions do not fight over one.
    const profile = mkdtempSync(path.join(tmpdir(), 'lo-dk-'));
    try {
      const r = spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${profile}`, '--convert-to', 'pdf', '--outdir', dir, docx], {
        encoding: 'utf8',
        timeout: 170_000,
      });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
    const pdf = docx.replace(/\.docx$/, '.pdf');
    const text = flat(spawnSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).stdout);
    for (const h of headingsOf(model)) expect(text, h).toContain(flat(h));
    const withNordic = headingsOf(model).filter((h) => /[æøåÆØÅ]/.test(h));
    if (model.lang === 'nb') {
      expect(withNordic.length).toBeGreaterThan(0);
      for (const ch of ['æ', 'ø', 'å']) expect(text).toContain(ch);
    }
    // Word numbers the headings, restarting in every part; LibreOffice shows the same numbers the model has.
    for (const part of model.parts) {
      const first = part.sections[0]!;
      expect(text).toMatch(new RegExp(`${first.clauses[0]!.number}\\s+${first.clauses[0]!.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
    expect(text).toContain(`${model.labels.page} 1 ${model.labels.of} `);
  });

  it('pandoc reads the headings as Header blocks and the requirements table as a Table', () => {
    if (!requireTool('pandoc', hasCommand('pandoc'))) return;
    const r = spawnSync('pandoc', ['-f', 'docx', '-t', 'json', docx], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.status, r.stderr).toBe(0);
    type Node = { t?: string; c?: unknown };
    const ast = JSON.parse(r.stdout) as { blocks: Node[] };
    const textOf = (n: unknown): string => {
      if (Array.isArray(n)) return n.map(textOf).join('');
      if (n && typeof n === 'object') {
        const node = n as Node;
        if (node.t === 'Str') return node.c as string;
        if (node.t === 'Space' || node.t === 'SoftBreak' || node.t === 'LineBreak') return ' ';
        return textOf(node.c);
      }
      return '';
    };
    const headers = ast.blocks.filter((b) => b.t === 'Header').map((b) => flat(textOf((b.c as unknown[])[2])));
    expect(headers).toEqual(expect.arrayContaining(headingsOf(model).map(flat)));
    const tables = ast.blocks.filter((b) => b.t === 'Table');
    const requirements = tables.filter((t) => flat(textOf(t.c)).includes(model.labels.requirementColumns.answer));
    const withRows = model.parts.filter((p) => p.requirements);
    expect(requirements).toHaveLength(withRows.length);
    withRows.forEach((part, i) => {
      for (const row of part.requirements!.rows) expect(flat(textOf(requirements[i]!.c))).toContain(row.id);
    });
  });
});

describe('DOCX build reproducibility', () => {
  it('two CLI builds a few seconds apart give identical bytes', async () => {
    const example = EXAMPLES[0]!;
    const a = build(example, 'docx', path.join(work, 'repro-a'));
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const b = build(example, 'docx', path.join(work, 'repro-b'));
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });
});
