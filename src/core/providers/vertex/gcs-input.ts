/**
 * `gs://BUCKET/OBJECT` as a dataset input (`dataset validate gs://…`): the object's bytes stream
 * from Cloud Storage into the reader, never to a local copy. Credentials and endpoint come from
 * the Vertex settings when the caller has them (a credentials file, STORAGE_EMULATOR_HOST),
 * otherwise from Application Default Credentials and Google's endpoint.
 */
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
    const { object, stream } = await gcs.readObject(bucket, name, signal);
    return { stream, size: Number(object.size), name: uri };
  };
}

/** The registered `gs` opener: Application Default Credentials, Google's endpoint. */
export const openGcsObject: InputOpener = gcsOpener();
