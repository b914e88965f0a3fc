import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareLbPool, type DriftReplica } from '@/lib/domain/lb/drift';
import { SourceError } from './errors';
import { fetchHaproxyStats, parseHaproxyStatsCsv, statsCsvRequest } from './haproxy-stats';
import { startServer, type TestServer } from '@/test/support/test-server';

// Taken from real HAProxy 2.6 running our generated config in front of the demo replicas
// (lib/domain/lb/live-haproxy.test.ts), right after replica 7f1afd5ec561 was stopped.
const ONE_DOWN = readFileSync(
  path.join(__dirname, '../../test/support/fixtures/haproxy-stats-one-down.csv'),
  'utf8',
);
const [UP1, UP2, DOWN] = ['121db693de14', '2c2feaa1af86', '7f1afd5ec561'] as const;

describe('parseHaproxyStatsCsv', () => {
  it('reads every server of the pools and checks, and none of the FRONTEND/BACKEND rows', () => {
    const pool = parseHaproxyStatsCsv(ONE_DOWN);
    expect(pool).toHaveLength(9);
    expect(pool.map((row) => `${row.backend}/${row.server} ${row.status}`)).toEqual([
      `dtr_http_pool/replica-${UP1} UP`,
      `dtr_http_pool/replica-${UP2} UP`,
      `dtr_http_pool/replica-${DOWN} DOWN`,
      `dtr_https_pool/replica-${UP1} UP`,
      `dtr_https_pool/replica-${UP2} UP`,
      `dtr_https_pool/replica-${DOWN} DOWN`,
      `dtr_check_${UP1}/replica-${UP1} UP`,
      `dtr_check_${UP2}/replica-${UP2} UP`,
      `dtr_check_${DOWN}/replica-${DOWN} DOWN`,
    ]);
    expect(pool.find((row) => row.backend === `dtr_check_${DOWN}`)).toEqual({
      backend: `dtr_check_${DOWN}`,
      server: `replica-${DOWN}`,
      replicaId: DOWN,
      status: 'DOWN',
      checkStatus: 'L4CON',
      checkDetail: 'Layer4 connection problem: Connection refused',
      lastChange: 0,
      address: null,
    });
    expect(pool.find((row) => row.backend === `dtr_check_${UP1}`)).toMatchObject({
      checkStatus: 'L7OK',
      checkDetail: 'Layer7 check passed',
      lastChange: 2,
    });
    // Pool servers only track the check: no check of their own.
    expect(pool[0]).toMatchObject({ replicaId: UP1, checkStatus: null, checkDetail: null });
  });

  it('gives the drift check what it needs: the stopped replica is DOWN, so an unreachable one agrees', () => {
    const replica = (id: string, status: DriftReplica['status']): DriftReplica => ({
      id,
      status,
      address: null,
      httpPort: 80,
      httpsPort: 443,
    });
    const pool = parseHaproxyStatsCsv(ONE_DOWN);
    expect(
      compareLbPool(
        [replica(UP1, 'healthy'), replica(UP2, 'healthy'), replica(DOWN, 'unreachable')],
        pool,
      ),
    ).toEqual([]);
    expect(
      compareLbPool([replica(UP1, 'healthy'), replica(UP2, 'healthy')], pool).map((f) => f.code),
    ).toEqual(['stale-in-pool']);
  });

  it('tolerates columns it does not know, in any order, and quoted fields with commas', () => {
    const csv = [
      '# svname,pxname,brand_new,status,check_status,last_chk,addr,type,lastchg,',
      `replica-${UP1},dtr,x,UP,L7STS,"HTTP status 503, ""unhealthy""",10.0.0.5:443,2,17,`,
      'FRONTEND,dtr_in,x,OPEN,,,,0,,',
      '',
    ].join('\n');
    expect(parseHaproxyStatsCsv(csv)).toEqual([
      {
        backend: 'dtr',
        server: `replica-${UP1}`,
        replicaId: UP1,
        status: 'UP',
        checkStatus: 'L7STS',
        checkDetail: 'HTTP status 503, "unhealthy"',
        lastChange: 17,
        address: '10.0.0.5:443',
      },
    ]);
  });

  it('leaves out FRONTEND and BACKEND by name when there is no type column, and reads CRLF', () => {
    const csv =
      '# pxname,svname,status\r\nweb,FRONTEND,OPEN\r\nweb,app1,no check\r\nweb,BACKEND,UP\r\n';
    expect(parseHaproxyStatsCsv(csv)).toEqual([
      expect.objectContaining({
        backend: 'web',
        server: 'app1',
        status: 'no check',
        replicaId: null,
      }),
    ]);
  });

  it.each([
    ['an HTML stats page', '<html><body>Statistics Report</body></html>', /not HAProxy stats CSV/],
    ['a header without status', '# pxname,svname,qcur\nb,s,0\n', /lacks pxname, svname or status/],
    [
      'a row with no server name',
      '# pxname,svname,status\nb,,UP\n',
      /line 2: svname: empty server name/,
    ],
    ['a bad lastchg', '# pxname,svname,status,lastchg\nb,s,UP,soon\n', /line 2: lastchg/],
  ])('refuses %s as malformed', (_, body, message) => {
    expect(() => parseHaproxyStatsCsv(body)).toThrow(SourceError);
    expect(() => parseHaproxyStatsCsv(body)).toThrow(message);
  });
});

