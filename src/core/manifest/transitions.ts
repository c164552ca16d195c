import { UsageError } from '../errors.js';
import { aliasName, type Alias, type Manifest, type ModelEntry, type ProviderEntry, type Target } from './schema.js';
import { newTargetId, orderTargets } from './targets.js';

/**
 * The changes llmgw makes to a manifest, as pure functions: manifest in, manifest out, plus what
 * the history log records. The store (store.ts) adds the revision, the time, the checks and the
 * atomic write. None of these ever deletes a model or a target: drained targets stay at weight 0
 * so rolling back is one step.
 */

export type HistoryAction = 'register' | 'add-candidate' | 'promote' | 'canary' | 'complete' | 'rollback' | 'route' | 'provider' | 'eval';

/** A change to one alias. */
export interface AliasChange {
  manifest: Manifest;
  action: Exclude<HistoryAction, 'provider'>;
  alias: string;
  /** The alias before and after (null when it did not exist). */
  before: Alias | null;
  after: Alias | null;
  /** The model the change was about, when there is one. */
  model?: string | undefined;
}

/** A change to one provider entry's connection facts. */
export interface ProviderChange {
  manifest: Manifest;
  action: 'provider';
  provider: string;
  before: ProviderEntry | null;
  after: ProviderEntry | null;
}

export type Change = AliasChange | ProviderChange;

export interface NewModel extends Omit<ModelEntry, 'createdAt'> {
  /** Key under `models`; usually the provider model id. */
  id: string;
}

export interface RegisterInput {
  alias: string;
  model: NewModel;
  /** Added under `providers[model.provider]` when that entry does not exist yet. */
  providerEntry?: ProviderEntry | undefined;
  /**
   * Connection facts given with the registration (`--base-url`, `--resource-name`…): they complete
   * a new provider entry; on an existing one they must agree with it (`models provider set`
   * changes an entry).
   */
  providerFacts?: Partial<Omit<ProviderEntry, 'type'>> | undefined;
  createdAt: string;
}

/**
 * Adds the model (immutable: registering the same id again with different facts is refused).
 * A new alias points at it (stable, weight 100); an existing alias gets it as a candidate with
 * no traffic, ready for `promote`.
 */
export function register(m: Manifest, input: RegisterInput): AliasChange {
  const { alias: name, model } = input;
  if (!aliasName.safeParse(name).success) {
    throw new UsageError('invalid_alias', `"${name}" cannot be an alias name.`, { hint: 'use letters, digits and . _ @ / - (at most 128 characters), starting with a letter or digit' });
  }
  const { id, ...facts } = model;
  const providers = { ...m.providers };
  const given = Object.entries(input.providerFacts ?? {}).filter(([, v]) => v !== undefined);
  const current = providers[facts.provider];
  if (!current) {
    if (!input.providerEntry) {
      throw new UsageError('unknown_provider', `Provider "${facts.provider}" is not in the manifest and llmgw has no default for it.`, {
        hint: `add it first: \`llmgw models provider set ${facts.provider} --type TYPE …\``,
      });
    }
    providers[facts.provider] = { ...input.providerEntry, ...Object.fromEntries(given) };
  } else {
    const differ = given.filter(([k, v]) => (current as Record<string, unknown>)[k] !== v).map(([k]) => k);
    if (differ.length > 0) {
      throw new UsageError('provider_differs', `Provider "${facts.provider}" is already in the manifest with another ${differ.join(', ')}.`, {
        hint: `change the provider entry on its own, with history: \`llmgw models provider set ${facts.provider} …\`, then register without those flags`,
      });
    }
  }
  const existing = m.models[id];
  const conflicts = existing ? conflictingFacts(existing, facts) : [];
  if (conflicts.length > 0) {
    throw new UsageError('model_immutable', `Model "${id}" is already registered with another ${conflicts.join(', ')}; registered models never change.`, {
      hint: `register the new details under another id, or drop those flags to reuse "${id}" as registered`,
    });
  }
  const models = existing ? m.models : { ...m.models, [id]: { ...facts, createdAt: input.createdAt } };
  const before = m.aliases[name] ?? null;
  if (before?.targets.some((t) => t.model === id)) {
    throw new UsageError('already_registered', `Model "${id}" is already on alias "${name}".`, {
      hint: `move traffic to it with \`llmgw models promote ${name} --model ${id}\``,
    });
  }
  const target: Target = { id: newTargetId(name, id, before ?? undefined), model: id, role: before ? 'candidate' : 'stable', weight: before ? 0 : 100, priority: 0 };
  const after: Alias = before ? { ...before, targets: orderTargets([...before.targets, target]) } : { targets: [target], fallbacks: [] };
  return {
    manifest: { ...m, providers, models, aliases: { ...m.aliases, [name]: after } },
    action: before ? 'add-candidate' : 'register',
    alias: name,
    before,
    after,
    model: id,
  };
}

/**
 * The facts given for an already-registered model that disagree with what it was registered with.
 * A fact left out agrees (registering the same model on a second alias needs no `--job` again).
 */
function conflictingFacts(registered: ModelEntry, given: Omit<ModelEntry, 'createdAt'>): string[] {
  return Object.entries(given)
    .filter(([k, v]) => v !== undefined && stableJson(v) !== stableJson((registered as Record<string, unknown>)[k]))
    .map(([k]) => k);
}

function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
}

export interface PromoteOptions {
  /** Percent of traffic for the model as a canary (1-99); without it the model becomes stable. */
  canary?: number | undefined;
}

