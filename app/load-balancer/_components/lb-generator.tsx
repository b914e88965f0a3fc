'use client';

import { useEffect, useMemo, useState } from 'react';
import { normalizeConsoleUrl } from '@/lib/domain/console-url';
import { writeLbConfig, type LbConfigFile } from '@/lib/domain/lb/write';
import { LbConfigError } from '@/lib/domain/lb/errors';
import { permalinkOf } from '@/lib/domain/lb/option-values';
import type { LbOptions } from '@/lib/domain/lb/options';
import { lbReplicasFromStatus } from '@/lib/domain/lb/from-status';
import type { LbReplicaInput } from '@/lib/domain/lb/replicas';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { ConfigBlock } from '@/components/load-balancer/config-block';
import { FailoverSummary } from '@/components/load-balancer/failover-summary';
import {
  formStateOf,
  lbQueryOf,
  type LbFormState,
  type LbParamProblem,
  type ResolvedLbOptions,
} from '@/components/load-balancer/lb-form';
import { LbPermalink } from '@/components/load-balancer/lb-permalink';
import { LbRunPanel, PingNote } from '@/components/load-balancer/lb-run-panel';
import { LbSettingsForm } from '@/components/load-balancer/lb-settings-form';
import { useOrigin } from '@/components/load-balancer/use-origin';
import { panelTone } from '@/components/ui/tone';
import { LinkFallbackNotice } from '@/components/ui/link-fallback-notice';

const URL_DELAY_MS = 300;

type FormReader = (form: LbFormState, generatedAt: string) => ResolvedLbOptions;

/** The settings' checks (zod), loaded when someone first reaches for a setting, not with the page. */
function loadFormReader(): Promise<FormReader> {
  return import('@/components/load-balancer/lb-params').then((m) => m.optionsFromForm);
}

type Generated = { file: LbConfigFile; error: null } | { file: null; error: string };

/**
 * The generator: settings on the left, the config on the right. The config is written here, from
 * the live replica list and the settings, by the same pure generator the API uses, so it follows
 * every keystroke and every replica change without a round trip. The address keeps the settings.
 */
export function LbGenerator({
  initialOptions,
  problems,
  serverOrigin,
  children,
}: {
  initialOptions: LbOptions;
  problems: LbParamProblem[];
  serverOrigin: string;
  children: React.ReactNode;
}) {
  const [form, setForm] = useState<LbFormState>(() => formStateOf(initialOptions));
  const [edited, setEdited] = useState(false);
  // The server checked the link's settings; the form's own checks arrive with the first focus.
  const [readForm, setReadForm] = useState<FormReader | null>(null);
  const loadChecks = () => {
    if (!readForm) void loadFormReader().then((read) => setReadForm(() => read));
  };
  const resolved = useMemo(
    (): ResolvedLbOptions =>
      readForm
        ? readForm(form, initialOptions.generatedAt)
        : { options: initialOptions, problems: [] },
    [readForm, form, initialOptions],
  );
  const { options } = resolved;
  const errors = Object.fromEntries(resolved.problems.map((p) => [p.param, p.message]));
  const query = lbQueryOf(options);

  useEffect(() => {
    // A link someone opened stays as it is until they change a setting.
    if (!edited) return;
    const timer = setTimeout(() => {
      if (window.location.search === `?${query}`) return;
      // No server round trip: the page renders the config itself.
      window.history.replaceState(null, '', `${window.location.pathname}?${query}`);
    }, URL_DELAY_MS);
    return () => clearTimeout(timer);
  }, [edited, query]);

  const { status } = useClusterStatus();
  const replicas = useMemo(() => (status ? lbReplicasFromStatus(status) : []), [status]);
  const replicasKey = JSON.stringify(replicas);
  // The file says when it was generated: the first render's time, until the replicas change.
  const [stamp, setStamp] = useState({ key: replicasKey, at: initialOptions.generatedAt });
  if (stamp.key !== replicasKey && status) setStamp({ key: replicasKey, at: status.generatedAt });

  const origin = useOrigin(serverOrigin);
  const permalinkBase = (origin && normalizeConsoleUrl(origin)) || undefined;
  const generated = useMemo((): Generated => {
    try {
      return {
        file: writeLbConfig(JSON.parse(replicasKey) as LbReplicaInput[], {
          ...options,
          generatedAt: stamp.at,
          permalinkBase,
        }),
        error: null,
      };
    } catch (error) {
      if (error instanceof LbConfigError) return { file: null, error: error.message };
      throw error;
    }
  }, [replicasKey, options, stamp.at, permalinkBase]);

  const change = (next: LbFormState) => {
    loadChecks();
    setEdited(true);
    setForm(next);
  };

  return (
    <div className="flex flex-col gap-6" data-testid="lb-generator" data-query={query}>
      {problems.length > 0 && !edited && (
        <LinkFallbackNotice
          problems={problems}
          testId="lb-fallback-notice"
          headline="Some settings in this link were not understood; the config uses defaults for them."
          fieldWord="setting"
          defaultsHref="/load-balancer"
        />
      )}
      <div className="grid grid-cols-1 gap-8 lg:grid-cols-[19rem_minmax(0,1fr)]">
        {/* In the page's flow, no scroll area of its own: every setting is reached by scrolling the page. */}
        <aside
          aria-label="Settings"
          data-testid="lb-settings-sidebar"
          onFocusCapture={loadChecks}
          onPointerEnter={loadChecks}
        >
          <LbSettingsForm
            form={form}
            errors={errors}
            onKind={(kind) => change({ ...form, kind })}
            onChange={(key, value) => change({ ...form, [key]: value })}
          />
        </aside>
        <div className="flex min-w-0 flex-col gap-6">
          <FailoverSummary options={options} />
          {resolved.problems.length > 0 && (
            <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
              {resolved.problems.length === 1
                ? 'One setting is'
                : `${resolved.problems.length} settings are`}{' '}
              not valid; the config uses the default for{' '}
              {resolved.problems.length === 1 ? 'it' : 'them'}.
            </p>
          )}
          {generated.file ? (
            <>
              <LbRunPanel file={generated.file} />
              <ConfigBlock file={generated.file} />
              <PingNote kind={options.kind} />
            </>
          ) : (
            <div
              role="alert"
              data-testid="lb-config-error"
              className={`rounded-lg border-l-4 p-4 text-sm ${panelTone.bad}`}
            >
              <p className="font-semibold">
                This config cannot be written for the current replicas.
              </p>
              <p>{generated.error}</p>
            </div>
          )}
          <LbPermalink
            pageUrl={`${origin}/load-balancer?${query}`}
            apiUrl={`${origin}${permalinkOf({ ...options, permalinkBase: undefined })}`}
          />
          {children}
        </div>
      </div>
    </div>
  );
}
