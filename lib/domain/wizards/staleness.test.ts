import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../types';
import { ago, buildSnapshot, HOUR, MINUTE, TEST_NOW } from '@/test/support/snapshot';
import { WizardRunStateSchema, type CreateRunRequest, type WizardRunState } from './run';
import { planRequest, refusal } from './run-plan';
import { planFacts, runStaleness } from './staleness';
import { CONNECTION, R1, R2, R3, R4 } from '@/test/support/wizards';

const NOW_MS = Date.parse(TEST_NOW);
const TTL_MS = HOUR;

/**
 * The state createRun stores: the plan's, with the facts it rested on. The person has confirmed
 * what the gates ask (the ladder's bring-back-first, an application worker): staleness is about
 * what happens after a command was generated.
 */
function planned(status: ClusterSnapshot, request: CreateRunRequest): WizardRunState {
  const acknowledge = [...(request.acknowledge ?? []), 'bring-back-first', 'application-worker'];
  const plan = planRequest(status, { ...request, acknowledge }, { connection: CONNECTION });
  if (!plan.state) throw new Error(`the plan is refused: ${refusal(plan).message}`);
  return { ...plan.state, facts: planFacts(status, status.generatedAt) };
}

/** A run as an older console stored it, before facts were kept. */
function withoutFacts(state: WizardRunState): WizardRunState {
  const older = { ...state };
  delete older.facts;
  return older;
}

const reason = (state: WizardRunState, status: ClusterSnapshot, nowMs = NOW_MS) =>
  runStaleness(state, status, nowMs, TTL_MS)?.reason ?? null;

describe('planFacts', () => {
  it('keeps each replica’s status, both quorums and when the command was generated', () => {
    const status = buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] });
    expect(planFacts(status, TEST_NOW)).toEqual({
      generatedAt: TEST_NOW,
      replicas: [
        { id: R1, node: 'dtr-1', status: 'healthy' },
        { id: R2, node: 'dtr-2', status: 'healthy' },
        { id: R3, node: 'dtr-3', status: 'unreachable' },
      ],
      dtrQuorum: { status: 'at-risk', healthy: 2, replicas: 3 },
      ucpQuorum: { status: 'healthy', reachable: 3, total: 3 },
    });
  });

  it('is stored with the run, and runs stored before it are still read', () => {
    const state = planned(buildSnapshot(), { kind: 'join', node: 'worker-1' });
    expect(WizardRunStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(WizardRunStateSchema.parse(withoutFacts(state)).facts).toBeUndefined();
  });
});

describe('runStaleness: emergency repair', () => {
  // DTR quorum lost; R1 still answers its /_ping (unhealthy, as every replica then does).
  const lost = () => buildSnapshot({ replicas: ['unhealthy', 'unreachable', 'unreachable'] });
  const repair = () =>
    planned(lost(), { kind: 'repair', keepReplicaId: R1, acknowledge: ['repair-consequence'] });

  it('stands while quorum stays lost and the replica to keep still answers', () => {
    expect(reason(repair(), lost())).toBeNull();
  });

  it('is withdrawn once DTR regains quorum', () => {
    expect(reason(repair(), buildSnapshot())).toMatch(
      /^DTR has its quorum back \(3 of 3 replicas healthy, 2 needed\)\. Emergency repair would now throw away working replicas/,
    );
    const twoBack = buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] });
    expect(reason(repair(), twoBack)).toMatch(/quorum back \(2 of 3 replicas healthy/);
  });

  it('is withdrawn when the replica to keep stops answering, naming those that still do', () => {
    const silent = buildSnapshot({
      replicas: ['unreachable', { status: 'unhealthy', ping: 'unhealthy' }, 'unreachable'],
    });
    expect(reason(repair(), silent)).toBe(
      `Replica ${R1} on dtr-1, the one to keep, no longer answers (unreachable): emergency repair runs on a replica whose containers are up. ${R2} still answers.`,
    );
  });

  it('is withdrawn when the replica to keep has left the list', () => {
    const without = buildSnapshot({
      replicas: [
        { id: R2, status: 'unreachable' },
        { id: R3, status: 'unreachable' },
      ],
    });
    expect(reason(repair(), without)).toBe(
      `Replica ${R1}, the one to keep, is no longer in the replica list.`,
    );
  });

  it('concludes nothing from a replica of unknown state', () => {
    const unknown = buildSnapshot({ replicas: ['unknown', 'unreachable', 'unreachable'] });
    expect(unknown.dtr.quorum.status).toBe('lost');
    expect(reason(repair(), unknown)).toBeNull();
  });
});

