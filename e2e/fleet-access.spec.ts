// Access per cluster, in a browser, on a console of its own watching two demo clusters
// (DEMO_CLUSTERS=2: "prod" and "dr"). The demo user `operator` is a viewer on prod and an admin on
// dr: the header, the fault panel and the API must follow the cluster in the URL, also when the
// browser moves between clusters without reloading the page.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { freePort, waitFor } from '../test/support/net';

const ROOT = path.resolve(__dirname, '..');

let console_: ChildProcess | null = null;
let origin = '';
let work = '';
let output = '';

test.use({ storageState: { cookies: [], origins: [] } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const port = await freePort();
  work = mkdtempSync(path.join(os.tmpdir(), 'fleet-access-'));
  origin = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DEMO_CLUSTERS: '2',
    DATABASE_URL: `file:${path.join(work, 'console.db')}`,
  };
  // A fresh secret per start (demo mode), not the shared console's.
  delete env.SESSION_SECRET;
  console_ = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  console_.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  console_.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    () => `the fleet console on ${origin}; its output: ${output}`,
    async () => ((await fetch(`${origin}/api/healthz`)).ok ? true : null),
    150_000,
    250,
  );
});

test.afterAll(async () => {
  const child = console_;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

async function signInAsOperator(page: Page): Promise<void> {
  await page.goto(`${origin}/login`);
  const row = page.getByTestId('demo-user-operator');
  // The demo box says what operator may do where.
  await expect(row.getByTestId('demo-user-can')).toHaveText('change things on dr; view on prod');
  const password = (await row.getByTestId('demo-user-password').innerText()).trim();
  await page.getByTestId('login-username').fill('operator');
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(`${origin}/`);
}

test('operator is an admin on dr and a viewer on prod, in the header, the panels and the API', async ({
  page,
}) => {
  expect(output).toMatch(/demo user operator: password/);
  await signInAsOperator(page);
  // The fleet overview lists both clusters, and the role on each.
  await expect(page.getByTestId('fleet-row-prod')).toBeVisible();
  await expect(page.getByTestId('fleet-row-dr')).toBeVisible();
  await expect(page.getByTestId('user-role')).toHaveText('admin on dr · viewer on prod');

  // Into dr by the row's link (no reload: the layout is not rendered again): admin there.
  await page.getByTestId('fleet-row-dr').getByRole('link', { name: 'dr' }).click();
  await expect(page).toHaveURL(`${origin}/c/dr`);
  await expect(page.getByTestId('user-role')).toHaveText('admin');
  await expect(page.getByRole('link', { name: 'Audit' })).toBeVisible();

  // Back to the fleet and into prod, still without a reload: a viewer there.
  await page.goBack();
  await expect(page).toHaveURL(`${origin}/`);
  await page.getByTestId('fleet-row-prod').getByRole('link', { name: 'prod' }).click();
  await expect(page).toHaveURL(`${origin}/c/prod`);
  await expect(page.getByTestId('user-role')).toHaveText('viewer (read-only)');
  await expect(page.getByRole('link', { name: 'Audit' })).toHaveCount(0);

  // Each cluster's overview, loaded afresh: fault controls on dr only.
  await page.goto(`${origin}/c/dr`);
  await expect(page.getByTestId('user-role')).toHaveText('admin');
  await expect(page.getByTestId('fault-apply')).toBeVisible();
  await page.goto(`${origin}/c/prod`);
  await expect(page.getByTestId('user-role')).toHaveText('viewer (read-only)');
  await expect(page.getByTestId('fault-panel-read-only')).toBeVisible();
  await expect(page.getByTestId('fault-apply')).toHaveCount(0);

  // The server agrees, cluster by cluster.
  const me = (await (await page.request.get(`${origin}/api/auth/me`)).json()) as {
    roles: Record<string, string>;
    csrfToken: string;
  };
  expect(me.roles).toEqual({ prod: 'viewer', dr: 'admin' });
  const headers = { 'x-csrf-token': me.csrfToken, origin };
  const onProd = await page.request.post(`${origin}/c/prod/api/demo/reset`, { headers });
  expect(onProd.status()).toBe(403);
  expect(((await onProd.json()) as { error: { message: string } }).error.message).toMatch(
    /Only UCP administrators of cluster "prod" can do this; you are a viewer there/,
  );
  const onDr = await page.request.post(`${origin}/c/dr/api/demo/reset`, { headers });
  expect(onDr.status()).toBe(200);
});
