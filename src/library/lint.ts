import { ANSWER_PATHS } from '../core/answers.js';
import { resolvePlacement, type ContractTypes } from '../core/i18n.js';
import type { Condition, Param, Test } from './schema.js';
import type { LoadedClause, LoadedLibrary } from './load.js';
import { mergeLibraries, type Library } from './library.js';
import type { Problem } from './problems.js';
import { DERIVED_PATHS, EXPORT_KINDS, kindsOf } from '../core/format-kinds.js';
import { isKnownHelper, scanTemplate } from './template-vars.js';
import { checkExtends, checkLocks } from './layers.js';
import { findAvoidedTerms, findModals, maskTemplateTags, modalPattern } from './wording.js';

type Rule = (ctx: LintContext) => Problem[];

interface LintContext {
  layers: readonly LoadedLibrary[];
  library: Library;
  /** The contract types (templates/contract-types.yaml), when known: the changed-point rule needs them. */
  contractTypes?: ContractTypes;
}

const err = (file: string, line: number | undefined, field: string | undefined, message: string, hint?: string): Problem => ({
  severity: 'error',
  file,
  line,
  field,
  message,
  hint,
});

/** Every test inside a condition, with the key path that leads to it. */
function collectTests(cond: Condition, path: Array<string | number> = ['when']): Array<{ test: Test; path: Array<string | number> }> {
  if ('all' in cond) return cond.all.flatMap((c, i) => collectTests(c, [...path, 'all', i]));
  if ('any' in cond) return cond.any.flatMap((c, i) => collectTests(c, [...path, 'any', i]));
  if ('not' in cond) return collectTests(cond.not, [...path, 'not']);
  return [{ test: cond, path }];
}

const uniqueIds: Rule = ({ layers }) => {
  const out: Problem[] = [];
  for (const layer of layers) {
    const seen = new Map<string, LoadedClause>();
    const reqSeen = new Map<string, LoadedClause>();
    for (const c of layer.clauses) {
      const prev = seen.get(c.meta.id);
      if (prev) out.push(err(c.file, c.lineOf(['id']), 'id', `duplicate clause id "${c.meta.id}" (also in ${prev.file})`, 'Give each clause its own id.'));
      seen.set(c.meta.id, c);
      if (c.meta.requirement) {
        const other = reqSeen.get(c.meta.requirement.id);
        if (other) {
          out.push(
            err(c.file, c.lineOf(['requirement', 'id']), 'requirement.id', `duplicate requirement id "${c.meta.requirement.id}" (also in ${other.file})`, 'Requirement ids must be unique: use the next free number.'),
          );
        }
        reqSeen.set(c.meta.requirement.id, c);
      }
    }
  }
  return out;
};

const references: Rule = ({ library }) => {
  const out: Problem[] = [];
  for (const c of library.clauses) {
    for (const key of ['requires', 'excludes'] as const) {
      c.meta[key].forEach((ref, i) => {
        if (!library.byId.has(ref)) {
          out.push(err(c.file, c.lineOf([key, i]), `${key}[${i}]`, `unknown clause "${ref}"`, 'Check the id (see `dataklausul clauses list`), or remove it.'));
        } else if (ref === c.meta.id) {
          out.push(err(c.file, c.lineOf([key, i]), `${key}[${i}]`, 'a clause cannot refer to itself'));
        }
      });
    }
    for (const ref of c.meta.requires) {
      if (c.meta.excludes.includes(ref)) out.push(err(c.file, c.lineOf(['excludes']), 'excludes', `"${ref}" is both required and excluded`));
    }
  }
  // Cycles in requires (a requires b requires a) make selection ambiguous.
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (id: string, stack: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      const key = [...cycle].sort().join();
      if (!reported.has(key)) {
        reported.add(key);
        const c = library.byId.get(id)!;
        out.push(err(c.file, c.lineOf(['requires']), 'requires', `requires forms a cycle: ${cycle.join(' → ')}`, 'Remove one of the requires so that the chain ends.'));
      }
      return;
    }
    state.set(id, 'visiting');
    for (const next of library.byId.get(id)?.meta.requires ?? []) if (library.byId.has(next)) visit(next, [...stack, id]);
    state.set(id, 'done');
  };
  for (const c of library.clauses) visit(c.meta.id, []);
  return out;
};

