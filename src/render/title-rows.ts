import type { DocumentModel } from '../assemble/model.js';

/** The label–value rows of the title block, shared by every renderer so that all formats agree. */
export function titleBlockRows(model: DocumentModel): Array<[string, string]> {
  const L = model.labels;
  const t = model.title;
  const rows: Array<[string, string]> = [
    [L.procurement, t.procurementTitle],
    [L.reference, t.reference],
    [L.contractType, t.contractType],
    [L.buyer, `${t.buyer} (${L.orgNumber} ${t.orgNumber})`],
  ];
  const p = t.partnership;
  if (p) {
    rows.push([L.partnership, `${p.name} – ${p.legalForm}`]);
    if (p.host) rows.push([p.host.label, `${p.host.name} (${L.orgNumber} ${p.host.orgNumber})`]);
  }
  // Roles are named in a partnership, or where a member is more than a participant.
  const roles = !!p || t.members.some((m) => m.roleId !== 'participant');
  if (t.members.length) rows.push([L.members, t.members.map((m) => `${m.name} (${m.orgNumber})${roles ? ` – ${m.role}` : ''}`).join('; ')]);
  rows.push([L.date, t.dateText], [L.language, L.languageName]);
  return rows;
}
