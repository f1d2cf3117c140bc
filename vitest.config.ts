import { defineConfig } from 'vitest/config';

// chdb holds one engine per process, so every test file runs in its own forked
// process. Unit tests (pure core, schema, simulator) run in parallel; the
// integration and browser tests then run one file at a time: they share one real
// Kafka broker started by globalSetup, and on a 2-core machine running several
// brokers' worth of consumers at once starves heartbeats and makes timing flaky.
const slow = ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', 'scratch/**', '.data/**', '.test-data/**', ...slow],
          sequence: { groupOrder: 0 },
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: slow,
          sequence: { groupOrder: 1 },
          maxWorkers: 1,
        },
      },
    ],
  },
});
