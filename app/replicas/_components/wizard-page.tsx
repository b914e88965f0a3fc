import Link from '@/components/ui/cluster-link';
import { Suspense } from 'react';
import { SWRConfig } from 'swr';
import type { ClusterStatus } from '@/lib/domain/types';
import { CLUSTER_STATUS_KEY } from '@/lib/hooks/cluster-status-key';
import { linkClass } from '@/components/ui/styles';

/** A wizard's page: title and intro, with the server's snapshot seeding the live status. */
export function WizardPage({
  title,
  intro,
  status,
  children,
}: {
  title: string;
  intro: React.ReactNode;
  status: ClusterStatus;
  children: React.ReactNode;
}) {
  return (
    <SWRConfig value={{ fallback: { [CLUSTER_STATUS_KEY]: status } }}>
      <div className="flex max-w-4xl flex-col gap-6">
        <div className="flex flex-col gap-2">
          <p className="text-sm">
            <Link href="/replicas" className={linkClass.normal}>
              <span aria-hidden="true">← </span>Replica changes
            </Link>
          </p>
          <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
          <div className="max-w-prose text-slate-700 dark:text-slate-300">{intro}</div>
        </div>
        <Suspense fallback={<p role="status">Loading the wizard…</p>}>{children}</Suspense>
      </div>
    </SWRConfig>
  );
}
