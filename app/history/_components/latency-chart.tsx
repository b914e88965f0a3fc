'use client';

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import {
  CHART_HEIGHT,
  CHART_PALETTE,
  SERIES_COLOURS,
  timeAxis,
  tooltipStyle,
  valueAxis,
} from '@/components/history/chart-theme';
import type { LatencyRow } from '@/components/history/describe';
import { formatDateTime, formatLatency } from '@/lib/format';

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
    <div className={`w-full ${CHART_PALETTE}`} data-testid="history-chart-latency">
      <LineChart
        responsive
        data={rows}
        style={{ width: '100%', height: CHART_HEIGHT }}
        margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
        title="Probe latency per DTR replica"
        desc={summary}
      >
        <CartesianGrid stroke="var(--chart-grid)" />
        <XAxis {...timeAxis(from, to)} />
        <YAxis {...valueAxis('Probe latency (ms)')} tickFormatter={(ms: number) => `${ms} ms`} />
        <Tooltip
          {...tooltipStyle}
          labelFormatter={(ms) => formatDateTime(Number(ms))}
          formatter={(value) => formatLatency(typeof value === 'number' ? value : null)}
        />
        <Legend verticalAlign="top" height={28} />
        {replicas.map((replica, i) => (
          <Line
            key={replica.id}
            name={replica.label}
            dataKey={replica.id}
            type="monotone"
            stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
            strokeWidth={2}
            strokeDasharray={i >= SERIES_COLOURS.length ? '5 3' : undefined}
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </div>
  );
}
