/**
 * Where a Vertex job runs and where its data goes, from the resolved settings (flag > env >
 * project config > user config): the project (`--project`, GOOGLE_CLOUD_PROJECT,
 * `vertex.project`), the region (`--location`, GOOGLE_CLOUD_LOCATION, `vertex.location`; never
 * the SDK's `global` default: tuning runs in a region), the bucket for uploads (`--bucket`,
 * `vertex.bucket`), the credentials file and the endpoint overrides.
 */
import { ConfigError } from '../../errors.js';
import type { ProviderSettings } from '../types.js';
import { parseGsUri } from './gcs/client.js';

export interface VertexConfig {
  project: string;
  location: string;
  /** The API root, e.g. `https://us-central1-aiplatform.googleapis.com` or GOOGLE_VERTEX_BASE_URL. */
  baseUrl: string;
  /** True when the base URL is the regional default (a DNS failure then means a mistyped region). */
  defaultBaseUrl: boolean;
  /** The upload bucket and object prefix, when configured. */
  bucket: { bucket: string; prefix: string } | undefined;
  keyFile: string | undefined;
  storageEmulatorHost: string | undefined;
}

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^\d{6,}$/;
const REGION = /^[a-z]+-[a-z]+\d+$/;

export function vertexConfig(settings: ProviderSettings): VertexConfig {
  const extra = settings.extra ?? {};
  const project = settings.project?.trim();
  if (!project) {
    throw new ConfigError('vertex_project_missing', 'No Google Cloud project for Vertex AI.', {
      hint: 'pass --project PROJECT_ID, set GOOGLE_CLOUD_PROJECT, or run `llmgw config set vertex.project PROJECT_ID`',
    });
  }
  if (!PROJECT_ID.test(project)) {
    throw new ConfigError('vertex_project_invalid', `"${project}" is not a Google Cloud project id (6-30 lower-case letters, digits and dashes, starting with a letter) or project number.`, {
      hint: 'use the project id shown by `gcloud projects list`',
    });
  }
  const location = extra.location?.trim();
  if (!location) {
    throw new ConfigError('vertex_location_missing', 'No Vertex AI region: tuning jobs run in a region, and llmgw never falls back to `global`.', {
      hint: 'pass --location us-central1 (or another tuning region), set GOOGLE_CLOUD_LOCATION, or run `llmgw config set vertex.location us-central1`',
    });
  }
  if (!REGION.test(location)) {
    throw new ConfigError('vertex_location_invalid', `"${location}" is not a Vertex AI region${location === 'global' ? ': tuning jobs run in a region, not globally' : ''}.`, {
      hint: 'use a region where Gemini tuning runs, e.g. --location us-central1 or europe-west4',
    });
  }
  const baseUrl = (settings.baseUrl?.trim() || `https://${location}-aiplatform.googleapis.com`).replace(/\/+$/, '');
  const bucketText = extra.bucket?.trim();
  let bucket: VertexConfig['bucket'];
  if (bucketText) {
    const uri = bucketText.startsWith('gs://') ? bucketText : `gs://${bucketText}`;
    const parsed = parseGsUri(uri);
    const prefix = parsed.name.replace(/^\/+|\/+$/g, '');
    bucket = { bucket: parsed.bucket, prefix: prefix === '' ? 'llmgw' : prefix };
  }
  return {
    project,
    location,
    baseUrl,
    defaultBaseUrl: !settings.baseUrl?.trim(),
    bucket,
    keyFile: extra.credentials?.trim() || undefined,
    storageEmulatorHost: extra.storageEmulatorHost?.trim() || undefined,
  };
}

export function missingBucketSetting(): ConfigError {
  return new ConfigError('vertex_bucket_missing', 'Vertex AI reads training data from Cloud Storage, and no bucket is set to upload it to.', {
    hint: 'pass --bucket gs://BUCKET (a bucket in the job\'s region), run `llmgw config set vertex.bucket gs://BUCKET`, or give --train gs://BUCKET/train.jsonl',
  });
}
