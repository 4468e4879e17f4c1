import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  ClauseMetaSchema,
  ClauseTextFrontMatterSchema,
  FormatRegistrySchema,
  LibraryManifestSchema,
  TermsFileSchema,
  type ClauseMeta,
  type DataKind,
  type FormatEntry,
  type LibraryManifest,
  type TermsFile,
} from './schema.js';
import { decodeText, readInputFile } from './limits.js';
import { problemsFromZod, UserError, type Problem } from './problems.js';
import { parseYamlSource, splitFrontMatter } from './yaml-source.js';

export interface ClauseText {
  lang: string;
  file: string;
  title: string;
  requirement?: string;
  questions: Record<string, string>;
  /** Labels of enum parameter values, by parameter and value. */
  choices: Record<string, Record<string, string>>;
  body: string;
  /** Line in `file` where the body starts. */
  bodyLine: number;
  /** Line in `file` of the `requirement:` key, if any. */
  requirementLine?: number;
  /** Line in `file` of the `choices:` key, if any. */
  choicesLine?: number;
}

export interface LoadedClause {
  meta: ClauseMeta;
  /** Path of the metadata file, as shown to the user. */
  file: string;
  /** Line of each top-level key in the metadata file. */
  lineOf: (path: ReadonlyArray<PropertyKey>) => number | undefined;
  texts: Record<string, ClauseText>;
  library: string;
}

export interface LoadedLibrary {
  manifest: LibraryManifest;
  /** The folder as given by the user. */
  dir: string;
  digest: string;
  clauses: LoadedClause[];
  formats: FormatEntry[];
  /** The kinds of data the export matrix names (`dataKinds` in formats.yaml). */
  dataKinds: DataKind[];
  formatsFile?: string;
  /** `terms.yaml`: modal words per language and house terms; absent when the layer has none. */
  terms?: TermsFile;
  termsFile?: string;
  /** Text files that do not belong to any clause with metadata. */
  orphanTexts: Array<{ file: string; id: string; lang: string }>;
}

export interface LoadResult {
  library: LoadedLibrary | null;
  problems: Problem[];
}

// Synchronous on purpose: a library is a few hundred small files, and one promise per file costs
// more than reading them.
function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(full));
    else if (e.isFile()) out.push(full);
  }
  return out.sort();
}

/** Line of a top-level key in front matter, found by text: cheaper than a position-keeping parse. */
function lineOfKey(frontMatter: string, key: string, firstLine: number): number | undefined {
  const i = frontMatter.split('\n').findIndex((l) => l.startsWith(`${key}:`));
  return i < 0 ? undefined : firstLine + i;
}

