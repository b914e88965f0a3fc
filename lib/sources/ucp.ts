// UCP / MKE adapter: login, node inventory, per-manager /_ping, installed DTR version.
import 'server-only';
import { isIP } from 'node:net';
import type { z } from 'zod';
import type { UcpTarget } from '@/lib/config';
import type { ProbeResult } from '@/lib/domain/types';
import { bodySnippet, originOrder, probeFailure, withFallback } from './fallback';
import { hostPort, SourceError, statusError } from './errors';
import {
  httpRequest,
  memberOrigin,
  originOf,
  parseJson,
  requestJson,
  type SourceClientOptions,
  type TlsSettings,
} from './http';
import { readDtrRuntimes, reshapeNodes, swarmNodesSchema } from './engine-schemas';
import type { ClusterInventory } from './inventory';
import { loginResponseSchema } from './ucp-schemas';

export interface UcpClient extends ClusterInventory {
  readonly kind: 'ucp';
  /** POST /auth/login; the token is kept and reused until UCP answers 401. */
  login(): Promise<void>;
  /** GET /_ping on one manager's own address (not through the load balancer). */
  readonly pingManager: (host: string) => Promise<ProbeResult>;
}

/**
 * After UCP rejects the password, it is not sent again for this long: polling every few seconds
 * with a wrong password would lock the service account wherever failed logins are counted (LDAP).
 */
export const LOGIN_RETRY_AFTER_REJECTION_MS = 60_000;

export function createUcpClient(
  target: { ucp: UcpTarget; probeTimeoutMs: number; trustMemberOrigins?: boolean },
  options: SourceClientOptions = {},
): UcpClient {
  const now = options.now ?? (() => new Date());
  const base = new URL(target.ucp.url);
  const scheme = base.protocol === 'https:' ? 'https' : 'http';
  const port = Number(base.port || (scheme === 'https' ? 443 : 80));
  const primary = base.origin;
  const timeoutMs = target.probeTimeoutMs;
  const tls: TlsSettings = {
    insecureTls: target.ucp.insecureTls,
    ...(target.ucp.ca ? { ca: target.ucp.ca } : {}),
  };
  // Managers serve the same certificate as the UCP URL: verify it against that name, not the IP dialled.
  const memberTls: TlsSettings = isIP(base.hostname) ? tls : { ...tls, servername: base.hostname };
  const tlsFor = (origin: string) => (origin === primary ? tls : memberTls);
  // The token and the password go to UCP_URL's origin. A manager's own address (from /nodes,
  // i.e. named by the cluster) gets them only when TLS proves it is that same UCP: verified
  // HTTPS against UCP_URL's host name. Never over plain HTTP, to an IP, or with verification off.
  const membersMayAuthenticate =
    target.trustMemberOrigins === true ||
    (scheme === 'https' && !target.ucp.insecureTls && !isIP(base.hostname));
  const members = () => (membersMayAuthenticate ? managerOrigins : []);

  let token: string | null = null;
  let preferred: string | null = null;
  let managerOrigins: string[] = [];
  let rejected: { error: SourceError; atMs: number } | null = null;

  async function loginAt(origin: string): Promise<string> {
    const url = `${origin}/auth/login`;
    if (rejected && performance.now() - rejected.atMs < LOGIN_RETRY_AFTER_REJECTION_MS)
      throw rejected.error;
    const res = await httpRequest({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: target.ucp.username, password: target.ucp.password }),
      timeoutMs,
      tls: tlsFor(origin),
    });
    if (res.status === 401 || res.status === 403) {
      const error = new SourceError(
        'auth',
        `UCP rejected the console's credentials (${res.status}) at ${hostPort(new URL(url))}: check UCP_USERNAME and UCP_PASSWORD (the console tries again once a minute)`,
        res.status,
      );
      rejected = { error, atMs: performance.now() };
      throw error;
    }
    rejected = null;
    if (res.status < 200 || res.status > 299) throw statusError(res.status, 'POST', url);
    token = parseJson(
      res.body,
      loginResponseSchema,
      `POST /auth/login at ${hostPort(new URL(url))}`,
    ).auth_token;
    return token;
  }

  async function getAt<T>(origin: string, path: string, schema: z.ZodType<T>): Promise<T> {
    const send = (bearer: string) =>
      requestJson(
        {
          method: 'GET',
          url: origin + path,
          headers: { authorization: `Bearer ${bearer}` },
          timeoutMs,
          tls: tlsFor(origin),
        },
        schema,
      );
    const bearer = token ?? (await loginAt(origin));
    try {
      return await send(bearer);
    } catch (err) {
      if (!(err instanceof SourceError && err.status === 401)) throw err;
      // Tokens expire: log in again, once. A concurrent call may already have done it.
      const fresh = token !== null && token !== bearer ? token : await loginAt(origin);
      return send(fresh);
    }
  }

  async function get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const { value, origin } = await withFallback(originOrder(preferred, primary, members()), (o) =>
      getAt(o, path, schema),
    );
    preferred = origin === primary ? null : origin;
    return value;
  }

  return {
    kind: 'ucp',

    async login() {
      const { origin } = await withFallback(originOrder(preferred, primary, members()), loginAt);
      preferred = origin === primary ? null : origin;
    },

    async listNodes() {
      const nodes = reshapeNodes(await get('/nodes', swarmNodesSchema));
      const managers = nodes.filter((n) => n.role === 'manager' && n.addr !== null);
      managerOrigins = managers.flatMap((n) => {
        try {
          return [originOf(scheme, n.addr as string, port)];
        } catch {
          return [];
        }
      });
      return nodes;
    },

    async pingManager(host) {
      let res;
      try {
        res = await httpRequest({
          method: 'GET',
          url: `${memberOrigin(target.ucp.url, host)}/_ping`,
          timeoutMs,
          tls: memberTls,
          probe: true,
        });
      } catch (err) {
        return probeFailure(err, now().toISOString());
      }
      const checkedAt = now().toISOString();
      if (res.status === 200)
        return { status: 'healthy', kind: 'ok', error: null, latencyMs: res.latencyMs, checkedAt };
      const detail = bodySnippet(res.body);
      return {
        status: 'unhealthy',
        kind: 'failing',
        error: `UCP /_ping answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`,
        latencyMs: res.latencyMs,
        checkedAt,
      };
    },

    dtrRuntimes: () => readDtrRuntimes(get),
  };
}
