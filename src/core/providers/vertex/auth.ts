/**
 * Google credentials through google-auth-library, the Application Default Credentials way:
 * a credentials file named by GOOGLE_APPLICATION_CREDENTIALS (or `vertex.credentials`), else
 * the gcloud ADC file, else the metadata server. Tokens and key material stay inside the
 * library's client: nothing here prints, logs or writes them.
 *
 * A service-account key file's `token_uri` is honoured: the library always posts to Google's
 * token endpoint, so requests for that URL are sent to the file's `token_uri` instead (the same
 * URL for a key Google issued; a local token server for tests and air-gapped set-ups).
 */
import { readFile } from 'node:fs/promises';
import type { AuthClient } from 'google-auth-library';
import { ConfigError, ProviderError } from '../../errors.js';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const FILE_TYPES = ['service_account', 'authorized_user', 'external_account'] as const;

export interface GoogleCredentialsOptions {
  /** A credentials file (GOOGLE_APPLICATION_CREDENTIALS); the ADC search when unset. */
  keyFile?: string | undefined;
  /** Where requests go (tests, proxies); the token request included. */
  fetch?: typeof fetch | undefined;
}

const LOGIN_HINT = 'run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file';

/** Redirects requests for Google's token endpoint to `tokenUri`; everything else goes through `base`. */
function tokenUriFetch(tokenUri: string | undefined, base: typeof fetch): typeof fetch {
  if (tokenUri === undefined || tokenUri === GOOGLE_TOKEN_URL) return base;
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return base(url.startsWith(GOOGLE_TOKEN_URL) ? tokenUri + url.slice(GOOGLE_TOKEN_URL.length) : input, init);
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * One authenticated identity for every Google call the adapter makes (Vertex through the genai
 * SDK, Cloud Storage through fetch). The client is built on first use.
 */
export class GoogleCredentials {
  private client: Promise<AuthClient> | undefined;

  constructor(private readonly opts: GoogleCredentialsOptions) {}

  /** The library's client (handed to the genai SDK as its `authClient`). */
  authClient(): Promise<AuthClient> {
    this.client ??= this.build();
    return this.client;
  }

  /** The `Authorization` header for one request; credential problems become exit-3 errors with the fix. */
  async headers(url?: string): Promise<Headers> {
    const client = await this.authClient();
    try {
      return await client.getRequestHeaders(url);
    } catch (err) {
      throw credentialError(err, this.opts.keyFile);
    }
  }

  private async build(): Promise<AuthClient> {
    const lib = await import('google-auth-library');
    const base = this.opts.fetch ?? fetch;
    if (this.opts.keyFile === undefined) {
      const auth = new lib.GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE], clientOptions: { transporterOptions: { fetchImplementation: base } } });
      try {
        return await auth.getClient();
      } catch (err) {
        throw credentialError(err, undefined);
      }
    }
    const json = await readKeyFile(this.opts.keyFile);
    const tokenUri = typeof json.token_uri === 'string' ? json.token_uri : undefined;
    const transporterOptions = { fetchImplementation: tokenUriFetch(tokenUri, base) };
    switch (json.type) {
      case 'service_account':
        return new lib.JWT({
          email: String(json.client_email),
          key: String(json.private_key),
          keyId: typeof json.private_key_id === 'string' ? json.private_key_id : undefined,
          scopes: [CLOUD_PLATFORM_SCOPE],
          transporterOptions,
        });
      case 'authorized_user':
        return new lib.UserRefreshClient({ clientId: String(json.client_id), clientSecret: String(json.client_secret), refreshToken: String(json.refresh_token), transporterOptions });
      default: {
        const client = lib.ExternalAccountClient.fromJSON({ ...(json as unknown as Parameters<typeof lib.ExternalAccountClient.fromJSON>[0]), transporterOptions });
        if (!client) throw badKeyFile(this.opts.keyFile, 'it is not a usable external account configuration');
        client.scopes = [CLOUD_PLATFORM_SCOPE];
        return client;
      }
    }
  }
}

/** Reads and checks a credentials file: JSON, of a type llmgw loads, with the fields that type needs. */
async function readKeyFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError('google_credentials_unreadable', `The Google credentials file ${path} cannot be read (${code ?? 'error'}).`, {
      hint: `point GOOGLE_APPLICATION_CREDENTIALS at an existing key file, or unset it and ${LOGIN_HINT.replace(', or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file', '')}`,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badKeyFile(path, 'it is not JSON');
  }
  if (!isRecord(json)) throw badKeyFile(path, 'it is not a JSON object');
  if (!(FILE_TYPES as readonly unknown[]).includes(json.type)) throw badKeyFile(path, `its type is ${JSON.stringify(json.type)}; llmgw loads ${FILE_TYPES.join(', ')} files`);
  const needs = json.type === 'service_account' ? ['client_email', 'private_key'] : json.type === 'authorized_user' ? ['client_id', 'client_secret', 'refresh_token'] : [];
  const missing = needs.filter((k) => typeof json[k] !== 'string' || json[k] === '');
  if (missing.length > 0) throw badKeyFile(path, `it has no ${missing.join(', ')}`);
  return json;
}

function badKeyFile(path: string, why: string): ConfigError {
  return new ConfigError('google_credentials_invalid', `The Google credentials file ${path} cannot be used: ${why}.`, {
    hint: 'download a new service-account key (IAM → Service accounts → Keys), or run `gcloud auth application-default login`',
  });
}

/** What went wrong getting a token, as an exit-3 error; the library's message never carries the key. */
export function credentialError(err: unknown, keyFile: string | undefined): unknown {
  if (err instanceof ConfigError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/Could not load the default credentials/i.test(message)) {
    return new ConfigError('google_credentials_missing', 'No Google Cloud credentials found (Application Default Credentials: no GOOGLE_APPLICATION_CREDENTIALS, no gcloud ADC file, no metadata server).', {
      hint: LOGIN_HINT,
    });
  }
  const grant = /invalid_grant|invalid_client|unauthorized_client|invalid_scope/.exec(message)?.[0];
  if (grant !== undefined || isRecord(err) && isRecord(err.response) && (err.response.status === 400 || err.response.status === 401)) {
    return new ConfigError('google_credentials_rejected', `Google refused the credentials${keyFile ? ` in ${keyFile}` : ''}${grant ? ` (${grant})` : ''}: the key may be deleted, disabled or expired.`, {
      hint: keyFile ? 'create a new key for the service account and point GOOGLE_APPLICATION_CREDENTIALS at it' : 'run `gcloud auth application-default login` again',
    });
  }
  const status = isRecord(err) && isRecord(err.response) && typeof err.response.status === 'number' ? err.response.status : undefined;
  if (status === undefined || status >= 500) {
    return new ProviderError('google_token_unavailable', `Could not get a Google access token${status ? ` (HTTP ${status})` : ''}: ${message.replace(/\s+/g, ' ').slice(0, 200)}.`, {
      provider: 'vertex',
      status,
      retryable: true,
      hint: 'check the network (and a proxy, if any), then try again',
    });
  }
  return new ConfigError('google_credentials_failed', `Could not get a Google access token (HTTP ${status}): ${message.replace(/\s+/g, ' ').slice(0, 200)}.`, { hint: LOGIN_HINT });
}
