import { describe, expect, it } from 'vitest';
import { auditHref, displayTime, filterValues } from './audit-url';

describe('the /audit URL', () => {
  it('keeps the filters and drops blanks, repeats and unknown fields', () => {
    const values = filterValues({
      actor: ' ada ',
      action: '',
      outcome: ['refused', 'failed'],
      from: '2024-05-01T12:00',
      evil: 'x',
      before: '2024-05-01T12:00:04.000Z~17',
    });
    expect(values).toEqual({
      actor: 'ada',
      outcome: 'refused',
      from: '2024-05-01T12:00',
      before: '2024-05-01T12:00:04.000Z~17',
    });
  });

  it('links to another page of the same filters, and to the newest without a cursor', () => {
    const filters = { actor: 'ada', outcome: 'refused', before: 'old-cursor' };
    expect(auditHref(filters, { before: '2024-05-01T12:00:04.000Z~17' })).toBe(
      '/audit?actor=ada&outcome=refused&before=2024-05-01T12%3A00%3A04.000Z%7E17',
    );
    expect(auditHref(filters, { after: 'c' })).toBe('/audit?actor=ada&outcome=refused&after=c');
    expect(auditHref(filters)).toBe('/audit?actor=ada&outcome=refused');
    expect(auditHref({})).toBe('/audit');
  });

  it('shows stored times to the second, in UTC', () => {
    expect(displayTime('2024-05-01T12:00:04.123Z')).toBe('2024-05-01 12:00:04 UTC');
  });
});
