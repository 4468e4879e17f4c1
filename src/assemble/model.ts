/**
 * The DocumentModel: plain JSON between assembly and the renderers. Every renderer reads only this.
 * Numbers (`number`) are given here so that all formats agree; the DOCX renderer produces the same
 * numbers with Word's own numbering.
 */

export interface TextRun {
  type: 'text';
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
}
export interface LinkRun {
  type: 'link';
  text: string;
  href: string;
  bold?: boolean;
  italic?: boolean;
}
export interface BreakRun {
  type: 'break';
}
export type Inline = TextRun | LinkRun | BreakRun;

export interface ParagraphBlock {
  type: 'paragraph';
  content: Inline[];
}
/** A sub-heading inside a clause body; numbered `<clause>.<n>` (level 3 in the document). */
export interface HeadingBlock {
  type: 'heading';
  number: string;
  content: Inline[];
}
export interface ListBlock {
  type: 'list';
  ordered: boolean;
  /** The first number of an ordered list. */
  start: number;
  /** Each item is a sequence of blocks (paragraphs, nested lists). */
  items: Block[][];
}
export interface TableBlock {
  type: 'table';
  header: Inline[][];
  rows: Inline[][][];
  align: Array<'left' | 'center' | 'right' | null>;
}
export type Block = ParagraphBlock | HeadingBlock | ListBlock | TableBlock;

export interface ClauseNode {
  /** "1.1" */
  number: string;
  id: string;
  version: string;
  title: string;
  blocks: Block[];
  /** Requirement id in the requirements table, if the clause creates one. */
  requirementId?: string;
  /** Legal and policy basis, shown as a note under the clause. */
  basis: string[];
  /** In a change part of an SSA agreement: the point of the general terms this clause replaces or supplements. */
  amends?: string;
}

export interface SectionNode {
  /** "1" */
  number: string;
  topic: string;
  title: string;
  clauses: ClauseNode[];
}

export interface RequirementRow {
  id: string;
  clauseId: string;
  /** The clause's number within its part. */
  clauseNumber: string;
  text: string;
  level: 'skal' | 'bør';
  /** "Skal" / "Mandatory" */
  levelText: string;
  /** Always empty: the supplier fills it in. */
  answer: '';
  /**
   * SHA-256 of the requirement's text (normalised: see `requirementDigest`) in every language the library has, so
   * that a returned answer sheet shows whether the supplier changed the wording, whatever language it was built in.
   */
  digests: Record<string, string>;
}

/** The kinds of part, one per appendix of the contract that data clauses go into. */
export type PartKind = 'requirements' | 'price' | 'changes' | 'service-levels' | 'processor-agreement' | 'test-approval';

/**
 * One part of the appendix: the clauses that belong in one appendix of the contract, with their own numbering
 * (sections 1, 2, … restart in every part) and, if any clause has a requirement, the part's own requirements
 * table for the supplier's answers (numbered after its sections).
 */
export interface PartNode {
  kind: PartKind;
  /** The appendix number, only where it is verified for the contract type; otherwise null. */
  bilag: number | null;
  /** For file names (`--split`): "bilag-7", or the kind where the number is not known. */
  slug: string;
  /** "Bilag 7 – Endringer i avtaleteksten", or the name alone where the number is not known. */
  label: string;
  /** The part's heading, e.g. "Tillegg til Bilag 7 – Endringer i avtaleteksten". */
  title: string;
  intro: string;
  sections: SectionNode[];
  requirements: { number: string; title: string; intro: string; rows: RequirementRow[] } | null;
}

export interface ProvenanceLibrary {
  name: string;
  version: string;
  /** sha256 hex over the library's files (paths and contents, sorted). */
  digest: string;
}

export interface Provenance {
  tool: { name: string; version: string };
  answers: { file: string; digest: string };
  libraries: ProvenanceLibrary[];
  /** `part` is the label of the part the clause is in, `number` its number there. */
  clauses: Array<{ id: string; version: string; library: string; part: string; number: string }>;
  policy: { name: string; digest: string } | null;
  deviations: Array<{ rule: string; message: string }>;
  /** The clauses the buyer left out (`omit`), with the buyer's reason; the title is in the document language. Absent in models built before answers schema 2. */
  omissions?: Array<{ id: string; version: string; title: string; reason: string }>;
}

/** Localised fixed strings the renderers need (from templates/i18n/<lang>.yaml). */
export interface Labels {
  appendix: string;
  buyer: string;
  orgNumber: string;
  members: string;
  partnership: string;
  host: string;
  office: string;
  procurement: string;
  reference: string;
  contractType: string;
  date: string;
  language: string;
  languageName: string;
  contents: string;
  basis: string;
  page: string;
  of: string;
  requirementsTitle: string;
  requirementsIntro: string;
  requirementColumns: { id: string; text: string; level: string; answer: string };
  provenanceTitle: string;
  provenanceIntro: string;
  provenanceColumns: { clause: string; version: string; library: string; number: string; part: string };
  provenanceFields: { tool: string; answers: string; libraries: string; policy: string; deviations: string; omissions: string; none: string };
  /** The answer vocabulary of the answer column ("Ja", "Nei", "Delvis"). */
  answerWords: { yes: string; no: string; partly: string };
  /** The CSV answer sheet's own columns. */
  answerSheetColumns: { answer: string; comment: string; digest: string };
}

export interface DocumentModel {
  modelVersion: 2;
  lang: string;
  /** BCP 47 tag for the document language, e.g. nb-NO, en-GB. */
  langTag: string;
  labels: Labels;
  title: {
    appendixLabel: string;
    /** Main title, e.g. "Datavilkår". */
    heading: string;
    buyer: string;
    orgNumber: string;
    /** `role`: the member's role as printed (templates/i18n `memberRoles`); `roleId` the answers value. */
    members: Array<{ name: string; orgNumber: string; role: string; roleId: string }>;
    /** The partnership that buys together, if the answers name one: legal form and host as printed. */
    partnership?: { name: string; legalForm: string; host?: { label: string; name: string; orgNumber: string } };
    procurementTitle: string;
    reference: string;
    /** The contract type's printed name, e.g. "SSA-L (løpende tjenestekjøp)". */
    contractType: string;
    description?: string;
    /** ISO date YYYY-MM-DD */
    date: string;
    /** Localised, e.g. "1. mars 2027". */
    dateText: string;
  };
  /** Short lines for page headers, e.g. "Eksempel kommune – 2027/123". */
  header: string;
  /** The parts in document order; every included clause is in exactly one. */
  parts: PartNode[];
  /** The provenance annex after the last part; unnumbered, since numbering restarts in every part. */
  provenance: Provenance & { title: string; intro: string };
  /** Document keywords for metadata. */
  keywords: string[];
}
