/**
 * Loads the two config files (project, then user) and checks them against the known keys. The
 * environment and flags are layered on top by `src/cli/settings.ts`.
 */
import { readConfigDocument, type DocumentProblem } from '../../core/config/document.js';
import { settingKeys, type KeySpec } from '../../core/config/keys.js';
import { ConfigError } from '../../core/errors.js';
import { listProviders } from '../../core/providers/registry.js';
import type { Io } from '../io.js';
import { findProjectConfig, readProjectConfig } from './project.js';
import { UserStore } from './user-store.js';

export interface ConfigFile {
  path: string;
  values: Record<string, string>;
  problems: DocumentProblem[];
}

export interface ConfigLayers {
  keys: KeySpec[];
  providerNames: string[];
  project: ConfigFile | undefined;
  user: ConfigFile;
  store: UserStore;
}

export function knownKeys(): { keys: KeySpec[]; providerNames: string[] } {
  const providers = listProviders();
  return { keys: settingKeys(providers), providerNames: providers.map((p) => p.name) };
}

/** Throws `ConfigError` for unreadable files and for a secret in project config; other problems are returned. */
export function loadConfigLayers(io: Pick<Io, 'env' | 'cwd'>): ConfigLayers {
  const { keys, providerNames } = knownKeys();
  const store = new UserStore(io);
  const user: ConfigFile = { path: store.path, ...readConfigDocument(store.read(), 'user', keys) };
  const projectPath = findProjectConfig(io.cwd);
  const project = projectPath ? { path: projectPath, ...readConfigDocument(readProjectConfig(projectPath), 'project', keys) } : undefined;
  const leaked = project?.problems.find((p) => p.code === 'secret_in_project_config');
  if (project && leaked) {
    throw new ConfigError('secret_in_project_config', `${project.path} holds ${leaked.key}; project config is meant to be committed, so llmgw refuses to read a secret from it.`, {
      hint: `remove ${leaked.key} from that file (and rotate the key if it was ever committed); set it in the environment instead`,
    });
  }
  return { keys, providerNames, project, user, store };
}
