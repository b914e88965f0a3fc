import { describe, expect, it } from 'vitest';
import { ago, buildSnapshot, HOUR } from '@/test/support/snapshot';
import { CONNECTION, R1, R2, R3 } from '@/test/support/wizards';
import { planRequest } from '../wizards/run-plan';
import type { CreateRunRequest, WizardRunState } from '../wizards/run';
import type { ClusterSnapshot } from '../types';
import { executionNode } from './node';

function stateOf(snapshot: ClusterSnapshot, request: CreateRunRequest): WizardRunState {
  const plan = planRequest(snapshot, request, { connection: CONNECTION });
  if (!plan.state) throw new Error(`no plan: ${plan.gates.map((g) => g.message).join(' ')}`);
  return plan.state;
}

const down = { status: 'unreachable' as const, since: ago(HOUR) };

describe('executionNode', () => {
  it('remove runs on the node of the replica it runs through, not the one leaving', () => {
    const snapshot = buildSnapshot({
      replicas: [{ node: 'mgr-1' }, { node: 'dtr-2' }, { ...down, node: 'dtr-3' }],
    });
    const state = stateOf(snapshot, { kind: 'remove', replicaId: R3, existingReplicaId: R2 });
    expect(executionNode(state, snapshot)).toBe('dtr-2');
    const viaFirst = stateOf(snapshot, { kind: 'remove', replicaId: R3, existingReplicaId: R1 });
    expect(executionNode(viaFirst, snapshot)).toBe('mgr-1');
  });

  it('join runs on the node the new replica goes to', () => {
    const snapshot = buildSnapshot({ spareDtrNodes: 1 });
    const state = stateOf(snapshot, { kind: 'join', node: 'dtr-4' });
    expect(executionNode(state, snapshot)).toBe('dtr-4');
  });

  it('emergency repair runs on the node of the replica it keeps', () => {
    const snapshot = buildSnapshot({ replicas: ['healthy', down, down] });
    const state = stateOf(snapshot, {
      kind: 'repair',
      keepReplicaId: R1,
      acknowledge: ['bring-back-first', 'repair-consequence'],
    });
    expect(executionNode(state, snapshot)).toBe('dtr-1');
  });

  it('is null when the replica is no longer in the list', () => {
    const snapshot = buildSnapshot({ replicas: ['healthy', 'healthy', down] });
    const state = stateOf(snapshot, { kind: 'remove', replicaId: R3, existingReplicaId: R2 });
    const without = buildSnapshot({ replicas: ['healthy'] });
    expect(executionNode(state, without)).toBeNull();
  });
});
