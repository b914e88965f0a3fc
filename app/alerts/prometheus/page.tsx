import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import {
  normalizeConsoleUrl,
  PROMETHEUS_DEFAULTS,
  PrometheusOptionsSchema,
} from '@/lib/domain/alerts/prometheus-options';
import { clusterSizeOf, prometheusRules, scrapeConfig } from '@/lib/domain/alerts/prometheus-rules';
import { pageRuntime } from '@/lib/server/cluster-request';
import { getClusterStatus } from '@/lib/server/services/status';
import { PrometheusRulesView } from './_components/prometheus-rules-view';

export const metadata: Metadata = {
  title: 'Prometheus rules',
  description:
    "Prometheus alert rules over the console's metrics, with thresholds that follow the cluster's size, and the scrape job that collects them.",
};

/** The options a user may set in the address, as the form names them. */
const FIELDS = ['job', 'consoleUrl', 'criticalFor', 'warningFor', 'infoFor', 'tokenFile'] as const;

export default async function PrometheusRulesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Sizes come from the live cluster: never prerender.
  await connection();
  const runtime = await pageRuntime();
  // In a fleet, a cluster's series are at /c/<name>/api/metrics, scraped as a job of its own.
  const origin = `${await requestOrigin()}${runtime.base}`;
  const params = await searchParams;
  const given: Record<string, string> = runtime.base
    ? { job: `dtr-ha-console-${runtime.cluster}` }
    : {};
  for (const field of FIELDS) {
    const value = params[field];
    const text = Array.isArray(value) ? value[0] : value;
    if (text !== undefined && text !== '') given[field] = text;
  }
  const parsed = PrometheusOptionsSchema.safeParse({ consoleUrl: origin, ...given });
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const options = parsed.success
    ? parsed.data
    : PrometheusOptionsSchema.parse({ consoleUrl: origin });
  // The download links ask the route for exactly these options.
  const query = new URLSearchParams(
    parsed.success ? { consoleUrl: origin, ...given } : { consoleUrl: origin },
  );

  const status = await getClusterStatus(runtime);
  const size = clusterSizeOf(status);
  return (
    <PrometheusRulesView
      size={size}
      rules={prometheusRules(size, options)}
      scrape={scrapeConfig(options)}
      options={options}
      given={parsed.success ? given : {}}
      problems={problems}
      rulesHref={`${runtime.base}/api/alerts/prometheus-rules?${query}`}
      scrapeHref={`${runtime.base}/api/alerts/prometheus-rules?${new URLSearchParams([...query, ['format', 'scrape']])}`}
      defaults={PROMETHEUS_DEFAULTS}
    />
  );
}

/** This console's address as the browser used it; runbook links and the scrape target use it. */
async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host');
  const proto = h.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
  return normalizeConsoleUrl(`${proto}://${host ?? ''}`) ?? 'http://localhost:3000';
}
