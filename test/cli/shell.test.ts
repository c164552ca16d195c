import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createProgram } from '../../src/cli/program.js';
import { decideColor } from '../../src/cli/output/color.js';
import { reportError } from '../../src/cli/output/errors.js';
import { ConfigError, UsageError } from '../../src/core/errors.js';
import { memoryIo } from '../helpers/io.js';

describe('CLI shell', () => {
  it('prints the version and exits 0', async () => {
    const io = memoryIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('prints help with examples and the exit codes', async () => {
    const io = memoryIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Examples:');
    expect(io.out()).toContain('Exit codes:');
  });

  it('exits 2 on an unknown flag with a pointer to help', async () => {
    const io = memoryIo();
    expect(await main(['--frobnicate'], io)).toBe(2);
    expect(io.err()).toContain("unknown option '--frobnicate'");
    expect(io.err()).toContain('llmgw --help');
  });
});

describe('lazy nouns', () => {
  it('declares only the noun on the command line, and lists the rest by name', async () => {
    const program = await createProgram(memoryIo(), { exitCode: 0 }, ['--json', 'dataset', 'validate', 'x.jsonl']);
    const verbs = (name: string) => program.commands.find((c) => c.name() === name)?.commands.map((c) => c.name()) ?? [];
    expect(verbs('dataset')).toContain('validate');
    expect(verbs('tune')).toEqual([]);
    expect(program.commands.map((c) => c.name())).toEqual(['init', 'dataset', 'tune', 'models', 'eval', 'manifest', 'config']);
  });

  it('loads a noun for `help <noun>` and suggests the nearest noun for a typo', async () => {
    const help = memoryIo();
    expect(await main(['help', 'tune'], help)).toBe(0);
    expect(help.out()).toContain('watch');
    const typo = memoryIo();
    expect(await main(['datset'], typo)).toBe(2);
    expect(typo.err()).toContain('Did you mean dataset?');
  });
});

describe('error reporting', () => {
  const globals = { json: false, color: true, debug: false, quiet: false };

  it('prints a user error as message and fix, without a stack', () => {
    const io = memoryIo();
    const code = reportError(new UsageError('file_not_found', 'cannot read data.jsonl: no such file', { hint: 'check the path' }), io, globals);
    expect(code).toBe(2);
    expect(io.err()).toBe('error cannot read data.jsonl: no such file\n  fix: check the path\n');
  });

  it('prints a bug as a bug, stack only under --debug', () => {
    const io = memoryIo();
    expect(reportError(new TypeError('x is undefined'), io, globals)).toBe(70);
    expect(io.err()).toContain('llmgw hit a bug: x is undefined');
    expect(io.err()).not.toContain('at ');
    const dbg = memoryIo();
    reportError(new TypeError('x is undefined'), dbg, { ...globals, debug: true });
    expect(dbg.err()).toMatch(/\n\s+at /);
  });

  it('adds a JSON error document on stdout under --json', () => {
    const io = memoryIo();
    expect(reportError(new ConfigError('missing_key', 'OPENAI_API_KEY is not set', { hint: 'export OPENAI_API_KEY=…' }), io, { ...globals, json: true })).toBe(3);
    expect(JSON.parse(io.out())).toEqual({ error: { code: 'missing_key', message: 'OPENAI_API_KEY is not set', hint: 'export OPENAI_API_KEY=…', exitCode: 3 } });
  });
});

describe('colour decision', () => {
  const tty = { isTTY: true, write: () => true };
  const pipe = { isTTY: false, write: () => true };
  it('is on for a terminal and off for NO_COLOR, --no-color, --json and pipes', () => {
    expect(decideColor({ env: {}, stdout: tty, stderr: tty }, { color: true, json: false })).toEqual({ stdout: true, stderr: true });
    expect(decideColor({ env: { NO_COLOR: '1' }, stdout: tty, stderr: tty }, { color: true, json: false })).toEqual({ stdout: false, stderr: false });
    expect(decideColor({ env: {}, stdout: tty, stderr: tty }, { color: false, json: false })).toEqual({ stdout: false, stderr: false });
    expect(decideColor({ env: {}, stdout: tty, stderr: tty }, { color: true, json: true })).toEqual({ stdout: false, stderr: false });
    expect(decideColor({ env: {}, stdout: pipe, stderr: tty }, { color: true, json: false })).toEqual({ stdout: false, stderr: true });
  });
});
