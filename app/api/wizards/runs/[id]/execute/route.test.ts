// EXECUTE=on in demo mode: the console runs a planned step itself, after checking every gate again.
// The demo's UCP checks the password (its admin's), the demo cluster changes as the tool would, and
// the run is verified against the live status. Each refusal is a sentence and an audit entry.
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.stubEnv('EXECUTE', 'on');

const { signedInHeaders } = await import('@/test/support/auth');
const { getRuntime, shutdownRuntime } = await import('@/lib/server/runtime');
const { MemoryWizardRunStore } = await import('@/lib/server/services/wizard-runs');
const { LoginRateLimiter } = await import('@/lib/auth/rate-limit');
const { getClusterStatus } = await import('@/lib/server/services/status');
const { POST: CREATE } = await import('../../route');
const { GET: READ } = await import('../route');
const { POST: EXECUTE } = await import('./route');
const { GET: EXECUTION } = await import('../execution/route');
const { GET: EVENTS } = await import('../execution/events/route');
const { POST: RELEASE } = await import('../execution/release/route');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const runtime = await getRuntime();
const demoAdmin = runtime.demo!.users.find((u) => u.isAdmin && u.username === 'admin')!;
const demoViewer = runtime.demo!.users.find((u) => !u.isAdmin)!;
const ADMIN = { username: demoAdmin.username, isAdmin: true };
const VIEWER = { username: demoViewer.username, isAdmin: false };