describe('runStaleness: remove', () => {
  const oneDown = () => buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] });
  const removeFailed = () => planned(oneDown(), { kind: 'remove', replicaId: R3 });

  it('stands while the replica to remove is still down', () => {
    expect(reason(removeFailed(), oneDown())).toBeNull();
  });

  it('is withdrawn when the failed replica is healthy again, or up by the cluster’s word', () => {
    expect(reason(removeFailed(), buildSnapshot())).toBe(
      `Replica ${R3} on dtr-3 is healthy again (it was unreachable when this was planned). Removing it now would take a working replica out of the cluster.`,
    );
    const vouched = buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable-from-console'] });
    expect(reason(removeFailed(), vouched)).toMatch(`Replica ${R3} on dtr-3 is up again`);
  });

  it('does not withdraw the removal of a replica that was healthy when planned', () => {
    const removeHealthy = planned(buildSnapshot(), {
      kind: 'remove',
      replicaId: R2,
      acknowledge: ['two-replicas-left'],
    });
    expect(reason(removeHealthy, buildSnapshot())).toBeNull();
  });

  it('is withdrawn when the replica is gone already', () => {
    const gone = buildSnapshot({ replicas: [{ id: R1 }, { id: R2 }] });
    expect(reason(removeFailed(), gone)).toBe(
      `Replica ${R3} is no longer in the replica list: removed already, by this run or another way.`,
    );
  });

  it('does not call a replica gone from a replica list the console could not read afresh', () => {
    const old = buildSnapshot({
      replicas: [{ id: R1 }, { id: R2 }],
      sources: { dtr: { state: 'stale', lastSuccessAt: ago(MINUTE) } },
    });
    expect(reason(removeFailed(), old)).toBeNull();
    const oldAndUndecided = buildSnapshot({
      replicas: ['unknown', 'healthy', 'unreachable'],
      sources: { dtr: { state: 'stale', lastSuccessAt: ago(MINUTE) } },
    });
    expect(oldAndUndecided.dtr.quorum.status).toBe('unknown');
    expect(reason(removeFailed(), oldAndUndecided)).toBeNull();
  });

  it('is withdrawn when DTR loses quorum, or the console can no longer tell', () => {
    const lost = buildSnapshot({ replicas: ['unreachable', 'healthy', 'unreachable'] });
    expect(reason(removeFailed(), lost)).toBe(
      'DTR has lost quorum since this was planned (1 of 3 replicas healthy, 2 needed; it was at-risk with 2 of 3 healthy when this was planned). `remove` needs a healthy majority: use emergency repair.',
    );
    const undecided = buildSnapshot({ replicas: ['unknown', 'healthy', 'unreachable'] });
    expect(undecided.dtr.quorum.status).toBe('unknown');
    expect(reason(removeFailed(), undecided)).toMatch(
      /^The console can no longer tell whether DTR has quorum \(1 of 3 replicas healthy, 2 needed, 1 unknown; it was at-risk/,
    );
  });
});

