// GET /api/metrics — the cluster's quorum, members, warnings and the console's own health as
// Prometheus text (DESIGN.md §5). The series name replicas and nodes, so a scraper sends
// METRICS_TOKEN as a bearer token, or the request carries a session; never anonymous.
// Mapping: lib/server/services/metrics.ts.
import { withMetricsAccess } from '@/lib/server/route';
import { metricsResponse } from '@/lib/server/services/metrics';

export const GET = withMetricsAccess((_request, _context, runtime) => metricsResponse(runtime));
