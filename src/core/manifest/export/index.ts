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
  const result = exporters[to](m, opts);
  // An alias inlined as another's fallback would report the same loss twice.
  const seen = new Set<string>();
  const warnings = result.warnings.filter((w) => {
    const key = `${w.code}\u0000${w.alias ?? ''}\u0000${w.target ?? ''}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { ...result, warnings };
}
