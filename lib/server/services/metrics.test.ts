import { describe, expect, it } from 'vitest';
import { assessCluster } from '@/lib/domain/assess';
import {
  ago,
  buildSnapshot,
  MINUTE,
  TEST_NOW,
  testReplicaId,
  type SnapshotSpec,
} from '@/test/support/snapshot';
import type { ClusterStatus, Warning } from '@/lib/domain/types';
import { ConsoleMetrics, type ConsoleInfo } from './metrics';

const NOW_MS = Date.parse(TEST_NOW);
const SINGLE: ConsoleInfo = {
  mode: 'demo',
  role: { role: 'single', instance: 'console-1:4242', poller: 'console-1:4242', since: null },
};

function statusOf(spec: SnapshotSpec = {}, warnings?: Warning[]): ClusterStatus {
  const snapshot = buildSnapshot(spec);
  return {
    ...snapshot,
    warnings: warnings ?? assessCluster(snapshot, { now: new Date(TEST_NOW) }),
  };
}

/** What Prometheus would store from one scrape: series (`name{labels}`) → value. */
function parse(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    series.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return series;
}

async function scrape(
  metrics: ConsoleMetrics,
  status: ClusterStatus,
  info: ConsoleInfo = SINGLE,
  now = NOW_MS,
): Promise<{ text: string; series: Map<string, number> }> {
  const text = await metrics.render(status, info, now);
  return { text, series: parse(text) };
}

/** The series of one metric (without the dtr_console_ prefix), label set → value. */
function seriesOf(series: Map<string, number>, name: string): Record<string, number> {
  const full = `dtr_console_${name}`;
  return Object.fromEntries(
    [...series].flatMap(([key, value]) =>
      key === full || key.startsWith(`${full}{`) ? [[key.slice(full.length), value]] : [],
    ),
  );
}

const [R1, R2, R3] = [0, 1, 2].map(testReplicaId);

