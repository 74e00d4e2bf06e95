// Lint rules chosen for bugs they catch, not for taste (formatting is Prettier's job):
// promises nobody awaits, switches that miss a case of a union, variables nobody reads.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'scratch/', 'public/', 'cli/latentlens.mjs', 'bench/boot-thread.mjs'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node, ...globals.worker },
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Typed arrays and WebIDL objects make `any`-free code at boundaries impractical; the
      // compiler's strict mode already guards types.
      '@typescript-eslint/no-explicit-any': 'off',
      // It flags every Map or URL built inside a $derived or passed to new Worker(), none of
      // which is ever mutated reactively; svelte-check already warns on state it cannot track.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['eslint.config.js', 'svelte.config.js'],
    ...ts.configs.disableTypeChecked,
  },
);
