import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { expect, test } from './fixtures';

interface StatusReplica {
  id: string;
  node: string;
  status: string;
}

interface StatusBody {
  generatedAt: string;
  dtr: {
    replicas: StatusReplica[];
    quorum: Record<string, unknown>;
    caches?: { id: string }[];
  };
  ucp: {
    managers: { total: number };
    nodes: { hostname: string; role: string; hosts: string[]; labels: Record<string, string> }[];
  };
}

const OUTPUTS = [
  'plan-dtr-replicas',
  'plan-ucp-managers',
  'plan-cache-nodes',
  'plan-app-workers',
  'plan-total-nodes',
] as const;

// The vendor defaults, spelled out: a link that names its inputs is the plan, whatever runs.
const DEFAULTS_PLAN =
  '/sizing?dtrFailures=1&ucpFailures=1&workers=4&zones=3&availability=99.9&cacheRegions=0';

/** The running cluster's figures, read from GET /api/status as the sizing page must read them. */
async function runningFigures(page: Page) {
  let status: StatusBody | undefined;
  await expect
    .poll(
      async () => {
        // The full document: the figures below count every node.
        status = (await (await page.request.get('/api/status?nodes=all')).json()) as StatusBody;
        return (
          Date.parse(status.generatedAt) > resetAt &&
          status.dtr.replicas.length > 0 &&
          status.ucp.managers.total > 0
        );
      },
      { message: 'the demo cluster is polled after the reset', timeout: 20_000 },
    )
    .toBe(true);
  if (!status) throw new Error('no status');
  const nodes = status.ucp.nodes;
  return {
    status,
    replicas: status.dtr.replicas.length,
    managers: status.ucp.managers.total,
    cacheNodes: nodes.filter((n) => n.hosts.includes('dtr-cache')).length,
    registeredCaches: status.dtr.caches?.length ?? 0,
    appWorkers: nodes.filter((n) => n.role === 'worker' && n.hosts.length === 0).length,
    zones: new Set(nodes.map((n) => n.labels.zone).filter(Boolean)).size,
  };
}

async function downloaded(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [download]: [Download, void] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).click(),
  ]);
  return {
    name: download.suggestedFilename(),
    text: await readFile(await download.path(), 'utf8'),
  };
}

async function outputs(page: Page): Promise<(string | null)[]> {
  return Promise.all(OUTPUTS.map((id) => page.getByTestId(id).getAttribute('data-value')));
}

/**
 * Removes `replica` from the demo cluster the way an operator would: stop it, then run the
 * remove wizard's command (demo apply), and wait until the cluster no longer lists it.
 */
async function removeReplica(page: Page, replica: StatusReplica): Promise<void> {
  await page.request.post('/api/demo/faults', { data: { target: replica.id, kind: 'stop' } });
  let runId = '';
  await expect
    .poll(
      async () => {
        const created = await page.request.post('/api/wizards/runs', {
          data: { kind: 'remove', replicaId: replica.id, acknowledge: ['bring-back-first'] },
        });
        if (created.status() === 201)
          runId = ((await created.json()) as { run: { id: string } }).run.id;
        return created.status();
      },
      { timeout: 20_000, message: 'the console sees the stopped replica and offers its removal' },
    )
    .toBe(201);
  expect((await page.request.post(`/api/wizards/runs/${runId}/apply`)).ok()).toBeTruthy();
  await expect
    .poll(
      async () => {
        const status = (await (await page.request.get('/api/status')).json()) as StatusBody;
        return status.dtr.replicas.some((r) => r.id === replica.id);
      },
      { timeout: 30_000, message: 'the demo applies the removal' },
    )
    .toBe(false);
}

// When the last reset happened: a snapshot older than that still shows the previous test's cluster.
let resetAt = 0;

test.beforeEach(async ({ page }) => {
  resetAt = Date.now();
  const reset = await page.request.post('/api/demo/reset');
  expect(reset.ok()).toBeTruthy();
});

