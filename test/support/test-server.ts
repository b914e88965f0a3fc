// Test support: tiny real HTTP servers on loopback addresses, standing in for UCP and DTR members.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { SourceError } from '@/lib/sources/errors';

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export interface TestServer {
  host: string;
  port: number;
  /** http://host:port */
  url: string;
  requests: SeenRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startServer(
  handler: Handler,
  host = '127.0.0.1',
  port = 0,
): Promise<TestServer> {
  let current = handler;
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      });
      current(req, res, body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    host,
    port: boundPort,
    url: `http://${host}:${boundPort}`,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The SourceError a call failed with; throws if it succeeded or failed otherwise. */
export async function sourceFailure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SourceError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** Accepts the request and never answers. */
export const hang: Handler = () => undefined;

/** A port on `host` with nothing listening (connection refused). */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const s = await startServer(hang, host);
  await s.close();
  return s.port;
}

// Copies of the project's reference payloads (shared/fixtures), kept in the repo so tests are self-contained.
const FIXTURES = path.resolve(__dirname, 'fixtures');

export function fixtureText(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

// Unedited /nodes output of real docker.io daemons, captured by test/swarm/swarm.test.ts.
const SWARM_FIXTURES = path.resolve(__dirname, '../swarm/fixtures');

export function swarmFixtureText(name: string): string {
  return readFileSync(path.join(SWARM_FIXTURES, name), 'utf8');
}
