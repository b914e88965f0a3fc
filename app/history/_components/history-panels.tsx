import { ChartFigure } from '@/components/ui/chart-figure';
import { DataTable } from '@/components/history/data-table';
import {
  describeResolution,
  runs,
  summariseHealthy,
  summariseLatency,
  summariseMargin,
  type HealthyRow,
  type LatencyRow,
  type MarginRow,
} from '@/components/history/describe';
import { EventTable } from '@/components/history/event-table';
import { OutageTimeline } from '@/components/history/outage-timeline';
import { HISTORY_SERIES } from '@/lib/domain/history/range';
import { formatDateTime, formatLatency } from '@/lib/format';
import { readHistory } from '@/lib/server/services/history-read';
import { pageRuntime } from '@/lib/server/cluster-request';
import { HealthyChart, LatencyChart, MarginChart } from './lazy-charts';

const span = (from: number, to: number) =>
  from === to ? formatDateTime(from) : `${formatDateTime(from)} – ${formatDateTime(to)}`;

/** The charts and the timeline for [from, to], read from the history store. */
export async function HistoryPanels({ from, to }: { from: number; to: number }) {
  const history = await readHistory((await pageRuntime()).store, {
    from,
    to,
    series: [...HISTORY_SERIES],
  });
  const healthy: HealthyRow[] = (history.series.healthy ?? []).map((p) => ({
    t: Date.parse(p.at),
    healthy: p.healthy,
    lowest: p.lowest,
    majority: p.majority,
    replicas: p.replicas,
  }));
  const margin: MarginRow[] = (history.series.margin ?? []).map((p) => ({
    t: Date.parse(p.at),
    dtr: p.dtrLowest,
    ucp: p.ucpLowest,
  }));
  const latency = history.series.latency ?? { replicas: [], points: [] };
  const latencyRows: LatencyRow[] = latency.points.map((p) => {
    const row: LatencyRow = { t: Date.parse(p.at) };
    for (const r of latency.replicas) row[r.id] = p.replicas[r.id]?.avgMs ?? null;
    return row;
  });
  const now = Date.parse(history.to);

  if (healthy.length === 0 && history.events.length === 0 && history.outages.length === 0) {
    return (
      <div
        data-testid="history-empty"
        className="rounded-lg border border-dashed border-slate-400 p-6 text-center dark:border-slate-600"
      >
        <h2 className="text-lg font-semibold">No history in this range yet</h2>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          The console records every state change and a sample every 10 seconds while it runs. Choose
          a longer range, or come back once it has been running for a while.
        </p>
      </div>
    );
  }

  const resolution = describeResolution(history.resolution);
  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="timeline-heading" className="flex flex-col gap-3">
        <div>
          <h2 id="timeline-heading" className="text-lg font-semibold">
            Who went down, and for how long
          </h2>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Replicas, managers, quorum and the console&apos;s own access to UCP and DTR; newest
            first. A failed replica that is not removed keeps counting against the majority.
          </p>
        </div>
        <OutageTimeline outages={history.outages} now={now} />
        {history.events.length > 0 && <EventTable events={history.events} />}
      </section>

      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <ChartFigure
          id="healthy"
          title="Healthy DTR replicas"
          description={`Lowest and average healthy replicas per point (${resolution}), with the majority DTR needs.`}
          summary={summariseHealthy(healthy)}
          table={
            <DataTable
              caption="Healthy DTR replicas over time"
              columns={['Time (UTC)', 'Lowest healthy', 'Majority needed', 'Replicas']}
              rows={runs(healthy, (r) => [r.lowest, r.majority, r.replicas]).map((run) => [
                span(run.from, run.to),
                ...run.value,
              ])}
            />
          }
        >
          <HealthyChart rows={healthy} from={from} to={now} summary={summariseHealthy(healthy)} />
        </ChartFigure>

        <ChartFigure
          id="margin"
          title="Failures left before quorum is lost"
          description={`Margin = healthy members minus the majority, lowest per point (${resolution}). At 0 one more failure is an outage; below 0 quorum is lost.`}
          summary={summariseMargin(margin)}
          table={
            <DataTable
              caption="Quorum margin over time"
              columns={['Time (UTC)', 'DTR margin (lowest)', 'UCP margin (lowest)']}
              rows={runs(margin, (r) => [r.dtr, r.ucp]).map((run) => [
                span(run.from, run.to),
                ...run.value,
              ])}
            />
          }
        >
          <MarginChart rows={margin} from={from} to={now} summary={summariseMargin(margin)} />
        </ChartFigure>
      </div>

      <ChartFigure
        id="latency"
        title="Probe latency per replica"
        description={`Round-trip of each replica's /_ping, in milliseconds (${resolution}). Gaps: no reply.`}
        summary={summariseLatency(latency.replicas)}
        table={
          <DataTable
            caption="Probe latency per replica over the range"
            columns={['Replica', 'Node', 'Average', 'Slowest', 'Probes answered']}
            rows={latency.replicas.map((r) => [
              r.id,
              r.node ?? 'unknown',
              formatLatency(r.avgMs),
              formatLatency(r.maxMs),
              `${Math.round(r.answered * 100)}%`,
            ])}
          />
        }
      >
        <LatencyChart
          rows={latencyRows}
          replicas={latency.replicas.map((r) => ({
            id: r.id,
            label: r.node ? `${r.id} (${r.node})` : r.id,
          }))}
          from={from}
          to={now}
          summary={summariseLatency(latency.replicas)}
        />
      </ChartFigure>
    </div>
  );
}
