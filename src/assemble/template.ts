import { DEFAULT_LIMITS, type Limits } from '../library/limits.js';
import { parseTemplate } from '../library/template-vars.js';

/**
 * Evaluates a clause template. Templates are Handlebars, parsed by Handlebars itself; this small
 * interpreter then walks the syntax tree instead of compiling it to JavaScript, which is several
 * times faster for our hundreds of short templates and generates no code at run time.
 *
 * It is strict in the way `Handlebars.compile(src, { strict: true })` is: a value that is not
 * present throws, it never renders blank. It reads own properties only (no prototype access), calls
 * only the helpers it is given plus `if`, `unless`, `each` and `with`, and inserts values as they
 * are, through `wrap` (the document builder keeps every printed value literal with it).
 */

export type TemplateHelper = (...args: unknown[]) => unknown;

type Node = { type: string; loc?: { start: { line: number } } } & Record<string, unknown>;

interface Frame {
  value: unknown;
  data: Record<string, unknown>;
}

export class TemplateError extends Error {
  constructor(message: string, line?: number) {
    super(line ? `${message} (line ${line})` : message);
    this.name = 'TemplateError';
  }
}

function own(obj: unknown, key: string): boolean {
  return obj !== null && (typeof obj === 'object' || typeof obj === 'function') && Object.prototype.hasOwnProperty.call(obj, key);
}

/** Handlebars' notion of an empty value for `if`: falsy, or an empty list. */
function isEmpty(v: unknown): boolean {
  return !v || (Array.isArray(v) && v.length === 0);
}

function display(v: unknown, line: number | undefined): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => display(x, line)).join(',');
  if (typeof v === 'object' || typeof v === 'function') throw new TemplateError('a mapping cannot be printed; print one of its fields, e.g. {{this.name}}', line);
  return String(v);
}

