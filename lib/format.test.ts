import { describe, expect, it } from 'vitest';
import {
  explainProbeError,
  formatBytes,
  formatCpus,
  formatDateTime,
  formatDuration,
  formatLatency,
  formatRelative,
  plural,
} from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [999, '0 s'],
    [12_000, '12 s'],
    [192_000, '3 min 12 s'],
    [180_000, '3 min'],
    [3_600_000, '1 h'],
    [3_720_000, '1 h 2 min'],
    [3_601_000, '1 h'],
    [2 * 86_400_000 + 3 * 3_600_000 + 59_000, '2 d 3 h'],
  ])('%d ms is "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('says unknown rather than NaN', () => {
    expect(formatDuration(Number.NaN)).toBe('unknown');
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2025-11-22T12:00:00Z');

  it('says how long ago, from an instant or milliseconds', () => {
    expect(formatRelative('2025-11-22T11:59:48Z', now)).toBe('12 s ago');
    expect(formatRelative(now - 192_000, now)).toBe('3 min 12 s ago');
  });

  it('calls under a second "just now" and a future time "in ..."', () => {
    expect(formatRelative(now - 400, now)).toBe('just now');
    expect(formatRelative('2025-11-22T12:00:05Z', now)).toBe('in 5 s');
  });

  it('does not invent a time from an unparseable instant', () => {
    expect(formatRelative('yesterday-ish', now)).toBe('at an unknown time');
  });
});

describe('formatDateTime', () => {
  it('renders UTC, independent of the machine time zone', () => {
    expect(formatDateTime('2025-11-22T00:34:02.123Z')).toBe('2025-11-22 00:34:02 UTC');
    expect(formatDateTime('nonsense')).toBe('unknown time');
  });
});

describe('formatBytes', () => {
  it.each([
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [16 * 1024 ** 3, '16 GiB'],
    [1.5 * 1024 ** 3, '1.5 GiB'],
    [8_000_000_000, '7.5 GiB'],
    [2 * 1024 ** 4, '2 TiB'],
  ])('%d bytes is "%s"', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('says unknown for a missing value', () => {
    expect(formatBytes(null)).toBe('unknown');
  });
});

describe('formatCpus', () => {
  it('converts NanoCPUs with the right noun', () => {
    expect(formatCpus(4_000_000_000)).toBe('4 CPUs');
    expect(formatCpus(1_000_000_000)).toBe('1 CPU');
    expect(formatCpus(2_500_000_000)).toBe('2.5 CPUs');
    expect(formatCpus(null)).toBe('unknown');
  });
});

describe('formatLatency', () => {
  it('always carries a unit', () => {
    expect(formatLatency(12.4)).toBe('12 ms');
    expect(formatLatency(0.3)).toBe('<1 ms');
    expect(formatLatency(1500)).toBe('1.5 s');
    expect(formatLatency(null)).toBe('no reply');
  });
});

describe('plural', () => {
  it('picks singular or plural', () => {
    expect(plural(1, 'replica')).toBe('1 replica');
    expect(plural(3, 'replica')).toBe('3 replicas');
    expect(plural(0, 'manager')).toBe('0 managers');
  });
});

describe('explainProbeError', () => {
  it('explains the failures an admin meets', () => {
    expect(explainProbeError('connect ECONNREFUSED 127.0.2.1:80')).toMatch(/refused/i);
    expect(explainProbeError('probe timed out after 1500 ms')).toMatch(/did not answer/i);
    expect(explainProbeError('malformed JSON from /_ping')).toMatch(/malformed/i);
    expect(explainProbeError('rethinkdb: waiting for quorum')).toMatch(/RethinkDB/);
    expect(explainProbeError('garant: unhealthy')).toMatch(/garant/);
    expect(explainProbeError('connection refused by 127.0.2.3:37739')).toMatch(/refused/i);
  });

  it('names the failing part DTR reports before the words that follow it', () => {
    expect(explainProbeError('registry: storage backend unreachable')).toMatch(/image storage/);
    expect(explainProbeError('rethinkdb: connection timed out')).toMatch(/RethinkDB/);
  });

  it('returns null for nothing to explain', () => {
    expect(explainProbeError(null)).toBeNull();
    expect(explainProbeError('something new')).toBeNull();
  });
});
