import { handlebars } from './handlebars.js';
import { DEFAULT_LIMITS } from './limits.js';

/** The only helpers a clause template may call; src/assemble/helpers.ts implements exactly these (the type enforces it). */
export const CLAUSE_HELPERS = ['duration', 'amount', 'date', 'list', 'formatList', 'licenceName', 'plural', 'number', 'eq', 'shall', 'Shall'] as const;
export type ClauseHelper = (typeof CLAUSE_HELPERS)[number];
/**
 * Helpers called without arguments (`{{shall}}`): the clause's effective requirement level as a
 * word ("skal"/"bør", "shall"/"should"); `Shall` capitalises it for a sentence start.
 */
export const NO_ARG_HELPERS: ReadonlySet<string> = new Set<ClauseHelper>(['shall', 'Shall']);
const BUILTIN_BLOCKS = new Set(['if', 'unless', 'each', 'with']);

export interface TemplateRef {
  /** Dotted path as written, e.g. "answers.buyer.name" or "days". */
  path: string;
  line: number;
}

export interface TemplateScan {
  refs: TemplateRef[];
  helpers: TemplateRef[];
  error?: { message: string; line?: number };
}

type AnyNode = { type: string; loc?: { start: { line: number } } } & Record<string, unknown>;

/**
 * Lists the values and helpers a Handlebars template uses, without running it. Paths inside
 * `each`/`with` blocks are relative to the block's value and are not reported.
 */
const parsed = new Map<string, hbs.AST.Program>();
/** Syntax trees parsed in an earlier run (the compiled library), as JSON, by source; read and decoded when first used. */
const stored = new Map<string, () => string>();

/**
 * Parses a template with Handlebars' own parser; each distinct source is parsed once per process, and not at all
 * when the compiled library brought its tree along (see `storedTemplate`).
 */
export function parseTemplate(source: string): hbs.AST.Program {
  let ast = parsed.get(source);
  if (!ast) {
    const json = stored.get(source);
    ast = json !== undefined ? (JSON.parse(json()) as hbs.AST.Program) : handlebars().parse(source);
    parsed.set(source, ast);
  }
  return ast;
}

/** What the template interpreter and the scan read of a tree: everything else (columns, strip flags, raw text) is left out. */
const KEPT = new Set(['type', 'body', 'value', 'original', 'parts', 'depth', 'data', 'path', 'params', 'hash', 'pairs', 'key', 'program', 'inverse', 'loc', 'start', 'line']);

/** A parsed template as compact JSON, for the compiled library; `parseTemplate` takes it back through `useStoredTemplates`. */
export function storedTemplate(source: string): string {
  return JSON.stringify(parseTemplate(source), function (this: Record<string, unknown>, key: string, value: unknown) {
    if (key === '' || /^\d+$/.test(key)) return value;
    if (!KEPT.has(key)) return undefined;
    if (key === 'loc') return value ? { start: { line: (value as { start: { line: number } }).start.line } } : undefined;
    if (key === 'original' && this.type === 'ContentStatement') return undefined;
    return value;
  });
}

/**
 * Trees from the compiled library, by source: used instead of parsing those sources again. Each
 * comes as a function that returns its JSON, so that a build decodes only the few dozen trees of
 * the clauses it renders, not the hundreds the library holds.
 */
export function useStoredTemplates(entries: ReadonlyArray<readonly [string, () => string]>): void {
  for (const [source, json] of entries) if (!parsed.has(source)) stored.set(source, json);
}

export function scanTemplate(source: string): TemplateScan {
  let ast: hbs.AST.Program;
  try {
    ast = parseTemplate(source);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /line (\d+)/.exec(message);
    const lines = message.split('\n');
    const expecting = lines[lines.length - 1] ?? '';
    const detail = /got 'EOF'/.test(expecting)
      ? 'a block is not closed (e.g. {{#if …}} without {{/if}})'
      : /^Expecting/.test(expecting)
        ? expecting.replace(/^Expecting /, 'expected ')
        : (lines[0] ?? message);
    return { refs: [], helpers: [], error: { message: detail, line: m ? Number(m[1]) : undefined } };
  }
  const refs: TemplateRef[] = [];
  const helpers: TemplateRef[] = [];
  const visitPath = (p: AnyNode, scoped: boolean) => {
    if (p.type !== 'PathExpression' || scoped) return;
    const original = String(p.original);
    if (original === 'this' || original.startsWith('@') || original.startsWith('../') || original.startsWith('this.')) return;
    refs.push({ path: original, line: p.loc?.start.line ?? 1 });
  };
  const visitCall = (node: AnyNode, scoped: boolean) => {
    const pathNode = node.path as AnyNode;
    const params = (node.params as AnyNode[] | undefined) ?? [];
    const hash = (node.hash as { pairs: Array<{ value: AnyNode }> } | undefined)?.pairs ?? [];
    const isCall = params.length > 0 || hash.length > 0 || node.type === 'BlockStatement' || node.type === 'SubExpression';
    if ((isCall || NO_ARG_HELPERS.has(String(pathNode.original))) && pathNode.type === 'PathExpression') {
      helpers.push({ path: String(pathNode.original), line: pathNode.loc?.start.line ?? 1 });
    } else {
      visitPath(pathNode, scoped);
    }
    for (const p of [...params, ...hash.map((h) => h.value)]) visitExpr(p, scoped);
  };
  const visitExpr = (node: AnyNode, scoped: boolean) => {
    if (node.type === 'SubExpression') visitCall(node, scoped);
    else visitPath(node, scoped);
  };
  let tooDeep: { line: number } | undefined;
  const visitProgram = (prog: hbs.AST.Program | undefined, scoped: boolean, depth = 0) => {
    if (!prog) return;
    for (const stmt of prog.body as unknown as AnyNode[]) {
      if (stmt.type === 'MustacheStatement') visitCall(stmt, scoped);
      else if (stmt.type === 'BlockStatement') {
        if (depth + 1 > DEFAULT_LIMITS.maxTemplateDepth) {
          tooDeep ??= { line: stmt.loc?.start.line ?? 1 };
          continue;
        }
        visitCall(stmt, scoped);
        const name = String((stmt.path as AnyNode).original);
        const inner = scoped || name === 'each' || name === 'with';
        visitProgram(stmt.program as hbs.AST.Program, inner, depth + 1);
        visitProgram(stmt.inverse as hbs.AST.Program | undefined, scoped, depth + 1);
      } else if (stmt.type === 'PartialStatement' || stmt.type === 'PartialBlockStatement' || stmt.type === 'DecoratorBlock' || stmt.type === 'Decorator') {
        helpers.push({ path: '>partial', line: stmt.loc?.start.line ?? 1 });
      }
    }
  };
  visitProgram(ast, false);
  if (tooDeep) return { refs, helpers, error: { message: `blocks ({{#each}}, {{#if}} …) are nested more than ${DEFAULT_LIMITS.maxTemplateDepth} levels deep (the limit)`, line: tooDeep.line } };
  return { refs, helpers };
}

export function isKnownHelper(name: string): boolean {
  return BUILTIN_BLOCKS.has(name) || (CLAUSE_HELPERS as readonly string[]).includes(name);
}
