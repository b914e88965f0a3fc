'use client';

import { unlabelCommand } from '@/lib/domain/assess/caches';
import { CACHE_LABEL } from '@/lib/domain/placement';
import type { ClusterStatus } from '@/lib/domain/types';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { useNow } from '@/lib/hooks/use-now';
import { CacheTable } from '@/components/caches/cache-table';
import { CodeBlock } from '@/components/ui/code-block';
import { panelTone } from '@/components/ui/tone';
import { WarningList } from '@/components/warnings/warning-list';

const labelledNodes = (status: ClusterStatus) =>
  status.ucp.nodes.filter((n) => n.labels[CACHE_LABEL]?.toLowerCase() === 'true');

/** The caches page's live island: registered caches, label mismatches and cache warnings. */
export function CachesView() {
  const { status, error } = useClusterStatus();
  const now = useNow(status ? Date.parse(status.generatedAt) : 0);
  if (!status) return null;

  const dtrSource = status.sources.dtr;
  const caches = status.dtr.caches;
  const withCache = new Set((caches ?? []).flatMap((c) => (c.node ? [c.node] : [])));
  const unregistered = caches
    ? labelledNodes(status).filter((n) => !withCache.has(n.hostname))
    : [];
  const warnings = status.warnings.filter((w) => w.code.startsWith('CACHE_'));

  return (
    <div className="flex flex-col gap-6">
      {error && (
        <p role="alert" className={`rounded-lg border-l-4 p-3 text-sm ${panelTone.warn}`}>
          Showing the last status the console received: {error.message}
        </p>
      )}

      <section aria-labelledby="caches-heading" className="flex flex-col gap-3">
        <h2 id="caches-heading" className="text-lg font-semibold">
          Registered caches
        </h2>
        {dtrSource.configured === false ? (
          <p className={`rounded-lg border-l-4 p-3 text-sm ${panelTone.neutral}`}>
            DTR is not configured, so there is no cache list to read.
          </p>
        ) : caches === undefined ? (
          <p className={`rounded-lg border-l-4 p-3 text-sm ${panelTone.neutral}`}>
            DTR has not listed its content caches yet
            {dtrSource.lastError ? ` (${dtrSource.lastError})` : ''}.
          </p>
        ) : caches.length === 0 ? (
          <p
            data-testid="caches-empty"
            className={`rounded-lg border-l-4 p-3 text-sm ${panelTone.info}`}
          >
            DTR has no content caches registered. Clients pull from DTR directly.
          </p>
        ) : (
          <>
            {dtrSource.state !== 'ok' && (
              <p className={`rounded-lg border-l-4 p-3 text-sm ${panelTone.warn}`}>
                DTR is not answering: the list below is the last one it gave. Each cache&apos;s
                status is still its own live probe.
              </p>
            )}
            <CacheTable caches={caches} now={now} />
          </>
        )}
      </section>

      {unregistered.length > 0 && (
        <section aria-labelledby="unregistered-heading" className="flex flex-col gap-3">
          <h2 id="unregistered-heading" className="text-lg font-semibold">
            Labelled nodes without a cache
          </h2>
          <ul className="flex flex-col gap-3" data-testid="cache-unregistered-nodes">
            {unregistered.map((node) => (
              <li key={node.id} className="flex flex-col gap-2 text-sm">
                <span>
                  <code className="font-mono">{node.hostname}</code> carries{' '}
                  <code className="font-mono">{CACHE_LABEL}=true</code> but DTR lists no cache on
                  it. Deploy and register one, or remove the label.
                </span>
                <CodeBlock
                  code={unlabelCommand(node.hostname)}
                  label={`Copy the command that removes the label from ${node.hostname}`}
                />
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="cache-warnings-heading" className="flex flex-col gap-3">
        <h2 id="cache-warnings-heading" className="text-lg font-semibold">
          Cache warnings
        </h2>
        {warnings.length === 0 ? (
          <p
            data-testid="cache-warnings-empty"
            className={`rounded-lg border-l-4 p-3 text-sm font-medium ${panelTone.ok}`}
          >
            No cache warnings: every registered cache answers and the labels match.
          </p>
        ) : (
          <WarningList warnings={warnings} />
        )}
      </section>
    </div>
  );
}
