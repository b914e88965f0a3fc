'use client';

// Charts load their drawing library (Recharts, ~100 kB gzip) only where a chart is on screen: each
// chart module is loaded with next/dynamic (ssr: false) behind a ChartSlot, and until it arrives
// the slot shows a placeholder of the chart's own height that says, in words, what the chart
// shows. Nothing shifts when the chart arrives, and a screen reader hears the chart's title and
// summary either way (the SVG carries the same words as its title and description).
import { createContext, useContext, type ReactNode } from 'react';

interface ChartSlotInfo {
  /** The chart's title, as its SVG title. */
  title: string;
  /** The chart in words, as its SVG description. */
  summary: string;
  /** The drawn chart's height in px. */
  height: number;
}

const SlotContext = createContext<ChartSlotInfo | null>(null);

/** Where a lazily loaded chart goes: tells its placeholder the chart's words and height. */
export function ChartSlot({ children, ...info }: ChartSlotInfo & { children: ReactNode }) {
  return <SlotContext value={info}>{children}</SlotContext>;
}

/**
 * The `loading` of a chart's next/dynamic: the chart's height, its title and summary for screen
 * readers, and a sentence when the chart's code could not be loaded (the data table still has it).
 */
export function ChartPlaceholder({ error }: { error?: Error | null }) {
  const info = useContext(SlotContext);
  const label = info ? `${info.title}. ${info.summary}` : 'Chart';
  return (
    <div
      role="img"
      aria-label={label}
      aria-busy={error ? undefined : true}
      data-testid="chart-placeholder"
      data-state={error ? 'failed' : 'loading'}
      style={{ height: info?.height }}
      className={`flex w-full items-center justify-center rounded-md bg-slate-100 p-4 text-center text-sm text-slate-700 dark:bg-slate-800 dark:text-slate-300 ${error ? '' : 'animate-pulse motion-reduce:animate-none'}`}
    >
      {error
        ? `The chart could not be loaded (${error.message}). The summary and the data table below carry the same figures.`
        : null}
    </div>
  );
}
