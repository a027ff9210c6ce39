// Lint rules, including the layering rules of docs/ARCHITECTURE (../shared/DESIGN.md):
// only the Electron shell may import `electron`, and src/shared stays free of Node and Electron.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const electronOnlyInShell = {
  paths: [{ name: 'electron', message: 'Only src/main/index.ts, src/main/electron/** and src/preload/** may import electron.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', electronOnlyInShell],
    },
  },
  {
    files: ['src/main/index.ts', 'src/main/electron/**', 'src/preload/**', 'tests/unit/electron/**', 'tests/e2e/electron*'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronOnlyInShell.paths,
          patterns: [
            { group: ['node:*'], message: 'src/shared runs in the renderer too: no Node modules.' },
            {
              group: [
                'fs',
                'path',
                'os',
                'crypto',
                'child_process',
                'stream',
                'zlib',
                'url',
                'util',
                'events',
                'better-sqlite3',
                'drizzle-orm',
                'drizzle-orm/*',
              ],
              message: 'src/shared runs in the renderer too: no Node modules or database code.',
            },
          ],
        },
      ],
    },
  },
  // The rules of hooks (and the React Compiler's checks of them) for the React renderer.
  { files: ['src/renderer/**'], ...reactHooks.configs.flat.recommended },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronOnlyInShell.paths,
          patterns: [{ group: ['node:*', '**/main/**'], message: 'The renderer talks to main only through window.blockshelf.' }],
        },
      ],
    },
  },
);
