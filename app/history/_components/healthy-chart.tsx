'use client';

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import {
  CHART_HEIGHT,
  CHART_PALETTE,
  timeAxis,
  tooltipStyle,
  valueAxis,
} from '@/components/history/chart-theme';
import type { HealthyRow } from '@/components/history/describe';
import { formatDateTime } from '@/lib/format';

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
    <div className={`w-full ${CHART_PALETTE}`} data-testid="history-chart-healthy">
      <LineChart
        responsive
        data={rows}
        style={{ width: '100%', height: CHART_HEIGHT }}
        margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
        title="Healthy DTR replicas over time"
        desc={summary}
      >
        <CartesianGrid stroke="var(--chart-grid)" />
        <XAxis {...timeAxis(from, to)} />
        <YAxis
          {...valueAxis('Healthy replicas')}
          domain={[0, top]}
          allowDecimals={false}
          tickCount={top + 1}
        />
        <Tooltip {...tooltipStyle} labelFormatter={(ms) => formatDateTime(Number(ms))} />
        <Legend verticalAlign="top" height={28} />
        <Line
          name="Lowest healthy"
          dataKey="lowest"
          type="stepAfter"
          stroke="var(--chart-1)"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          name="Average healthy"
          dataKey="healthy"
          type="monotone"
          stroke="var(--chart-3)"
          strokeDasharray="4 3"
          dot={false}
          isAnimationActive={false}
        />
        <Line
          name="Majority needed"
          dataKey="majority"
          type="stepAfter"
          stroke="var(--chart-bad)"
          strokeWidth={2}
          strokeDasharray="8 4"
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </div>
  );
}
