import { describe, expect, it } from 'vitest';
import { ago, buildSnapshot, HOUR, TEST_NOW } from '@/test/support/snapshot';
import { CONNECTION, R1, R3 } from '@/test/support/wizards';
import { planRequest, requestFromState, type RequestPlan } from '../wizards/run-plan';
import type { WizardRunState } from '../wizards/run';
import type { ClusterSnapshot } from '../types';
import type { UcpConnectionOptions } from '../commands';
import { executionRefusal, type ExecutionGateInput } from './gates';
import { executionNode } from './node';
import type { ExecutionRecord } from './types';

const down = { status: 'unreachable' as const, since: ago(HOUR) };
const NOW = new Date(TEST_NOW);
const planned = buildSnapshot({ replicas: ['healthy', 'healthy', down] });

function plannedState(snapshot: ClusterSnapshot = planned): WizardRunState {
  const plan = planRequest(snapshot, { kind: 'remove', replicaId: R3 }, { connection: CONNECTION });
  if (!plan.state) throw new Error('no plan');
  return plan.state;
}
function replan(
  state: WizardRunState,
  snapshot: ClusterSnapshot = planned,
  connection: UcpConnectionOptions = CONNECTION,
): RequestPlan {
  return planRequest(snapshot, requestFromState(state), { connection });
}

function input(overrides: Partial<ExecutionGateInput> = {}): ExecutionGateInput {
  const state = overrides.state ?? plannedState();
  return {
    state,
    replanned: replan(state),
    runStatus: 'open',
    withdrawnReason: null,
    engineNode: 'dtr-1',
    pinnedNode: executionNode(state, planned),
    viaBundle: false,
    busy: null,
    now: NOW,
    ...overrides,
  };
}

const busy: ExecutionRecord = {
  id: 'ex-9',
  cluster: 'prod',
  runId: 'run-7',
  kind: 'remove',
  actor: 'alice',
  ip: '10.0.0.5',
  instance: 'console-2',
  status: 'running',
  node: 'dtr-2',
  imageRef: 'docker/dtr:2.9.16',
  imageId: 'sha256:abc',
  repoDigest: null,
  containerId: 'c0ntainer',
  argvPublic: ['dtr', 'remove'],
  exitCode: null,
  refusal: null,
  leaseUntil: new Date(NOW.getTime() + 20_000).toISOString(),
  createdAt: '2024-05-01T10:02:00.000Z',
  startedAt: '2024-05-01T10:02:03.000Z',
  finishedAt: null,
  logTail: '',
};

