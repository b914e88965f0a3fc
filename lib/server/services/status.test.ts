import { describe, expect, it, vi } from 'vitest';
import type { ClusterStatus } from '@/lib/domain/types';
import { encodeStatus, matchesIfNoneMatch, PLAIN_BELOW_BYTES, statusCacheControl } from './status';

describe('encodeStatus', () => {
  const status = {
    generatedAt: '2026-11-22T00:00:00.000Z',
    warnings: [],
    ucp: { nodes: Array.from({ length: 50 }, (_, i) => ({ hostname: `app-node-${i}` })) },
  } as unknown as ClusterStatus;

  it('serialises the status once, as JSON and as its UTF-8 bytes', () => {
    const encoded = encodeStatus(status);
    expect(encoded.json).toBe(JSON.stringify(status));
    expect(Buffer.from(encoded.bytes).toString('utf8')).toBe(encoded.json);
  });

  it('gives equal content the same strong ETag and other content another', () => {
    const { etag } = encodeStatus(status);
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(encodeStatus(structuredClone(status)).etag).toBe(etag);
    expect(encodeStatus({ ...status, generatedAt: '2026-11-22T00:00:02.000Z' }).etag).not.toBe(
      etag,
    );
  });
});

describe('matchesIfNoneMatch', () => {
  it.each([
    [null, false],
    ['', false],
    ['"abc"', true],
    ['W/"abc"', true],
    ['"abc-gzip"', true],
    ['"x", "abc"', true],
    ['"x" , W/"abc"', true],
    ['*', true],
    ['"abcd"', false],
    ['abc', false],
    ['"abc-br"', false],
  ] as const)('%j → %s', (header, match) => {
    expect(matchesIfNoneMatch(header, '"abc"')).toBe(match);
  });
});

describe('statusCacheControl', () => {
  it('keeps gzip off a small document and lets a big one be compressed', () => {
    expect(statusCacheControl(17_600)).toBe('no-store, no-transform');
    expect(statusCacheControl(PLAIN_BELOW_BYTES - 1)).toBe('no-store, no-transform');
    expect(statusCacheControl(PLAIN_BELOW_BYTES)).toBe('no-store');
    expect(statusCacheControl(1_000_000)).toBe('no-store');
  });
});

describe('per-snapshot work', () => {
  it('is done once per process, even by a second copy of the module (Next bundles it twice)', async () => {
    const { buildSnapshot } = await import('@/test/support/snapshot');
    const snapshot = buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] });
    let assessments = 0;
    const context = {
      config: { offlineLongMs: 15 * 60_000, zoneLabel: null },
      target: { ucp: null },
      demo: null,
      commands: {},
      history: {
        restoreSince: (s: typeof snapshot) => {
          assessments += 1;
          return s;
        },
      },
    } as unknown as import('./status').AssessContext;
    const first = await import('./status');
    vi.resetModules();
    const second = await import('./status');
    expect(second).not.toBe(first);
    const encoded = first.servedEncodingOf(snapshot, context);
    expect(second.servedEncodingOf(snapshot, context)).toBe(encoded);
    expect(second.statusOf(snapshot, context)).toBe(first.statusOf(snapshot, context));
    expect(assessments).toBe(1);
    expect(JSON.parse(encoded.json).warnings.length).toBeGreaterThan(0);
  });
});
