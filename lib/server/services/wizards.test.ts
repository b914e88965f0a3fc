// Wizard runs against a live cluster: no demo to apply commands, so staleness is all the console
// has to keep an out-of-date command from being copied. The cluster status is set by each test.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { buildSnapshot } from '@/test/support/snapshot';
import { R1, R3 } from '@/test/support/wizards';
import { MemoryAuditLog } from '@/lib/auth/audit';
import type { Runtime } from '../runtime';
import { MemoryWizardRunStore, type WizardRunStore } from './wizard-runs';
import { joinContinuations } from '@/lib/domain/shell';

let cluster: ClusterSnapshot;

vi.mock('./status', () => ({ getClusterStatus: async () => cluster }));

const { createRun, getRun, listRuns, updateRun } = await import('./wizards');

const ADA = { user: { username: 'ada' }, ip: '192.0.2.10' };
const live = (spec: Parameters<typeof buildSnapshot>[0] = {}) =>
  buildSnapshot({ mode: 'live', ...spec });
const lostQuorum = () => live({ replicas: ['unhealthy', 'unreachable', 'unreachable'] });

let store: WizardRunStore;
let runtime: Runtime;
beforeEach(() => {
  store = new MemoryWizardRunStore();
  // The parts of a live console's runtime the wizard services use.
  runtime = {
    config: { mode: 'live', wizardRunTtlMs: 3_600_000 },
    demo: null,
    target: {
      ucp: { url: 'https://ucp.example.com', username: 'console', password: 'service-pa55word' },
      dtr: null,
    },
    commands: { imageOverride: null, ucpCaFingerprint: null, ucpCaDownloadVerified: true },
    wizardRuns: store,
    runLocks: new Map(),
    audit: new MemoryAuditLog(),
  } as unknown as Runtime;
  cluster = live();
});

describe('wizard runs in live mode', () => {
  it('withdraws an emergency repair once DTR has its quorum back, and refuses “I ran it”', async () => {
    cluster = lostQuorum();
    const created = await createRun(
      runtime,
      {
        kind: 'repair',
        keepReplicaId: R1,
        acknowledge: ['bring-back-first', 'repair-consequence'],
      },
      ADA,
    );
    expect(created).toMatchObject({ mode: 'live', status: 'open', withdrawn: null });
    expect(joinContinuations(created.state.command)).toMatch(
      new RegExp(`emergency-repair\\s+--existing-replica-id ${R1}`),
    );
    expect(created.state.facts).toMatchObject({
      replicas: [
        { id: R1, status: 'unhealthy' },
        { status: 'unreachable' },
        { status: 'unreachable' },
      ],
      dtrQuorum: { status: 'lost', healthy: 0, replicas: 3 },
      ucpQuorum: { status: 'healthy', reachable: 3, total: 3 },
    });

    cluster = live();
    const read = await getRun(runtime, created.id);
    expect(read).toMatchObject({ status: 'stale', state: { command: '' } });
    expect(read?.withdrawn?.reason).toMatch(/^DTR has its quorum back \(3 of 3 replicas healthy/);

    await expect(updateRun(runtime, created.id, { action: 'ran' }, ADA)).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/DTR has its quorum back/),
    });
  });

  it('withdraws a run on “I ran it” even when nobody read it since the cluster changed', async () => {
    const created = await createRun(
      runtime,
      { kind: 'join', node: 'worker-1', acknowledge: ['application-worker'] },
      ADA,
    );
    cluster = live({ replicas: ['healthy', 'healthy', 'unreachable'] });
    await expect(updateRun(runtime, created.id, { action: 'ran' }, ADA)).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(`replica ${R3} on dtr-3 is unreachable`),
    });
    expect((await store.get(created.id))?.status).toBe('stale');
  });

  it('withdraws open and failed runs only: one being verified, done or cancelled keeps its status', async () => {
    cluster = live({ replicas: ['healthy', 'healthy', 'unreachable'] });
    const runs = [];
    // The one being verified last: while it is, no new run can be created.
    for (const status of ['open', 'failed', 'done', 'cancelled', 'verifying'] as const) {
      const run = await createRun(
        runtime,
        { kind: 'remove', replicaId: R3, acknowledge: ['bring-back-first'] },
        ADA,
      );
      await store.update(run.id, { status });
      runs.push({ id: run.id, status });
    }
    // The failed replica is back: removing it is no longer the plan.
    cluster = live();
    const listed = await listRuns(runtime, { limit: 10 });
    expect(Object.fromEntries(listed.map((r) => [r.id, r.status]))).toEqual(
      Object.fromEntries(
        runs.map(({ id, status }) => [
          id,
          status === 'open' || status === 'failed' ? 'stale' : status,
        ]),
      ),
    );
  });
});
