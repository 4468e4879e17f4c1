import path from 'node:path';
import { UsageError, UserError } from '../library/problems.js';
import { msg } from '../core/messages.js';
import type { Speaker } from '../library/messages.js';
import type { Io } from './io.js';

/**
 * `dataklausul evaluate ANSWERS RESPONSE...`: rebuilds the appendix from its answers file, reads each supplier's
 * answered copy (DOCX or CSV answer sheet) and reports. A response that cannot be read is reported and the others are
 * still evaluated; the report files are written together or not at all. Exit 0 when every supplier meets every "skal".
 */

export const REPORT_FORMATS = ['md', 'html', 'json', 'docx'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface EvaluateOptions {
  format?: string;
  out: string;
  force: boolean;
  lang?: string;
  library: string[];
  policy?: string;
  json: boolean;
}

function parseReportFormats(value: string): ReportFormat[] {
  const list = [...new Set(value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
  const bad = list.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length || !list.length) throw new UsageError(msg('evaluate.error.format', { bad: bad.map((b) => `"${b}"`).join(', ') || '(empty)', formats: REPORT_FORMATS.join(', ') }));
  return list as ReportFormat[];
}

const rel = (p: string) => {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

/** The supplier's name in the report: the response's file name without its extension. */
const supplierName = (file: string) => path.parse(file).name;

export async function runEvaluate(answersFile: string, responses: readonly string[], opts: EvaluateOptions, io: Io, say: Speaker): Promise<number> {
  const formats = opts.format ? parseReportFormats(opts.format) : [];
  const base = `${path.basename(answersFile).replace(/\.(ya?ml|json)$/i, '')}.evaluation`;
  const targets = formats.map((f) => ({ f, path: path.resolve(opts.out, `${base}.${f}`) }));
  const { assertWritable, writeFilesAtomically } = await import('./write.js');
  await assertWritable(
    targets.map((t) => t.path),
    opts.force,
  );

  const { assemble, loadContext, readAnswers, readPolicy } = await import('./pipeline.js');
  const { readInputFile } = await import('../library/limits.js');
  const { readDocxResponse } = await import('../evaluate/read-docx.js');
  const { readCsvResponse } = await import('../evaluate/read-csv.js');
  const { ResponseError } = await import('../evaluate/response.js');
  const ev = await import('../evaluate/evaluate.js');
  const rep = await import('../evaluate/report.js');

  const loaded = await readAnswers(answersFile);
  say.followAnswers(loaded.answers.language);
  const ctx = await loadContext(opts.library);
  const policy = opts.policy ? await readPolicy(opts.policy) : null;
  const vocabularies = Object.values(ctx.templates.i18n).map((i) => i.answerWords);

  // The appendix as sent, per language (a response says which language it was built in).
  const models = new Map<string, ReturnType<typeof assemble>['model']>();
  const modelIn = (lang: string, sheetDate: string) => {
    if (!models.has(lang)) {
      // The date changes no requirement; without one in the answers, the sheet's own date stands in.
      const env = loaded.answers.date || process.env.SOURCE_DATE_EPOCH ? process.env : { ...process.env, SOURCE_DATE_EPOCH: String(Math.max(0, Date.parse(sheetDate || '1970-01-01') / 1000 || 0)) };
      models.set(lang, assemble(ctx, loaded, lang, env, policy).model);
    }
    return models.get(lang)!;
  };

  // Suppliers are named after their files; two files of the same name in different folders keep their paths.
  const names = responses.map(supplierName);
  const nameOf = (i: number) => (names.filter((n) => n === names[i]).length > 1 ? rel(path.resolve(responses[i]!)) : names[i]!);
  const suppliers = [];
  let first: ReturnType<typeof ev.expectedFromModel> | undefined;
  for (const [i, file] of responses.entries()) {
    const supplier = nameOf(i);
    const shown = rel(path.resolve(file));
    try {
      const bytes = readInputFile(file, 'table');
      const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
      let read;
      if (isZip || /\.docx$/i.test(file)) read = readDocxResponse(bytes);
      else {
        try {
          read = readCsvResponse(bytes);
        } catch (e) {
          // A file that is neither a zip package nor our CSV sheet, and not named .csv: say what it is not.
          if (e instanceof ResponseError && !/\.csv$/i.test(file)) throw new ResponseError('unknownType', {});
          throw e;
        }
      }
      if (!ctx.library.languages.includes(read.identity.lang) || !ctx.templates.i18n[read.identity.lang]) {
        suppliers.push(ev.unreadable(supplier, shown, 'lang', { lang: read.identity.lang || '?', langs: ctx.library.languages.join(', ') }));
        continue;
      }
      const expected = ev.expectedFromModel(modelIn(read.identity.lang, read.identity.date));
      first ??= expected;
      suppliers.push(ev.evaluateResponse(supplier, shown, read, expected, vocabularies));
    } catch (e) {
      if (e instanceof ResponseError) suppliers.push(ev.unreadable(supplier, shown, e.key, e.vars));
      else if (e instanceof UserError) suppliers.push(ev.unreadable(supplier, shown, 'other', { text: say.text(e.msg, e.message) }));
      else throw e;
    }
  }
  const model = first ? models.get(first.lang)! : modelIn(loaded.answers.language, '');
  const report = ev.summarizeEvaluation(first ?? ev.expectedFromModel(model), suppliers);
  const t = (key: string, vars?: Record<string, string | number>) => say.t(key, vars);
  const title = model.title.procurementTitle;
  const nodes = rep.evaluationContent(report, t, title);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const enc = new TextEncoder();
  const render: Record<ReportFormat, () => Promise<Uint8Array>> = {
    md: async () => enc.encode(rep.formatEvaluationMarkdown(nodes)),
    html: async () => enc.encode(rep.formatEvaluationHtml(nodes, say.lang, t('evaluate.title', { title }))),
    json: async () => enc.encode(json),
    docx: async () => (await import('../evaluate/report-docx.js')).renderEvaluationDocx(nodes, t('evaluate.title', { title }), ctx.templates.i18n[say.lang]?.langTag ?? 'nb-NO', model.title.date),
  };
  const files = [];
  for (const target of targets) files.push({ path: target.path, bytes: await render[target.f]() });
  if (files.length) await writeFilesAtomically(files);
  io.stdout(opts.json ? json : rep.formatEvaluationText(report, t));
  if (!opts.json) for (const target of targets) io.stdout(`${say.t('build.wrote', { file: rel(target.path) })}\n`);
  return report.ok ? 0 : 1;
}
