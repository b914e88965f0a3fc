import type { StoragePlan } from '@/lib/domain/sizing/types';
import { CodeBlock } from '@/components/ui/code-block';
import { SizingSection, Why } from './sizing-section';

/** Where images live: one shared store for all replicas; shared storage for HA caches. */
export function StorageSection({ storage }: { storage: StoragePlan }) {
  return (
    <SizingSection id="storage" title="Shared storage">
      <div className="flex flex-col gap-2" data-testid="storage-dtr">
        <p className="font-semibold">{storage.dtr.requirement}</p>
        <p className="text-sm">Supported: {storage.dtr.backends.join(', ')}.</p>
        <Why>{storage.dtr.why}</Why>
      </div>
      {storage.caches && (
        <div className="flex flex-col gap-2" data-testid="storage-caches">
          <h3 className="font-semibold">DTR caches</h3>
          <p>{storage.caches.requirement}</p>
          {storage.caches.nfsExport && (
            <>
              <p className="text-sm">
                NFS export for each region&apos;s cache share (/etc/exports):
              </p>
              <CodeBlock code={storage.caches.nfsExport} label="Copy NFS export line" />
            </>
          )}
          <Why>{storage.caches.why}</Why>
        </div>
      )}
    </SizingSection>
  );
}
