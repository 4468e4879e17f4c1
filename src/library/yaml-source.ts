import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import type { Problem } from './problems.js';

export interface YamlSource {
  value: unknown;
  /** Line (1-based, in the whole file) of the node at a path; the nearest existing ancestor if missing. */
  lineOf: (path: ReadonlyArray<PropertyKey>) => number | undefined;
  problems: Problem[];
}

/**
 * Parses YAML text keeping positions, so that every later problem can name its line.
 * `lineOffset` is added to every line (for front matter that starts after a `---` line).
 */
export function parseYamlSource(text: string, file: string, lineOffset = 0): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = doc.errors.map((e) => ({
    severity: 'error' as const,
    file,
    line: lineCounter.linePos(e.pos[0]).line + lineOffset,
    message: `invalid YAML: ${e.message.split('\n')[0]}`,
    hint: 'Check indentation, colons and quotes around text that contains ": " or "#".',
  }));
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line + lineOffset);
  const lineOf = (path: ReadonlyArray<PropertyKey>): number | undefined => {
    let node: unknown = doc.contents;
    let best = lineAt((doc.contents as Node | null)?.range?.[0]);
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) return best;
        best = lineAt((pair.key as Node).range?.[0]) ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as Node | undefined;
        if (!item) return best;
        best = lineAt(item.range?.[0]) ?? best;
        node = item;
      } else {
        return best;
      }
    }
    return best;
  };
  const value = problems.length ? undefined : doc.toJS({ maxAliasCount: 50 });
  return { value, lineOf, problems };
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
