// The execution adapter's edges that a healthy dockerd does not show: a cut long poll, a daemon
// that never answers, its refusals in words, a failed pull under HTTP 200, references that would
// change the endpoint. The real-daemon behaviour is in test/swarm/execute-engine.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSpec } from '@/lib/domain/execution/types';
import { createEngineExec, splitImageRef } from './engine-exec';
import { SourceError } from './errors';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let dir: string;
let socketPath: string;
let server: Server;
let handler: Handler = (_req, res) => res.writeHead(404).end();
type Upgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => void;
const noUpgrade: Upgrade = (_req, socket) => socket.destroy();
let upgrade = noUpgrade;
const upgraded = new Set<Socket>();
const seen: { method: string; url: string; body: string }[] = [];

/** One frame of the Engine's multiplexed stream: type 1 stdout, 2 stderr. */
const frame = (type: 1 | 2, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};
const UPGRADED =
  'HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-exec-'));
  socketPath = path.join(dir, 'docker.sock');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      handler(req, res, body);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', body: '' });
    upgraded.add(socket);
    upgrade(req, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});
afterEach(() => {
  seen.length = 0;
  upgrade = noUpgrade;
  for (const socket of upgraded) socket.destroy();
  upgraded.clear();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const exec = (timeoutMs = 500) =>
  createEngineExec({
    engine: { kind: 'unix', host: `unix://${socketPath}`, socketPath },
    timeoutMs,
    waitRetryDelayMs: 20,
  });

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceError);
  return err as SourceError;
}

const SPEC: ContainerSpec = {
  image: 'docker/dtr:2.9.3',
  entrypoint: ['/bin/sh', '-c', 'IFS= read -r UCP_PASSWORD || exit 97', 'dtr-console'],
  cmd: ['dtr', 'remove', '--existing-replica-id', '0123456789ab'],
  env: [],
  labels: { 'com.dtr-ha-console.execution': 'e1' },
};

