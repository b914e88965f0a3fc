// GET /api/metrics — the cluster's quorum, members, warnings and the console's own health as
// Prometheus text (DESIGN.md §5); METRICS_TOKEN guards it when set. Mapping: lib/server/metrics.ts.
import { withScrapeAccess } from '@/lib/auth/guard';
import { metricsResponse } from '@/lib/server/metrics';

export const GET = withScrapeAccess(() => metricsResponse());