describe('executionRefusal', () => {
  it('lets a planned, open run whose command is unchanged go ahead on its node', () => {
    const go = input();
    expect(go.pinnedNode).toBe('dtr-1');
    expect(executionRefusal(go)).toBeNull();
  });

  it('refuses a withdrawn run with its reason', () => {
    const reason = `Replica ${R3} on dtr-3 is healthy again (it was unreachable when this was planned)`;
    expect(executionRefusal(input({ runStatus: 'stale', withdrawnReason: reason }))).toBe(
      `This run was withdrawn: ${reason}. Nothing was run; plan the change again.`,
    );
    expect(executionRefusal(input({ runStatus: 'stale' }))).toBe(
      'This run was withdrawn. Nothing was run; plan the change again.',
    );
  });

  it('refuses a run that is not open, saying what it is instead', () => {
    expect(executionRefusal(input({ runStatus: 'verifying' }))).toMatch(/past its command already/);
    expect(executionRefusal(input({ runStatus: 'done' }))).toMatch(/^This run is done/);
    expect(executionRefusal(input({ runStatus: 'failed' }))).toMatch(/^This run has failed/);
    expect(executionRefusal(input({ runStatus: 'cancelled' }))).toMatch(/was cancelled/);
    // Statuses a later migration adds.
    const later = (status: string) =>
      input({ runStatus: status as ExecutionGateInput['runStatus'] });
    expect(executionRefusal(later('executing'))).toMatch(/executing already/);
    expect(executionRefusal(later('unknown'))).toMatch(/outcome .* is unknown. Verify/);
  });

  it('refuses while another execution holds the cluster, naming what, who, when and where', () => {
    expect(executionRefusal(input({ busy }))).toBe(
      'Another execution is in progress on cluster "prod": remove (run run-7) by alice at 10:02 UTC, on console console-2, node dtr-2. One execution runs at a time per cluster: wait for it to end (its log is on its run’s page).',
    );
    const lapsed = { ...busy, leaseUntil: ago(5_000) };
    expect(executionRefusal(input({ busy: lapsed }))).toMatch(
      /Its console stopped renewing it.*release the slot/,
    );
    const yesterday = { ...busy, createdAt: '2024-04-30T23:58:00.000Z' };
    expect(executionRefusal(input({ busy: yesterday }))).toContain('at 2024-04-30 23:58 UTC');
  });

  it('refuses when the wizard would not plan the step on today’s cluster, in the wizard’s words', () => {
    const state = plannedState();
    const worse = buildSnapshot({ replicas: ['healthy', { status: 'unhealthy' }, down] });
    const replanned = replan(state, worse);
    expect(replanned.ok).toBe(false);
    const refusal = executionRefusal(input({ state, replanned }));
    expect(refusal).toMatch(/^The wizard would not plan this step today: .+ Nothing was run\.$/);
    expect(refusal).toContain(replanned.gates.find((g) => g.severity === 'block')?.message);
  });

  it('refuses when the command it would run differs from the one reviewed, showing where', () => {
    const state = plannedState();
    const replanned = replan(state, planned, { ...CONNECTION, ucpUsername: 'alice' });
    expect(replanned.ok).toBe(true);
    expect(executionRefusal(input({ state, replanned }))).toBe(
      'The command the console would run today differs from the one you reviewed (“--ucp-username admin” then, “--ucp-username alice” now): the cluster or the console’s settings changed since it was planned. Nothing was run; plan the change again and review the new command.',
    );
    const pinned = replan(
      state,
      buildSnapshot({ dtrVersion: '2.9.17', replicas: ['healthy', 'healthy', down] }),
    );
    expect(executionRefusal(input({ state, replanned: pinned }))).toContain(
      '(“--rm docker/dtr:2.9.16” then, “--rm docker/dtr:2.9.17” now)',
    );
  });

  it('refuses a command whose image version is unknown', () => {
    const unknown = buildSnapshot({ dtrVersion: null, replicas: ['healthy', 'healthy', down] });
    const state = plannedState(unknown);
    expect(state.needsVersion).toBe(true);
    expect(executionRefusal(input({ state, replanned: replan(state, unknown) }))).toMatch(
      /does not know the installed DTR version.*DTR_VERSION/,
    );
  });

  it('on a plain engine, refuses to run the step on another node than its own', () => {
    expect(executionRefusal(input({ engineNode: 'mgr-2' }))).toBe(
      `This step must run on dtr-1 (the node of replica ${R1}, which the removal runs through), but the console’s Docker engine is mgr-2. Point EXECUTE_DOCKER_HOST at dtr-1’s engine or at a UCP client bundle, or run the printed command on dtr-1 yourself.`,
    );
    expect(executionRefusal(input({ engineNode: null }))).toMatch(
      /must run on dtr-1 .*cannot tell which node its Docker engine is on/,
    );
    expect(executionRefusal(input({ engineNode: 'DTR-1' }))).toBeNull();
    // A bundle pins with a constraint; an unpinned step runs anywhere.
    expect(executionRefusal(input({ engineNode: 'mgr-2', viaBundle: true }))).toBeNull();
    expect(executionRefusal(input({ engineNode: 'mgr-2', pinnedNode: null }))).toBeNull();
  });

  it('gives the first refusal, least surprising first', () => {
    const unknown = buildSnapshot({ dtrVersion: null, replicas: ['healthy', 'healthy', down] });
    const state = plannedState(unknown);
    const everything: ExecutionGateInput = {
      state,
      replanned: replan(
        state,
        buildSnapshot({ replicas: ['healthy', { status: 'unhealthy' }, down] }),
      ),
      runStatus: 'stale',
      withdrawnReason: 'DTR lost quorum',
      engineNode: 'mgr-2',
      pinnedNode: 'dtr-1',
      viaBundle: false,
      busy,
      now: NOW,
    };
    const fixes: [RegExp, Partial<ExecutionGateInput>][] = [
      [/^This run was withdrawn/, { runStatus: 'done', withdrawnReason: null }],
      [/^This run is done/, { runStatus: 'open' }],
      [/^Another execution is in progress/, { busy: null }],
      [/^The wizard would not plan/, { replanned: replan(state, planned) }],
      [/^The command the console would run today differs/, { replanned: replan(state, unknown) }],
      [
        /does not know the installed DTR version/,
        { state: plannedState(), replanned: replan(plannedState()) },
      ],
      [/^This step must run on dtr-1/, { engineNode: 'dtr-1' }],
    ];
    let current = everything;
    for (const [expected, fix] of fixes) {
      expect(executionRefusal(current)).toMatch(expected);
      current = { ...current, ...fix };
    }
    expect(executionRefusal(current)).toBeNull();
  });
});
