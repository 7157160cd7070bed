// Lint rules of Spanscope. The layers they enforce are drawn in the README's "Architecture" section; why the
// worker protocol and the view registry look as they do is in docs/adr/0004-worker-protocol.md and
// docs/adr/0005-view-registry-and-url.md.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Each layer of src/ and what it may import besides itself (the arrows point one way: app → features →
// render/state/queries/components → worker → core). server/ and cli/ run in Node over src/core only.
const LAYERS = {
  core: [],
  worker: ['core'],
  render: ['core'],
  queries: ['core'],
  state: ['core', 'worker'],
  components: ['core', 'worker', 'render', 'state'],
  features: ['core', 'worker', 'render', 'state', 'queries', 'components'],
  app: ['core', 'worker', 'render', 'state', 'queries', 'components', 'features'],
};
const layerZones = Object.entries(LAYERS).flatMap(([layer, allowed]) => {
  const from = Object.keys(LAYERS)
    .filter((other) => other !== layer && !allowed.includes(other))
    .map((other) => `./src/${other}`);
  return from.length ? [{ target: `./src/${layer}`, from, message: `src/${layer} may import only from ${allowed.length ? allowed.map((a) => `src/${a}`).join(', ') : 'itself'}.` }] : [];
});
// A feature never imports another feature: shared UI goes to src/components, shared state to src/state.
const featureZones = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => ({ target: `./src/features/${d.name}`, from: './src/features', except: [`./${d.name}`], message: 'A feature never imports another feature (shared UI goes to src/components).' }));
// The app never reaches into the Node side or the tooling around it.
const appZone = { target: './src', from: ['./server', './cli', './bench', './demo', './e2e'], message: 'src/ is the app: it imports nothing from server/, cli/, bench/, demo/ or e2e/.' };
const nodeZones = ['server', 'cli'].map((dir) => ({
  target: `./${dir}`,
  from: Object.keys(LAYERS)
    .filter((layer) => layer !== 'core')
    .map((layer) => `./src/${layer}`),
  message: `${dir}/ runs in Node over src/core only.`,
}));

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'scratch', 'test-results', 'playwright-report', 'bench/out'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'server/**/*.ts', 'cli/**/*.ts'],
    ignores: ['**/*.test.ts'],
    plugins: { 'import-x': importX },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...featureZones, appZone, ...nodeZones] }] },
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
      // UI libraries are not files of another layer: the zones above do not see them.
      'no-restricted-imports': ['error', { patterns: [{ group: ['react', 'react-dom', 'react-dom/*', 'react/*', '@tanstack/*', 'zustand', 'zustand/*'], message: 'src/core must not depend on React or UI state.' }] }],
      // No DOM in the model layer: it runs in a worker, in Node and in tests.
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'HTMLElement'],
    },
  },
  {
    files: ['src/worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['react', 'react-dom', 'react/*', 'zustand', '@tanstack/*'], message: 'The worker sees only src/core.' }] }] },
  },
);
