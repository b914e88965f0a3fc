import type { Metadata } from 'next';
import { connection } from 'next/server';
import { visibleTo } from '@/lib/domain/access';
import { pageRuntime, requestCluster } from '@/lib/server/cluster-request';
import { currentRoles } from '@/lib/server/current-user';
import { getFleet } from '@/lib/server/runtime';
import { fleetDocument } from '@/lib/server/services/fleet';
import { getServedStatus } from '@/lib/server/services/status';
import { FleetOverview } from './_components/fleet-overview';
import { Overview } from './_components/overview';

export async function generateMetadata(): Promise<Metadata> {
  // Never at build time: reading the fleet boots the runtime.
  await connection();
  // The layout's title template does not reach its own segment's page: spelled out here.
  const cluster = await requestCluster();
  if (!(await getFleet()).multi) return { title: 'Overview' };
  return {
    title: {
      absolute:
        cluster === null ? 'Clusters · DTR HA Console' : `Overview · ${cluster} · DTR HA Console`,
    },
  };
}

// No loading.tsx here on purpose: the snapshot is in memory, and a Suspense fallback would hold the
// quorum banner back behind a skeleton (React reveals streamed content at least 300 ms after the
// fallback paints). The banner is in the first HTML the browser paints.
export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // The snapshot is live state: never prerender it at build time.
  await connection();
  // Several clusters: / is the fleet overview, and each cluster's overview is /c/<name>.
  const fleet = await getFleet();
  if (fleet.multi && (await requestCluster()) === null) {
    // Only the clusters where the person has a role (as GET /api/fleet).
    const document = fleetDocument(fleet);
    const roles = fleet.auth.enabled ? ((await currentRoles())?.roles ?? {}) : null;
    const clusters = visibleTo(document.clusters, roles);
    // The proxy sends /c/<a name it does not know>/… here, naming it.
    const asked = (await searchParams)['unknown-cluster'];
    const unknown = typeof asked === 'string' && !fleet.get(asked) ? asked : null;
    return (
      <FleetOverview
        unknownCluster={unknown}
        initial={{
          ...document,
          clusters,
          withoutAccess: document.clusters.length - clusters.length,
        }}
      />
    );
  }
  const status = await getServedStatus(await pageRuntime());
  return <Overview status={status} />;
}
