// Serves GET /api/nodes: one page of the full inventory of the current snapshot, filtered and
// sorted on the server (lib/domain/node-page), with an ETag per snapshot and query.
import 'server-only';
import { createHash } from 'node:crypto';
import { nodePage, parseNodePageRequest } from '@/lib/domain/node-page';
import { nodeRows, type NodeRow } from '@/lib/domain/node-rows';
import type { ClusterStatus } from '@/lib/domain/types';
import { apiError } from '@/lib/http/errors';
import { getClusterStatus, matchesIfNoneMatch, type StatusContext } from './status';

const DEFAULT_ZONE_LABEL = 'zone';
const rowsOf = new WeakMap<ClusterStatus, NodeRow[]>();

/** Every node of a status with its zone and what-if, built once per snapshot. */
export function inventoryRows(status: ClusterStatus): NodeRow[] {
  let rows = rowsOf.get(status);
  if (!rows) {
    rows = nodeRows(status, status.zoneLabel ?? DEFAULT_ZONE_LABEL);
    rowsOf.set(status, rows);
  }
  return rows;
}

export async function nodesResponse(request: Request, runtime: StatusContext): Promise<Response> {
  const status = await getClusterStatus(runtime);
  const parsed = parseNodePageRequest(
    new URL(request.url).searchParams,
    status.zoneLabel ?? DEFAULT_ZONE_LABEL,
  );
  if ('error' in parsed)
    return apiError(400, 'bad_request', parsed.error, { 'cache-control': 'no-store' });
  const page = nodePage(inventoryRows(status), parsed.request, status);
  const bytes = Buffer.from(JSON.stringify(page), 'utf8');
  const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
  const headers = { 'content-type': 'application/json', 'cache-control': 'no-store', etag };
  if (matchesIfNoneMatch(request.headers.get('if-none-match'), etag))
    return new Response(null, { status: 304, headers });
  return new Response(bytes, { headers });
}
