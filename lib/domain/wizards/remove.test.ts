import { describe, expect, it } from 'vitest';
import { ago, buildSnapshot, HOUR, type ReplicaSpec } from '@/test/support/snapshot';
import type { MemberStatus } from '../types';
import { planRemove } from './remove';
import { CONNECTION, flat, gate, gateIds, R1, R2, R3, R4, R5 } from '@/test/support/wizards';

const healthy3 = () => buildSnapshot();
// Down for an hour: longer than OFFLINE_LONG_MS, so the ladder has moved on to remove and join
// (the bring-back-first gate has its own tests below).
const longDown = (status: MemberStatus): ReplicaSpec | MemberStatus =>
  status === 'healthy' ? status : { status, since: ago(HOUR) };
const replicasOf = (...statuses: MemberStatus[]) => statuses.map(longDown);
const oneDown = () => buildSnapshot({ replicas: replicasOf('healthy', 'healthy', 'unreachable') });
const five = (...statuses: ('healthy' | 'unreachable' | 'unhealthy')[]) =>
  buildSnapshot({ replicas: replicasOf(...statuses) });

describe('planRemove: the safe path', () => {
  it('removes a failed replica from 3 through a healthy one, warning that 2 tolerate nothing until the join', () => {
    const plan = planRemove(oneDown(), { replicaId: R3 }, { connection: CONNECTION });
    expect(plan.ok).toBe(true);
    expect(plan.suggestedExisting).toBe(R1);
    expect(plan.existingReplicaId).toBe(R1);
    expect(plan.replicaIds).toEqual([R3]);
    expect(gate(plan, 'two-replicas-left')).toMatchObject({
      severity: 'warn',
      href: '/replicas/join',
    });
    expect(gate(plan, 'two-replicas-left').message).toMatch(
      /safe repair order.*tolerate no failure/,
    );
    expect(plan.impact?.before).toMatchObject({ replicas: 3, healthy: 2, majority: 2, margin: 0 });
    expect(plan.impact?.after).toMatchObject({
      replicas: 2,
      healthy: 2,
      majority: 2,
      failuresTolerated: 0,
      margin: 0,
      status: 'healthy',
    });
    expect(flat(plan.command?.text)).toContain(
      `docker/dtr:2.9.16 remove --existing-replica-id ${R1} --replica-ids ${R3} --ucp-url https://ucp.example.com --ucp-username admin`,
    );
    expect(plan.command?.text).not.toContain('--force');
  });

  it('prefers the replica whose cluster view the console read as the existing replica', () => {
    const status = oneDown();
    status.dtr.clusterView!.reportedBy = R2;
    const plan = planRemove(status, { replicaId: R3 }, { connection: CONNECTION });
    expect(plan.suggestedExisting).toBe(R2);
    expect(plan.command?.text).toContain(`--existing-replica-id ${R2}`);
  });

  it('uses the existing replica the person picked', () => {
    const plan = planRemove(
      oneDown(),
      { replicaId: R3, existingReplicaId: R2 },
      { connection: CONNECTION },
    );
    expect(plan.existingReplicaId).toBe(R2);
    expect(plan.command?.text).toContain(`--existing-replica-id ${R2}`);
  });

  it('prints no command in a preview (no connection given) but judges the same gates', () => {
    const plan = planRemove(oneDown(), { replicaId: R3 });
    expect(plan.ok).toBe(true);
    expect(plan.command).toBeUndefined();
    expect(gateIds(plan)).toEqual(['two-replicas-left']);
  });
});

