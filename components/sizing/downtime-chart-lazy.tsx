'use client';

// The downtime chart as the sizing page uses it: Recharts loads on the client only, behind a
// placeholder of the chart's height (components/ui/chart-slot.tsx explains why).
import dynamic from 'next/dynamic';
import { ChartPlaceholder, ChartSlot } from '@/components/ui/chart-slot';
import { DOWNTIME_CHART_HEIGHT, DOWNTIME_CHART_TITLE, type DowntimeBar } from './downtime-bars';

const Chart = dynamic(() => import('./downtime-chart').then((m) => m.DowntimeChart), {
  ssr: false,
  loading: ChartPlaceholder,
});

export function DowntimeChart({ bars, description }: { bars: DowntimeBar[]; description: string }) {
  return (
    <ChartSlot title={DOWNTIME_CHART_TITLE} summary={description} height={DOWNTIME_CHART_HEIGHT}>
      <Chart bars={bars} description={description} />
    </ChartSlot>
  );
}
