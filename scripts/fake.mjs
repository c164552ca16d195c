// `npm run fake -- <provider>`: starts one of the project's fake providers (test/fakes/) as a
// process of its own on 127.0.0.1, with a control endpoint for fault injection, so the whole
// pipeline and its failures can be tried without an account. Not part of the published CLI.
//
// Everything it prints on stdout is shell: `#` comments and `export` lines, so
//   npm run --silent fake -- together > fake.env &   then   . ./fake.env
// points llmgw at it. It runs until Ctrl-C (or SIGTERM) and then closes its servers.
//
// The fakes are TypeScript. Node strips the types of most files itself; a file using syntax that
// stripping cannot erase (parameter properties) is transpiled with the project's own `typescript`,
// loaded only then (no type check, no build folder).
import { createRequire, registerHooks, stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';

let ts;
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (err) {
      // The sources import `./x.js` meaning `./x.ts`, as tsc wants.
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(`${specifier.slice(0, -3)}.ts`, context);
      throw err;
    }
  },
  load(url, context, next) {
    const loaded = next(url, context);
    if (loaded.format !== 'module-typescript') return loaded;
    const code = String(loaded.source);
    try {
      return { format: 'module', source: stripTypeScriptTypes(code), shortCircuit: true };
    } catch (err) {
      if (err?.code !== 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') throw err;
      ts ??= createRequire(import.meta.url)('typescript');
      const options = { fileName: fileURLToPath(url), compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } };
      return { format: 'module', source: ts.transpileModule(code, options).outputText, shortCircuit: true };
    }
  },
});

const { FAKES } = await import('../test/fakes/registry.ts');
const { startControl } = await import('../test/fakes/control.ts');

const name = process.argv[2];
if (!name || name.startsWith('-') || !Object.hasOwn(FAKES, name)) {
  const known = Object.keys(FAKES).join(', ');
  process.stderr.write(`${name && !name.startsWith('-') ? `There is no fake called "${name}". ` : ''}Usage: npm run fake -- <provider>   (one of: ${known})\n`);
  process.exit(name === '--help' || name === '-h' ? 0 : 2);
}

const fake = await (await FAKES[name]()).run();
const control = await startControl(fake);
const controlUrl = `${control.url}/__control`;
const quote = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;
const exports = { ...fake.env, LLMGW_PROVIDER: fake.provider, LLMGW_MODEL: fake.model, LLMGW_FAKE_CONTROL: controlUrl };
const failure = JSON.stringify({ match: fake.createMatch, status: 503, times: 10 });
process.stdout.write(
  [
    `# llmgw fake "${name}" on ${fake.url} (pid ${process.pid}); stop it with Ctrl-C or \`kill ${process.pid}\`.`,
    '# Point llmgw at it (these lines are shell; source them):',
    ...Object.entries(exports).map(([k, v]) => `export ${k}=${quote(v)}`),
    `# Then, for example (from this repository): node bin/llmgw.js tune start --train datasets/chat-valid.jsonl${fake.startFlags ? ` ${fake.startFlags}` : ''} --wait`,
    '# Faults (FaultSpec: match, times, skip, status, error, retryAfter, retryAfterMs, headers, drop, loseResponse, delayMs):',
    `#   curl -s -X POST "$LLMGW_FAKE_CONTROL/faults" -d '${failure}'   job creation answers 503 ten times`,
    '#   curl -s -X POST "$LLMGW_FAKE_CONTROL/fail-next-job"      the next job fails',
    '#   curl -s "$LLMGW_FAKE_CONTROL/requests"                   what the fake received',
    '#   curl -s -X DELETE "$LLMGW_FAKE_CONTROL/faults"           clears the faults',
    '',
  ].join('\n'),
);

let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await Promise.all([fake.close(), control.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
