import type { CacheBacking } from '@/lib/domain/cache-replicas';
import { cacheLbConfig, cacheLbDockerRun, type CacheLbKind } from '@/lib/domain/lb/cache';
import { LbConfigError } from '@/lib/domain/lb/errors';
import type { CacheState, ClusterNode } from '@/lib/domain/types';
import { CodeBlock } from '@/components/ui/code-block';
import { CopyButton } from '@/components/ui/copy-button';
import { panelTone } from '@/components/ui/tone';

const FILES: Record<CacheLbKind, string> = { haproxy: 'haproxy.cfg', nginx: 'nginx.conf' };

function FileBlock({ name, text, testId }: { name: string; text: string; testId: string }) {
  return (
    <div className="min-w-0 overflow-hidden rounded-md border border-slate-300 bg-slate-900 text-slate-50 dark:border-slate-700 dark:bg-black">
      <div className="flex items-center justify-between gap-2 border-b border-slate-700 px-3 py-1.5 text-xs text-slate-300">
        <span className="font-mono">{name}</span>
        <CopyButton text={text} label={`Copy ${name}`} />
      </div>
      <pre
        data-testid={testId}
        tabIndex={0}
        aria-label={`Generated ${name}`}
        className="overflow-x-auto p-3 font-mono text-xs leading-relaxed"
      >
        <code>{text}</code>
      </pre>
    </div>
  );
}

function portOf(url: string): number {
  try {
    const parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`);
    return parsed.port ? Number(parsed.port) : parsed.protocol === 'http:' ? 80 : 443;
  } catch {
    return 443;
  }
}

/** The load balancer in front of each cache that has one, generated from its replicas. */
export function CacheLbConfigs({
  caches,
  backings,
  nodes,
  generatedAt,
}: {
  caches: CacheState[];
  backings: Map<string, CacheBacking>;
  nodes: ClusterNode[];
  generatedAt: string;
}) {
  const behindLb = caches.filter((c) => backings.get(c.id)?.layout === 'load-balancer');
  const byHostname = new Map(nodes.map((n) => [n.hostname, n]));
  return (
    <section aria-labelledby="cache-lb-heading" className="flex flex-col gap-3">
      <h2 id="cache-lb-heading" className="text-lg font-semibold">
        Cache load balancer
      </h2>
      <p className="text-sm">
        TCP pass-through to every replica on the cache&apos;s registered port (the cache terminates
        TLS itself), with a health check on <code className="font-mono">GET /v2/</code>: a DTR cache
        is a Docker Registry, which serves no <code className="font-mono">/_ping</code> and answers{' '}
        <code className="font-mono">/v2/</code> with 200, or 401 asking for a DTR token — both mean
        it serves. The HAProxy config runs on 1.7 (the image the DTR load-balancer document
        launches) and on 2.x.
      </p>
      {behindLb.length === 0 ? (
        <p
          data-testid="cache-lb-none"
          className={`rounded-lg border-l-4 p-3 text-sm ${panelTone.neutral}`}
        >
          No registered cache sits behind a load balancer in front of labelled nodes, so there is no
          replica set to generate a config from. Follow the steps below first.
        </p>
      ) : (
        behindLb.map((cache) => {
          const backing = backings.get(cache.id);
          const replicas = (backing?.nodes ?? []).map((hostname) => ({
            node: hostname,
            address: byHostname.get(hostname)?.addr ?? null,
          }));
          const input = { name: cache.name, url: cache.url, replicas, generatedAt };
          let configs: Record<CacheLbKind, string>;
          try {
            configs = {
              haproxy: cacheLbConfig('haproxy', input),
              nginx: cacheLbConfig('nginx', input),
            };
          } catch (error) {
            if (!(error instanceof LbConfigError)) throw error;
            return (
              <p
                key={cache.id}
                role="alert"
                className={`rounded-lg border-l-4 p-3 text-sm ${panelTone.warn}`}
              >
                No config for {cache.name}: {error.message}.
              </p>
            );
          }
          const port = portOf(cache.url);
          return (
            <div
              key={cache.id}
              data-testid={`cache-lb-${cache.name}`}
              className="flex flex-col gap-3"
            >
              <h3 className="font-semibold">
                {cache.name}: {replicas.length} replica{replicas.length === 1 ? '' : 's'}, DTR lists
                it at <code className="font-mono">{cache.url}</code>
              </h3>
              <FileBlock
                name={FILES.haproxy}
                text={configs.haproxy}
                testId={`cache-lb-haproxy-${cache.name}`}
              />
              <CodeBlock
                code={cacheLbDockerRun('haproxy', port)}
                label="Copy the command that runs HAProxy with this config"
              />
              <details className="flex flex-col gap-2">
                <summary className="cursor-pointer text-sm font-medium">
                  NGINX instead (passive checks only)
                </summary>
                <div className="mt-2 flex flex-col gap-3">
                  <FileBlock
                    name={FILES.nginx}
                    text={configs.nginx}
                    testId={`cache-lb-nginx-${cache.name}`}
                  />
                  <CodeBlock
                    code={cacheLbDockerRun('nginx', port)}
                    label="Copy the command that runs NGINX with this config"
                  />
                </div>
              </details>
            </div>
          );
        })
      )}
    </section>
  );
}
