'use client';

// The frame every time-series chart shares: the palette, size and margins, the grid, the time
// axis, the value axis with its label, the tooltip that names the moment, and the legend. A
// chart adds its lines (and reference lines) as children.
import { CartesianGrid, Legend, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDateTime } from '@/lib/format';
import { CHART_HEIGHT, CHART_PALETTE, timeAxis, tooltipStyle, valueAxis } from './chart-theme';

type YAxisProps = React.ComponentProps<typeof YAxis>;
type TooltipFormatter = React.ComponentProps<typeof Tooltip>['formatter'];

export function TimeSeriesChart<Row extends object>({
  testId,
  title,
  summary,
  rows,
  from,
  to,
  yLabel,
  yAxis,
  tooltipFormatter,
  children,
}: {
  testId: string;
  /** What the chart shows: its SVG title. */
  title: string;
  /** The chart in words: its SVG description. */
  summary: string;
  rows: Row[];
  /** The time range shown, in ms since the epoch. */
  from: number;
  to: number;
  /** The value axis's label, with its unit. */
  yLabel: string;
  yAxis?: Omit<YAxisProps, 'ref'>;
  tooltipFormatter?: TooltipFormatter;
  children: React.ReactNode;
}) {
  return (
    <div className={`w-full ${CHART_PALETTE}`} data-testid={testId}>
      <LineChart
        responsive
        data={rows}
        style={{ width: '100%', height: CHART_HEIGHT }}
        margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
        title={title}
        desc={summary}
      >
        <CartesianGrid stroke="var(--chart-grid)" />
        <XAxis {...timeAxis(from, to)} />
        <YAxis {...valueAxis(yLabel)} {...yAxis} />
        <Tooltip
          {...tooltipStyle}
          labelFormatter={(ms) => formatDateTime(Number(ms))}
          {...(tooltipFormatter ? { formatter: tooltipFormatter } : {})}
        />
        <Legend verticalAlign="top" height={28} />
        {children}
      </LineChart>
    </div>
  );
}
