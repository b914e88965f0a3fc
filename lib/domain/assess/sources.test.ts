import { describe, expect, it } from 'vitest';
import { warningsFor } from '../testing/assess';
import { ago, MINUTE } from '../testing/snapshot';

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
});
