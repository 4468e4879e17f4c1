import { createRequire } from 'node:module';
import jsYaml from 'js-yaml';
import type * as YamlLib from 'yaml';
import { DEFAULT_LIMITS } from './limits.js';
import type { Problem } from './problems.js';

export interface YamlSource {
  value: unknown;
  /** Line (1-based, in the whole file) of the node at a path; the nearest existing ancestor if missing. */
  lineOf: (path: ReadonlyArray<PropertyKey>) => number | undefined;
  problems: Problem[];
}

const require = createRequire(import.meta.url);
let yamlLib: typeof YamlLib | undefined;

/**
 * Parses YAML text. The fast parser (js-yaml, YAML 1.2 core schema: dates stay strings) reads the
 * value; the positions that error messages need are computed with the `yaml` package only when a
 * problem is actually reported, because building its position-keeping document costs several
 * times more than parsing. `lineOffset` is added to every line (for front matter after `---`).
 */
export function parseYamlSource(text: string, file: string, lineOffset = 0): YamlSource {
  let value: unknown;
  const problems: Problem[] = [];
  try {
    value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: file, json: false });
    const shape = checkShape(value);
    if (shape) {
      value = undefined;
      problems.push({
        severity: 'error',
        file,
        message: shape,
        hint: shape.includes('__proto__') ? 'Remove it.' : 'Write the values out plainly; anchors (&name) and aliases (*name) that repeat large parts are refused.',
      });
    }
  } catch (e) {
    const err = e as { reason?: string; mark?: { line: number }; message?: string };
    if (e instanceof RangeError || /maxDepth/.test(err.reason ?? '')) {
      // The parser recurses once per level of nesting: a deep enough file exhausts the stack.
      problems.push({ severity: 'error', file, message: `nested more than ${DEFAULT_LIMITS.maxYamlDepth} levels deep`, hint: 'Mappings and lists in these files are only a few levels deep; check the brackets and indentation.' });
      return { value: undefined, lineOf: () => undefined, problems };
    }
    problems.push({
      severity: 'error',
      file,
      line: err.mark ? err.mark.line + 1 + lineOffset : undefined,
      message: `invalid YAML: ${err.reason ?? (err.message ?? String(e)).split('\n')[0]}`,
      hint: 'Check indentation, colons and quotes around text that contains ": " or "#".',
    });
  }
  let located: { doc: YamlLib.Document; counter: YamlLib.LineCounter } | undefined;
  const lineOf = (path: ReadonlyArray<PropertyKey>): number | undefined => {
    yamlLib ??= require('yaml') as typeof YamlLib;
    const { isMap, isScalar, isSeq } = yamlLib;
    if (!located) {
      const counter = new yamlLib.LineCounter();
      // uniqueKeys: false — its duplicate check is quadratic; js-yaml has already refused duplicates.
      located = { doc: yamlLib.parseDocument(text, { lineCounter: counter, uniqueKeys: false }), counter };
    }
    const { doc, counter } = located;
    const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : counter.linePos(offset).line + lineOffset);
    let node: unknown = doc.contents;
    let best = lineAt((doc.contents as YamlLib.Node | null)?.range?.[0]);
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) return best;
        best = lineAt((pair.key as YamlLib.Node).range?.[0]) ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as YamlLib.Node | undefined;
        if (!item) return best;
        best = lineAt(item.range?.[0]) ?? best;
        node = item;
      } else {
        return best;
      }
    }
    return best;
  };
  return { value, lineOf, problems };
}

/**
 * Counts the nodes of a parsed value as if every alias were expanded, and its nesting depth;
 * returns a message when a limit is passed. Stops counting at the limit, so an alias bomb that
 * would expand to billions of nodes is refused after a bounded walk.
 */
function checkShape(value: unknown): string | null {
  const { maxYamlNodes, maxYamlDepth } = DEFAULT_LIMITS;
  let nodes = 0;
  let problem: string | null = null;
  const visit = (v: unknown, depth: number): void => {
    if (problem) return;
    if (++nodes > maxYamlNodes) {
      problem = `more than ${maxYamlNodes} values once aliases are expanded (the limit for one file)`;
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (depth >= maxYamlDepth) {
      problem = `nested more than ${maxYamlDepth} levels deep`;
      return;
    }
    if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else {
      for (const k of Object.keys(v)) {
        // Validators skip this key silently, so it would be ignored rather than refused.
        if (k === '__proto__') {
          problem = `the key "__proto__" is not allowed (it is a reserved name)`;
          return;
        }
        visit((v as Record<string, unknown>)[k], depth + 1);
      }
    }
  };
  visit(value, 0);
  return problem;
}

/** Splits `---\nfront matter\n---\nbody` into its parts with the body's first line number. */
export function splitFrontMatter(text: string): { frontMatter: string; body: string; frontMatterLine: number; bodyLine: number } | null {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!normalised.startsWith('---\n')) return null;
  const end = normalised.indexOf('\n---', 3);
  if (end < 0) return null;
  const afterFence = normalised.indexOf('\n', end + 4);
  const frontMatter = normalised.slice(4, end + 1);
  const body = afterFence < 0 ? '' : normalised.slice(afterFence + 1);
  const fmLines = frontMatter.split('\n').length - 1;
  return { frontMatter, body, frontMatterLine: 2, bodyLine: 2 + fmLines + 1 };
}
