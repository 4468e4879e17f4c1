import type { EvaluationReport, RowResult, SupplierResult } from './evaluate.js';

/**
 * The evaluation report, once as content (headings, paragraphs, lists, tables of text spans) and then in each format:
 * Markdown, HTML, JSON, a terminal summary; the DOCX is written from the same content (report-docx.ts). Supplier text
 * is always literal: escaped for Markdown and HTML. Pure: the same report gives the same bytes.
 */

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export interface Span {
  text: string;
  bold?: boolean;
  del?: boolean;
  ins?: boolean;
}
export type ReportNode =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; spans: Span[] }
  | { type: 'list'; items: Span[][] }
  | { type: 'table'; header: string[]; rows: Span[][][] };

const plain = (text: string): Span[] => [{ text }];

function statusWord(t: Translate, s: RowResult['status']): string {
  switch (s) {
    case 'met':
      return t('evaluate.status.met');
    case 'partly':
      return t('evaluate.status.partly');
    case 'not-met':
      return t('evaluate.status.notMet');
    case 'unanswered':
      return t('evaluate.status.unanswered');
    case 'unclear':
      return t('evaluate.status.unclear');
    case 'deleted':
      return t('evaluate.status.deleted');
  }
}

const levelWord = (t: Translate, level: 'skal' | 'bør') => (level === 'skal' ? t('evaluate.level.skal') : t('evaluate.level.bor'));

/** Why a file could not be read, in words. */
export function errorText(t: Translate, e: NonNullable<SupplierResult['error']>, file: string): string {
  const v = { ...e.vars, file };
  switch (e.kind) {
    case 'notDocx':
      return t('evaluate.error.notDocx', v);
    case 'notCsv':
      return t('evaluate.error.notCsv', v);
    case 'noSheet':
      return t('evaluate.error.noSheet', v);
    case 'zipBomb':
      return t('evaluate.error.zipBomb', v);
    case 'badXml':
      return t('evaluate.error.badXml', v);
    case 'unknownType':
      return t('evaluate.error.unknownType', v);
    case 'lang':
      return t('evaluate.error.lang', v);
    case 'other':
      return t('evaluate.error.other', v);
  }
}

function mismatchText(t: Translate, m: SupplierResult['mismatch'][number]): string {
  return m.kind === 'answers' ? t('evaluate.mismatch.answers', m.vars) : t('evaluate.mismatch.libraries', m.vars);
}

function rowLine(t: Translate, r: RowResult, withStatus = true): Span[] {
  const spans: Span[] = [{ text: r.id, bold: true }, { text: ` (${levelWord(t, r.level)})` }];
  if (withStatus) spans.push({ text: `: ${statusWord(t, r.status)}` });
  if (r.comment) spans.push({ text: ` – ${r.comment}` });
  return spans;
}

/** The report's content, in reading order. */
export function evaluationContent(report: EvaluationReport, t: Translate, title: string): ReportNode[] {
  const out: ReportNode[] = [
    { type: 'heading', level: 1, text: t('evaluate.title', { title }) },
    { type: 'paragraph', spans: plain(t('evaluate.intro', { file: report.answersFile, digest: report.answersDigest, n: report.suppliers.length })) },
  ];
  for (const s of report.suppliers) out.push(...supplierContent(s, t));
  out.push({ type: 'heading', level: 2, text: t('evaluate.matrix') }, matrix(report, t));
  out.push({ type: 'paragraph', spans: plain(t('evaluate.matrix.legend')) });
  return out;
}

