// What every wizard plan is made of: gates (reasons to stop or to think twice) and the checks
// all three wizards share — can the console read DTR, does UCP have quorum, is the version known.
import {
  CommandInputError,
  type DtrCommand,
  type UcpCaSource,
  type UcpConnectionOptions,
} from '../commands';
import { commandImage, type ImageOverride } from '../image';
import type { ClusterSnapshot, ReplicaState } from '../types';
import { createContext, isUp } from '../assess/context';
import { durationInWords, listOf } from '../assess/format';
import { downLadder } from '../advice/ladder';

/** The guided changes; the store keeps runs of these kinds (lib/store/wizard-runs.ts). */
export const WIZARD_KINDS = ['join', 'remove', 'repair'] as const;
export type WizardKind = (typeof WIZARD_KINDS)[number];

export type GateSeverity = 'block' | 'warn';

export interface Gate {
  /** Stable identifier (data-testid `gate-<id>`, acknowledgements, tests). */
  id: string;
  /** block: no command until resolved; warn: the person should read it, nothing stops them. */
  severity: GateSeverity;
  /** The reason in plain words, and what to do about it. */
  message: string;
  /**
   * When present, the person may lift this block by confirming this sentence (sent back as the
   * gate's id in `acknowledge`). An acknowledged gate stays visible as a warning.
   */
  acknowledge?: string;
  /** The block was lifted by acknowledgement. */
  acknowledged?: boolean;
  /** A console page that resolves the gate, e.g. the remove wizard for a failed replica. */
  href?: string;
  hrefLabel?: string;
  /** A command that resolves the gate without the wizard (e.g. start the stopped containers). */
  command?: string;
}

export interface PlanOptions {
  /** The connection a plan needs to print a command. null: unknown (a block); omitted: preview only. */
  connection?: UcpConnectionOptions | null;
  /** DTR_IMAGE, when configured: printed instead of the replicas' own image. */
  imageOverride?: ImageOverride | null;
  /** DTR_VERSION, when pinned; otherwise the version of the replica the command runs against. */
  pinnedVersion?: string | null;
  /** OFFLINE_LONG_MS: how long a failed replica is given to come back before removal is advised. */
  offlineLongMs?: number;
  /** The node label that names a failure zone (ZONE_LABEL); default `zone`. */
  zoneLabel?: string;
}

export const DEFAULT_CA: UcpCaSource = { kind: 'fetch' };

export const isHealthy = (replica: ReplicaState): boolean => replica.status === 'healthy';

// Up and down mean the same in the wizards as in the warnings.
export { isDown, isUp } from '../assess/context';

/** Blocks with an `acknowledge` sentence the person confirmed become acknowledged warnings. */
export function applyAcknowledgements(gates: Gate[], acknowledged: readonly string[] = []): Gate[] {
  return gates.map((gate) =>
    gate.severity === 'block' && gate.acknowledge !== undefined && acknowledged.includes(gate.id)
      ? { ...gate, severity: 'warn', acknowledged: true }
      : gate,
  );
}

export const blocks = (gates: readonly Gate[]): Gate[] =>
  gates.filter((gate) => gate.severity === 'block');

/** Can the plan trust what the console knows about DTR? (Stale data may be allowed, e.g. for repair.) */
export function dtrReadGates(
  status: ClusterSnapshot,
  { allowStale = false }: { allowStale?: boolean } = {},
): Gate[] {
  const source = status.sources.dtr;
  if (status.dtr.replicas.length === 0 || source.state === 'error') {
    return [
      {
        id: 'dtr-unreadable',
        severity: 'block',
        message:
          'The console has not been able to read the DTR replica list, so it cannot tell what a membership change would do. ' +
          `Fix the console’s connection to DTR first${source.lastError ? ` (${source.lastError})` : ''}.`,
      },
    ];
  }
  if (source.state === 'stale') {
    const age =
      source.lastSuccessAt === null
        ? null
        : Date.parse(status.generatedAt) - Date.parse(source.lastSuccessAt);
    const old = age === null || Number.isNaN(age) ? '' : ` (${durationInWords(age)} old)`;
    return [
      {
        id: 'dtr-stale',
        severity: allowStale ? 'warn' : 'block',
        message: allowStale
          ? `The console cannot read DTR right now; the replica list shown is its last good read${old}. Double-check the replica IDs on a DTR node before running the command.`
          : `The console cannot read DTR right now; the replica list is its last good read${old}. Membership changes wait until the console sees the cluster as it is.`,
      },
    ];
  }
  return [];
}

