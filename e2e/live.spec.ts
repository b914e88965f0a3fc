import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

interface StatusReplica {
  id: string;
  node: string;
}

async function replicas(page: Page): Promise<StatusReplica[]> {
  const response = await page.request.get('/api/status');
  expect(response.ok()).toBeTruthy();
  return ((await response.json()) as { dtr: { replicas: StatusReplica[] } }).dtr.replicas;
}

/** Counts the page's own GET /api/status requests from now on. */
function countStatusRequests(page: Page): { count: () => number } {
  let count = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/status') count += 1;
  });
  return { count: () => count };
}

test.beforeEach(async ({ page }) => {
  expect((await page.request.post('/api/demo/reset')).ok()).toBeTruthy();
});

test.afterAll(async ({ request }) => {
  await request.post('/api/demo/reset');
});

/** A second EventSource in the page, recording the kinds of event the server sends every viewer. */
async function recordEventKinds(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const kinds: string[] = [];
    (window as unknown as { sseKinds: string[] }).sseKinds = kinds;
    const source = new EventSource('/api/events');
    for (const kind of ['snapshot', 'patch', 'pulse'])
      source.addEventListener(kind, () => kinds.push(kind));
  });
  return () => page.evaluate(() => [...(window as unknown as { sseKinds: string[] }).sseKinds]);
}

test('a fault reaches the open page over the live stream, as a patch, with no polling', async ({
  page,
}) => {
  await page.goto('/');
  const live = page.getByTestId('live-connection');
  await expect(live).toHaveAttribute('data-state', 'live');
  await expect(live).toHaveText(/^Live/);
  const worst = page.getByTestId('worst-failure');
  await expect(worst).toHaveAttribute('data-status', 'at-risk');
  const kinds = await recordEventKinds(page);
  await expect.poll(async () => (await kinds())[0]).toBe('snapshot');

  const [stopped] = await replicas(page);
  if (!stopped) throw new Error('the demo cluster should have replicas');
  // page.request does not go through the page: only the page's own requests are counted.
  const statusRequests = countStatusRequests(page);
  const injected = await page.request.post('/api/demo/faults', {
    data: { target: stopped.id, kind: 'stop' },
  });
  expect(injected.ok()).toBeTruthy();

  await expect(page.getByTestId(`replica-card-${stopped.id}`)).not.toHaveAttribute(
    'data-status',
    'healthy',
  );
  await expect(page.getByTestId('dtr-quorum-banner')).toHaveAttribute('data-status', 'at-risk');
  // With one replica down, losing one more node or zone loses DTR quorum.
  await expect(worst).toHaveAttribute('data-status', 'lost');
  await expect(worst).toHaveAttribute('data-tone', 'bad');
  await expect(worst).toContainText('DTR quorum lost');
  await expect(live).toHaveAttribute('data-state', 'live');
  expect(statusRequests.count()).toBe(0);
  // After its first snapshot a viewer gets changes as patches, never the whole document again.
  await expect.poll(kinds).toContain('patch');
  expect((await kinds()).filter((kind) => kind === 'snapshot')).toHaveLength(1);
});

test('without the stream the page polls, and still follows the cluster', async ({ page }) => {
  await page.route('**/api/events', (route) => route.abort());
  await page.goto('/');
  const live = page.getByTestId('live-connection');
  await expect(live).toHaveAttribute('data-state', 'polling');
  await expect(live).toContainText('Polling every 2 s');

  const [stopped] = await replicas(page);
  if (!stopped) throw new Error('the demo cluster should have replicas');
  // The first render may still show the state before this test's reset: start from healthy.
  const card = page.getByTestId(`replica-card-${stopped.id}`);
  await expect(card).toHaveAttribute('data-status', 'healthy');
  const statusRequests = countStatusRequests(page);
  await page.request.post('/api/demo/faults', { data: { target: stopped.id, kind: 'stop' } });
  await expect(page.getByTestId(`replica-card-${stopped.id}`)).not.toHaveAttribute(
    'data-status',
    'healthy',
  );
  expect(statusRequests.count()).toBeGreaterThan(0);
});

