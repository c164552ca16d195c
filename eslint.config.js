// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const shellOnly = ['commander', 'ora', 'chalk', 'conf', 'process', 'node:process'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/.data/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Pure core: no CLI libraries, no process globals, no console (DESIGN §7, "pure core, thin shell").
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: shellOnly.map((name) => ({ name, message: 'src/core is pure: only src/cli may use this.' })) }],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/core is pure: take env, argv and streams as parameters.' },
        { name: 'console', message: 'src/core is pure: report through callbacks or return data.' },
      ],
    },
  },
  {
    // Only bin/llmgw.js ends the process.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'Return an exit code; only bin/llmgw.js sets process.exitCode.' },
        { object: 'process', property: 'exitCode', message: 'Return an exit code; only bin/llmgw.js sets process.exitCode.' },
      ],
    },
  },
);