const conditions: Rule = ({ library }) => {
  const out: Problem[] = [];
  for (const c of library.clauses) {
    if (!c.meta.when) continue;
    for (const { test, path } of collectTests(c.meta.when)) {
      const spec = ANSWER_PATHS[test.answer];
      const field = [...path, 'answer'].join('.');
      if (!spec) {
        out.push(err(c.file, c.lineOf([...path, 'answer']), field, `unknown answer "${test.answer}"`, `Use one of: ${Object.keys(ANSWER_PATHS).join(', ')}.`));
        continue;
      }
      const values = [test.equals, ...(test.in ?? []), test.includes, ...(test.includesAny ?? [])].filter((v) => v !== undefined);
      if (spec.kind === 'enum' && spec.values) {
        for (const v of values) {
          if (!spec.values.includes(String(v))) {
            out.push(err(c.file, c.lineOf(path), path.join('.'), `"${String(v)}" is not a possible value of ${test.answer}`, `Use one of: ${spec.values.join(', ')}.`));
          }
        }
      }
      if (spec.kind === 'boolean') {
        for (const v of values) if (typeof v !== 'boolean') out.push(err(c.file, c.lineOf(path), path.join('.'), `${test.answer} is true or false, not ${JSON.stringify(v)}`));
      }
      if ((test.includes !== undefined || test.includesAny) && spec.kind !== 'list') {
        out.push(err(c.file, c.lineOf(path), path.join('.'), `${test.answer} is not a list; "includes" needs a list answer`, 'Use equals or in.'));
      }
      if (test.answer === 'formats') {
        for (const v of values) {
          if (!library.formats.has(String(v))) out.push(err(c.file, c.lineOf(path), path.join('.'), `unknown format "${String(v)}"`, 'Use an id from formats.yaml.'));
        }
      }
    }
  }
  return out;
};

function checkParam(c: LoadedClause, name: string, p: Param, library: Library): Problem[] {
  const out: Problem[] = [];
  const line = () => c.lineOf(['params', name]);
  const field = `params.${name}`;
  if (name === 'answers' || name === 'derived') out.push(err(c.file, line(), field, `"${name}" cannot be a parameter name: templates read the answers and the derived values under it`, 'Choose another name.'));
  if ((p.type === 'integer' || p.type === 'amount' || p.type === 'duration') && p.min !== undefined && p.max !== undefined && p.min > p.max) {
    out.push(err(c.file, line(), field, `min ${p.min} is greater than max ${p.max}`));
  }
  if ((p.type === 'integer' || p.type === 'amount' || p.type === 'duration') && ((p.min !== undefined && p.default < p.min) || (p.max !== undefined && p.default > p.max))) {
    out.push(err(c.file, c.lineOf(['params', name, 'default']), `${field}.default`, `default ${p.default} is outside ${p.min ?? '-∞'}..${p.max ?? '∞'}`));
  }
  if (p.type === 'enum' && !p.values.includes(p.default)) {
    out.push(err(c.file, c.lineOf(['params', name, 'default']), `${field}.default`, `default "${p.default}" is not one of ${p.values.join(', ')}`));
  }
  if (p.type === 'formats') {
    for (const f of p.default) {
      const entry = library.formats.get(f);
      if (!entry) out.push(err(c.file, c.lineOf(['params', name, 'default']), `${field}.default`, `unknown format "${f}"`, 'Use an id from formats.yaml.'));
      else if (p.kinds && !kindsOf(entry).some((k) => p.kinds!.includes(k))) {
        out.push(err(c.file, c.lineOf(['params', name, 'default']), `${field}.default`, `format "${f}" is of kind ${entry.kind}, which parameter "${name}" does not take (kinds: ${p.kinds.join(', ')})`, 'Use a format of one of those kinds, or add its kind to `kinds`.'));
      }
    }
  }
  return out;
}