/**
 * No membership change is planned on a guess: while the console cannot tell whether DTR has a
 * majority (members of unknown state decide it), every wizard stops.
 */
export function dtrUncertaintyGates(status: ClusterSnapshot): Gate[] {
  const unknown = status.dtr.replicas.filter((r) => r.status === 'unknown');
  if (status.dtr.quorum.status !== 'unknown' && unknown.length === 0) return [];
  const named = unknown.map((r) => `${r.id} on ${r.node}`);
  return [
    {
      id: 'dtr-state-unknown',
      severity: 'block',
      message:
        `The console cannot judge ${named.length > 0 ? named.join(', ') : 'whether DTR has a majority'}${status.dtr.quorum.status === 'unknown' ? ', so it cannot tell whether DTR has quorum' : ''}. ` +
        'A membership change planned on that guess could cost data: find out first (the replica cards say which evidence is missing).',
      href: '/replicas',
      hrefLabel: 'Replica states',
    },
  ];
}

/** The dtr tool logs in to UCP: with UCP's manager quorum lost, nothing can run. */
export function ucpQuorumGates(status: ClusterSnapshot): Gate[] {
  const managers = status.ucp.managers;
  if (managers.total > 0 && managers.status === 'unknown') {
    return [
      {
        id: 'ucp-quorum-unknown',
        severity: 'warn',
        message:
          'The console cannot tell whether UCP has its manager quorum right now. The dtr tool logs in to UCP: if UCP cannot take changes, the command fails before it changes anything.',
      },
    ];
  }
  if (managers.total === 0 || managers.status !== 'lost') return [];
  return [
    {
      id: 'ucp-quorum-lost',
      severity: 'block',
      message: `UCP has lost its manager quorum (${managers.reachable} of ${managers.total} reachable, ${managers.majority} needed). The dtr tool talks to UCP, so no DTR membership change can run: restore the UCP managers first.`,
    },
  ];
}

export function versionGates(status: ClusterSnapshot): Gate[] {
  if (status.dtr.version !== null) return [];
  return [
    {
      id: 'version-unknown',
      severity: 'warn',
      message:
        'The console does not know the installed DTR version, so the image tag reads VERSION. Replace it with your installed version (never latest): a different bootstrapper version can damage the cluster.',
    },
  ];
}

/**
 * The command run against replica `runsOn` (its image and version: lib/domain/image.ts), or the
 * gate that explains why there is none.
 */
export function buildCommand(
  status: ClusterSnapshot,
  options: PlanOptions,
  runsOn: string | null,
  build: (connection: UcpConnectionOptions) => DtrCommand,
): { command?: DtrCommand; gates: Gate[] } {
  if (options.connection === undefined) return { gates: [] };
  if (options.connection === null) {
    return {
      gates: [
        {
          id: 'no-connection',
          severity: 'block',
          message:
            'The console does not know the UCP URL and user name to put in the command (DOCKER_HOST alone names no UCP). Configure UCP_URL and UCP_USERNAME.',
        },
      ],
    };
  }
  const image = commandImage(status, runsOn, options.imageOverride ?? null, options.pinnedVersion);
  try {
    return {
      command: build({ ...options.connection, image: image.repository, dtrVersion: image.tag }),
      gates: [],
    };
  } catch (error) {
    if (!(error instanceof CommandInputError)) throw error;
    return {
      gates: [{ id: 'invalid-input', severity: 'block', message: inputErrorInWords(error) }],
    };
  }
}

/** The builders' option names (CommandInputError.field) as a person knows them. */
const INPUT_NAMES: Record<string, string> = {
  ucpNode: 'The node’s host name',
  replicaId: 'The new replica’s ID',
  existingReplicaId: 'The existing replica’s ID',
  replicaIds: 'A replica ID to remove',
  httpPort: 'The HTTP port',
  httpsPort: 'The HTTPS port',
  ucpUrl: 'The UCP URL (UCP_URL)',
  ucpUsername: 'The UCP user name',
  dtrVersion: 'The DTR version',
  image: 'The DTR image',
  ucpCa: 'How the tool trusts UCP',
  'ucpCa.path': 'The UCP CA file path',
};

/**
 * A builder's refusal in a sentence for the person at the wizard, not "httpsPort: …". The plans
 * check what people type (ports, IDs) in their own words first; this covers the rest, mostly
 * the console's configuration.
 */
export function inputErrorInWords(error: CommandInputError): string {
  const prefix = `${error.field}: `;
  const reason = error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
  const name = INPUT_NAMES[error.field.replace(/\[\d+\]$/, '')] ?? `The value for ${error.field}`;
  return `${name} cannot go in the command: ${reason.replace(/\.$/, '')}.`;
}

