// Lint: typescript-eslint's recommended rules, plus the one architectural rule
// (STYLE.md): the pure core imports nothing that does I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const IO_MODULES = ['kafkajs', '@clickhouse/*', 'chdb', 'chdb/*', 'fastify', '@fastify/*', 'ws', 'prom-client', 'node:*', 'fs', 'net', 'http'];

/** No I/O modules, and nothing from processors/ (the adapters) or the other packages, `up` away. */
function pureCore(files, up) {
  return {
    files: [files],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: [...IO_MODULES, `${up}/*.js`, `${up}/../infra/**`, `${up}/../ingest/**`, `${up}/../dashboard/**`],
          message: 'processors/core is pure: no I/O, no adapters (STYLE.md).',
        }],
      }],
    },
  };
}

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
  // The core, and its subfolders one level further from the adapters.
  pureCore('processors/core/**/*.ts', '..'),
  pureCore('processors/core/*/**/*.ts', '../..'),
);