const texts: Rule = ({ layers, library }) => {
  const out: Problem[] = [];
  for (const layer of layers) {
    for (const o of layer.orphanTexts) {
      out.push(err(o.file, 1, undefined, `text for clause "${o.id}" has no metadata file`, `Add ${o.id}.yaml next to it, or remove the file.`));
    }
  }
  for (const c of library.clauses) {
    const layer = library.layers.find((l) => l.manifest.name === c.library);
    const langs = layer?.manifest.languages ?? library.languages;
    for (const lang of langs) {
      if (!c.texts[lang]) {
        out.push(err(c.file, 1, undefined, `missing the ${lang} text`, `Add ${c.file.replace(/\.ya?ml$/, `.${lang}.md`)} with a title and the clause text.`));
      }
    }
    const declared = c.meta.params;
    for (const [name, p] of Object.entries(declared)) out.push(...checkParam(c, name, p, library));
    for (const t of Object.values(c.texts)) {
      if (c.meta.requirement && !t.requirement) {
        out.push(err(t.file, 2, 'front matter › requirement', 'missing the requirement sentence', 'The metadata declares a requirement: add "requirement: Leverandøren skal …" to the front matter.'));
      }
      if (!c.meta.requirement && t.requirement) {
        out.push(err(t.file, t.requirementLine, 'front matter › requirement', 'a requirement sentence but no requirement in the metadata', `Add requirement: { id: DK-…, level: skal } to ${c.file}, or remove the sentence.`));
      }
      for (const name of Object.keys(declared)) {
        if (!t.questions[name]) out.push(err(t.file, 2, `front matter › questions.${name}`, `missing the interview question for parameter "${name}"`, `Add questions: { ${name}: "…?" }.`));
      }
      for (const name of Object.keys(t.questions)) {
        if (!(name in declared)) out.push(err(t.file, 2, `front matter › questions.${name}`, `question for an undeclared parameter "${name}"`, `Declare it under params in ${c.file}, or remove the question.`));
      }
      // The interview shows these labels instead of the enum ids; a value without one is shown as its id.
      for (const [name, labels] of Object.entries(t.choices)) {
        const p = Object.hasOwn(declared, name) ? declared[name] : undefined;
        if (!p || p.type !== 'enum') {
          out.push(err(t.file, t.choicesLine ?? 2, `front matter › choices.${name}`, p ? `labels for parameter "${name}", which is not an enum` : `labels for an undeclared parameter "${name}"`, 'Only enum parameters take choices; remove the entry.'));
          continue;
        }
        for (const v of Object.keys(labels)) {
          if (!p.values.includes(v)) out.push(err(t.file, t.choicesLine ?? 2, `front matter › choices.${name}.${v}`, `label for "${v}", which is not a value of "${name}" (${p.values.join(', ')})`, 'Use the values listed under params in the metadata.'));
        }
      }
      for (const [name, p] of Object.entries(declared)) {
        if (p.type !== 'enum') continue;
        const missing = p.values.filter((v) => !t.choices[name]?.[v]);
        if (missing.length) {
          out.push({
            severity: 'warning',
            file: t.file,
            line: t.choicesLine ?? 2,
            field: `front matter › choices.${name}`,
            message: `no interview label for ${missing.map((v) => `"${v}"`).join(', ')}: the interview shows the id`,
            hint: `Add choices: { ${name}: { ${missing[0]}: "…" } }.`,
          });
        }
      }
      const used = new Set<string>();
      const parts: Array<{ source: string; line: number; field: string }> = [{ source: t.body, line: t.bodyLine, field: 'body' }];
      if (t.requirement) parts.push({ source: t.requirement, line: t.requirementLine ?? 2, field: 'front matter › requirement' });
      for (const part of parts) {
        const scan = scanTemplate(part.source);
        if (scan.error) {
          out.push(err(t.file, part.line + (scan.error.line ?? 1) - 1, part.field, `template syntax error: ${scan.error.message}`, 'Check that every {{ has a matching }} and every {{#if}} a {{/if}}.'));
          continue;
        }
        for (const h of scan.helpers) {
          if (!isKnownHelper(h.path)) {
            out.push(err(t.file, part.line + h.line - 1, part.field, `unknown helper "${h.path}"`, 'Use one of the helpers listed in clauses/README.md.'));
          }
        }
        for (const ref of scan.refs) {
          const line = part.line + ref.line - 1;
          if (ref.path === 'derived' || ref.path.startsWith('derived.')) {
            const p = ref.path.split('.')[1] ?? '';
            if (!(DERIVED_PATHS as readonly string[]).includes(p)) out.push(err(t.file, line, part.field, `unknown derived value "{{${ref.path}}}"`, `Use one of: ${DERIVED_PATHS.map((d) => `derived.${d}`).join(', ')} (clauses/README.md).`));
          } else if (ref.path.startsWith('answers.')) {
            const p = ref.path.slice('answers.'.length);
            const known = Object.keys(ANSWER_PATHS).some((k) => p === k || p.startsWith(`${k}.`));
            if (!known) out.push(err(t.file, line, part.field, `unknown answer "{{${ref.path}}}"`, 'See the answer paths in clauses/README.md.'));
          } else {
            const name = ref.path.split('.')[0]!;
            used.add(name);
            if (!(name in declared)) {
              out.push(err(t.file, line, part.field, `undeclared variable "{{${ref.path}}}"`, `Declare "${name}" under params in ${c.file}, or use an answer as {{answers.…}}.`));
            }
          }
        }
      }
      for (const name of Object.keys(declared)) {
        if (!used.has(name)) out.push(err(t.file, t.bodyLine, 'body', `parameter "${name}" is declared but not used`, `Use {{${name}}} in the text, or remove it from ${c.file}.`));
      }
    }
  }
  return out;
};

