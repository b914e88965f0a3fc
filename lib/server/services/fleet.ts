// GET /api/fleet and the fleet overview: every cluster's row from its monitor's latest snapshot.
// Reads only what each monitor already holds (never polls), so a hanging cluster cannot hold the
// others' rows back: it shows its last figures, marked stale, or "waiting for the first poll".
import 'server-only';
import { fleetRow, sortFleet, type FleetDocument } from '@/lib/domain/fleet';
import type { Fleet } from '../runtime';
import { statusOf } from './status';

export function fleetDocument(fleet: Fleet, now = Date.now()): FleetDocument {
  const rows = fleet.clusters.map((runtime) => {
    const snapshot = runtime.monitor.latest();
    const status = snapshot ? statusOf(snapshot, runtime) : null;
    // The monitor tells subscribers only of changed content; a warning that comes with time alone
    // (a replica offline past OFFLINE_LONG_MS) is first seen here. Observing is idempotent.
    if (status) runtime.warningClock.observe(status.warnings, status.generatedAt);
    return fleetRow({
      name: runtime.cluster,
      href: runtime.base || '/',
      status,
      firstSeen: runtime.warningClock.firstSeen,
      now,
    });
  });
  return { generatedAt: new Date(now).toISOString(), clusters: sortFleet(rows) };
}