async function request(
  method: string,
  path: string,
  body?: unknown,
  options: { as?: { username: string; isAdmin: boolean }; csrf?: boolean } = {},
): Promise<Request> {
  const headers = await signedInHeaders(options.as ?? ADMIN, runtime.sessionSecret);
  if (options.csrf === false) delete headers['x-csrf-token'];
  return new Request(`http://console.test${path}`, {
    method,
    headers: {
      ...headers,
      origin: 'http://console.test',
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

async function plan(body: unknown): Promise<Json> {
  const response = await CREATE(await request('POST', '/api/wizards/runs', body), undefined);
  if (response.status !== 201) throw new Error(await response.text());
  return ((await response.json()) as Json).run;
}

async function execute(id: string, body: unknown, options = {}): Promise<Response> {
  return EXECUTE(await request('POST', `/api/wizards/runs/${id}/execute`, body, options), ctx(id));
}

async function readRun(id: string): Promise<Json> {
  return (
    (await (await READ(await request('GET', `/api/wizards/runs/${id}`), ctx(id))).json()) as Json
  ).run;
}

async function until<T>(what: string, probe: () => Promise<T | null>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function audited(since: number): Promise<Json[]> {
  return (await runtime.audit.list({ limit: 100 })).filter((e) => Date.parse(e.at) >= since);
}

const replicas = () => runtime.demo!.describe().replicas.map((r) => r.id);

/** Stops a demo replica and waits until the console reads it down: what a removal is for. */
async function stop(id: string): Promise<void> {
  await runtime.demo!.setFault(id, 'stop');
  await until(`${id} read as down`, async () => {
    const snapshot = await runtime.monitor.pollNow();
    const replica = snapshot.dtr.replicas.find((r) => r.id === id);
    return replica && replica.status !== 'healthy' ? true : null;
  });
}

/** A removal of a stopped replica: the first demo replica, stopped. */
async function planRemoval(): Promise<{ run: Json; replica: string; others: string[] }> {
  const [replica, ...others] = replicas();
  await stop(replica!);
  const run = await plan({ kind: 'remove', replicaId: replica, acknowledge: ['bring-back-first'] });
  return { run, replica: replica!, others };
}

beforeEach(async () => {
  runtime.wizardRuns = new MemoryWizardRunStore();
  await runtime.demo!.reset();
  await until('a healthy demo', async () => {
    const snapshot = await runtime.monitor.pollNow();
    return snapshot.dtr.replicas.length === 3 &&
      snapshot.dtr.replicas.every((r) => r.status === 'healthy')
      ? true
      : null;
  });
  // No slot left held by an earlier test.
  const active = await runtime.store.executions.active();
  if (active) await runtime.store.executions.update(active.id, { status: 'unknown' });
});

afterAll(async () => {
  await shutdownRuntime();
  vi.unstubAllEnvs();
});

describe('POST /api/wizards/runs/<id>/execute (EXECUTE=on, demo)', () => {
  it('runs a removal: gates again, lines streamed, the run verified, all audited without the password', async () => {
    const since = Date.now();
    const { run, replica: first } = await planRemoval();
    const doc = (await (await EXECUTION(await request('GET', `/x`), ctx(run.id))).json()) as Json;
    expect(doc.confirmation).toMatchObject({ required: true, expected: first });
    expect(doc.execution).toBeNull();

    const started = await execute(run.id, { password: demoAdmin.password, confirm: first });
    if (started.status !== 202) throw new Error(await started.text());
    const body = (await started.json()) as Json;
    expect(body.run.status).toBe('executing');
    expect(body.execution.argvPublic.slice(0, 1)).toEqual(['remove']);

    // The stream carries the tool's lines, then the end.
    const stream = await EVENTS(await request('GET', '/x'), ctx(run.id));
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await new Response(stream.body).text();
    expect(text).toMatch(/event: line\nid: 1|id: 1\nevent: line/);
    expect(text).toContain('Searching containers in UCP for DTR replicas');
    expect(text).toMatch(/event: end/);

    const done = await until('the run verified', async () => {
      const current = await readRun(run.id);
      return current.status === 'done' ? current : null;
    });
    expect(done.state.events.map((e: Json) => e.event)).toEqual(
      expect.arrayContaining(['generated', 'executing', 'executed', 'verified']),
    );
    expect(replicas()).not.toContain(first);

    const execution = (await runtime.store.executions.forRun(run.id))[0]!;
    expect(execution).toMatchObject({ status: 'exited', exitCode: 0, actor: 'admin' });
    // What ran, as the run page and the audit name it: the image the command planned.
    expect(execution.imageRef).toMatch(/dtr:[\w.-]+$/);
    const actions = (await audited(since)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['wizard-execution-started', 'wizard-executed', 'wizard-verified']),
    );
    // The password is nowhere people or the database can read.
    const everything = JSON.stringify([
      await audited(since),
      execution,
      await runtime.store.executions.lines(execution.id),
      done,
      text,
    ]);
    expect(everything).not.toContain(demoAdmin.password);
  });

  it('runs a join (no confirmation to type) and learns the new replica', async () => {
    const run = await plan({
      kind: 'join',
      node: 'app-node-2',
      acknowledge: ['application-worker'],
    });
    const doc = (await (await EXECUTION(await request('GET', '/x'), ctx(run.id))).json()) as Json;
    expect(doc.confirmation.required).toBe(false);
    const started = await execute(run.id, { password: demoAdmin.password });
    if (started.status !== 202) throw new Error(await started.text());
    const done = await until('the join verified', async () => {
      const current = await readRun(run.id);
      return current.status === 'done' ? current : null;
    });
    expect(done.state.replicaId).toMatch(/^[0-9a-f]{12}$/);
    expect(runtime.demo!.describe().replicas.find((r) => r.id === done.state.replicaId)?.node).toBe(
      'app-node-2',
    );
  });

  it('runs an emergency repair after quorum loss, confirmed by the kept replica’s ID', async () => {
    const [first, second, survivor] = replicas();
    await stop(first!);
    await stop(second!);
    await until('quorum lost', async () => {
      await runtime.monitor.pollNow();
      return (await getClusterStatus(runtime)).dtr.quorum.status === 'lost' ? true : null;
    });
    const run = await plan({
      kind: 'repair',
      keepReplicaId: survivor,
      acknowledge: ['bring-back-first', 'repair-consequence'],
    });
    const wrong = await execute(run.id, { password: demoAdmin.password, confirm: first });
    expect(wrong.status).toBe(422);
    const started = await execute(run.id, { password: demoAdmin.password, confirm: survivor });
    if (started.status !== 202) throw new Error(await started.text());
    expect(((await started.json()) as Json).execution.argvPublic).toContain('--yes');
    const done = await until(
      'the repair verified',
      async () => {
        const current = await readRun(run.id);
        if (current.status === 'failed')
          throw new Error(JSON.stringify(current.state.lastVerification));
        return current.status === 'done' ? current : null;
      },
      50_000,
    );
    expect(done.status).toBe('done');
    expect(replicas()).toEqual([survivor]);
  }, 70_000);

  it('refuses a wrong confirmation, a wrong password, a viewer and a missing CSRF token, each audited', async () => {
    const { run, replica: first } = await planRemoval();
    const since = Date.now();

    const typo = await execute(run.id, { password: demoAdmin.password, confirm: 'not-it' });
    expect(typo.status).toBe(422);
    expect(((await typo.json()) as Json).error.message).toMatch(first!);

    const wrong = await execute(run.id, { password: 'not-the-password', confirm: first });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as Json).error.message).toMatch(
      /UCP refused the password for admin/,
    );

    const viewer = await execute(
      run.id,
      { password: demoViewer.password, confirm: first },
      { as: VIEWER },
    );
    expect(viewer.status).toBe(403);
    const noCsrf = await execute(
      run.id,
      { password: demoAdmin.password, confirm: first },
      { csrf: false },
    );
    expect(noCsrf.status).toBe(403);

    const entries = await audited(since);
    expect(entries.filter((e) => e.action === 'wizard-execution-refused')).toHaveLength(2);
    expect(entries.filter((e) => e.action === 'access-denied').length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(entries)).not.toContain(demoAdmin.password);
    // Nothing ran, and the slot is free again; the refusal after the slot was taken (UCP said no)
    // is recorded as a refusal, not as a failure to start.
    expect(await runtime.store.executions.active()).toBeNull();
    expect((await runtime.store.executions.forRun(run.id)).map((e) => e.status)).toEqual([
      'refused',
    ]);
    expect((await readRun(run.id)).status).toBe('open');
  });

  it('counts wrong passwords as failed sign-ins: after a few, refuses without asking UCP (429, Retry-After)', async () => {
    const { run, replica: first } = await planRemoval();
    const original = runtime.auth.loginLimiter;
    runtime.auth.loginLimiter = new LoginRateLimiter();
    try {
      const since = Date.now();
      // The login page's rule: three free failures, then a growing wait per user and address.
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        const wrong = await execute(run.id, { password: `guess-${attempt}`, confirm: first });
        expect(wrong.status, `attempt ${attempt}`).toBe(422);
      }
      const limited = await execute(run.id, { password: demoAdmin.password, confirm: first });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as Json).error.message).toMatch(
        /^The step was not run and the password not checked: too many failed sign-ins for this user from your address\. Try again in \d+ s\.$/,
      );
      // Refused before the slot: four refusals after a UCP check, none for the limited attempt.
      expect((await runtime.store.executions.forRun(run.id)).map((e) => e.status)).toEqual([
        'refused',
        'refused',
        'refused',
        'refused',
      ]);
      const refusals = (await audited(since)).filter(
        (e) => e.action === 'wizard-execution-refused',
      );
      expect(refusals).toHaveLength(5);
      // The same counts as the sign-in page's: that user may not sign in from there either.
      const ip = refusals[0]!.ip as string;
      expect(runtime.auth.loginLimiter.check({ ip, username: 'admin' }).allowed).toBe(false);
      expect((await readRun(run.id)).status).toBe('open');
    } finally {
      runtime.auth.loginLimiter = original;
    }
  });

  it('refuses a run withdrawn since it was planned (the replica came back), audited, nothing run', async () => {
    const { run, replica } = await planRemoval();
    await runtime.demo!.setFault(replica, 'none');
    await until('the replica back', async () => {
      const snapshot = await runtime.monitor.pollNow();
      return snapshot.dtr.replicas.find((r) => r.id === replica)?.status === 'healthy'
        ? true
        : null;
    });
    const since = Date.now();
    const refused = await execute(run.id, { password: demoAdmin.password, confirm: replica });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Json).error.message).toMatch(
      /The cluster changed since the command was generated: .* plan the change again/,
    );
    expect((await audited(since)).map((e) => e.action)).toContain('wizard-execution-refused');
    expect((await readRun(run.id)).status).toBe('stale');
    expect(await runtime.store.executions.forRun(run.id)).toEqual([]);
    expect(replicas()).toContain(replica);
  });

  it('re-checks the gates on a fresh reading: a second replica broken after planning refuses the removal', async () => {
    const {
      run,
      replica: first,
      others: [second],
    } = await planRemoval();
    await stop(second!);
    const since = Date.now();
    const refused = await execute(run.id, { password: demoAdmin.password, confirm: first });
    expect(refused.status).toBe(409);
    const message = ((await refused.json()) as Json).error.message as string;
    expect(message.length).toBeGreaterThan(20);
    expect((await audited(since)).map((e) => e.action)).toContain('wizard-execution-refused');
    expect(replicas()).toContain(first);
  });

  it('refuses while another console holds the cluster’s slot, naming it', async () => {
    const { run, replica: first } = await planRemoval();
    const other = await runtime.store.executions.acquire({
      runId: 'elsewhere',
      kind: 'remove',
      actor: 'bob',
      ip: '10.0.0.9',
      instance: 'console-2',
      imageRef: 'docker/dtr:2.9.3',
      node: 'dtr-node-2',
      argvPublic: ['remove'],
      leaseMs: 60_000,
    });
    expect(other.ok).toBe(true);
    const refused = await execute(run.id, { password: demoAdmin.password, confirm: first });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as Json).error.message).toMatch(/bob .*console-2/);
  });

  it('refuses while a bring-back holds the cluster, naming it; the slot it took is given back', async () => {
    const { run, replica: first } = await planRemoval();
    const hold = await runtime.store.executions.takeHold({
      kind: 'bring-back',
      actor: 'bob',
      instance: 'console-2',
      subject: 'bringing back replica 0123456789ab',
      ttlMs: 60_000,
    });
    if (!hold.ok) throw new Error('the test could not take the hold');
    try {
      const refused = await execute(run.id, { password: demoAdmin.password, confirm: first });
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as Json).error.message).toMatch(
        /bringing back replica 0123456789ab, by bob .*console-2.*try again once it has ended/,
      );
      expect(await runtime.store.executions.active()).toBeNull();
      expect(replicas()).toContain(first);
    } finally {
      await runtime.store.executions.releaseHold(hold.hold.id);
    }
  });

  it('a run left executing after its execution ended (its console stopped between the two writes) reads unknown', async () => {
    const { run } = await planRemoval();
    const held = await runtime.store.executions.acquire({
      runId: run.id,
      kind: 'remove',
      actor: 'admin',
      ip: '127.0.0.1',
      instance: 'gone-console',
      imageRef: 'docker/dtr:2.9.3',
      node: null,
      argvPublic: ['remove'],
      leaseMs: 60_000,
    });
    if (!held.ok) throw new Error('slot taken');
    await runtime.store.executions.update(held.record.id, {
      status: 'exited',
      exitCode: 0,
      finishedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const record = (await runtime.wizardRuns.get(run.id))!;
    await runtime.wizardRuns.update(run.id, {
      status: 'executing',
      state: {
        ...(record.state as Json),
        execution: {
          id: held.record.id,
          by: 'admin',
          at: new Date().toISOString(),
          node: null,
          imageRef: 'docker/dtr:2.9.3',
        },
      },
    });
    expect((await readRun(run.id)).status).toBe('unknown');
  });

  it('after a console stops mid-step: outcome unknown, never re-run; verify settles it', async () => {
    const { run, replica: first } = await planRemoval();
    // What a console that died mid-step leaves: its execution with a lease nobody renews.
    const held = await runtime.store.executions.acquire({
      runId: run.id,
      kind: 'remove',
      actor: 'admin',
      ip: '127.0.0.1',
      instance: 'gone-console',
      imageRef: 'docker/dtr:2.9.3',
      node: null,
      argvPublic: ['remove'],
      leaseMs: 1,
    });
    if (!held.ok) throw new Error('slot taken');
    await runtime.store.executions.update(held.record.id, { status: 'running' });
    const record = (await runtime.wizardRuns.get(run.id))!;
    await runtime.wizardRuns.update(run.id, {
      status: 'executing',
      state: {
        ...(record.state as Json),
        execution: {
          id: held.record.id,
          by: 'admin',
          at: new Date().toISOString(),
          node: null,
          imageRef: 'docker/dtr:2.9.3',
        },
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const doc = (await (await EXECUTION(await request('GET', '/x'), ctx(run.id))).json()) as Json;
    expect(doc.execution.status).toBe('unknown');
    const current = await readRun(run.id);
    expect(current.status).toBe('unknown');
    expect(current.verification?.message ?? current.state.lastVerification?.message).toMatch(
      /Outcome unknown/,
    );
    // The slot is free (the demo's step died with its console), and nothing ran again.
    expect(await runtime.store.executions.active()).toBeNull();
    expect(await runtime.store.executions.forRun(run.id)).toHaveLength(1);
    expect(replicas()).toContain(first);
    // A release of a slot that is no longer held says so.
    const release = await RELEASE(await request('POST', '/x', {}), ctx(run.id));
    expect(release.status).toBe(409);
  });
});
