import { describe, expect, it } from 'vitest';
import { ago, buildSnapshot, MINUTE } from '@/test/support/snapshot';
import { planRepair } from './repair';
import { CONNECTION, flat, gate, gateIds, R1, R2, R3 } from '@/test/support/wizards';

const lost = () =>
  buildSnapshot({
    replicas: [
      { status: 'unhealthy', lastReport: ago(9 * MINUTE) },
      { status: 'unhealthy', lastReport: ago(2 * MINUTE) },
      { status: 'unreachable', lastReport: ago(1 * MINUTE) },
    ],
  });

describe('planRepair', () => {
  it('is offered only when quorum is lost; with quorum it refuses and points at remove', () => {
    const healthy = planRepair(buildSnapshot());
    expect(healthy.offered).toBe(false);
    expect(gate(healthy, 'quorum-intact')).toMatchObject({
      severity: 'block',
      href: '/replicas/remove',
    });
    const atRisk = planRepair(buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] }));
    expect(atRisk.offered).toBe(false);
    expect(planRepair(lost()).offered).toBe(true);
    expect(gateIds(planRepair(lost()))).not.toContain('quorum-intact');
  });

  it('suggests the answering replica with the newest report, and lists the others as fallbacks', () => {
    const plan = planRepair(lost());
    expect(plan.suggestedKeep).toBe(R2);
    // Then R3, whose containers are down on a node UCP reports ready: repair can redeploy it.
    expect(plan.candidates.map((c) => [c.id, c.stopped])).toEqual([
      [R2, false],
      [R1, false],
      [R3, true],
    ]);
    expect(plan.keepReplicaId).toBe(R2);
  });

  it('repair-consequence: refuses until the person acknowledges that the others leave', () => {
    const plan = planRepair(lost(), {}, { connection: CONNECTION });
    expect(plan.ok).toBe(false);
    const consequence = gate(plan, 'repair-consequence');
    expect(consequence.severity).toBe('block');
    expect(consequence.message).toContain(`${R1} and ${R3} are dropped`);
    expect(plan.command).toBeUndefined();

    const ok = planRepair(
      lost(),
      { acknowledge: ['bring-back-first', 'repair-consequence'] },
      { connection: CONNECTION },
    );
    expect(ok.ok).toBe(true);
    expect(ok.impact.after).toMatchObject({ replicas: 1, healthy: 1, failuresTolerated: 0 });
    expect(flat(ok.command?.text)).toMatch(
      new RegExp(`docker/dtr:2\\.9\\.16 emergency-repair --existing-replica-id ${R2} --ucp-url`),
    );
  });

  it('keep-not-newest: warns when keeping an older replica; quiet for the suggested one', () => {
    const plan = planRepair(lost(), {
      keepReplicaId: R1,
      acknowledge: ['bring-back-first', 'repair-consequence'],
    });
    expect(plan.ok).toBe(true);
    expect(gate(plan, 'keep-not-newest').message).toContain(R2);
    expect(gateIds(planRepair(lost(), { keepReplicaId: R2 }))).not.toContain('keep-not-newest');
  });

  it('keep-unreachable and keep-unknown: refuse a replica whose node is down, or that does not exist', () => {
    const nodeDown = buildSnapshot({
      replicas: [
        { status: 'unhealthy', lastReport: ago(9 * MINUTE) },
        { status: 'unhealthy', lastReport: ago(2 * MINUTE) },
        { status: 'unreachable', lastReport: ago(1 * MINUTE) },
      ],
      nodes: { 'dtr-3': { state: 'down' } },
    });
    expect(gate(planRepair(nodeDown, { keepReplicaId: R3 }), 'keep-unreachable').message).toMatch(
      /its node is not ready/,
    );
    expect(
      gate(planRepair(lost(), { keepReplicaId: 'ffffffffffff' }), 'keep-unknown').severity,
    ).toBe('block');
  });

  it('keep-stopped: a replica whose containers are down on a ready node can be kept, once its volumes are confirmed', () => {
    const plan = planRepair(lost(), { keepReplicaId: R3 }, { connection: CONNECTION });
    const stopped = gate(plan, 'keep-stopped');
    expect(stopped.severity).toBe('block');
    expect(stopped.message).toMatch(/redeploys the DTR containers from the replica’s data volumes/);
    const ok = planRepair(
      lost(),
      {
        keepReplicaId: R3,
        acknowledge: ['bring-back-first', 'repair-consequence', 'keep-stopped'],
      },
      { connection: CONNECTION },
    );
    expect(ok.ok).toBe(true);
    expect(flat(ok.command?.text)).toContain(`emergency-repair --existing-replica-id ${R3}`);
  });

  it('bring-back-first: emergency repair waits until the person says no replica could be brought back', () => {
    const plan = planRepair(
      lost(),
      { acknowledge: ['repair-consequence'] },
      { connection: CONNECTION },
    );
    const first = gate(plan, 'bring-back-first');
    expect(first).toMatchObject({
      severity: 'block',
      acknowledge: `I could not bring back ${R3}.`,
    });
    // The command that brings it back is its own copyable block, not words in the message.
    expect(first.command).toMatch(/^docker start /m);
    expect(first.message).not.toMatch(/docker start/);
    expect(first.message).toMatch(
      new RegExp(`First try to bring a replica back: bring replica ${R3} back`),
    );
    expect(plan.ok).toBe(false);
    expect(plan.command).toBeUndefined();
  });

  it('no-replica-answers: points to restore from backup', () => {
    const plan = planRepair(
      buildSnapshot({
        replicas: ['unreachable', 'unreachable', 'unreachable'],
        nodes: {
          'dtr-1': { state: 'down' },
          'dtr-2': { state: 'down' },
          'dtr-3': { state: 'down' },
        },
      }),
    );
    expect(plan.restoreFromBackup).toBe(true);
    expect(gate(plan, 'no-replica-answers').message).toMatch(/restore DTR from backup/);
    expect(plan.ok).toBe(false);
    expect(planRepair(lost()).restoreFromBackup).toBe(false);
  });

  it('single-replica: nothing to shrink; bring it back or restore', () => {
    const plan = planRepair(buildSnapshot({ replicas: ['unhealthy'] }));
    expect(gate(plan, 'single-replica').message).toMatch(/restore DTR from backup/);
    expect(plan.restoreFromBackup).toBe(true);
  });

  it('prune: warns and prints --prune', () => {
    const plan = planRepair(
      lost(),
      { prune: true, acknowledge: ['bring-back-first', 'repair-consequence'] },
      { connection: CONNECTION },
    );
    expect(gate(plan, 'prune').severity).toBe('warn');
    expect(plan.command?.text).toContain('--prune');
    expect(gateIds(planRepair(lost()))).not.toContain('prune');
  });

  it('a stale DTR view is a warning here, not a block: quorum loss often makes DTR hard to read', () => {
    const status = lost();
    status.sources.dtr = { ...status.sources.dtr, state: 'stale' };
    const plan = planRepair(status, { acknowledge: ['bring-back-first', 'repair-consequence'] });
    expect(gate(plan, 'dtr-stale').severity).toBe('warn');
    expect(plan.ok).toBe(true);
  });

  it('ucp-quorum-lost: the tool needs UCP', () => {
    const status = buildSnapshot({
      replicas: ['unhealthy', 'unreachable', 'unreachable'],
      managers: ['healthy', 'unreachable', 'unreachable'],
    });
    expect(gate(planRepair(status), 'ucp-quorum-lost').severity).toBe('block');
  });
});
