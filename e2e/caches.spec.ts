import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

interface StatusCache {
  name: string;
  node: string | null;
  status: string;
}

async function caches(page: Page): Promise<StatusCache[]> {
  const response = await page.request.get('/api/status');
  expect(response.ok()).toBeTruthy();
  const body = (await response.json()) as { dtr: { caches?: StatusCache[] } };
  return body.dtr.caches ?? [];
}

async function statusOf(page: Page, name: string): Promise<string | undefined> {
  return (await caches(page)).find((c) => c.name === name)?.status;
}

test.beforeEach(async ({ page }) => {
  expect((await page.request.post('/api/demo/reset')).ok()).toBeTruthy();
});

test.afterAll(async ({ request }) => {
  await request.post('/api/demo/reset');
});

test('the caches page lists the demo caches as healthy, with HA guidance', async ({ page }) => {
  await expect
    .poll(async () => (await caches(page)).map((c) => c.status))
    .toEqual(['healthy', 'healthy']);
  await page.goto('/caches');
  await expect(page.getByRole('heading', { level: 1, name: 'Caches' })).toBeVisible();
  for (const [name, node] of [
    ['cache-1', 'cache-node-1'],
    ['cache-2', 'cache-node-2'],
  ] as const) {
    const row = page.getByTestId(`cache-row-${name}`);
    await expect(row).toHaveAttribute('data-status', 'healthy');
    await expect(row).toContainText(node);
    await expect(row).toContainText(/\d+ ms/);
  }
  await expect(page.getByTestId('cache-warnings-empty')).toBeVisible();
  await expect(page.getByText('rw,root_squash,no_wdelay').first()).toBeVisible();
  await expect(page.getByText('--label-add dtr.cache=true "$NODE"')).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Caches' }),
  ).toHaveAttribute('aria-current', 'page');
});

test('a stopped cache turns unreachable with a CACHE_UNHEALTHY warning, and reset recovers', async ({
  page,
}) => {
  await page.goto('/caches');
  const row = page.getByTestId('cache-row-cache-1');
  await expect(row).toHaveAttribute('data-status', 'healthy');

  const fault = await page.request.post('/api/demo/faults', {
    data: { target: 'cache-node-1', kind: 'stop' },
  });
  expect(fault.ok()).toBeTruthy();

  await expect(row).toHaveAttribute('data-status', 'unreachable');
  await expect(row).toContainText(/refused/i);
  await expect(page.getByTestId('cache-row-cache-2')).toHaveAttribute('data-status', 'healthy');
  const warning = page.getByTestId('warning-CACHE_UNHEALTHY');
  await expect(warning).toContainText('DTR cache cache-1 is unreachable');
  await expect(warning).toHaveAttribute('data-severity', 'warning');

  await page.goto('/');
  await expect(page.getByTestId('warning-CACHE_UNHEALTHY')).toContainText(
    'DTR cache cache-1 is unreachable',
  );

  expect((await page.request.post('/api/demo/reset')).ok()).toBeTruthy();
  await expect.poll(() => statusOf(page, 'cache-1')).toBe('healthy');
  await page.goto('/caches');
  await expect(page.getByTestId('cache-row-cache-1')).toHaveAttribute('data-status', 'healthy');
  await expect(page.getByTestId('warning-CACHE_UNHEALTHY')).toHaveCount(0);
});