function supplierContent(s: SupplierResult, t: Translate): ReportNode[] {
  const out: ReportNode[] = [{ type: 'heading', level: 2, text: `${s.supplier} (${s.file})` }];
  const para = (text: string, bold = false) => out.push({ type: 'paragraph', spans: [{ text, bold }] });
  const section = (heading: string, items: Span[][]) => {
    if (!items.length) return;
    out.push({ type: 'heading', level: 3, text: heading }, { type: 'list', items });
  };
  if (s.error) {
    para(t('evaluate.verdict.unreadable'), true);
    para(errorText(t, s.error, s.file));
    return out;
  }
  if (s.mismatch.length) {
    para(t('evaluate.verdict.mismatch'), true);
    out.push({ type: 'list', items: s.mismatch.map((m) => plain(mismatchText(t, m))) });
    return out;
  }
  const c = s.counts;
  para(s.meetsAllSkal ? t('evaluate.verdict.ok', { met: c.skalOk, total: c.skal }) : t('evaluate.verdict.fails', { met: c.skalOk, total: c.skal }), true);
  para(t('evaluate.counts', { skal: c.skal, skalMet: c.skalMet, skalPartly: c.skalPartly, skalNotMet: c.skalNotMet, bor: c.bør, borMet: c.børMet, borPartly: c.børPartly, borNotMet: c.børNotMet }));
  const skal = s.rows.filter((r) => r.level === 'skal');
  section(t('evaluate.skalNotMet'), skal.filter((r) => r.status === 'not-met').map((r) => rowLine(t, r, false)));
  section(t('evaluate.skalPartly'), skal.filter((r) => r.status === 'partly').map((r) => rowLine(t, r, false)));
  section(t('evaluate.bor'), s.rows.filter((r) => r.level === 'bør' && r.status !== 'deleted').map((r) => rowLine(t, r)));
  section(t('evaluate.unanswered'), s.rows.filter((r) => r.status === 'unanswered' || r.status === 'unclear').map((r) => rowLine(t, r)));
  const changed = s.rows.filter((r) => r.wording || r.levelChanged);
  section(
    t('evaluate.changed'),
    changed.map((r) => [
      { text: r.id, bold: true },
      { text: ': ' },
      ...(r.wording ?? []).map((d) => ({ text: d.text, del: d.op === 'del', ins: d.op === 'ins' })),
      ...(r.levelChanged ? [{ text: `${r.wording ? ' ' : ''}(${t('evaluate.levelChanged', r.levelChanged)})` }] : []),
    ]),
  );
  section(t('evaluate.deleted'), s.rows.filter((r) => r.status === 'deleted').map((r) => [{ text: r.id, bold: true }, { text: ` (${levelWord(t, r.level)})` }]));
  section(t('evaluate.added'), s.added.map((a) => [{ text: a.id || '–', bold: true }, { text: `: ${a.text}${a.answer ? ` – ${a.answer}` : ''}` }]));
  const pending = s.rows.filter((r) => r.pendingChanges).map((r) => r.id);
  if (s.pendingChanges) para(t('evaluate.pending', { n: s.pendingChanges, rows: pending.join(', ') || '–' }));
  if (s.comments) para(t('evaluate.comments', { n: s.comments }));
  return out;
}

/** One row per requirement, one column per supplier that could be evaluated. */
function matrix(report: EvaluationReport, t: Translate): ReportNode {
  const cols = report.suppliers;
  const cell = (s: SupplierResult, id: string): Span[] => {
    if (s.error) return plain(t('evaluate.matrix.unreadable'));
    if (s.mismatch.length) return plain(t('evaluate.matrix.mismatch'));
    const r = s.rows.find((x) => x.id === id);
    if (!r) return plain('');
    const word = statusWord(t, r.status);
    return [{ text: `${word}${r.wording || r.levelChanged ? ` ${t('evaluate.matrix.changedMark')}` : ''}`, bold: r.level === 'skal' && (r.status !== 'met' || !!r.wording || !!r.levelChanged) }];
  };
  return {
    type: 'table',
    header: [t('evaluate.matrix.requirement'), t('evaluate.matrix.level'), ...cols.map((s) => s.supplier)],
    rows: [
      ...report.requirements.map((r) => [plain(r.id), plain(levelWord(t, r.level)), ...cols.map((s) => cell(s, r.id))]),
      [[{ text: t('evaluate.matrix.allSkal'), bold: true }], plain(''), ...cols.map((s) => [{ text: s.meetsAllSkal ? t('evaluate.matrix.yes') : t('evaluate.matrix.no'), bold: true }])],
    ],
  };
}

// ---- Markdown ----

