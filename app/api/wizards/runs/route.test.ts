import { oneLine } from '@/lib/domain/shell';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ADMIN, signedInHeaders, VIEWER } from '@/test/support/auth';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';
import { MemoryWizardRunStore } from '@/lib/server/services/wizard-runs';

const { GET: LIST, POST: CREATE } = await import('./route');
const { GET: READ, PATCH } = await import('./[id]/route');
const { POST: APPLY } = await import('./[id]/apply/route');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function request(
  method: string,
  path: string,
  body?: unknown,
  user: { username: string; isAdmin: boolean } = ADMIN,
): Promise<Request> {
  return new Request(`http://console.test${path}`, {
    method,
    headers: {
      ...(await signedInHeaders(user, (await getRuntime()).sessionSecret)),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const json = async (response: Response): Promise<Json> => (await response.json()) as Json;

async function replicaIds(): Promise<string[]> {
  const runtime = await getRuntime();
  return runtime.demo!.describe().replicas.map((r) => r.id);
}

/** Polls until the monitor's view satisfies `done` (a failure is confirmed by a second probe). */
async function pollUntil(done: (statuses: Record<string, string>) => boolean): Promise<void> {
  const runtime = await getRuntime();
  for (let i = 0; i < 20; i++) {
    const snapshot = await runtime.monitor.pollNow();
    if (done(Object.fromEntries(snapshot.dtr.replicas.map((r) => [r.id, r.status])))) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the monitor did not see the change');
}

async function stop(id: string): Promise<void> {
  await (await getRuntime()).demo!.setFault(id, 'stop');
  await pollUntil((s) => s[id] === 'unreachable');
}

beforeEach(async () => {
  (await getRuntime()).wizardRuns = new MemoryWizardRunStore();
  const runtime = await getRuntime();
  await runtime.demo!.reset();
  await pollUntil(
    (s) => Object.keys(s).length === 3 && Object.values(s).every((v) => v === 'healthy'),
  );
});

afterAll(async () => {
  await shutdownRuntime();
});

/** A wrapped command as the shell reads it. */

describe('POST /api/wizards/runs', () => {
  it('refuses unknown fields (a password has no place in the request) with a 400', async () => {
    const [id] = await replicaIds();
    const response = await CREATE(
      await request('POST', '/api/wizards/runs', {
        kind: 'remove',
        replicaId: id,
        password: 'hunter22!',
      }),
      undefined,
    );
    expect(response.status).toBe(400);
    expect((await json(response)).error.message).toMatch(/password/);
  });

  it('refuses malformed and non-JSON bodies', async () => {
    expect(
      (await CREATE(await request('POST', '/api/wizards/runs', '{"kind":'), undefined)).status,
    ).toBe(400);
    const form = new Request('http://console.test/api/wizards/runs', {
      method: 'POST',
      headers: {
        ...(await signedInHeaders(ADMIN, (await getRuntime()).sessionSecret)),
        'content-type': 'text/plain',
      },
      body: 'kind=remove',
    });
    expect((await CREATE(form, undefined)).status).toBe(415);
  });

  it('answers 409 with the reason when the cluster makes the change unsafe', async () => {
    const [first] = await replicaIds();
    const response = await CREATE(
      await request('POST', '/api/wizards/runs', { kind: 'remove', replicaId: first }),
      undefined,
    );
    expect(response.status).toBe(409);
    const body = await json(response);
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toMatch(/leaves 2, which tolerate no failure/);
  });

  it('refuses to remove a healthy replica while another is down, and says why', async () => {
    const [first, second] = await replicaIds();
    await stop(first!);
    const response = await CREATE(
      await request('POST', '/api/wizards/runs', { kind: 'remove', replicaId: second }),
      undefined,
    );
    expect(response.status).toBe(409);
    expect((await json(response)).error.message).toMatch(
      new RegExp(
        `${first} on dtr-node-1 \\(unreachable\\) is not healthy.*every other replica is healthy`,
      ),
    );
  });

  it('answers 422 for a replica or node that does not exist', async () => {
    const response = await CREATE(
      await request('POST', '/api/wizards/runs', { kind: 'join', node: 'no-such-node' }),
      undefined,
    );
    expect(response.status).toBe(422);
    expect((await json(response)).error.message).toMatch(/no node no-such-node/);
  });

  it('refuses a join on an application worker (409) until the person accepts it', async () => {
    const refused = await CREATE(
      await request('POST', '/api/wizards/runs', { kind: 'join', node: 'app-node-1' }),
      undefined,
    );
    expect(refused.status).toBe(409);
    expect((await json(refused)).error.message).toMatch(
      /app-node-1 looks like an application worker.*DTR must run on dedicated workers/,
    );
  });

  it('refuses the join’s options in the words the form shows at the field', async () => {
    const same = await CREATE(
      await request('POST', '/api/wizards/runs', {
        kind: 'join',
        node: 'app-node-1',
        httpPort: 8443,
        httpsPort: 8443,
        acknowledge: ['application-worker'],
      }),
      undefined,
    );
    expect(same.status).toBe(422);
    expect((await json(same)).error.message).toBe('HTTPS port must differ from HTTP port.');
    const outOfRange = await CREATE(
      await request('POST', '/api/wizards/runs', { kind: 'join', node: 'app-node-1', httpPort: 0 }),
      undefined,
    );
    expect(outOfRange.status).toBe(400);
    expect((await json(outOfRange)).error.message).toBe(
      'httpPort: a port is a whole number from 1 to 65535',
    );
  });

  it('is for administrators only', async () => {
    const [, , third] = await replicaIds();
    const response = await CREATE(
      await request('POST', '/api/wizards/runs', { kind: 'remove', replicaId: third }, VIEWER),
      undefined,
    );
    expect(response.status).toBe(403);
  });
});

describe('a remove run, applied to the demo cluster', () => {
  it('persists the command, applies it, verifies it, and audits each step', async () => {
    const runtime = await getRuntime();
    const [first, second, third] = await replicaIds();
    await stop(third!);

    const created = await CREATE(
      await request('POST', '/api/wizards/runs', {
        kind: 'remove',
        replicaId: third,
        // Just stopped: removing it instead of bringing it back is a deliberate choice.
        acknowledge: ['bring-back-first'],
      }),
      undefined,
    );
    expect(created.status).toBe(201);
    const { run } = await json(created);
    expect(run).toMatchObject({
      kind: 'remove',
      status: 'open',
      step: 'command',
      createdBy: 'ada',
      mode: 'demo',
    });
    // Through a healthy replica: the one whose cluster view the console last read (after the
    // earlier tests' faults, either of the two).
    expect(oneLine(run.state.command)).toMatch(
      new RegExp(`remove --existing-replica-id (${first}|${second}) --replica-ids ${third}`),
    );
    expect(run.state.command).toContain('--ucp-username ada');
    expect(run.state.command).not.toContain(runtime.target.ucp!.password);
    expect(run.state.gates.map((g: Json) => g.id)).toContain('two-replicas-left');

    const listed = await json(
      await LIST(await request('GET', '/api/wizards/runs?limit=5'), undefined),
    );
    expect(listed.runs.map((r: Json) => r.id)).toEqual([run.id]);
    expect((await LIST(await request('GET', '/api/wizards/runs?limit=0'), undefined)).status).toBe(
      400,
    );

    const applied = await APPLY(
      await request('POST', `/api/wizards/runs/${run.id}/apply`),
      ctx(run.id),
    );
    expect(applied.status).toBe(200);
    expect((await json(applied)).run).toMatchObject({ status: 'verifying', step: 'verify' });

    // One change at a time: nothing new while this one is being verified.
    const another = await CREATE(
      await request('POST', '/api/wizards/runs', { kind: 'join', node: 'app-node-1' }),
      undefined,
    );
    expect(another.status).toBe(409);
    expect((await json(another)).error.message).toMatch(/one member at a time/);

    let view: Json = {};
    for (let i = 0; i < 40; i++) {
      view = (
        await json(await READ(await request('GET', `/api/wizards/runs/${run.id}`), ctx(run.id)))
      ).run;
      if (view.status !== 'verifying') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(view.status).toBe('done');
    expect(view.verification.state).toBe('done');
    expect(view.verification.message).toMatch(/remaining 2 replicas are healthy/);
    expect(view.state.events.map((e: Json) => e.event)).toEqual(
      expect.arrayContaining(['generated', 'applied', 'demo-applied', 'verified']),
    );

    const moved = await PATCH(
      await request('PATCH', `/api/wizards/runs/${run.id}`, { step: 'load-balancer' }),
      ctx(run.id),
    );
    expect((await json(moved)).run.step).toBe('load-balancer');

    const audited = await (await getRuntime()).audit.list({ limit: 50 });
    const mine = audited.filter((e) => e.detail.includes(run.id));
    expect(
      mine.some(
        (e) => e.action === 'wizard-command' && e.actor === 'ada' && e.detail.includes('generated'),
      ),
    ).toBe(true);
    expect(mine.some((e) => e.detail.includes('applied to the demo cluster'))).toBe(true);
    expect(mine.some((e) => /verified|remaining 2 replicas/.test(e.detail))).toBe(true);
  });
});

describe('a run the cluster no longer supports', () => {
  /** A remove run for a stopped replica, then the replica comes back: the plan no longer holds. */
  async function withdrawnRemoval(): Promise<{ id: string; third: string }> {
    const [, , third] = await replicaIds();
    await stop(third!);
    const created = await CREATE(
      await request('POST', '/api/wizards/runs', {
        kind: 'remove',
        replicaId: third,
        acknowledge: ['bring-back-first'],
      }),
      undefined,
    );
    const { run } = await json(created);
    expect(run).toMatchObject({ status: 'open', withdrawn: null });
    expect(run.state.command).toContain(`--replica-ids ${third}`);
    await (await getRuntime()).demo!.reset();
    await pollUntil((s) => s[third!] === 'healthy');
    return { id: run.id, third: third! };
  }

  it('is withdrawn on read, once: no command left to copy, the reason, an event and an audit entry', async () => {
    const { id, third } = await withdrawnRemoval();

    // Read first through the list of open runs: it is withdrawn then, and so no longer listed.
    const open = await json(
      await LIST(await request('GET', '/api/wizards/runs?status=open'), undefined),
    );
    expect(open.runs.map((r: Json) => r.id)).not.toContain(id);

    const { run } = await json(
      await READ(await request('GET', `/api/wizards/runs/${id}`), ctx(id)),
    );
    expect(run.status).toBe('stale');
    expect(run.withdrawn).toEqual({
      reason: `Replica ${third} on dtr-node-3 is healthy again (it was unreachable when this was planned). Removing it now would take a working replica out of the cluster.`,
      at: expect.any(String),
    });
    expect(run.state.command).toBe('');
    expect(JSON.stringify(run)).not.toContain(`--replica-ids ${third}`);
    expect(run.state.events.map((e: Json) => [e.event, e.actor])).toEqual([
      ['generated', 'ada'],
      ['withdrawn', 'console'],
    ]);
    expect(run.state.events[1].detail).toBe(run.withdrawn.reason);

    const stale = await json(
      await LIST(await request('GET', '/api/wizards/runs?status=stale'), undefined),
    );
    expect(stale.runs.map((r: Json) => [r.id, r.status])).toEqual([[id, 'stale']]);
    // Storage keeps the command for the audit trail; the API does not show it.
    expect(((await (await getRuntime()).wizardRuns.get(id))?.state as Json).command).toContain(
      `--replica-ids ${third}`,
    );
    const withdrawals = (await (await getRuntime()).audit.list({ limit: 50 })).filter(
      (e) => e.detail.includes(id) && e.detail.startsWith('withdrawn:'),
    );
    expect(withdrawals).toHaveLength(1);
    expect(withdrawals[0]).toMatchObject({ action: 'wizard-command', actor: 'console' });
    expect(withdrawals[0]!.detail).toContain('is healthy again');
  });

  it('cannot be applied, run or cancelled: 409 with the reason', async () => {
    const { id } = await withdrawnRemoval();
    const reason =
      /^The cluster changed since the command was generated: Replica \w+ on dtr-node-3 is healthy again .* plan the change again\.$/;
    // Nobody read it since the cluster changed: the apply itself finds it stale.
    const applied = await APPLY(await request('POST', `/api/wizards/runs/${id}/apply`), ctx(id));
    expect(applied.status).toBe(409);
    expect((await json(applied)).error.message).toMatch(reason);
    for (const action of ['ran', 'verify', 'cancel']) {
      const refused = await PATCH(
        await request('PATCH', `/api/wizards/runs/${id}`, { action }),
        ctx(id),
      );
      expect(refused.status).toBe(409);
      expect((await json(refused)).error.message).toMatch(reason);
    }
    const { run } = await json(
      await READ(await request('GET', `/api/wizards/runs/${id}`), ctx(id)),
    );
    expect(run.status).toBe('stale');
  });

  it('reads a run stored without facts by an older console, and withdraws it by its age', async () => {
    const [, , third] = await replicaIds();
    await stop(third!);
    const { run } = await json(
      await CREATE(
        await request('POST', '/api/wizards/runs', {
          kind: 'remove',
          replicaId: third,
          acknowledge: ['bring-back-first'],
        }),
        undefined,
      ),
    );
    const { facts, ...older } = (await (await getRuntime()).wizardRuns.get(run.id))!.state as Json;
    expect(facts).toBeDefined();
    const runtime = await getRuntime();
    const store = (ago: number) => {
      const s = new MemoryWizardRunStore(500, () => new Date(Date.now() - ago));
      runtime.wizardRuns = s;
      return s.create({
        kind: 'remove',
        status: 'open',
        step: 'command',
        state: older,
        createdBy: 'ada',
      });
    };
    const read = async (id: string) =>
      (await json(await READ(await request('GET', `/api/wizards/runs/${id}`), ctx(id)))).run;

    const recent = await store(60_000);
    expect(await read(recent.id)).toMatchObject({ status: 'open', withdrawn: null });
    // Older than WIZARD_RUN_TTL_MS (1 hour by default).
    const old = await store(2 * 3_600_000);
    const withdrawn = await read(old.id);
    expect(withdrawn.status).toBe('stale');
    expect(withdrawn.withdrawn.reason).toMatch(
      /^It was planned 2 hours ago, and a plan holds for 1 hour/,
    );
  });
});

describe('PATCH and apply refusals', () => {
  it('validates the patch, refuses steps out of order, and cancels', async () => {
    const [, , third] = await replicaIds();
    await stop(third!);
    const { run } = await json(
      await CREATE(
        await request('POST', '/api/wizards/runs', {
          kind: 'remove',
          replicaId: third,
          acknowledge: ['bring-back-first'],
        }),
        undefined,
      ),
    );
    const patch = async (body: unknown) =>
      PATCH(await request('PATCH', `/api/wizards/runs/${run.id}`, body), ctx(run.id));
    expect((await patch({ step: 'verify', action: 'cancel' })).status).toBe(400);
    expect((await patch({ step: 'nope' })).status).toBe(422);
    expect((await patch({ step: 'load-balancer' })).status).toBe(409);
    const cancelled = await patch({ action: 'cancel' });
    expect((await json(cancelled)).run.status).toBe('cancelled');
    expect(
      (await APPLY(await request('POST', `/api/wizards/runs/${run.id}/apply`), ctx(run.id))).status,
    ).toBe(409);
  });

  it('answers 404 for a run that does not exist', async () => {
    const missing = 'a8c7c1a4-0000-4000-8000-000000000000';
    expect(
      (await READ(await request('GET', `/api/wizards/runs/${missing}`), ctx(missing))).status,
    ).toBe(404);
    expect((await READ(await request('GET', '/api/wizards/runs/x'), ctx('../etc'))).status).toBe(
      404,
    );
    expect(
      (await APPLY(await request('POST', `/api/wizards/runs/${missing}/apply`), ctx(missing)))
        .status,
    ).toBe(404);
  });
});
