// Lint rules, and the one-way dependency between the layers of src/:
//   shared → errors → config → logger → storage → security → registry, auth → starrocks → collector → alerts → api → service → cli
// A layer may import only from the layers before it. The simulator stands apart: it imports only
// shared/, and only the CLI (plus tests and benchmarks) imports it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Layers that `files` must not import, as no-restricted-imports groups. */
function mayNotImport(files, forbidden) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: forbidden, message: 'Dependencies in src/ go one way; see docs/architecture.md.' }] },
      ],
    },
  };
}

const SIMULATOR = '**/simulator/**';
/** src/alerts (above the collector), not src/shared/alerts (pure, below everything). */
const ALERTS = ['**/alerts/*', '!**/shared/alerts/*'];
const ABOVE_STORAGE = ['**/security/*', '**/registry/*', '**/auth/*', '**/starrocks/**', '**/collector/**', '**/api/**', '**/cli/**', '**/service.js', SIMULATOR, ...ALERTS];

export default tseslint.config(
  { ignores: ['dist/', 'dist.new/', 'node_modules/', 'coverage/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Plain JavaScript (this file, scripts/) is linted without type information.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Fastify plugins are async functions by contract, whether or not they await.
    files: ['src/api/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // Kysely's migrations take Kysely<any> on purpose: old migrations keep compiling when table types change.
    files: ['src/storage/migrations/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/shared/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*', 'node:*'], message: 'src/shared is pure and also bundled into the web console: no Node modules, nothing from the rest of src/.' }] },
      ],
    },
  },
  {
    // Folders in src/shared (fields/, api/) may import the rest of src/shared, one level up.
    files: ['src/shared/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../*', 'node:*'], message: 'src/shared is pure and also bundled into the web console: no Node modules, nothing from the rest of src/.' }] },
      ],
    },
  },
  mayNotImport(['src/errors.ts', 'src/version.ts'], ['./*', '!./shared/*']),
  mayNotImport(['src/config/**/*.ts'], ['**/logger.js', '**/storage/**', ...ABOVE_STORAGE]),
  mayNotImport(['src/logger.ts'], ['**/storage/**', ...ABOVE_STORAGE]),
  mayNotImport(['src/storage/**/*.ts'], ABOVE_STORAGE),
  mayNotImport(['src/security/**/*.ts'], ['**/registry/*', '**/auth/*', '**/starrocks/**', '**/collector/**', '**/api/**', '**/cli/**', '**/service.js', SIMULATOR, ...ALERTS]),
  mayNotImport(['src/registry/**/*.ts', 'src/auth/**/*.ts'], ['**/starrocks/**', '**/collector/**', '**/api/**', '**/cli/**', '**/service.js', SIMULATOR, ...ALERTS]),
  mayNotImport(['src/starrocks/**/*.ts'], ['**/collector/**', '**/api/**', '**/cli/**', '**/service.js', SIMULATOR, ...ALERTS]),
  mayNotImport(['src/collector/**/*.ts'], ['**/api/**', '**/cli/**', '**/service.js', SIMULATOR, ...ALERTS]),
  mayNotImport(['src/alerts/**/*.ts'], ['**/api/**', '**/cli/**', '**/service.js', SIMULATOR]),
  mayNotImport(['src/api/**/*.ts'], ['**/cli/**', '**/service.js', SIMULATOR]),
  mayNotImport(['src/service.ts'], ['**/cli/**', SIMULATOR]),
  mayNotImport(['src/simulator/**/*.ts'], ['../*', '!../shared']),
  // Scripts the console's page loads as they are (web/public/), in the browser.
  { files: ['web/public/**/*.js'], languageOptions: { globals: globals.browser } },
  {
    // The web console: browser code that may import only src/shared (as @shared/*), nothing of the server.
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The web console runs in the browser: no Node modules.' },
            { regex: '(^|/)src/(?!shared/)', message: 'The web console imports only src/shared, as @shared/*.' },
          ],
        },
      ],
      // onClick={async () => …} is how React handlers start async work; React ignores the promise.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // Vite's config runs in Node at build time.
    files: ['web/vite.config.ts'],
    languageOptions: { globals: globals.node },
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      // Tests read JSON responses whose shape they then assert.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Tests drive code with the simulator and helpers from any layer.
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
