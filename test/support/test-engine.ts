// Test support: a stand-in Docker Engine API on a unix socket (or HTTPS with client certificates),
// answering /nodes with real Swarm payloads.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Handler, SeenRequest } from './test-server';
import { sendJson, swarmFixtureText } from './test-server';

export interface FakeEngine {
  /** Unix socket path, when listening on one. */
  socketPath: string | null;
  /** https://host:port when listening with TLS. */
  url: string | null;
  requests: SeenRequest[];
  /** Replaces the /nodes handler (everything else answers 404). */
  nodes(handler: Handler): void;
  close(): Promise<void>;
}

/** Serves a captured payload verbatim, as the daemon sent it. */
export const swarmPayload =
  (name: string): Handler =>
  (_req, res) => {
    const text = swarmFixtureText(name);
    if (name === 'swarm-nodes-no-leader.json') {
      const { status, body } = JSON.parse(text) as { status: number; body: unknown };
      return sendJson(res, status, body);
    }
    sendJson(res, 200, text);
  };

/** What `/info` says on manager 1 of the captured swarm, leader or not (it needs none). */
function infoOf(nodesPayload: string) {
  const nodes = JSON.parse(nodesPayload) as {
    ID: string;
    Description: { Hostname: string };
    ManagerStatus?: { Addr: string };
  }[];
  const self = nodes.find((n) => n.Description.Hostname === 'dhc-manager-1');
  return {
    Name: 'dhc-manager-1',
    Swarm: {
      NodeID: self?.ID,
      ControlAvailable: true,
      Error: '',
      RemoteManagers: nodes.flatMap((n) =>
        n.ManagerStatus ? [{ NodeID: n.ID, Addr: n.ManagerStatus.Addr }] : [],
      ),
    },
  };
}

export interface FakeEngineOptions {
  /** Serve HTTPS on 127.0.0.1 and require a client certificate signed by `clientCa`. */
  tls?: { cert: string; key: string; clientCa: string };
  host?: string;
  port?: number;
}

export async function startFakeEngine(options: FakeEngineOptions = {}): Promise<FakeEngine> {
  let nodesHandler: Handler = swarmPayload('swarm-nodes.json');
  const requests: SeenRequest[] = [];
  const listener = (req: Parameters<Handler>[0], res: Parameters<Handler>[1]) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      });
      const url = (req.url ?? '').replace(/^\/v\d+\.\d+(?=\/)/, '');
      if (url === '/nodes') return nodesHandler(req, res, body);
      if (url === '/_ping') return sendJson(res, 200, 'OK');
      if (url === '/info') return sendJson(res, 200, infoOf(swarmFixtureText('swarm-nodes.json')));
      if (url.startsWith('/containers/json')) return sendJson(res, 200, []);
      sendJson(res, 404, { message: `page not found` });
    });
  };
  const { tls } = options;
  const server: Server = tls
    ? createHttpsServer(
        {
          cert: tls.cert,
          key: tls.key,
          ca: tls.clientCa,
          requestCert: true,
          rejectUnauthorized: true,
        },
        listener,
      )
    : createHttpServer(listener);
  const dir = tls ? null : mkdtempSync(path.join(tmpdir(), 'fake-engine-'));
  const socketPath = dir ? path.join(dir, 'docker.sock') : null;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (socketPath) server.listen(socketPath, resolve);
    else server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address();
  const url =
    tls && typeof address === 'object' && address
      ? `https://${options.host ?? '127.0.0.1'}:${address.port}`
      : null;
  return {
    socketPath,
    url,
    requests,
    nodes(handler) {
      nodesHandler = handler;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          if (dir) rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
