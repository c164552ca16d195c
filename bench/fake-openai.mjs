// Builds the fake OpenAI server (test/fakes/openai, TypeScript) into bench/.data/ so bench cases,
// which run as plain node processes, can start it (in their process, or in a child of their own
// with startFakeInChild). Shared by upload and polling benches.
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
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

/**
 * Starts the fake (built by buildFakeOpenAI) in a child process; resolves to { baseURL, apiKey,
 * stats({ match?, fileId? }) → { count, storedBytes }, close() }.
 */
export async function startFakeInChild(fakeUrl, options) {
  const child = fork(join(import.meta.dirname, 'fake-child.mjs'), [fakeUrl, JSON.stringify(options)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const reply = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (msg) => {
        if (msg.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(msg);
      };
      const onExit = (code) => reject(new Error(`the fake's process exited (${code}) before answering ${type}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await reply('ready');
  return {
    baseURL: ready.baseURL,
    apiKey: ready.apiKey,
    stats: (query) => {
      const answer = reply('stats');
      child.send({ type: 'stats', ...query });
      return answer;
    },
    close: () => {
      const exited = once(child, 'exit');
      child.send({ type: 'close' });
      return exited;
    },
  };
}
