import type { Metadata } from 'next';
import { connection } from 'next/server';
import { getClusterStatus } from '@/lib/server/status';
import { Overview } from './_components/overview';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  // The snapshot is live state: never prerender it at build time.
  await connection();
  const status = await getClusterStatus();
  return <Overview status={status} />;
}