/** Reads one clause library folder. Never throws for content problems: they come back as problems. */
export async function loadLibrary(dir: string): Promise<LoadResult> {
  const problems: Problem[] = [];
  const display = (p: string) => path.relative(process.cwd(), p) || p;
  let st;
  try {
    st = await stat(dir);
  } catch {
    return { library: null, problems: [{ severity: 'error', file: dir, message: 'library folder not found', hint: 'Give the path of a folder that contains library.yaml.' }] };
  }
  if (!st.isDirectory()) {
    return { library: null, problems: [{ severity: 'error', file: dir, message: 'not a folder', hint: 'Give the path of a folder that contains library.yaml.' }] };
  }
  const files = walk(dir);
  const hash = createHash('sha256');
  const contents = new Map<string, string>();
  for (const f of files) {
    const rel = path.relative(dir, f).split(path.sep).join('/');
    if (!/\.(ya?ml|md)$/.test(rel)) continue;
    let text: string;
    try {
      text = decodeText(readInputFile(display(f), 'library'), display(f));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      const msg = e.message.startsWith(`${display(f)}: `) ? e.message.slice(display(f).length + 2) : e.message;
      problems.push({ severity: 'error', file: display(f), message: msg });
      continue;
    }
    contents.set(rel, text);
    hash.update(`${rel}\0${text}\0`);
  }
  const digest = hash.digest('hex');

  const manifestFile = path.join(dir, 'library.yaml');
  const manifestText = contents.get('library.yaml');
  if (manifestText === undefined) {
    return {
      library: null,
      problems: [{ severity: 'error', file: display(manifestFile), message: 'missing library.yaml', hint: 'Add library.yaml with name, version, title and languages (see clauses/README.md).' }],
    };
  }
  const manSrc = parseYamlSource(manifestText, display(manifestFile));
  problems.push(...manSrc.problems);
  const manParsed = LibraryManifestSchema.safeParse(manSrc.value);
  if (!manParsed.success) {
    if (!manSrc.problems.length) problems.push(...problemsFromZod(manParsed.error, display(manifestFile), manSrc.lineOf, manSrc.value));
    return { library: null, problems };
  }
  const manifest = manParsed.data;

  let formats: FormatEntry[] = [];
  let dataKinds: DataKind[] = [];
  let formatsFile: string | undefined;
  const formatsText = contents.get('formats.yaml');
  if (formatsText !== undefined) {
    formatsFile = display(path.join(dir, 'formats.yaml'));
    const src = parseYamlSource(formatsText, formatsFile);
    problems.push(...src.problems);
    if (!src.problems.length) {
      const parsed = FormatRegistrySchema.safeParse(src.value);
      if (parsed.success) ({ formats, dataKinds } = parsed.data);
      else problems.push(...problemsFromZod(parsed.error, formatsFile, src.lineOf, src.value));
    }
  }

  let terms: TermsFile | undefined;
  let termsFile: string | undefined;
  const termsText = contents.get('terms.yaml');
  if (termsText !== undefined) {
    termsFile = display(path.join(dir, 'terms.yaml'));
    const src = parseYamlSource(termsText, termsFile);
    problems.push(...src.problems);
    if (!src.problems.length) {
      const parsed = TermsFileSchema.safeParse(src.value ?? {});
      if (parsed.success) terms = parsed.data;
      else problems.push(...problemsFromZod(parsed.error, termsFile, src.lineOf, src.value));
    }
  }

  const clauses: LoadedClause[] = [];
  const texts = new Map<string, Record<string, ClauseText>>();
  const orphanTexts: LoadedLibrary['orphanTexts'] = [];

  // Text files first, so that metadata can pick them up.
  for (const [rel, text] of contents) {
    const m = /^([^/]+)\/([^/]+)\.([a-z]{2,3})\.md$/.exec(rel);
    if (!m) continue;
    const [, topicDir, slug, lang] = m as unknown as [string, string, string, string];
    const file = display(path.join(dir, rel));
    const split = splitFrontMatter(text);
    if (!split) {
      problems.push({ severity: 'error', file, line: 1, message: 'missing front matter', hint: 'Start the file with a "---" line, then "title: …", then "---", then the text.' });
      continue;
    }
    const src = parseYamlSource(split.frontMatter, file, split.frontMatterLine - 1);
    problems.push(...src.problems);
    if (src.problems.length) continue;
    const parsed = ClauseTextFrontMatterSchema.safeParse(src.value ?? {});
    if (!parsed.success) {
      problems.push(...problemsFromZod(parsed.error, file, src.lineOf, src.value, 'front matter › '));
      continue;
    }
    const id = `${topicDir}/${slug}`;
    const entry = texts.get(id) ?? {};
    entry[lang] = {
      lang,
      file,
      title: parsed.data.title,
      requirement: parsed.data.requirement,
      questions: parsed.data.questions,
      choices: parsed.data.choices,
      body: split.body,
      bodyLine: split.bodyLine,
      requirementLine: lineOfKey(split.frontMatter, 'requirement', split.frontMatterLine),
      choicesLine: lineOfKey(split.frontMatter, 'choices', split.frontMatterLine),
    };
    texts.set(id, entry);
  }

  // Ids with a metadata file, valid or not: their texts are not orphans even if the metadata failed.
  const metaIds = new Set<string>();
  for (const rel of contents.keys()) {
    const m = /^([^/]+)\/([^/.]+)\.ya?ml$/.exec(rel);
    if (m) metaIds.add(`${m[1]}/${m[2]}`);
  }
  for (const [rel, text] of contents) {
    if (rel === 'library.yaml' || rel === 'formats.yaml' || rel === 'terms.yaml') continue;
    const m = /^([^/]+)\/([^/.]+)\.ya?ml$/.exec(rel);
    if (!m) {
      if (/\.ya?ml$/.test(rel)) {
        problems.push({ severity: 'warning', file: display(path.join(dir, rel)), message: 'not part of the library layout, ignored', hint: 'Clause metadata goes in <topic>/<slug>.yaml.' });
      }
      continue;
    }
    const [, topicDir, slug] = m as unknown as [string, string, string];
    const file = display(path.join(dir, rel));
    const src = parseYamlSource(text, file);
    problems.push(...src.problems);
    if (src.problems.length) continue;
    const parsed = ClauseMetaSchema.safeParse(src.value);
    if (!parsed.success) {
      problems.push(...problemsFromZod(parsed.error, file, src.lineOf, src.value));
      continue;
    }
    const expectedId = `${topicDir}/${slug}`;
    if (parsed.data.id !== expectedId) {
      problems.push({
        severity: 'error',
        file,
        line: src.lineOf(['id']),
        field: 'id',
        message: `id "${parsed.data.id}" does not match the file's path`,
        hint: `Write id: ${expectedId}, or move the file to ${parsed.data.id}.yaml.`,
      });
    }
    if (parsed.data.topic !== topicDir) {
      problems.push({
        severity: 'error',
        file,
        line: src.lineOf(['topic']),
        field: 'topic',
        message: `topic "${parsed.data.topic}" does not match the folder "${topicDir}"`,
        hint: `Write topic: ${topicDir}, or move the clause to the folder ${parsed.data.topic}/.`,
      });
    }
    clauses.push({ meta: parsed.data, file, lineOf: src.lineOf, texts: texts.get(expectedId) ?? {}, library: manifest.name });
  }
  for (const [id, byLang] of texts) {
    if (metaIds.has(id)) continue;
    for (const t of Object.values(byLang)) orphanTexts.push({ file: t.file, id, lang: t.lang });
  }

  return { library: { manifest, dir, digest, clauses, formats, dataKinds, formatsFile, terms, termsFile, orphanTexts }, problems };
}

/** Loads several library folders, base first. */
export async function loadLibraries(dirs: readonly string[]): Promise<{ libraries: LoadedLibrary[]; problems: Problem[] }> {
  const libraries: LoadedLibrary[] = [];
  const problems: Problem[] = [];
  for (const dir of dirs) {
    const r = await loadLibrary(dir);
    problems.push(...r.problems);
    if (r.library) libraries.push(r.library);
  }
  return { libraries, problems };
}
