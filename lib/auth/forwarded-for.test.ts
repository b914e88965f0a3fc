import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { appendPeerAddress, installPeerAddress } from './forwarded-for.mjs';
import { clientIp } from './request-info';

/** A real server on 127.0.0.1 whose requests pass through the hook, as under `npm start`. */
async function echoForwardedFor(
  headers: Record<string, string>,
  install: (server: http.Server) => void,
): Promise<string> {
  const server = http.createServer((req, res) => {
    res.end(String(req.headers['x-forwarded-for'] ?? ''));
  });
  install(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers });
    return await response.text();
  } finally {
    server.close();
  }
}

describe('lib/auth/forwarded-for.mjs (loaded by scripts/start.mjs)', () => {
  it('appends the TCP peer to a client-sent X-Forwarded-For, so clientIp sees through a forgery', async () => {
    const seen = await echoForwardedFor({ 'x-forwarded-for': '10.9.9.1' }, (server) => {
      server.prependListener('request', (req) => appendPeerAddress(req));
    });
    expect(seen).toBe('10.9.9.1, 127.0.0.1');
    const request = new Request('http://console.test/', {
      headers: { 'x-forwarded-for': seen },
    });
    expect(clientIp(request, 0)).toBe('127.0.0.1');
  });

  it('fills it in when the client sent none, once per request, for every server once installed', async () => {
    class Server extends http.Server {}
    installPeerAddress(Server.prototype);
    installPeerAddress(Server.prototype); // twice is harmless
    const server = new Server((req, res) => {
      appendPeerAddress(req); // already stamped: no second entry
      res.end(String(req.headers['x-forwarded-for'] ?? ''));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('127.0.0.1');
    } finally {
      server.close();
    }
  });
});