describe('planRemove: gates', () => {
  it('unknown-replica: fires for an ID not in the list, not for a listed one', () => {
    const plan = planRemove(healthy3(), { replicaId: 'ffffffffffff' });
    expect(plan.ok).toBe(false);
    expect(gate(plan, 'unknown-replica').severity).toBe('block');
    expect(gateIds(planRemove(oneDown(), { replicaId: R3 }))).not.toContain('unknown-replica');
  });

  it('dtr-unreadable / dtr-stale: refuses without a current replica list', () => {
    expect(gateIds(planRemove(buildSnapshot({ replicas: [] }), { replicaId: R1 }))).toContain(
      'dtr-unreadable',
    );
    const stale = planRemove(
      buildSnapshot({
        replicas: replicasOf('healthy', 'healthy', 'unreachable'),
        sources: { dtr: { state: 'stale', lastSuccessAt: '2024-05-01T11:50:00.000Z' } },
      }),
      { replicaId: R3 },
    );
    expect(gate(stale, 'dtr-stale')).toMatchObject({ severity: 'block' });
    expect(gate(stale, 'dtr-stale').message).toMatch(/10 minutes old/);
    expect(gateIds(planRemove(oneDown(), { replicaId: R3 }))).not.toContain('dtr-stale');
  });

  it('quorum-lost: refuses and points at emergency repair; quiet with a majority', () => {
    const plan = planRemove(
      buildSnapshot({ replicas: replicasOf('healthy', 'unreachable', 'unreachable') }),
      { replicaId: R2 },
      { connection: CONNECTION },
    );
    expect(plan.ok).toBe(false);
    expect(plan.command).toBeUndefined();
    expect(gate(plan, 'quorum-lost')).toMatchObject({
      severity: 'block',
      href: '/replicas/repair',
    });
    expect(gateIds(planRemove(oneDown(), { replicaId: R3 }))).not.toContain('quorum-lost');
  });

  it('ucp-quorum-lost: refuses while UCP has no manager quorum; quiet with one manager down', () => {
    const lost = buildSnapshot({
      replicas: replicasOf('healthy', 'healthy', 'unreachable'),
      managers: ['healthy', 'unreachable', 'unreachable'],
    });
    expect(gate(planRemove(lost, { replicaId: R3 }), 'ucp-quorum-lost').severity).toBe('block');
    const degraded = buildSnapshot({
      replicas: replicasOf('healthy', 'healthy', 'unreachable'),
      managers: ['healthy', 'healthy', 'unreachable'],
    });
    expect(gateIds(planRemove(degraded, { replicaId: R3 }))).not.toContain('ucp-quorum-lost');
  });

  it('last-replica: one replica cannot remove itself', () => {
    const plan = planRemove(buildSnapshot({ replicas: replicasOf('healthy') }), { replicaId: R1 });
    expect(gate(plan, 'last-replica').severity).toBe('block');
    expect(gateIds(planRemove(healthy3(), { replicaId: R1 }))).not.toContain('last-replica');
  });

  it('others-unhealthy: refuses a healthy replica while another is down, and says why and what first', () => {
    const plan = planRemove(oneDown(), { replicaId: R1 }, { connection: CONNECTION });
    expect(plan.ok).toBe(false);
    const refused = gate(plan, 'others-unhealthy');
    expect(refused.severity).toBe('block');
    expect(refused.message).toContain(`${R3} on dtr-3 (unreachable) is not healthy`);
    expect(refused.message).toMatch(/every other replica is healthy/);
    expect(refused.message).toMatch(/Failed replicas go first/);
    expect(refused.href).toBe(`/replicas/remove?replica=${R3}`);
    // And the cluster would lose quorum anyway (2 members, 1 healthy), so --force is not offered.
    expect(gate(plan, 'quorum-after-lost').severity).toBe('block');
    expect(refused.acknowledge).toBeUndefined();
    expect(refused.message).toMatch(/--force would not help/);
    expect(plan.command).toBeUndefined();
  });

  it('others-unhealthy: quiet when every other replica is healthy', () => {
    expect(gateIds(planRemove(oneDown(), { replicaId: R3 }))).not.toContain('others-unhealthy');
  });

  it('others-unhealthy: lifted by removing the other failed replicas in the same command', () => {
    const status = five('unreachable', 'unreachable', 'healthy', 'healthy', 'healthy');
    const alone = planRemove(status, { replicaId: R1 });
    expect(gate(alone, 'others-unhealthy').message).toMatch(/in the same command/);
    expect(alone.otherFailed).toEqual([R2]);
    const together = planRemove(
      status,
      { replicaId: R1, alsoRemove: [R2] },
      { connection: CONNECTION },
    );
    expect(together.ok).toBe(true);
    expect(together.replicaIds).toEqual([R1, R2]);
    expect(together.command?.text).toContain(`--replica-ids ${R1},${R2}`);
    expect(together.impact?.after).toMatchObject({ replicas: 3, healthy: 3, failuresTolerated: 1 });
  });

  it('also-remove-healthy: only failed replicas ride along', () => {
    const plan = planRemove(oneDown(), { replicaId: R3, alsoRemove: [R1] });
    expect(gate(plan, 'also-remove-healthy').severity).toBe('block');
  });

  it('--force on MSR 2.9+: offered, lifted only by force and acknowledgement together, printed', () => {
    const status = five('unreachable', 'healthy', 'healthy', 'healthy', 'healthy');
    const offered = planRemove(status, { replicaId: R2 });
    expect(offered.forceAvailable).toBe(true);
    expect(gate(offered, 'others-unhealthy').acknowledge).toMatch(/Use --force/);
    expect(gate(offered, 'others-unhealthy').message).toMatch(/2\.9\.16 has --force/);

    const ackOnly = planRemove(status, { replicaId: R2, acknowledge: ['others-unhealthy'] });
    expect(gate(ackOnly, 'others-unhealthy').severity).toBe('block');
    const forceOnly = planRemove(status, { replicaId: R2, force: true });
    expect(gate(forceOnly, 'others-unhealthy').severity).toBe('block');

    const forced = planRemove(
      status,
      { replicaId: R2, force: true, acknowledge: ['others-unhealthy'] },
      { connection: CONNECTION },
    );
    expect(forced.ok).toBe(true);
    expect(forced.force).toBe(true);
    expect(gate(forced, 'others-unhealthy')).toMatchObject({
      severity: 'warn',
      acknowledged: true,
    });
    expect(flat(forced.command?.text)).toMatch(/--replica-ids [0-9a-f]{12} --force --ucp-url/);
  });

  it('--force: never offered before MSR 2.9 or on an unknown version; asking for it is refused', () => {
    const old = buildSnapshot({
      replicas: replicasOf('unreachable', 'healthy', 'healthy', 'healthy', 'healthy'),
      dtrVersion: '2.8.3',
    });
    const plan = planRemove(old, { replicaId: R2, force: true, acknowledge: ['others-unhealthy'] });
    expect(plan.forceAvailable).toBe(false);
    expect(gate(plan, 'others-unhealthy')).toMatchObject({ severity: 'block' });
    expect(gate(plan, 'others-unhealthy').acknowledge).toBeUndefined();
    expect(gate(plan, 'others-unhealthy').message).toMatch(/2\.8\.3 has no --force/);
    expect(gate(plan, 'force-unsupported').severity).toBe('block');

    const unknown = buildSnapshot({
      replicas: replicasOf('unreachable', 'healthy', 'healthy', 'healthy', 'healthy'),
      dtrVersion: null,
    });
    expect(gate(planRemove(unknown, { replicaId: R2 }), 'others-unhealthy').message).toMatch(
      /does not know your DTR version/,
    );
  });

  it('quorum-after-lost: not even --force may take the cluster below its majority', () => {
    const plan = planRemove(oneDown(), {
      replicaId: R1,
      force: true,
      acknowledge: ['others-unhealthy', 'quorum-after-lost'],
    });
    expect(gate(plan, 'quorum-after-lost').severity).toBe('block');
    expect(plan.ok).toBe(false);
  });

  it('two-replicas-left: removing a HEALTHY replica from 3 needs an explicit acknowledgement', () => {
    const plan = planRemove(healthy3(), { replicaId: R2 }, { connection: CONNECTION });
    expect(plan.ok).toBe(false);
    const two = gate(plan, 'two-replicas-left');
    expect(two.severity).toBe('block');
    expect(two.message).toMatch(/tolerate no failure \(now: 1 failure\)/);
    expect(two.acknowledge).toMatch(/losing either one stops the registry/);
    expect(plan.command).toBeUndefined();

    const acknowledged = planRemove(
      healthy3(),
      { replicaId: R2, acknowledge: ['two-replicas-left'] },
      { connection: CONNECTION },
    );
    expect(acknowledged.ok).toBe(true);
    expect(gate(acknowledged, 'two-replicas-left')).toMatchObject({
      severity: 'warn',
      acknowledged: true,
    });
    expect(acknowledged.command?.text).toContain(`--replica-ids ${R2}`);
  });

  it('two-replicas-left: quiet when more than 2 stay', () => {
    const status = five('healthy', 'healthy', 'healthy', 'healthy', 'unreachable');
    expect(gateIds(planRemove(status, { replicaId: R5 }))).not.toContain('two-replicas-left');
  });

  it('single-replica-left: removing a healthy replica from 2 needs an acknowledgement', () => {
    const plan = planRemove(buildSnapshot({ replicas: replicasOf('healthy', 'healthy') }), {
      replicaId: R2,
    });
    expect(gate(plan, 'single-replica-left')).toMatchObject({ severity: 'block' });
    const ok = planRemove(buildSnapshot({ replicas: replicasOf('healthy', 'healthy') }), {
      replicaId: R2,
      acknowledge: ['single-replica-left'],
    });
    expect(ok.ok).toBe(true);
    expect(gateIds(planRemove(healthy3(), { replicaId: R2 }))).not.toContain('single-replica-left');
  });

  it('tolerance-drop and even-after: 5 → 4 healthy warns twice; 4 → 3 does not', () => {
    const fiveHealthy = buildSnapshot({
      replicas: replicasOf('healthy', 'healthy', 'healthy', 'healthy', 'healthy'),
    });
    const plan = planRemove(fiveHealthy, { replicaId: R4 });
    expect(plan.ok).toBe(true);
    expect(gate(plan, 'tolerance-drop').severity).toBe('warn');
    expect(gate(plan, 'even-after').message).toMatch(/4 replicas tolerate no more failures than 3/);
    const four = buildSnapshot({
      replicas: replicasOf('healthy', 'healthy', 'healthy', 'healthy'),
    });
    const toThree = planRemove(four, { replicaId: R4 });
    expect(gateIds(toThree)).not.toContain('tolerance-drop');
    expect(gateIds(toThree)).not.toContain('even-after');
  });

  it('removing-healthy: says to drain it from the load balancer first; quiet for a failed replica', () => {
    const fiveHealthy = buildSnapshot({
      replicas: replicasOf('healthy', 'healthy', 'healthy', 'healthy', 'healthy'),
    });
    expect(gate(planRemove(fiveHealthy, { replicaId: R4 }), 'removing-healthy')).toMatchObject({
      severity: 'warn',
      href: '/load-balancer',
    });
    expect(gateIds(planRemove(oneDown(), { replicaId: R3 }))).not.toContain('removing-healthy');
  });

  it('existing replica: unknown, leaving, unhealthy and none left are refused', () => {
    expect(
      gateIds(planRemove(oneDown(), { replicaId: R3, existingReplicaId: 'ffffffffffff' })),
    ).toContain('existing-unknown');
    expect(gateIds(planRemove(oneDown(), { replicaId: R3, existingReplicaId: R3 }))).toContain(
      'existing-leaving',
    );
    const five2 = five('unreachable', 'unreachable', 'healthy', 'healthy', 'healthy');
    expect(
      gateIds(planRemove(five2, { replicaId: R1, alsoRemove: [R2], existingReplicaId: R2 })),
    ).toContain('existing-leaving');
    const twoDown = five('unreachable', 'healthy', 'healthy', 'healthy', 'unhealthy');
    expect(gateIds(planRemove(twoDown, { replicaId: R1, existingReplicaId: R5 }))).toContain(
      'existing-unhealthy',
    );
    const allBut = buildSnapshot({
      replicas: replicasOf('unhealthy', 'unreachable', 'unreachable'),
    });
    expect(gateIds(planRemove(allBut, { replicaId: R1 }))).toContain('no-healthy-existing');
  });

  it('tables-not-writable: a warning while the quorum holds', () => {
    const status = oneDown();
    status.dtr.clusterView!.tablesReadyForWrites = false;
    expect(gate(planRemove(status, { replicaId: R3 }), 'tables-not-writable').severity).toBe(
      'warn',
    );
    expect(gateIds(planRemove(oneDown(), { replicaId: R3 }))).not.toContain('tables-not-writable');
  });

  it('version-unknown: warns, and the command carries the VERSION placeholder', () => {
    const status = buildSnapshot({
      replicas: replicasOf('healthy', 'healthy', 'unreachable'),
      dtrVersion: null,
    });
    const plan = planRemove(
      status,
      { replicaId: R3 },
      { connection: { ...CONNECTION, dtrVersion: null } },
    );
    expect(gate(plan, 'version-unknown').severity).toBe('warn');
    expect(plan.command?.needsVersion).toBe(true);
    expect(plan.command?.text).toContain('docker/dtr:VERSION');
    expect(gateIds(planRemove(oneDown(), { replicaId: R3 }))).not.toContain('version-unknown');
  });

  it('no-connection and invalid-input: no command rather than a broken one', () => {
    const none = planRemove(oneDown(), { replicaId: R3 }, { connection: null });
    expect(none.ok).toBe(false);
    expect(gate(none, 'no-connection').severity).toBe('block');
    const bad = planRemove(
      oneDown(),
      { replicaId: R3 },
      { connection: { ...CONNECTION, ucpUrl: 'ftp://x' } },
    );
    expect(bad.ok).toBe(false);
    expect(bad.command).toBeUndefined();
    expect(gate(bad, 'invalid-input').message).toMatch(/^The UCP URL \(UCP_URL\) cannot go in/);
  });
});

