import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '@/test/support/snapshot';
import { DEFAULT_QUERY, type NodeQuery } from './node-query';
import {
  encodeCursor,
  MAX_NODE_LIMIT,
  nodePage,
  parseNodePageRequest,
  type NodePageRequest,
} from './node-page';
import { nodeRows, positionOf, type NodeRow } from './node-rows';
import { currentQuorums } from './placement';
import type { ClusterNode } from './types';

const snapshot = (workers: number, nodes: Record<string, Partial<ClusterNode>> = {}) => {
  const zones: Record<string, string> = {};
  for (let i = 1; i <= workers; i++) zones[`worker-${i}`] = 'abc'[i % 3] as string;
  return buildSnapshot({ workers, zones, nodes });
};
const SNAPSHOT = snapshot(2000, {
  'worker-77': { state: 'down' },
  'worker-1500': { state: 'down' },
});

const parse = (search: string) => parseNodePageRequest(new URLSearchParams(search), 'zone');

function request(search: string): NodePageRequest {
  const parsed = parse(search);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.request;
}

/** Every page of a query, following nextCursor. */
function walk(rows: readonly NodeRow[], search: string): string[] {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page = nodePage(rows, request(cursor ? `${search}&cursor=${cursor}` : search), SNAPSHOT);
    seen.push(...page.items.map((r) => r.node.hostname));
    cursor = page.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('the walk did not end');
}

describe('GET /api/nodes paging', () => {
  const rows = nodeRows(SNAPSHOT, 'zone');

  it('walks every node exactly once, in the table order, for every sort', () => {
    for (const sort of ['hostname', 'zone', 'what-if', 'state', 'resources'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const seen = walk(rows, `limit=137&sort=${sort}&dir=${dir}`);
        expect(seen).toHaveLength(rows.length);
        expect(new Set(seen).size).toBe(rows.length);
        const all = nodePage(
          rows,
          request(`limit=${MAX_NODE_LIMIT}&sort=${sort}&dir=${dir}`),
          SNAPSHOT,
        );
        expect(seen.slice(0, all.items.length)).toEqual(all.items.map((r) => r.node.hostname));
      }
    }
  });

  it('filters on the server: total counts every match, items only one page', () => {
    const page = nodePage(rows, request('state=down&limit=1'), SNAPSHOT);
    expect(page.total).toBe(2);
    expect(page.inventory).toBe(rows.length);
    expect(page.current).toEqual(currentQuorums(SNAPSHOT));
    expect(page.items.map((r) => r.node.hostname)).toEqual(['worker-77']);
    expect(walk(rows, 'state=down&limit=1')).toEqual(['worker-77', 'worker-1500']);
    // Search finds a worker deep in the inventory.
    expect(
      nodePage(rows, request('q=worker-1999'), SNAPSHOT).items.map((r) => r.node.hostname),
    ).toEqual(['worker-1999']);
    const zoneB = nodePage(rows, request('zone=b&role=worker&hosts=none&limit=500'), SNAPSHOT);
    expect(zoneB.total).toBe(
      rows.filter((r) => r.zone === 'b' && r.node.role === 'worker' && r.node.hosts.length === 0)
        .length,
    );
    expect(zoneB.items.every((r) => r.zone === 'b')).toBe(true);
  });

  it('sorts worst what-if first: the members whose loss costs margin lead', () => {
    const page = nodePage(rows, request('sort=what-if&limit=5'), SNAPSHOT);
    const first = page.items[0];
    expect(first?.node.hosts.length).toBeGreaterThan(0);
    expect(page.items.map((r) => r.node.hostname)).not.toContain('worker-1');
  });

  it('keeps a cursor working on a newer snapshot: the next page starts after the same position', () => {
    const first = nodePage(rows, request('limit=100'), SNAPSHOT);
    const last = first.items[first.items.length - 1] as NodeRow;
    // The next snapshot lost the last node of that page; the walk goes on from where it stood.
    const newer = rows.filter((r) => r.node.hostname !== last.node.hostname);
    const next = nodePage(newer, request(`limit=100&cursor=${first.nextCursor}`), SNAPSHOT);
    const whole = nodePage(newer, request('limit=500'), SNAPSHOT).items.map((r) => r.node.hostname);
    const at = whole.indexOf(next.items[0]?.node.hostname ?? '');
    expect(whole.slice(0, at)).toEqual(
      first.items.map((r) => r.node.hostname).filter((h) => h !== last.node.hostname),
    );
  });

  it('tells where a highlighted node is, and whether the filters hide it', () => {
    expect(nodePage(rows, request('node=worker-1500&state=down'), SNAPSHOT).highlight).toEqual({
      hostname: 'worker-1500',
      known: true,
      index: 1,
    });
    expect(nodePage(rows, request('node=worker-3&state=down'), SNAPSHOT).highlight).toEqual({
      hostname: 'worker-3',
      known: true,
      index: null,
    });
    expect(nodePage(rows, request('node=gone'), SNAPSHOT).highlight?.known).toBe(false);
  });

  it('answers bad parameters with a sentence', () => {
    const error = (search: string) => {
      const parsed = parse(search);
      return 'error' in parsed ? parsed.error : null;
    };
    expect(error('limit=0')).toMatch(/limit is a whole number of nodes from 1 to 500/);
    expect(error('limit=501')).toMatch(/from 1 to 500/);
    expect(error('limit=ten')).toMatch(/Bad limit=ten/);
    expect(error('state=sleepy')).toMatch(/state is one of ready, down, unknown, disconnected/);
    expect(error('sort=colour')).toMatch(/sort is one of/);
    expect(error('page=2')).toMatch(/Unknown parameter page: GET \/api\/nodes takes q, role/);
    expect(error('cursor=!!!')).toMatch(/not one this console issued/);
    expect(error('cursor=eyJmIjoxfQ')).toMatch(/not one this console issued/);
    // A cursor of another sort or filter is refused, not silently misread.
    const byZone: NodeQuery = { ...DEFAULT_QUERY, sort: 'zone' };
    const cursor = encodeCursor(byZone, positionOf(rows[0] as NodeRow, 'zone'));
    expect(error(`sort=zone&cursor=${cursor}`)).toBeNull();
    expect(error(`cursor=${cursor}`)).toMatch(/belongs to another filter or sort/);
    expect(error(`sort=zone&state=down&cursor=${cursor}`)).toMatch(/another filter or sort/);
    expect(error('')).toBeNull();
  });
});
