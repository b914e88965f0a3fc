import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const rows = (page: Page) => page.locator('tbody tr[data-testid^="node-row-"]');
const hostnames = (page: Page) =>
  rows(page).evaluateAll((all) => all.map((row) => row.getAttribute('data-testid')?.slice(9)));

test.beforeEach(async ({ page }) => {
  expect((await page.request.post('/api/demo/reset')).ok()).toBeTruthy();
  // The console sees the reset at its next poll: until then the page would still show the last
  // test's fault (a stopped dtr-node-1 read "no change (already down)" once, in CI).
  await expect
    .poll(
      async () => {
        const status = (await (await page.request.get('/api/status')).json()) as {
          dtr: { replicas: { status: string }[] };
        };
        return status.dtr.replicas.filter((r) => r.status === 'healthy').length;
      },
      { timeout: 20_000 },
    )
    .toBe(3);
});

test.afterAll(async ({ request }) => {
  await request.post('/api/demo/reset');
});

test('the default demo lists its 14 nodes with what each hosts', async ({ page }) => {
  await page.goto('/nodes');
  await expect(page.getByTestId('nodes-count')).toHaveText('Showing 14 of 14 nodes');
  await expect(rows(page)).toHaveCount(14);
  await expect(page.getByRole('table')).toHaveAttribute('aria-rowcount', '15');
  const manager = page.getByTestId('node-row-ucp-manager-1');
  await expect(manager).toContainText('UCP manager');
  await expect(manager).toContainText('4 vCPU · 16 GiB');
  await expect(page.getByTestId('node-row-dtr-node-1')).toContainText('DTR replica');
  await expect(page.getByTestId('node-row-app-node-1')).toContainText('workloads only');
  await expect(page.getByTestId('what-if-app-node-1')).toHaveAttribute('data-effect', 'none');
  await expect(page.getByTestId('what-if-dtr-node-1')).toHaveAttribute('data-effect', 'weakens');
});

test('filtering by role keeps the filter in the URL', async ({ page }) => {
  await page.goto('/nodes');
  await page.getByTestId('filter-role').selectOption('manager');
  await expect(page).toHaveURL(/[?&]role=manager/);
  await expect(rows(page)).toHaveCount(3);
  await expect(page.getByTestId('nodes-count')).toHaveText(/^Showing 3 of 14 nodes/);

  await page.reload();
  await expect(page.getByTestId('filter-role')).toHaveValue('manager');
  await expect(rows(page)).toHaveCount(3);
  await page.getByTestId('filters-clear').click();
  await expect(rows(page)).toHaveCount(14);
  await expect(page).toHaveURL(/\/nodes$/);
});

test('the search box filters as you type and lands in the URL after a pause', async ({ page }) => {
  await page.goto('/nodes');
  await page.getByTestId('filter-q').fill('cache');
  await expect(rows(page)).toHaveCount(4);
  await expect(page).toHaveURL(/[?&]q=cache/);
});

test('a search finds an application worker the status leaves out, through GET /api/nodes', async ({
  page,
}) => {
  // The served status lists the nodes that matter; a ready, active application worker is counted.
  const status = (await (await page.request.get('/api/status')).json()) as {
    ucp: { nodes: { hostname: string }[]; nodeCounts: { applicationWorkers: number } };
  };
  expect(status.ucp.nodes.map((n) => n.hostname)).not.toContain('app-node-2');
  expect(status.ucp.nodeCounts.applicationWorkers).toBeGreaterThan(0);

  await page.goto('/nodes');
  const searched = page.waitForResponse(
    (response) =>
      new URL(response.url()).pathname === '/api/nodes' &&
      new URL(response.url()).searchParams.get('q') === 'app-node-2',
  );
  await page.getByTestId('filter-q').fill('app-node-2');
  const response = await searched;
  expect(response.status()).toBe(200);
  const body = (await response.json()) as {
    total: number;
    items: { node: { hostname: string } }[];
  };
  expect(body.total).toBe(1);
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByTestId('node-row-app-node-2')).toContainText('workloads only');
  await expect(page.getByTestId('nodes-count')).toHaveText('Showing 1 of 14 nodes (filtered)');
});

test('sorting by hostname descending, by mouse and by keyboard', async ({ page }) => {
  await page.goto('/nodes');
  const header = page.getByRole('columnheader', { name: /Hostname/ });
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await page.getByTestId('sort-hostname').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/sort=hostname&dir=desc/);
  // The rows come from the server in the new order (GET /api/nodes): wait for that page.
  await expect
    .poll(async () => (await hostnames(page)).slice(0, 3))
    .toEqual(['ucp-manager-3', 'ucp-manager-2', 'ucp-manager-1']);

  await page.getByTestId('sort-hostname').focus();
  await page.keyboard.press('Enter');
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => (await hostnames(page))[0]).toBe('app-node-1');
});

test('a link with ?node= highlights that node', async ({ page }) => {
  await page.goto('/nodes?node=dtr-node-2');
  const row = page.getByTestId('node-row-dtr-node-2');
  await expect(row).toHaveAttribute('data-highlighted', 'true');
  await expect(row).toBeInViewport();
  await expect(page.locator('tr[data-highlighted]')).toHaveCount(1);
});

