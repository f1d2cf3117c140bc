// Lint: typescript-eslint's recommended rules, plus the one architectural rule
// (STYLE.md): the pure core imports nothing that does I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dashboard/web/dist/**', '.data/**', '.test-data/**', 'scratch/**', 'test-artifacts/**', '**/*.svelte'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['processors/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['kafkajs', '@clickhouse/*', 'chdb', 'chdb/*', 'fastify', '@fastify/*', 'ws', 'prom-client', 'node:*', 'fs', 'net', 'http',
            '../*.js', '../../infra/**', '../../ingest/**', '../../dashboard/**'],
          message: 'processors/core is pure: no I/O, no adapters (STYLE.md).',
        }],
      }],
    },
  },
  {
    // A subfolder of the core reaches the core with '../' and the adapters with '../../'.
    files: ['processors/core/*/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['kafkajs', '@clickhouse/*', 'chdb', 'chdb/*', 'fastify', '@fastify/*', 'ws', 'prom-client', 'node:*', 'fs', 'net', 'http',
            '../../*.js', '../../../infra/**', '../../../ingest/**', '../../../dashboard/**'],
          message: 'processors/core is pure: no I/O, no adapters (STYLE.md).',
        }],
      }],
    },
  },
);
