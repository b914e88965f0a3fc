'use client';

// The demo fault panel's code (its form, the fault catalogue, the inventory fetch for plain
// workers) is wanted only in demo mode: the overview renders this only there, and React.lazy
// fetches the panel then (next/dynamic would add its own loader to every mode's first load). The
// server renders the panel itself, and React keeps that HTML until the code arrives; the
// placeholder, of the panel's size, shows only where the page is rendered in the browser (a
// client-side navigation) until then.
import { lazy, Suspense, type ComponentType } from 'react';
import { Skeleton } from '@/components/ui/skeleton';

// The server renders the panel at once (see lazy-panels.tsx for why a plain require there).
const FaultPanel: ComponentType =
  typeof window === 'undefined'
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- the server's branch
      (require('@/components/demo/fault-panel') as typeof import('@/components/demo/fault-panel'))
        .FaultPanel
    : lazy(() => import('@/components/demo/fault-panel').then((m) => ({ default: m.FaultPanel })));

function FaultPanelPlaceholder() {
  return (
    <div
      data-testid="fault-panel-loading"
      className="flex flex-col gap-3 rounded-lg border border-dashed border-slate-400 bg-white p-4 dark:border-slate-500 dark:bg-slate-900"
    >
      <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
        Loading the demo controls…
      </p>
      <div aria-hidden="true" className="flex flex-col gap-3">
        <Skeleton className="h-14" />
        <Skeleton className="h-14" />
        <Skeleton className="h-9 w-48" />
        <Skeleton className="h-10" />
      </div>
    </div>
  );
}

export function LazyFaultPanel() {
  return (
    <Suspense fallback={<FaultPanelPlaceholder />}>
      <FaultPanel />
    </Suspense>
  );
}
