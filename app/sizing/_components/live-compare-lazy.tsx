'use client';

// The comparison with the running cluster sits at the foot of the plan and needs the live status,
// which only the browser reads: its code (the comparison and the migration order) loads on the
// client after the page, behind the same section saying it is reading the cluster.
import dynamic from 'next/dynamic';
import { LiveCompareFrame, LiveCompareNote } from './live-compare-frame';

export const LiveCompare = dynamic(() => import('./live-compare').then((m) => m.LiveCompare), {
  ssr: false,
  loading: ({ error }) =>
    error ? (
      <LiveCompareFrame state="error">
        <LiveCompareNote>
          The comparison could not be loaded ({error.message}). The plan above does not depend on
          it.
        </LiveCompareNote>
      </LiveCompareFrame>
    ) : (
      <LiveCompareFrame state="loading">
        <LiveCompareNote>Reading the running cluster…</LiveCompareNote>
      </LiveCompareFrame>
    ),
});
