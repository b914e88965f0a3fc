// DTR node hardware (DESIGN.md §1) and the shared-storage requirement.
import type { SizingInput } from './input';
import type {
  HardwareCheck,
  HardwarePlan,
  NodeResources,
  ResourceVerdict,
  StoragePlan,
} from './types';

export const DTR_NODE_MINIMUM: NodeResources = { memoryGb: 8, vcpus: 2, diskGb: 10 };
export const DTR_NODE_RECOMMENDED: NodeResources & { diskGbMax: number } = {
  memoryGb: 16,
  vcpus: 4,
  diskGb: 25,
  diskGbMax: 100,
};

export const OBJECT_STORES = [
  'Amazon S3 (or S3-compatible)',
  'Azure Blob Storage',
  'Google Cloud Storage',
  'OpenStack Swift',
  'Alibaba Cloud OSS',
];

/** Export line for a cache region's NFS share: these options give read-after-write consistency. */
export const CACHE_NFS_EXPORT = '/dtr-cache *(rw,root_squash,no_wdelay)';

const LABELS: Record<keyof NodeResources, string> = {
  memoryGb: 'Memory',
  vcpus: 'vCPUs',
  diskGb: 'Disk',
};

function times(resources: NodeResources, n: number): NodeResources {
  return {
    memoryGb: resources.memoryGb * n,
    vcpus: resources.vcpus * n,
    diskGb: resources.diskGb * n,
  };
}

function verdict(planned: number, minimum: number, recommended: number): ResourceVerdict {
  if (planned < minimum) return 'below-minimum';
  if (planned < recommended) return 'below-recommended';
  return 'ok';
}

export function planHardware(input: SizingInput, replicas: number): HardwarePlan {
  const checks: HardwareCheck[] = [];
  for (const resource of ['memoryGb', 'vcpus', 'diskGb'] as const) {
    const planned = input[resource];
    if (planned === null) continue;
    const minimum = DTR_NODE_MINIMUM[resource];
    const recommended = DTR_NODE_RECOMMENDED[resource];
    checks.push({
      resource,
      label: LABELS[resource],
      planned,
      minimum,
      recommended,
      verdict: verdict(planned, minimum, recommended),
    });
  }
  const shared = input.dtrOnManagers
    ? ' These nodes also run UCP manager components: add what UCP needs on top.'
    : '';
  return {
    nodes: replicas,
    minimum: { perNode: DTR_NODE_MINIMUM, total: times(DTR_NODE_MINIMUM, replicas) },
    recommended: {
      perNode: DTR_NODE_RECOMMENDED,
      total: {
        ...times(DTR_NODE_RECOMMENDED, replicas),
        diskGbMax: DTR_NODE_RECOMMENDED.diskGbMax * replicas,
      },
    },
    checks,
    why:
      `Every replica runs the full DTR stack and a copy of its metadata database; images live in the shared storage, not on these disks.` +
      shared,
  };
}

export function planStorage(input: SizingInput, replicas: number): StoragePlan {
  const dtr = {
    requirement:
      'All replicas must use one shared storage backend with read-after-write consistency: an object store or NFS.',
    backends: [...OBJECT_STORES, 'NFS'],
    why:
      replicas === 1
        ? 'A single replica may keep images on its own disk, but move them to shared storage before joining a second replica: replicas serve each other’s uploads.'
        : `Any of the ${replicas} replicas may serve a pull for a layer another one received, so they must all see the same storage, immediately.`,
  };
  if (input.cacheRegions === 0) return { dtr, caches: null };
  const ha = input.cachesPerRegion > 1;
  return {
    dtr,
    caches: {
      requirement: ha
        ? `The ${input.cachesPerRegion} cache nodes of a region share one storage with read-after-write consistency (an object store or NFS), mounted on every cache node of that region.`
        : 'A single cache node per region may keep its layers on its own disk.',
      nfsExport: ha ? CACHE_NFS_EXPORT : null,
      why: ha
        ? 'Behind the load balancer any cache node may answer: a layer one of them fetched must be visible to the others at once, which NFS only guarantees with rw,root_squash,no_wdelay.'
        : 'With one cache per region nothing else reads its storage; for cache high availability add nodes and shared storage.',
    },
  };
}
