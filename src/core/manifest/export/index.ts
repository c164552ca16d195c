import type { Manifest } from '../schema.js';
import type { ExportOptions, ExportResult, ExportTarget } from './common.js';
import { exportLiteLLM } from './litellm.js';
import { exportPortkey } from './portkey.js';

export { EXPORT_TARGETS } from './common.js';
export type { ExportOptions, ExportResult, ExportTarget, ExportWarning, OmittedTarget } from './common.js';

const exporters: Record<ExportTarget, (m: Manifest, opts: ExportOptions) => ExportResult> = {
  litellm: exportLiteLLM,
  portkey: exportPortkey,
};

/** Renders the manifest as a gateway's config. Deterministic: the same manifest gives the same bytes. */
export function exportManifest(m: Manifest, to: ExportTarget, opts: ExportOptions): ExportResult {
  return exporters[to](m, opts);
}
