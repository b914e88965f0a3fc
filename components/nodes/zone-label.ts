// The node label that names a failure zone. The status carries the configured one once the
// server adds it (`zoneLabel`); until then, and for older servers, the documented default.
import type { ClusterStatus } from '@/lib/domain/types';

export const DEFAULT_ZONE_LABEL = 'zone';

export function zoneLabelOf(status: ClusterStatus | undefined): string {
  const label: unknown = status && 'zoneLabel' in status ? status.zoneLabel : undefined;
  return typeof label === 'string' && label.trim() ? label : DEFAULT_ZONE_LABEL;
}
