import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// What Next does with these methods: build a fetch Request, which throws.
const handler = vi.fn((request: http.IncomingMessage, response: http.ServerResponse) => {
  try {
    new Request('http://console.test/', { method: request.method ?? 'GET' });
    response.end('ok');
  } catch (error) {
    console.error(error);
    response.statusCode = 500;
    response.end('Internal Server Error');
  }
});

let server: http.Server;
let port: number;

beforeAll(async () => {
  // The way the server boots: instrumentation.ts register(), then requests.
  vi.stubEnv('NEXT_RUNTIME', 'nodejs');
  vi.doMock('./boot', () => ({ bootOrExit: async () => undefined }));
  const { register } = await import('@/instrumentation');
  await register();
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

function send(
  method: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, method, path: '/api/status' },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

describe('TRACE (and TRACK)', () => {
  it('answer 405 before the application sees them: no 500, nothing logged', async () => {
    const errors = vi.spyOn(console, 'error');
    handler.mockClear();
    const response = await send('TRACE');
    expect(response.status).toBe(405);
    expect(response.headers.allow).toMatch(/GET/);
    expect(response.headers.allow).not.toMatch(/TRACE/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'method_not_allowed' } });
    // Node's parser itself answers TRACK with 400; either way never the application's 500.
    expect([400, 405]).toContain((await send('TRACK')).status);
    expect(handler).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('leaves every other method to the application', async () => {
    for (const method of ['GET', 'POST', 'DELETE', 'OPTIONS']) {
      expect((await send(method)).status, method).toBe(200);
    }
  });
});
