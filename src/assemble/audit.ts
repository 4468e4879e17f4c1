import type { Answers } from '../core/answers.js';
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
  /** What is wrong, for violated and deviated rules. */
  message?: string;
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
    const d = deviations.get(r.id);
    return d ? { rule: r.id, status: 'deviated', message, reason: d.reason, ...(d.approvedBy ? { approvedBy: d.approvedBy } : {}) } : { rule: r.id, status: 'violated', message };
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

const MARK: Record<RuleStatus, string> = { met: 'ok', violated: 'VIOLATED', deviated: 'deviation' };

/** A table for the terminal: one row per procurement, one column per rule, then the totals. */
export function formatAuditTable(report: AuditReport): string {
  const rules = report.policy ? report.totals.map((t) => t.rule) : [];
  const header = ['procurement', ...rules];
  const rows = report.procurements.map((p) => [p.file, ...(p.error !== undefined ? rules.map((_, i) => (i === 0 ? `ERROR: ${p.error}` : '')) : rules.map((r) => MARK[p.rules.find((x) => x.rule === r)!.status]))]);
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  for (const t of report.totals) out.push(`${t.rule}: ${t.met} met, ${t.violated} violated, ${t.deviated} deviated — ${t.description}`);
  out.push(`${report.procurements.length} procurements checked against ${report.policy.name} ${report.policy.version}; ${report.failing} with violations or errors`);
  return `${out.join('\n')}\n`;
}

function csvCell(s: string): string {
  // A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per procurement and rule. */
export function formatAuditCsv(report: AuditReport): string {
  const rows = [['file', 'buyer', 'title', 'reference', 'rule', 'status', 'message', 'reason', 'approvedBy']];
  for (const p of report.procurements) {
    if (p.error !== undefined) rows.push([p.file, p.buyer, p.title, p.reference, '', 'error', p.error, '', '']);
    for (const r of p.rules) rows.push([p.file, p.buyer, p.title, p.reference, r.rule, r.status, r.message ?? '', r.reason ?? '', r.approvedBy ?? '']);
  }
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[*_`[\]<>#~]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}

export function formatAuditMarkdown(report: AuditReport): string {
  const P = report.policy;
  const out = [`# Audit: ${mdCell(P.title)} (${P.name} ${P.version})`, '', `${report.procurements.length} procurements; ${report.failing} with violations or errors. Policy SHA-256: \`${P.digest}\`.`, '', '## Totals per rule', '', '| rule | met | violated | deviated | description |', '| --- | ---: | ---: | ---: | --- |'];
  for (const t of report.totals) out.push(`| ${t.rule} | ${t.met} | ${t.violated} | ${t.deviated} | ${mdCell(t.description)} |`);
  out.push('', '## Procurements', '');
  for (const p of report.procurements) {
    out.push(`### ${mdCell(p.file)}`, '', `${mdCell(p.buyer)} — ${mdCell(p.title)} (${mdCell(p.reference)})`, '');
    if (p.error !== undefined) {
      out.push(`Could not be checked: ${mdCell(p.error)}`, '');
      continue;
    }
    out.push('| rule | status | details |', '| --- | --- | --- |');
    for (const r of p.rules) {
      const details = r.status === 'deviated' ? `${r.message ?? ''} — reason: ${r.reason ?? ''}${r.approvedBy ? `; approved by ${r.approvedBy}` : ''}` : (r.message ?? '');
      out.push(`| ${r.rule} | ${r.status} | ${mdCell(details)} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function formatAuditHtml(report: AuditReport): string {
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
                const title = x.status === 'met' ? '' : `${x.message ?? ''}${x.reason ? ` — ${x.reason}` : ''}${x.approvedBy ? ` (${x.approvedBy})` : ''}`;
                return `<td class="${x.status}"${title ? ` title="${esc(title)}"` : ''}>${esc(x.status)}${x.status === 'deviated' ? `<br><small>${esc(x.reason ?? '')}${x.approvedBy ? ` — ${esc(x.approvedBy)}` : ''}</small>` : x.status === 'violated' ? `<br><small>${esc(x.message ?? '')}</small>` : ''}</td>`;
              })
              .join('');
      return `<tr><th scope="row">${esc(p.file)}<br><small>${esc(p.buyer)} — ${esc(p.title)} (${esc(p.reference)})</small></th>${cells}</tr>`;
    })
    .join('\n');
  const totals = report.totals.map((t) => `<tr><th scope="row">${esc(t.rule)}</th><td>${t.met}</td><td>${t.violated}</td><td>${t.deviated}</td><td>${esc(t.description)}</td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Audit: ${esc(P.title)}</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2rem; color: #1a1a1a; }
table { border-collapse: collapse; margin-bottom: 2rem; }
th, td { border: 1px solid #999; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
.met { background: #e3f4e6; } .violated { background: #fbe0de; font-weight: bold; } .deviated { background: #fff3cd; } .error { background: #fbe0de; }
</style>
</head>
<body>
<h1>Audit: ${esc(P.title)} (${esc(P.name)} ${esc(P.version)})</h1>
<p>${report.procurements.length} procurements; ${report.failing} with violations or errors. Policy SHA-256: <code>${esc(P.digest)}</code>.</p>
<h2>Totals per rule</h2>
<table><thead><tr><th scope="col">rule</th><th scope="col">met</th><th scope="col">violated</th><th scope="col">deviated</th><th scope="col">description</th></tr></thead>
<tbody>
${totals}
</tbody></table>
<h2>Procurements</h2>
<table><thead><tr><th scope="col">procurement</th>${head}</tr></thead>
<tbody>
${rows}
</tbody></table>
</body>
</html>
`;
}
