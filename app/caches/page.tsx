import type { Metadata } from 'next';
import { connection } from 'next/server';
import { Suspense } from 'react';
import { SWRConfig } from 'swr';
import { CacheGuidance } from '@/components/caches/cache-guidance';
import { CLUSTER_STATUS_KEY } from '@/lib/hooks/cluster-status-key';
import { pageRuntime } from '@/lib/server/cluster-request';
import { getServedStatus } from '@/lib/server/services/status';
import { CachesView } from './_components/caches-view';
import CachesLoading from './loading';

export const metadata: Metadata = { title: 'Caches' };

export default async function CachesPage() {
  // Live state: never prerender it.
  await connection();
  const status = await getServedStatus(await pageRuntime());
  return (
    <SWRConfig value={{ fallback: { [CLUSTER_STATUS_KEY]: status } }}>
      <div className="flex flex-col gap-6">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Caches</h1>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            DTR content caches as DTR lists them, each with its replicas (the nodes labelled{' '}
            <code>dtr.cache=true</code> that serve it), every one probed on its own{' '}
            <code>/v2/</code>.
          </p>
        </div>
        <Suspense fallback={<CachesLoading />}>
          <CachesView />
        </Suspense>
        <CacheGuidance />
      </div>
    </SWRConfig>
  );
}
