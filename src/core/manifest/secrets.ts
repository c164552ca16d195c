/**
 * Values that look like credentials. The manifest is committed and read by gateways, so it must
 * only ever name environment variables; any value shaped like a key is refused, and so is
 * anything credential-like where an environment variable's name belongs.
 */

/** Key formats with a recognisable prefix: refused anywhere in any string (an underscore before one does not hide it). */
const PREFIXED: readonly { name: string; pattern: RegExp }[] = [
  // OpenAI (sk-…, sk-proj-…), Anthropic (sk-ant-…), OpenRouter (sk-or-v1-…)
  { name: 'an API key (sk-…: OpenAI, Anthropic, OpenRouter)', pattern: /(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{16,}/ },
  { name: 'a Fireworks API key (fw_…)', pattern: /(?<![A-Za-z0-9])fw_[A-Za-z0-9]{16,}/ },
  { name: 'a Together API key (tgp_v1_…)', pattern: /(?<![A-Za-z0-9])tgp_v1_[A-Za-z0-9_-]{16,}/ },
  { name: 'a Google API key (AIza…)', pattern: /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{30,}/ },
  { name: 'a Google OAuth access token (ya29.…)', pattern: /(?<![A-Za-z0-9])ya29\.[0-9A-Za-z_-]{20,}/ },
  { name: 'an AWS access key id (AKIA…/ASIA…)', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'a JSON Web Token (eyJ…)', pattern: /(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./ },
  { name: 'a bearer token', pattern: /\bBearer\s+\S{8,}/i },
  { name: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/**
 * Key formats without a prefix, refused when they are a whole value: Azure OpenAI (32 hex, or
 * the newer 84 characters), Together's older keys (64 hex), Mistral (32 letters and digits),
 * AWS secret access keys (40 characters). A hash field may hold hex of those lengths, so these
 * are not checked in fields whose name ends in `Hash` or `sha256`.
 */
const WHOLE: readonly { name: string; test: (v: string) => boolean }[] = [
  { name: 'an Azure OpenAI key (32 hex characters)', test: (v) => /^[0-9a-f]{32}$/i.test(v) && /[a-f]/i.test(v) },
  { name: 'a Together API key (64 hex characters)', test: (v) => /^[0-9a-f]{64}$/i.test(v) && /[a-f]/i.test(v) },
  { name: 'an Azure AI services key (84 characters)', test: (v) => /^[A-Za-z0-9]{84}$/.test(v) && mixed(v) },
  { name: 'a Mistral API key (32 letters and digits)', test: (v) => /^[A-Za-z0-9]{32}$/.test(v) && mixed(v) },
  { name: 'an AWS secret access key (40 characters)', test: (v) => /^[A-Za-z0-9/+]{40}$/.test(v) && mixed(v) },
];

/** Upper and lower case letters and digits: what generated keys have and names and ids rarely do. */
function mixed(v: string): boolean {
  return /[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v);
}

/**
 * In a field that must hold an environment variable's name: anything that is not shaped like
 * one (long runs of letters and digits without underscores, hex) is taken for a pasted key.
 */
function credentialLikeName(v: string): boolean {
  if (/^[0-9a-f]{16,}$/i.test(v) && /[0-9]/.test(v)) return true;
  return v.length >= 24 && !v.includes('_') && /[A-Za-z]/.test(v) && /[0-9]/.test(v);
}

const isHashField = (key: string | undefined): boolean => key !== undefined && /(?:hash|sha256)$/i.test(key);
const isEnvNameField = (key: string | undefined): boolean => key !== undefined && /Env$/.test(key);

/** Describes the kind of secret `value` looks like, or undefined. Never returns the value. */
export function secretShape(value: string, field?: string): string | undefined {
  const prefixed = PREFIXED.find((s) => s.pattern.test(value))?.name;
  if (prefixed) return prefixed;
  if (!isHashField(field)) {
    const whole = WHOLE.find((s) => s.test(value))?.name;
    if (whole) return whole;
  }
  if (isEnvNameField(field) && credentialLikeName(value)) return `a credential where an environment variable's name belongs (${field})`;
  return undefined;
}

/** Every string (keys included) in a JSON value that looks like a secret, with its path. */
export function findSecrets(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; shape: string }[] {
  if (typeof value === 'string') {
    const field = [...path].reverse().find((p): p is string => typeof p === 'string');
    const shape = secretShape(value, field);
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
