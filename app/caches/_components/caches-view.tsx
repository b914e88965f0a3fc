'use client';

import { backingsOf, nodeTasksCommand, unlabelCommand } from '@/lib/domain/assess/caches';
import { unusedCacheNodes } from '@/lib/domain/cache-replicas';
import { CACHE_LABEL } from '@/lib/domain/placement';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { useNow } from '@/lib/hooks/use-now';
import { CacheLbConfigs } from '@/components/caches/cache-lb-config';
import { CacheStorageCheck } from '@/components/caches/cache-guidance';
import { CacheTable } from '@/components/caches/cache-table';
import { CodeBlock } from '@/components/ui/code-block';
import { panelTone } from '@/components/ui/tone';
import { WarningList } from '@/components/warnings/warning-list';

/** The caches page's live island: registered caches, label mismatches and cache warnings. */
export function CachesView() {
  const { status, error } = useClusterStatus();
  const now = useNow(status ? Date.parse(status.generatedAt) : 0);
  if (!status) return null;

  const dtrSource = status.sources.dtr;
  const caches = status.dtr.caches;
  const nodes = status.ucp.nodes;
  const backings = backingsOf(caches ?? [], nodes);
  // Labelled nodes no registered cache can use (never one behind a cache's load balancer).
  const unregistered = caches ? unusedCacheNodes(caches, nodes) : [];
  const replicated = (caches ?? []).filter((c) => (backings.get(c.id)?.nodes.length ?? 0) >= 2);
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
            <CacheTable caches={caches} backings={backings} nodes={nodes} now={now} />
            <p className="text-xs text-slate-700 dark:text-slate-300">
              How replicas are counted: a cache DTR lists at a node&apos;s own address runs on that
              node (one replica). The nodes labelled{' '}
              <code className="font-mono">{CACHE_LABEL}=true</code> that no such cache claims are
              the replicas of the one cache DTR lists at an address that is no node — its load
              balancer, as the cache HA document registers it. Each replica is probed on its
              node&apos;s own address.
            </p>
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
                  <code className="font-mono">{CACHE_LABEL}=true</code>, but DTR lists no cache at
                  its address and none at a load balancer it could stand behind. First see what runs
                  there:
                </span>
                <CodeBlock
                  code={nodeTasksCommand(node.hostname)}
                  label={`Copy the command that lists the tasks on ${node.hostname}`}
                />
                <span>
                  A cache task there: register the address clients reach it at in DTR. None: the
                  label is left over, and{' '}
                  <code className="font-mono">{unlabelCommand(node.hostname)}</code> removes it.
                </span>
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
            No cache warnings: every cache has two or more replicas, all serving, and the labels
            match.
          </p>
        ) : (
          <WarningList warnings={warnings} />
        )}
      </section>

      {caches && caches.length > 0 && (
        <>
          <CacheStorageCheck cacheNames={replicated.map((c) => c.name)} />
          <CacheLbConfigs
            caches={caches}
            backings={backings}
            nodes={nodes}
            generatedAt={status.generatedAt}
          />
        </>
      )}
    </div>
  );
}
