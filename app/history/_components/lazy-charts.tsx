'use client';

// The history charts as the page uses them: each loads its Recharts module on the client only
// (components/ui/chart-slot.tsx explains why), behind a placeholder of the chart's height.
import dynamic from 'next/dynamic';
import type { ComponentProps } from 'react';
import { ChartPlaceholder, ChartSlot } from '@/components/ui/chart-slot';
import { CHART_HEIGHT } from '@/components/ui/chart-theme';
import type { HealthyChart as HealthyChartSvg } from './healthy-chart';
import type { LatencyChart as LatencyChartSvg } from './latency-chart';
import type { MarginChart as MarginChartSvg } from './margin-chart';
import { HEALTHY_CHART_TITLE, LATENCY_CHART_TITLE, MARGIN_CHART_TITLE } from './chart-titles';

const Healthy = dynamic(() => import('./healthy-chart').then((m) => m.HealthyChart), {
  ssr: false,
  loading: ChartPlaceholder,
});
const Margin = dynamic(() => import('./margin-chart').then((m) => m.MarginChart), {
  ssr: false,
  loading: ChartPlaceholder,
});
const Latency = dynamic(() => import('./latency-chart').then((m) => m.LatencyChart), {
  ssr: false,
  loading: ChartPlaceholder,
});

export function HealthyChart(props: ComponentProps<typeof HealthyChartSvg>) {
  return (
    <ChartSlot title={HEALTHY_CHART_TITLE} summary={props.summary} height={CHART_HEIGHT}>
      <Healthy {...props} />
    </ChartSlot>
  );
}

export function MarginChart(props: ComponentProps<typeof MarginChartSvg>) {
  return (
    <ChartSlot title={MARGIN_CHART_TITLE} summary={props.summary} height={CHART_HEIGHT}>
      <Margin {...props} />
    </ChartSlot>
  );
}

export function LatencyChart(props: ComponentProps<typeof LatencyChartSvg>) {
  return (
    <ChartSlot title={LATENCY_CHART_TITLE} summary={props.summary} height={CHART_HEIGHT}>
      <Latency {...props} />
    </ChartSlot>
  );
}