describe('planRemove: the advice ladder comes first', () => {
  const justStopped = () => buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] });

  it('bring-back-first: a replica down for minutes is brought back, not removed, unless the person says it cannot come back', () => {
    const plan = planRemove(justStopped(), { replicaId: R3 }, { connection: CONNECTION });
    const first = gate(plan, 'bring-back-first');
    expect(first.severity).toBe('block');
    expect(first.message).toMatch(new RegExp(`^Bring replica ${R3} back first`));
    expect(first.message).toMatch(/once it has been down longer than 30 minutes/);
    expect(first.message).toMatch(/On a machine with a UCP client bundle:$/);
    expect(flat(first.command)).toContain(`docker start $(docker ps -aq --filter name=-${R3}`);
    expect(first.acknowledge).toBe(
      `${R3} cannot be brought back (or has been down long enough): remove it.`,
    );
    expect(plan.command).toBeUndefined();
    const acknowledged = planRemove(
      justStopped(),
      { replicaId: R3, acknowledge: ['bring-back-first'] },
      { connection: CONNECTION },
    );
    expect(acknowledged.ok).toBe(true);
  });

  it('lifts by itself after OFFLINE_LONG_MS, and never applies to a ghost', () => {
    expect(
      gateIds(planRemove(justStopped(), { replicaId: R3 }, { offlineLongMs: 60_000 })),
    ).not.toContain('bring-back-first');
    const ghost = buildSnapshot({ replicas: ['healthy', 'healthy', 'ghost'] });
    expect(gateIds(planRemove(ghost, { replicaId: R3 }))).not.toContain('bring-back-first');
  });
});