describe('console metrics', () => {
  it('shows a replica down: the DTR margin at 0, the replica at up=0, the warnings it raises', async () => {
    const { series } = await scrape(
      new ConsoleMetrics(),
      statusOf({ replicas: ['healthy', 'healthy', 'unreachable'] }),
    );

    expect(seriesOf(series, 'quorum_members')).toEqual({ '{plane="dtr"}': 3, '{plane="ucp"}': 3 });
    expect(seriesOf(series, 'quorum_healthy_members')).toEqual({
      '{plane="dtr"}': 2,
      '{plane="ucp"}': 3,
    });
    expect(seriesOf(series, 'quorum_majority_members')).toEqual({
      '{plane="dtr"}': 2,
      '{plane="ucp"}': 2,
    });
    expect(seriesOf(series, 'quorum_failures_tolerated')).toEqual({
      '{plane="dtr"}': 1,
      '{plane="ucp"}': 1,
    });
    expect(seriesOf(series, 'quorum_margin')).toEqual({ '{plane="dtr"}': 0, '{plane="ucp"}': 1 });
    expect(seriesOf(series, 'quorum_lost')).toEqual({ '{plane="dtr"}': 0, '{plane="ucp"}': 0 });
    expect(series.get('dtr_console_quorum_status{plane="dtr",status="at-risk"}')).toBe(1);
    expect(series.get('dtr_console_quorum_status{plane="dtr",status="healthy"}')).toBe(0);
    expect(series.get('dtr_console_quorum_status{plane="ucp",status="healthy"}')).toBe(1);

    expect(seriesOf(series, 'dtr_replica_up')).toEqual({
      [`{replica="${R1}",node="dtr-1"}`]: 1,
      [`{replica="${R2}",node="dtr-2"}`]: 1,
      [`{replica="${R3}",node="dtr-3"}`]: 0,
    });
    expect(
      series.get(
        `dtr_console_dtr_replica_status{replica="${R3}",node="dtr-3",status="unreachable"}`,
      ),
    ).toBe(1);
    expect(
      series.get(`dtr_console_dtr_replica_status{replica="${R3}",node="dtr-3",status="healthy"}`),
    ).toBe(0);
    // Latency only for probes that got an answer.
    expect(seriesOf(series, 'dtr_replica_probe_latency_seconds')).toEqual({
      [`{replica="${R1}",node="dtr-1"}`]: 0.012,
      [`{replica="${R2}",node="dtr-2"}`]: 0.012,
    });

    expect(seriesOf(series, 'warnings')).toEqual({
      '{code="DTR_QUORUM_AT_RISK",severity="critical"}': 1,
      '{code="DTR_REPLICA_UNHEALTHY",severity="critical"}': 1,
    });
    expect(seriesOf(series, 'ucp_manager_reachable')).toEqual({
      '{node="mgr-1"}': 1,
      '{node="mgr-2"}': 1,
      '{node="mgr-3"}': 1,
    });
    expect(seriesOf(series, 'ucp_manager_leader')).toEqual({
      '{node="mgr-1"}': 1,
      '{node="mgr-2"}': 0,
      '{node="mgr-3"}': 0,
    });
    // The default snapshot registers one cache behind a load balancer (the cache HA layout).
    expect(seriesOf(series, 'dtr_cache_up')).toEqual({ '{cache="cache"}': 1 });
  });

  it("shows each cache replica's own probe, so a replica down behind a healthy address shows", async () => {
    const { series } = await scrape(
      new ConsoleMetrics(),
      statusOf({
        caches: 3,
        registeredCaches: [
          {
            name: 'cache',
            node: null,
            layout: 'load-balancer',
            replicas: ['cache-1', 'cache-2', 'cache-3'].map((node) => ({
              node,
              status: node === 'cache-2' ? 'unreachable' : 'healthy',
              error: null,
              latencyMs: null,
              since: TEST_NOW,
              checkedAt: TEST_NOW,
            })),
          },
        ],
      }),
    );
    expect(seriesOf(series, 'dtr_cache_replica_up')).toEqual({
      '{cache="cache",node="cache-1"}': 1,
      '{cache="cache",node="cache-2"}': 0,
      '{cache="cache",node="cache-3"}': 1,
    });
  });

  it('shows a lost quorum, nodes by state and warnings counted by code and severity', async () => {
    const warning = (code: Warning['code'], severity: Warning['severity'], subject: string) => ({
      code,
      severity,
      title: code,
      detail: '',
      nextStep: '',
      subjects: [subject],
    });
    const { series } = await scrape(
      new ConsoleMetrics(),
      statusOf(
        {
          managers: ['healthy', 'unreachable', 'unreachable'],
          replicas: ['healthy', 'unhealthy', 'unreachable'],
          nodes: { 'worker-1': { state: 'down' }, 'worker-2': { state: 'disconnected' } },
          registeredCaches: ['healthy', 'unhealthy'],
        },
        [
          warning('UCP_QUORUM_LOST', 'critical', 'ucp'),
          warning('NODE_DOWN', 'warning', 'worker-1'),
          warning('NODE_DOWN', 'warning', 'worker-2'),
          warning('UCP_EVEN_MANAGERS', 'info', 'ucp'),
        ],
      ),
    );
    expect(seriesOf(series, 'quorum_margin')).toEqual({ '{plane="dtr"}': -1, '{plane="ucp"}': -1 });
    expect(seriesOf(series, 'quorum_lost')).toEqual({ '{plane="dtr"}': 1, '{plane="ucp"}': 1 });
    expect(series.get('dtr_console_quorum_status{plane="ucp",status="lost"}')).toBe(1);
    expect(seriesOf(series, 'ucp_manager_reachable')).toEqual({
      '{node="mgr-1"}': 1,
      '{node="mgr-2"}': 0,
      '{node="mgr-3"}': 0,
    });
    expect(seriesOf(series, 'dtr_cache_up')).toEqual({
      '{cache="cache-1"}': 1,
      '{cache="cache-2"}': 0,
    });
    expect(seriesOf(series, 'nodes')).toEqual({
      '{role="manager",state="ready"}': 1,
      '{role="manager",state="down"}': 2,
      '{role="manager",state="unknown"}': 0,
      '{role="manager",state="disconnected"}': 0,
      '{role="worker",state="ready"}': 7,
      '{role="worker",state="down"}': 1,
      '{role="worker",state="unknown"}': 0,
      '{role="worker",state="disconnected"}': 1,
    });
    expect(seriesOf(series, 'warnings')).toEqual({
      '{code="UCP_QUORUM_LOST",severity="critical"}': 1,
      '{code="NODE_DOWN",severity="warning"}': 2,
      '{code="UCP_EVEN_MANAGERS",severity="info"}': 1,
    });
  });

  it('drops removed replicas, managers, caches and cleared warnings on the next scrape', async () => {
    const metrics = new ConsoleMetrics();
    const before = await scrape(
      metrics,
      statusOf({ replicas: ['healthy', 'healthy', 'unreachable'] }),
    );
    expect(before.text).toContain(`replica="${R3}"`);
    expect(before.text).toContain('DTR_REPLICA_UNHEALTHY');

    const after = await scrape(
      metrics,
      statusOf({ replicas: ['healthy', 'healthy'], managers: ['healthy'], registeredCaches: [] }),
    );
    expect(after.text).not.toContain(R3);
    expect(seriesOf(after.series, 'dtr_replica_up')).toEqual({
      [`{replica="${R1}",node="dtr-1"}`]: 1,
      [`{replica="${R2}",node="dtr-2"}`]: 1,
    });
    expect(Object.keys(seriesOf(after.series, 'dtr_replica_status'))).toHaveLength(12);
    expect(seriesOf(after.series, 'ucp_manager_reachable')).toEqual({ '{node="mgr-1"}': 1 });
    expect(seriesOf(after.series, 'dtr_cache_up')).toEqual({});
    expect(after.text).not.toContain('DTR_REPLICA_UNHEALTHY');
    expect(seriesOf(after.series, 'quorum_members')).toEqual({
      '{plane="dtr"}': 2,
      '{plane="ucp"}': 1,
    });
    // Still declared, so the metric itself never vanishes from the exposition.
    expect(after.text).toContain('# TYPE dtr_console_dtr_cache_up gauge');
  });

  it('escapes quotes, backslashes and newlines in label values', async () => {
    const hostile = 'dtr-"evil"\\node\nx';
    const { text, series } = await scrape(
      new ConsoleMetrics(),
      statusOf({
        replicas: [{ node: hostile }, 'healthy', 'healthy'],
        registeredCaches: [{ name: 'cache "eu"\\1' }],
      }),
      {
        mode: 'live',
        role: { role: 'poller', instance: 'a"b\\c:1', poller: 'a"b\\c:1', since: null },
      },
    );
    expect(text).toContain(
      `dtr_console_dtr_replica_up{replica="${R1}",node="dtr-\\"evil\\"\\\\node\\nx"} 1`,
    );
    expect(text).toContain('dtr_console_dtr_cache_up{cache="cache \\"eu\\"\\\\1"} 1');
    expect(text).toContain(
      'dtr_console_info{console_instance="a\\"b\\\\c:1",role="poller",poller="a\\"b\\\\c:1",mode="live"} 1',
    );
    // Every sample line is one well-formed line of the text format.
    const sample =
      /^[a-zA-Z_:][\w:]*(\{[a-zA-Z_]\w*="(?:[^"\\\n]|\\[\\"n])*"(,[a-zA-Z_]\w*="(?:[^"\\\n]|\\[\\"n])*")*\})? \S+$/;
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#')))
      expect(line).toMatch(sample);
    expect(series.size).toBeGreaterThan(50);
  });

  it('shows the snapshot time and age, and stale sources, so a stalled poll can alert', async () => {
    const lastSuccess = ago(3 * MINUTE);
    const { series } = await scrape(
      new ConsoleMetrics(),
      statusOf({ sources: { dtr: { state: 'stale', lastSuccessAt: lastSuccess } } }),
      SINGLE,
      NOW_MS + 90_000,
    );
    expect(series.get('dtr_console_snapshot_timestamp_seconds')).toBe(NOW_MS / 1000);
    expect(series.get('dtr_console_snapshot_age_seconds')).toBe(90);
    const soon = await scrape(new ConsoleMetrics(), statusOf(), SINGLE, NOW_MS + 1_233);
    expect(soon.series.get('dtr_console_snapshot_age_seconds')).toBe(1.233);
    expect(series.get('dtr_console_poll_interval_seconds')).toBe(2);
    expect(seriesOf(series, 'source_up')).toEqual({ '{source="ucp"}': 1, '{source="dtr"}': 0 });
    expect(seriesOf(series, 'source_last_success_timestamp_seconds')).toEqual({
      '{source="ucp"}': NOW_MS / 1000,
      '{source="dtr"}': Date.parse(lastSuccess) / 1000,
    });

    const never = await scrape(
      new ConsoleMetrics(),
      statusOf({ sources: { ucp: { state: 'error', lastSuccessAt: null } } }),
    );
    expect(seriesOf(never.series, 'source_up')).toEqual({
      '{source="ucp"}': 0,
      '{source="dtr"}': 1,
    });
    expect(seriesOf(never.series, 'source_last_success_timestamp_seconds')).toEqual({
      '{source="dtr"}': NOW_MS / 1000,
    });
  });

  it('leaves out DTR on a Swarm-only console, rather than report an empty, lost quorum', async () => {
    const { text, series } = await scrape(
      new ConsoleMetrics(),
      statusOf({ dtrConfigured: false, via: 'engine' }),
    );
    expect(seriesOf(series, 'quorum_lost')).toEqual({ '{plane="ucp"}': 0 });
    expect(seriesOf(series, 'source_up')).toEqual({ '{source="ucp"}': 1 });
    expect(text).not.toMatch(/^[^#].*plane="dtr"/m);
    expect(seriesOf(series, 'dtr_cache_up')).toEqual({});
  });

  it('names this instance, its role and whether it polls; a standby is not the poller', async () => {
    const metrics = new ConsoleMetrics();
    const single = await scrape(metrics, statusOf());
    expect(seriesOf(single.series, 'info')).toEqual({
      '{console_instance="console-1:4242",role="single",poller="console-1:4242",mode="demo"}': 1,
    });
    expect(single.series.get('dtr_console_is_poller')).toBe(1);

    const standby = await scrape(metrics, statusOf(), {
      mode: 'live',
      role: { role: 'standby', instance: 'console-2:7', poller: 'console-1:4242', since: TEST_NOW },
    });
    // The previous label set is gone: one info series per scrape.
    expect(seriesOf(standby.series, 'info')).toEqual({
      '{console_instance="console-2:7",role="standby",poller="console-1:4242",mode="live"}': 1,
    });
    expect(standby.series.get('dtr_console_is_poller')).toBe(0);

    const waiting = await scrape(metrics, statusOf(), {
      mode: 'live',
      role: { role: 'standby', instance: 'console-2:7', poller: null, since: null },
    });
    expect(Object.keys(seriesOf(waiting.series, 'info'))).toEqual([
      '{console_instance="console-2:7",role="standby",poller="",mode="live"}',
    ]);
  });

  it('exposes the Node process metrics under the same prefix, with HELP and TYPE lines', async () => {
    const { text } = await scrape(new ConsoleMetrics(), statusOf());
    expect(text).toMatch(/^dtr_console_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^dtr_console_process_resident_memory_bytes \d/m);
    expect(text).toMatch(/^dtr_console_nodejs_eventloop_lag_seconds \d/m);
    expect(text).toContain('# TYPE dtr_console_quorum_margin gauge');
    expect(text).toMatch(/^# HELP dtr_console_quorum_margin Further member failures/m);
    // Nothing outside the prefix: the scrape config can keep or drop the console's series as one.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#')))
      expect(line.startsWith('dtr_console_')).toBe(true);
  });

  it('gives concurrent scrapes each their own status, never a mix', async () => {
    const metrics = new ConsoleMetrics();
    const [three, two] = await Promise.all([
      scrape(metrics, statusOf()),
      scrape(metrics, statusOf({ replicas: ['healthy', 'healthy'] })),
    ]);
    expect(Object.keys(seriesOf(three.series, 'dtr_replica_up'))).toHaveLength(3);
    expect(Object.keys(seriesOf(two.series, 'dtr_replica_up'))).toHaveLength(2);
  });

  it('serves the Prometheus text format', () => {
    expect(new ConsoleMetrics().registry.contentType).toBe(
      'text/plain; version=0.0.4; charset=utf-8',
    );
  });
});
