import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentModel } from '../src/assemble/model.js';
import { hasCommand, requireTool, runCli } from './support/tools.js';

/** `build --split`: one file per part of the appendix, each a complete, valid document; nothing else; atomic. */

const work = mkdtempSync(path.join(tmpdir(), 'dk-split-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The same class path as the PDF consumer tests. */
const JARS = ['preflight', 'pdfbox2', 'fontbox2', 'xmpbox', 'commons-logging', 'javax.activation', 'jaxb-api'].map((j) => `/usr/share/java/${j}.jar`);

describe('build --split', () => {
  const out = path.join(work, 'cloud-hr');
  let whole: DocumentModel;

  it('writes one DOCX, PDF and JSON per part, named after the part, and nothing else', () => {
    const one = runCli(['build', 'examples/cloud-hr.yaml', '--format', 'json', '--out', path.join(work, 'whole')]);
    expect(one.code, one.stderr).toBe(0);
    whole = JSON.parse(readFileSync(path.join(work, 'whole', 'cloud-hr.json'), 'utf8')) as DocumentModel;
    const r = runCli(['build', 'examples/cloud-hr.yaml', '--split', '--format', 'docx,pdf,json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const expected = whole.parts.flatMap((p) => ['docx', 'pdf', 'json'].map((f) => `cloud-hr.${p.slug}.${f}`)).sort();
    expect(expected).toContain('cloud-hr.bilag-1.docx');
    expect(expected).toContain('cloud-hr.bilag-7.pdf');
    expect(readdirSync(out).sort()).toEqual(expected);
    for (const p of whole.parts) {
      const m = JSON.parse(readFileSync(path.join(out, `cloud-hr.${p.slug}.json`), 'utf8')) as DocumentModel;
      expect(m.parts).toEqual([p]);
      expect(m.title.appendixLabel).toBe(p.title);
      expect(m.provenance.clauses.every((c) => c.part === p.label)).toBe(true);
    }
  });

  it('each part\'s PDF has its heading (pdftotext), passes qpdf --check and Preflight', () => {
    if (!requireTool('pdftotext (poppler-utils)', hasCommand('pdftotext'))) return;
    if (!requireTool('qpdf', hasCommand('qpdf'))) return;
    for (const p of whole.parts) {
      const pdf = path.join(out, `cloud-hr.${p.slug}.pdf`);
      const text = spawnSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
      expect(text).toContain(p.title);
      for (const other of whole.parts.filter((o) => o !== p)) expect(text).not.toContain(other.title);
      expect(spawnSync('qpdf', ['--check', pdf], { encoding: 'utf8' }).status).toBe(0);
    }
    if (!requireTool('java', hasCommand('java'))) return;
    if (!requireTool('PDFBox Preflight', JARS.every((j) => existsSync(j)))) return;
    for (const p of whole.parts) {
      const pdf = path.join(out, `cloud-hr.${p.slug}.pdf`);
      const r = spawnSync('java', ['-cp', JARS.join(':'), 'org.apache.pdfbox.preflight.Validator_A1b', pdf], { encoding: 'utf8', timeout: 120_000 });
      expect(r.stdout + r.stderr, p.slug).toContain('is a valid PDF/A-1b file');
    }
  });

  it('each part\'s DOCX opens in LibreOffice with its heading', () => {
    if (!requireTool('LibreOffice (soffice)', hasCommand('soffice'))) return;
    if (!requireTool('pdftotext (poppler-utils)', hasCommand('pdftotext'))) return;
    const profile = mkdtempSync(path.join(tmpdir(), 'lo-dk-split-'));
    const lo = path.join(work, 'lo');
    try {
      const docs = whole.parts.map((p) => path.join(out, `cloud-hr.${p.slug}.docx`));
      const r = spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${profile}`, '--convert-to', 'pdf', '--outdir', lo, ...docs], { encoding: 'utf8', timeout: 300_000 });
      expect(r.status, r.stderr).toBe(0);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
    for (const p of whole.parts) {
      const text = spawnSync('pdftotext', ['-enc', 'UTF-8', path.join(lo, `cloud-hr.${p.slug}.pdf`), '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
      expect(text).toContain(p.title);
      expect(text).toContain(`${p.sections[0]!.clauses[0]!.number} ${p.sections[0]!.clauses[0]!.title}`);
    }
  }, 320_000);

  it('refuses to overwrite any part without --force and writes nothing', () => {
    const dir = path.join(work, 'taken');
    const first = runCli(['build', 'examples/cloud-hr.yaml', '--split', '--format', 'md', '--out', dir]);
    expect(first.code, first.stderr).toBe(0);
    const taken = path.join(dir, 'cloud-hr.bilag-7.md');
    writeFileSync(taken, 'mine');
    rmSync(path.join(dir, 'cloud-hr.bilag-1.md'));
    const again = runCli(['build', 'examples/cloud-hr.yaml', '--split', '--format', 'md', '--out', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('cloud-hr.bilag-7.md');
    expect(again.stderr).toContain('--force');
    expect(readFileSync(taken, 'utf8')).toBe('mine');
    expect(readdirSync(dir)).not.toContain('cloud-hr.bilag-1.md');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('without --split writes one file with the parts in order', () => {
    const dir = path.join(work, 'one');
    const r = runCli(['build', 'examples/cloud-hr.yaml', '--format', 'md', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['cloud-hr.md']);
    const md = readFileSync(path.join(dir, 'cloud-hr.md'), 'utf8');
    const at = whole.parts.map((p) => md.indexOf(`\n## ${p.title}\n`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});

