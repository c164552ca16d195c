import { jsonPath, type ManifestProblem } from './problems.js';
import { usesApiKey } from './provider-types.js';
import type { Manifest } from './schema.js';
import { servingProblems } from './serving.js';

/**
 * Checks a schema-valid manifest for what the schema cannot say: dangling references, aliases
 * without traffic, inconsistent roles, fallback cycles. Returns every problem found.
 */
export function semanticProblems(m: Manifest): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const add = (path: (string | number)[], code: string, message: string): void => {
    problems.push({ path: jsonPath(path), code, message });
  };

  for (const [key, provider] of Object.entries(m.providers)) {
    if (usesApiKey(provider.type) && !provider.apiKeyEnv) {
      add(['providers', key], 'missing_api_key_env', `provider "${key}" (${provider.type}) names no "apiKeyEnv"; set it to the environment variable holding its key`);
    }
  }

  for (const [id, model] of Object.entries(m.models)) {
    const provider = m.providers[model.provider];
    if (!provider) {
      add(['models', id, 'provider'], 'unknown_provider', `model "${id}" names provider "${model.provider}", which is not in "providers"; add it there`);
      continue;
    }
    if (provider.type === 'azure' && !model.deployment) {
      add(['models', id], 'missing_deployment', `model "${id}" is served by Azure OpenAI but names no "deployment"; Azure routes by deployment name`);
    }
    for (const p of servingProblems(id, model, provider.type)) add(['models', id, 'serving', ...p.path], p.code, p.message);
  }

  for (const [name, alias] of Object.entries(m.aliases)) {
    const ids = new Set<string>();
    const models = new Set<string>();
    const stablePerTier = new Map<number, number>();
    alias.targets.forEach((t, i) => {
      const at = ['aliases', name, 'targets', i];
      if (!m.models[t.model]) add([...at, 'model'], 'unknown_model', `target "${t.id}" routes to model "${t.model}", which is not registered; run \`llmgw models register ${name} ${t.model}\``);
      if (ids.has(t.id)) add([...at, 'id'], 'duplicate_target_id', `target id "${t.id}" is used twice in alias "${name}"; target ids must be unique`);
      if (models.has(t.model)) add([...at, 'model'], 'duplicate_target_model', `model "${t.model}" appears twice in alias "${name}"; give it one target`);
      ids.add(t.id);
      models.add(t.model);
      if (t.role === 'stable') stablePerTier.set(t.priority, (stablePerTier.get(t.priority) ?? 0) + 1);
      if ((t.role === 'previous' || t.role === 'candidate') && t.weight > 0) {
        add([...at, 'weight'], 'traffic_on_inactive_target', `target "${t.id}" is "${t.role}" but has weight ${t.weight}; previous and candidate targets carry no traffic (weight 0)`);
      }
    });
    if (!alias.targets.some((t) => t.weight > 0)) add(['aliases', name, 'targets'], 'no_traffic', `alias "${name}" has no target with a positive weight, so a gateway could not route it`);
    for (const [tier, n] of stablePerTier) {
      if (n > 1) add(['aliases', name, 'targets'], 'several_stable_targets', `alias "${name}" has ${n} stable targets at priority ${tier}; each priority tier has at most one`);
    }
    alias.fallbacks.forEach((fb, i) => {
      if (!m.aliases[fb]) add(['aliases', name, 'fallbacks', i], 'unknown_fallback', `alias "${name}" falls back to "${fb}", which is not an alias`);
    });
  }

  for (const cycle of fallbackCycles(m)) {
    add(['aliases', cycle[0] ?? '', 'fallbacks'], 'fallback_cycle', `fallbacks form a cycle: ${cycle.join(' → ')}`);
  }
  return problems;
}

/** Each fallback cycle once, as the alias names around it (first name repeated at the end). */
export function fallbackCycles(m: Manifest): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, stack: string[]): void => {
    if (done.has(name)) return;
    const at = stack.indexOf(name);
    if (at !== -1) {
      const cycle = [...stack.slice(at), name];
      const key = [...cycle.slice(0, -1)].sort().join('\u0000');
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push(cycle);
      }
      return;
    }
    for (const fb of m.aliases[name]?.fallbacks ?? []) visit(fb, [...stack, name]);
    if (stack.length === 0) done.add(name);
  };
  for (const name of Object.keys(m.aliases).sort()) visit(name, []);
  return cycles;
}