test.afterAll(async ({ request }) => {
  await request.post('/api/demo/reset');
});

test('changing inputs updates the outputs and the chart, and the copied link restores the plan', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(DEFAULTS_PLAN);
  await expect(page.getByTestId('plan-dtr-replicas')).toHaveAttribute('data-value', '3');
  await expect(page.getByTestId('plan-total-nodes')).toHaveAttribute('data-value', '10');
  await expect(page.getByTestId('sizing-fallback-notice')).toHaveCount(0);

  await page.getByTestId('input-dtr-by-count').check();
  await page.getByTestId('input-dtr-count').fill('5');
  await page.getByTestId('input-ucp-failures').selectOption('2');
  await page.getByTestId('input-workers').fill('20');
  await page.getByTestId('input-availability').fill('99');

  await expect(page.getByTestId('plan-dtr-replicas')).toHaveAttribute('data-value', '5');
  await expect(page.getByTestId('plan-ucp-managers')).toHaveAttribute('data-value', '5');
  await expect(page.getByTestId('plan-total-nodes')).toHaveAttribute('data-value', '30');
  await expect(page.getByTestId('plan-driver')).toHaveAttribute('data-driver', 'workers');
  await expect(page.getByTestId('tolerance-row-5')).toHaveAttribute('data-plan', 'true');
  await expect(page.getByTestId('tolerance-row-3')).not.toHaveAttribute('data-plan', 'true');
  await expect(page).toHaveURL(/replicas=5/);

  // The chart follows: at 99% per node, 3 members are down about 157 minutes (2.6 h) a year.
  const figure = page.getByTestId('downtime-figure');
  await expect(figure).toHaveAttribute('data-availability', '99');
  await expect(figure).toHaveAttribute('data-plan-dtr', '5');
  await expect(page.getByTestId('downtime-chart')).toContainText('2.6 h');
  await expect(page.getByTestId('downtime-chart')).toContainText('DTR + UCP');

  // A refused value is flagged at its field; the rest of the plan stands.
  await page.getByTestId('input-zones').fill('nine');
  await expect(page.getByTestId('error-zones')).toContainText('whole number from 1 to 5');
  await expect(page.getByTestId('input-zones')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('plan-total-nodes')).toHaveAttribute('data-value', '30');
  await page.getByTestId('input-zones').fill('2');
  await expect(page.getByTestId('error-zones')).toBeEmpty();
  await expect(page.getByTestId('sizing-warning-ZONE_LOSS_LOSES_QUORUM')).toBeVisible();
  await expect(page.getByTestId('zone-verdict-dtr')).toHaveAttribute('data-survives', 'false');

  await page.getByRole('button', { name: 'Copy link to this plan' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/^https?:\/\/[^/]+\/sizing\?/);
  expect(link).toContain('replicas=5');
  expect(link).toContain('zones=2');

  // Exports carry the same plan and the link that restores it.
  const json = await downloaded(page, 'export-json');
  expect(json.name).toMatch(/\.json$/);
  expect(JSON.parse(json.text)).toMatchObject({ link, dtr: { members: 5 }, ucp: { members: 5 } });
  const markdown = await downloaded(page, 'export-markdown');
  expect(markdown.name).toMatch(/\.md$/);
  expect(markdown.text).toContain('| DTR replicas | 5 |');
  expect(markdown.text).toContain(`<${link}>`);

  const restored = await context.newPage();
  await restored.goto(link);
  await expect(restored.getByTestId('sizing-page')).toHaveAttribute(
    'data-query',
    (await page.getByTestId('sizing-page').getAttribute('data-query')) ?? '',
  );
  expect(await outputs(restored)).toEqual(await outputs(page));
  await expect(restored.getByTestId('input-dtr-count')).toHaveValue('5');
  await expect(restored.getByTestId('input-zones')).toHaveValue('2');
  await expect(restored.getByTestId('sizing-warning-ZONE_LOSS_LOSES_QUORUM')).toBeVisible();
  await expect(restored.getByTestId('sizing-fallback-notice')).toHaveCount(0);
});

