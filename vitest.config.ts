import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real servers; forks keep their child processes apart.
    pool: 'forks',
    env: { TZ: 'UTC', NO_COLOR: '1' },
  },
});
