import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SourceError } from './errors';
import { httpRequest, onPeerClose, requestJson } from './http';
import { closedPort, sendJson, startServer, type TestServer } from '@/test/support/test-server';

const TIMEOUT = 200;

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    return err as SourceError;
  }
  throw new Error('expected the request to fail');
}

describe('httpRequest over plain HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/ok') return sendJson(res, 200, { n: 1 });
      if (req.url === '/unavailable') return sendJson(res, 503, { Error: 'down' });
      if (req.url === '/denied') return sendJson(res, 401, {});
      if (req.url === '/garbage') return sendJson(res, 200, '<html>oops');
      if (req.url === '/stalled-body') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"n":');
        return;
      }
      // anything else: accept and never answer
    });
  });
  afterAll(() => server.close());

  it('returns any HTTP status with the body and a latency', async () => {
    const res = await httpRequest({
      method: 'GET',
      url: `${server.url}/unavailable`,
      timeoutMs: TIMEOUT,
    });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ Error: 'down' });
    expect(res.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('times out a peer that accepts and never answers', async () => {
    const started = Date.now();
    const err = await failure(
      httpRequest({ method: 'GET', url: `${server.url}/hang`, timeoutMs: TIMEOUT }),
    );
    expect(Date.now() - started).toBeLessThan(TIMEOUT + 400);
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe(
      `no answer within ${TIMEOUT} ms from 127.0.0.1:${server.port} (GET /hang)`,
    );
  });

  it('times out a body that stops halfway', async () => {
    const err = await failure(
      httpRequest({ method: 'GET', url: `${server.url}/stalled-body`, timeoutMs: TIMEOUT }),
    );
    expect(err.kind).toBe('timeout');
  });

  it('classifies a refused connection and an unknown host', async () => {
    const port = await closedPort();
    const refused = await failure(
      httpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: TIMEOUT }),
    );
    expect(refused).toMatchObject({
      kind: 'refused',
      message: `connection refused by 127.0.0.1:${port}`,
    });
    const dns = await failure(
      httpRequest({ method: 'GET', url: 'http://no-such-host.invalid/', timeoutMs: 1000 }),
    );
    expect(dns.kind).toMatch(/dns|timeout/);
  });

  it('parses JSON with a schema and names what is wrong', async () => {
    const schema = z.object({ n: z.number() });
    await expect(
      requestJson({ method: 'GET', url: `${server.url}/ok`, timeoutMs: TIMEOUT }, schema),
    ).resolves.toEqual({ n: 1 });
    const wrongShape = await failure(
      requestJson(
        { method: 'GET', url: `${server.url}/ok`, timeoutMs: TIMEOUT },
        z.object({ n: z.string() }),
      ),
    );
    expect(wrongShape.kind).toBe('malformed');
    expect(wrongShape.message).toMatch(/^malformed response: GET \/ok at 127\.0\.0\.1:\d+: n: /);
    const garbage = await failure(
      requestJson({ method: 'GET', url: `${server.url}/garbage`, timeoutMs: TIMEOUT }, schema),
    );
    expect(garbage.message).toMatch(/^malformed response: GET \/garbage at .* is not JSON$/);
  });

  it('turns unexpected statuses into http and auth errors', async () => {
    const unavailable = await failure(
      requestJson(
        { method: 'GET', url: `${server.url}/unavailable`, timeoutMs: TIMEOUT },
        z.unknown(),
      ),
    );
    expect(unavailable).toMatchObject({ kind: 'http', status: 503 });
    expect(unavailable.message).toMatch(
      /^unexpected HTTP 503 from 127\.0\.0\.1:\d+ \(GET \/unavailable\)$/,
    );
    const denied = await failure(
      requestJson({ method: 'GET', url: `${server.url}/denied`, timeoutMs: TIMEOUT }, z.unknown()),
    );
    expect(denied).toMatchObject({ kind: 'auth', status: 401 });
  });
});

