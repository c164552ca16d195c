/**
 * `gs://BUCKET/OBJECT` as a dataset input (`dataset validate gs://…`): the object's bytes stream
 * from Cloud Storage into the reader, never to a local copy. Credentials and endpoint are the
 * Vertex settings the tune commands use (`vertex.credentials` / GOOGLE_APPLICATION_CREDENTIALS,
 * `vertex.storageEmulatorHost` / STORAGE_EMULATOR_HOST); without them, Application Default
 * Credentials and Google's endpoint.
 */
import { ConfigError, isLlmgwError } from '../../errors.js';
import type { InputOpener } from '../../dataset/input/schemes.js';
import type { ProviderSettings } from '../types.js';
import { GoogleCredentials } from './auth.js';
import { GcsClient, parseGsUri } from './gcs/client.js';

/** An opener for `gs://` URIs with these settings (`extra.credentials`, `extra.storageEmulatorHost`). */
export function gcsOpener(settings: Pick<ProviderSettings, 'extra' | 'fetch' | 'maxRetries'> = {}): InputOpener {
  return async (uri, signal) => {
    const { bucket, name } = parseGsUri(uri);
    const credentials = new GoogleCredentials({ keyFile: settings.extra?.credentials, fetch: settings.fetch });
    const gcs = new GcsClient({ emulatorHost: settings.extra?.storageEmulatorHost, credentials, fetch: settings.fetch, maxRetries: settings.maxRetries });
    try {
      const { object, stream } = await gcs.readObject(bucket, name, signal);
      return { stream, size: Number(object.size), name: uri };
    } catch (err) {
      // The bucket's fix for an upload (create it, or --bucket) is not the one for reading an object.
      if (isLlmgwError(err) && err.code === 'gcs_bucket_not_found') {
        throw new ConfigError('gcs_bucket_not_found', `The Cloud Storage bucket gs://${bucket} does not exist (reading ${uri}).`, {
          hint: `check the bucket name (\`gcloud storage buckets list\` lists the project's), and the project the credentials belong to`,
          cause: err,
        });
      }
      throw err;
    }
  };
}
