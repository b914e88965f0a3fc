import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADMIN, signedInHeaders } from '@/test/support/auth';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';
import { MemoryWizardRunStore } from '@/lib/server/services/wizard-runs';
import { oneLine } from '@/lib/domain/shell';

const { POST: CREATE } = await import('../../route');
const { GET: READ } = await import('../route');
const { POST: APPLY } = await import('./route');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(method: string, path: string, body?: unknown): Promise<Request> {
  return new Request(`http://console.test${path}`, {
    method,
    headers: {
      ...(await signedInHeaders(ADMIN, (await getRuntime()).sessionSecret)),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

async function statuses(): Promise<Record<string, string>> {
  const snapshot = await (await getRuntime()).monitor.pollNow();
  return Object.fromEntries(snapshot.dtr.replicas.map((r) => [r.id, r.status]));
}

async function until(done: (s: Record<string, string>) => boolean): Promise<void> {
  for (let i = 0; i < 20; i++) {
    if (done(await statuses())) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the monitor did not see the change');
}

async function createRun(body: unknown): Promise<Json> {
  const response = await CREATE(await call('POST', '/api/wizards/runs', body), undefined);
  expect(response.status).toBe(201);
  return ((await response.json()) as Json).run;
}

async function applyAndWait(id: string): Promise<Json> {
  const applied = await APPLY(await call('POST', `/api/wizards/runs/${id}/apply`), ctx(id));
  expect(applied.status).toBe(200);
  for (let i = 0; i < 40; i++) {
    const { run } = (await (
      await READ(await call('GET', `/api/wizards/runs/${id}`), ctx(id))
    ).json()) as Json;
    if (run.status !== 'verifying') return run;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the run was still verifying');
}

const replicaIds = async () => (await getRuntime()).demo!.describe().replicas.map((r) => r.id);

beforeEach(async () => {
  (await getRuntime()).wizardRuns = new MemoryWizardRunStore();
  await (await getRuntime()).demo!.reset();
  await until((s) => Object.keys(s).length === 3 && Object.values(s).every((v) => v === 'healthy'));
});

afterAll(async () => {
  await shutdownRuntime();
});

/** A wrapped command as the shell reads it. */

describe('POST /api/wizards/runs/<id>/apply (demo mode)', () => {
  it('a join verifies once the new replica is healthy, and learns its ID', async () => {
    // 3 → 4 is allowed (with a warning to plan the next join). Every DTR node of the demo has a
    // replica, so the 4th goes on an application worker, which the person must accept.
    const run = await createRun({
      kind: 'join',
      node: 'app-node-2',
      acknowledge: ['application-worker'],
    });
    expect(run.state.gates.map((g: Json) => g.id)).toEqual(
      expect.arrayContaining(['even-after', 'application-worker']),
    );
    expect(oneLine(run.state.command)).toContain('join --ucp-node app-node-2');
    // The new replica answers on the ports its peers use (the demo's are not 80/443).
    const [peer] = (await getRuntime()).demo!.describe().replicas;
    expect(oneLine(run.state.command)).toContain(
      `--replica-http-port ${peer!.httpPort} --replica-https-port ${peer!.httpsPort}`,
    );
    const done = await applyAndWait(run.id);
    expect(done.status).toBe('done');
    expect(done.state.replicaId).toMatch(/^[0-9a-f]{12}$/);
    expect(await replicaIds()).toContain(done.state.replicaId);
  });

  it('emergency repair with 2 of 3 replicas stopped shrinks the cluster to the kept one', async () => {
    const runtime = await getRuntime();
    const [first, second, third] = await replicaIds();
    await runtime.demo!.setFault(first!, 'stop');
    await runtime.demo!.setFault(second!, 'stop');
    await until((s) => s[first!] === 'unreachable' && s[second!] === 'unreachable');
    const run = await createRun({
      kind: 'repair',
      keepReplicaId: third,
      acknowledge: ['bring-back-first', 'repair-consequence'],
    });
    expect(oneLine(run.state.command)).toContain(`emergency-repair --existing-replica-id ${third}`);
    const done = await applyAndWait(run.id);
    expect(done.status).toBe('done');
    expect(done.verification.message).toMatch(/healthy cluster of one/);
    expect(await replicaIds()).toEqual([third]);
  });

  it('refuses emergency repair while DTR still has quorum (409)', async () => {
    const [first] = await replicaIds();
    const intact = await CREATE(
      await call('POST', '/api/wizards/runs', {
        kind: 'repair',
        keepReplicaId: first,
        acknowledge: ['repair-consequence'],
      }),
      undefined,
    );
    expect(intact.status).toBe(409);
    expect(((await intact.json()) as Json).error.message).toMatch(/still has quorum/);
  });

  it('re-checks the cluster before applying: a change generated earlier may no longer be safe', async () => {
    const runtime = await getRuntime();
    const [first, , third] = await replicaIds();
    await runtime.demo!.setFault(third!, 'stop');
    await until((s) => s[third!] === 'unreachable');
    const run = await createRun({
      kind: 'remove',
      replicaId: third,
      acknowledge: ['bring-back-first'],
    });
    await runtime.demo!.setFault(first!, 'stop');
    await until((s) => s[first!] === 'unreachable');
    const refused = await APPLY(
      await call('POST', `/api/wizards/runs/${run.id}/apply`),
      ctx(run.id),
    );
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Json).error.message).toMatch(
      /cluster changed since the command was generated: DTR has lost quorum since this was planned/,
    );
    // Withdrawn for good, not just refused this once.
    const { run: after } = (await (
      await READ(await call('GET', `/api/wizards/runs/${run.id}`), ctx(run.id))
    ).json()) as Json;
    expect(after).toMatchObject({ status: 'stale', state: { command: '' } });
  });
});
