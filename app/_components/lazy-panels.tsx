'use client';

// The overview's panels below the quorum banners, hydrated from code fetched after the page's
// first load. The server renders them at once and in full (a plain require: `typeof window` is a
// build-time constant, so the browser's bundle drops that branch and keeps only the dynamic
// import), and React keeps that HTML on screen until their code arrives, so the first paint has
// every figure. A React.lazy on the server would suspend and stream each panel behind its
// placeholder. The placeholders, sized from the server's counts, show only where the page is
// rendered in the browser (a client-side navigation) until the code is here, with a sentence for
// screen readers. These components take no changing props: a boundary waiting for its code is
// never updated, so React never drops its server HTML for the placeholder.
// Under Turbopack (`next build`'s default) the server's HTML was seen to carry the panels further
// down the same response, swapped in by React's inline script before any bundle runs; a browser
// without JavaScript then keeps the placeholders (e2e/overview.spec.ts checks the response).
/* eslint-disable @typescript-eslint/no-require-imports -- the server's synchronous branch */
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { LoadingFrame, Skeleton } from '@/components/ui/skeleton';

const later = (load: () => Promise<ComponentType>): ComponentType =>
  lazy(() => load().then((component) => ({ default: component })));

const LiveReplicas: ComponentType =
  typeof window === 'undefined'
    ? (require('./live-replicas') as typeof import('./live-replicas')).LiveReplicas
    : later(() => import('./live-replicas').then((m) => m.LiveReplicas));
const LiveManagers: ComponentType =
  typeof window === 'undefined'
    ? (require('./live-managers') as typeof import('./live-managers')).LiveManagers
    : later(() => import('./live-managers').then((m) => m.LiveManagers));
const LiveTolerance: ComponentType =
  typeof window === 'undefined'
    ? (require('./live-tolerance') as typeof import('./live-tolerance')).LiveTolerance
    : later(() => import('./live-tolerance').then((m) => m.LiveTolerance));
const LiveWorstFailure: ComponentType =
  typeof window === 'undefined'
    ? (require('./live-worst-failure') as typeof import('./live-worst-failure')).LiveWorstFailure
    : later(() => import('./live-worst-failure').then((m) => m.LiveWorstFailure));
const LiveNodeSummary: ComponentType =
  typeof window === 'undefined'
    ? (require('./live-node-summary') as typeof import('./live-node-summary')).LiveNodeSummary
    : later(() => import('./live-node-summary').then((m) => m.LiveNodeSummary));

function Deferred({
  label,
  placeholder,
  children,
}: {
  label: string;
  placeholder: ReactNode;
  children: ReactNode;
}) {
  return (
    <Suspense
      fallback={
        <LoadingFrame label={label} className="flex min-w-0 flex-col gap-3">
          {placeholder}
        </LoadingFrame>
      }
    >
      {children}
    </Suspense>
  );
}

/** `count` blocks in the grid the panel lays its cards out in. */
function Cards({ count, grid, height }: { count: number; grid: string; height: string }) {
  return (
    <div className={`grid grid-cols-1 ${grid}`}>
      {Array.from({ length: Math.max(count, 1) }, (_, i) => (
        <Skeleton key={i} className={height} />
      ))}
    </div>
  );
}

export function LazyReplicas({ count }: { count: number }) {
  return (
    <Deferred
      label="Loading the DTR replicas…"
      placeholder={<Cards count={count} grid="gap-4 sm:grid-cols-2 xl:grid-cols-3" height="h-64" />}
    >
      <LiveReplicas />
    </Deferred>
  );
}

export function LazyManagers({ count }: { count: number }) {
  return (
    <Deferred
      label="Loading the UCP managers…"
      placeholder={<Cards count={count} grid="gap-3 md:grid-cols-2 xl:grid-cols-3" height="h-44" />}
    >
      <LiveManagers />
    </Deferred>
  );
}

export function LazyTolerance() {
  return (
    <Deferred
      label="Loading the tolerance table…"
      placeholder={
        <>
          <Skeleton className="h-80" />
          <Skeleton className="h-16" />
        </>
      }
    >
      <LiveTolerance />
    </Deferred>
  );
}

export function LazyNodeSummary({ lines }: { lines: number }) {
  return (
    <Deferred
      label="Loading the node summary…"
      placeholder={<Skeleton className={lines > 1 ? 'h-24' : 'h-10'} />}
    >
      <LiveNodeSummary />
    </Deferred>
  );
}

export function LazyWorstFailure() {
  return (
    <Deferred label="Loading the worst single failure…" placeholder={<Skeleton className="h-32" />}>
      <LiveWorstFailure />
    </Deferred>
  );
}