test('junk URL parameters fall back to defaults and say which', async ({ page }) => {
  await page.goto('/sizing?zones=banana&replicas=42&workers=-1&availability=abc&dtrFailures=2');
  const notice = page.getByTestId('sizing-fallback-notice');
  await expect(notice).toBeVisible();
  for (const field of ['zones', 'replicas', 'workers', 'availability']) {
    await expect(notice).toContainText(field);
  }
  await expect(notice).not.toContainText('dtrFailures');
  // The valid parameter is kept, the refused ones take their defaults.
  await expect(page.getByTestId('plan-dtr-replicas')).toHaveAttribute('data-value', '5');
  await expect(page.getByTestId('plan-app-workers')).toHaveAttribute('data-value', '4');
  await expect(page.getByTestId('zone-table').locator('tbody tr')).toHaveCount(3);

  // Editing any input writes a clean link, and the notice goes.
  await page.getByTestId('input-workers').fill('6');
  await expect(page.getByTestId('plan-app-workers')).toHaveAttribute('data-value', '6');
  await expect(notice).toHaveCount(0);
  await expect(page).not.toHaveURL(/banana/);
});

test('plan vs the demo cluster: matching, then after a replica is removed', async ({ page }) => {
  const running = await runningFigures(page);
  // Opened bare, the plan is the running cluster: nothing to change.
  await page.goto('/sizing');
  const compare = page.getByTestId('live-compare');
  await expect(compare).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('compare-row-dtr-replicas')).toHaveAttribute(
    'data-running',
    String(running.replicas),
  );
  await expect(page.getByTestId('compare-row-cache-nodes')).toHaveAttribute(
    'data-running',
    String(running.cacheNodes),
  );
  await expect(page.getByTestId('migration-none')).toBeVisible();
  await expect(compare).toHaveAttribute('data-matches', 'true');
  // Keep that plan as a link: after the removal it is the plan the cluster falls short of.
  const plan = await page.getByTestId('sizing-page').getAttribute('data-query');

  const [removed] = running.status.dtr.replicas;
  if (!removed) throw new Error('the demo cluster should have replicas');
  await removeReplica(page, removed);
  await page.goto(`/sizing?${plan}`);

  await expect(page.getByTestId('compare-row-dtr-replicas')).toHaveAttribute(
    'data-running',
    String(running.replicas - 1),
  );
  await expect(page.getByTestId('compare-row-dtr-tolerated')).toHaveAttribute('data-running', '0');
  await expect(compare).toHaveAttribute('data-matches', 'false');
  const steps = page.getByTestId('migration-steps').locator(':scope > li');
  await expect(steps).toHaveCount(1);
  const join = page.getByTestId('migration-step-1');
  await expect(join).toHaveAttribute('data-action', 'join');
  await expect(join).toContainText(/one at a time/i);
  await expect(join.getByRole('link')).toHaveAttribute('href', '/replicas/join');

  // A plan of 5 from here: two joins, and the even waypoint is not a place to stop.
  await page.getByTestId('input-dtr-by-failures').check();
  await page.getByTestId('input-dtr-failures').selectOption('2');
  await expect(page.getByTestId('plan-dtr-replicas')).toHaveAttribute('data-value', '5');
  await expect(page.locator('[data-testid^="migration-step-"][data-action="join"]')).toHaveCount(3);
  await expect(page.getByTestId('migration-steps')).toContainText(
    '4 tolerate no more failures than 3',
  );
});

