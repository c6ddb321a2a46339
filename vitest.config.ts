import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,cluster,workloads,nemesis,checkers,results,cli,bench,runner}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    allowOnly: false,
  },
});