const formatRegistry: Rule = ({ layers, library }) => {
  const out: Problem[] = [];
  for (const layer of layers) {
    const file = layer.formatsFile ?? layer.dir;
    const seen = new Set<string>();
    for (const f of layer.formats) {
      if (seen.has(f.id)) out.push(err(file, undefined, `formats.${f.id}`, `duplicate format id "${f.id}"`));
      seen.add(f.id);
      if (f.alsoKinds?.includes(f.kind)) out.push(err(file, undefined, `formats.${f.id}.alsoKinds`, `"${f.kind}" is already the kind of "${f.id}"`, 'Remove it from alsoKinds.'));
      if (typeof f.name !== 'string') {
        for (const lang of layer.manifest.languages) if (!f.name[lang]) out.push(err(file, undefined, `formats.${f.id}.name`, `missing the ${lang} name of "${f.id}"`, `Add ${lang}: … to its name, or give one name for every language.`));
      }
    }
    const seenKinds = new Set<string>();
    for (const dk of layer.dataKinds ?? []) {
      const field = `dataKinds.${dk.id}`;
      if (seenKinds.has(dk.id)) out.push(err(file, undefined, field, `duplicate data kind id "${dk.id}"`));
      seenKinds.add(dk.id);
      for (const lang of layer.manifest.languages) if (!dk.name[lang]) out.push(err(file, undefined, `${field}.name`, `missing the ${lang} name of data kind "${dk.id}"`, `Add ${lang}: … to its name.`));
      for (const id of dk.formats) {
        const f = library.formats.get(id);
        if (!f) out.push(err(file, undefined, `${field}.formats`, `unknown format "${id}"`, 'Use an id from the formats of the registry.'));
        else if (!kindsOf(f).some((k) => dk.accepts.includes(k))) {
          out.push(err(file, undefined, `${field}.formats`, `"${id}" is of kind ${f.kind}, which data kind "${dk.id}" does not accept (accepts: ${dk.accepts.join(', ')})`, 'Remove it, or add its kind to accepts.'));
        }
      }
      for (const { test } of dk.when ? collectTests(dk.when) : []) {
        if (!ANSWER_PATHS[test.answer]) out.push(err(file, undefined, `${field}.when`, `unknown answer "${test.answer}"`, `Use one of: ${Object.keys(ANSWER_PATHS).join(', ')}.`));
      }
    }
  }
  // Every kind data can be exported in must have a row of the export matrix to go to.
  if (library.dataKinds.size) {
    for (const kind of EXPORT_KINDS) {
      if (![...library.dataKinds.values()].some((dk) => dk.catchAll && dk.accepts.includes(kind))) {
        out.push(err(layers.find((l) => l.formatsFile)?.formatsFile ?? layers[0]?.dir ?? '.', undefined, 'dataKinds', `no catch-all data kind accepts ${kind}: a chosen format of that kind could be left out of the export matrix`, `Add ${kind} to the accepts of a data kind with catchAll: true.`));
      }
    }
  }
  if (layers.length && !layers.some((l) => l.formats.length)) {
    out.push(err(layers[0]!.dir, undefined, 'formats.yaml', 'no format registry', 'The base library needs formats.yaml.'));
  }
  return out;
};

