'use client';

import { useClusterStatus } from '@/lib/hooks/use-cluster-status';

/** "Demo cluster" or "Live": whether the figures on screen come from a real cluster. */
export function ModeBadge() {
  // The mode never changes while the server runs: no polling of its own (the overview polls).
  const { status } = useClusterStatus({ poll: false });
  if (!status) {
    return <span className="inline-block h-6 w-24" aria-hidden="true" />;
  }
  const demo = status.mode === 'demo';
  return (
    <span
      data-testid="mode-badge"
      data-mode={status.mode}
      title={
        demo
          ? 'A built-in simulated cluster: break it freely'
          : 'Connected to a real UCP/DTR cluster'
      }
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-semibold ring-1 ring-inset ${
        demo
          ? 'bg-violet-100 text-violet-900 ring-violet-700/30 dark:bg-violet-900 dark:text-violet-50'
          : 'bg-emerald-100 text-emerald-900 ring-emerald-700/30 dark:bg-emerald-900 dark:text-emerald-50'
      }`}
    >
      <span
        aria-hidden="true"
        className={`size-2 rounded-full ${demo ? 'bg-violet-600' : 'bg-emerald-600'}`}
      />
      {demo ? 'Demo cluster' : 'Live'}
    </span>
  );
}
