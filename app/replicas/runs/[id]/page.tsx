import type { Metadata } from 'next';
import Link from '@/components/ui/cluster-link';
import { notFound } from 'next/navigation';
import { RunView } from '@/components/wizards/run-view';
import { pageRuntime } from '@/lib/server/cluster-request';
import { getRun } from '@/lib/server/services/wizards';
import { linkClass } from '@/components/ui/styles';

export const metadata: Metadata = { title: 'Replica change' };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const run = /^[A-Za-z0-9-]{1,64}$/.test(id) ? await getRun(await pageRuntime(), id) : null;
  if (!run) notFound();
  return (
    <div className="flex max-w-4xl flex-col gap-4">
      <p className="text-sm">
        <Link href="/replicas" className={linkClass.normal}>
          <span aria-hidden="true">← </span>Replica changes
        </Link>
      </p>
      <RunView initial={run} />
    </div>
  );
}