/**
 * Without `canary`: the model becomes stable at 100, the old stable stays as `previous` at 0, an
 * unfinished canary of another model is drained to `candidate`. Promoting the current canary this
 * way completes it. With `canary: N`: the model gets N and the stable keeps 100 - N.
 */
export function promote(m: Manifest, name: string, modelId: string, opts: PromoteOptions = {}): AliasChange {
  const before = requireAlias(m, name);
  if (!m.models[modelId]) {
    throw new UsageError('unknown_model', `Model "${modelId}" is not registered.`, { hint: `register it first: \`llmgw models register ${name} ${modelId}\`` });
  }
  let targets = before.targets.map((t) => ({ ...t }));
  let target = targets.find((t) => t.model === modelId);
  if (!target) {
    target = { id: newTargetId(name, modelId, before), model: modelId, role: 'candidate', weight: 0, priority: 0 };
    targets.push(target);
  }
  const stable = targets.find((t) => t.role === 'stable' && t.priority === target.priority && t !== target);
  const tier = target.priority;
  const drainOtherCanaries = (): void => {
    for (const t of targets) if (t.role === 'canary' && t !== target && t.priority === tier) Object.assign(t, { role: 'candidate', weight: 0 });
  };
  let action: HistoryAction;

  if (opts.canary === undefined) {
    if (target.role === 'stable' && !targets.some((t) => t !== target && t.priority === tier && t.weight > 0)) {
      throw new UsageError('already_stable', `Model "${modelId}" already takes all of alias "${name}"'s traffic.`, { hint: 'nothing to promote; see `llmgw models show ' + name + '`' });
    }
    action = target.role === 'canary' ? 'complete' : 'promote';
    drainOtherCanaries();
    if (stable) {
      Object.assign(stable, { role: 'previous', weight: 0 });
      targets = [stable, ...targets.filter((t) => t !== stable)]; // newest previous first
    }
    Object.assign(target, { role: 'stable', weight: 100 });
  } else {
    const pct = opts.canary;
    if (!Number.isInteger(pct) || pct < 1 || pct > 99) {
      throw new UsageError('invalid_canary', `--canary must be a whole percentage from 1 to 99 (got ${pct}).`, { hint: 'e.g. --canary 10; to move all traffic, leave --canary out' });
    }
    if (target.role === 'stable') {
      throw new UsageError('canary_is_stable', `Model "${modelId}" is the stable target of "${name}"; it cannot also be its canary.`, { hint: 'pick another model for the canary' });
    }
    if (!stable) {
      throw new UsageError('no_stable_target', `Alias "${name}" has no stable target to keep ${100 - pct}% of the traffic.`, { hint: `promote a model fully first: \`llmgw models promote ${name} --model ID\`` });
    }
    drainOtherCanaries();
    Object.assign(target, { role: 'canary', weight: pct });
    stable.weight = 100 - pct;
    action = 'canary';
  }
  const after: Alias = { ...before, targets: orderTargets(targets) };
  return { manifest: withAlias(m, name, after), action, alias: name, before, after, model: modelId };
}

/**
 * One step back: an unfinished canary is drained (the stable gets 100 again); otherwise the newest
 * `previous` target becomes stable again and the current stable becomes `previous`.
 */
export function rollback(m: Manifest, name: string): AliasChange {
  const before = requireAlias(m, name);
  let targets = before.targets.map((t) => ({ ...t }));
  const canaries = targets.filter((t) => t.role === 'canary');
  if (canaries.length > 0) {
    for (const c of canaries) {
      Object.assign(c, { role: 'candidate', weight: 0 });
      const stable = targets.find((t) => t.role === 'stable' && t.priority === c.priority);
      if (stable) stable.weight = 100;
    }
  } else {
    const previous = targets.find((t) => t.role === 'previous');
    if (!previous) {
      throw new UsageError('nothing_to_roll_back', `Alias "${name}" has no canary and no previous target to go back to.`, {
        hint: `see its past revisions with \`llmgw models show ${name}\` and pick one with --to REVISION`,
      });
    }
    const stable = targets.find((t) => t.role === 'stable' && t.priority === previous.priority);
    Object.assign(previous, { role: 'stable', weight: 100 });
    if (stable) {
      Object.assign(stable, { role: 'previous', weight: 0 });
      targets = [stable, ...targets.filter((t) => t !== stable)];
    }
  }
  const after: Alias = { ...before, targets: orderTargets(targets) };
  return { manifest: withAlias(m, name, after), action: 'rollback', alias: name, before, after };
}

/** Restores an alias's targets as they were at an earlier revision (taken from the history log). */
export function restoreTargets(m: Manifest, name: string, targets: readonly Target[]): AliasChange {
  const before = requireAlias(m, name);
  const after: Alias = { ...before, targets: orderTargets(targets.map((t) => ({ ...t }))) };
  return { manifest: withAlias(m, name, after), action: 'rollback', alias: name, before, after };
}

export function requireAlias(m: Manifest, name: string): Alias {
  const alias = m.aliases[name];
  if (!alias) {
    const known = Object.keys(m.aliases);
    throw new UsageError('unknown_alias', `Alias "${name}" is not in the manifest${known.length ? ` (aliases: ${known.join(', ')})` : ''}.`, {
      hint: `create it with \`llmgw models register ${name} MODEL_ID\``,
    });
  }
  return alias;
}

function withAlias(m: Manifest, name: string, alias: Alias): Manifest {
  return { ...m, aliases: { ...m.aliases, [name]: alias } };
}
