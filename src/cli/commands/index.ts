import type { NounRegistration } from '../command.js';
import * as tune from './tune/index.js';

/**
 * Every noun of the CLI, in help order. Each module only declares its verbs and options
 * (commander calls); the implementations are imported when a verb runs.
 */
export const nouns: NounRegistration[] = [tune];
