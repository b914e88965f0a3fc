import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

interface StatusReplica {
  id: string;
  node: string;
  status: string;
}

async function replicas(page: Page): Promise<StatusReplica[]> {
  const response = await page.request.get('/api/status');
  expect(response.ok()).toBeTruthy();
  const body = (await response.json()) as { dtr: { replicas: StatusReplica[] } };
  return body.dtr.replicas;
}

async function injectFault(page: Page, target: string, kind: string): Promise<void> {
  await page.getByTestId('fault-target').selectOption(target);
  await page.getByTestId('fault-kind').selectOption(kind);
  await page.getByTestId('fault-apply').click();
}

test.beforeEach(async ({ page }) => {
  const reset = await page.request.post('/api/demo/reset');
  expect(reset.ok()).toBeTruthy();
});

test.afterAll(async ({ request }) => {
  await request.post('/api/demo/reset');
});

test('a fresh demo cluster shows three healthy replicas and three reachable managers', async ({
  page,
}) => {
  await page.goto('/');
  const dtrBanner = page.getByTestId('dtr-quorum-banner');
  await expect(dtrBanner).toHaveAttribute('data-status', 'healthy');
  await expect(dtrBanner).toContainText(/lose 1/i);
  await expect(page.getByTestId('ucp-quorum-banner')).toHaveAttribute('data-status', 'healthy');

  const all = await replicas(page);
  expect(all).toHaveLength(3);
  for (const replica of all) {
    await expect(page.getByTestId(`replica-card-${replica.id}`)).toHaveAttribute(
      'data-status',
      'healthy',
    );
  }
  const status = await (await page.request.get('/api/status')).json();
  expect(status.dtr.quorum).toMatchObject({
    replicas: 3,
    healthy: 3,
    failuresTolerated: 1,
    status: 'healthy',
  });
  expect(status.ucp.managers).toMatchObject({ total: 3, reachable: 3, status: 'healthy' });
});

test('stopping replicas walks the banner from healthy to at risk to quorum lost, and reset recovers', async ({
  page,
}) => {
  await page.goto('/');
  const [first, second] = await replicas(page);
  if (!first || !second) throw new Error('demo cluster should have three replicas');
  const dtrBanner = page.getByTestId('dtr-quorum-banner');
  await expect(dtrBanner).toHaveAttribute('data-status', 'healthy');

  await injectFault(page, first.id, 'stop');
  await expect(page.getByTestId(`replica-card-${first.id}`)).not.toHaveAttribute(
    'data-status',
    'healthy',
  );
  await expect(dtrBanner).toHaveAttribute('data-status', 'at-risk');
  await expect(page.getByTestId('warning-DTR_QUORUM_AT_RISK')).toBeVisible();

  await injectFault(page, second.id, 'stop');
  await expect(dtrBanner).toHaveAttribute('data-status', 'lost');
  const lost = page.getByTestId('warning-DTR_QUORUM_LOST');
  await expect(lost).toBeVisible();
  await expect(lost).toContainText('emergency-repair');

  await page.getByTestId('demo-reset').click();
  await expect(dtrBanner).toHaveAttribute('data-status', 'healthy');
});

test('a hung replica does not stall the page: other members keep updating', async ({ page }) => {
  await page.goto('/');
  const [hung, other] = await replicas(page);
  if (!hung || !other) throw new Error('demo cluster should have three replicas');
  await injectFault(page, hung.id, 'hang');
  // Its database is still connected: the cluster vouches for it while the console times out.
  await expect(page.getByTestId(`replica-card-${hung.id}`)).toHaveAttribute(
    'data-status',
    'unreachable-from-console',
  );
  // While the hung member times out every cycle, a change elsewhere still shows promptly.
  await injectFault(page, other.id, 'error');
  await expect(page.getByTestId(`replica-card-${other.id}`)).toHaveAttribute(
    'data-status',
    'unhealthy',
  );
});

