import { z } from 'zod';

/** Names that would reach an object's prototype machinery; never valid as a key anywhere. */
export const RESERVED_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];
const notReserved = (s: string) => !s.split(/[./]/).some((part) => RESERVED_NAMES.includes(part));
const reservedMessage = { message: '"__proto__", "constructor" and "prototype" are reserved names; choose another name' };

/** A clause id is `<topic folder>/<slug>`, kebab-case. */
export const ClauseIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected "<topic>/<slug>" in kebab-case, e.g. "exit/transition-period"');

/** A dotted path into the answers, e.g. `data.personal`. */
export const AnswerPathSchema = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z][a-zA-Z0-9]*)*$/, 'expected a dotted answer path such as "data.personal"')
  .refine(notReserved, reservedMessage);

/** A clause parameter name: camelCase, a plain identifier. */
export const ParamNameSchema = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'parameter names are camelCase, e.g. "days"').refine(notReserved, reservedMessage);
