import { afterEach, describe, expect, it } from 'vitest';
import { cacheProbeUrl, createDtrClient } from './dtr';
import {
  closedPort,
  hang,
  sendJson,
  startServer,
  type Handler,
  type TestServer,
} from '@/test/support/test-server';

const TIMEOUT = 200;
const BASIC = `Basic ${Buffer.from('admin:pw').toString('base64')}`;
const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Handler): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

function client(url: string) {
  return createDtrClient({
    dtr: { url, username: 'admin', password: 'pw', insecureTls: false, probeScheme: 'http' },
    probeTimeoutMs: TIMEOUT,
  });
}

describe('DTR getContentCaches', () => {
  it('lists registered caches with basic auth, sorted by name, skipping entries without a host', async () => {
    const dtr = await serve((req, res) => {
      if (req.headers.authorization !== BASIC) return sendJson(res, 401, {});
      if (req.url !== '/api/v0/content_caches') return sendJson(res, 404, {});
      sendJson(res, 200, [
        { id: 'b', name: 'cache-2', host: 'https://cache-2.example.com:443', extra: 1 },
        { id: 'a', name: 'cache-1', host: 'cache-1.example.com' },
        { id: 'c', name: 'broken', host: '' },
        null,
      ]);
    });
    expect(await client(dtr.url).getContentCaches()).toEqual([
      { id: 'a', name: 'cache-1', url: 'cache-1.example.com' },
      { id: 'b', name: 'cache-2', url: 'https://cache-2.example.com:443' },
    ]);
  });

  it('rejects when DTR does not answer with a list', async () => {
    const dtr = await serve((_req, res) => sendJson(res, 200, { caches: 'nope' }));
    await expect(client(dtr.url).getContentCaches()).rejects.toThrow(/malformed/);
  });
});

describe('cacheProbeUrl', () => {
  it('keeps a registered URL and adds /v2/', () => {
    expect(cacheProbeUrl('https://cache-1.example.com:443')).toBe(
      'https://cache-1.example.com/v2/',
    );
    expect(cacheProbeUrl('http://127.0.3.1:8443/')).toBe('http://127.0.3.1:8443/v2/');
  });

  it('assumes HTTPS for a bare host', () => {
    expect(cacheProbeUrl('cache-1.example.com:4443')).toBe('https://cache-1.example.com:4443/v2/');
    expect(cacheProbeUrl('cache-1.example.com')).toBe('https://cache-1.example.com/v2/');
  });
});

describe('DTR probeCache', () => {
  it('is healthy when /v2/ asks for a token (401) or answers 200', async () => {
    const cache = await serve((req, res) => {
      if (req.url !== '/v2/') return sendJson(res, 404, {});
      sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED' }] });
    });
    expect(await client(cache.url).probeCache(cache.url)).toMatchObject({
      status: 'healthy',
      error: null,
    });
    cache.handle((_req, res) => sendJson(res, 200, {}));
    expect((await client(cache.url).probeCache(cache.url)).status).toBe('healthy');
  });

  it('is unhealthy with the registry error when /v2/ answers 503', async () => {
    const cache = await serve((_req, res) =>
      sendJson(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'storage unreachable' }] }),
    );
    expect(await client(cache.url).probeCache(cache.url)).toMatchObject({
      status: 'unhealthy',
      error: '/v2/ answered HTTP 503: storage unreachable',
    });
  });

  it('is unreachable when refused or silent', async () => {
    const port = await closedPort();
    const refused = await client('http://127.0.0.1:1').probeCache(`http://127.0.0.1:${port}`);
    expect(refused).toMatchObject({ status: 'unreachable', latencyMs: null });
    expect(refused.error).toMatch(/refused/i);
    const silent = await serve(hang);
    const hung = await client(silent.url).probeCache(silent.url);
    expect(hung.status).toBe('unreachable');
  });

  it('says so when the registered host is not a usable address', async () => {
    const result = await client('http://127.0.0.1:1').probeCache('ftp://cache');
    expect(result).toMatchObject({ status: 'unknown' });
    expect(result.error).toMatch(/not a usable cache address/);
  });
});
