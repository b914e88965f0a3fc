// Shared look of the history charts. Colours come from CSS variables set on each chart's wrapper
// (light and dark), never hard-coded in the SVG.
import { formatTick } from '@/components/history/describe';

export const CHART_PALETTE =
  '[--chart-1:var(--color-sky-700)] [--chart-2:var(--color-violet-600)] [--chart-3:var(--color-teal-600)] [--chart-4:var(--color-amber-600)] [--chart-5:var(--color-pink-600)] [--chart-bad:var(--color-red-600)] [--chart-muted:var(--color-slate-500)] [--chart-text:var(--color-slate-700)] [--chart-grid:var(--color-slate-200)] ' +
  'dark:[--chart-1:var(--color-sky-400)] dark:[--chart-2:var(--color-violet-400)] dark:[--chart-3:var(--color-teal-400)] dark:[--chart-4:var(--color-amber-400)] dark:[--chart-5:var(--color-pink-400)] dark:[--chart-bad:var(--color-red-400)] dark:[--chart-muted:var(--color-slate-400)] dark:[--chart-text:var(--color-slate-300)] dark:[--chart-grid:var(--color-slate-700)]';

export const SERIES_COLOURS = [
  'var(--chart-1)',
  'var(--chart-2)',
  'var(--chart-3)',
  'var(--chart-4)',
  'var(--chart-5)',
] as const;

export const CHART_HEIGHT = 260;

const tick = { fill: 'var(--chart-text)', fontSize: 12 };

/** Props for the shared time axis over [from, to]. */
export function timeAxis(from: number, to: number) {
  return {
    dataKey: 't',
    type: 'number' as const,
    scale: 'time' as const,
    domain: [from, to],
    allowDataOverflow: true,
    tickFormatter: (ms: number) => formatTick(ms, to - from),
    tick,
    stroke: 'var(--chart-text)',
    minTickGap: 24,
    height: 44,
    label: {
      value: 'Time (UTC)',
      position: 'insideBottom' as const,
      offset: 0,
      fill: 'var(--chart-text)',
      fontSize: 12,
    },
  };
}

export function valueAxis(label: string) {
  return {
    tick,
    stroke: 'var(--chart-text)',
    width: 64,
    label: {
      value: label,
      angle: -90,
      position: 'insideLeft' as const,
      style: { textAnchor: 'middle' as const },
      fill: 'var(--chart-text)',
      fontSize: 12,
    },
  };
}

export const tooltipStyle = {
  contentStyle: {
    background: 'var(--color-white)',
    color: 'var(--color-slate-900)',
    border: '1px solid var(--color-slate-300)',
    borderRadius: 6,
    fontSize: 12,
  },
};

/** What every line of a time-series chart shares: no dots, no animation (the data is live). */
export const LINE_DEFAULTS = { dot: false, isAnimationActive: false } as const;
