// ESLint's and typescript-eslint's recommended rules, without the type-checked ones so that `npm run lint` stays fast.
// Prettier owns the layout; max-len catches what it cannot wrap (strings, template literals, comments).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // api-schema.d.ts is generated from the OpenAPI document (npm run openapi:types).
  {
    ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', '.tmp/', '.ci-results/', 'test/support/api-schema.d.ts'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a name that is there on purpose: a property left out of a rest object, a parameter
      // that a handler's signature requires.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The input validators look for control characters on purpose, to refuse them.
      'no-control-regex': 'off',
      // Low-level errors are replaced by messages for the operator that already carry the reason (and leave out
      // credentials); attaching them as `cause` would change what an uncaught error prints.
      'preserve-caught-error': 'off',
    },
  },
  {
    // HTTP answers in tests are untyped JSON, as supertest's `body: any` is.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
  {
    // The pages' stylesheet and scripts, served as they are to the browser.
    files: ['apps/server/src/assets/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        document: 'readonly',
        navigator: 'readonly',
        location: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        FileReader: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { caughtErrors: 'none' }] },
  },
  prettier,
  {
    // eslint-config-prettier turns max-len off; it stays on here for the lines that Prettier cannot wrap.
    rules: { 'max-len': ['error', { code: 120, ignoreUrls: true }] },
  },
);
