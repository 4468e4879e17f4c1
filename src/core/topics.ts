/** The topics of the appendix, in document order. Kept free of imports: the CLI reads it at start-up. */
export const TOPICS = [
  'definitions',
  'ownership',
  'access',
  'api',
  'formats',
  'exit',
  'pricing',
  'personal-data',
  'security',
  'subcontractors',
  'open-data',
  'quality',
  'verification',
] as const;
export type Topic = (typeof TOPICS)[number];