/** Every language of every layer has modal words for `{{shall}}` in some layer's terms.yaml. */
const termsRegistry: Rule = ({ layers, library }) => {
  const out: Problem[] = [];
  for (const layer of layers) {
    for (const lang of layer.manifest.languages) {
      if (!library.modal.has(lang)) {
        out.push(err(layer.termsFile ?? `${layer.dir}/terms.yaml`, undefined, `modal.${lang}`, `no modal words for language "${lang}"`, `Add modal: { ${lang}: { skal: …, bør: … } } to terms.yaml: {{shall}} writes them.`));
      }
    }
  }
  return out;
};

/** The parts of a clause text that carry its own wording: title, requirement sentence, body. */
function textParts(t: LoadedClause['texts'][string]): Array<{ source: string; line: number; field: string }> {
  const parts = [{ source: t.body, line: t.bodyLine, field: 'body' }];
  if (t.requirement) parts.push({ source: t.requirement, line: t.requirementLine ?? 2, field: 'front matter › requirement' });
  return parts;
}

/**
 * A literal "skal"/"bør"/"shall"/"should" in a requirement or body: the word would not follow the
 * requirement level the answers choose, so the row and the body could disagree. Quotations («…», “…”)
 * are exempt.
 */
const literalModal: Rule = ({ library }) => {
  const out: Problem[] = [];
  if (!library.modal.size) return out;
  const pattern = modalPattern(library.modal.values());
  for (const c of library.clauses) {
    for (const t of Object.values(c.texts)) {
      for (const part of textParts(t)) {
        for (const hit of findModals(maskTemplateTags(part.source), pattern)) {
          const capital = hit.text.charAt(0) !== hit.text.charAt(0).toLowerCase();
          out.push(
            err(
              t.file,
              part.line + hit.line - 1,
              part.field,
              `literal modal verb "${hit.text}"`,
              `Write ${capital ? '{{Shall}}' : '{{shall}}'} so that the word follows the requirement level; a quotation of statute is exempt: put it in «…» (nb, nn) or “…” (en).`,
            ),
          );
        }
      }
    }
  }
  return out;
};

/** An avoided variant of a house term (terms.yaml) in a clause's title, requirement or body: a warning. */
const avoidedTerms: Rule = ({ library }) => {
  const out: Problem[] = [];
  if (!library.terms.length) return out;
  for (const c of library.clauses) {
    for (const t of Object.values(c.texts)) {
      const parts = [...textParts(t), { source: t.title, line: 2, field: 'front matter › title' }];
      for (const part of parts) {
        for (const hit of findAvoidedTerms(maskTemplateTags(part.source), t.lang, library.terms)) {
          out.push({
            severity: 'warning',
            file: t.file,
            line: part.line + hit.line - 1,
            field: part.field,
            message: `avoided term "${hit.text}"`,
            hint: `Write "${hit.say}" (house term "${hit.term.id}" in terms.yaml).`,
          });
        }
      }
    }
  }
  return out;
};

/**
 * Across layers: a clause that is not an override of the same id must not reuse a requirement id
 * from another layer (the requirements table would show two rows with one id).
 */
const requirementIdsAcrossLayers: Rule = ({ layers, library }) => {
  const out: Problem[] = [];
  const seen = new Map<string, LoadedClause>();
  // Lower layers first, so that the clause of the later layer is the one blamed.
  const rank = new Map(layers.map((l, i) => [l.manifest.name, i]));
  const inOrder = [...library.clauses].sort((a, b) => (rank.get(a.library) ?? 0) - (rank.get(b.library) ?? 0));
  for (const c of inOrder) {
    if (!c.meta.requirement) continue;
    const other = seen.get(c.meta.requirement.id);
    if (other && other.meta.id !== c.meta.id) {
      out.push(
        err(c.file, c.lineOf(['requirement', 'id']), 'requirement.id', `requirement id "${c.meta.requirement.id}" is already used by ${other.meta.id} (${other.file})`, 'Requirement ids must be unique across all layers: use a free number.'),
      );
    }
    seen.set(c.meta.requirement.id, c);
  }
  return out;
};

