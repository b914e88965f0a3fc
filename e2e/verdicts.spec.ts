// Issue #13 in a real browser: grouped alerts (one incident, one primary card) and the verdicts
// the demo's new faults produce. The demo is only a stage here; the verdict rules are proven
// against a wire-format upstream in test/faults/verdict-scenarios.test.ts.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

interface Status {
  dtr: { replicas: { id: string; node: string; status: string }[] };
}

async function replicas(page: Page): Promise<Status['dtr']['replicas']> {
  const response = await page.request.get('/api/status');
  expect(response.ok()).toBeTruthy();
  return ((await response.json()) as Status).dtr.replicas;
}

async function fault(page: Page, target: string, kind: string): Promise<void> {
  const response = await page.request.post('/api/demo/faults', { data: { target, kind } });
  expect(response.ok(), await response.text()).toBeTruthy();
}

test.beforeEach(async ({ page }) => {
  expect((await page.request.post('/api/demo/reset')).ok()).toBeTruthy();
});

test.afterAll(async ({ request }) => {
  await request.post('/api/demo/reset');
});

/** The incident cards on the overview (primary cards only, not the facts folded inside them). */
const incidents = (page: Page) => page.getByTestId('incidents').locator(':scope > li');

test('two replicas stopped: one critical card for the incident, the member facts folded inside it', async ({
  page,
}) => {
  const [a, b] = await replicas(page);
  if (!a || !b) throw new Error('the demo should have three replicas');
  await page.goto('/');
  await fault(page, a.id, 'stop');
  await fault(page, b.id, 'stop');
  await expect(page.getByTestId('dtr-quorum-banner')).toHaveAttribute('data-status', 'lost');

  const cards = incidents(page);
  await expect(cards.first()).toHaveAttribute('data-group', 'dtr-quorum');
  await expect(cards.first()).toHaveAttribute('data-testid', 'warning-DTR_QUORUM_LOST');
  // At most one critical card per incident: here one incident, so one card.
  await expect(
    page.locator('[data-testid="incidents"] > li[data-severity="critical"]'),
  ).toHaveCount(1);

  // The members' own facts are one click away, folded: the two stopped, and the survivor whose
  // /_ping now reports the lost quorum.
  // The API first, so a failure says what the console concluded about each replica.
  await expect
    .poll(async () => (await replicas(page)).map((r) => r.status).sort(), { timeout: 20_000 })
    .toEqual(['unhealthy', 'unreachable', 'unreachable']);
  const related = cards.first().getByTestId('incident-related');
  await expect(related).toContainText(/related facts of this incident/);
  const folded = related.getByTestId('warning-DTR_REPLICA_UNHEALTHY');
  await expect(folded).toHaveCount(3);
  await expect(folded.first()).toBeHidden();
  await related.locator('summary').click();
  await expect(folded.first()).toBeVisible();
  // The banner says what the verdict rests on.
  await expect(page.getByTestId('dtr-quorum-basis')).toContainText(/count/);
});

test('a replica and a manager stopped: two incidents, each with at most one critical card', async ({
  page,
}) => {
  const [a] = await replicas(page);
  if (!a) throw new Error('the demo should have replicas');
  await page.goto('/');
  await fault(page, a.id, 'stop');
  await fault(page, 'ucp-manager-2', 'stop');
  await expect(page.getByTestId('dtr-quorum-banner')).toHaveAttribute('data-status', 'at-risk');
  await expect(page.getByTestId('ucp-quorum-banner')).toHaveAttribute('data-status', 'at-risk');

  const primaries = page.locator('[data-testid="incidents"] > li');
  await expect(page.getByTestId('warning-UCP_QUORUM_AT_RISK')).toBeVisible();
  const groups = await primaries.evaluateAll((cards) =>
    cards.map((card) => [card.getAttribute('data-group'), card.getAttribute('data-severity')]),
  );
  // Every card is its own incident, and each incident shows one card.
  expect(new Set(groups.map(([group]) => group)).size).toBe(groups.length);
  expect(groups.filter(([, severity]) => severity === 'critical').map(([g]) => g)).toEqual([
    'dtr-quorum',
    'ucp-quorum',
  ]);
});

test('a replica cut off from the console: the cluster vouches for it, the quorum stays healthy, no alarm colour', async ({
  page,
}) => {
  const [, cut] = await replicas(page);
  if (!cut) throw new Error('the demo should have replicas');
  await page.goto('/');
  await fault(page, cut.id, 'partition-from-console');
  const card = page.getByTestId(`replica-card-${cut.id}`);
  await expect(card).toHaveAttribute('data-status', 'unreachable-from-console');
  await expect(card).toContainText('Not reachable from the console');
  await expect(page.getByTestId(`replica-verdict-${cut.id}`)).toContainText(
    /the cluster reports it OK/,
  );
  await expect(page.getByTestId(`replica-evidence-${cut.id}`)).toContainText('Majority: counts');
  await expect(page.getByTestId('dtr-quorum-banner')).toHaveAttribute('data-status', 'healthy');
  await expect(page.getByTestId('warning-DTR_PING_DISAGREES')).toHaveAttribute(
    'data-severity',
    'warning',
  );
  await expect(
    page.locator('[data-testid="incidents"] > li[data-severity="critical"]'),
  ).toHaveCount(0);
});

test('a ghost replica (its node removed from the swarm) is named, with the command to remove it', async ({
  page,
}) => {
  const [, , ghost] = await replicas(page);
  if (!ghost) throw new Error('the demo should have three replicas');
  await page.goto('/');
  await fault(page, ghost.id, 'ghost');
  await expect(page.getByTestId(`replica-card-${ghost.id}`)).toHaveAttribute(
    'data-status',
    'ghost',
  );
  await expect(page.getByTestId('dtr-quorum-banner')).toHaveAttribute('data-status', 'at-risk');
  const incident = page.getByTestId('warning-DTR_QUORUM_AT_RISK');
  await expect(incident).toBeVisible();
  await incident.getByTestId('incident-related').locator(':scope > summary').click();
  const card = incident.getByTestId('warning-DTR_REPLICA_GHOST');
  await expect(card).toContainText(`its node ${ghost.node} is gone from the swarm`);
  await expect(card).toContainText(`--replica-ids ${ghost.id}`);
});

test('the fault panel offers each member only the faults it accepts', async ({ page }) => {
  await page.goto('/');
  const [first] = await replicas(page);
  if (!first) throw new Error('the demo should have replicas');
  await page.getByTestId('fault-target').selectOption(first.id);
  await expect(page.getByTestId('fault-kind').locator('option[value="ghost"]')).toHaveCount(1);
  await expect(page.getByTestId('fault-kind').locator('option[value="no-leader"]')).toHaveCount(0);
  await page.getByTestId('fault-target').selectOption('ucp-manager-2');
  await expect(page.getByTestId('fault-kind').locator('option[value="no-leader"]')).toHaveCount(1);
  await expect(page.getByTestId('fault-kind').locator('option[value="ghost"]')).toHaveCount(0);
});
