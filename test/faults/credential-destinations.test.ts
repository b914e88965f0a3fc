// Issue #18 item 6: the service credentials (UCP bearer token, the login body with the password,
// DTR basic auth) go only to the configured UCP_URL and DTR_URL origins. A fake upstream records
// what every server received: when the load balancers stop answering, the console must not
// carry the credentials to manager or replica addresses that /nodes named, over plain HTTP.
import { afterEach, expect, it } from 'vitest';
import { Monitor } from '@/lib/monitor/monitor';
import { IDS, startWireCluster, TOKEN, type WireCluster } from './wire-cluster';

const TIMEOUT = 400;
let cluster: WireCluster | null = null;
afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

it('credentials arrive only at the configured origins, even when both load balancers go away', async () => {
  cluster = await startWireCluster(() => undefined, TIMEOUT);
  const c = cluster;
  const managers = c.state.nodes
    .filter((n) => n.ManagerStatus)
    .map((n) => `manager:${n.Description.Hostname}`);
  const members = [...managers, ...IDS.map((id) => `replica:${id}`)];
  const monitor = new Monitor({ target: c.target, mode: 'live', log: () => undefined });

  const first = await monitor.pollNow();
  expect(first.sources.ucp.state).toBe('ok');
  // The configured origins did receive the credentials: the recording works.
  const atLb = [...c.requests('ucp-lb'), ...c.requests('dtr-lb')];
  expect(atLb.some((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  expect(atLb.some((r) => r.authorization?.startsWith('Basic '))).toBe(true);
  expect(atLb.some((r) => r.body.includes('"password"'))).toBe(true);

  await c.stop('ucp-lb');
  await c.stop('dtr-lb');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const later = await monitor.pollNow();
  await monitor.pollNow();

  for (const name of members) {
    const withCredentials = c
      .requests(name)
      .filter((r) => r.authorization !== undefined || r.body.includes('password'));
    expect(withCredentials, name).toEqual([]);
  }
  // Members are still probed, without credentials: /_ping needs none.
  for (const name of members) expect(c.requests(name).some((r) => r.path === '/_ping')).toBe(true);
  // The sources say why they cannot be read instead of quietly using a member.
  expect(later.sources.ucp.state).not.toBe('ok');
  expect(later.sources.dtr.state).not.toBe('ok');
});
