// DTR adapter: replica list and cluster view from the admin API, per-replica /_ping probes.
import 'server-only';
import { isIP } from 'node:net';
import type { z } from 'zod';
import type { DtrTarget } from '@/lib/config';
import type {
  DtrCacheConfig,
  DtrClusterView,
  DtrReplicaConfig,
  DtrStorage,
  ProbeResult,
} from '@/lib/domain/types';
import {
  clusterStatusSchema,
  cacheErrorSchema,
  contentCachesSchema,
  pingSchema,
  reshapeClusterStatus,
  reshapeContentCaches,
  reshapeSettings,
  settingsSchema,
} from './dtr-schemas';
import { bodySnippet, originOrder, probeFailure, withFallback } from './fallback';
import { SourceError } from './errors';
import {
  httpRequest,
  originOf,
  requestJson,
  type HttpResponse,
  type SourceClientOptions,
  type TlsSettings,
} from './http';
import { isPort, sanitizeReason } from './upstream-values';

/** Where one replica can be reached directly. */
export interface ReplicaEndpoint {
  id: string;
  address: string;
  httpPort: number;
  httpsPort: number;
}

export interface DtrClient {
  /** The replica list and image storage, both from `/api/v0/meta/settings` (one request). */
  getReplicas(): Promise<{
    replicas: DtrReplicaConfig[];
    reportedBy: string | null;
    storage: DtrStorage;
  }>;
  getClusterView(): Promise<DtrClusterView>;
  /** GET <probeScheme>://address:port/_ping (falls back to /health on 404). Never rejects. */
  probeReplica(address: string, port: number): Promise<ProbeResult>;
  /** Registered content caches (`/api/v0/content_caches`). */
  getContentCaches(): Promise<DtrCacheConfig[]>;
  /** GET <cache host>/v2/: 200 or 401 means the registry is up. Never rejects. */
  probeCache(url: string): Promise<ProbeResult>;
  /** Replicas to ask directly when DTR_URL does not answer, or answers from a minority. */
  useReplicaEndpoints(endpoints: ReplicaEndpoint[]): void;
}

const CLUSTER_STATUS = '/api/v0/meta/cluster_status';

export function createDtrClient(
  target: { dtr: DtrTarget; probeTimeoutMs: number; trustMemberOrigins?: boolean },
  options: SourceClientOptions = {},
): DtrClient {
  const now = options.now ?? (() => new Date());
  const { dtr, probeTimeoutMs: timeoutMs } = target;
  const base = new URL(dtr.url);
  const primary = base.origin;
  // API calls keep DTR_URL's scheme: basic-auth credentials never go out over plain HTTP unless DTR_URL is.
  const apiScheme = base.protocol === 'https:' ? 'https' : 'http';
  const tls: TlsSettings = { insecureTls: dtr.insecureTls, ...(dtr.ca ? { ca: dtr.ca } : {}) };
  // Replicas serve the certificate of the DTR URL: verify it against that name, not the IP dialled.
  const memberTls: TlsSettings = isIP(base.hostname) ? tls : { ...tls, servername: base.hostname };
  // Basic credentials go to DTR_URL's origin. A replica's own address (named by the cluster)
  // gets them only over verified HTTPS pinned to DTR_URL's host name (see ucp.ts).
  const membersMayAuthenticate =
    target.trustMemberOrigins === true ||
    (apiScheme === 'https' && !dtr.insecureTls && !isIP(base.hostname));
  const authorization = `Basic ${Buffer.from(`${dtr.username}:${dtr.password}`).toString('base64')}`;

  let preferred: string | null = null;
  let replicaByOrigin = new Map<string, string>();

  const getAt = <T>(origin: string, path: string, schema: z.ZodType<T>) =>
    requestJson(
      {
        method: 'GET',
        url: origin + path,
        headers: { authorization },
        timeoutMs,
        tls: origin === primary ? tls : memberTls,
      },
      schema,
    );

  async function get<T>(path: string, schema: z.ZodType<T>): Promise<{ value: T; origin: string }> {
    const result = await withFallback(
      originOrder(preferred, primary, membersMayAuthenticate ? [...replicaByOrigin.keys()] : []),
      (origin) => getAt(origin, path, schema),
    );
    preferred = result.origin === primary ? null : result.origin;
    return result;
  }

  /** The first writable view among the other replicas' own views, asked concurrently. */
  async function majorityView(except: string): Promise<DtrClusterView | null> {
    if (!membersMayAuthenticate) return null;
    const others = [...replicaByOrigin].filter(([origin]) => origin !== except);
    const views = await Promise.allSettled(
      others.map(async ([origin, id]) =>
        reshapeClusterStatus(await getAt(origin, CLUSTER_STATUS, clusterStatusSchema), id),
      ),
    );
    for (const v of views) {
      if (v.status === 'fulfilled' && v.value.tablesReadyForWrites === true) return v.value;
    }
    return null;
  }

  async function fetchHealth(
    origin: string,
    path: string,
    budgetMs: number,
  ): Promise<HttpResponse> {
    if (budgetMs < 1)
      throw new SourceError('timeout', `no answer within ${timeoutMs} ms from ${origin}`);
    return httpRequest({
      method: 'GET',
      url: origin + path,
      timeoutMs: budgetMs,
      tls: memberTls,
      probe: true,
    });
  }

  return {
    async getReplicas() {
      return reshapeSettings((await get('/api/v0/meta/settings', settingsSchema)).value);
    },

    async getClusterView() {
      const { value, origin } = await get(CLUSTER_STATUS, clusterStatusSchema);
      const view = reshapeClusterStatus(value, replicaByOrigin.get(origin) ?? null);
      if (view.tablesReadyForWrites !== false) return view;
      // The replica that answered cannot write: quorum is lost, or that replica is the one cut
      // off and sees everyone else gone. Another replica's view tells the two apart.
      return (await majorityView(origin)) ?? view;
    },

    async probeReplica(address, port) {
      const origin = originOf(dtr.probeScheme, address, port);
      const started = performance.now();
      let path = '/_ping';
      let res: HttpResponse;
      try {
        res = await fetchHealth(origin, path, timeoutMs);
        if (res.status === 404) {
          // DTR ≤ 2.4 only knows /health. One probe stays within one timeout.
          path = '/health';
          res = await fetchHealth(
            origin,
            path,
            Math.floor(timeoutMs - (performance.now() - started)),
          );
        }
      } catch (err) {
        return probeFailure(err, now().toISOString());
      }
      return judgePing(res, path, now().toISOString());
    },

    async getContentCaches() {
      return reshapeContentCaches((await get('/api/v0/content_caches', contentCachesSchema)).value);
    },

    async probeCache(url) {
      let probeUrl: string;
      try {
        probeUrl = cacheProbeUrl(url);
      } catch {
        return {
          status: 'unknown',
          error: `cannot probe: "${url}" is not a usable cache address`,
          latencyMs: null,
          checkedAt: now().toISOString(),
        };
      }
      try {
        const res = await httpRequest({
          method: 'GET',
          url: probeUrl,
          timeoutMs,
          tls,
          probe: true,
        });
        return judgeCache(res, now().toISOString());
      } catch (err) {
        return probeFailure(err, now().toISOString());
      }
    },

    useReplicaEndpoints(endpoints) {
      // An endpoint whose address or port no URL can carry is skipped, never thrown on: one bad
      // member must not stop the poll that calls this.
      replicaByOrigin = new Map(
        endpoints.flatMap((e): [string, string][] => {
          try {
            const port = apiScheme === 'https' ? e.httpsPort : e.httpPort;
            return isPort(port) ? [[originOf(apiScheme, e.address, port), e.id]] : [];
          } catch {
            return [];
          }
        }),
      );
    },
  };
}