test('garbage and error answers show as unhealthy with a readable reason', async ({ page }) => {
  await page.goto('/');
  const [garbled, failing] = await replicas(page);
  if (!garbled || !failing) throw new Error('demo cluster should have three replicas');
  await injectFault(page, garbled.id, 'garbage');
  await injectFault(page, failing.id, 'error');
  const garbledCard = page.getByTestId(`replica-card-${garbled.id}`);
  const failingCard = page.getByTestId(`replica-card-${failing.id}`);
  await expect(garbledCard).toHaveAttribute('data-status', 'unhealthy');
  await expect(garbledCard).toContainText(/malformed/i);
  await expect(failingCard).toHaveAttribute('data-status', 'unhealthy');
  await expect(failingCard).toContainText(/registry|garant|rethinkdb|notary|storage/i);
});

test('the overview is usable on a phone-sized screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await expect(page.getByTestId('dtr-quorum-banner')).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(1);
});

test('on a phone the header is one line and the navigation opens from a Menu button', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  const header = page.getByRole('banner');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  const closed = await header.boundingBox();
  expect(closed?.height ?? Infinity).toBeLessThanOrEqual(72);
  // The quorum banner starts in the first screenful.
  const banner = await page.getByTestId('dtr-quorum-banner').boundingBox();
  expect(banner?.y ?? Infinity).toBeLessThan(400);

  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav).toBeVisible();
  await expect(page.getByTestId('user-name')).toBeVisible();
  await nav.getByRole('link', { name: 'Nodes' }).click();
  await expect(page).toHaveURL(/\/nodes$/);
  // Following a link closes the menu again.
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
});

test('on a laptop the navigation shows in the header without a menu', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
});

test('every panel is in the first HTML; those whose code comes after the first load hydrate cleanly', async ({
  page,
}) => {
  const all = await replicas(page);
  expect(all).toHaveLength(3);
  // The first response carries every panel's content: rendered on the server, not fetched
  // later (React may stream a panel whose code loads lazily further down the same response,
  // where its inline script swaps it in before any bundle runs).
  const html = await (await page.request.get('/')).text();
  expect(html).toContain('data-testid="worst-failure"');
  for (const replica of all) expect(html).toContain(`data-testid="replica-card-${replica.id}"`);
  expect(html.match(/aria-label="UCP managers"/g) ?? []).not.toHaveLength(0);
  expect(html).toContain('Failures a group of ');
  expect(html).toContain('data-testid="node-summary"');
  expect(html).toContain('data-testid="fault-target"');

  // With JavaScript: no hydration mismatch, and the late panels follow the cluster.
  const reactErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /React error|hydrat/i.test(message.text()))
      reactErrors.push(message.text());
  });
  page.on('pageerror', (error) => reactErrors.push(error.message));
  await page.goto('/');
  await expect(page.getByTestId('fault-target')).toBeEnabled();
  const [first] = all;
  if (!first) throw new Error('demo cluster should have three replicas');
  await injectFault(page, first.id, 'stop');
  await expect(page.getByTestId(`replica-card-${first.id}`)).not.toHaveAttribute(
    'data-status',
    'healthy',
  );
  await expect(page.getByTestId('warning-DTR_QUORUM_AT_RISK')).toBeVisible();

  // A client-side navigation renders the panels in the browser: placeholders, then the panels.
  await page.getByRole('link', { name: 'Nodes', exact: true }).first().click();
  await expect(page).toHaveURL(/\/nodes/);
  await page.getByRole('link', { name: 'Overview', exact: true }).first().click();
  await expect(page.getByTestId(`replica-card-${first.id}`)).toBeVisible();
  await expect(page.getByRole('table', { name: /Failures a group of 1 to 7/ })).toBeVisible();
  await expect(page.getByTestId('warning-DTR_QUORUM_AT_RISK')).toBeVisible();
  await expect(page.getByText(/^Loading the/)).toHaveCount(0);
  expect(reactErrors).toEqual([]);
});
