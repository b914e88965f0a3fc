'use client';
// EXECUTE=on: every page of a cluster whose steps this console can run says so, where they run,
// and who may make it do so. On a fleet's console-wide pages: which clusters.

import { lazy, Suspense, useContext } from 'react';
import { ExecuteContext } from './execute-context';

export { ExecuteProvider, useExecuteWhere } from './execute-context';

// The words load only where some cluster runs steps (the server renders them into the page there,
// so nothing shifts); with EXECUTE off, which is most consoles, the pages carry none of them.
const ExecuteBannerBody = lazy(() => import('./execute-banner-body'));

export function ExecuteBanner({ multi }: { multi: boolean }) {
  const { clusters } = useContext(ExecuteContext);
  if (Object.keys(clusters).length === 0) return null;
  return (
    <Suspense fallback={null}>
      <ExecuteBannerBody multi={multi} />
    </Suspense>
  );
}
