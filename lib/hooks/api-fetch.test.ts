// apiFetch against a real HTTP server on loopback: the one error shape, an empty answer, a
// lapsed session, a wrong shape, a console that does not answer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiFetchError, apiFetch, hasKeys } from './api-fetch';

let server: Server;
let base = '';
const seen: { method?: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method, headers: request.headers, body });
      const send = (status: number, text: string, type = 'application/json') => {
        response.writeHead(status, { 'content-type': type });
        response.end(text);
      };
      switch (request.url) {
        case '/ok':
          return send(200, JSON.stringify({ run: { id: 'r1' } }));
        case '/empty':
          return send(204, '');
        case '/text':
          return send(200, 'global\n    daemon\n', 'text/plain');
        case '/refused':
          return send(
            409,
            JSON.stringify({ error: { code: 'conflict', message: 'The run is stale.' } }),
          );
        case '/html':
          return send(502, '<html>Bad gateway</html>', 'text/html');
        case '/expired':
          return send(
            401,
            JSON.stringify({ error: { code: 'unauthorized', message: 'Sign in.' } }),
          );
        default:
          return send(404, '');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  seen.length = 0;
  vi.unstubAllGlobals();
});

describe('apiFetch', () => {
  it('returns the answer, sends JSON bodies with their content type', async () => {
    const value = await apiFetch<{ run: { id: string } }>(`${base}/ok`, {
      method: 'POST',
      body: { step: 'x' },
      check: hasKeys('run'),
    });
    expect(value.run.id).toBe('r1');
    expect(seen[0]).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{"step":"x"}',
    });
  });

  it('reads an empty answer as undefined and plain text as text', async () => {
    await expect(apiFetch(`${base}/empty`, { method: 'POST' })).resolves.toBeUndefined();
    await expect(apiFetch<string>(`${base}/text`, { as: 'text' })).resolves.toBe(
      'global\n    daemon\n',
    );
  });

  it("throws the server's sentence, status and code from the one error shape", async () => {
    const error = await apiFetch(`${base}/refused`, { method: 'POST' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiFetchError);
    expect(error).toMatchObject({
      message: 'The run is stale.',
      httpStatus: 409,
      code: 'conflict',
    });
  });

  it('describes a status without the error shape in words', async () => {
    await expect(apiFetch(`${base}/html`)).rejects.toThrow(
      'The console answered HTTP 502 Bad Gateway.',
    );
  });

  it('refuses an answer of the wrong shape with a sentence, not a crash later', async () => {
    await expect(apiFetch(`${base}/ok`, { check: hasKeys('runs') })).rejects.toThrow(
      /was not what this page expects \(no "runs"\)/,
    );
  });

  it('sends a lapsed session to sign-in and back, except where 401 means a wrong password', async () => {
    const assign = vi.fn();
    vi.stubGlobal('window', { location: { pathname: '/replicas', search: '?x=1', assign } });
    await expect(apiFetch(`${base}/expired`)).rejects.toMatchObject({ httpStatus: 401 });
    expect(assign).toHaveBeenCalledWith('/login?reason=expired&next=%2Freplicas%3Fx%3D1');

    assign.mockClear();
    await expect(
      apiFetch(`${base}/expired`, { method: 'POST', signInOn401: false }),
    ).rejects.toThrow('Sign in.');
    expect(assign).not.toHaveBeenCalled();
  });

  it('says so when the console does not answer at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(apiFetch(`http://127.0.0.1:${port}/x`)).rejects.toMatchObject({
      message: expect.stringMatching(/^The console did not answer \(/),
      httpStatus: null,
    });
  });
});
