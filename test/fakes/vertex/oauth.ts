/**
 * Google's OAuth 2.0 token endpoint for service accounts, as "Using OAuth 2.0 for server to server
 * applications" documents it: POST with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`
 * and an RS256-signed JWT `assertion` whose `iss` is the service account, `aud` the token URL,
 * `scope` the scopes asked for, `iat`/`exp` at most an hour apart. The signature is checked against
 * the account's public key; the answer is `{access_token, expires_in, token_type}`, and errors are
 * `{error, error_description}` (400 `invalid_grant`). Tokens are then checked by the API fakes.
 */
import { generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { writeFile } from 'node:fs/promises';

export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
export const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

export interface ServiceAccount {
  email: string;
  projectId: string;
  keyId: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

interface Issued {
  email: string;
  scopes: string[];
  expiresAt: number;
}

/** A new service account with a 2048-bit RSA key, as the IAM console would issue. */
export function newServiceAccount(projectId: string, name = 'llmgw-ci'): ServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    email: `${name}@${projectId}.iam.gserviceaccount.com`,
    projectId,
    keyId: randomBytes(20).toString('hex'),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Writes the account's JSON key file in Google's format, with `token_uri` pointing at `tokenUri`. */
export async function writeKeyFile(path: string, sa: ServiceAccount, tokenUri: string): Promise<void> {
  const key = {
    type: 'service_account',
    project_id: sa.projectId,
    private_key_id: sa.keyId,
    private_key: sa.privateKeyPem,
    client_email: sa.email,
    client_id: '1234567890',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    universe_domain: 'googleapis.com',
  };
  await writeFile(path, JSON.stringify(key, null, 2), { mode: 0o600 });
}

const b64json = (part: string): Record<string, unknown> => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

export class TokenIssuer {
  private readonly accounts = new Map<string, ServiceAccount>();
  private readonly tokens = new Map<string, Issued>();
  /** Token requests answered, good or bad. */
  requests = 0;

  constructor(private readonly lifetimeSeconds = 3600) {}

  register(sa: ServiceAccount): void {
    this.accounts.set(sa.email, sa);
  }

  /** The token endpoint: a form body in, JSON out. */
  exchange(form: URLSearchParams): { status: number; json: unknown } {
    this.requests += 1;
    const bad = (error: string, description: string): { status: number; json: unknown } => ({ status: 400, json: { error, error_description: description } });
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return bad('unsupported_grant_type', 'Invalid grant_type.');
    const parts = (form.get('assertion') ?? '').split('.');
    if (parts.length !== 3) return bad('invalid_request', 'Invalid JWT: the assertion is not a JWT.');
    const [head, body, sig] = parts as [string, string, string];
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = b64json(head);
      claims = b64json(body);
    } catch {
      return bad('invalid_request', 'Invalid JWT: it cannot be decoded.');
    }
    if (header.alg !== 'RS256') return bad('invalid_grant', 'Invalid JWT: only RS256 is accepted.');
    const sa = typeof claims.iss === 'string' ? this.accounts.get(claims.iss) : undefined;
    if (!sa) return bad('invalid_grant', 'Invalid grant: account not found');
    if (!verify('RSA-SHA256', Buffer.from(`${head}.${body}`), sa.publicKeyPem, Buffer.from(sig, 'base64url'))) return bad('invalid_grant', 'Invalid JWT Signature.');
    if (claims.aud !== GOOGLE_TOKEN_AUDIENCE) return bad('invalid_grant', 'Invalid JWT: the audience must be the token URL.');
    const now = Math.floor(Date.now() / 1000);
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp - iat > 3600 || iat > now + 300 || exp < now) return bad('invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (scopes.length === 0) return bad('invalid_scope', 'Invalid oauth scope or ID token audience provided.');
    const token = `ya29.fake-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { email: sa.email, scopes, expiresAt: Date.now() + this.lifetimeSeconds * 1000 });
    return { status: 200, json: { access_token: token, expires_in: this.lifetimeSeconds, token_type: 'Bearer' } };
  }

  /** Who an `Authorization` header belongs to, when it carries a live token with the scope. */
  check(header: string | undefined, scope = CLOUD_PLATFORM): { email: string } | undefined {
    const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
    const issued = token === undefined ? undefined : this.tokens.get(token);
    if (!issued || issued.expiresAt < Date.now() || !issued.scopes.includes(scope)) return undefined;
    return { email: issued.email };
  }
}
