import { panelTone } from '@/components/ui/tone';

/** The last way back, when no replica can be repaired. */
export function RestoreFromBackup() {
  return (
    <div
      data-testid="restore-from-backup"
      className={`flex flex-col gap-2 rounded-lg border-l-4 p-4 text-sm ${panelTone.bad}`}
    >
      <p className="font-semibold">Restore DTR from backup</p>
      <ol className="list-decimal pl-5">
        <li>
          Try first to bring back the node of one replica (power, network, Docker engine, its dtr-*
          containers), then run emergency repair on it.
        </li>
        <li>
          If none comes back: on a UCP worker, run the bootstrapper’s{' '}
          <code className="font-mono">restore</code> with the metadata backup (taken with{' '}
          <code className="font-mono">backup</code>); the images stay in the shared object store.
        </li>
        <li>Then join new replicas one at a time.</li>
      </ol>
    </div>
  );
}