test('/sizing opened on the running demo starts from its real figures, and says so', async ({
  page,
}) => {
  const running = await runningFigures(page);
  // The demo registers its caches so that their nodes split evenly; the plan can hold that.
  expect(running.cacheNodes % Math.max(1, running.registeredCaches)).toBe(0);

  await page.goto('/sizing');
  const origin = page.getByTestId('sizing-origin');
  await expect(origin).toHaveAttribute('data-origin', 'live');
  await expect(origin).toContainText('Starting from the running cluster as of');
  await expect(origin).toContainText(`${running.replicas} DTR replicas`);
  await expect(origin).toContainText(`${running.managers} UCP managers`);
  await expect(origin).toContainText(`${running.cacheNodes} cache nodes`);

  await expect(page.getByTestId('input-dtr-count')).toHaveValue(String(running.replicas));
  await expect(page.getByTestId('input-ucp-count')).toHaveValue(String(running.managers));
  await expect(page.getByTestId('input-workers')).toHaveValue(String(running.appWorkers));
  await expect(page.getByTestId('input-zones')).toHaveValue(String(running.zones));
  await expect(page.getByTestId('plan-dtr-replicas')).toHaveAttribute(
    'data-value',
    String(running.replicas),
  );
  await expect(page.getByTestId('plan-cache-nodes')).toHaveAttribute(
    'data-value',
    String(running.cacheNodes),
  );
  for (const row of ['dtr-replicas', 'ucp-managers', 'cache-nodes', 'app-workers', 'zones']) {
    await expect(page.getByTestId(`compare-row-${row}`)).toHaveAttribute('data-matches', 'true');
  }
  // The defaults used to make the first step "Retire 2 cache nodes".
  await expect(page.locator('[data-action="retire-nodes"]')).toHaveCount(0);

  // A link with explicit inputs still wins, and offers the way back.
  await page.goto(DEFAULTS_PLAN);
  await expect(origin).toHaveAttribute('data-origin', 'link');
  await expect(page.getByTestId('plan-cache-nodes')).toHaveAttribute('data-value', '0');
  await page.getByTestId('sizing-origin-live').click();
  await expect(origin).toHaveAttribute('data-origin', 'live');
  await expect(page.getByTestId('input-dtr-count')).toHaveValue(String(running.replicas));

  // Edit, then reset to the running cluster: the plan says it matches it again.
  await page.getByTestId('input-workers').fill(String(running.appWorkers + 7));
  await expect(origin).toHaveAttribute('data-matches-live', 'false');
  await page.getByTestId('sizing-reset-live').click();
  await expect(page.getByTestId('input-workers')).toHaveValue(String(running.appWorkers));
  await expect(origin).toHaveAttribute('data-matches-live', 'true');
  await expect(origin).toContainText('This plan matches the running cluster as of');
});

test('an invalid count never leaves an old plan looking current', async ({ page }) => {
  await page.goto(DEFAULTS_PLAN);
  await page.getByTestId('input-dtr-by-count').check();
  await page.getByTestId('input-dtr-count').fill('5');
  await expect(page.getByTestId('plan-dtr-replicas')).toHaveAttribute('data-value', '5');
  await expect(page).toHaveURL(/replicas=5/);
  const area = page.getByTestId('plan-area');
  await expect(area).toHaveAttribute('data-freshness', 'current');
  await expect(page.getByTestId('export-json')).toBeEnabled();

  for (const typed of ['0', '11', 'abc']) {
    await page.getByTestId('input-dtr-count').fill(typed);
    await expect(page.getByTestId('error-dtr-count')).toContainText('whole number from 1 to 9');
    const stale = page.getByTestId('plan-stale');
    await expect(stale).toBeVisible();
    await expect(stale).toContainText(
      `This plan is for the last valid input: DTR replicas 5 (not “${typed}”)`,
    );
    await expect(area).toHaveAttribute('data-freshness', 'stale');
    // Dimmed, visibly: not the look of a current plan.
    await expect(page.getByTestId('plan-sections')).toHaveCSS('opacity', '0.45');
    // Nothing hands it on as the plan for the form's values.
    await expect(page.getByTestId('export-json')).toBeDisabled();
    await expect(page.getByTestId('export-markdown')).toBeDisabled();
    await expect(page.getByTestId('print-plan')).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Copy link to this plan' })).toHaveCount(0);
    await expect(page.getByTestId('share-link')).toHaveValue('');
    await expect(page.getByTestId('plan-actions-held')).toBeVisible();
    await expect(page).toHaveURL(/replicas=5/);
  }

  await page.getByTestId('input-dtr-count').fill('7');
  await expect(page.getByTestId('plan-dtr-replicas')).toHaveAttribute('data-value', '7');
  await expect(page.getByTestId('plan-stale')).toHaveCount(0);
  await expect(area).toHaveAttribute('data-freshness', 'current');
  await expect(page.getByTestId('plan-sections')).toHaveCSS('opacity', '1');
  await expect(page.getByTestId('export-json')).toBeEnabled();
  await expect(page.getByTestId('share-link')).toHaveValue(/replicas=7/);
});

