import { z } from 'zod';
import { EXTENSION_PREFIX, extensibleObjects } from './extensible.js';
import { manifestSchema } from './schema.js';

/** Where the generated JSON Schema is shipped in the package (a test checks it is up to date). */
export const MANIFEST_JSON_SCHEMA_PATH = 'schema/llmgw.routes.v1.schema.json';

/**
 * The manifest's JSON Schema, generated from the zod schema (the one source of truth), as
 * editors and other languages read it: input shape (defaults optional), unknown keys rejected
 * except `x-` extensions.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(manifestSchema, {
    io: 'input',
    target: 'draft-2020-12',
    override: (ctx) => {
      if (!extensibleObjects.has(ctx.zodSchema as unknown as z.ZodType)) return;
      ctx.jsonSchema.additionalProperties = false;
      ctx.jsonSchema.patternProperties = { [`^${EXTENSION_PREFIX}`]: {} };
    },
  }) as Record<string, unknown>;
}

/** The schema file's exact text (two-space indent, trailing newline). */
export function manifestJsonSchemaText(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}
