import { CodeBlock } from '@/components/ui/code-block';

const LABEL_COMMAND = `# <node-name>: the worker's hostname, as docker node ls shows it
docker node update --label-add dtr.cache=true <node-name>`;
const EXPORT_CHECK = `# On the NFS server: the cache export must list rw, root_squash and no_wdelay (and sync)
exportfs -v
# On each cache replica node: the export mounted where the cache's config.yml stores blobs
findmnt -t nfs,nfs4`;

/**
 * What to verify about shared storage, which the console cannot see: DTR's cache list is only
 * `{id, name, host}`, and the storage is in each cache's own config.yml (a swarm config).
 */
export function CacheStorageCheck({ cacheNames }: { cacheNames: string[] }) {
  return (
    <section aria-labelledby="cache-storage-heading" className="flex flex-col gap-3">
      <h2 id="cache-storage-heading" className="text-lg font-semibold">
        Shared storage: verify it yourself
      </h2>
      <p className="text-sm" data-testid="cache-storage-note">
        {cacheNames.length > 0 ? (
          <>
            {cacheNames.join(', ')} {cacheNames.length === 1 ? 'has' : 'have'} several replicas,
            which must share storage with read-after-write consistency: a layer one replica has just
            cached must be readable from the next.{' '}
          </>
        ) : null}
        The console cannot check this: DTR&apos;s cache API (
        <code className="font-mono">/api/v0/content_caches</code>) gives only each cache&apos;s name
        and host, and the storage is set in the cache&apos;s own{' '}
        <code className="font-mono">config.yml</code>, which DTR never sees. On NFS, check the
        export options and the mounts:
      </p>
      <CodeBlock code={EXPORT_CHECK} label="Copy the storage checks" />
    </section>
  );
}
const NFS_EXPORT = '/srv/dtr-cache  10.0.0.0/24(rw,root_squash,no_wdelay)';

/** How to run DTR content caches so that losing one node does not break pulls. */
export function CacheGuidance() {
  return (
    <section aria-labelledby="cache-ha-heading" className="flex flex-col gap-3">
      <h2 id="cache-ha-heading" className="text-lg font-semibold">
        Making caches highly available
      </h2>
      <ol className="flex list-decimal flex-col gap-3 pl-5 text-sm">
        <li>
          <span className="font-semibold">Run two or more cache replicas</span> on separate nodes,
          ideally in separate failure zones. One cache is a single point of failure for every client
          that pulls through it.
        </li>
        <li>
          <span className="font-semibold">
            Give them shared storage with read-after-write consistency.
          </span>{' '}
          Replicas of one cache must see each other&apos;s writes at once: a blob one replica has
          just cached must be readable from the next. Eventually consistent object stores break
          pulls under load.
        </li>
        <li className="flex flex-col gap-2">
          <span>
            <span className="font-semibold">On NFS, export with synchronous writes:</span>{' '}
            <code className="font-mono">rw,root_squash,no_wdelay</code> (and mount with the default{' '}
            <code className="font-mono">hard</code> option), for example in{' '}
            <code className="font-mono">/etc/exports</code>:
          </span>
          <CodeBlock code={NFS_EXPORT} label="Copy the NFS export line" />
        </li>
        <li className="flex flex-col gap-2">
          <span>
            <span className="font-semibold">Label every cache node</span> so the cache service is
            scheduled there and this console counts it:
          </span>
          <CodeBlock code={LABEL_COMMAND} label="Copy the node label command" />
        </li>
        <li>
          <span className="font-semibold">Put a load balancer in front of the cache replicas</span>{' '}
          with a health check on <code className="font-mono">/v2/</code> (200 or 401 means up), and
          register the load balancer&apos;s address as the cache&apos;s host in DTR, not one
          replica&apos;s.
        </li>
      </ol>
    </section>
  );
}