/** A replica's /_ping answer: 200 + Healthy is healthy; anything else says why not. */
export function judgePing(res: HttpResponse, path: string, checkedAt: string): ProbeResult {
  const latencyMs = res.latencyMs;
  const unhealthy = (error: string, kind: 'failing' | 'garbage' = 'failing'): ProbeResult => ({
    status: 'unhealthy',
    kind,
    error,
    latencyMs,
    checkedAt,
  });
  let body: z.infer<typeof pingSchema> | null = null;
  try {
    const parsed = pingSchema.safeParse(JSON.parse(res.body));
    if (parsed.success) body = parsed.data;
  } catch {
    // not JSON: judged below
  }
  // Not a DTR health answer (a proxy's 502, a 404, a login page): the member's front end answers,
  // but says nothing of the replica's own health.
  if (res.status !== 200 && res.status !== 503) {
    const detail = body?.Error ? sanitizeReason(body.Error) : bodySnippet(res.body);
    return unhealthy(
      `${path} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`,
      'garbage',
    );
  }
  if (!body) return unhealthy(`malformed ${path} response`, 'garbage');
  const healthy = body.Healthy ?? body.Health;
  if (res.status === 200 && healthy === true)
    return { status: 'healthy', kind: 'ok', error: null, latencyMs, checkedAt };
  return unhealthy(
    (body.Error && sanitizeReason(body.Error)) ||
      `${path} reports unhealthy (HTTP ${res.status}) without an error text`,
  );
}

/** `<host>/v2/` for a cache host as registered: a URL, or a bare `host[:port]` (HTTPS assumed). */
export function cacheProbeUrl(host: string): string {
  const trimmed = host.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  const url = new URL(withScheme);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`unsupported scheme ${url.protocol}`);
  return `${url.origin}/v2/`;
}

/** A cache's `/v2/` answer: 200 (open) or 401 (asks for a token) means the registry is serving. */
export function judgeCache(res: HttpResponse, checkedAt: string): ProbeResult {
  if (res.status === 200 || res.status === 401)
    return { status: 'healthy', kind: 'ok', error: null, latencyMs: res.latencyMs, checkedAt };
  let detail = '';
  try {
    const parsed = cacheErrorSchema.safeParse(JSON.parse(res.body));
    if (parsed.success) detail = sanitizeReason(parsed.data.errors?.[0]?.message ?? '');
  } catch {
    // not JSON: fall back to the body's first line
  }
  detail ||= bodySnippet(res.body);
  return {
    status: 'unhealthy',
    kind: 'failing',
    error: `/v2/ answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`,
    latencyMs: res.latencyMs,
    checkedAt,
  };
}