function mdEsc(text: string): string {
  return text
    .replace(/[\\`*_[\]<>#|~&!]/g, (c) => `\\${c}`)
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/@/g, '\\@')
    .replace(/\r?\n/g, ' ')
    .replace(/^([-+=.])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

function mdSpans(spans: readonly Span[]): string {
  return spans
    .map((s) => {
      if (!s.text) return '';
      // Keep the spaces outside the markers, where CommonMark needs them.
      const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(s.text)!;
      if (!m[2]) return s.text;
      let inner = mdEsc(m[2]!);
      if (s.bold) inner = `**${inner}**`;
      if (s.del) inner = `~~${inner}~~`;
      if (s.ins) inner = `<ins>${inner}</ins>`;
      return `${m[1]}${inner}${m[3]}`;
    })
    .join('');
}

export function formatEvaluationMarkdown(nodes: readonly ReportNode[]): string {
  const out: string[] = [];
  for (const n of nodes) {
    if (n.type === 'heading') out.push(`${'#'.repeat(n.level)} ${mdEsc(n.text)}`);
    else if (n.type === 'paragraph') out.push(mdSpans(n.spans));
    else if (n.type === 'list') out.push(n.items.map((i) => `- ${mdSpans(i)}`).join('\n'));
    else out.push([`| ${n.header.map(mdEsc).join(' | ')} |`, `| ${n.header.map(() => '---').join(' | ')} |`, ...n.rows.map((r) => `| ${r.map(mdSpans).join(' | ')} |`)].join('\n'));
  }
  return `${out.join('\n\n')}\n`;
}

// ---- HTML ----

const htmlEsc = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function htmlSpans(spans: readonly Span[]): string {
  return spans
    .map((s) => {
      let h = htmlEsc(s.text);
      if (s.bold) h = `<strong>${h}</strong>`;
      if (s.del) h = `<del>${h}</del>`;
      if (s.ins) h = `<ins>${h}</ins>`;
      return h;
    })
    .join('');
}

const CSS = `body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1b1f24}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #b8bec8;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#e7e9ee}del{color:#a0001a}ins{color:#0b6b1f}h2{margin-top:2.5rem;border-bottom:1px solid #b8bec8}`;

export function formatEvaluationHtml(nodes: readonly ReportNode[], lang: string, title: string): string {
  const body = nodes.map((n) => {
    if (n.type === 'heading') return `<h${n.level}>${htmlEsc(n.text)}</h${n.level}>`;
    if (n.type === 'paragraph') return `<p>${htmlSpans(n.spans)}</p>`;
    if (n.type === 'list') return `<ul>${n.items.map((i) => `<li>${htmlSpans(i)}</li>`).join('')}</ul>`;
    return `<table><thead><tr>${n.header.map((h) => `<th>${htmlEsc(h)}</th>`).join('')}</tr></thead><tbody>${n.rows.map((r) => `<tr>${r.map((c) => `<td>${htmlSpans(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  });
  return `<!DOCTYPE html>\n<html lang="${htmlEsc(lang)}">\n<head>\n<meta charset="utf-8">\n<title>${htmlEsc(title)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

// ---- Terminal ----

/** The short summary printed after an evaluation: one line per supplier, then what fails, then the total. */
export function formatEvaluationText(report: EvaluationReport, t: Translate): string {
  const lines: string[] = [];
  for (const s of report.suppliers) {
    if (s.error) {
      lines.push(`✗ ${s.supplier}: ${errorText(t, s.error, s.file)}`);
      continue;
    }
    if (s.mismatch.length) {
      lines.push(`✗ ${s.supplier}: ${t('evaluate.verdict.mismatch')}`, ...s.mismatch.map((m) => `    ${mismatchText(t, m)}`));
      continue;
    }
    const c = s.counts;
    lines.push(`${s.meetsAllSkal ? '✓' : '✗'} ${s.supplier}: ${s.meetsAllSkal ? t('evaluate.verdict.ok', { met: c.skalOk, total: c.skal }) : t('evaluate.verdict.fails', { met: c.skalOk, total: c.skal })}`);
    // Each problem with a "skal" and every changed or deleted row on its own line; rows without an answer together.
    for (const r of s.rows) {
      if (r.status === 'unanswered') continue;
      const flags = [r.wording ? t('evaluate.flag.wording') : '', r.levelChanged ? t('evaluate.flag.level') : ''].filter(Boolean).join(', ');
      if (!(r.level === 'skal' && r.status !== 'met') && !flags && r.status !== 'deleted' && r.status !== 'unclear') continue;
      const ground = r.level === 'skal' && r.status === 'not-met' ? ` ${t('evaluate.flag.rejection')}` : '';
      lines.push(`    ${r.id} (${levelWord(t, r.level)}): ${statusWord(t, r.status)}${flags ? ` [${flags}]` : ''}${ground}${r.comment ? ` – ${r.comment}` : ''}`);
    }
    const unanswered = s.rows.filter((r) => r.status === 'unanswered').map((r) => r.id);
    if (unanswered.length) lines.push(`    ${t('evaluate.unansweredList', { n: unanswered.length, ids: unanswered.join(', ') })}`);
    if (s.added.length) lines.push(`    ${t('evaluate.addedCount', { n: s.added.length })}`);
    if (s.pendingChanges) lines.push(`    ${t('evaluate.pending', { n: s.pendingChanges, rows: s.rows.filter((r) => r.pendingChanges).map((r) => r.id).join(', ') || '–' })}`);
  }
  const ok = report.suppliers.filter((s) => s.meetsAllSkal).length;
  lines.push(t('evaluate.summary', { ok, n: report.suppliers.length }));
  return `${lines.join('\n')}\n`;
}