test('the stream comes back after a drop and polling stops again', async ({ page }) => {
  let block = true;
  await page.route('**/api/events', (route) => (block ? route.abort() : route.continue()));
  await page.goto('/');
  const live = page.getByTestId('live-connection');
  await expect(live).toHaveAttribute('data-state', 'polling');
  block = false;
  await expect(live).toHaveAttribute('data-state', 'live', { timeout: 40_000 });
});

test('the worst single failure links to the nodes it names', async ({ page }) => {
  await page.goto('/');
  const worst = page.getByTestId('worst-failure');
  // The demo spreads one replica and one manager over each of zones a, b and c.
  await expect(worst).toContainText('What-ifIf zone a fails');
  // A what-if within the design (one zone of three) in neutral colours, with no state name.
  await expect(worst).toHaveAttribute('data-tone', 'neutral');
  await expect(worst.getByTestId('worst-failure-outcomes').getByRole('listitem')).toHaveText([
    'DTR margin 0: one more failure would lose quorum',
    'UCP margin 0: one more failure would lose quorum',
  ]);
  await expect(worst).not.toContainText('at risk');
  await worst.getByRole('link', { name: 'Show the nodes in zone a' }).click();
  await expect(page).toHaveURL(/\/nodes\?zone=a$/);
  await expect(page.getByTestId('nodes-count')).toHaveText(/^Showing 6 of 14 nodes/);
});

test('the status document reaches a browser as it is, not zipped afresh for each request', async ({
  page,
}) => {
  const gzip = { 'accept-encoding': 'gzip, deflate, br, zstd' };
  // The server does compress: the overview's HTML, asked for the same way, comes gzipped.
  const html = await page.request.get('/', { headers: gzip });
  expect(html.ok()).toBeTruthy();
  expect(html.headers()['content-encoding']).toBe('gzip');

  const status = await page.request.get('/api/status', { headers: gzip });
  expect(status.ok()).toBeTruthy();
  expect(status.headers()['content-encoding']).toBeUndefined();
  expect(status.headers()['cache-control']).toBe('no-store, no-transform');
  const body = (await status.json()) as { dtr: { replicas: unknown[] } };
  expect(body.dtr.replicas.length).toBeGreaterThan(0);
});

test('the status lane answers with what Next would: the same document, ETag and headers', async ({
  page,
  playwright,
}) => {
  // Held still so both reads see the same snapshot.
  const first = await page.request.get('/api/status');
  // A query is never the lane's (lib/server/status-lane.ts): this one goes through proxy.ts and
  // the route, which ignore the unknown parameter.
  const viaNext = await page.request.get('/api/status?via=next');
  const again = await page.request.get('/api/status');
  expect(first.status()).toBe(200);
  expect(viaNext.status()).toBe(200);
  // The lane sends a length; Next streams the route's answer in chunks.
  expect(first.headers()['content-length']).toBeDefined();
  expect(viaNext.headers()['transfer-encoding']).toBe('chunked');
  // A poll between the reads changes the document: compare only reads of one snapshot.
  test.skip(
    first.headers().etag !== viaNext.headers().etag ||
      again.headers().etag !== first.headers().etag,
    'a poll landed between the reads',
  );
  expect((await first.body()).equals(await viaNext.body())).toBe(true);
  const volatile = new Set([
    'date',
    'connection',
    'keep-alive',
    'content-length',
    'transfer-encoding',
    'vary',
  ]);
  const kept = (h: Record<string, string>) =>
    Object.fromEntries(Object.entries(h).filter(([name]) => !volatile.has(name)));
  expect(kept(first.headers())).toEqual(kept(viaNext.headers()));
  // Signed out, the lane declines and Next answers 401 as before (e2e/auth.spec.ts has the rest).
  const anonymous = await playwright.request.newContext({
    baseURL: test.info().project.use.baseURL,
    storageState: { cookies: [], origins: [] },
  });
  const refused = await anonymous.get('/api/status');
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ error: { code: 'unauthorized' } });
  await anonymous.dispose();
});
