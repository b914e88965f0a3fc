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
  return ((await response.json()) as { dtr: { replicas: StatusReplica[] } }).dtr.replicas;
}

async function statusOf(page: Page, id: string): Promise<string | undefined> {
  return (await replicas(page)).find((r) => r.id === id)?.status;
}

test.beforeEach(async ({ page }) => {
  expect((await page.request.post('/api/demo/reset')).ok()).toBeTruthy();
});

test.afterAll(async ({ request }) => {
  await request.post('/api/demo/reset');
});

test('the history page draws its charts with labelled axes and a text summary', async ({
  page,
}) => {
  await page.goto('/history?range=1h');
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Last hour' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  for (const chart of ['healthy', 'margin', 'latency']) {
    const figure = page.getByTestId(`history-chart-${chart}`);
    await expect(figure.getByRole('application')).toBeVisible();
    await expect(figure).toContainText('Time (UTC)');
  }
  await expect(page.getByTestId('history-chart-latency')).toContainText('Probe latency (ms)');
  await expect(page.getByTestId('healthy-summary')).toContainText(/Of 3 DTR replicas/);
});

test('a stopped replica shows on the timeline as still down, then with how long it was down', async ({
  page,
}) => {
  const [stopped] = await replicas(page);
  if (!stopped) throw new Error('the demo cluster should have replicas');
  const fault = await page.request.post('/api/demo/faults', {
    data: { target: stopped.id, kind: 'stop' },
  });
  expect(fault.ok()).toBeTruthy();
  await expect.poll(() => statusOf(page, stopped.id)).toBe('unreachable');

  await page.goto('/history?range=1h');
  const outage = page.getByTestId(`outage-${stopped.id}`).first();
  // The page is rendered on the server: reload until the event has been written.
  await expect(async () => {
    await page.reload();
    await expect(outage).toHaveAttribute('data-ongoing', 'true', { timeout: 1000 });
  }).toPass();
  await expect(outage).toContainText(
    `Replica ${stopped.id} on ${stopped.node} went unreachable at`,
  );
  await expect(outage).toContainText('still down');

  const api = await page.request.get('/api/history?from=-1h&series=events');
  expect(api.ok()).toBeTruthy();
  const body = (await api.json()) as { outages: { subject: string; end: string | null }[] };
  expect(body.outages).toContainEqual(expect.objectContaining({ subject: stopped.id, end: null }));

  expect((await page.request.post('/api/demo/reset')).ok()).toBeTruthy();
  await expect.poll(() => statusOf(page, stopped.id)).toBe('healthy');
  await expect(async () => {
    await page.reload();
    await expect(outage).toHaveAttribute('data-ongoing', 'false', { timeout: 1000 });
  }).toPass();
  await expect(outage).toContainText(/went unreachable at .+, for \d/);
});

test('a range that is not one falls back to the last 6 hours and says so', async ({ page }) => {
  await page.goto('/history?range=2y');
  await expect(page.getByTestId('history-range-notice')).toContainText('"2y" is not a range');
  await expect(page.getByRole('link', { name: 'Last 6 hours' })).toHaveAttribute(
    'aria-current',
    'page',
  );
});

test('a custom range goes into the URL', async ({ page }) => {
  await page.goto('/history');
  await page.getByLabel('From (UTC)').fill('2024-05-01T10:00');
  await page.getByLabel('To (UTC)').fill('2024-05-01T12:00');
  await page.getByRole('button', { name: 'Show range' }).click();
  await expect(page).toHaveURL(/from=2024-05-01T10%3A00&to=2024-05-01T12%3A00/);
  await expect(page.getByTestId('history-empty')).toBeVisible();
});
