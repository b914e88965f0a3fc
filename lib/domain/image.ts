// Which bootstrapper image a printed command uses: the running replicas' own. A `dtr-registry`
// image from `docker/dtr-registry:2.9.16` means the bootstrapper is `docker/dtr:2.9.16`; MSR
// 2.8/2.9 ship `mirantis/dtr-registry`, MSR 2.10 `registry.mirantis.com/msr/dtr-registry`, and a
// private mirror keeps its own registry and organisation. Never `latest`, never a guess: what
// cannot be read leaves the tag to the operator (VERSION) and says so.
import { DEFAULT_DTR_IMAGE } from './commands';
import type { ClusterSnapshot, DtrImageRef } from './types';

/** DTR_IMAGE as configured: a repository, with or without a tag. */
export interface ImageOverride {
  repository: string;
  tag: string | null;
}

export interface BootstrapperImage {
  /** e.g. `registry.mirantis.com/msr/dtr`. */
  repository: string;
  /** The DTR version; null when unknown (the command then reads VERSION). */
  tag: string | null;
  /** Where it comes from, in words for the wizard. */
  source: string;
}

const REGISTRY_SUFFIX = /(^|\/)dtr-registry$/;

/** The bootstrapper repository for a replica's `dtr-registry` image, or null when it is not one. */
export function bootstrapperRepository(registryRepository: string): string | null {
  return REGISTRY_SUFFIX.test(registryRepository)
    ? registryRepository.replace(REGISTRY_SUFFIX, '$1dtr')
    : null;
}

/** `repo` or `repo:tag` (the tag after the last colon past the last slash). */
export function parseImageOverride(value: string): ImageOverride {
  const trimmed = value.trim();
  const slash = trimmed.lastIndexOf('/');
  const colon = trimmed.lastIndexOf(':');
  return colon > slash
    ? { repository: trimmed.slice(0, colon), tag: trimmed.slice(colon + 1) }
    : { repository: trimmed, tag: null };
}

/**
 * The image a command run against `replicaId` uses: DTR_IMAGE when configured; else that
 * replica's own image; else the image most replicas run; else docker/dtr with the installed
 * version (or none). With replicas on different versions, each command uses its own replica's.
 */
export function bootstrapperImage(
  status: Pick<ClusterSnapshot, 'dtr'>,
  replicaId: string | null,
  override: ImageOverride | null = null,
): BootstrapperImage {
  if (override && override.tag !== null)
    return { repository: override.repository, tag: override.tag, source: 'DTR_IMAGE' };
  const images = status.dtr.replicas.flatMap((r) =>
    r.image ? [{ id: r.id, ref: r.image as DtrImageRef }] : [],
  );
  const own = images.find((i) => i.id === replicaId)?.ref ?? null;
  const common = mostCommon(images.map((i) => i.ref));
  const ref = own ?? common;
  const derived = ref ? bootstrapperRepository(ref.repository) : null;
  const tag = ref?.tag ?? status.dtr.version;
  if (override) {
    return {
      repository: override.repository,
      tag,
      source: `DTR_IMAGE, with the ${own ? `version replica ${replicaId} runs` : 'installed version'}`,
    };
  }
  if (derived && ref) {
    return {
      repository: derived,
      tag: ref.tag,
      source: own
        ? `the image replica ${replicaId} runs (${ref.repository}:${ref.tag})`
        : `the image the replicas run (${ref.repository}:${ref.tag})`,
    };
  }
  return {
    repository: DEFAULT_DTR_IMAGE,
    tag,
    source:
      'docker/dtr: the console cannot see the replicas’ images; set DTR_IMAGE if your DTR comes from mirantis/dtr, registry.mirantis.com/msr/dtr or a mirror',
  };
}

/**
 * The repository and tag a command run against `replicaId` prints: the bootstrapper image, with
 * DTR_VERSION as the tag when the operator pinned one and DTR_IMAGE does not name its own.
 */
export function commandImage(
  status: Pick<ClusterSnapshot, 'dtr'>,
  replicaId: string | null,
  override: ImageOverride | null,
  pinnedVersion: string | null | undefined,
): { repository: string; tag: string | null } {
  const image = bootstrapperImage(status, replicaId, override);
  const tag = pinnedVersion != null && override?.tag == null ? pinnedVersion : image.tag;
  return { repository: image.repository, tag };
}

function mostCommon(refs: readonly DtrImageRef[]): DtrImageRef | null {
  const tally = new Map<string, { ref: DtrImageRef; n: number }>();
  for (const ref of refs) {
    const key = `${ref.repository}:${ref.tag}`;
    const entry = tally.get(key) ?? { ref, n: 0 };
    entry.n += 1;
    tally.set(key, entry);
  }
  let best: { ref: DtrImageRef; n: number } | null = null;
  for (const entry of tally.values()) if (!best || entry.n > best.n) best = entry;
  return best?.ref ?? null;
}