/** The healthy replica to run a command through: the one whose view the console read, else the first. */
export function suggestHealthy(
  status: ClusterSnapshot,
  exclude: readonly string[] = [],
): string | null {
  const healthy = status.dtr.replicas.filter((r) => isHealthy(r) && !exclude.includes(r.id));
  const reporter = status.dtr.clusterView?.reportedBy;
  // The bootstrapper reaches the existing replica over the cluster's network, not the console's:
  // one the cluster vouches for will do when none answers the console.
  const vouched = status.dtr.replicas.find((r) => isUp(r) && !exclude.includes(r.id));
  return (healthy.find((r) => r.id === reporter) ?? healthy[0] ?? vouched)?.id ?? null;
}

/** Gates about the healthy replica a command runs through (`--existing-replica-id`). */
export function existingReplicaGates(
  status: ClusterSnapshot,
  chosen: string | undefined,
  leaving: readonly string[],
): { existing: string | null; gates: Gate[] } {
  if (chosen === undefined) {
    const suggested = suggestHealthy(status, leaving);
    if (suggested !== null) return { existing: suggested, gates: [] };
    return {
      existing: null,
      gates: [
        {
          id: 'no-healthy-existing',
          severity: 'block',
          message:
            'No healthy replica is left to run the command through (--existing-replica-id needs one).',
        },
      ],
    };
  }
  const replica = status.dtr.replicas.find((r) => r.id === chosen);
  if (!replica) {
    return {
      existing: null,
      gates: [
        {
          id: 'existing-unknown',
          severity: 'block',
          message: `There is no replica ${chosen} in the replica list. Pick the existing replica from the list.`,
        },
      ],
    };
  }
  if (leaving.includes(chosen)) {
    return {
      existing: null,
      gates: [
        {
          id: 'existing-leaving',
          severity: 'block',
          message: `Replica ${chosen} is the one leaving the cluster; the command must run through a healthy replica that stays.`,
        },
      ],
    };
  }
  if (!isUp(replica)) {
    return {
      existing: null,
      gates: [
        {
          id: 'existing-unhealthy',
          severity: 'block',
          message: `Replica ${chosen} on ${replica.node} is ${replica.status}; the command must run through a healthy replica.`,
        },
      ],
    };
  }
  if (!isHealthy(replica)) {
    return {
      existing: chosen,
      gates: [
        {
          id: 'existing-not-checked',
          severity: 'warn',
          message: `The console cannot reach replica ${chosen} itself; the cluster reports it OK, and the bootstrapper reaches it over the cluster’s network. If the command cannot reach it either, pick another.`,
        },
      ],
    };
  }
  return { existing: chosen, gates: [] };
}

/**
 * The advice ladder's word on removing `leaving`: while a failed replica has been down for less
 * than OFFLINE_LONG_MS (and its node is not gone), bringing it back comes first. A block the
 * person lifts by saying it cannot come back — the same ladder the overview shows.
 */
export function bringBackFirstGates(
  status: ClusterSnapshot,
  leaving: readonly ReplicaState[],
  offlineLongMs: number | undefined,
): Gate[] {
  const ctx = createContext(status, offlineLongMs === undefined ? {} : { offlineLongMs });
  const failed = leaving.filter((r) => !isUp(r) && r.status !== 'unknown');
  if (failed.length === 0) return [];
  const ladder = downLadder(ctx, failed);
  const first = ladder.find((s) => s.recommended);
  if (!first || first.id === 'remove-join') return [];
  const ids = failed.map((r) => r.id);
  return [
    {
      id: 'bring-back-first',
      severity: 'block',
      message:
        `${first.title} first: ${first.when} ${sentence(first.risk)} ` +
        `Removing ${ids.length === 1 ? 'it' : 'them'} comes after that, once ${ids.length === 1 ? 'it has' : 'they have'} been down longer than ${durationInWords(ctx.offlineLongMs)} or cannot come back.` +
        (first.command ? ' On a machine with a UCP client bundle:' : ''),
      ...(first.command !== undefined && { command: first.command }),
      acknowledge: `${listOf(ids)} cannot be brought back (or ${ids.length === 1 ? 'has' : 'have'} been down long enough): remove ${ids.length === 1 ? 'it' : 'them'}.`,
    },
  ];
}

/** A rung's risk as a sentence of its own: "None: a replica …" reads "A replica …". */
function sentence(risk: string): string {
  const text = risk.replace(/^None:\s*/, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
