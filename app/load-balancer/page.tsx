import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import { LbOptionsSchema } from '@/lib/domain/lb';
import { parseLbSearchParams } from '@/components/load-balancer/lb-params';
import { lbDriftState } from '@/lib/monitor/lb-drift';
import { pageRuntime } from '@/lib/server/cluster-request';
import { getServedStatus } from '@/lib/server/services/status';
import { LoadBalancerView } from './_components/load-balancer-view';

export const metadata: Metadata = {
  title: 'Load balancer',
  description:
    'HAProxy, NGINX and AWS ELB configs for the DTR replicas that exist now, with the failover time they give, and a check of the live pool for drift.',
};

export default async function LoadBalancerPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Live replicas: never prerender at build time.
  await connection();
  // Settings from the address; what cannot be used falls back to its default, and the page says so.
  const { options, problems } = parseLbSearchParams(await searchParams, new Date().toISOString());
  const runtime = await pageRuntime();
  const status = await getServedStatus(runtime);
  return (
    <LoadBalancerView
      origin={await requestOrigin()}
      status={status}
      options={options}
      problems={problems}
      drift={lbDriftState(runtime.lbDrift)}
    />
  );
}

/** This console's address as the browser used it, so the first paint already shows absolute links. */
async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host');
  const proto = h.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
  // Checked like the permalink base the API writes; anything odd renders relative links instead.
  const base = LbOptionsSchema.shape.permalinkBase.safeParse(`${proto}://${host ?? ''}`);
  return base.success && base.data ? base.data : '';
}
