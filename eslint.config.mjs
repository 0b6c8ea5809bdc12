// ESLint flat config for the whole monorepo: typescript-eslint's recommended rules, lines of at
// most 120 characters, and no formatting rules (prettier formats; eslint-config-prettier turns
// off what would fight it). Unused exports are knip's job (knip.json).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      '**/coverage/',
      'benchmarks/results/',
      '**/*.generated.ts',
      // AssemblyScript: decorators on functions and its own types, compiled by asc only.
      'packages/*/assembly/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
      // `(a(), b())` comma sequences as statements are used in 18 places (sim, viewer, core);
      // off until they are rewritten as separate statements.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests build deliberately malformed records and documents.
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
