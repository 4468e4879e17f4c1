import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTRACT_TYPES } from '../core/answers.js';
import { ContractTypesSchema, I18nSchema, type Templates } from '../core/i18n.js';
import { problemsFromZod, UserError, type Problem } from './problems.js';
import { parseYamlSource } from './yaml-source.js';

/** Reads `templates/i18n/*.yaml` and `templates/contract-types.yaml`. Throws a UserError listing every problem. */
export async function loadTemplates(dir: string): Promise<Templates> {
  const problems: Problem[] = [];
  const i18n: Templates['i18n'] = {};
  const i18nDir = path.join(dir, 'i18n');
  for (const name of (await readdir(i18nDir)).filter((n) => n.endsWith('.yaml')).sort()) {
    const file = path.join(i18nDir, name);
    const src = parseYamlSource(await readFile(file, 'utf8'), file);
    problems.push(...src.problems);
    if (src.problems.length) continue;
    const parsed = I18nSchema.safeParse(src.value);
    if (parsed.success) i18n[name.replace(/\.yaml$/, '')] = parsed.data;
    else problems.push(...problemsFromZod(parsed.error, file, src.lineOf, src.value));
  }
  const ctFile = path.join(dir, 'contract-types.yaml');
  const ctSrc = parseYamlSource(await readFile(ctFile, 'utf8'), ctFile);
  problems.push(...ctSrc.problems);
  const ct = ContractTypesSchema.safeParse(ctSrc.value);
  if (!ct.success && !ctSrc.problems.length) problems.push(...problemsFromZod(ct.error, ctFile, ctSrc.lineOf, ctSrc.value));
  if (ct.success) {
    // Every contract type an answers file may name has parts, and a printed name in every language.
    for (const type of CONTRACT_TYPES) {
      if (!ct.data.types[type]) problems.push({ severity: 'error', file: ctFile, field: `types.${type}`, message: `contract type "${type}" has no parts`, hint: 'List its parts (see the other types).' });
    }
    for (const [lang, strings] of Object.entries(i18n)) {
      for (const type of Object.keys(ct.data.types)) {
        if (!strings.contractTypes[type]) problems.push({ severity: 'error', file: path.join(i18nDir, `${lang}.yaml`), field: `contractTypes.${type}`, message: `no name for contract type "${type}"`, hint: 'Add the name as it should be printed in the appendix.' });
      }
    }
  }
  if (problems.length || !ct.success) throw new UserError('the templates folder has problems', problems);
  return { i18n, contractTypes: ct.data };
}
