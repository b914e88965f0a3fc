'use client';

import { formatDuration } from '@/lib/format';
import { pollIntervalOf, useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { useLiveConnection, type LiveState } from '@/lib/hooks/use-live-connection';

const DOT: Record<LiveState, string> = {
  live: 'bg-emerald-600 motion-safe:animate-pulse dark:bg-emerald-400',
  polling: 'bg-amber-500 dark:bg-amber-400',
  connecting: 'bg-slate-400 dark:bg-slate-500',
};

/** How this page keeps up: pushed changes ("Live") or, while the stream is down, polling. */
export function LiveIndicator() {
  const state = useLiveConnection();
  const { status } = useClusterStatus();
  const every = formatDuration(pollIntervalOf(status));
  const words = {
    live: 'Live',
    polling: `Polling every ${every}`,
    connecting: 'Connecting…',
  }[state];
  const why = {
    live: 'Changes appear here as soon as the monitor sees them.',
    polling: `The live stream is down: this page asks for the status every ${every} until it reconnects.`,
    connecting: 'Opening the live stream.',
  }[state];
  return (
    <p
      data-testid="live-connection"
      data-state={state}
      title={why}
      className="inline-flex items-center gap-1.5 text-sm font-semibold whitespace-nowrap"
    >
      <span aria-hidden="true" className={`size-2 rounded-full ${DOT[state]}`} />
      <span aria-live="polite">{words}</span>
      <span className="sr-only">. {why}</span>
    </p>
  );
}
