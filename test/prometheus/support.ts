// Shared by the Prometheus suites: finding Debian's prometheus/promtool, and turning what the
// console's real exporter prints for a snapshot into the series Prometheus would store.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { assessCluster } from '@/lib/domain/assess';
import { cacheBackings } from '@/lib/domain/cache-replicas';
import type { ClusterSnapshot, ClusterStatus } from '@/lib/domain/types';
import { ConsoleMetrics, type ConsoleInfo } from '@/lib/server/services/metrics';
import { buildSnapshot, type SnapshotSpec } from '@/test/support/snapshot';

const isRoot = process.getuid?.() === 0;

export function findBinary(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin'];
  return dirs.map((dir) => path.join(dir, name)).find((file) => existsSync(file)) ?? null;
}

/** Skips when the binary is missing and we are not root; as root (CI) a missing binary fails. */
export function need(ctx: TestContext, binary: string | null, name: string): string {
  if (binary !== null) return binary;
  const install = 'apt-get install -y prometheus';
  if (!isRoot)
    ctx.skip(
      `${name} is not installed and the tests do not run as root, so the generated rules cannot be checked by Prometheus; ${install}`,
    );
  throw new Error(`${name} is not installed: ${install} (CI installs it in .ci/run)`);
}

export function run(binary: string, args: string[], cwd?: string) {
  const result = spawnSync(binary, args, { encoding: 'utf8', timeout: 30_000, cwd });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

export const TEST_JOB = 'dtr-ha-console';
export const TEST_INSTANCE = 'console.example.com:3000';

const INFO: ConsoleInfo = {
  mode: 'demo',
  role: { role: 'single', instance: 'console-1:4242', poller: 'console-1:4242', since: null },
};

/**
 * Fills each cache's layout and replicas the way the monitor does (lib/monitor/poll.ts): the
 * labelled nodes behind its load balancer, or the node it is registered at; a replica serves
 * while its node is ready. The test builders leave them out.
 */
export function withCacheReplicas(snapshot: ClusterSnapshot): ClusterSnapshot {
  const caches = snapshot.dtr.caches;
  if (!caches) return snapshot;
  const backings = cacheBackings(caches, snapshot.ucp.nodes);
  const byHost = new Map(snapshot.ucp.nodes.map((n) => [n.hostname, n]));
  return {
    ...snapshot,
    dtr: {
      ...snapshot.dtr,
      caches: caches.map((cache) => {
        if (cache.replicas) return cache;
        const backing = backings.get(cache.id) ?? { layout: 'outside' as const, nodes: [] };
        return {
          ...cache,
          layout: backing.layout,
          replicas: backing.nodes.map((node) => {
            const up = byHost.get(node)?.state === 'ready';
            return {
              node,
              status: up ? ('healthy' as const) : ('unreachable' as const),
              error: up ? null : 'connect ECONNREFUSED',
              latencyMs: up ? 12 : null,
              since: snapshot.generatedAt,
              checkedAt: snapshot.generatedAt,
            };
          }),
        };
      }),
    },
  };
}

/** The cluster `spec` describes, assessed as /api/status serves it. */
export function statusOf(spec: SnapshotSpec): ClusterStatus {
  const snapshot = withCacheReplicas(buildSnapshot(spec));
  return {
    ...snapshot,
    warnings: assessCluster(snapshot, { now: new Date(snapshot.generatedAt) }),
  };
}

let metrics: ConsoleMetrics | null = null;

/** Node process metrics: real, but nothing the rules read, and different on every scrape. */
const PROCESS_METRIC = /^dtr_console_(process_|nodejs_)/;

/**
 * What one scrape of /api/metrics stores for `status`, `ageSeconds` after the snapshot was taken:
 * series (`name{job,instance,labels}`, as PromQL and promtool write them) → value. The text is the
 * real exporter's (lib/server/metrics.ts), so a renamed metric or label changes what the rules see.
 */
export async function scrapeSeries(
  status: ClusterStatus,
  ageSeconds = 0,
  instances: readonly string[] = [TEST_INSTANCE],
): Promise<Map<string, string>> {
  metrics ??= new ConsoleMetrics();
  const now = Date.parse(status.generatedAt) + ageSeconds * 1000;
  const text = await metrics.render(status, INFO, now);
  const series = new Map<string, string>();
  // Several consoles (HA on Postgres) each serve the same snapshot under their own instance.
  for (const instance of instances) {
    const target = `job="${TEST_JOB}",instance="${instance}"`;
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const space = line.lastIndexOf(' ');
      const key = line.slice(0, space);
      const brace = key.indexOf('{');
      const name = brace === -1 ? key : key.slice(0, brace);
      if (PROCESS_METRIC.test(name)) continue;
      const labels = brace === -1 ? '' : key.slice(brace + 1, -1);
      series.set(`${name}{${target}${labels ? `,${labels}` : ''}}`, line.slice(space + 1));
    }
    series.set(`up{${target}}`, '1');
  }
  return series;
}

/** What a failed scrape stores: `up` 0, and every other series goes stale. */
export function failedScrape(instances: readonly string[] = [TEST_INSTANCE]): Map<string, string> {
  return new Map(
    instances.map((instance) => [`up{job="${TEST_JOB}",instance="${instance}"}`, '0']),
  );
}

/** The scrape targets of `count` consoles. */
export function consoleInstances(count = 1): string[] {
  return Array.from({ length: count }, (_, i) =>
    i === 0 ? TEST_INSTANCE : `console-${i + 1}.example.com:3000`,
  );
}

/**
 * promtool `input_series` for consecutive scrapes: a series missing from a scrape after it was
 * present gets a staleness marker, as Prometheus writes one; before it first appears, no sample.
 */
export function inputSeries(scrapes: Map<string, string>[]): { series: string; values: string }[] {
  const keys = [...new Set(scrapes.flatMap((s) => [...s.keys()]))].sort();
  return keys.map((key) => {
    let seen = false;
    const values = scrapes.map((scrape) => {
      const value = scrape.get(key);
      if (value !== undefined) {
        seen = true;
        return value;
      }
      if (!seen) return '_';
      seen = false;
      return 'stale';
    });
    return { series: key, values: values.join(' ') };
  });
}
