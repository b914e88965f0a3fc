import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { buildSnapshot, type SnapshotSpec } from '@/test/support/snapshot';
import type { ClusterStatus } from '@/lib/domain/types';
import { getClusterStatus } from '@/lib/server/services/status';
import { fakeRuntime, signedInHeaders, VIEWER } from '@/test/support/auth';
import { GET } from './route';

vi.mock('@/lib/server/services/status', () => ({ getClusterStatus: vi.fn() }));
vi.mock('@/lib/server/runtime', () => ({
  getRuntime: async () => fakeRuntime('https://ucp.invalid'),
}));

const viewer = await signedInHeaders(VIEWER);

function clusterIs(spec: SnapshotSpec): void {
  const status: ClusterStatus = { ...buildSnapshot(spec), warnings: [] };
  vi.mocked(getClusterStatus).mockResolvedValue(status);
}

const call = (query: string, headers = viewer) =>
  GET(
    new Request(`https://console.example.com/api/alerts/prometheus-rules${query}`, { headers }),
    undefined,
  );

interface RuleFile {
  groups: {
    name: string;
    rules: { alert: string; expr: string; for: string; annotations: Record<string, string> }[];
  }[];
}

beforeEach(() => {
  vi.mocked(getClusterStatus).mockReset();
});

describe('GET /api/alerts/prometheus-rules', () => {
  it('needs a signed-in user', async () => {
    clusterIs({});
    const response = await call('', {});
    expect(response.status).toBe(401);
    expect(getClusterStatus).not.toHaveBeenCalled();
  });

  it('serves the rule file for the cluster as it is now, as a YAML download linking back here', async () => {
    clusterIs({ replicas: ['healthy', 'healthy', 'healthy', 'healthy', 'unreachable'] });
    const response = await call('');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="dtr-ha-console-rules.yml"',
    );
    const text = await response.text();
    expect(text).toContain('#   DTR: 5 replicas (majority 3, survives 2 failures)');
    const rules = (parse(text) as RuleFile).groups.flatMap((g) => g.rules);
    expect(rules.find((r) => r.alert === 'DtrReplicaCountChanged')?.expr).toMatch(/!= 5$/);
    expect(rules.find((r) => r.alert === 'DtrQuorumLost')?.annotations.runbook_url).toBe(
      'https://console.example.com/replicas/repair',
    );
  });

  it('takes the job, console address and durations from the query', async () => {
    clusterIs({});
    const text = await (
      await call('?job=dtr-prod&consoleUrl=https://dtr-console.corp:8443/&criticalFor=30s')
    ).text();
    const rules = (parse(text) as RuleFile).groups.flatMap((g) => g.rules);
    const lost = rules.find((r) => r.alert === 'UcpQuorumLost');
    expect(lost?.for).toBe('30s');
    expect(lost?.expr).toContain('job="dtr-prod"');
    expect(lost?.annotations.runbook_url).toBe('https://dtr-console.corp:8443/nodes');
  });

  it('serves the scrape job with ?format=scrape, without reading the cluster', async () => {
    const response = await call('?format=scrape&tokenFile=/etc/prometheus/token');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="dtr-ha-console-scrape.yml"',
    );
    expect(parse(await response.text())).toEqual([
      expect.objectContaining({
        job_name: 'dtr-ha-console',
        scheme: 'https',
        metrics_path: '/api/metrics',
        authorization: { type: 'Bearer', credentials_file: '/etc/prometheus/token' },
        static_configs: [{ targets: ['console.example.com:443'] }],
      }),
    ]);
    expect(getClusterStatus).not.toHaveBeenCalled();
  });

  it('refuses bad options with 400 and a sentence', async () => {
    clusterIs({});
    const response = await call('?format=json&warningFor=forever');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'bad_request',
        message:
          'warningFor: must be a duration such as 30s, 5m or 1h (seconds, minutes or hours), at most 24h; format: must be rules (the rule file) or scrape (the scrape job)',
      },
    });
  });
});
