// Drawn with Recharts: loaded only through ./lazy-charts (next/dynamic), never imported directly.
import { Line, ReferenceLine } from 'recharts';
import type { MarginRow } from '@/components/history/describe';
import { LINE_DEFAULTS } from '@/components/ui/chart-theme';
import { TimeSeriesChart } from '@/components/ui/time-series-chart';
import { MARGIN_CHART_TITLE } from './chart-titles';

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
    <TimeSeriesChart
      testId="history-chart-margin"
      title={MARGIN_CHART_TITLE}
      summary={summary}
      rows={rows}
      from={from}
      to={to}
      yLabel="Margin (members)"
      yAxis={{ domain: [low, high], allowDecimals: false, tickCount: high - low + 1 }}
    >
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
      <Line
        name="DTR (lowest)"
        dataKey="dtr"
        type="stepAfter"
        stroke="var(--chart-1)"
        strokeWidth={2}
        {...LINE_DEFAULTS}
      />
      <Line
        name="UCP managers (lowest)"
        dataKey="ucp"
        type="stepAfter"
        stroke="var(--chart-2)"
        strokeWidth={2}
        strokeDasharray="6 3"
        {...LINE_DEFAULTS}
      />
    </TimeSeriesChart>
  );
}
