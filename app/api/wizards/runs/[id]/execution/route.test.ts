// With EXECUTE unset (the default) the console runs nothing: every execution route answers 404
// with a sentence saying how steps are run instead, and /api/auth/me says steps do not run here.
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN, signedInHeaders } from '@/test/support/auth';
import { getRuntime, shutdownRuntime } from '@/lib/server/runtime';

const { POST: CREATE } = await import('../../route');
const { POST: EXECUTE } = await import('../execute/route');
const { GET: EXECUTION } = await import('./route');
const { GET: EVENTS } = await import('./events/route');
const { POST: RELEASE } = await import('./release/route');
const { GET: ME } = await import('@/app/api/auth/me/route');
const { POST: START } = await import('@/app/api/replicas/[id]/start/route');

afterAll(async () => {
  await shutdownRuntime();
});

async function request(method: string, body?: unknown): Promise<Request> {
  return new Request('http://console.test/x', {
    method,
    headers: {
      ...(await signedInHeaders(ADMIN, (await getRuntime()).sessionSecret)),
      origin: 'http://console.test',
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

describe('execution routes with EXECUTE unset', () => {
  it('answer 404 with how steps are run instead, and nothing is recorded', async () => {
    const runtime = await getRuntime();
    expect(runtime.execution).toBeNull();
    const replica = runtime.demo!.describe().replicas[0]!.id;
    // The console learns every replica's address first, as it has on a running console.
    for (let i = 0; i < 40; i++) {
      const snapshot = await runtime.monitor.pollNow();
      if (snapshot.dtr.replicas.filter((r) => r.status === 'healthy').length === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await runtime.demo!.setFault(replica, 'stop');
    for (let i = 0; i < 40; i++) {
      const snapshot = await runtime.monitor.pollNow();
      const read = snapshot.dtr.replicas.find((r) => r.id === replica);
      if (read && read.status !== 'healthy') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const created = await CREATE(
      await request('POST', {
        kind: 'remove',
        replicaId: replica,
        acknowledge: ['bring-back-first'],
      }),
      undefined,
    );
    if (created.status !== 201) throw new Error(await created.text());
    const { run } = (await created.json()) as { run: { id: string } };
    const ctx = { params: Promise.resolve({ id: run.id }) };
    const answers = [
      await EXECUTE(await request('POST', { password: 'whatever-it-is', confirm: replica }), ctx),
      await EXECUTION(await request('GET'), ctx),
      await EVENTS(await request('GET'), ctx),
      await RELEASE(await request('POST', {}), ctx),
      await START(await request('POST', {}), { params: Promise.resolve({ id: replica }) }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      const { error } = (await answer.json()) as { error: { message: string } };
      expect(error.message).toMatch(/EXECUTE is not on.*run the printed command/);
    }
    expect(await runtime.store.executions.forRun(run.id)).toEqual([]);
    const me = (await (await ME(await request('GET'), undefined)).json()) as { execute: unknown };
    expect(me.execute).toBeNull();
    await runtime.demo!.reset();
  });
});
