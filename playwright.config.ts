import { defineConfig, devices } from '@playwright/test';
import { ADMIN_STATE } from './e2e/auth-state';
import { E2E_LOG_DIR, E2E_SECRETS, SERVER_LOG } from './e2e/secrets';

const PORT = Number(process.env.E2E_PORT ?? 3210);
const CI = Boolean(process.env.CI);

export default defineConfig({
  testDir: './e2e',
  // The tests share one demo cluster and change its state: run them one at a time.
  fullyParallel: false,
  workers: 1,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'on-first-retry',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    {
      name: 'desktop-chromium',
      dependencies: ['setup'],
      testIgnore: /auth\.setup\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        channel: undefined,
        storageState: ADMIN_STATE,
      },
    },
    {
      // After everything else: the credentials must not have leaked anywhere during the run.
      name: 'secret-scan',
      testMatch: /secret-scan\.check\.ts/,
      dependencies: ['desktop-chromium'],
      use: { ...devices['Desktop Chrome'], channel: undefined, storageState: ADMIN_STATE },
    },
  ],
  webServer: {
    // The server's output is kept for the secret scan as well as shown.
    command: `mkdir -p ${E2E_LOG_DIR} && rm -f ${E2E_LOG_DIR}/* && node scripts/start.mjs 2>&1 | tee ${SERVER_LOG}`,
    url: `http://127.0.0.1:${PORT}/api/healthz`,
    env: {
      PORT: String(PORT),
      SESSION_SECRET: E2E_SECRETS.sessionSecret,
      METRICS_TOKEN: E2E_SECRETS.metricsToken,
      DEMO_SERVICE_PASSWORD: E2E_SECRETS.servicePassword,
      // Short, so a test can watch the advice move from "bring it back" to "remove and join"
      // (e2e/advice.spec.ts); long enough for every other test to act on a just-stopped replica.
      OFFLINE_LONG_MS: '40000',
    },
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
