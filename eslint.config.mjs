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
    // Results must have the same bits in every engine (a crate made in a browser is verified in
    // Node): engines round Math.exp and its kin apart, so package sources use core's math
    // (src/math). `x ** 2` and `2 ** n` are exact; other powers go through core's pow. The viewer
    // only draws, and tests compare against the engine on purpose.
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/viewer/**', 'packages/core/src/math/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'pow', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan']
          .concat(['atan2', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'cbrt', 'hypot'])
          .map((property) => ({ object: 'Math', property, message: "engine-dependent bits: use core's math" })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "BinaryExpression[operator='**']:not([left.value=2]):not([right.value=2])",
          message: "engine-dependent bits: use core's pow (x ** 2 and 2 ** n are exact)",
        },
        { selector: "AssignmentExpression[operator='**=']", message: "engine-dependent bits: use core's pow" },
      ],
    },
  },
  {
    // Tests build deliberately malformed records and documents.
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
