'use client';
// EXECUTE=on: the advice's "bring back" step run from the console, for administrators: start the
// down replicas' stopped dtr-* containers on their nodes (POST /api/replicas/<id>/start).

import { lazy, Suspense } from 'react';
import { useAuth } from '@/components/auth/user-context';
import { useExecuteWhere } from '@/components/layout/execute-banner';

// Its words and its requests load only where it shows: most consoles run no steps, and most
// people are not administrators.
const BringBackRun = lazy(() => import('./bring-back-run'));

export function BringBackButton({ replicaIds }: { replicaIds: string[] }) {
  const where = useExecuteWhere();
  const { user } = useAuth();
  if (where === null || user?.isAdmin !== true || replicaIds.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <BringBackRun replicaIds={replicaIds} />
    </Suspense>
  );
}
