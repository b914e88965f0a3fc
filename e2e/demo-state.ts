// A clean demo for a test: runs left verifying by an earlier test cancelled (they would hold
// every new change, one at a time), then the demo cluster reset to its initial topology.
import { expect, type Page } from '@playwright/test';

/** Returns when the reset was asked for (ms since the epoch): snapshots before it are stale. */
export async function freshDemo(page: Page): Promise<number> {
  const verifying = await page.request.get('/api/wizards/runs?status=verifying&limit=50');
  for (const run of ((await verifying.json()) as { runs: { id: string }[] }).runs) {
    await page.request.patch(`/api/wizards/runs/${run.id}`, { data: { action: 'cancel' } });
  }
  const resetAt = Date.now();
  expect((await page.request.post('/api/demo/reset')).ok()).toBeTruthy();
  return resetAt;
}

/** Stops a demo replica and waits until the console has confirmed it down (unreachable). */
export async function stopReplica(page: Page, replicaId: string): Promise<void> {
  const response = await page.request.post('/api/demo/faults', {
    data: { target: replicaId, kind: 'stop' },
  });
  expect(response.ok()).toBeTruthy();
  await expect
    .poll(
      async () => {
        const status = (await (await page.request.get('/api/status')).json()) as {
          dtr: { replicas: { id: string; status: string }[] };
        };
        return status.dtr.replicas.find((r) => r.id === replicaId)?.status;
      },
      { timeout: 20_000 },
    )
    .toBe('unreachable');
}
