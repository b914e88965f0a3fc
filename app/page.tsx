import type { Metadata } from 'next';
import { connection } from 'next/server';
import { getRuntime } from '@/lib/server/runtime';
import { getServedStatus } from '@/lib/server/services/status';
import { Overview } from './_components/overview';

export const metadata: Metadata = { title: 'Overview' };

// No loading.tsx here on purpose: the snapshot is in memory, and a Suspense fallback would hold the
// quorum banner back behind a skeleton (React reveals streamed content at least 300 ms after the
// fallback paints). The banner is in the first HTML the browser paints.
export default async function OverviewPage() {
  // The snapshot is live state: never prerender it at build time.
  await connection();
  const status = await getServedStatus(await getRuntime());
  return <Overview status={status} />;
}
