import { defineConfig } from 'vitest/config';

// chdb holds one engine per process, so every test file runs in its own forked
// process. Integration tests share one real Kafka broker started by globalSetup.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'scratch/**', '.data/**', 'dashboard/web/node_modules/**'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
