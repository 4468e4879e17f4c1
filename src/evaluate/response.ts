/**
 * What a supplier's answered appendix says, as read from a DOCX or CSV answer sheet, before it is compared with the
 * appendix that was sent.
 */

export interface SheetIdentity {
  lang: string;
  date: string;
  answersFile: string;
  answersDigest: string;
  tool: { name: string; version: string };
  libraries: Array<{ name: string; version: string; digest: string }>;
}

/** A requirement row as the answer sheet part recorded it when the appendix was built. */
export interface SheetRequirement {
  id: string;
  clause: string;
  number: string;
  level: 'skal' | 'bør';
  /** Digest of the requirement's text per language. */
  digests: Record<string, string>;
}

/** A row of the requirements table as the supplier returned it (accepted state). */
export interface ReadRow {
  id: string;
  /** The requirement text cell, with its clause number. */
  text: string;
  /** The level cell ("Skal", "Bør"); empty when the row has no such cell. */
  levelText: string;
  /** The answer cell, paragraphs as lines. */
  answer: string;
  /** Word comments anchored in the row, "author: text". */
  comments: string[];
  /** Tracked changes still pending in the row. */
  pendingChanges: number;
  /** CSV only: the digest column as returned. */
  digest?: string;
  /** CSV only: the comment column. */
  comment?: string;
}

export interface ReadResponse {
  format: 'docx' | 'csv';
  identity: SheetIdentity;
  /** The rows the answer sheet part lists (DOCX); null for CSV, which has the tables of `parts` whole. */
  requirements: SheetRequirement[] | null;
  /** CSV: the slugs of the parts whose requirements tables the sheet has. */
  parts?: string[];
  rows: ReadRow[];
  /** Rows in a requirements table that are not the appendix's (new ids, or no id). */
  added: ReadRow[];
  pendingChanges: number;
  comments: number;
}

/** Why a response cannot be evaluated; `key` names the message (evaluate.error.<key> in templates/messages.json). */
export class ResponseError extends Error {
  constructor(
    readonly key: 'notDocx' | 'notCsv' | 'noSheet' | 'zipBomb' | 'badXml' | 'unknownType',
    readonly vars: Record<string, string>,
  ) {
    super(`${key}${vars.detail ? `: ${vars.detail}` : ''}`);
  }
}
