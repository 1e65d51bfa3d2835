import tseslint from 'typescript-eslint';
import { partBoundaries } from './tools/eslint-part-boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'test/fixtures/**', '**/*.fixture.js'] },
  ...tseslint.configs.recommended,
  {
    plugins: { stampede: { rules: { 'part-boundaries': partBoundaries } } },
    rules: {
      'stampede/part-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': ['error',
        { object: 'process', property: 'exit', message: 'Only the CLI entry may exit the process.' },
      ],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/domain/**/*.ts', 'src/store/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'process', property: 'env', message: 'Library code gets configuration injected; never read process.env.' },
        { object: 'process', property: 'exit', message: 'Library code never exits the process.' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/runner/**/*.ts', 'bench/**/*.ts', 'bin/**/*.js', 'tools/**/*.js', '**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
