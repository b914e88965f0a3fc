// A command planned on facts that no longer hold is withdrawn, not left ready to copy (issue #14):
// an emergency repair planned while DTR had lost quorum, and the replicas come back before anyone
// runs it. Repairing then would throw two working replicas away.
import type { Page } from '@playwright/test';
import { oneLine } from '../lib/domain/shell';
import { freshDemo, stopReplica } from './demo-state';
import { expect, test } from './fixtures';

interface StatusReplica {
  id: string;
  node: string;
  status: string;
}

interface Status {
  dtr: { replicas: StatusReplica[]; quorum: { status: string } };
}

interface RunView {
  id: string;
  status: string;
  state: { command: string };
  withdrawn: { reason: string; at: string } | null;
}

async function status(page: Page): Promise<Status> {
  const response = await page.request.get('/api/status');
  expect(response.ok()).toBeTruthy();
  return (await response.json()) as Status;
}

async function threeReplicas(page: Page): Promise<[StatusReplica, StatusReplica, StatusReplica]> {
  const [a, b, c] = (await status(page)).dtr.replicas;
  if (!a || !b || !c) throw new Error('the demo cluster should start with three replicas');
  return [a, b, c];
}

/** Waits until the console sees the demo's three replicas healthy on their own nodes again. */
async function initialTopology(page: Page): Promise<void> {
  await expect
    .poll(
      async () =>
        (await status(page)).dtr.replicas
          .filter((r) => r.status === 'healthy')
          .map((r) => r.node)
          .sort(),
      { timeout: 20_000 },
    )
    .toEqual(['dtr-node-1', 'dtr-node-2', 'dtr-node-3']);
}

test.beforeEach(async ({ page }) => {
  await freshDemo(page);
  await initialTopology(page);
});

test.afterAll(async ({ request }) => {
  await request.post('/api/demo/reset');
});

test('an emergency repair planned during quorum loss is withdrawn once the replicas come back', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const [first, second, survivor] = await threeReplicas(page);
  await stopReplica(page, first.id);
  await stopReplica(page, second.id);
  await expect.poll(async () => (await status(page)).dtr.quorum.status).toBe('lost');

  // The repair plan blocks until the person says the stopped replicas could not be brought back
  // and accepts what emergency repair does (repair.ts).
  const created = await page.request.post('/api/wizards/runs', {
    data: {
      kind: 'repair',
      keepReplicaId: survivor.id,
      acknowledge: ['bring-back-first', 'repair-consequence'],
    },
  });
  expect(created.status()).toBe(201);
  const { run } = (await created.json()) as { run: RunView };

  await page.goto(`/replicas/runs/${run.id}`);
  const command = page.getByTestId('command-text');
  expect(oneLine(await command.innerText())).toContain(
    `emergency-repair --existing-replica-id ${survivor.id}`,
  );
  await expect(page.getByRole('button', { name: 'Copy the command', exact: true })).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'open');

  // The stopped replicas come back before anyone ran the command.
  expect((await page.request.post('/api/demo/reset')).ok()).toBeTruthy();

  // The open page hears of the change over the live stream: no reload.
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'stale', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('run-withdrawn')).toContainText(
    'The cluster changed since this was planned: plan again',
  );
  await expect(page.getByTestId('run-withdrawn-reason')).toContainText('DTR has its quorum back');
  await expect(page.getByRole('button', { name: /copy/i })).toHaveCount(0);
  await expect(page.getByTestId('command-text')).toHaveCount(0);
  await expect(page.getByTestId('demo-apply')).toHaveCount(0);
  const body = page.locator('body');
  for (const fragment of ['--existing-replica-id', 'docker run', 'docker/dtr:']) {
    await expect(body).not.toContainText(fragment, { useInnerText: true });
  }

  // Reloaded, the page the server renders carries no command at all, not even in its data.
  await page.reload();
  await expect(page.getByTestId('run-withdrawn')).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain('--existing-replica-id');
  expect(html).not.toContain('docker/dtr:');

  // Nor does the API, and the demo refuses to apply it, with the reason.
  const read = (await (await page.request.get(`/api/wizards/runs/${run.id}`)).json()) as {
    run: RunView;
  };
  expect(read.run).toMatchObject({ status: 'stale', state: { command: '' } });
  expect(read.run.withdrawn?.reason).toMatch(/^DTR has its quorum back/);
  const applied = await page.request.post(`/api/wizards/runs/${run.id}/apply`, { data: {} });
  expect(applied.status()).toBe(409);
  expect(((await applied.json()) as { error: { message: string } }).error.message).toContain(
    'DTR has its quorum back',
  );

  // The runs list says stale, not "Command ready".
  await page.goto('/replicas');
  const row = page.getByTestId(`run-row-${run.id}`);
  await expect(row).toHaveAttribute('data-status', 'stale');
  await expect(row).toContainText('Stale');
  await expect(row).not.toContainText('Command ready');
  await expect(row).toContainText('DTR has its quorum back');

  // Planning again re-opens the wizard with the same replica to keep, against today's cluster.
  await page.goto(`/replicas/runs/${run.id}`);
  await page.getByTestId('plan-again').click();
  await expect(page).toHaveURL(
    new RegExp(`/replicas/repair\\?replica=${survivor.id}&step=preview`),
  );
  await expect(page.getByText('Emergency repair is not the way here')).toBeVisible();
});
