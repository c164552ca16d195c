import type { NounRegistration } from '../command.js';

export interface NounEntry {
  name: string;
  /** One line for `llmgw --help`. */
  summary: string;
  /** Declares the noun's verbs; loaded only when the noun is used, so start-up stays small. */
  load(): Promise<NounRegistration>;
}

/** Every noun of the CLI, in help order. */
export const nouns: NounEntry[] = [
  {
    name: 'init',
    summary: 'start a project: a starter routing manifest, a sample dataset, a .gitignore entry and (--ci) CI workflows',
    load: () => import('./init/index.js'),
  },
  { name: 'dataset', summary: 'fine-tuning datasets: validate, convert, stats, split', load: () => import('./dataset/index.js') },
  { name: 'tune', summary: 'fine-tuning jobs: start, watch, status, list, cancel, events, checkpoints', load: () => import('./tune/index.js') },
  {
    name: 'models',
    summary: 'the routing manifest: register, promote, roll back, inspect, export and check models behind aliases',
    load: () => import('./models/index.js'),
  },
  {
    name: 'eval',
    summary: 'run candidate models side by side on held-out data: scores with intervals, paired tests, latency, cost',
    load: () => import('./eval/index.js'),
  },
  { name: 'manifest', summary: 'the routing manifest file itself', load: () => import('./manifest/index.js') },
  {
    name: 'config',
    summary: 'read and change user settings (default provider, base model, manifest path, base URLs)',
    load: () => import('./config/index.js'),
  },
];
