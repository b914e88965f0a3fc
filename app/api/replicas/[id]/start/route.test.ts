// EXECUTE=on, demo: the advice's "bring back" step run from the console. A stopped replica's
// containers start again on its node; a replica that is up, or one never read, is refused in a
// sentence and audited; with a change in flight it waits.
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.stubEnv('EXECUTE', 'on');

const { signedInHeaders } = await import('@/test/support/auth');
const { getRuntime, shutdownRuntime } = await import('@/lib/server/runtime');
const { getClusterStatus } = await import('@/lib/server/services/status');
const { POST: START } = await import('./route');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const runtime = await getRuntime();
const ADMIN = { username: 'admin', isAdmin: true };

async function start(id: string, as = ADMIN): Promise<Response> {
  const request = new Request(`http://console.test/api/replicas/${id}/start`, {
    method: 'POST',
    headers: {
      ...(await signedInHeaders(as, runtime.sessionSecret)),
      origin: 'http://console.test',
      'content-type': 'application/json',
    },
    body: '{}',
  });
  return START(request, { params: Promise.resolve({ id }) });
}

async function statusOf(id: string): Promise<string | undefined> {
  await runtime.monitor.pollNow();
  return (await getClusterStatus(runtime)).dtr.replicas.find((r) => r.id === id)?.status;
}

async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeEach(async () => {
  await runtime.demo!.reset();
  await until('three healthy replicas', async () => {
    await runtime.monitor.pollNow();
    const { replicas } = (await getClusterStatus(runtime)).dtr;
    return replicas.filter((r) => r.status === 'healthy').length === 3;
  });
});

afterAll(async () => {
  await shutdownRuntime();
  vi.unstubAllEnvs();
});

describe('POST /api/replicas/<id>/start (EXECUTE=on, demo)', () => {
  it('starts a stopped replica’s containers, and the replica is healthy again; audited', async () => {
    const replica = runtime.demo!.describe().replicas[0]!.id;
    await runtime.demo!.setFault(replica, 'stop');
    await until('the replica read as stopped', async () => {
      await runtime.monitor.pollNow();
      const read = (await getClusterStatus(runtime)).dtr.replicas.find((r) => r.id === replica);
      return (
        read !== undefined &&
        read.status !== 'healthy' &&
        (read.containers?.stopped.length ?? 0) > 0
      );
    });
    const status = await getClusterStatus(runtime);
    const step = status.warnings.flatMap((w) => w.ladder ?? []).find((s) => s.id === 'bring-back');
    expect(step?.replicaIds).toEqual([replica]);

    const since = Date.now();
    const response = await start(replica);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body.started.length).toBeGreaterThan(0);
    expect(body.started.every((name: string) => name.endsWith(replica))).toBe(true);
    await until('the replica healthy again', async () => (await statusOf(replica)) === 'healthy');
    const entries = (await runtime.audit.list({ limit: 20 })).filter(
      (e) => Date.parse(e.at) >= since,
    );
    expect(entries.map((e) => e.action)).toContain('wizard-container-started');
  });

  it('refuses a replica that is up, and one it has never read, in a sentence, audited', async () => {
    const replica = runtime.demo!.describe().replicas[0]!.id;
    const since = Date.now();
    const up = await start(replica);
    expect(up.status).toBe(409);
    expect(((await up.json()) as Json).error.message).toBe(
      `Replica ${replica} is up: there is nothing to start.`,
    );
    const unknown = await start('0123456789ab');
    expect(unknown.status).toBe(409);
    expect(((await unknown.json()) as Json).error.message).toMatch(/no replica 0123456789ab/);
    const refused = (await runtime.audit.list({ limit: 20 })).filter(
      (e) => Date.parse(e.at) >= since && e.action === 'wizard-execution-refused',
    );
    expect(refused).toHaveLength(2);
    const viewer = await start(replica, { username: 'viewer', isAdmin: false });
    expect(viewer.status).toBe(403);
  });

  it('holds the cluster while it works: refused while another holds it or an execution runs, free after', async () => {
    const replica = runtime.demo!.describe().replicas[0]!.id;
    await runtime.demo!.setFault(replica, 'stop');
    await until('the replica read as stopped', async () => (await statusOf(replica)) !== 'healthy');
    const executions = runtime.store.executions;
    // Another console's bring-back holds the cluster.
    const other = await executions.takeHold({
      kind: 'bring-back',
      actor: 'bob',
      instance: 'console-2',
      subject: 'bringing back replica 0123456789ab',
      ttlMs: 60_000,
    });
    if (!other.ok) throw new Error('the test could not take the hold');
    const held = await start(replica);
    expect(held.status).toBe(409);
    expect(((await held.json()) as Json).error.message).toMatch(
      /Another change is in progress on cluster "default": bringing back replica 0123456789ab, by bob .* on console console-2/,
    );
    await executions.releaseHold(other.hold.id);
    // An execution holds the slot.
    const slot = await executions.acquire({
      runId: 'run-x',
      kind: 'repair',
      actor: 'carol',
      ip: null,
      instance: 'console-2',
      imageRef: '',
      node: null,
      argvPublic: [],
      leaseMs: 60_000,
    });
    if (!slot.ok) throw new Error('the test could not take the slot');
    const busy = await start(replica);
    expect(busy.status).toBe(409);
    expect(((await busy.json()) as Json).error.message).toMatch(
      /Another execution is in progress .* by carol .*Start the containers once it has ended\./,
    );
    // Refused, it gave its own hold back.
    expect(await executions.currentHold()).toBeNull();
    await executions.update(slot.record.id, { status: 'exited', exitCode: 0 });
    const ok = await start(replica);
    expect(ok.status).toBe(200);
    // Done, it gave the hold back.
    expect(await executions.currentHold()).toBeNull();
  });
});