export function renderTemplate(
  source: string,
  context: Record<string, unknown>,
  helpers: Readonly<Record<string, TemplateHelper>>,
  limits: Pick<Limits, 'maxTemplateDepth' | 'maxTemplateOutput' | 'maxTemplateSteps'> = DEFAULT_LIMITS,
  /** Applied to every value a `{{…}}` prints (not to the template's own text), e.g. to keep it literal. */
  wrap: (value: string) => string = (v) => v,
): string {
  const program = parseTemplate(source);
  // Bounded work: every statement and loop round is a step, and the output has a ceiling, so that
  // nested loops over long lists cannot hang the tool or exhaust memory.
  let steps = 0;
  let produced = 0;
  const step = (line: number | undefined) => {
    if (++steps > limits.maxTemplateSteps) throw new TemplateError(`the template takes more than ${limits.maxTemplateSteps} steps to render (the limit); check for loops inside loops`, line);
  };
  const emit = (s: string, line: number | undefined, length = s.length): string => {
    produced += length;
    if (produced > limits.maxTemplateOutput) throw new TemplateError(`the template produces more than ${limits.maxTemplateOutput} characters (the limit)`, line);
    return s;
  };

  const lookup = (node: Node, stack: Frame[]): unknown => {
    const line = node.loc?.start.line;
    const original = String(node.original);
    const parts = (node.parts as string[]) ?? [];
    const depth = Number(node.depth ?? 0);
    if (node.data) {
      const frame = stack[stack.length - 1 - depth];
      const key = parts[0] ?? '';
      if (!frame || !own(frame.data, key)) throw new TemplateError(`"@${key}" is not available here`, line);
      return frame.data[key];
    }
    const frame = stack[stack.length - 1 - depth];
    if (!frame) throw new TemplateError(`"${original}" refers above the top level`, line);
    let cur = frame.value;
    for (const part of parts) {
      if (!own(cur, part)) throw new TemplateError(`"${original}" is not defined`, line);
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  };

  const evaluate = (node: Node, stack: Frame[]): unknown => {
    switch (node.type) {
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return node.value;
      case 'UndefinedLiteral':
        return undefined;
      case 'NullLiteral':
        return null;
      case 'PathExpression':
        return lookup(node, stack);
      case 'SubExpression':
        return call(node, stack);
      default:
        throw new TemplateError(`unsupported expression ${node.type}`, node.loc?.start.line);
    }
  };

  const call = (node: Node, stack: Frame[]): unknown => {
    const path = node.path as Node;
    const name = String(path.original);
    const hash = node.hash as { pairs: unknown[] } | undefined;
    if (hash && hash.pairs.length) throw new TemplateError(`helper "${name}" takes no named arguments`, node.loc?.start.line);
    const helper = own(helpers, name) ? helpers[name] : undefined;
    if (!helper) throw new TemplateError(`unknown helper "${name}"`, node.loc?.start.line);
    const args = ((node.params as Node[]) ?? []).map((p) => evaluate(p, stack));
    try {
      return helper(...args);
    } catch (e) {
      throw new TemplateError(`${name}: ${e instanceof Error ? e.message : String(e)}`, node.loc?.start.line);
    }
  };

  const renderProgram = (prog: Node | undefined, stack: Frame[], depth: number): string => {
    if (!prog) return '';
    if (depth > limits.maxTemplateDepth) throw new TemplateError(`blocks are nested more than ${limits.maxTemplateDepth} levels deep (the limit)`, prog.loc?.start.line);
    let out = '';
    for (const stmt of prog.body as Node[]) {
      step(stmt.loc?.start.line);
      switch (stmt.type) {
        case 'ContentStatement':
          out += emit(String(stmt.value), stmt.loc?.start.line);
          break;
        case 'CommentStatement':
          break;
        case 'MustacheStatement': {
          const params = (stmt.params as Node[]) ?? [];
          const path = stmt.path as Node;
          const isCall = params.length > 0 || (path.type === 'PathExpression' && !String(path.original).includes('.') && own(helpers, String(path.original)) && !own(stack[stack.length - 1]?.value, String(path.original)));
          const printed = display(isCall ? call(stmt, stack) : evaluate(path, stack), stmt.loc?.start.line);
          // Counted at the printed value's own length: the placeholder `wrap` returns is shorter.
          out += emit(printed === '' ? '' : wrap(printed), stmt.loc?.start.line, printed.length);
          break;
        }
        case 'BlockStatement':
          out += renderBlock(stmt, stack, depth);
          break;
        default:
          throw new TemplateError(`unsupported template syntax (${stmt.type})`, stmt.loc?.start.line);
      }
    }
    return out;
  };

  const renderBlock = (stmt: Node, stack: Frame[], depth: number): string => {
    const name = String((stmt.path as Node).original);
    const params = (stmt.params as Node[]) ?? [];
    const line = stmt.loc?.start.line;
    if (params.length !== 1) throw new TemplateError(`{{#${name}}} takes exactly one value`, line);
    const value = evaluate(params[0]!, stack);
    const program = stmt.program as Node;
    const inverse = stmt.inverse as Node | undefined;
    const top = stack[stack.length - 1]!;
    switch (name) {
      case 'if':
        return isEmpty(value) ? renderProgram(inverse, stack, depth + 1) : renderProgram(program, stack, depth + 1);
      case 'unless':
        return isEmpty(value) ? renderProgram(program, stack, depth + 1) : renderProgram(inverse, stack, depth + 1);
      case 'with':
        return isEmpty(value) ? renderProgram(inverse, stack, depth + 1) : renderProgram(program, [...stack, { value, data: top.data }], depth + 1);
      case 'each': {
        if (!Array.isArray(value)) throw new TemplateError('{{#each}} needs a list', line);
        if (!value.length) return renderProgram(inverse, stack, depth + 1);
        let out = '';
        value.forEach((item, index) => {
          step(line);
          out += renderProgram(program, [...stack, { value: item, data: { ...top.data, index, first: index === 0, last: index === value.length - 1 } }], depth + 1);
        });
        return out;
      }
      default:
        throw new TemplateError(`unknown block helper "#${name}"`, line);
    }
  };

  return renderProgram(program as unknown as Node, [{ value: context, data: { root: context } }], 0);
}
