import type { NounRegistration } from '../command.js';
import * as dataset from './dataset/index.js';
import * as config from './config/index.js';
import * as init from './init/index.js';
import * as manifest from './manifest/index.js';
import * as models from './models/index.js';
import * as tune from './tune/index.js';

/**
 * Every noun of the CLI, in help order. Each module only declares its verbs and options
 * (commander calls); the implementations are imported when a verb runs.
 */
export const nouns: NounRegistration[] = [init, dataset, tune, models, manifest, config];
