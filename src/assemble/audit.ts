import type { Answers } from '../core/answers.js';
import type { Msg, Translate } from '../core/messages.js';
import { policyViolations, type Policy } from './policy.js';
import type { Selection } from './select.js';

/**
 * Audits for IT departments: many procurements checked against one architecture policy. For every
 * answers file and every rule: met, violated, or deviated from (with the recorded reason and who
 * approved it). Pure: the CLI reads the files and selects the clauses.
 */
export type RuleStatus = 'met' | 'violated' | 'deviated';

export interface AuditedRule {
  rule: string;
  status: RuleStatus;
  /** What is wrong, for violated and deviated rules (in English; `detail` has it as catalogue messages). */
  message?: string;
  detail?: Msg[];
  reason?: string;
  approvedBy?: string;
}

export interface AuditedProcurement {
  file: string;
  buyer: string;
  title: string;
  reference: string;
  rules: AuditedRule[];
  /** A file that could not be checked (unreadable, invalid answers, inconsistent): its message. */
  error?: string;
}

export interface AuditReport {
  policy: { name: string; version: string; title: string; digest: string };
  procurements: AuditedProcurement[];
  totals: Array<{ rule: string; description: string; met: number; violated: number; deviated: number }>;
  /** Procurements with at least one violation that has no recorded deviation, or that failed. */
  failing: number;
}

/** One procurement against the policy. */
export function auditProcurement(policy: Policy, file: string, answers: Answers, selection: Selection): AuditedProcurement {
  const violations = policyViolations(policy, answers, selection);
  const deviations = new Map(answers.deviations.map((d) => [d.rule, d]));
  const rules = policy.rules.map((r): AuditedRule => {
    const broken = violations.filter((v) => v.rule === r.id);
    if (!broken.length) return { rule: r.id, status: 'met' };
    const message = broken.map((v) => v.message).join('; ');
    const detail = broken.map((v) => v.msg);
    const d = deviations.get(r.id);
    return d ? { rule: r.id, status: 'deviated', message, detail, reason: d.reason, ...(d.approvedBy ? { approvedBy: d.approvedBy } : {}) } : { rule: r.id, status: 'violated', message, detail };
  });
  return { file, buyer: answers.buyer.name, title: answers.procurement.title, reference: answers.procurement.reference, rules };
}

/** Totals per rule and the count of failing procurements. */
export function summarizeAudit(policy: Policy, digest: string, procurements: AuditedProcurement[]): AuditReport {
  const totals = policy.rules.map((r) => {
    const statuses = procurements.flatMap((p) => p.rules.filter((x) => x.rule === r.id).map((x) => x.status));
    return {
      rule: r.id,
      description: r.description,
      met: statuses.filter((s) => s === 'met').length,
      violated: statuses.filter((s) => s === 'violated').length,
      deviated: statuses.filter((s) => s === 'deviated').length,
    };
  });
  const failing = procurements.filter((p) => p.error !== undefined || p.rules.some((r) => r.status === 'violated')).length;
  return { policy: { name: policy.name, version: policy.version, title: policy.title, digest }, procurements, totals, failing };
}

/** A rule's status as a word in the speaker's language. */
function statusWord(t: Translate, status: RuleStatus | 'error'): string {
  return status === 'met' ? t('audit.status.met') : status === 'violated' ? t('audit.status.violated') : status === 'deviated' ? t('audit.status.deviated') : t('audit.status.error');
}

/** What is wrong with a rule, in the speaker's language (the English text for reports written before `detail`). */
function details(t: Translate, r: AuditedRule): string {
  return r.detail ? r.detail.map((m) => t(m.key, m.vars)).join('; ') : (r.message ?? '');
}

/** A table for the terminal: one row per procurement, one column per rule, then the totals. */
export function formatAuditTable(report: AuditReport, t: Translate): string {
  const rules = report.policy ? report.totals.map((x) => x.rule) : [];
  const header = [t('audit.procurement'), ...rules];
  // Short marks for the table: a violation stands out (VIOLATED / BRUDD).
  const mark = (s: RuleStatus) => (s === 'met' ? t('audit.mark.met') : s === 'violated' ? t('audit.mark.violated') : t('audit.mark.deviated'));
  const rows = report.procurements.map((p) => [p.file, ...(p.error !== undefined ? rules.map((_, i) => (i === 0 ? t('audit.mark.error', { error: p.error! }) : '')) : rules.map((r) => mark(p.rules.find((x) => x.rule === r)!.status)))]);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  for (const x of report.totals) out.push(`${x.rule}: ${t('audit.totals', { met: x.met, violated: x.violated, deviated: x.deviated })} — ${x.description}`);
  out.push(t('audit.summary', { n: report.procurements.length, policy: `${report.policy.name} ${report.policy.version}`, failing: report.failing }));
  return `${out.join('\n')}\n`;
}