test('hardware minimum is 16 GB per DTR node, wording is singular where it should be, and the chart reads in units', async ({
  page,
}) => {
  await page.goto(`${DEFAULTS_PLAN}&memoryGb=8`);
  const minimum = page.getByTestId('hardware-table').getByRole('row', { name: /Minimum per node/ });
  await expect(minimum).toContainText('16 GB');
  const below = page.getByTestId('sizing-warning-NODE_BELOW_MINIMUM');
  await expect(below).toContainText('Memory 8 GB (minimum 16 GB)');

  // One replica, one manager: singular everywhere.
  await page.goto(
    '/sizing?replicas=1&managers=1&workers=4&zones=3&availability=99.9&cacheRegions=0',
  );
  await expect(page.getByTestId('tolerance-row-1')).toContainText(
    'DTR (1 replica), UCP (1 manager)',
  );
  await expect(page.getByTestId('availability-dtr')).toContainText('DTR (1 replica)');
  await expect(page.getByTestId('hardware-table')).toContainText('Minimum, 1 node');
  await page.getByTestId('input-dtr-by-failures').check();
  await expect(page.getByTestId('input-dtr-failures').locator('option').first()).toHaveText(
    '0 (1 replica)',
  );

  // At 99.9% per node sizes 5 to 9 each read their own downtime; the axis has units, not 1e-2 min.
  await page.goto(
    '/sizing?replicas=9&managers=3&workers=4&zones=3&availability=99.9&cacheRegions=0',
  );
  const downtimes = await Promise.all(
    [5, 7, 9].map((n) => page.getByTestId(`tolerance-row-${n}`).locator('td').nth(2).innerText()),
  );
  expect(new Set(downtimes).size).toBe(3);
  for (const text of downtimes) expect(text).toMatch(/^\d+(\.\d)? (ms|µs|s)$/);
  const ticks = (await page.getByTestId('downtime-chart').getAttribute('data-ticks')) ?? '';
  expect(ticks.split('|').length).toBeGreaterThanOrEqual(3);
  expect(ticks).not.toMatch(/e-|e\+/);
  await expect(page.getByTestId('downtime-chart')).toContainText('1 min');
  // And the line above 7 is explained where the table marks it.
  await expect(page.getByTestId('tolerance-row-9')).toContainText('too many');
  await expect(page.getByTestId('too-many-line')).toContainText('above 7 members it warns');
  await expect(page.getByTestId('sizing-warning-DTR_TOO_MANY_REPLICAS')).toBeVisible();
});

test('the inputs stay in the page flow: no inner scroll region hides a field', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 600 });
  await page.goto(DEFAULTS_PLAN);
  const inputs = page.getByTestId('sizing-inputs');
  await expect(inputs).toHaveCSS('overflow-y', 'visible');
  await expect(inputs).toHaveCSS('position', 'static');
  const inner = await inputs.evaluate((el) => el.scrollHeight - el.clientHeight);
  expect(inner).toBeLessThanOrEqual(0);
  // The last field is reached by scrolling the page itself.
  await page.getByTestId('input-diskGb').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('input-diskGb')).toBeInViewport();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
});
