import { defineConfig } from 'vitest/config';

// Integration tests start real uWS servers and worker threads: separate processes (forks), two at
// a time on this 2-core machine. The JSON report feeds the "N passed, N failed" line of .ci/run.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
