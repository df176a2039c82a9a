import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', '.tools', '.data', 'dist', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no activity implementations.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['fs', 'node:*', 'http', 'https', 'net', 'child_process', 'ccxt', 'pino'],
              message: 'Workflow code must be deterministic: no I/O modules.',
            },
            {
              group: ['**/activities/*', '!**/activities/types', '!**/activities/*-types'],
              message: 'Import activity types only (proxyActivities<typeof ...>).',
            },
          ],
        },
      ],
    },
  },
  {
    // CommonJS entry points (the CLI shim, jest's config) load modules with require().
    files: ['bin/**/*.js', 'scripts/**/*.js', '*.config.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
  },
);
