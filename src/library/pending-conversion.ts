/**
 * TEMPORARY, issue 10 (session of 2026-11-29): clauses whose texts are not yet converted to
 * `{{shall}}` and the house terms of `clauses/terms.yaml`. Lint skips the literal-modal and
 * avoided-term checks for them, and the level test skips them. The helper "legal-b" removes each id
 * as it converts the clause; the list must be empty by 17:15 UTC, and then this file is deleted.
 * Do not add ids to it.
 */
export const PENDING_CONVERSION: ReadonlySet<string> = new Set<string>([
  // Rewritten by the helper "interview" as a data × format matrix.
  'formats/export-formats',
]);
