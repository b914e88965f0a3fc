import { describe, expect, it } from 'vitest';
import { codesFor, warningsFor } from '../testing/assess';

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
    expect(three[0]?.detail).toMatch(/cannot reach it over Raft.*Unhealthy UCP manager/);
  });

  it('fires for a Raft-reachable manager whose /_ping fails, not for one never probed', () => {
    const [w] = warningsFor('UCP_MANAGER_UNREACHABLE', {
      managers: ['healthy', 'healthy', 'unhealthy'],
    });
    expect(w?.detail).toMatch(/Its \/_ping reports unhealthy \(HTTP 500\)/);
    expect(w?.severity).toBe('warning');
    expect(
      warningsFor('UCP_MANAGER_UNREACHABLE', { managers: ['healthy', 'healthy', { ping: null }] }),
    ).toEqual([]);
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
