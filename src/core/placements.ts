/**
 * Where a clause acts, i.e. which part of the appendix it goes into: the customer's requirements, the price
 * appendix, the changes to the general terms (in a non-SSA frame: the special contract terms), the service
 * levels, the processor agreement, or test and approval. `templates/contract-types.yaml` maps each placement to a
 * part of each contract type, and to another part where the type has no such appendix.
 */
export const PLACEMENTS = ['requirements', 'price', 'changes', 'service-levels', 'processor-agreement', 'test-approval'] as const;
export type Placement = (typeof PLACEMENTS)[number];
