import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { expect, test } from './fixtures';

interface StatusReplica {
  id: string;
  node: string;
  status: string;
}

interface StatusBody {
  dtr: {
    replicas: StatusReplica[];
    quorum: Record<string, unknown>;
  };
  ucp: { nodes: { hostname: string; hosts: string[] }[] };
}

const OUTPUTS = [
  'plan-dtr-replicas',
  'plan-ucp-managers',
  'plan-cache-nodes',
  'plan-app-workers',
  'plan-total-nodes',
] as const;

// The demo's own shape: 3 managers, 3 replicas, 4 cache nodes (the HA cache's 3 replicas and a
// regional cache), 4 workers, 3 zones. The planner counts cache nodes as regions × per region.
const DEMO_PLAN =
  '/sizing?dtrFailures=1&ucpFailures=1&workers=4&zones=3&availability=99.9&cacheRegions=2&cachesPerRegion=2&cacheStorage=shared';

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

test.beforeEach(async ({ page }) => {
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
  await page.goto('/sizing');
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

  // The chart follows: at 99% per node, 3 members are down about 157 minutes a year.
  const figure = page.getByTestId('downtime-figure');
  await expect(figure).toHaveAttribute('data-availability', '99');
  await expect(figure).toHaveAttribute('data-plan-dtr', '5');
  await expect(page.getByTestId('downtime-chart')).toContainText('157 min');
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
  await page.goto(DEMO_PLAN);
  const compare = page.getByTestId('live-compare');
  await expect(compare).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('compare-row-dtr-replicas')).toHaveAttribute('data-running', '3');
  await expect(page.getByTestId('compare-row-ucp-managers')).toHaveAttribute('data-running', '3');
  await expect(page.getByTestId('compare-row-cache-nodes')).toHaveAttribute('data-running', '4');
  await expect(page.getByTestId('migration-none')).toBeVisible();
  await expect(compare).toHaveAttribute('data-matches', 'true');

  const response = await page.request.get('/api/status');
  const [removed] = ((await response.json()) as StatusBody).dtr.replicas;
  if (!removed) throw new Error('the demo cluster should have replicas');
  await removeReplica(page, removed);
  await page.reload();

  await expect(page.getByTestId('compare-row-dtr-replicas')).toHaveAttribute('data-running', '2');
  await expect(page.getByTestId('compare-row-dtr-tolerated')).toHaveAttribute('data-running', '0');
  await expect(compare).toHaveAttribute('data-matches', 'false');
  const steps = page.getByTestId('migration-steps').locator(':scope > li');
  await expect(steps).toHaveCount(1);
  const join = page.getByTestId('migration-step-1');
  await expect(join).toHaveAttribute('data-action', 'join');
  await expect(join).toContainText(/one at a time/i);
  await expect(join.getByRole('link')).toHaveAttribute('href', '/replicas/join');

  // A plan of 5 from here: two joins, and the even waypoint is not a place to stop.
  await page.getByTestId('input-dtr-failures').selectOption('2');
  await expect(page.getByTestId('plan-dtr-replicas')).toHaveAttribute('data-value', '5');
  await expect(page.locator('[data-testid^="migration-step-"][data-action="join"]')).toHaveCount(3);
  await expect(page.getByTestId('migration-steps')).toContainText(
    '4 tolerate no more failures than 3',
  );
});
