// Builds the fake OpenAI server (test/fakes/openai, TypeScript) into bench/.data/ so bench cases,
// which run as plain node processes, can start it. Shared by upload and polling benches.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const out = join(root, 'bench', '.data', 'fake-openai');

/** Compiles the fake once per bench run; returns the URL of its entry module. */
export function buildFakeOpenAI() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '--outDir', out, '--rootDir', root, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', join(root, 'test', 'fakes', 'openai', 'index.ts')], { stdio: 'inherit' });
  const entry = join(out, 'test', 'fakes', 'openai', 'index.js');
  if (!existsSync(entry)) throw new Error(`building the fake left no ${entry}`);
  return pathToFileURL(entry).href;
}

/** The built adapter factory and core modules from dist/. */
export async function dist(path) {
  return import(pathToFileURL(join(root, 'dist', path)).href);
}
