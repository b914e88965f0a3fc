import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleProxy } from '@/lib/auth/proxy-handler';
import { signedInHeaders, VIEWER } from '@/test/support/auth';
import { GET } from '@/app/api/status/route';
import { getFleet, readyFleet, shutdownRuntime, type Fleet } from './runtime';
import {
  installStatusLane,
  isConsoleServer,
  NOT_THE_CONSOLE,
  statusLaneAnswer,
  type LaneRequest,
} from './status-lane';

let fleet: Fleet;
let viewer: Record<string, string>;

beforeAll(async () => {
  fleet = await getFleet();
  // One snapshot for the whole file: the lane and the route must serve the same one.
  for (const runtime of fleet.clusters) runtime.monitor.stop();
  await fleet.clusters[0]!.monitor.pollNow();
  viewer = await signedInHeaders(VIEWER, fleet.sessionSecret);
});

afterAll(async () => {
  await shutdownRuntime();
});

function lane(url: string, headers: IncomingHttpHeaders = {}, method = 'GET'): LaneRequest {
  return { method, url, headers, socket: null };
}

/** What proxy.ts and the route answer for the same request (the way Next would combine them). */
async function viaNext(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Map<string, string>; body: Buffer }> {
  const proxied = await handleProxy(
    new NextRequest(`http://console.test${path}`, { headers }),
    fleet.auth,
    { fleet: { names: fleet.clusters.map((r) => r.cluster), multi: fleet.multi } },
  );
  const route = await GET(new Request(`http://console.test${path}`, { headers }), {});
  const merged = new Map<string, string>();
  for (const [name, value] of proxied.headers)
    if (!name.startsWith('x-middleware-')) merged.set(name, value);
  for (const [name, value] of route.headers) merged.set(name, value);
  return { status: route.status, headers: merged, body: Buffer.from(await route.arrayBuffer()) };
}

