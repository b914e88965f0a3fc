// GET /api/alerts/prometheus-rules — Prometheus alert rules over /api/metrics, sized to the cluster
// as it is now; ?format=scrape gives the scrape job instead. Options (job, consoleUrl, criticalFor,
// warningFor, infoFor, tokenFile) in the query; consoleUrl defaults to the address the request
// came in on. Generator: lib/domain/alerts/prometheus-rules.ts.
import { z } from 'zod';
import { PrometheusOptionsSchema } from '@/lib/domain/alerts/prometheus-options';
import { clusterSizeOf, prometheusRules, scrapeConfig } from '@/lib/domain/alerts/prometheus-rules';
import { withAuth } from '@/lib/server/route';
import { getClusterStatus } from '@/lib/server/services/status';

const QuerySchema = PrometheusOptionsSchema.extend({
  format: z
    .enum(['rules', 'scrape'], {
      error: 'must be rules (the rule file) or scrape (the scrape job)',
    })
    .default('rules'),
});

export const GET = withAuth(
  async (request, _auth, _context, runtime): Promise<Response> => {
    const url = new URL(request.url);
    // In a fleet, a cluster's series are at /c/<name>/api/metrics, scraped as a job of its own.
    const { format, ...options } = QuerySchema.parse({
      consoleUrl: `${url.origin}${runtime.base}`,
      ...(runtime.base ? { job: `dtr-ha-console-${runtime.cluster}` } : {}),
      ...Object.fromEntries(url.searchParams),
    });
    const file =
      format === 'scrape'
        ? scrapeConfig(options)
        : prometheusRules(clusterSizeOf(await getClusterStatus(runtime)), options);
    return new Response(file.text, {
      headers: {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.filename}"`,
        'cache-control': 'no-store',
      },
    });
  },
  { need: 'viewer' },
);
