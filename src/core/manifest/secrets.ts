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

/** A cheap first look: only strings that could match a shape are tested against every pattern. */
const MAYBE_PREFIXED = /sk-|fw_|tgp_v1_|AIza|ya29\.|AKIA|ASIA|eyJ|bearer|-----BEGIN/i;
const WHOLE_LENGTHS = new Set([32, 40, 64, 84]);

/** Describes the kind of secret `value` looks like, or undefined. Never returns the value. */
export function secretShape(value: string, field?: string): string | undefined {
  if (MAYBE_PREFIXED.test(value)) {
    const prefixed = PREFIXED.find((s) => s.pattern.test(value))?.name;
    if (prefixed) return prefixed;
  }
  if (WHOLE_LENGTHS.has(value.length) && !isHashField(field)) {
    const whole = WHOLE.find((s) => s.test(value))?.name;
    if (whole) return whole;
  }
  if (isEnvNameField(field) && credentialLikeName(value)) return `a credential where an environment variable's name belongs (${field})`;
  return undefined;
}

/**
 * Every string (keys included) in a JSON value that looks like a secret, with its path. Walks
 * the value once with one path stack (a manifest of thousands of aliases is scanned on every load).
 */
export function findSecrets(value: unknown): { path: (string | number)[]; shape: string }[] {
  const found: { path: (string | number)[]; shape: string }[] = [];
  const path: (string | number)[] = [];
  const walk = (v: unknown, field: string | undefined): void => {
    if (typeof v === 'string') {
      const shape = secretShape(v, field);
      if (shape) found.push({ path: [...path], shape });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i += 1) {
        path.push(i);
        walk(v[i], field);
        path.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        path.push(k);
        const keyShape = secretShape(k);
        if (keyShape) found.push({ path: [...path], shape: keyShape });
        walk((v as Record<string, unknown>)[k], k);
        path.pop();
      }
    }
  };
  walk(value, undefined);
  return found;
}