describe('engine-exec', () => {
  it('asks the engine for exactly the container the design specifies', async () => {
    handler = (_req, res) => json(res, 201, { Id: 'c0ffee', Warnings: [] });
    expect(await exec().createContainer(SPEC, 'dtr-console-e1')).toBe('c0ffee');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe('/containers/create?name=dtr-console-e1');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      Image: 'docker/dtr:2.9.3',
      Entrypoint: SPEC.entrypoint,
      Cmd: SPEC.cmd,
      Env: [],
      Labels: SPEC.labels,
      Tty: false,
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: { AutoRemove: false },
    });
  });

  it('re-issues a wait whose long poll was cut, and returns the exit code', async () => {
    handler = (req, res) => {
      if (seen.length < 3) req.socket.destroy();
      else json(res, 200, { StatusCode: 3, Error: null });
    };
    expect(await exec().waitContainer('c0ffee')).toBe(3);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(
      Array(3).fill('POST /containers/c0ffee/wait?condition=not-running'),
    );
  });

  it('gives up on a wait cut again and again, saying so', async () => {
    handler = (req) => req.socket.destroy();
    const err = await failure(exec().waitContainer('c0ffee'));
    expect(err.message).toMatch(
      /^Lost the wait for container c0ffee at unix:\/\/\S+ \(POST \/containers\/c0ffee\/wait, 6 tries\): connection to unix:\/\/\S+ was closed unexpectedly$/,
    );
    expect(seen).toHaveLength(6);
  });

  it('a wait is not bounded by the request timeout, only by its signal', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      setTimeout(() => res.end(JSON.stringify({ StatusCode: 0 })), 400);
    };
    expect(await exec(100).waitContainer('c0ffee')).toBe(0);

    handler = () => undefined; // never answers
    const controller = new AbortController();
    const waiting = exec(100).waitContainer('c0ffee', controller.signal);
    setTimeout(() => controller.abort(new Error('stop watching')), 150);
    await expect(waiting).rejects.toThrow('stop watching');
  });

  it('other requests time out with a sentence naming the engine and the endpoint', async () => {
    handler = () => undefined;
    const err = await failure(exec(200).info());
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/^no answer within 200 ms from unix:\/\/\S+ \(GET \/info\)$/);
  });

  it("reports the engine's refusals in its own words", async () => {
    handler = (_req, res) => json(res, 500, { message: 'Conflict. The container name is in use' });
    const err = await failure(exec().createContainer(SPEC));
    expect(err).toMatchObject({ kind: 'http', status: 500 });
    expect(err.message).toBe(
      `The Docker engine at unix://${socketPath} answered POST /containers/create with HTTP 500: Conflict. The container name is in use`,
    );
    handler = (_req, res) => json(res, 403, { message: 'access denied' });
    const denied = await failure(exec().startContainer('c0ffee'));
    expect(denied.kind).toBe('auth');
    expect(denied.message).toMatch(
      /refused the console's client certificate for POST \/containers\/c0ffee\/start \(HTTP 403\): access denied$/,
    );
  });

  it('a pull that fails inside its HTTP 200 progress stream is a failure', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"Pulling from docker/dtr","id":"2.9.3"}\r\n');
      res.end('{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}\r\n');
    };
    const err = await failure(exec().pullImage('registry.example.com:5000/docker/dtr:2.9.3'));
    expect(err.message).toBe(
      `Could not pull registry.example.com:5000/docker/dtr:2.9.3: the Docker engine at unix://${socketPath} reported: manifest unknown`,
    );
    expect(seen[0]?.url).toBe(
      '/images/create?fromImage=registry.example.com%3A5000%2Fdocker%2Fdtr&tag=2.9.3',
    );
  });

  it('attaches with Upgrade: tcp: stdin goes in, the half-close arrives, the frames come back', async () => {
    let headers: IncomingMessage['headers'] = {};
    upgrade = (req, socket) => {
      headers = req.headers;
      socket.allowHalfOpen = true;
      socket.write(UPGRADED);
      socket.on('data', (chunk: Buffer) => socket.write(frame(1, chunk.toString())));
      socket.on('end', () => socket.end(frame(2, 'stdin closed\n')));
    };
    const stream = await exec().attach('c0ffee');
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /containers/c0ffee/attach?stream=1&stdin=1&stdout=1&stderr=1',
    ]);
    expect(headers).toMatchObject({ upgrade: 'tcp', connection: 'upgrade' });
    const chunks: Buffer[] = [];
    const reading = (async () => {
      for await (const chunk of stream.output) chunks.push(chunk);
    })();
    await stream.write('pw\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    stream.closeStdin();
    await reading;
    expect(Buffer.concat(chunks)).toEqual(
      Buffer.concat([frame(1, 'pw\n'), frame(2, 'stdin closed\n')]),
    );
    await expect(stream.write('late\n')).rejects.toThrow(
      /attach stream of container c0ffee .* is closed/,
    );
  });

  it('destroying an attach ends its output quietly', async () => {
    upgrade = (_req, socket) => {
      socket.write(UPGRADED);
      socket.write(frame(1, 'working\n'));
    };
    const stream = await exec().attach('c0ffee');
    const chunks: Buffer[] = [];
    const reading = (async () => {
      for await (const chunk of stream.output) {
        chunks.push(chunk);
        stream.destroy();
      }
    })();
    await expect(reading).resolves.toBeUndefined();
    expect(Buffer.concat(chunks)).toEqual(frame(1, 'working\n'));
  });

  it('an attach the engine does not upgrade says why, from the container', async () => {
    upgrade = (_req, socket) => {
      const body = JSON.stringify({ message: 'container is paused' });
      socket.end(
        `HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
    };
    handler = (_req, res) =>
      json(res, 200, {
        Id: 'c0ffee',
        Image: 'sha256:abc',
        State: { Status: 'paused', Running: true, ExitCode: 0, FinishedAt: '0001-01-01T00:00:00Z' },
        Config: { Labels: null, Env: null, Entrypoint: null, Cmd: ['x'] },
      });
    const err = await failure(exec().attach('c0ffee'));
    expect(err.message).toMatch(
      /answered POST \/containers\/c0ffee\/attach without attaching \(no 101 Switching Protocols\); the container is paused$/,
    );
    expect(seen[0]?.url).toBe('/containers/c0ffee/attach?stream=1&stdin=1&stdout=1&stderr=1');
  });

  it('refuses references and IDs that would change the endpoint, before any request', async () => {
    for (const ref of ['../../info', 'dtr?x=1', 'dtr#frag', '', 'a b']) {
      expect((await failure(exec().inspectImage(ref))).kind).toBe('malformed');
    }
    for (const id of ['../info', 'a/b', '', 'x?y']) {
      expect((await failure(exec().inspectContainer(id))).kind).toBe('malformed');
      expect((await failure(exec().removeContainer(id))).kind).toBe('malformed');
    }
    expect(seen).toEqual([]);
  });

  it('reads an exited container and a never-started one apart', async () => {
    const state = {
      Status: 'created',
      Running: false,
      ExitCode: 0,
      FinishedAt: '0001-01-01T00:00:00Z',
    };
    handler = (_req, res) =>
      json(res, 200, {
        Id: 'c0ffee',
        Image: 'sha256:abc',
        State: state,
        Config: { Labels: { a: 'b' }, Env: ['PATH=/bin'], Entrypoint: ['/bin/sh'], Cmd: null },
      });
    expect(await exec().inspectContainer('c0ffee')).toEqual({
      id: 'c0ffee',
      image: 'sha256:abc',
      running: false,
      status: 'created',
      exitCode: null,
      labels: { a: 'b' },
      env: ['PATH=/bin'],
      entrypoint: ['/bin/sh'],
      cmd: [],
      finishedAt: null,
    });
    Object.assign(state, { Status: 'exited', ExitCode: 1, FinishedAt: '2026-12-05T03:00:00.5Z' });
    expect(await exec().inspectContainer('c0ffee')).toMatchObject({
      exitCode: 1,
      finishedAt: '2026-12-05T03:00:00.5Z',
    });
    handler = (_req, res) => json(res, 404, { message: 'No such container: c0ffee' });
    expect(await exec().inspectContainer('c0ffee')).toBeNull();
    await exec().removeContainer('c0ffee', { force: true });
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/containers/c0ffee?force=1' });
  });

  it('splits image references as the Docker CLI does for a pull', () => {
    expect(splitImageRef('docker/dtr:2.9.3')).toEqual({ fromImage: 'docker/dtr', tag: '2.9.3' });
    expect(splitImageRef('docker/dtr')).toEqual({ fromImage: 'docker/dtr', tag: 'latest' });
    expect(splitImageRef('reg.example:5000/msr/dtr')).toEqual({
      fromImage: 'reg.example:5000/msr/dtr',
      tag: 'latest',
    });
    expect(splitImageRef('msr/dtr@sha256:abcd')).toEqual({
      fromImage: 'msr/dtr',
      tag: 'sha256:abcd',
    });
  });
});
