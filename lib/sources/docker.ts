// Docker Engine adapter: the node inventory of a plain Swarm (or of UCP through a client bundle)
// from a manager's Engine API, over its unix socket or TCP with client certificates.
import 'server-only';
import { isIP } from 'node:net';
import type { z } from 'zod';
import type { EngineTarget } from '@/lib/config';
import { bodySnippet, originOrder, withFallback } from './fallback';
import { endpointOf, SourceError } from './errors';
import {
  readDtrRuntimes,
  engineErrorMessage,
  engineInfoSchema,
  managersFromInfo,
  reshapeNodes,
  swarmNodesSchema,
} from './engine-schemas';
import { engineEndpoint } from './engine-endpoint';
import { httpRequest, originOf, parseJson } from './http';
import type { ClusterInventory } from './inventory';

export interface EngineClient extends ClusterInventory {
  readonly kind: 'engine';
  readonly pingManager: null;
}

/** The Engine's answer to a request it could not serve, in words an operator can act on. */
function engineError(status: number, body: string, path: string, endpoint: string): SourceError {
  const said = engineErrorMessage(body)?.replace(/^rpc error: code = \w+ desc = /, '') ?? null;
  const detail = said ?? bodySnippet(body);
  if (status === 500 && /does not have a leader/i.test(said ?? '')) {
    return new SourceError(
      'http',
      `Swarm has no leader (manager quorum lost): ${endpoint} answered GET ${path} with HTTP 500: ${said}`,
      status,
      'no-leader',
    );
  }
  if (status === 503 && /not a swarm manager/i.test(said ?? '')) {
    return new SourceError('http', `${endpoint} is not a Swarm manager: ${said}`, status);
  }
  const auth = status === 401 || status === 403;
  const text = auth
    ? `${endpoint} refused the console's client certificate: HTTP ${status} (GET ${path})`
    : `unexpected HTTP ${status} from ${endpoint} (GET ${path})`;
  return new SourceError(auth ? 'auth' : 'http', detail ? `${text}: ${detail}` : text, status);
}

export function createEngineClient(target: {
  engine: EngineTarget;
  probeTimeoutMs: number;
}): EngineClient {
  const { engine, probeTimeoutMs: timeoutMs } = target;
  const { origin: primary, socketPath, tls } = engineEndpoint(engine);
  const base = new URL(primary);
  // URL drops a scheme's default port: https://ucp.example.com:443 has port "".
  const port = Number(base.port || 443);
  // Other managers serve the certificate of DOCKER_HOST's name: verify against it, not the IP dialled.
  const hostname = base.hostname.replace(/^\[(.*)\]$/, '$1');
  const memberTls = tls && !isIP(hostname) ? { ...tls, servername: hostname } : tls;

  let preferred: string | null = null;
  let managerOrigins: string[] = [];

  async function getAt<T>(origin: string, path: string, schema: z.ZodType<T>): Promise<T> {
    const url = new URL(origin + path);
    const endpoint = origin === primary ? engine.host : endpointOf(url);
    let res;
    try {
      res = await httpRequest({
        method: 'GET',
        url: url.href,
        timeoutMs,
        ...(socketPath ? { socketPath } : {}),
        ...(tls ? { tls: origin === primary ? tls : memberTls } : {}),
      });
    } catch (err) {
      if (err instanceof SourceError && err.kind === 'timeout' && path === '/nodes') {
        throw new SourceError(
          'timeout',
          `${err.message}; a Swarm manager that cannot reach a Raft leader stops answering /nodes`,
        );
      }
      if (err instanceof SourceError && err.kind === 'network' && tls) {
        // Under TLS 1.3 a daemon that refuses the client certificate just closes the connection.
        throw new SourceError(
          'network',
          `${err.message}; if this persists, check that the daemon accepts the client certificate in DOCKER_CERT_PATH`,
        );
      }
      throw err;
    }
    if (res.status < 200 || res.status > 299)
      throw engineError(res.status, res.body, path, endpoint);
    return parseJson(res.body, schema, `GET ${url.pathname} at ${endpoint}`);
  }

  async function get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    // Over a unix socket there is only the one daemon; over TCP other managers may answer.
    const origins = socketPath ? [primary] : originOrder(preferred, primary, managerOrigins);
    const { value, origin } = await withFallback(origins, (o) => getAt(o, path, schema));
    preferred = origin === primary ? null : origin;
    return value;
  }

  return {
    kind: 'engine',
    pingManager: null,

    async listNodes() {
      const nodes = reshapeNodes(await get('/nodes', swarmNodesSchema));
      if (!socketPath) {
        managerOrigins = nodes
          .filter((n) => n.role === 'manager' && n.addr !== null)
          .map((n) => originOf('https', n.addr as string, port));
      }
      return nodes;
    },

    async knownManagers() {
      return managersFromInfo(await get('/info', engineInfoSchema));
    },

    dtrRuntimes: () => readDtrRuntimes(get),
  };
}
