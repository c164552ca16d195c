/**
 * What a likely secret or an e-mail address looks like. Each pattern is anchored on a vendor's
 * documented prefix and a minimum length, so prose such as "sk-learn" or "task-1" never
 * matches; JWTs need three base64url parts whose first two start with `eyJ` (`{"`).
 */
export interface SecretPattern {
  /** Stable name used in messages and in `[REDACTED …]` markers. */
  kind: string;
  /** What to call it in a sentence. */
  label: string;
  source: string;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { kind: 'private_key', label: 'private key (PEM block)', source: '-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:[\\s\\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----)?' },
  { kind: 'anthropic_api_key', label: 'Anthropic API key', source: '\\bsk-ant-[A-Za-z0-9_-]{20,}' },
  { kind: 'openai_api_key', label: 'OpenAI API key', source: '\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}' },
  { kind: 'aws_access_key_id', label: 'AWS access key id', source: '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b' },
  { kind: 'github_token', label: 'GitHub token', source: '\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})' },
  { kind: 'slack_token', label: 'Slack token', source: '\\bxox[abposr]-[A-Za-z0-9-]{10,}' },
  { kind: 'google_api_key', label: 'Google API key', source: '\\bAIza[0-9A-Za-z_-]{35}' },
  { kind: 'jwt', label: 'JSON Web Token', source: '\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}' },
];

export const EMAIL_KIND = 'email';
/** An address is found from its `@`: the local part before it, the domain after it. */
export const EMAIL_LOCAL = /[A-Za-z0-9._%+-]{1,64}$/;
export const EMAIL_DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}\b/;

/** Documentation-only domains (RFC 2606/6761): addresses there are placeholders, not people. */
export const PLACEHOLDER_EMAIL_DOMAIN = /(?:^|\.)(?:example\.(?:com|org|net)|[a-z0-9-]+\.(?:example|test|invalid|localhost))$/i;
