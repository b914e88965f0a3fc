// Drawn with Recharts: loaded only through ./lazy-charts (next/dynamic), never imported directly.
import { Line } from 'recharts';
import { LINE_DEFAULTS, SERIES_COLOURS } from '@/components/ui/chart-theme';
import { TimeSeriesChart } from '@/components/ui/time-series-chart';
import { LATENCY_CHART_TITLE } from './chart-titles';
import type { LatencyRow } from '@/components/history/describe';
import { formatLatency } from '@/lib/format';

/** Average probe round-trip per replica; gaps where a replica did not answer. */
export function LatencyChart({
  rows,
  replicas,
  from,
  to,
  summary,
}: {
  rows: LatencyRow[];
  replicas: { id: string; label: string }[];
  from: number;
  to: number;
  summary: string;
}) {
  return (
    <TimeSeriesChart
      testId="history-chart-latency"
      title={LATENCY_CHART_TITLE}
      summary={summary}
      rows={rows}
      from={from}
      to={to}
      yLabel="Probe latency (ms)"
      yAxis={{ tickFormatter: (ms: number) => `${ms} ms` }}
      tooltipFormatter={(value) => formatLatency(typeof value === 'number' ? value : null)}
    >
      {replicas.map((replica, i) => (
        <Line
          key={replica.id}
          name={replica.label}
          dataKey={replica.id}
          type="monotone"
          stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
          strokeWidth={2}
          strokeDasharray={i >= SERIES_COLOURS.length ? '5 3' : undefined}
          connectNulls={false}
          {...LINE_DEFAULTS}
        />
      ))}
    </TimeSeriesChart>
  );
}
