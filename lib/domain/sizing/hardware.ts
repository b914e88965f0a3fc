// DTR node hardware and the shared-storage requirement.
//
// The node sizes are DTR 2.x's own (DTR 2.5 to 2.8, the Docker Enterprise 3.x docs that MSR 2.x
// continues); DESIGN.md §1 said 8 GB minimum, which no DTR 2.x requirements page gives:
// - https://docs.mirantis.com/docker-enterprise/v3.1/dockeree-products/dtr/install-dtr.html
//   (DTR 2.8, "DTR system requirements"): "Minimum requirements: 16GB of RAM for nodes running
//   DTR; 2 vCPUs for nodes running DTR; 10GB of free disk space".
// - https://docs.docker.com/ee/dtr/admin/install/system-requirements/ (docker/docs,
//   ee/dtr/admin/install/system-requirements.md): the same minimum, and "Recommended production
//   requirements: 16GB of RAM for nodes running DTR; 4 vCPUs for nodes running DTR; 25-100GB of
//   free disk space", plus "When image scanning feature is used, we recommend that you have at
//   least 32 GB of RAM."
// - https://docs.mirantis.com/containers/v2.1/dockeree-products/dtr/dtr-admin/dtr-install.html
//   (DTR 2.7): "16GB of RAM for nodes running DTR, 2 vCPUs for nodes running DTR, 10GB of free
//   disk space".
// MSR 3.x and 4.x (Kubernetes, Harbor) publish other figures; they are not the registry this
// console watches. The UCP manager's own minimums are not part of this plan (DTR does not run
// on managers), so none are stated here.
import type { SizingInput } from './input';
import type {
  HardwareCheck,
  HardwarePlan,
  NodeResources,
  ResourceVerdict,
  StoragePlan,
} from './types';

export const DTR_NODE_MINIMUM: NodeResources = { memoryGb: 16, vcpus: 2, diskGb: 10 };
/** With image scanning on, the docs above recommend this much memory per DTR node. */
export const DTR_NODE_SCANNING_MEMORY_GB = 32;
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
      `Every replica runs the full DTR stack and a copy of its metadata database; images live in the shared storage, not on these disks. With image scanning on, DTR's requirements recommend ${DTR_NODE_SCANNING_MEMORY_GB} GB of memory per node.` +
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
