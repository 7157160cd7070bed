import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Layering (STYLE.md): core ← worker ← render/state/queries/components ← features ← app.
// src/core is pure TypeScript: no React, no DOM-only libraries, nothing from the layers above it.
const coreRestrictions = {
  patterns: [
    { group: ['react', 'react-dom', 'react-dom/*', 'react/*', '@tanstack/*', 'zustand', 'zustand/*'], message: 'src/core must not depend on React or UI state.' },
    { group: ['**/worker/**', '**/render/**', '**/state/**', '**/queries/**', '**/features/**', '**/components/**', '**/app/**'], message: 'src/core must not import from the layers above it.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'scratch', 'test-results', 'playwright-report', 'bench/out'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**/*.tsx', 'src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts', 'src/core/**/fixture-test-helpers.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', coreRestrictions],
      // No DOM in the model layer: it runs in a worker, in Node and in tests.
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'HTMLElement'],
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['react', 'react-dom', '**/features/**', '**/app/**', '**/components/**', '**/state/**'], message: 'The worker sees only src/core.' }] }],
    },
  },
);