describe('httpRequest over TLS', () => {
  let dir: string;
  let ca: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'console-tls-'));
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    run(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=console test CA',
    );
    run('req', ...ec, '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=dtr.example.test');
    writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:dtr.example.test\n');
    run(
      'x509',
      '-req',
      '-in',
      'srv.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'srv.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    );
    ca = readFileSync(path.join(dir, 'ca.pem'), 'utf8');
    server = createServer(
      {
        key: readFileSync(path.join(dir, 'srv.key')),
        cert: readFileSync(path.join(dir, 'srv.pem')),
      },
      (_req, res) => sendJson(res, 200, { Healthy: true }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const url = () => `https://127.0.0.1:${port}/_ping`;

  it('rejects a certificate from an unknown authority, readably', async () => {
    const err = await failure(
      httpRequest({ method: 'GET', url: url(), timeoutMs: 1000, tls: { insecureTls: false } }),
    );
    expect(err.kind).toBe('tls');
    expect(err.message).toMatch(
      /^TLS: certificate signed by unknown authority \(127\.0\.0\.1:\d+\)/,
    );
  });

  it('trusts the configured CA, checking the name the certificate was issued for', async () => {
    const wrongName = await failure(
      httpRequest({ method: 'GET', url: url(), timeoutMs: 1000, tls: { ca, insecureTls: false } }),
    );
    expect(wrongName.kind).toBe('tls');
    expect(wrongName.message).toMatch(/^TLS: certificate is not valid for this host name/);
    const res = await httpRequest({
      method: 'GET',
      url: url(),
      timeoutMs: 1000,
      tls: { ca, insecureTls: false, servername: 'dtr.example.test' },
    });
    expect(res.status).toBe(200);
  });

  it('skips verification only in explicit insecure mode', async () => {
    const res = await httpRequest({
      method: 'GET',
      url: url(),
      timeoutMs: 1000,
      tls: { insecureTls: true },
    });
    expect(res.status).toBe(200);
  });
});

describe('kept probe connections', () => {
  /** A /_ping server on its own loopback address; `hintS` is its Keep-Alive: timeout=N. */
  async function member(host: string, hintS: number | null) {
    const sockets = new Set<Socket>();
    let connections = 0;
    const server = createHttpServer((_req, res) => sendJson(res, 200, { Healthy: true }));
    server.keepAliveTimeout = hintS === null ? 0 : hintS * 1000;
    server.on('connection', (socket: Socket) => {
      connections += 1;
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const url = `http://${host}:${(server.address() as AddressInfo).port}`;
    return {
      url,
      sockets,
      connections: () => connections,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }

  const probe = (url: string, probe = true) =>
    httpRequest({ method: 'GET', url: `${url}/_ping`, timeoutMs: 1000, probe });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('keeps one connection per member and announces the member closing it', async () => {
    const m = await member('127.0.3.1', null);
    const closed: string[] = [];
    const unwatch = onPeerClose((origin) => closed.push(origin));
    try {
      // Back to back, as a probe and its confirming re-probe: the same connection.
      await probe(m.url);
      await probe(m.url);
      await Promise.all([probe(m.url), probe(m.url)]);
      expect(m.connections()).toBe(1);
      await m.close();
      await expect.poll(() => closed, { timeout: 2000, interval: 5 }).toEqual([m.url]);
    } finally {
      unwatch();
      await m.close();
    }
  });

  it('says nothing of closes the console made itself, or of non-probe connections', async () => {
    // Keep-Alive: timeout=2 → the client keeps the connection 1 s and closes it itself.
    const m = await member('127.0.3.2', 2);
    const other = await member('127.0.3.3', null);
    const closed: string[] = [];
    const unwatch = onPeerClose((origin) => closed.push(origin));
    try {
      await probe(m.url);
      await expect.poll(() => m.sockets.size, { timeout: 3000, interval: 20 }).toBe(0);
      await probe(other.url, false);
      expect(other.sockets.size).toBe(1);
      await other.close();
      await sleep(100);
      expect(closed).toEqual([]);
    } finally {
      unwatch();
      await Promise.all([m.close(), other.close()]);
    }
  });
});
