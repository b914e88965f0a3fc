// Builds the GET /api/status document: the monitor's latest snapshot plus the assessment, and
// serves it as bytes prepared once per snapshot, with an ETag.
import 'server-only';
import { createHash } from 'node:crypto';
import { assessCluster } from '@/lib/domain/assess';
import { apiError } from '@/lib/http/errors';
import { slimStatus } from '@/lib/domain/status-document';
import type { ClusterSnapshot, ClusterStatus, Warning } from '@/lib/domain/types';
import type { Config, ClusterTarget } from '@/lib/config';
import type { SnapshotFeed } from '@/lib/monitor/feed';
import type { CommandOptions } from './command-options';
import type { HistoryRecorder } from './history';

/** What the assessment needs of the runtime (alerting gets it before the runtime exists). */
export interface AssessContext {
  config: Config;
  target: ClusterTarget;
  /** Set in demo mode: commands name the demo's `admin`. */
  demo: unknown;
  commands: CommandOptions;
  history: Pick<HistoryRecorder, 'restoreSince'>;
}

/** What the status needs of the runtime. */
export interface StatusContext extends AssessContext {
  monitor: Pick<SnapshotFeed, 'latest' | 'pollNow'>;
}

/**
 * The console's assessment of a snapshot with its configuration: what /api/status shows and what
 * alerting sends, from one place.
 */
function assessForConsole(
  snapshot: ClusterSnapshot,
  runtime: AssessContext,
): { shown: ClusterSnapshot; warnings: Warning[] } {
  // After a restart, "offline since" comes from history, not from the restart time.
  const shown = runtime.history.restoreSince(snapshot);
  const warnings = assessCluster(shown, {
    now: new Date(snapshot.generatedAt),
    offlineLongMs: runtime.config.offlineLongMs,
    zoneLabel: runtime.config.zoneLabel,
    ucpUrl: runtime.target.ucp?.url ?? null,
    // Commands name a person's admin account: in the demo its `admin`, never the polling account.
    ucpUsername: runtime.demo ? 'admin' : (runtime.target.ucp?.username ?? null),
    ...runtime.commands,
  });
  return { shown, warnings };
}

// Per-snapshot work, kept once per process: Next bundles this module twice (for instrumentation.ts,
// which runs alerting and the status lane, and for the app's routes and pages), and each copy with
// its own maps assessed and encoded every new snapshot again (about 5 ms on 2,000 nodes). The
// snapshots and runtimes are the process's own (lib/server/runtime.ts), so the maps can be too.
const CACHES = Symbol.for('dtr-ha-console.status-caches');
interface StatusCaches {
  assessed: WeakMap<ClusterSnapshot, ClusterStatus>;
  slimmed: WeakMap<ClusterStatus, ClusterStatus>;
  encoded: WeakMap<ClusterStatus, EncodedStatus>;
}
const caches: StatusCaches = ((globalThis as typeof globalThis & { [CACHES]?: StatusCaches })[
  CACHES
] ??= { assessed: new WeakMap(), slimmed: new WeakMap(), encoded: new WeakMap() });
const { assessed, slimmed, encoded: encodedStatuses } = caches;

/** The status of `snapshot`, assessed once however many readers (routes, streams, alerting) ask. */
export function statusOf(snapshot: ClusterSnapshot, runtime: AssessContext): ClusterStatus {
  const cached = assessed.get(snapshot);
  if (cached) return cached;
  const { shown, warnings } = assessForConsole(snapshot, runtime);
  const status: ClusterStatus = {
    ...shown,
    warnings,
    zoneLabel: runtime.config.zoneLabel,
    offlineLongMs: runtime.config.offlineLongMs,
  };
  assessed.set(snapshot, status);
  return status;
}

/** The current status (waiting for the first poll right after a start). */
export async function getClusterStatus(runtime: StatusContext): Promise<ClusterStatus> {
  const snapshot = runtime.monitor.latest() ?? (await runtime.monitor.pollNow());
  return statusOf(snapshot, runtime);
}

/**
 * What clients are served of a status (lib/domain/status-document): the nodes that matter and
 * the counts of all, made once per snapshot. Server-side consumers read the full status instead.
 */
export function servedStatusOf(status: ClusterStatus): ClusterStatus {
  let served = slimmed.get(status);
  if (!served) {
    served = slimStatus(status);
    slimmed.set(status, served);
  }
  return served;
}

/** The status as served to clients (pages seed their live islands with it). */
export async function getServedStatus(runtime: StatusContext): Promise<ClusterStatus> {
  return servedStatusOf(await getClusterStatus(runtime));
}

