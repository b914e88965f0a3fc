import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

interface StatusCache {
  name: string;
  node: string | null;
  status: string;
  layout?: string;
  replicas?: { node: string; status: string }[];
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

test('the HA cache shows as one cache with 3 replicas and no warning; the regional one warns', async ({
  page,
}) => {
  await expect
    .poll(async () =>
      (await caches(page)).map((c) => [c.name, c.status, c.layout, c.replicas?.length]),
    )
    .toEqual([
      ['cache-ha', 'healthy', 'load-balancer', 3],
      ['cache-region-1', 'healthy', 'node', 1],
    ]);
  await page.goto('/caches');
  await expect(page.getByRole('heading', { level: 1, name: 'Caches' })).toBeVisible();

  const ha = page.getByTestId('cache-row-cache-ha');
  await expect(ha).toHaveAttribute('data-status', 'healthy');
  await expect(ha).toHaveAttribute('data-replicas', '3');
  await expect(ha).toHaveAttribute('data-serving', '3');
  await expect(page.getByTestId('cache-replicas-cache-ha')).toContainText(
    '3 replicas · behind a load balancer',
  );
  for (const node of ['cache-node-1', 'cache-node-2', 'cache-node-3'])
    await expect(page.getByTestId(`cache-replica-cache-ha-${node}`)).toHaveAttribute(
      'data-status',
      'healthy',
    );
  await expect(ha).toContainText(/\d+ ms/);
  const regional = page.getByTestId('cache-row-cache-region-1');
  await expect(regional).toHaveAttribute('data-replicas', '1');
  await expect(regional).toContainText('cache-node-4');

  // One warning: the regional cache's single replica. None for the HA cache.
  const warnings = page.getByRole('region', { name: 'Cache warnings' }).getByRole('listitem');
  await expect(page.getByTestId('warning-CACHE_SINGLE_REPLICA')).toHaveCount(1);
  await expect(page.getByTestId('warning-CACHE_SINGLE_REPLICA')).toContainText(
    'DTR cache cache-region-1 has one replica, on cache-node-4',
  );
  await expect(page.getByTestId('warning-CACHE_UNHEALTHY')).toHaveCount(0);
  await expect(warnings.filter({ hasText: 'cache-ha' })).toHaveCount(0);
  // No --label-rm anywhere: every labelled node serves a cache.
  await expect(page.locator('main')).not.toContainText('--label-rm');
  await expect(page.getByTestId('cache-unregistered-nodes')).toHaveCount(0);

  // The cache load balancer, generated from the 3 replicas, checked on /v2/.
  const haproxy = page.getByTestId('cache-lb-haproxy-cache-ha');
  await expect(haproxy).toContainText('option httpchk GET /v2/');
  await expect(haproxy).toContainText('http-check expect rstatus ^(200|401)$');
  for (const [i, node] of ['cache-node-1', 'cache-node-2', 'cache-node-3'].entries())
    await expect(haproxy).toContainText(`server ${node} 127.0.3.${i + 1}:`);
  await expect(
    page.getByTestId('cache-lb-cache-ha').getByTestId('code-block').first(),
  ).toContainText('docker run --detach --name dtr-cache-lb');
  await expect(
    page.getByTestId('cache-lb-cache-ha').getByTestId('code-block').first(),
  ).toContainText('haproxy:1.7-alpine');

  // Storage: what to verify, since neither DTR nor the console can see it.
  await expect(page.getByTestId('cache-storage-note')).toContainText(
    'cache-ha has several replicas',
  );
  await expect(page.getByText('rw,root_squash,no_wdelay').first()).toBeVisible();
  // An example node name that cannot be mistaken for a real one (issue #21).
  await expect(page.getByText('--label-add dtr.cache=true <node-name>')).toBeVisible();
  await expect(page.locator('main')).not.toContainText('NODE=cache-node');
  // Column headers in the console's usual case, not upper case (issue #21).
  await expect(page.getByRole('columnheader', { name: 'Replicas' })).toHaveCSS(
    'text-transform',
    'none',
  );
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Caches' }),
  ).toHaveAttribute('aria-current', 'page');
});

