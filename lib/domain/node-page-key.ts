// What the browser needs of GET /api/nodes (node-page.ts): its limits, its page shape and the
// nodes page's fetch key. Apart from node-page.ts, which validates cursors with zod: a client
// module importing these would otherwise ship zod (~30 kB gzip) to every page that lists nodes.
import { DEFAULT_QUERY, nodeQueryString, type NodeQuery } from './node-query';
import type { NodeRow } from './node-rows';
import type { Quorum } from './types';

export const DEFAULT_NODE_LIMIT = 100;
export const MAX_NODE_LIMIT = 500;
/** Nodes per request on the nodes page: a few screens of rows, a small part of a large inventory. */
export const NODE_PAGE_SIZE = 100;

/** The parameters GET /api/nodes understands. */
export const NODE_PAGE_PARAMS = [
  'q',
  'role',
  'state',
  'availability',
  'zone',
  'hosts',
  'label',
  'sort',
  'dir',
  'node',
  'limit',
  'cursor',
] as const;

/** One page of the inventory, as GET /api/nodes serves it. */
export interface NodePage {
  generatedAt: string;
  /** Both quorums in the snapshot the items come from: what each item's what-if compares with. */
  current: { dtr: Quorum; ucp: Quorum };
  /** Nodes matching the filters (all pages). */
  total: number;
  /** The whole inventory, whatever the filters. */
  inventory: number;
  items: NodeRow[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /**
   * With `node=<hostname>`: where that node is in the filtered, sorted list (`index`, null when
   * the filters hide it), and whether the inventory has it at all.
   */
  highlight?: { hostname: string; known: boolean; index: number | null };
}

/** The query string of a page request (the nodes page's fetch key). */
export function nodePageSearch(query: NodeQuery, limit: number, cursor: string | null): string {
  const params = new URLSearchParams(nodeQueryString(query).replace(/^\?/, ''));
  // The server's own default order is the page's default: only a changed sort is sent.
  if (query.sort === DEFAULT_QUERY.sort && query.dir === DEFAULT_QUERY.dir) {
    params.delete('sort');
    params.delete('dir');
  }
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return `?${params.toString()}`;
}

/** The nodes page's fetch key for page `index` of `query` (SWR infinite; the server seeds page 0). */
export function nodePageKey(query: NodeQuery) {
  return (index: number, previous: Pick<NodePage, 'nextCursor'> | null): string | null => {
    if (index > 0 && (!previous || !previous.nextCursor)) return null;
    return `/api/nodes${nodePageSearch(query, NODE_PAGE_SIZE, previous?.nextCursor ?? null)}`;
  };
}
