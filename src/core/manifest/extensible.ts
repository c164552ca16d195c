import { z } from 'zod';

/**
 * Objects the manifest schema declares with `extensible()`: strict (an unknown key is an error)
 * except for `x-` extension keys, which are kept as they are. zod 4 has no pattern-keyed
 * properties, so the object takes any extra key and a check rejects those not starting with
 * `x-`; the JSON Schema generator looks the object up here to emit `patternProperties`.
 */
export const extensibleObjects = new WeakSet<z.ZodType>();

export const EXTENSION_PREFIX = 'x-';

export function extensible<S extends z.ZodRawShape>(shape: S, meta: { title?: string; description?: string } = {}) {
  const known = new Set(Object.keys(shape));
  const schema = z
    .object(shape)
    .catchall(z.unknown())
    .superRefine((value, ctx) => {
      const unknown = Object.keys(value).filter((k) => !known.has(k) && !k.startsWith(EXTENSION_PREFIX));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'unrecognized_keys',
          keys: unknown,
          input: value,
          message: `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} (only the documented keys and "x-" extension keys are allowed)`,
        });
      }
    })
    .meta(meta); // before registering: `.meta()` returns a new schema instance
  extensibleObjects.add(schema);
  // Typed as a strict object: TypeScript sees the documented keys; `x-` keys pass through at run time.
  return schema as unknown as z.ZodObject<S, z.core.$strict>;
}