test('one HA replica stopped: the cache still serves, a warning restores the replica, reset clears it', async ({
  page,
}) => {
  await page.goto('/caches');
  const ha = page.getByTestId('cache-row-cache-ha');
  await expect(ha).toHaveAttribute('data-serving', '3');

  const fault = await page.request.post('/api/demo/faults', {
    data: { target: 'cache-node-2', kind: 'stop' },
  });
  expect(fault.ok()).toBeTruthy();

  // The load balancer still answers through the other two replicas.
  await expect(ha).toHaveAttribute('data-serving', '2');
  await expect(ha).toHaveAttribute('data-status', 'healthy');
  await expect(page.getByTestId('cache-replica-cache-ha-cache-node-2')).toHaveAttribute(
    'data-status',
    'unreachable',
  );
  const warning = page
    .getByTestId('warning-CACHE_UNHEALTHY')
    .filter({ hasText: 'DTR cache node cache-node-2 is down' });
  await expect(warning).toHaveCount(1);
  await expect(warning).toContainText('DTR cache cache-ha now serves from 2 of its 3 replicas');
  await expect(warning).toContainText('Bring cache-node-2 back');
  await expect(page.locator('main')).not.toContainText('--label-rm');

  expect((await page.request.post('/api/demo/reset')).ok()).toBeTruthy();
  await expect(ha).toHaveAttribute('data-serving', '3');
  await expect(page.getByTestId('warning-CACHE_UNHEALTHY')).toHaveCount(0);
});

test('a failing HA replica on a ready node: a warning with the command that shows its task', async ({
  page,
}) => {
  await page.goto('/caches');
  const fault = await page.request.post('/api/demo/faults', {
    data: { target: 'cache-node-3', kind: 'error' },
  });
  expect(fault.ok()).toBeTruthy();
  const warning = page
    .getByTestId('warning-CACHE_UNHEALTHY')
    .filter({ hasText: 'the replica on cache-node-3 is unhealthy' });
  await expect(warning).toContainText('docker node ps cache-node-3');
  await expect(page.getByTestId('cache-row-cache-ha')).toHaveAttribute('data-serving', '2');
});

test('a stopped regional cache turns unreachable with a CACHE_UNHEALTHY warning, and reset recovers', async ({
  page,
}) => {
  await page.goto('/caches');
  const row = page.getByTestId('cache-row-cache-region-1');
  await expect(row).toHaveAttribute('data-status', 'healthy');

  const fault = await page.request.post('/api/demo/faults', {
    data: { target: 'cache-node-4', kind: 'stop' },
  });
  expect(fault.ok()).toBeTruthy();

  await expect(row).toHaveAttribute('data-status', 'unreachable');
  await expect(row).toContainText(/refused/i);
  await expect(page.getByTestId('cache-row-cache-ha')).toHaveAttribute('data-status', 'healthy');
  const warning = page
    .getByTestId('warning-CACHE_UNHEALTHY')
    .filter({ hasText: 'DTR cache cache-region-1 is unreachable' });
  await expect(warning).toHaveAttribute('data-severity', 'warning');

  await page.goto('/');
  await expect(
    page
      .getByTestId('warning-CACHE_UNHEALTHY')
      .filter({ hasText: 'DTR cache cache-region-1 is unreachable' }),
  ).toHaveCount(1);

  expect((await page.request.post('/api/demo/reset')).ok()).toBeTruthy();
  await expect.poll(() => statusOf(page, 'cache-region-1')).toBe('healthy');
  await page.goto('/caches');
  await expect(page.getByTestId('cache-row-cache-region-1')).toHaveAttribute(
    'data-status',
    'healthy',
  );
  await expect(page.getByTestId('warning-CACHE_UNHEALTHY')).toHaveCount(0);
});