// ---------------------------------------------------------------------------
// The document as served: serialised and encoded once per snapshot and shape (slim or `?nodes=all`)
// however many clients ask (the full one is about 1 MB of JSON on 2,000 nodes), with an ETag, so a
// client that already has it gets a 304.
//
// Not compressed here: Next 16 drops `content-encoding`, `content-length` and `transfer-encoding`
// from every route handler's Response (FORBIDDEN_HEADERS in next/dist/server/send-response.js), and
// its own gzip (next.config.js `compress`, on by default) then compresses the body again for each
// request. Bytes compressed here would reach the client double-encoded or without their header.
//
// So a small document goes out as it is: `no-transform` keeps Next's gzip (and any proxy's) off it.
// Zipping the same bytes afresh for every browser costs the server more than the bytes save: on the
// 2,000-node bench, 200 browser-like clients a second saw p99 of 41–221 ms gzipped (median of 17
// runs about 110 ms) and 11–164 ms plain (median about 40 ms), for a 17.6 kB document (2.9 kB
// gzipped) that a page reads once and then patches over SSE.
// A bigger one (`?nodes=all`, or a cluster listing many troubled nodes) is still gzipped.

/** Below this many bytes a status document is sent without compression (see above). */
export const PLAIN_BELOW_BYTES = 32 * 1024;

/** Cache-Control of a status document of `bytes` bytes: never stored; small ones never zipped. */
export function statusCacheControl(bytes: number): string {
  return bytes < PLAIN_BELOW_BYTES ? 'no-store, no-transform' : 'no-store';
}

/** What one status is served as. */
export interface EncodedStatus {
  json: string;
  /** The JSON as UTF-8. */
  bytes: Uint8Array;
  /** The ETag: a hash of the bytes. */
  etag: string;
}

export function encodeStatus(status: ClusterStatus): EncodedStatus {
  const json = JSON.stringify(status);
  const bytes = Buffer.from(json, 'utf8');
  const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
  return { json, bytes, etag };
}

function encodedOf(status: ClusterStatus): EncodedStatus {
  let encoded = encodedStatuses.get(status);
  if (!encoded) {
    encoded = encodeStatus(status);
    encodedStatuses.set(status, encoded);
  }
  return encoded;
}

/** The served (slim) status as JSON, serialised once per snapshot however many clients ask. */
export async function getClusterStatusJson(runtime: StatusContext): Promise<string> {
  return encodedOf(await getServedStatus(runtime)).json;
}

/**
 * If-None-Match names this ETag, or is `*`. Compared weakly (RFC 9110 §13.1.2), and with a
 * `-gzip` suffix ignored: proxies that compress (nginx, Apache) mark or extend the tag so.
 */
export function matchesIfNoneMatch(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/-gzip"$/, '"'),
    )
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * The response to GET /api/status: the bytes prepared for the current snapshot (the slim document,
 * or with `?nodes=all` the full one), or a 304 when If-None-Match names them.
 */
export async function statusResponse(request: Request, runtime: StatusContext): Promise<Response> {
  const nodes = new URL(request.url).searchParams.get('nodes');
  if (nodes !== null && nodes !== 'all')
    return apiError(
      400,
      'bad_request',
      `nodes=${nodes.slice(0, 40)} is not understood: leave it out for the document with the nodes that matter, or ask for nodes=all to list every node.`,
      { 'cache-control': 'no-store' },
    );
  const status = await getClusterStatus(runtime);
  const encoded = encodedOf(nodes === 'all' ? status : servedStatusOf(status));
  const headers = statusHeaders(encoded);
  if (matchesIfNoneMatch(request.headers.get('if-none-match'), encoded.etag))
    return new Response(null, { status: 304, headers });
  return new Response(encoded.bytes as Uint8Array<ArrayBuffer>, { headers });
}

/** The route's own headers for an encoded document (the proxy adds the security headers). */
export function statusHeaders(encoded: EncodedStatus): Record<string, string> {
  return {
    'content-type': 'application/json',
    'cache-control': statusCacheControl(encoded.bytes.length),
    etag: encoded.etag,
  };
}

/**
 * The slim document of `snapshot` as served (the same object, bytes and ETag the route serves),
 * for the HTTP server's status lane (lib/server/status-lane.ts).
 */
export function servedEncodingOf(snapshot: ClusterSnapshot, runtime: AssessContext): EncodedStatus {
  return encodedOf(servedStatusOf(statusOf(snapshot, runtime)));
}
