// GET /api/nodes: the full inventory filtered, sorted and paged on the server with the nodes page's
// own query (node-query.ts) and order (node-rows.ts). Cursors are keyset positions (the last row's
// sort value, hostname and ID), so a cursor from an older snapshot keeps working: the next page
// starts after that position in the current inventory. A cursor is tied to its filter and sort.
import { z } from 'zod';
import {
  DEFAULT_QUERY,
  nodeQueryString,
  parseNodeQuery,
  type NodeQuery,
  type SortDir,
  type SortKey,
} from './node-query';
import {
  comparePositions,
  positionOf,
  visibleRows,
  type NodeRow,
  type SortPosition,
} from './node-rows';
import { currentQuorums, type PlacementInput } from './placement';
import type { Quorum } from './types';
import {
  DEFAULT_NODE_LIMIT,
  MAX_NODE_LIMIT,
  NODE_PAGE_PARAMS,
  type NodePage,
} from './node-page-key';

export * from './node-page-key';

export interface NodePageRequest {
  query: NodeQuery;
  limit: number;
  /** Where the previous page ended; null for the first page. */
  after: SortPosition | null;
}

/** The filter and sort a cursor belongs to: a short hash of their canonical query string. */
function fingerprint(query: NodeQuery): string {
  const text = nodeQueryString({ ...query, node: null, sort: query.sort, dir: query.dir });
  // FNV-1a, 32 bits: enough to tell a cursor of another query from one of this one.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${query.sort}.${query.dir}.${hash.toString(36)}`;
}

// Built on first use, not at module level: the browser imports this module for its constants and
// page keys, and a schema built at load would keep zod (~27 kB gzip) in every page that does.
const cursorSchema = () =>
  z.object({
    f: z.string(),
    v: z.union([z.string(), z.number(), z.array(z.number()), z.null()]),
    h: z.string(),
    i: z.string(),
  });
let cursorParser: ReturnType<typeof cursorSchema> | null = null;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(
    Uint8Array.from(binary, (c) => c.charCodeAt(0)),
  );
}

export function encodeCursor(query: NodeQuery, position: SortPosition): string {
  return toBase64Url(
    JSON.stringify({
      f: fingerprint(query),
      v: position.value,
      h: position.hostname,
      i: position.id,
    }),
  );
}

/** Reads a cursor, or says in a sentence why it cannot be used with this query. */
export function decodeCursor(
  cursor: string,
  query: NodeQuery,
): { position: SortPosition } | { error: string } {
  let parsed: z.infer<ReturnType<typeof cursorSchema>>;
  try {
    if (!/^[\w-]+$/.test(cursor) || cursor.length > 2048) throw new Error('not base64url');
    cursorParser ??= cursorSchema();
    parsed = cursorParser.parse(JSON.parse(fromBase64Url(cursor)));
  } catch {
    return {
      error:
        'The cursor is not one this console issued: pass nextCursor from the previous page unchanged, or leave cursor out to start from the first page.',
    };
  }
  if (parsed.f !== fingerprint(query))
    return {
      error:
        'The cursor belongs to another filter or sort: keep the parameters of the page it came from, or leave cursor out to start from the first page.',
    };
  return { position: { value: parsed.v, hostname: parsed.h, id: parsed.i } };
}

interface Reader {
  get(name: string): string | null;
  keys(): Iterable<string>;
}

/**
 * The request from GET /api/nodes's search params; unlike the page's lenient reading of its URL,
 * any parameter that is unknown or not valid is an error sentence (the route answers 400).
 */
export function parseNodePageRequest(
  params: Reader,
  zoneLabel: string,
): { request: NodePageRequest } | { error: string } {
  const known: readonly string[] = NODE_PAGE_PARAMS;
  for (const name of params.keys())
    if (!known.includes(name))
      return {
        error: `Unknown parameter ${name.slice(0, 40)}: GET /api/nodes takes ${NODE_PAGE_PARAMS.join(', ')}.`,
      };
  const { query, notices } = parseNodeQuery(params, zoneLabel);
  if (notices.length > 0)
    return { error: notices.map((n) => n.replace(/^Ignored/, 'Bad')).join(' ') };

  let limit = DEFAULT_NODE_LIMIT;
  const rawLimit = params.get('limit');
  if (rawLimit !== null) {
    if (!/^\d{1,6}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_NODE_LIMIT)
      return {
        error: `Bad limit=${rawLimit.slice(0, 40)}: limit is a whole number of nodes from 1 to ${MAX_NODE_LIMIT} (default ${DEFAULT_NODE_LIMIT}).`,
      };
    limit = Number(rawLimit);
  }

  let after: SortPosition | null = null;
  const cursor = params.get('cursor');
  if (cursor !== null && cursor !== '') {
    const decoded = decodeCursor(cursor, query);
    if ('error' in decoded) return decoded;
    after = decoded.position;
  }
  return { request: { query, limit, after } };
}

/** The first index in `sorted` that comes after `position` (binary search: sorted is in order). */
function startAfter(
  sorted: readonly NodeRow[],
  position: SortPosition,
  sort: SortKey,
  dir: SortDir,
): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const row = sorted[mid] as NodeRow;
    if (comparePositions(positionOf(row, sort), position, dir) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** One page of `rows` (every node of `snapshot`, with its zone and what-if). */
export function nodePage(
  rows: readonly NodeRow[],
  request: NodePageRequest,
  snapshot: PlacementInput & { generatedAt: string },
): NodePage {
  const generatedAt = snapshot.generatedAt;
  const { query, limit, after } = request;
  const sorted = visibleRows(rows, query);
  const start = after ? startAfter(sorted, after, query.sort, query.dir) : 0;
  const items = sorted.slice(start, start + limit);
  const last = items[items.length - 1];
  const more = start + items.length < sorted.length;
  const page: NodePage = {
    generatedAt,
    current: currentQuorums(snapshot),
    total: sorted.length,
    inventory: rows.length,
    items,
    nextCursor: more && last ? encodeCursor(query, positionOf(last, query.sort)) : null,
  };
  if (query.node !== null) {
    const hostname = query.node;
    const index = sorted.findIndex((row) => row.node.hostname === hostname);
    page.highlight = {
      hostname,
      known: index >= 0 || rows.some((row) => row.node.hostname === hostname),
      index: index >= 0 ? index : null,
    };
  }
  return page;
}