describe('statsCsvRequest', () => {
  it.each([
    ['http://lb.example.com:8404/stats', 'http://lb.example.com:8404/stats;csv'],
    ['http://lb.example.com:8404/', 'http://lb.example.com:8404/;csv'],
    ['http://lb.example.com:8404', 'http://lb.example.com:8404/;csv'],
    ['https://lb.example.com/haproxy?stats', 'https://lb.example.com/haproxy;csv?stats'],
    ['http://lb.example.com:8404/stats;csv', 'http://lb.example.com:8404/stats;csv'],
    ['http://lb.example.com:8404/;csv;norefresh', 'http://lb.example.com:8404/;csv;norefresh'],
  ])('%s → %s', (given, url) => {
    expect(statsCsvRequest(given).url).toBe(url);
  });

  it('moves credentials from the URL into a Basic header', () => {
    const { url, headers } = statsCsvRequest('http://ops:s%40cret@lb.example.com:8404/stats');
    expect(url).toBe('http://lb.example.com:8404/stats;csv');
    expect(headers.authorization).toBe(`Basic ${Buffer.from('ops:s@cret').toString('base64')}`);
  });
});

describe('fetchHaproxyStats', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(ONE_DOWN);
    });
  });
  afterAll(() => server.close());

  it('reads the CSV page of the stats URL, with its credentials', async () => {
    const pool = await fetchHaproxyStats({
      statsUrl: `http://ops:pw@127.0.0.1:${server.port}/stats`,
      timeoutMs: 1000,
    });
    expect(pool).toHaveLength(9);
    const seen = server.requests.at(-1);
    expect(seen?.path).toBe('/stats;csv');
    expect(seen?.authorization).toBe(`Basic ${Buffer.from('ops:pw').toString('base64')}`);
  });

  it('sends separate credentials as Basic auth', async () => {
    await fetchHaproxyStats({
      statsUrl: `http://127.0.0.1:${server.port}/`,
      timeoutMs: 1000,
      basicAuth: { username: 'ops', password: 'p:w' },
    });
    expect(server.requests.at(-1)?.authorization).toBe(
      `Basic ${Buffer.from('ops:p:w').toString('base64')}`,
    );
  });

  it('reports an HTTP error without the credentials', async () => {
    server.handle((_req, res) => {
      res.writeHead(401);
      res.end('no');
    });
    const read = fetchHaproxyStats({
      statsUrl: `http://ops:topsecret@127.0.0.1:${server.port}/stats`,
      timeoutMs: 1000,
    });
    const error = await read.catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect((error as Error).message).toBe(
      `authentication failed: HTTP 401 from 127.0.0.1:${server.port} (GET /stats;csv)`,
    );
  });

  it('gives up after the timeout', async () => {
    server.handle(() => undefined);
    await expect(
      fetchHaproxyStats({ statsUrl: `http://127.0.0.1:${server.port}/`, timeoutMs: 200 }),
    ).rejects.toMatchObject({ kind: 'timeout' });
  });
});