test('bad parameters are ignored with a notice', async ({ page }) => {
  await page.goto('/nodes?role=boss&state=down');
  await expect(page.getByTestId('nodes-notices')).toContainText('Ignored role=boss');
  await expect(page.getByTestId('nodes-count')).toHaveText(/^Showing 0 of 14 nodes/);
  await page.getByRole('button', { name: 'Remove them from the address' }).click();
  await expect(page).toHaveURL(/\/nodes\?state=down$/);
  await expect(page.getByTestId('nodes-notices')).toHaveCount(0);
});

test('a stopped DTR node shows in the what-if column', async ({ page }) => {
  const status = (await (await page.request.get('/api/status')).json()) as {
    dtr: { replicas: { id: string; node: string }[] };
  };
  const replica = status.dtr.replicas.find((r) => r.node === 'dtr-node-1');
  if (!replica) throw new Error('the demo should run a replica on dtr-node-1');
  await page.goto('/nodes?hosts=dtr-replica');
  await expect(rows(page)).toHaveCount(3);
  await expect(page.getByTestId('what-if-dtr-node-2')).toHaveAttribute('data-effect', 'weakens');

  await page.request.post('/api/demo/faults', { data: { target: replica.id, kind: 'stop' } });
  const stopped = page.getByTestId('what-if-dtr-node-1');
  await expect(stopped).toHaveAttribute('data-effect', 'no-quorum-change');
  await expect(stopped).toContainText('already down');
  const next = page.getByTestId('what-if-dtr-node-2');
  await expect(next).toHaveAttribute('data-effect', 'lost');
  await expect(next).toContainText('DTR quorum lost');
});

/** How many nodes the inventory has now (the demo's layout may grow): the status counts them all. */
async function nodeCount(page: Page): Promise<number> {
  const status = (await (await page.request.get('/api/status')).json()) as {
    ucp: { nodeCounts: { total: number } };
  };
  return status.ucp.nodeCounts.total;
}

test('on a phone every node is a card whose "If it fails" shows without sideways scrolling', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const total = await nodeCount(page);
  await page.goto('/nodes');
  await expect(page.getByTestId('node-cards')).toBeVisible();
  await expect(page.getByRole('table')).toBeHidden();
  // Walk down the page (the cards are virtualised) and note each verdict seen within the screen.
  const seen = new Map<string, string>();
  for (let step = 0; step < 40 && seen.size < total; step += 1) {
    const visible = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid^="card-what-if-"]')]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.height > 0 && r.left >= 0 && r.right <= window.innerWidth;
        })
        .map((el) => [
          el.getAttribute('data-testid')?.slice('card-what-if-'.length) ?? '',
          el.getAttribute('data-effect') ?? '',
        ]),
    );
    for (const [host, effect] of visible) if (host) seen.set(host, effect ?? '');
    await page.mouse.wheel(0, 600);
  }
  expect(seen.size).toBe(total);
  expect(seen.get('dtr-node-1')).toBe('weakens');
  expect(seen.get('app-node-1')).toBe('none');
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(1);
});

test('on a laptop the page scrolls, not the table, and the last node is reachable', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 600 });
  const total = await nodeCount(page);
  await page.goto('/nodes');
  await expect(rows(page)).toHaveCount(total);
  const table = page.getByTestId('nodes-table');
  // The table is as tall as its rows: nothing inside it scrolls.
  const inner = await table.evaluate((el) => {
    const box = el.querySelector('[data-wide-table]');
    return box ? box.scrollHeight - box.clientHeight : -1;
  });
  expect(inner).toBeLessThanOrEqual(1);
  await page.mouse.wheel(0, 5000);
  await expect(rows(page).last()).toBeInViewport();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
});

test('a table narrower than its columns scrolls sideways with a hint, names kept in view', async ({
  page,
}) => {
  await page.setViewportSize({ width: 900, height: 900 });
  await page.goto('/nodes');
  await expect(page.getByTestId('wide-table-hint')).toBeVisible();
  const box = page.locator('[data-wide-table]');
  await expect(box).toHaveAttribute('data-overflowing', 'true');
  await box.evaluate((el) => el.scrollBy({ left: 400 }));
  const name = page.getByTestId('node-row-app-node-1').locator('th');
  const boxLeft = (await box.boundingBox())?.x ?? NaN;
  await expect.poll(async () => (await name.boundingBox())?.x).toBeCloseTo(boxLeft + 1, -1);
});

test('the overview lists a stopped application worker, which the slim status keeps', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('node-summary-none')).toBeVisible();
  const fault = await page.request.post('/api/demo/faults', {
    data: { target: 'app-node-1', kind: 'stop' },
  });
  expect(fault.ok()).toBeTruthy();
  const item = page.getByTestId('node-attention-app-node-1');
  await expect(item).toContainText(/app-node-1 is (down|unknown|disconnected)/, {
    timeout: 20_000,
  });
  await item.getByRole('link').click();
  await expect(page).toHaveURL(/\/nodes\?node=app-node-1$/);
  await expect(page.getByTestId('node-row-app-node-1')).toHaveAttribute('data-highlighted', 'true');
});
