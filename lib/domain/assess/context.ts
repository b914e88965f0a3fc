// What every assessment rule gets: the snapshot, the resolved options, and shared lookups.
import {
  CommandInputError,
  type DtrCommand,
  type UcpCaSource,
  type UcpConnectionOptions,
} from '../commands';
import { commandImage, type ImageOverride } from '../image';
import type { ClusterNode, ClusterSnapshot, ReplicaState, Warning } from '../types';

export interface AssessOptions {
  /** The instant to judge ages against. Default: the snapshot's generatedAt. */
  now?: Date;
  /** A replica not healthy for longer than this gets DTR_REPLICA_OFFLINE_LONG. Default 30 minutes. */
  offlineLongMs?: number;
  /** A replica_timestamp older than this gets DTR_REPLICA_STALE_REPORT. Default 5 minutes. */
  staleReportMs?: number;
  /** Node label naming the failure zone. Default "zone". */
  zoneLabel?: string;
  /** For printed commands; without URL and user name warnings carry no command. */
  ucpUrl?: string | null;
  ucpUsername?: string | null;
  /**
   * Installed DTR version for printed commands, when the operator pinned it (DTR_VERSION).
   * Default: the version the replica a command runs against runs (lib/domain/image.ts).
   */
  dtrVersion?: string | null;
  /** DTR_IMAGE: the bootstrapper repository (and tag) to print instead of the replicas' own. */
  imageOverride?: ImageOverride | null;
  /** How printed commands trust UCP. Default: download the CA from `<ucpUrl>/ca` first. */
  ucpCa?: UcpCaSource;
  /** SHA-256 fingerprint of the UCP CA the console verified: the download is checked against it. */
  ucpCaFingerprint?: string | null;
  /** UCP's certificate chains to a CA the console's machine trusts: download without -k. */
  ucpCaDownloadVerified?: boolean;
}

export const DEFAULT_OFFLINE_LONG_MS = 30 * 60_000;
// Replicas write replica_timestamp about once a minute. Five minutes is several missed
// reports, yet survives a little clock skew between nodes and the console and a slow poll,
// so a healthy replica is never flagged for ordinary jitter.
export const DEFAULT_STALE_REPORT_MS = 5 * 60_000;
export const DEFAULT_ZONE_LABEL = 'zone';

export interface AssessContext {
  snapshot: ClusterSnapshot;
  nowMs: number;
  offlineLongMs: number;
  staleReportMs: number;
  zoneLabel: string;
  /** null when the UCP URL or user name is unknown: no command can be printed. */
  connection: UcpConnectionOptions | null;
  /** DTR_IMAGE, when configured. */
  imageOverride: ImageOverride | null;
  /** DTR_VERSION pinned by the operator (undefined: read from the replicas). */
  pinnedVersion: string | null | undefined;
}

/** One rule: a pure function from the context to the warnings of one code. */
export type Rule = (ctx: AssessContext) => Warning[];

export function createContext(
  snapshot: ClusterSnapshot,
  options: AssessOptions = {},
): AssessContext {
  const nowMs = options.now?.getTime() ?? Date.parse(snapshot.generatedAt);
  const { ucpUrl, ucpUsername } = options;
  return {
    snapshot,
    nowMs,
    offlineLongMs: options.offlineLongMs ?? DEFAULT_OFFLINE_LONG_MS,
    staleReportMs: options.staleReportMs ?? DEFAULT_STALE_REPORT_MS,
    zoneLabel: options.zoneLabel ?? DEFAULT_ZONE_LABEL,
    connection:
      ucpUrl && ucpUsername
        ? {
            ucpUrl,
            ucpUsername,
            dtrVersion:
              options.dtrVersion !== undefined ? options.dtrVersion : snapshot.dtr.version,
            ucpCa: options.ucpCa ?? { kind: 'fetch' },
            caFingerprint: options.ucpCaFingerprint ?? null,
            caDownloadVerified: options.ucpCaDownloadVerified ?? false,
          }
        : null,
    imageOverride: options.imageOverride ?? null,
    pinnedVersion: options.dtrVersion,
  };
}

/**
 * A printed bootstrapper command run against replica `runsOn` (its image and version, unless
 * DTR_IMAGE or DTR_VERSION say otherwise), or nothing when the connection is unknown or a value
 * fails validation.
 */
export function dtrCommand(
  ctx: AssessContext,
  runsOn: string | null,
  build: (connection: UcpConnectionOptions) => DtrCommand,
): DtrCommand | null {
  if (!ctx.connection) return null;
  const image = commandImage(ctx.snapshot, runsOn, ctx.imageOverride, ctx.pinnedVersion);
  try {
    return build({ ...ctx.connection, image: image.repository, dtrVersion: image.tag });
  } catch (error) {
    // A hostile or malformed value (e.g. a node name) means no command, never a broken one.
    if (error instanceof CommandInputError) return null;
    throw error;
  }
}

/** The `command` field and the sentence that goes with it in nextStep. */
export function commandFields(
  command: DtrCommand | null,
  wizard: string,
): { command?: string; note: string } {
  if (!command) return { note: ` The ${wizard} wizard builds the exact command.` };
  const version = command.needsVersion
    ? ' Replace VERSION in the image tag with your installed DTR version (never latest).'
    : '';
  return {
    command: command.text,
    note: ` Run the command below; it prompts for the UCP password.${version}`,
  };
}

/** Milliseconds since an instant, or null when the instant is missing or unreadable. */
export function ageMs(
  ctx: AssessContext,
  instant: string | null,
  reference = ctx.nowMs,
): number | null {
  if (instant === null) return null;
  const at = Date.parse(instant);
  return Number.isNaN(at) ? null : reference - at;
}

/** A replica judged down: unhealthy, unreachable (corroborated), or a ghost. */
export const isDown = (replica: ReplicaState): boolean =>
  replica.status === 'unhealthy' || replica.status === 'unreachable' || replica.status === 'ghost';

/** Up by someone's word: healthy, or vouched for by the cluster while the console cannot reach it. */
export const isUp = (replica: ReplicaState): boolean =>
  replica.status === 'healthy' || replica.status === 'unreachable-from-console';

export function nodeByHostname(ctx: AssessContext, hostname: string): ClusterNode | undefined {
  const wanted = hostname.toLowerCase();
  return ctx.snapshot.ucp.nodes.find((node) => node.hostname.toLowerCase() === wanted);
}

/**
 * The replica to run remove/join through: the one whose view we read, else the first healthy,
 * else one the cluster vouches for (the bootstrapper reaches it over the cluster's network, not
 * the console's).
 */
export function survivingReplica(ctx: AssessContext): ReplicaState | undefined {
  const { replicas, clusterView } = ctx.snapshot.dtr;
  const healthy = replicas.filter((r) => r.status === 'healthy');
  return (
    healthy.find((r) => r.id === clusterView?.reportedBy) ??
    healthy[0] ??
    replicas.find((r) => r.status === 'unreachable-from-console')
  );
}

export function managers(ctx: AssessContext): ClusterNode[] {
  return ctx.snapshot.ucp.nodes.filter((node) => node.role === 'manager');
}
