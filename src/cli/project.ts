import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../library/problems.js';

/**
 * The project file `dataklausul.yaml`: how a municipality or partnership sets the tool up once.
 * Found in the working folder or the nearest parent that has one. Every command uses the settings
 * its options accept; an option given on the command line wins.
 */
export const PROJECT_FILE = 'dataklausul.yaml';

export interface ProjectSettings {
  file: string;
  libraries?: string[];
  policy?: string;
  formats?: string;
  out?: string;
  lang?: string;
}

const KEYS = ['libraries', 'policy', 'formats', 'out', 'lang'] as const;

/** The nearest project file from `cwd` upwards, or null. */
export function findProjectFile(cwd: string): string | null {
  let cur = path.resolve(cwd);
  for (;;) {
    const f = path.join(cur, PROJECT_FILE);
    try {
      if (statSync(f).isFile()) return f;
    } catch {
      /* not here */
    }
    const parent = path.dirname(cur);
    if (parent === cur) return null;
    cur = parent;
  }
}

/**
 * Reads and checks a project file. Relative paths in it are relative to its own folder, so the
 * settings work from any subfolder; package names stay names.
 */
export async function readProjectFile(file: string): Promise<ProjectSettings> {
  const { parseYamlSource } = await import('../library/yaml-source.js');
  const { decodeText, readInputFile } = await import('../library/limits.js');
  const text = decodeText(readInputFile(file, 'table'), file);
  const src = parseYamlSource(text, file);
  if (src.problems.length) throw new UserError(`${file}: not valid YAML`, src.problems);
  const v = src.value ?? {};
  const fail = (key: string, msg: string) => {
    throw new UserError(`${file}:${src.lineOf([key]) ?? 1}: ${key}: ${msg}`);
  };
  if (typeof v !== 'object' || Array.isArray(v)) throw new UserError(`${file}: expected a mapping with some of ${KEYS.join(', ')}. Run \`dataklausul init --force\` for a commented example.`);
  const rec = v as Record<string, unknown>;
  for (const k of Object.keys(rec)) if (!(KEYS as readonly string[]).includes(k)) fail(k, `unknown setting; use ${KEYS.join(', ')}`);
  const dir = path.dirname(file);
  const rel = (p: string) => path.relative(process.cwd(), path.resolve(dir, p)) || '.';
  const out: ProjectSettings = { file };
  if (rec.libraries !== undefined) {
    if (!Array.isArray(rec.libraries) || rec.libraries.some((l) => typeof l !== 'string' || !l)) fail('libraries', 'expected a list of library folders or package names');
    const { looksLikePackage } = await import('../library/resolve.js');
    out.libraries = (rec.libraries as string[]).map((l) => (looksLikePackage(l) && !existsSync(path.resolve(dir, l)) ? l : rel(l)));
  }
  for (const k of ['policy', 'out', 'lang'] as const) {
    if (rec[k] === undefined) continue;
    if (typeof rec[k] !== 'string' || !rec[k]) fail(k, 'expected text');
    out[k] = k === 'lang' ? (rec[k] as string) : rel(rec[k] as string);
  }
  if (rec.formats !== undefined) {
    const f = rec.formats;
    if (typeof f === 'string') out.formats = f;
    else if (Array.isArray(f) && f.every((x) => typeof x === 'string')) out.formats = f.join(',');
    else fail('formats', 'expected a list such as [docx, pdf]');
  }
  return out;
}

/**
 * Fills the options of the command about to run from the project file, where the command has the
 * option and the user did not give it. Returns the file used, or null.
 */
export async function applyProjectFile(cmd: Command, cwd: string): Promise<string | null> {
  const names = new Set(cmd.options.map((o) => o.attributeName()));
  if (!['library', 'policy', 'format', 'out', 'lang'].some((n) => names.has(n))) return null;
  const file = findProjectFile(cwd);
  if (!file) return null;
  const s = await readProjectFile(file);
  const set = (name: string, value: unknown) => {
    if (value === undefined || !names.has(name)) return;
    const source = cmd.getOptionValueSource(name);
    if (source === 'cli' || source === 'env') return;
    cmd.setOptionValueWithSource(name, value, 'config');
  };
  // A command-line --library replaces the project's list (collected values arrive as 'cli').
  set('library', s.libraries);
  set('policy', s.policy);
  set('format', s.formats);
  set('out', s.out);
  set('lang', s.lang);
  return file;
}

/** The commented project file `dataklausul init` writes. */
export function projectFileTemplate(): string {
  return `# dataklausul project file: settings every dataklausul command in this folder (and below) uses.
# A flag on the command line wins over a setting here. Paths are relative to this file.

# Clause libraries layered over the national baseline, base first: folders, or npm packages
# installed in this project (npm install @ikt-samarbeid/dataklausuler).
libraries: []
#  - "@ikt-samarbeid/dataklausuler"
#  - ./kommunens-klausuler

# The municipality's architecture policy, enforced by build, explain and audit.
# policy: ./arkitekturpolicy.yaml

# Formats build writes, and where.
formats: [docx, pdf]
out: ./bilag

# Language of the appendix and of messages: nb, nn or en.
lang: nb
`;
}