const LINK = /\]\(\s*<?([^)\s>]*)|<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>/g;

/** Links in clause texts go to the web or an e-mail address only: https:, http: or mailto:. */
const linkSchemes: Rule = ({ library }) => {
  const out: Problem[] = [];
  for (const c of library.clauses) {
    for (const t of Object.values(c.texts)) {
      for (const part of textParts(t)) {
        for (const m of part.source.matchAll(LINK)) {
          const href = (m[1] ?? m[2] ?? '').trim();
          // A link whose address is a parameter is checked when the appendix is built.
          if (!href || href.startsWith('{{')) continue;
          if (!/^(https?|mailto):/i.test(href)) {
            const line = part.line + part.source.slice(0, m.index).split('\n').length - 1;
            out.push(err(t.file, line, part.field, `link to "${href.slice(0, 60)}": only https:, http: and mailto: links are allowed`, 'Write the full address, e.g. https://lovdata.no/…'));
          }
        }
      }
    }
  }
  return out;
};

/**
 * A clause that lands in the change part of an SSA agreement names the point of the general terms it changes, for
 * every SSA contract type (DFØ: the general text is never edited; changes are made point by point). Entries name
 * only known contract types, each at most once; a clause outside the change part has none.
 */
const changedPoints: Rule = ({ library, contractTypes }) => {
  if (!contractTypes) return [];
  const out: Problem[] = [];
  const known = Object.keys(contractTypes.types);
  for (const c of library.clauses) {
    const seen = new Map<string, number>();
    c.meta.changes.forEach((entry, i) => {
      entry.types.forEach((type, j) => {
        if (!contractTypes.types[type]) {
          out.push(err(c.file, c.lineOf(['changes', i, 'types', j]), `changes[${i}].types[${j}]`, `unknown contract type "${type}"`, `Use one of: ${known.join(', ')}.`));
        } else if (contractTypes.types[type]!.family !== 'ssa') {
          out.push(err(c.file, c.lineOf(['changes', i, 'types', j]), `changes[${i}].types[${j}]`, `${type} is not an SSA agreement: its change part is special contract terms and names no SSA point`, 'Remove it.'));
        } else if (seen.has(type)) {
          out.push(err(c.file, c.lineOf(['changes', i, 'types', j]), `changes[${i}].types[${j}]`, `${type} is named twice (also in changes[${seen.get(type)}])`));
        } else {
          seen.set(type, i);
        }
      });
    });
    const needs = Object.entries(contractTypes.types)
      .filter(([type, t]) => t.family === 'ssa' && resolvePlacement(contractTypes, type, c.meta.ssa) === 'changes')
      .map(([type]) => type);
    if (!needs.length && c.meta.changes.length) {
      out.push(err(c.file, c.lineOf(['changes']), 'changes', `the clause is placed in "${c.meta.ssa}", not in the change part, so it changes no point of the general terms`, 'Remove changes, or place the clause in changes.'));
      continue;
    }
    const missing = needs.filter((type) => !seen.has(type));
    if (missing.length) {
      out.push(
        err(
          c.file,
          c.lineOf(['ssa']),
          'changes',
          `the clause goes into the change part of ${missing.join(', ')} but does not name the point of the general terms it changes there`,
          'Add an entry, e.g. changes: [{ types: [SSA-D, SSA-V], point: termination, effect: supplements }] (point: a subject in templates/i18n ssaPoints; heading: only where a source shows it).',
        ),
      );
    }
  }
  return out;
};

/** Between layers: `extends` ranges met, locked clauses not replaced beyond what the lock allows. */
const layering: Rule = ({ layers }) => [...checkExtends(layers), ...checkLocks(layers)];

export const LINT_RULES: readonly Rule[] = [requirementIdsAcrossLayers, linkSchemes, uniqueIds, references, conditions, texts, formatRegistry, termsRegistry, literalModal, avoidedTerms, changedPoints, layering];

/** Runs every cross-file rule over loaded libraries. Pure: no file access. */
export function lintLibraries(layers: readonly LoadedLibrary[], contractTypes?: ContractTypes): Problem[] {
  const ctx: LintContext = { layers, library: mergeLibraries(layers), ...(contractTypes ? { contractTypes } : {}) };
  return LINT_RULES.flatMap((rule) => rule(ctx));
}
