'use client';

// The warning cards (their advice ladders, commands, copy buttons) are code the page needs only
// when there are warnings: it is fetched then, after the first load (React.lazy). The server
// renders the cards in full and React keeps that HTML until the code is here; the placeholder
// shows only where the page is rendered in the browser.
import { lazy, Suspense, useMemo, type ComponentType } from 'react';
import { NoWarnings } from '@/components/warnings/no-warnings';
import { LoadingFrame, Skeleton } from '@/components/ui/skeleton';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';

// The server renders the list at once (see lazy-panels.tsx for why a plain require there).
const LiveWarningList: ComponentType =
  typeof window === 'undefined'
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- the server's branch
      (require('./live-warning-list') as typeof import('./live-warning-list')).LiveWarningList
    : lazy(() => import('./live-warning-list').then((m) => ({ default: m.LiveWarningList })));

export function LiveWarnings() {
  const { status } = useClusterStatus();
  const count = status?.warnings.length ?? 0;
  // One element for the component's life: a new status re-renders this component, and a new
  // element would count as an update to a boundary still waiting for its code, which React
  // answers by dropping the server's HTML for the placeholder.
  const list = useMemo(
    () => (
      <Suspense
        fallback={
          <LoadingFrame label="Loading the warnings…" className="flex flex-col gap-3">
            {Array.from({ length: Math.max(count, 1) }, (_, i) => (
              <Skeleton key={i} className="h-40" />
            ))}
          </LoadingFrame>
        }
      >
        <LiveWarningList />
      </Suspense>
    ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the placeholder's first count is enough
    [],
  );
  if (!status) return null;
  return count === 0 ? <NoWarnings /> : list;
}
