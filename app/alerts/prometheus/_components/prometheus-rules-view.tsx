import type {
  ClusterSize,
  GeneratedFile,
  PrometheusRules,
} from '@/lib/domain/alerts/prometheus-rules';
import type {
  PROMETHEUS_DEFAULTS,
  PrometheusOptions,
} from '@/lib/domain/alerts/prometheus-options';
import { failuresTolerated, majority } from '@/lib/domain/quorum';
import { formatDateTime } from '@/lib/format';
import { RuleTable } from '@/components/alerts/rule-table';
import { YamlFile } from '@/components/alerts/yaml-file';
import Link from '@/components/ui/cluster-link';
import { buttonClass, linkClass } from '@/components/ui/styles';
import { panelTone } from '@/components/ui/tone';

const INPUT =
  'w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 font-mono text-sm dark:border-slate-600 dark:bg-slate-900';

const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

function Section({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="flex min-w-0 flex-col gap-3">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function quorumLine(members: number, member: string): string {
  const tolerated = failuresTolerated(members);
  return `${plural(members, member)}: majority ${majority(members)}, survives ${plural(tolerated, 'failure')}`;
}

/** The sizes the thresholds come from, and when they were true. */
function SizeList({ size }: { size: ClusterSize }) {
  return (
    <div className="flex flex-col gap-2">
      <dl
        data-testid="prometheus-sizes"
        className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm"
      >
        <dt className="font-semibold">DTR</dt>
        <dd data-testid="prometheus-size-dtr">
          {size.dtrReplicas === null
            ? 'not configured: no DTR or cache rules'
            : quorumLine(size.dtrReplicas, 'replica')}
        </dd>
        <dt className="font-semibold">UCP</dt>
        <dd data-testid="prometheus-size-ucp">
          {size.ucpManagers === null
            ? 'not configured: no UCP rules'
            : quorumLine(size.ucpManagers, 'manager')}
        </dd>
        <dt className="font-semibold">Content caches</dt>
        <dd data-testid="prometheus-size-caches">
          {size.caches.length === 0
            ? 'none registered'
            : size.caches
                .map(
                  (c) =>
                    `${c.name} (${c.replicas === null ? 'replicas cannot be counted' : plural(c.replicas, 'replica')})`,
                )
                .join(', ')}
        </dd>
      </dl>
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="prometheus-as-of">
        As of <time dateTime={size.asOf}>{formatDateTime(size.asOf)}</time>, when the page was
        loaded. After a replica or manager joins or leaves, or a cache is registered, come back and
        download the rules again: the <code className="font-mono">…CountChanged</code> alerts remind
        you.
      </p>
    </div>
  );
}

function OptionsForm({
  options,
  given,
  defaults,
}: {
  options: PrometheusOptions;
  given: Record<string, string>;
  defaults: typeof PROMETHEUS_DEFAULTS;
}) {
  const fields = [
    { name: 'job', label: 'Scrape job name', hint: `default ${defaults.job}` },
    {
      name: 'consoleUrl',
      label: 'Console address (runbook links, scrape target)',
      hint: 'default: the address you opened this page at',
    },
    { name: 'criticalFor', label: 'Critical: for', hint: `default ${defaults.criticalFor}` },
    { name: 'warningFor', label: 'Warning: for', hint: `default ${defaults.warningFor}` },
    { name: 'infoFor', label: 'Info: for', hint: `default ${defaults.infoFor}` },
    { name: 'tokenFile', label: 'Token file on the Prometheus host', hint: 'holds METRICS_TOKEN' },
  ] as const;
  return (
    <form method="get" className="flex flex-col gap-3" data-testid="prometheus-options">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {fields.map((field) => (
          <div key={field.name} className="flex min-w-0 flex-col gap-1">
            <label htmlFor={`prom-${field.name}`} className="text-sm font-medium">
              {field.label}
            </label>
            <input
              id={`prom-${field.name}`}
              name={field.name}
              type="text"
              autoComplete="off"
              spellCheck={false}
              defaultValue={given[field.name] ?? options[field.name]}
              aria-describedby={`prom-${field.name}-hint`}
              className={INPUT}
            />
            <span
              id={`prom-${field.name}-hint`}
              className="text-xs text-slate-700 dark:text-slate-300"
            >
              {field.hint}
            </span>
          </div>
        ))}
      </div>
      <div>
        <button type="submit" className={buttonClass.primary}>
          Generate
        </button>
      </div>
    </form>
  );
}

/** /alerts/prometheus: the generated rules and scrape job, what they were sized for, and why. */
export function PrometheusRulesView({
  size,
  rules,
  scrape,
  options,
  given,
  problems,
  rulesHref,
  scrapeHref,
  defaults,
}: {
  size: ClusterSize;
  rules: PrometheusRules;
  scrape: GeneratedFile;
  options: PrometheusOptions;
  given: Record<string, string>;
  problems: string[];
  rulesHref: string;
  scrapeHref: string;
  defaults: typeof PROMETHEUS_DEFAULTS;
}) {
  return (
    <div className="flex flex-col gap-6" data-testid="prometheus-page">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold tracking-tight">Prometheus alert rules</h1>
        <p className="max-w-3xl text-slate-700 dark:text-slate-300">
          Rules over the console&apos;s own <code className="font-mono">/api/metrics</code>, for
          Prometheus to evaluate and Alertmanager to route. Their thresholds follow the
          cluster&apos;s size: an at-risk warning only where a group survives a failure, a member
          down is a warning of its own only where the group survives two, and a lost quorum pages.
          Each alert links back to the console page with the advice. The console can also send its
          incidents itself, to webhooks, Slack, Teams or Alertmanager:{' '}
          <Link href="/alerts" className={linkClass.normal}>
            incidents and channels
          </Link>
          .
        </p>
      </div>

      {problems.length > 0 && (
        <div
          role="alert"
          data-testid="prometheus-problems"
          className={`rounded-lg border-l-4 p-3 text-sm ${panelTone.warn}`}
        >
          <p className="font-semibold">
            These settings cannot be used, so the rules below use the defaults:
          </p>
          <ul className="list-disc pl-5">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}

      <Section id="prometheus-size" title="Sized for">
        <SizeList size={size} />
      </Section>

      <Section id="prometheus-settings" title="Settings">
        <OptionsForm options={options} given={given} defaults={defaults} />
      </Section>

      <Section id="prometheus-rule-list" title={`The rules (${rules.rules.length})`}>
        <RuleTable rules={rules.rules} />
      </Section>

      <Section id="prometheus-rules" title="Rule file">
        <p className="text-sm">
          Save it next to <code className="font-mono">prometheus.yml</code>, list it under{' '}
          <code className="font-mono">rule_files</code>, and check it with{' '}
          <code className="font-mono">promtool check rules {rules.filename}</code>.
        </p>
        <YamlFile
          filename={rules.filename}
          text={rules.text}
          href={rulesHref}
          testId="prometheus-rules-file"
        />
      </Section>

      <Section id="prometheus-scrape" title="Scrape job">
        <p className="text-sm">
          Set <code className="font-mono">METRICS_TOKEN</code> on the console, write the same token
          to <code className="font-mono">{options.tokenFile}</code> on the Prometheus host, and add
          this job under <code className="font-mono">scrape_configs</code>. The rules select its
          series by <code className="font-mono">job=&quot;{options.job}&quot;</code>.
        </p>
        <YamlFile
          filename={scrape.filename}
          text={scrape.text}
          href={scrapeHref}
          testId="prometheus-scrape-file"
        />
      </Section>
    </div>
  );
}
