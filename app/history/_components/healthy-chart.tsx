// Drawn with Recharts: loaded only through ./lazy-charts (next/dynamic), never imported directly.
import { Line } from 'recharts';
import type { HealthyRow } from '@/components/history/describe';
import { LINE_DEFAULTS } from '@/components/ui/chart-theme';
import { TimeSeriesChart } from '@/components/ui/time-series-chart';
import { HEALTHY_CHART_TITLE } from './chart-titles';

/** Healthy DTR replicas (lowest and average per interval) against the majority they need. */
export function HealthyChart({
  rows,
  from,
  to,
  summary,
}: {
  rows: HealthyRow[];
  from: number;
  to: number;
  summary: string;
}) {
  const top = Math.max(1, ...rows.map((r) => r.replicas));
  return (
    <TimeSeriesChart
      testId="history-chart-healthy"
      title={HEALTHY_CHART_TITLE}
      summary={summary}
      rows={rows}
      from={from}
      to={to}
      yLabel="Healthy replicas"
      yAxis={{ domain: [0, top], allowDecimals: false, tickCount: top + 1 }}
    >
      <Line
        name="Lowest healthy"
        dataKey="lowest"
        type="stepAfter"
        stroke="var(--chart-1)"
        strokeWidth={2}
        {...LINE_DEFAULTS}
      />
      <Line
        name="Average healthy"
        dataKey="healthy"
        type="monotone"
        stroke="var(--chart-3)"
        strokeDasharray="4 3"
        {...LINE_DEFAULTS}
      />
      <Line
        name="Majority needed"
        dataKey="majority"
        type="stepAfter"
        stroke="var(--chart-bad)"
        strokeWidth={2}
        strokeDasharray="8 4"
        {...LINE_DEFAULTS}
      />
    </TimeSeriesChart>
  );
}
