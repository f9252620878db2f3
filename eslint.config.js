// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const electronBan = {
  paths: [{ name: 'electron', message: 'main/core and shared run under plain Node: only main/electron may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'main/core and shared run under plain Node: only main/electron may import electron.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'results/**', 'renderer/dist/**', 'coverage/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Layering: the folder says where code runs (STYLE.md).
    files: ['main/core/**', 'shared/**', 'main/cli/**'],
    rules: { 'no-restricted-imports': ['error', electronBan] },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronBan.paths,
          patterns: [...electronBan.patterns, { group: ['node:*'], message: 'shared/ is runtime-neutral: no node:* imports.' }],
        },
      ],
    },
  },
  {
    // The renderer runs in a browser page (or the Electron window's sandbox): no Node, no Electron,
    // nothing of main/. Its tests under renderer/test/ may start a real daemon.
    files: ['renderer/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronBan.paths,
          patterns: [
            ...electronBan.patterns,
            { group: ['node:*'], message: 'the renderer runs in a browser: no node:* imports.' },
            { group: ['**/main/**', '../../main/*', '../../../main/*'], message: 'the renderer reaches the daemon through the API client only, never main/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly',
        fetch: 'readonly', performance: 'readonly', AbortController: 'readonly', setImmediate: 'readonly',
        TextDecoder: 'readonly', TextEncoder: 'readonly', structuredClone: 'readonly',
      },
    },
  },
);
