import { defineConfig } from 'vitest/config';
import os from 'node:os';
import path from 'node:path';

export default defineConfig({
  resolve: {
    alias: { '@': path.resolve(__dirname) },
  },
  test: {
    include: ['{lib,app,components,scripts,test}/**/*.test.{ts,tsx}'],
    environment: 'node',
    // `server-only` throws outside a React Server bundle; tests import server modules directly.
    alias: { 'server-only': path.resolve(__dirname, 'test/support/server-only-stub.ts') },
    // Tests that boot the whole runtime keep their history out of the developer's ./data.
    env: { DATABASE_URL: `file:${path.join(os.tmpdir(), `dtr-console-vitest-${process.pid}.db`)}` },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
