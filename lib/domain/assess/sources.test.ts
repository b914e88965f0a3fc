import { describe, expect, it } from 'vitest';
import { warningsFor } from '@/test/support/assess';
import { ago, MINUTE } from '@/test/support/snapshot';

describe('SOURCE_UNREACHABLE', () => {
  it('stale: a warning saying how old the data is and why', () => {
    const [w] = warningsFor('SOURCE_UNREACHABLE', {
      sources: {
        ucp: { state: 'stale', lastSuccessAt: ago(90 * MINUTE), lastError: 'connect ETIMEDOUT' },
      },
    });
    expect(w).toMatchObject({
      severity: 'warning',
      title: 'UCP data is 1 hour 30 minutes old',
      subjects: ['ucp'],
    });
    expect(w?.detail).toMatch(
      /1 hour 30 minutes ago\), not current\. Last error: connect ETIMEDOUT\./,
    );
  });

  it('error (never succeeded): critical, nothing shown is real', () => {
    const [w] = warningsFor('SOURCE_UNREACHABLE', {
      sources: { dtr: { state: 'error', lastSuccessAt: null, lastError: 'HTTP 401' } },
    });
    expect(w).toMatchObject({ severity: 'critical', title: 'No data from DTR', subjects: ['dtr'] });
    expect(w?.detail).toMatch(/nothing shown for DTR is real data/);
  });

  it('is quiet while both sources are ok', () => {
    expect(warningsFor('SOURCE_UNREACHABLE')).toEqual([]);
  });

  it('names the Swarm manager and its DOCKER_HOST settings when nodes come from an Engine API', () => {
    const [w] = warningsFor('SOURCE_UNREACHABLE', {
      via: 'engine',
      dtrConfigured: false,
      sources: {
        ucp: { state: 'stale', lastSuccessAt: ago(MINUTE), lastError: 'Swarm has no leader' },
      },
    });
    expect(w).toMatchObject({ title: 'Swarm data is 1 minute old', subjects: ['ucp'] });
    expect(w?.nextStep).toMatch(/settings \(DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_TLS_VERIFY\)/);
  });

  it('says nothing about a source that is not configured', () => {
    expect(warningsFor('SOURCE_UNREACHABLE', { dtrConfigured: false })).toEqual([]);
  });
});