function csvCell(s: string): string {
  // A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per procurement and rule. */
export function formatAuditCsv(report: AuditReport, t: Translate): string {
  // For people in a spreadsheet: headings and statuses in the speaker's language (JSON keeps the ids).
  const rows = [[t('audit.col.file'), t('audit.col.buyer'), t('audit.col.title'), t('audit.col.reference'), t('audit.col.rule'), t('audit.col.status'), t('audit.col.message'), t('audit.col.reason'), t('audit.col.approvedBy')]];
  for (const p of report.procurements) {
    if (p.error !== undefined) rows.push([p.file, p.buyer, p.title, p.reference, '', statusWord(t, 'error'), p.error, '', '']);
    for (const r of p.rules) rows.push([p.file, p.buyer, p.title, p.reference, r.rule, statusWord(t, r.status), details(t, r), r.reason ?? '', r.approvedBy ?? '']);
  }
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[*_`[\]<>#~]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}

export function formatAuditMarkdown(report: AuditReport, t: Translate): string {
  const P = report.policy;
  const out = [
    `# ${t('audit.heading', { title: mdCell(P.title), policy: `${P.name} ${P.version}` })}`,
    '',
    t('audit.intro', { n: report.procurements.length, failing: report.failing, digest: `\`${P.digest}\`` }),
    '',
    `## ${t('audit.totalsHeading')}`,
    '',
    `| ${t('audit.col.rule')} | ${statusWord(t, 'met')} | ${statusWord(t, 'violated')} | ${statusWord(t, 'deviated')} | ${t('audit.col.description')} |`,
    '| --- | ---: | ---: | ---: | --- |',
  ];
  for (const x of report.totals) out.push(`| ${x.rule} | ${x.met} | ${x.violated} | ${x.deviated} | ${mdCell(x.description)} |`);
  out.push('', `## ${t('audit.procurementsHeading')}`, '');
  for (const p of report.procurements) {
    out.push(`### ${mdCell(p.file)}`, '', `${mdCell(p.buyer)} — ${mdCell(p.title)} (${mdCell(p.reference)})`, '');
    if (p.error !== undefined) {
      out.push(t('audit.notChecked', { error: mdCell(p.error) }), '');
      continue;
    }
    out.push(`| ${t('audit.col.rule')} | ${t('audit.col.status')} | ${t('audit.col.details')} |`, '| --- | --- | --- |');
    for (const r of p.rules) {
      const what = details(t, r);
      const text = r.status === 'deviated' ? `${what} — ${t('audit.reason', { reason: r.reason ?? '' })}${r.approvedBy ? `; ${t('audit.approvedBy', { who: r.approvedBy })}` : ''}` : what;
      out.push(`| ${r.rule} | ${statusWord(t, r.status)} | ${mdCell(text)} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The report as a web page; `lang` is the speaker's language (the page's lang attribute). */
export function formatAuditHtml(report: AuditReport, t: Translate, lang: string): string {
  const P = report.policy;
  const rules = report.totals.map((t) => t.rule);
  const head = rules.map((r) => `<th scope="col">${esc(r)}</th>`).join('');
  const rows = report.procurements
    .map((p) => {
      const cells =
        p.error !== undefined
          ? `<td colspan="${rules.length}" class="error">${esc(p.error)}</td>`
          : rules
              .map((r) => {
                const x = p.rules.find((y) => y.rule === r)!;
                const what = details(t, x);
                const title = x.status === 'met' ? '' : `${what}${x.reason ? ` — ${x.reason}` : ''}${x.approvedBy ? ` (${x.approvedBy})` : ''}`;
                return `<td class="${x.status}"${title ? ` title="${esc(title)}"` : ''}>${esc(statusWord(t, x.status))}${x.status === 'deviated' ? `<br><small>${esc(x.reason ?? '')}${x.approvedBy ? ` — ${esc(x.approvedBy)}` : ''}</small>` : x.status === 'violated' ? `<br><small>${esc(what)}</small>` : ''}</td>`;
              })
              .join('');
      return `<tr><th scope="row">${esc(p.file)}<br><small>${esc(p.buyer)} — ${esc(p.title)} (${esc(p.reference)})</small></th>${cells}</tr>`;
    })
    .join('\n');
  const totals = report.totals.map((t) => `<tr><th scope="row">${esc(t.rule)}</th><td>${t.met}</td><td>${t.violated}</td><td>${t.deviated}</td><td>${esc(t.description)}</td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${esc(lang)}">
<head>
<meta charset="utf-8">
<title>${esc(t('audit.heading', { title: P.title, policy: `${P.name} ${P.version}` }))}</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2rem; color: #1a1a1a; }
table { border-collapse: collapse; margin-bottom: 2rem; }
th, td { border: 1px solid #999; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
.met { background: #e3f4e6; } .violated { background: #fbe0de; font-weight: bold; } .deviated { background: #fff3cd; } .error { background: #fbe0de; }
</style>
</head>
<body>
<h1>${esc(t('audit.heading', { title: P.title, policy: `${P.name} ${P.version}` }))}</h1>
<p>${esc(t('audit.intro', { n: report.procurements.length, failing: report.failing, digest: '\u0000' })).replace('\u0000', `<code>${esc(P.digest)}</code>`)}</p>
<h2>${esc(t('audit.totalsHeading'))}</h2>
<table><thead><tr><th scope="col">${esc(t('audit.col.rule'))}</th><th scope="col">${esc(statusWord(t, 'met'))}</th><th scope="col">${esc(statusWord(t, 'violated'))}</th><th scope="col">${esc(statusWord(t, 'deviated'))}</th><th scope="col">${esc(t('audit.col.description'))}</th></tr></thead>
<tbody>
${totals}
</tbody></table>
<h2>${esc(t('audit.procurementsHeading'))}</h2>
<table><thead><tr><th scope="col">${esc(t('audit.procurement'))}</th>${head}</tr></thead>
<tbody>
${rows}
</tbody></table>
</body>
</html>
`;
}
