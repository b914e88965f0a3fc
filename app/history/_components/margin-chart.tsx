'use client';

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  CHART_HEIGHT,
  CHART_PALETTE,
  timeAxis,
  tooltipStyle,
  valueAxis,
} from '@/components/history/chart-theme';
import type { MarginRow } from '@/components/history/describe';
import { formatDateTime } from '@/lib/format';

/** Lowest margin per interval for DTR and UCP: at 0 one more failure loses quorum. */
export function MarginChart({
  rows,
  from,
  to,
  summary,
}: {
  rows: MarginRow[];
  from: number;
  to: number;
  summary: string;
}) {
  const values = rows.flatMap((r) => [r.dtr, r.ucp]);
  const low = Math.min(-1, ...values);
  const high = Math.max(1, ...values);
  return (
    <div className={`w-full ${CHART_PALETTE}`} data-testid="history-chart-margin">
      <LineChart
        responsive
        data={rows}
        style={{ width: '100%', height: CHART_HEIGHT }}
        margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
        title="Quorum margin over time"
        desc={summary}
      >
        <CartesianGrid stroke="var(--chart-grid)" />
        <XAxis {...timeAxis(from, to)} />
        <YAxis
          {...valueAxis('Margin (members)')}
          domain={[low, high]}
          allowDecimals={false}
          tickCount={high - low + 1}
        />
        <ReferenceLine
          y={0}
          stroke="var(--chart-bad)"
          strokeWidth={3}
          label={{
            value: 'below 0: quorum lost',
            position: 'insideBottomRight',
            fill: 'var(--chart-bad)',
            fontSize: 12,
          }}
        />
        <Tooltip {...tooltipStyle} labelFormatter={(ms) => formatDateTime(Number(ms))} />
        <Legend verticalAlign="top" height={28} />
        <Line
          name="DTR (lowest)"
          dataKey="dtr"
          type="stepAfter"
          stroke="var(--chart-1)"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          name="UCP managers (lowest)"
          dataKey="ucp"
          type="stepAfter"
          stroke="var(--chart-2)"
          strokeWidth={2}
          strokeDasharray="6 3"
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </div>
  );
}