describe('the status lane', () => {
  it('answers a signed-in viewer with the bytes, ETag and headers that the proxy and the route give', async () => {
    expect(fleet.auth.enabled).toBe(true);
    const answer = await statusLaneAnswer(lane('/api/status', { cookie: viewer.cookie }), fleet);
    expect(answer?.status).toBe(200);
    const next = await viaNext('/api/status', { cookie: viewer.cookie! });
    expect(next.status).toBe(200);
    expect(Buffer.from(answer!.body!).equals(next.body)).toBe(true);
    const { 'content-length': length, ...headers } = answer!.headers;
    expect(Number(length)).toBe(next.body.length);
    expect(new Map(Object.entries(headers))).toEqual(next.headers);
    expect(headers['cache-control']).toBe('no-store, no-transform');
    expect(headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(headers['strict-transport-security']).toBeUndefined();
  });

  it('says HTTPS as Next does: HSTS behind a proxy that forwards https', async () => {
    const answer = await statusLaneAnswer(
      lane('/api/status', { cookie: viewer.cookie, 'x-forwarded-proto': 'https' }),
      fleet,
    );
    expect(answer?.headers['strict-transport-security']).toBe('max-age=31536000');
    // Upper case: Next builds an http URL, but the proxy's requestIsHttps reads the header itself.
    const upper = await statusLaneAnswer(
      lane('/api/status', { cookie: viewer.cookie, 'x-forwarded-proto': 'HTTPS, http' }),
      fleet,
    );
    const proxied = await viaNext('/api/status', {
      cookie: viewer.cookie!,
      'x-forwarded-proto': 'HTTPS, http',
    });
    expect(upper?.headers['strict-transport-security']).toBe(
      proxied.headers.get('strict-transport-security'),
    );
    expect(upper?.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('answers If-None-Match with a 304 and no body', async () => {
    const first = await statusLaneAnswer(lane('/api/status', { cookie: viewer.cookie }), fleet);
    const etag = first!.headers.etag!;
    const again = await statusLaneAnswer(
      lane('/api/status', { cookie: viewer.cookie, 'if-none-match': `W/${etag}` }),
      fleet,
    );
    expect(again).toMatchObject({ status: 304, body: null });
    expect(again!.headers.etag).toBe(etag);
  });

  it('serves the one cluster under /c/<name>/ too', async () => {
    const name = fleet.clusters[0]!.cluster;
    const answer = await statusLaneAnswer(
      lane(`/c/${name}/api/status`, { cookie: viewer.cookie }),
      fleet,
    );
    expect(answer?.status).toBe(200);
  });

  it('leaves to Next every request it does not answer as the plain document', async () => {
    // A character in the middle of the sealed token (the last one may carry only padding bits).
    const middle = Math.floor(viewer.cookie!.length * 0.75);
    const forged = `${viewer.cookie!.slice(0, middle)}${viewer.cookie![middle] === 'A' ? 'B' : 'A'}${viewer.cookie!.slice(middle + 1)}`;
    const other = await signedInHeaders(
      { username: 'otto', roles: { 'some-other-cluster': 'admin' } },
      fleet.sessionSecret,
    );
    const cases: [string, LaneRequest][] = [
      ['no session', lane('/api/status')],
      ['a forged session', lane('/api/status', { cookie: forged })],
      ['a session with no role on this cluster', lane('/api/status', { cookie: other.cookie })],
      [
        'the session cookie twice (the proxy reads the last)',
        lane('/api/status', { cookie: `${viewer.cookie}; ${viewer.cookie!.split('=')[0]}=x` }),
      ],
      [
        'a space before the = (the proxy finds no session)',
        lane('/api/status', { cookie: viewer.cookie!.replace('=', ' =') }),
      ],
      ['a query', lane('/api/status?nodes=all', { cookie: viewer.cookie })],
      ['an empty query', lane('/api/status?', { cookie: viewer.cookie })],
      ['percent-encoding', lane('/api/%73tatus', { cookie: viewer.cookie })],
      ['a trailing slash', lane('/api/status/', { cookie: viewer.cookie })],
      ['dot segments', lane('/c/../api/status', { cookie: viewer.cookie })],
      ['an unknown cluster', lane('/c/nope/api/status', { cookie: viewer.cookie })],
      ['a deeper path', lane('/c/default/x/api/status', { cookie: viewer.cookie })],
      ['HEAD', lane('/api/status', { cookie: viewer.cookie }, 'HEAD')],
      ['POST', lane('/api/status', { cookie: viewer.cookie }, 'POST')],
    ];
    for (const [what, request] of cases)
      expect(await statusLaneAnswer(request, fleet), what).toBeNull();
    // Next answers the refused ones as it always did.
    expect((await viaNext('/api/status', {})).status).toBe(401);
    expect((await viaNext('/api/status', { cookie: forged })).status).toBe(401);
    expect((await viaNext('/api/status', { cookie: other.cookie! })).status).toBe(403);
  });

  it('waits for nothing: before the first snapshot, Next answers (the route waits for one)', async () => {
    const empty = {
      ...fleet,
      clusters: [
        { ...fleet.clusters[0]!, monitor: { ...fleet.clusters[0]!.monitor, latest: () => null } },
      ],
    } as unknown as Fleet;
    expect(
      await statusLaneAnswer(lane('/api/status', { cookie: viewer.cookie }), empty),
    ).toBeNull();
  });

  it('a fleet’s unprefixed status stays Next’s 404 with the URLs to use', async () => {
    const multi = { ...fleet, multi: true } as Fleet;
    expect(
      await statusLaneAnswer(lane('/api/status', { cookie: viewer.cookie }), multi),
    ).toBeNull();
  });
});

describe('installStatusLane on a real HTTP server', () => {
  it('answers on the console’s port only, and hands everything else to the server’s own listener', async () => {
    const seen: string[] = [];
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
      seen.push(req.url ?? '');
      res.writeHead(299, { 'content-type': 'text/plain' }).end('next');
    };
    const consoleServer = http.createServer(listener);
    const member = http.createServer(listener);
    Object.assign(member, { [NOT_THE_CONSOLE]: true });
    await Promise.all(
      [consoleServer, member].map(
        (s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve)),
      ),
    );
    const port = String((consoleServer.address() as AddressInfo).port);
    const memberPort = (member.address() as AddressInfo).port;
    const previous = process.env.PORT;
    process.env.PORT = port;
    try {
      expect(isConsoleServer(consoleServer)).toBe(true);
      expect(isConsoleServer(member)).toBe(false);
      expect(readyFleet()).toBe(fleet);
      installStatusLane(readyFleet);
      const get = async (p: string, headers: Record<string, string> = {}, at = Number(port)) => {
        const res = await fetch(`http://127.0.0.1:${at}${p}`, { headers });
        return {
          status: res.status,
          type: res.headers.get('content-type'),
          text: await res.text(),
        };
      };
      const signedIn = { cookie: viewer.cookie! };
      const answered = await get('/api/status', signedIn);
      expect(answered).toMatchObject({ status: 200, type: 'application/json' });
      expect(JSON.parse(answered.text)).toHaveProperty('dtr.quorum');
      expect(seen).toEqual([]);
      // Declined: the server's own listener answers, once.
      expect(await get('/api/status')).toMatchObject({ status: 299, text: 'next' });
      expect(await get('/api/status?nodes=all', signedIn)).toMatchObject({ status: 299 });
      expect(await get('/api/healthz', signedIn)).toMatchObject({ status: 299 });
      // Another server of the process (a demo member) is never answered for.
      expect(await get('/api/status', signedIn, memberPort)).toMatchObject({ status: 299 });
      expect(seen).toEqual(['/api/status', '/api/status?nodes=all', '/api/healthz', '/api/status']);
    } finally {
      if (previous === undefined) delete process.env.PORT;
      else process.env.PORT = previous;
      await Promise.all([consoleServer, member].map((s) => new Promise((r) => s.close(r))));
    }
  });
});
