import { describe, expect, it } from 'vitest';
import { codesFor, warningsFor } from '@/test/support/assess';

describe('UCP quorum', () => {
  it('one of three managers down: at risk, critical', () => {
    const [risk] = warningsFor('UCP_QUORUM_AT_RISK', {
      managers: ['healthy', 'healthy', 'unreachable'],
    });
    expect(risk).toMatchObject({ severity: 'critical', subjects: ['mgr-3'] });
    expect(risk?.detail).toMatch(/2 of 3 managers are reachable and Swarm Raft needs 2/);
    expect(
      warningsFor('UCP_QUORUM_LOST', { managers: ['healthy', 'healthy', 'unreachable'] }),
    ).toEqual([]);
  });

  it('two of three managers down: lost, and explains what stops working', () => {
    const [lost] = warningsFor('UCP_QUORUM_LOST', {
      managers: ['healthy', 'unreachable', 'unreachable'],
    });
    expect(lost).toMatchObject({ severity: 'critical', subjects: ['mgr-2', 'mgr-3'] });
    expect(lost?.detail).toMatch(/DTR join, remove and emergency-repair cannot run/);
    expect(lost?.detail).toMatch(/Containers already running keep running/);
    expect(
      warningsFor('UCP_QUORUM_AT_RISK', { managers: ['healthy', 'unreachable', 'unreachable'] }),
    ).toEqual([]);
  });

  it('one of five managers down is neither at risk nor lost', () => {
    const managers = ['healthy', 'healthy', 'healthy', 'healthy', 'unreachable'] as const;
    expect(codesFor({ managers: [...managers] })).toEqual(['UCP_MANAGER_UNREACHABLE', 'NODE_DOWN']);
  });
});

describe('UCP_MANAGER_UNREACHABLE', () => {
  it('is a warning with margin left, critical without', () => {
    const five = warningsFor('UCP_MANAGER_UNREACHABLE', {
      managers: ['healthy', 'healthy', 'healthy', 'healthy', 'unreachable'],
    });
    expect(five.map((w) => [w.severity, w.subjects])).toEqual([['warning', ['mgr-5']]]);
    const three = warningsFor('UCP_MANAGER_UNREACHABLE', {
      managers: ['healthy', 'healthy', 'unreachable'],
    });
    expect(three.map((w) => w.severity)).toEqual(['critical']);
    expect(three[0]?.detail).toMatch(
      /Raft reports it unreachable: the other managers cannot reach it.*Unhealthy UCP manager/,
    );
  });

  it('does not fire for a Raft-reachable manager whose /_ping fails or cannot be reached', () => {
    for (const third of ['unhealthy', 'unreachable-from-console'] as const)
      expect(
        warningsFor('UCP_MANAGER_UNREACHABLE', { managers: ['healthy', 'healthy', third] }),
      ).toEqual([]);
  });
});

describe('UCP_MANAGER_UNHEALTHY', () => {
  it('a Raft-reachable manager whose /_ping answers 500: a warning, the quorum untouched', () => {
    const [w] = warningsFor('UCP_MANAGER_UNHEALTHY', {
      managers: ['healthy', 'healthy', 'unhealthy'],
    });
    expect(w).toMatchObject({ severity: 'warning', subjects: ['mgr-3'] });
    expect(w?.detail).toMatch(/\/_ping answers unhealthy \(HTTP 500\)/);
    expect(w?.detail).toMatch(/Raft still counts it, so the manager quorum is not affected/);
    expect(
      warningsFor('UCP_MANAGER_UNHEALTHY', { managers: ['healthy', 'healthy', { ping: null }] }),
    ).toEqual([]);
  });

  it('UCP’s own "Unhealthy UCP manager" message is enough, even where nothing is pinged', () => {
    const [w] = warningsFor('UCP_MANAGER_UNHEALTHY', {
      managers: ['healthy', 'healthy', { ping: null }],
      nodes: { 'mgr-3': { message: 'Unhealthy UCP manager: ucp-kv: etcd cluster is unavailable' } },
    });
    expect(w?.detail).toMatch(/UCP says “Unhealthy UCP manager: ucp-kv/);
  });

  it('"[Pending]" is transient: an info, not a warning', () => {
    const [w] = warningsFor('UCP_MANAGER_UNHEALTHY', {
      nodes: { 'mgr-2': { message: '[Pending] UCP migration in progress' } },
    });
    expect(w).toMatchObject({ severity: 'info', subjects: ['mgr-2'] });
  });
});

describe('UCP_PING_DISAGREES and UCP_NO_LEADER', () => {
  it('a console that reaches only UCP’s load balancer: every manager counted by Raft, one info', () => {
    const snapshot = {
      managers: [
        'unreachable-from-console',
        'unreachable-from-console',
        'unreachable-from-console',
      ] as const,
    };
    expect(codesFor({ managers: [...snapshot.managers] })).toEqual(['UCP_PING_DISAGREES']);
    const [w] = warningsFor('UCP_PING_DISAGREES', { managers: [...snapshot.managers] });
    expect(w?.severity).toBe('info');
    expect(w?.title).toMatch(/judges them by Raft alone/);
  });

  it('no leader in a current list: critical, says an election should finish', () => {
    const [w] = warningsFor('UCP_NO_LEADER', { noLeader: true });
    expect(w?.severity).toBe('critical');
    expect(w?.detail).toMatch(/an election should finish within seconds/);
  });

  it('Swarm saying "no leader": the quorum is lost on Swarm’s own word', () => {
    expect(
      codesFor({
        noLeader: 'said',
        sources: { ucp: { state: 'stale', lastError: 'Swarm has no leader' } },
      }),
    ).toEqual(expect.arrayContaining(['UCP_QUORUM_LOST', 'UCP_NO_LEADER']));
  });
});

describe('UCP manager count', () => {
  it.each([
    [1, ['UCP_FEW_MANAGERS']],
    [2, ['UCP_FEW_MANAGERS']],
    [3, []],
    [4, ['UCP_EVEN_MANAGERS']],
    [5, []],
    [6, ['UCP_EVEN_MANAGERS']],
  ])('%i healthy managers → %j', (n, expected) => {
    expect(codesFor({ managers: Array.from({ length: n }, () => 'healthy' as const) })).toEqual(
      expected,
    );
  });

  it('says no manager failure is survivable with 1 or 2 managers', () => {
    const [few] = warningsFor('UCP_FEW_MANAGERS', { managers: ['healthy', 'healthy'] });
    expect(few?.title).toBe('Only 2 UCP managers: no manager failure is survivable');
    expect(few?.detail).toMatch(/losing either manager stops the control plane/);
  });

  it('says nothing when UCP was never read', () => {
    expect(
      codesFor({ managers: [], sources: { ucp: { state: 'error', lastSuccessAt: null } } }),
    ).toEqual(['SOURCE_UNREACHABLE']);
  });
});
