'use client';
// The EXECUTE=on banner's words (components/layout/execute-banner.tsx): a chunk of their own,
// loaded only by a console that runs steps, so no other console's pages carry them.

import { useContext } from 'react';
import { useAuth } from '@/components/auth/user-context';
import { buttonClass } from '@/components/ui/styles';
import { useClusterName } from '@/lib/hooks/cluster-url';
import { ExecuteContext } from './execute-context';
import { useExecuteNotice } from './execute-notice';

export default function ExecuteBannerBody({ multi }: { multi: boolean }) {
  const { clusters, defaultCluster } = useContext(ExecuteContext);
  const { user } = useAuth();
  const cluster = useClusterName() ?? defaultCluster;
  const names = Object.keys(clusters);
  const where = cluster === null ? undefined : clusters[cluster];
  if (cluster !== null && where === undefined) return null;
  // How to turn it off is for the people who run the console, not for viewers.
  const off =
    user?.isAdmin === true ? (
      <>
        {' '}
        <code>EXECUTE=off</code> turns it off.
      </>
    ) : null;
  const places = [...new Set(Object.values(clusters))];
  return (
    <>
      <div
        role="note"
        data-testid="execute-banner"
        className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-center text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
      >
        {cluster === null ? (
          <>
            This console can itself run join, remove and emergency repair on{' '}
            {names.map((name) => `"${name}"`).join(', ')}
            {places.length === 1 ? `, through ${places[0]}` : ''}; only UCP administrators of each
            cluster may make it do so.{off}
          </>
        ) : (
          <>
            {multi ? `On cluster "${cluster}", this` : 'This'} console can itself run join, remove
            and emergency repair, through {where}; only UCP administrators
            {multi ? ' of that cluster' : ''} may make it do so.{off}
          </>
        )}
      </div>
      <ExecuteNoticeLine />
    </>
  );
}

/**
 * The last step run from a warning, until dismissed: it outlives the warning it cleared. Not a
 * live region: the button's own status line said it when it happened. Dismiss hands the focus to
 * the page's main content rather than dropping it.
 */
function ExecuteNoticeLine() {
  const { notice, dismiss } = useExecuteNotice();
  if (notice === null) return null;
  return (
    <div
      role="note"
      data-testid="execute-notice"
      className="flex flex-wrap items-center justify-center gap-x-3 gap-y-1 border-b border-emerald-300 bg-emerald-50 px-4 py-2 text-sm text-emerald-950 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-50"
    >
      <span>
        {notice.text}{' '}
        <time dateTime={notice.at} className="whitespace-nowrap">
          ({new Date(notice.at).toLocaleTimeString(undefined, { hour12: false })})
        </time>
      </span>
      <button
        type="button"
        className={buttonClass.secondary}
        onClick={() => {
          dismiss();
          document.getElementById('main')?.focus();
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
