import type { Metadata } from 'next';
import { requireUser } from '@/lib/server/current-user';
import { pageRuntime } from '@/lib/server/cluster-request';
import { CHANNEL_KINDS, CHANNEL_KIND_LABELS } from '@/lib/domain/alerts/channels';
import {
  alertingSettings,
  listChannelViews,
  listIncidentViews,
  previewOf,
} from '@/lib/server/services/alerts-admin';
import { CodeBlock } from '@/components/ui/code-block';
import { ChannelsAdmin } from './_components/channels-admin';
import { IncidentsTable } from './_components/incidents-table';
import Link from '@/components/ui/cluster-link';
import { linkClass } from '@/components/ui/styles';

export const metadata: Metadata = { title: 'Alerts' };
export const dynamic = 'force-dynamic';

const seconds = (ms: number) =>
  ms % 3_600_000 === 0 && ms >= 3_600_000
    ? `${ms / 3_600_000} h`
    : ms % 60_000 === 0 && ms >= 60_000
      ? `${ms / 60_000} min`
      : `${ms / 1000} s`;

export default async function AlertsPage() {
  const user = await requireUser('/alerts');
  const runtime = await pageRuntime();
  const [incidents, settings, channels, previews] = await Promise.all([
    listIncidentViews(runtime, 100),
    alertingSettings(runtime),
    user.isAdmin ? listChannelViews(runtime) : Promise.resolve(null),
    Promise.all(CHANNEL_KINDS.map(async (kind) => ({ kind, ...(await previewOf(runtime, kind)) }))),
  ]);
  const firing = incidents.filter((i) => i.phase === 'firing').length;

  return (
    <section className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold tracking-tight">Alerts</h1>
        <p className="max-w-prose text-sm text-slate-600 dark:text-slate-400">
          The console sends one incident per cause — grouped as on the overview — to each enabled
          channel: when a critical cause has held {seconds(settings.forMs.critical ?? 0)} (a warning{' '}
          {seconds(settings.forMs.warning ?? 0)}), again every {seconds(settings.repeatMs)} while it
          lasts, and once when it is resolved. Links in messages point to{' '}
          <span className="font-mono">{settings.consoleUrl}</span>; the cluster is named{' '}
          <span className="font-mono">{settings.clusterName}</span>.
        </p>
        <p className="max-w-prose text-sm text-slate-600 dark:text-slate-400">
          Alerting through Prometheus instead?{' '}
          <Link href="/alerts/prometheus" className={linkClass.normal}>
            Alert rules sized to this cluster, and the scrape job
          </Link>
          .
        </p>
      </div>

      <section aria-labelledby="incidents-heading" className="flex flex-col gap-2">
        <h2 id="incidents-heading" className="text-lg font-semibold">
          Incidents{' '}
          <span className="text-sm font-normal text-slate-600 dark:text-slate-400">
            ({firing} firing, newest first)
          </span>
        </h2>
        {incidents.length === 0 ? (
          <p data-testid="alerts-no-incidents" className="text-sm">
            No incidents yet: nothing has held long enough to be sent.
          </p>
        ) : (
          <IncidentsTable incidents={incidents} />
        )}
      </section>

      <section aria-labelledby="channels-heading" className="flex flex-col gap-2">
        <h2 id="channels-heading" className="text-lg font-semibold">
          Channels
        </h2>
        {channels ? (
          <ChannelsAdmin initial={channels} />
        ) : (
          <p data-testid="alerts-channels-admins-only" className="max-w-prose text-sm">
            Where alerts go is managed by UCP administrators: channel addresses and their delivery
            errors are shown to them only. The incidents above say, for each message, which channel
            got it.
          </p>
        )}
      </section>

      <section aria-labelledby="preview-heading" className="flex flex-col gap-2">
        <h2 id="preview-heading" className="text-lg font-semibold">
          What each kind of channel receives
        </h2>
        <p className="max-w-prose text-sm text-slate-600 dark:text-slate-400">
          Exactly the body sent, for a sample incident (a replica down on three). Generic webhooks
          also carry the header <span className="font-mono">X-DTR-Console-Signature</span>: see the
          README for checking it.
        </p>
        {previews.map((p) => (
          <details
            key={p.kind}
            className="rounded-md border border-slate-300 p-2 dark:border-slate-700"
          >
            <summary className="cursor-pointer font-medium">{CHANNEL_KIND_LABELS[p.kind]}</summary>
            <div className="mt-2 flex flex-col gap-2">
              <h3 className="text-sm font-semibold">Firing</h3>
              <CodeBlock code={JSON.stringify(p.firing, null, 2)} label="Copy" />
              <h3 className="text-sm font-semibold">Resolved</h3>
              <CodeBlock code={JSON.stringify(p.resolved, null, 2)} label="Copy" />
            </div>
          </details>
        ))}
      </section>
    </section>
  );
}
