/**
 * Values that look like credentials. The manifest is committed and read by gateways, so it must
 * only ever name environment variables; any value shaped like a key is refused.
 */
const SECRET_SHAPES: readonly { name: string; pattern: RegExp }[] = [
  { name: 'an OpenAI-style API key (sk-…)', pattern: /\bsk-[A-Za-z0-9_-]{16,}/ },
  { name: 'a Google API key (AIza…)', pattern: /\bAIza[0-9A-Za-z_-]{30,}/ },
  { name: 'a JSON Web Token (eyJ…)', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./ },
  { name: 'a bearer token', pattern: /\bBearer\s+\S{8,}/i },
  { name: 'an AWS access key id (AKIA…)', pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { name: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/** Describes the kind of secret `value` looks like, or undefined. Never returns the value. */
export function secretShape(value: string): string | undefined {
  return SECRET_SHAPES.find((s) => s.pattern.test(value))?.name;
}

/** Every string (keys included) in a JSON value that looks like a secret, with its path. */
export function findSecrets(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; shape: string }[] {
  if (typeof value === 'string') {
    const shape = secretShape(value);
    return shape ? [{ path, shape }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findSecrets(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const keyShape = secretShape(k);
      return [...(keyShape ? [{ path: [...path, k], shape: keyShape }] : []), ...findSecrets(v, [...path, k])];
    });
  }
  return [];
}
