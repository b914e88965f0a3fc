// Issue #14 in a real browser: the first suggestion is the least destructive one. A stopped
// replica is brought back before it is removed; removal becomes the first step only after
// OFFLINE_LONG_MS (40 s for this suite, playwright.config.ts); after quorum loss, a replica is
// brought back first and emergency repair waits for the person to say none could be.
import type { Page } from '@playwright/test';
import { freshDemo, stopReplica } from './demo-state';
import { expect, test } from './fixtures';

interface Status {
  dtr: { replicas: { id: string; node: string; status: string }[] };
  offlineLongMs?: number;
}

async function status(page: Page): Promise<Status> {
  const response = await page.request.get('/api/status');
  expect(response.ok()).toBeTruthy();
  return (await response.json()) as Status;
}

test.beforeEach(async ({ page }) => {
  await freshDemo(page);
});

test.afterAll(async ({ request }) => {
  await request.post('/api/demo/reset');
});

test('one replica stopped: bring it back first; after OFFLINE_LONG_MS, remove and join', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { dtr, offlineLongMs } = await status(page);
  expect(offlineLongMs).toBe(40_000);
  const stopped = dtr.replicas[2];
  if (!stopped) throw new Error('the demo should have three replicas');
  await stopReplica(page, stopped.id);
  await page.goto('/');

  const card = page.getByTestId('warning-DTR_QUORUM_AT_RISK');
  await expect(card).toContainText(`Next step: Bring replica ${stopped.id} back`);
  const command = card.getByTestId('code-block').first();
  await expect(command).toContainText('docker ps -a');
  await expect(command).toContainText(`dtr-`);
  await expect(command).not.toContainText(' remove ');
  // The whole ladder, least destructive first, one click away.
  const ladder = card.getByTestId('ladder-DTR_QUORUM_AT_RISK');
  await ladder.locator('summary').click();
  await expect(ladder.getByTestId('ladder-step-bring-back')).toHaveAttribute(
    'data-recommended',
    'true',
  );
  await expect(ladder.getByTestId('ladder-step-remove-join')).toContainText(
    /Only once it has been down longer than 40 seconds/,
  );

  // Down longer than OFFLINE_LONG_MS: removal becomes the first step.
  await expect(card).toContainText(`Next step: Remove replica ${stopped.id}, then join a new one`, {
    timeout: 60_000,
  });
  await expect(card.getByTestId('code-block').first()).toContainText(`--replica-ids ${stopped.id}`);
});

test('two replicas stopped: bring back one of them; emergency repair only after saying none could be', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const [a, b] = (await status(page)).dtr.replicas;
  if (!a || !b) throw new Error('the demo should have three replicas');
  await stopReplica(page, a.id);
  await stopReplica(page, b.id);
  await page.goto('/');

  const lost = page.getByTestId('warning-DTR_QUORUM_LOST');
  await expect(lost).toContainText(`Next step: Bring back any one of`);
  await expect(lost.getByTestId('code-block').first()).not.toContainText('emergency-repair');

  const ladder = lost.getByTestId('ladder-DTR_QUORUM_LOST');
  await ladder.locator('summary').click();
  const repair = ladder.getByTestId('ladder-step-emergency-repair');
  // Hidden until the person says no replica could be brought back.
  await expect(repair.getByTestId('ladder-hidden-emergency-repair')).toBeVisible();
  await expect(repair.getByTestId('code-block')).toHaveCount(0);
  await repair.getByTestId('ladder-ack-emergency-repair').check();
  const block = repair.getByTestId('code-block');
  await expect(block).toContainText('emergency-repair');

  // What is copied is what is shown, and it fits its box.
  await block.getByRole('button').click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await block.locator('pre').innerText());
  const overflow = await block.locator('pre').evaluate((pre) => pre.scrollWidth - pre.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
});

test('no generated command on the overview, a wizard, a run or the load balancer page runs off its box', async ({
  page,
}) => {
  const [a, b] = (await status(page)).dtr.replicas;
  if (!a || !b) throw new Error('the demo should have three replicas');
  await stopReplica(page, a.id);
  await stopReplica(page, b.id);
  await page.setViewportSize({ width: 1280, height: 900 });
  const created = await page.request.post('/api/wizards/runs', {
    data: {
      kind: 'repair',
      keepReplicaId: (await status(page)).dtr.replicas.find((r) => r.status !== 'unreachable')?.id,
      acknowledge: ['bring-back-first', 'repair-consequence'],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { run } = (await created.json()) as { run: { id: string } };
  // The load balancer page's commands (drift findings) only show when there is drift.
  for (const path of ['/', '/replicas/repair', `/replicas/runs/${run.id}`, '/load-balancer']) {
    await page.goto(path);
    for (const details of await page.locator('details').all()) {
      if (!(await details.getAttribute('open'))) await details.locator('summary').first().click();
    }
    for (const ack of await page.getByTestId(/^ladder-ack-/).all()) await ack.check();
    const blocks = page.getByTestId('code-block');
    if (path !== '/load-balancer') expect(await blocks.count(), path).toBeGreaterThan(0);
    for (const block of await blocks.all()) {
      const overflow = await block
        .locator('pre')
        .evaluate((pre) => pre.scrollWidth - pre.clientWidth);
      expect(overflow, `${path}: ${await block.innerText()}`).toBeLessThanOrEqual(1);
    }
  }
});
