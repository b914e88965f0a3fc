'use client';

// The live drift panel (its polling, findings and pool table) is only of use where LB_STATS_URL
// is set; the page renders the static "not configured" note otherwise, so the panel's code is a
// dynamic import, fetched only where it is rendered (and server-rendered there as before).
import dynamic from 'next/dynamic';
import { Skeleton } from '@/components/ui/skeleton';

export const LbDriftPanel = dynamic(() => import('./lb-drift-panel').then((m) => m.LbDriftPanel), {
  loading: () => <Skeleton className="h-24" />,
});