describe('runStaleness: join', () => {
  const join = () => planned(buildSnapshot(), { kind: 'join', node: 'worker-1' });

  it('stands while the cluster is as planned', () => {
    expect(reason(join(), buildSnapshot())).toBeNull();
  });

  it('is withdrawn when the target node now runs a replica', () => {
    const joined = buildSnapshot({
      replicas: ['healthy', 'healthy', 'healthy', { id: R4, node: 'worker-1' }],
    });
    expect(reason(join(), joined)).toBe(
      `worker-1 now runs DTR replica ${R4}: the join has happened, by this run or another way.`,
    );
  });

  it('is withdrawn when DTR loses quorum', () => {
    const lost = buildSnapshot({ replicas: ['healthy', 'unreachable', 'unreachable'] });
    expect(reason(join(), lost)).toMatch(
      /^DTR has lost quorum since this was planned \(1 of 3 replicas healthy, 2 needed; it was healthy with 3 of 3 healthy when this was planned\)\. A join needs a healthy majority/,
    );
  });

  it('is withdrawn when a replica that was up is now down, but not when it is merely unknown', () => {
    const oneDown = buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] });
    expect(reason(join(), oneDown)).toBe(
      `Since this was planned, replica ${R3} on dtr-3 is unreachable (healthy when this was planned). Joining while a failed replica still counts as a member can split the cluster: remove it first, then join.`,
    );
    const oneUnknown = buildSnapshot({ replicas: ['healthy', 'healthy', 'unknown'] });
    expect(oneUnknown.dtr.quorum.status).toBe('at-risk');
    expect(reason(join(), oneUnknown)).toBeNull();
  });
});

describe('runStaleness: any run', () => {
  const join = () => planned(buildSnapshot(), { kind: 'join', node: 'worker-1' });

  it('is withdrawn when replicas joined or left since planning', () => {
    const grown = buildSnapshot({
      replicas: ['healthy', 'healthy', 'healthy', { id: R4, node: 'worker-2' }],
    });
    expect(reason(join(), grown)).toBe(
      `The replica list changed since this was planned: ${R4} joined. The command was written for the old membership.`,
    );
    const shrunk = buildSnapshot({ replicas: [{ id: R1 }, { id: R3 }] });
    expect(reason(join(), shrunk)).toMatch(
      /^The replica list changed since this was planned: .+ left\./,
    );
    expect(reason(join(), shrunk)).toContain(R2);
  });

  it('is withdrawn when UCP loses its manager quorum (the dtr tool logs in to UCP)', () => {
    const ucpLost = buildSnapshot({ managers: ['healthy', 'unreachable', 'unreachable'] });
    expect(ucpLost.ucp.managers.status).toBe('lost');
    expect(reason(join(), ucpLost)).toMatch(
      /^UCP has lost its manager quorum since this was planned \(1 of 3 reachable, 2 needed\)/,
    );
  });

  it('expires once older than the time to live, whatever the cluster says', () => {
    expect(reason(join(), buildSnapshot(), NOW_MS + TTL_MS)).toBeNull();
    expect(reason(join(), buildSnapshot(), NOW_MS + TTL_MS + MINUTE)).toBe(
      'It was planned 1 hour 1 minute ago, and a plan holds for 1 hour: the cluster may have changed in ways the console cannot see.',
    );
  });

  it('judges nothing but age while the console cannot read DTR', () => {
    const unreadable = buildSnapshot({ replicas: [], sources: { dtr: { state: 'error' } } });
    expect(reason(join(), unreadable)).toBeNull();
    expect(reason(join(), unreadable, NOW_MS + 2 * HOUR)).toMatch(/^It was planned 2 hours ago/);
  });

  it('judges a run stored without facts on its own inputs, and its age by when it was created', () => {
    const older = withoutFacts(join());
    const grown = buildSnapshot({
      replicas: ['healthy', 'healthy', 'healthy', { id: R4, node: 'worker-2' }],
    });
    // Membership and planned statuses are not known: no judgement on them.
    expect(runStaleness(older, grown, NOW_MS, TTL_MS, ago(MINUTE))).toBeNull();
    const taken = buildSnapshot({
      replicas: ['healthy', 'healthy', 'healthy', { id: R4, node: 'worker-1' }],
    });
    expect(runStaleness(older, taken, NOW_MS, TTL_MS, ago(MINUTE))?.reason).toMatch(
      /^worker-1 now runs DTR replica/,
    );
    expect(runStaleness(older, buildSnapshot(), NOW_MS, TTL_MS, ago(2 * HOUR))?.reason).toMatch(
      /^It was planned 2 hours ago/,
    );
    expect(runStaleness(older, buildSnapshot(), NOW_MS, TTL_MS)).toBeNull();
  });
});
