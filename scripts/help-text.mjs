#!/usr/bin/env node
// Writes `llmgw --help` as commander renders it when standard output is not a terminal (80
// columns, no colour) to dist/cli/top-help.txt, part of `npm run build`.
//
// Why: loading commander is most of what `llmgw --help` costs at start-up (DESIGN §8: within
// 1.5 × `node -e 0`), and the top-level help is the same text every time it goes to a pipe or a
// file. src/cli/help-text.ts prints this file then; on a terminal (whose width and colours change
// it) commander renders it. test/e2e/help.test.ts holds the two to the same bytes.
import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const env = { ...process.env };
for (const key of ['FORCE_COLOR', 'CLICOLOR_FORCE', 'NO_COLOR']) delete env[key];
// `llmgw help` takes commander's path (only a lone --help or -h takes the stored text).
const text = execFileSync(process.execPath, [join(root, 'bin', 'llmgw.js'), 'help'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (!text.startsWith('Usage: llmgw')) throw new Error(`llmgw help printed no usage:\n${text}`);
const out = join(root, 'dist', 'cli', 'top-help.txt');
writeFileSync(`${out}.tmp`, text);
renameSync(`${out}.tmp`, out);
