import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import n from 'eslint-plugin-n';

// The pure core and the renderers must stay free of I/O, so they can be tested without servers, files or a clock.
const ioModules = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'os',
  'node:os',
  'process',
  'node:process',
  'module',
  'node:module',
  'path',
  'node:path',
  'url',
  'node:url',
  'worker_threads',
  'node:worker_threads',
  'dgram',
  'node:dgram',
  'dns',
  'node:dns',
];

// The edge folders: what the core must never reach into, not even for a type.
const edgeFolders = [
  'cli',
  'commands',
  'config',
  'connect',
  'observe',
  'proxy',
  'registry',
  'signing',
  'store',
].flatMap((folder) => [`**/${folder}/*`, `**/${folder}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { n },
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      'n/no-process-exit': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'n/prefer-node-protocol': 'error',
    },
  },
  {
    // Typed rules: a promise nobody awaits is how a failure goes unreported or a child process outlives a run.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/report/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({
            name,
            message: 'src/core and src/report are pure: do I/O at the edges.',
          })),
          patterns: [
            { group: ['@modelcontextprotocol/*'], message: 'The MCP SDK is an edge concern.' },
            {
              group: edgeFolders,
              message:
                'src/core and src/report import only the core: the edges call them, not the other way round.',
            },
            { group: ['**/workspace.js'], message: 'The workspace is an edge concern.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'process',
        'fetch',
        'setTimeout',
        'setInterval',
        'setImmediate',
        { name: 'Date', message: 'The clock is read at the CLI: take the time as an argument.' },
        { name: 'performance', message: 'The clock is read at the edges.' },
      ],
      'no-console': 'error',
    },
  },
  {
    // Tests assert on escape sequences and control characters on purpose.
    files: ['test/**/*.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Published to the fixture registry as a plain CommonJS package with no dependencies.
    files: ['test/fixtures/npm-package/**'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'test/fixtures/**'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
);
