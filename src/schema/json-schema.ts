import { z } from 'zod';
import { AnswersSchema } from '../core/answers.js';
import { PolicySchema } from '../assemble/policy.js';
import { ClauseMetaSchema, FormatRegistrySchema, LibraryManifestSchema } from '../library/schema.js';

/**
 * JSON Schemas generated from the zod schemas, for editor completion (yaml-language-server).
 * `npm run schema` writes them to templates/schema/; a test keeps the committed files in step.
 */
export function jsonSchemas(): Record<string, unknown> {
  const gen = (schema: z.ZodType, title: string) => ({
    ...(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>),
    title,
  });
  return {
    'clause.schema.json': gen(ClauseMetaSchema, 'dataklausul clause metadata (<topic>/<slug>.yaml)'),
    'answers.schema.json': gen(AnswersSchema, 'dataklausul answers file'),
    'library.schema.json': gen(LibraryManifestSchema, 'dataklausul clause library manifest (library.yaml)'),
    'formats.schema.json': gen(FormatRegistrySchema, 'dataklausul format registry (formats.yaml)'),
    'policy.schema.json': gen(PolicySchema, 'dataklausul architecture policy (build --policy FILE)'),
  };
}

export function jsonSchemaFiles(): Record<string, string> {
  return Object.fromEntries(Object.entries(jsonSchemas()).map(([name, s]) => [name, `${JSON.stringify(s, null, 2)}\n`]));
}
